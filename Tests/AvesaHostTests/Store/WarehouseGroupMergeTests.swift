import XCTest
@testable import AvesaHost

/// Group commit: batches merged together share one transaction, give exactly what
/// separate merges in the same order give, and keep their own outcomes when one fails.
final class WarehouseGroupMergeTests: XCTestCase {
    private let contactsTable = CanonicalTable(
        name: "people",
        columns: [CanonicalColumn(name: "id", type: .string, nullable: false), CanonicalColumn(name: "name", type: .string)],
        keyColumns: ["id"])

    private func person(_ id: String, _ name: String) -> CanonicalRecord {
        CanonicalRecord(values: [.string(id), .string(name)], sourceService: "connectwise", sourceID: id)
    }

    private func version(_ warehouse: TenantWarehouse) throws -> Int64 {
        let statement = try warehouse.database.prepare(WarehouseDDL.selectVersion)
        XCTAssertTrue(try statement.step())
        return statement.int64(0)
    }

    /// Every row of `table` (every column as text), in insertion order.
    private func rows(_ warehouse: TenantWarehouse, _ table: String) throws -> [[String]] {
        let query = try warehouse.database.prepare("SELECT * FROM \"\(table)\" ORDER BY rowid")
        var rows: [[String]] = []
        while try query.step() {
            rows.append((0..<query.columnCount).map { query.isNull($0) ? "NULL" : query.text($0) ?? "?" })
        }
        return rows
    }

    private var group: [TenantWarehouse.MergeBatch] {
        [TenantWarehouse.MergeBatch(records: [item("cw:1", "Open", at: 10), item("cw:2", "Open", at: 10)], table: "items",
                                    runID: "r1", loadTime: 1),
         TenantWarehouse.MergeBatch(records: [person("p1", "Ada")], table: "people", runID: "r1", loadTime: 1),
         TenantWarehouse.MergeBatch(records: [item("cw:1", "Closed", at: 20), item("cw:3", "Open", at: 20)], table: "items",
                                    runID: "r1", loadTime: 1)]
    }

    func testAGroupCommitsOnceAndWritesExactlyWhatSeparateMergesWrite() throws {
        let grouped = try TenantWarehouse(path: try makeWarehousePath(self), tables: [itemsTable, contactsTable])
        let results = grouped.merge(group: group)
        let summaries = try results.map { try $0.get() }
        XCTAssertEqual(summaries.map(\.inserted), [2, 1, 1])
        XCTAssertEqual(summaries.map(\.updated), [0, 0, 1])
        XCTAssertEqual(try version(grouped), 1, "one transaction for the three batches")

        let separate = try TenantWarehouse(path: try makeWarehousePath(self), tables: [itemsTable, contactsTable])
        for batch in group { try separate.merge(batch.records, into: batch.table, runID: batch.runID, loadTime: batch.loadTime) }
        XCTAssertEqual(try version(separate), 3)
        for table in ["items", "people"] {
            XCTAssertEqual(try rows(grouped, table), try rows(separate, table), table)
        }
        XCTAssertEqual(try rows(grouped, "items").count, 4, "cw:1 closed and reopened, cw:2, cw:3")
        // The key index committed with the group: replaying it writes nothing.
        XCTAssertEqual(try grouped.merge(group: group).map { try $0.get().wroteAnything }, [false, false, false])
    }

    func testAnInvalidBatchFailsAloneAndTheOthersCommit() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self), tables: [itemsTable, contactsTable])
        var batches = group
        batches[1] = TenantWarehouse.MergeBatch(records: [person("p1", "Ada"), CanonicalRecord(values: [.integer(5), .null],
                                                sourceService: "connectwise", sourceID: "5")],
                                                table: "people", runID: "r1", loadTime: 1)
        let results = warehouse.merge(group: batches)
        XCTAssertEqual(try results[0].get().inserted, 2)
        XCTAssertThrowsError(try results[1].get()) { error in
            guard case WarehouseError.invalidRecord(table: "people", index: 1, column: "id", _)? = error as? WarehouseError else {
                return XCTFail("\(error)")
            }
        }
        XCTAssertEqual(try results[2].get().updated, 1)
        XCTAssertEqual(try rows(warehouse, "people"), [], "nothing of the invalid batch")
        XCTAssertEqual(try rows(warehouse, "items").count, 4)
    }

    func testAFailureMidGroupRollsBackTheKeyIndexesAndEveryBatchIsMergedAgainOnItsOwn() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self), tables: [itemsTable, contactsTable])
        struct Crash: Error {}
        var calls = 0
        // Fails once, in the third batch, after the first two were applied inside the transaction.
        warehouse.afterRecordHook = { _ in
            calls += 1
            if calls == 4 { throw Crash() }
        }
        let summaries = try warehouse.merge(group: group).map { try $0.get() }
        XCTAssertEqual(summaries.map(\.inserted), [2, 1, 1], "the retry alone saw every key as new again: indexes rolled back")
        XCTAssertEqual(summaries.map(\.updated), [0, 0, 1])
        XCTAssertEqual(try rows(warehouse, "items").count, 4, "nothing written twice")
        XCTAssertEqual(try rows(warehouse, "people").count, 1)
        XCTAssertEqual(try version(warehouse), 3, "three transactions of their own after the failed group")
    }
}
