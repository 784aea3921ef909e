import XCTest
@testable import AvesaHost

/// A warehouse whose key index ran out of budget decides every record as one with the
/// whole index in memory: keys beyond the index are looked up in SQLite.
final class WarehouseKeyIndexBudgetTests: XCTestCase {
    private func ids(_ range: StrideTo<Int>) -> [String] { range.map { "connectwise:\($0)" } }

    /// The same batches, merges and full-sync close into `warehouse`; returns each step's summary.
    private func history(_ warehouse: TenantWarehouse) throws -> [MergeSummary] {
        let all = ids(stride(from: 0, to: 300, by: 1))
        var summaries: [MergeSummary] = []
        func merge(_ records: [CanonicalRecord], run: String) throws {
            summaries.append(try warehouse.merge(records, into: "items", runID: run, loadTime: 1_000))
        }
        try merge(all.map { item($0, "open", at: 10) }, run: "first")
        try merge(all.map { item($0, "open", at: 10) }, run: "unchanged")
        let changes = ids(stride(from: 0, to: 300, by: 3)).map { item($0, "working", at: 20) }
        try merge(changes, run: "changes")
        try merge(ids(stride(from: 0, to: 300, by: 5)).map { itemDeleted($0, at: 30) }, run: "deletes")
        try merge(ids(stride(from: 0, to: 100, by: 10)).map { item($0, "back", at: 40) }
                  + ids(stride(from: 1, to: 300, by: 7)).map { item($0, "stale", at: 15) }, run: "reappear")
        try merge(changes, run: "replay")
        let seen = Set(ids(stride(from: 0, to: 290, by: 1)).map { CanonicalKey($0) })
        summaries.append(try warehouse.closeMissing(table: "items", service: "connectwise", seenKeys: seen, at: 50))
        return summaries
    }

    private func rows(_ warehouse: TenantWarehouse) throws -> [[String]] {
        let query = try warehouse.database.prepare(
            "SELECT id, status, updated_at, _valid_from, _valid_to, _is_current, hex(_row_hash), _run_id FROM items "
                + "ORDER BY id, _valid_from, _is_current")
        var rows: [[String]] = []
        while try query.step() { rows.append((0..<8).map { query.text(Int32($0)) ?? "NULL" }) }
        return rows
    }

    func testAWarehousePastItsBudgetWritesTheSameHistory() throws {
        let unlimited = try TenantWarehouse(path: try makeWarehousePath(self), tables: [itemsTable],
                                            keyIndexBudget: .unlimited)
        let budget = KeyIndexBudget(slots: 64)
        let bounded = try TenantWarehouse(path: try makeWarehousePath(self), tables: [itemsTable], keyIndexBudget: budget)
        let expected = try history(unlimited)
        let summaries = try history(bounded)
        XCTAssertTrue(try bounded.writer(for: "items").index.isPartial, "the budget ran out")
        XCTAssertLessThanOrEqual(budget.slotsInUse, 64)
        XCTAssertEqual(summaries, expected)
        XCTAssertEqual(expected[1].unchanged, 300, "the second pass is unchanged in both")
        XCTAssertEqual(expected[3].deleted, 60)
        XCTAssertEqual(try rows(bounded), try rows(unlimited))
        XCTAssertGreaterThan(try rows(bounded).count, 400)
        XCTAssertEqual(try integrityCheck(bounded.database), "ok")
    }

    func testAPartialIndexIsRebuiltWithinTheBudgetWhenTheWarehouseIsReopened() throws {
        let path = try makeWarehousePath(self)
        let budget = KeyIndexBudget(slots: 64)
        do {
            let warehouse = try TenantWarehouse(path: path, tables: [itemsTable], keyIndexBudget: budget)
            try warehouse.merge(ids(stride(from: 0, to: 200, by: 1)).map { item($0, "open", at: 10) }, into: "items",
                                runID: "r1", loadTime: 1)
        }
        XCTAssertEqual(budget.slotsInUse, 0, "a released warehouse gives its slots back")
        let reopened = try TenantWarehouse(path: path, tables: [itemsTable], keyIndexBudget: budget)
        let again = try reopened.merge(ids(stride(from: 0, to: 200, by: 1)).map { $0.hasSuffix("7") ? item($0, "changed", at: 20) : item($0, "open", at: 10) },
                                       into: "items", runID: "r2", loadTime: 2)
        XCTAssertEqual(again.updated, 20)
        XCTAssertEqual(again.unchanged, 180)
        XCTAssertEqual(again.inserted, 0, "keys beyond the index were found in SQLite, not inserted twice")
        XCTAssertLessThanOrEqual(budget.slotsInUse, 64)
    }

    func testReopeningPastTheBudgetNeverTakesAChangedKeyForADeletedOne() throws {
        // A change keeps the current row in place and appends the closed version after it,
        // so loading meets a key's closed rows after its current row, which the budget may
        // have refused: the key still has a current row.
        let path = try makeWarehousePath(self)
        let keys = ids(stride(from: 0, to: 200, by: 1))
        do {
            let warehouse = try TenantWarehouse(path: path, tables: [itemsTable], keyIndexBudget: .unlimited)
            try warehouse.merge(keys.map { item($0, "open", at: 10) }, into: "items", runID: "r1", loadTime: 1)
            try warehouse.merge(keys.map { item($0, "working", at: 20) }, into: "items", runID: "r2", loadTime: 2)
        }
        let budget = KeyIndexBudget(slots: 64)
        let reopened = try TenantWarehouse(path: path, tables: [itemsTable], keyIndexBudget: budget)
        let again = try reopened.merge(keys.map { item($0, "working", at: 20) }, into: "items", runID: "r3", loadTime: 3)
        XCTAssertTrue(try reopened.writer(for: "items").index.isPartial)
        XCTAssertEqual(again.unchanged, 200)
        let late = try reopened.merge(keys.map { item($0, "stale", at: 15) }, into: "items", runID: "r4", loadTime: 4)
        XCTAssertEqual(late.ignoredOutOfOrder, 200, "older than the current rows")
        XCTAssertEqual(try versions(reopened, "connectwise:7").map(\.status), ["open", "working"])
    }
}
