import Foundation
import XCTest
@testable import AvesaHost

final class TenantWarehouseMergeTests: XCTestCase {
    private struct Step {
        var records: [CanonicalRecord]
        var loadTime: Int64 = 1_000
        var expect: MergeSummary
    }

    private struct Case {
        var name: String
        var steps: [Step]
        /// Versions of `cw:1` after all steps: (status, valid-from, valid-to).
        var history: [(String?, Int64, Int64?)]
    }

    private let cases: [Case] = [
        Case(name: "a new key opens a row valid from its change time",
             steps: [Step(records: [item("cw:1", "Open", at: 10)], expect: MergeSummary(inserted: 1))],
             history: [("Open", 10, nil)]),
        Case(name: "an unchanged record writes nothing",
             steps: [Step(records: [item("cw:1", "Open", at: 10)], expect: MergeSummary(inserted: 1)),
                     Step(records: [item("cw:1", "Open", at: 10)], expect: MergeSummary(unchanged: 1))],
             history: [("Open", 10, nil)]),
        Case(name: "a changed record closes the current row and opens a new one",
             steps: [Step(records: [item("cw:1", "Open", at: 10)], expect: MergeSummary(inserted: 1)),
                     Step(records: [item("cw:1", "Closed", at: 20)], expect: MergeSummary(updated: 1))],
             history: [("Open", 10, 20), ("Closed", 20, nil)]),
        Case(name: "without a change time the load time is valid-from",
             steps: [Step(records: [item("cw:1", "Open", at: nil)], loadTime: 500, expect: MergeSummary(inserted: 1)),
                     Step(records: [item("cw:1", "Closed", at: nil)], loadTime: 600, expect: MergeSummary(updated: 1))],
             history: [("Open", 500, 600), ("Closed", 600, nil)]),
        Case(name: "a delete closes the row",
             steps: [Step(records: [item("cw:1", "Open", at: 10)], expect: MergeSummary(inserted: 1)),
                     Step(records: [itemDeleted("cw:1", at: 30)], expect: MergeSummary(deleted: 1))],
             history: [("Open", 10, 30)]),
        Case(name: "a delete of an unknown key writes nothing",
             steps: [Step(records: [itemDeleted("cw:1", at: 30)], expect: MergeSummary(unchanged: 1))],
             history: []),
        Case(name: "reappearance after a delete opens a new row",
             steps: [Step(records: [item("cw:1", "Open", at: 10)], expect: MergeSummary(inserted: 1)),
                     Step(records: [itemDeleted("cw:1", at: 30)], expect: MergeSummary(deleted: 1)),
                     Step(records: [item("cw:1", "Open", at: 40)], expect: MergeSummary(inserted: 1))],
             history: [("Open", 10, 30), ("Open", 40, nil)]),
        Case(name: "an update older than the current row never reopens history",
             steps: [Step(records: [item("cw:1", "Closed", at: 20)], expect: MergeSummary(inserted: 1)),
                     Step(records: [item("cw:1", "Open", at: 10)], expect: MergeSummary(ignoredOutOfOrder: 1))],
             history: [("Closed", 20, nil)]),
        Case(name: "an update older than the delete stays deleted",
             steps: [Step(records: [item("cw:1", "Open", at: 10), itemDeleted("cw:1", at: 30)],
                          expect: MergeSummary(inserted: 1, deleted: 1)),
                     Step(records: [item("cw:1", "Pending", at: 20)], expect: MergeSummary(ignoredOutOfOrder: 1))],
             history: [("Open", 10, 30)]),
        Case(name: "a same-time change corrects the current row in place",
             steps: [Step(records: [item("cw:1", "Open", at: 10), item("cw:1", "Fixed", at: 10)],
                          expect: MergeSummary(inserted: 1, updated: 1))],
             history: [("Fixed", 10, nil)]),
        Case(name: "replaying the same batches is a no-op",
             steps: [Step(records: [item("cw:1", "Open", at: 10), item("cw:1", "Closed", at: 20), itemDeleted("cw:1", at: 30)],
                          expect: MergeSummary(inserted: 1, updated: 1, deleted: 1)),
                     Step(records: [item("cw:1", "Open", at: 10), item("cw:1", "Closed", at: 20), itemDeleted("cw:1", at: 30)],
                          loadTime: 9_999, expect: MergeSummary(unchanged: 1, ignoredOutOfOrder: 2))],
             history: [("Open", 10, 20), ("Closed", 20, 30)]),
        Case(name: "pages arriving newest first keep only the newest version",
             steps: [Step(records: [item("cw:1", "Closed", at: 20)], expect: MergeSummary(inserted: 1)),
                     Step(records: [item("cw:1", "Open", at: 10)], expect: MergeSummary(ignoredOutOfOrder: 1)),
                     Step(records: [item("cw:1", "Closed", at: 20)], expect: MergeSummary(unchanged: 1))],
             history: [("Closed", 20, nil)]),
    ]

    func testSCD2Semantics() throws {
        for testCase in cases {
            let warehouse = try TenantWarehouse(path: try makeWarehousePath(self), tables: [itemsTable])
            for (number, step) in testCase.steps.enumerated() {
                let summary = try warehouse.merge(step.records, into: "items", runID: "run-\(number)", loadTime: step.loadTime)
                XCTAssertEqual(summary, step.expect, "\(testCase.name), step \(number)")
            }
            let actual = try versions(warehouse, "cw:1")
            XCTAssertEqual(actual.count, testCase.history.count, testCase.name)
            for (got, want) in zip(actual, testCase.history) {
                XCTAssertEqual(got.status, want.0, testCase.name)
                XCTAssertEqual(got.from, want.1, testCase.name)
                XCTAssertEqual(got.to, want.2, testCase.name)
            }
            XCTAssertLessThanOrEqual(try warehouse.rowCount("items", currentOnly: true), 1, testCase.name)
        }
    }

    func testSemanticsHoldAfterReopeningTheFile() throws {
        // The in-memory index is rebuilt from disk: the same decisions must follow.
        let path = try makeWarehousePath(self)
        do {
            let warehouse = try TenantWarehouse(path: path, tables: [itemsTable])
            try warehouse.merge([item("cw:1", "Open", at: 10), item("cw:2", "Open", at: 10), itemDeleted("cw:2", at: 30)],
                                into: "items", runID: "r1", loadTime: 100)
        }
        let warehouse = try TenantWarehouse(path: path, tables: [itemsTable])
        let replay = try warehouse.merge([item("cw:1", "Open", at: 10), item("cw:2", "Open", at: 10), itemDeleted("cw:2", at: 30)],
                                         into: "items", runID: "r2", loadTime: 200)
        XCTAssertEqual(replay, MergeSummary(unchanged: 2, ignoredOutOfOrder: 1))
        let next = try warehouse.merge([item("cw:1", "Closed", at: 40), item("cw:2", "Back", at: 40)],
                                       into: "items", runID: "r3", loadTime: 300)
        XCTAssertEqual(next, MergeSummary(inserted: 1, updated: 1))
        XCTAssertEqual(try versions(warehouse, "cw:2").map(\.from), [10, 40])
    }

    func testAChangeRevisesTheCurrentRowInPlaceAndKeepsTheOldVersionAsHistory() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self))
        func ticket(_ status: String, category: String, resolvedAt: Int64?, updatedAt: Int64) -> CanonicalRecord {
            canonical(.tickets, ["id": .string("connectwise:1"), "summary": .string("Printer"), "status": .string(status),
                                 "status_category": .string(category), "company_id": .string("connectwise:c1"),
                                 "created_at": .timestamp(5), "resolved_at": resolvedAt.map { .timestamp($0) } ?? .null,
                                 "updated_at": .timestamp(updatedAt)])
        }
        try warehouse.merge([ticket("New", category: "open", resolvedAt: nil, updatedAt: 10)], into: "tickets", runID: "r1", loadTime: 1)
        func rows() throws -> [[String]] {
            let query = try warehouse.database.prepare(
                "SELECT rowid, status, status_category, resolved_at, _valid_from, _valid_to, _is_current, _run_id "
                    + "FROM tickets ORDER BY rowid")
            var rows: [[String]] = []
            while try query.step() { rows.append((0..<8).map { query.isNull($0) ? "-" : query.text($0) ?? "?" }) }
            return rows
        }
        XCTAssertEqual(try rows(), [["1", "New", "open", "-", "10", "-", "1", "r1"]])
        let summary = try warehouse.merge([ticket("Resolved", category: "resolved", resolvedAt: 20, updatedAt: 20)],
                                          into: "tickets", runID: "r2", loadTime: 2)
        XCTAssertEqual(summary, MergeSummary(updated: 1))
        XCTAssertEqual(try rows(), [
            ["1", "Resolved", "resolved", "20", "20", "-", "1", "r2"],  // the current row, revised in place
            ["2", "New", "open", "-", "10", "20", "0", "r1"],           // the replaced version, closed
        ])
        // Every index agrees with the table, and the current-only ones see the new values.
        XCTAssertEqual(try integrityCheck(warehouse.database), "ok")
        let resolved = try warehouse.database.prepare(
            "SELECT COUNT(*) FROM tickets INDEXED BY ix_tickets_current_status WHERE _is_current = 1 AND status_category = 'resolved'")
        XCTAssertTrue(try resolved.step())
        XCTAssertEqual(resolved.int64(0), 1)
        let history = try warehouse.database.prepare(
            "SELECT COUNT(*) FROM tickets INDEXED BY ix_tickets_status_created WHERE status_category = 'open' AND created_at = 5")
        XCTAssertTrue(try history.step())
        XCTAssertEqual(history.int64(0), 1, "the closed version stays in the index over all rows")
        // Replaying the change writes nothing.
        let replay = try warehouse.merge([ticket("Resolved", category: "resolved", resolvedAt: 20, updatedAt: 20)],
                                         into: "tickets", runID: "r3", loadTime: 3)
        XCTAssertEqual(replay, MergeSummary(unchanged: 1))
    }

    func testChangesKeepEveryUnchangedColumnPastTheCacheOfColumnSets() throws {
        // 300 changes, each to a different set of columns: past the 256 cached UPDATEs the
        // writer assigns every column, and must then bind every column too.
        let names = (0..<10).map { "c\($0)" }
        let wide = CanonicalTable(name: "wide", columns: [CanonicalColumn(name: "id", type: .string, nullable: false)]
                                    + names.map { CanonicalColumn(name: $0, type: .string) }
                                    + [CanonicalColumn(name: "updated_at", type: .timestamp)],
                                  keyColumns: ["id"], changeTimeColumn: "updated_at")
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self), tables: [wide])
        func record(_ n: Int, changing mask: Int, at time: Int64) -> CanonicalRecord {
            let values: [CanonicalValue] = [.string("k\(n)")] + (0..<10).map { .string(mask & (1 << $0) != 0 ? "new\(n)" : "old\(n)") }
                + [.timestamp(time)]
            return CanonicalRecord(values: values, sourceService: "connectwise", sourceID: "\(n)")
        }
        let keys = 1...300
        try warehouse.merge(keys.map { record($0, changing: 0, at: 10) }, into: "wide", runID: "r1", loadTime: 1)
        let changed = try warehouse.merge(keys.map { record($0, changing: $0, at: 20) }, into: "wide", runID: "r2", loadTime: 2)
        XCTAssertEqual(changed, MergeSummary(updated: 300))
        let query = try warehouse.database.prepare(
            "SELECT id, \(names.joined(separator: ", ")) FROM wide WHERE _is_current = 1 ORDER BY CAST(substr(id, 2) AS INTEGER)")
        var checked = 0
        while try query.step() {
            let n = checked + 1
            let expected = (0..<10).map { n & (1 << $0) != 0 ? "new\(n)" : "old\(n)" }
            XCTAssertEqual((1...10).map { query.text(Int32($0)) }, expected, "k\(n)")
            checked += 1
        }
        XCTAssertEqual(checked, 300)
        XCTAssertEqual(try warehouse.rowCount("wide"), 600, "one closed version per key")
    }

    /// An items warehouse holding "a" (open at 10) whose key index says `id` is current
    /// with `hash`, whatever SQLite holds.
    private func warehouseWithForgedIndexEntry(for id: String, hash: RowHash) throws -> (TenantWarehouse, TableWriter) {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self), tables: [itemsTable])
        try warehouse.merge([item("a", "open", at: 10)], into: "items", runID: "r1", loadTime: 1)
        let writer = try warehouse.writer(for: "items")
        writer.index.set(.current(hash), for: writer.keyFingerprint(item(id, "", at: nil).values))
        writer.index.commit()
        return (warehouse, writer)
    }

    func testAStaleIndexEntryIsSettledByTheRowHashInSQLite() throws {
        // The key index keeps 63 bits of each hash; a record it cannot decide goes to SQLite,
        // whose stored hash is whole. An unchanged record must stay unchanged there too.
        let (warehouse, _) = try warehouseWithForgedIndexEntry(for: "a", hash: RowHash(high: 99, low: 0))
        let again = try warehouse.merge([item("a", "open", at: 10)], into: "items", runID: "r2", loadTime: 2)
        XCTAssertEqual(again.unchanged, 1)
        XCTAssertEqual(again.updated, 0)
        XCTAssertEqual(try versions(warehouse, "a").count, 1)
        let changed = try warehouse.merge([item("a", "closed", at: 20)], into: "items", runID: "r3", loadTime: 3)
        XCTAssertEqual(changed.updated, 1)
        XCTAssertEqual(try versions(warehouse, "a").map(\.status), ["open", "closed"])
    }

    func testASlotAnsweringForAnotherKeyIsACollisionThatMakesTheIndexPartial() throws {
        // As if "ghost" shared a slot with another key: the index says current, SQLite has no row.
        let (warehouse, writer) = try warehouseWithForgedIndexEntry(for: "ghost", hash: RowHash(high: 77, low: 1))
        XCTAssertFalse(writer.index.isPartial)
        let summary = try warehouse.merge([item("ghost", "new", at: 20)], into: "items", runID: "r2", loadTime: 2)
        XCTAssertEqual(summary.inserted, 1, "SQLite's answer wins: the key is new")
        XCTAssertTrue(writer.index.isPartial)
        XCTAssertEqual(try versions(warehouse, "ghost").map(\.status), ["new"])
    }

    func testCompositeKeysAreComparedColumnByColumn() throws {
        let pairs = CanonicalTable(
            name: "pairs",
            columns: [CanonicalColumn(name: "a", type: .string, nullable: false),
                      CanonicalColumn(name: "b", type: .string, nullable: false),
                      CanonicalColumn(name: "v", type: .integer)],
            keyColumns: ["a", "b"])
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self), tables: [pairs])
        func row(_ a: String, _ b: String, _ v: Int64) -> CanonicalRecord {
            CanonicalRecord(values: [.string(a), .string(b), .integer(v)], sourceService: "s", sourceID: a + "/" + b)
        }
        let first = try warehouse.merge([row("a", "bc", 1), row("ab", "c", 2)], into: "pairs", runID: "r", loadTime: 10)
        XCTAssertEqual(first, MergeSummary(inserted: 2))
        let second = try warehouse.merge([row("ab", "c", 3)], into: "pairs", runID: "r", loadTime: 20)
        XCTAssertEqual(second, MergeSummary(updated: 1))
        XCTAssertEqual(try warehouse.history(of: CanonicalKey([.string("a"), .string("bc")]), in: "pairs").map(\.values[2]),
                       [.integer(1)])
        XCTAssertEqual(try warehouse.history(of: CanonicalKey([.string("ab"), .string("c")]), in: "pairs").map(\.values[2]),
                       [.integer(2), .integer(3)])
    }

    func testTypedCompositeKeysSurviveReopening() throws {
        // The key index is rebuilt from SQLite columns; it must fingerprint them exactly as
        // the merge fingerprints CanonicalValues, for every key type.
        let typed = CanonicalTable(
            name: "typed",
            columns: [CanonicalColumn(name: "n", type: .integer, nullable: false),
                      CanonicalColumn(name: "d", type: .date, nullable: false),
                      CanonicalColumn(name: "x", type: .decimal, nullable: false),
                      CanonicalColumn(name: "b", type: .boolean, nullable: false),
                      CanonicalColumn(name: "t", type: .timestamp, nullable: false),
                      CanonicalColumn(name: "s", type: .string, nullable: false),
                      CanonicalColumn(name: "v", type: .string)],
            keyColumns: ["n", "d", "x", "b", "t", "s"])
        let path = try makeWarehousePath(self)
        let record = CanonicalRecord(
            values: [.integer(-7), .date(19_000), .decimal("1.5"), .boolean(true), .timestamp(42), .string("é"), .string("")],
            sourceService: "s", sourceID: "1")
        do {
            let warehouse = try TenantWarehouse(path: path, tables: [typed])
            XCTAssertEqual(try warehouse.merge([record], into: "typed", runID: "r", loadTime: 1), MergeSummary(inserted: 1))
        }
        let warehouse = try TenantWarehouse(path: path, tables: [typed])
        XCTAssertEqual(try warehouse.merge([record], into: "typed", runID: "r", loadTime: 2), MergeSummary(unchanged: 1))
        XCTAssertEqual(try warehouse.history(of: CanonicalKey(Array(record.values.prefix(6))), in: "typed").map(\.values),
                       [record.values])
    }

    func testAFailureMidBatchLeavesTheWarehouseAsBeforeTheBatch() throws {
        struct InjectedCrash: Error {}
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self), tables: [itemsTable])
        try warehouse.merge([item("cw:1", "Open", at: 10), item("cw:2", "Open", at: 10)], into: "items", runID: "r1",
                            loadTime: 100)
        let batch = [item("cw:1", "Closed", at: 20), itemDeleted("cw:2", at: 20), item("cw:3", "New", at: 20)]
        warehouse.afterRecordHook = { position in if position == 2 { throw InjectedCrash() } }
        XCTAssertThrowsError(try warehouse.merge(batch, into: "items", runID: "r2", loadTime: 200)) {
            XCTAssertTrue($0 is InjectedCrash)
        }
        warehouse.afterRecordHook = nil
        XCTAssertEqual(try warehouse.rowCount("items"), 2)
        XCTAssertEqual(try versions(warehouse, "cw:1").map(\.status), ["Open"])
        XCTAssertEqual(try versions(warehouse, "cw:2").map(\.to), [nil])
        // The in-memory index rolled back too: retrying the batch applies all of it.
        let retry = try warehouse.merge(batch, into: "items", runID: "r2", loadTime: 200)
        XCTAssertEqual(retry, MergeSummary(inserted: 1, updated: 1, deleted: 1))
    }

    func testAnInterruptedTransactionIsNotVisibleAfterReopening() throws {
        let path = try makeWarehousePath(self)
        do {
            let warehouse = try TenantWarehouse(path: path, tables: [itemsTable])
            try warehouse.merge([item("cw:1", "Open", at: 10)], into: "items", runID: "r1", loadTime: 100)
            // A write left uncommitted when the connection goes away, as in a killed process.
            try warehouse.database.execute("BEGIN IMMEDIATE")
            try warehouse.database.execute("UPDATE items SET status = 'Torn'")
        }
        let reopened = try TenantWarehouse(path: path, tables: [itemsTable])
        XCTAssertEqual(try versions(reopened, "cw:1").map(\.status), ["Open"])
    }

    func testInvalidRecordsAreRefusedBeforeAnythingIsWritten() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self), tables: [itemsTable])
        let wrongType = CanonicalRecord(values: [.string("cw:9"), .integer(1), .null], sourceService: "s", sourceID: "9")
        let nullKey = CanonicalRecord(values: [.null, .string("x"), .null], sourceService: "s", sourceID: "9")
        let short = CanonicalRecord(values: [.string("cw:9")], sourceService: "s", sourceID: "9")
        for bad in [wrongType, nullKey, short] {
            XCTAssertThrowsError(try warehouse.merge([item("cw:1", "Open", at: 1), bad], into: "items", runID: "r", loadTime: 1)) {
                guard case .invalidRecord(_, let index, _, _)? = $0 as? WarehouseError else { return XCTFail("\($0)") }
                XCTAssertEqual(index, 1)
            }
        }
        XCTAssertEqual(try warehouse.rowCount("items"), 0)
        XCTAssertThrowsError(try warehouse.merge([], into: "nope", runID: "r", loadTime: 1)) {
            XCTAssertEqual($0 as? WarehouseError, .unknownTable("nope"))
        }
    }

    func testCloseMissingClosesOnlyUnseenRowsOfThatService() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self), tables: [itemsTable])
        var other = item("sn:1", "Open", at: 10)
        other.sourceService = "servicenow"
        try warehouse.merge([item("cw:1", "Open", at: 10), item("cw:2", "Open", at: 10), item("cw:3", "Open", at: 500), other],
                            into: "items", runID: "r1", loadTime: 100)
        let seen: Set<CanonicalKey> = [CanonicalKey("cw:1")]
        let summary = try warehouse.closeMissing(table: "items", service: "connectwise", seenKeys: seen, at: 200)
        XCTAssertEqual(summary, MergeSummary(unchanged: 1, deleted: 1, ignoredOutOfOrder: 1))
        XCTAssertEqual(try versions(warehouse, "cw:2").map(\.to), [200])
        XCTAssertEqual(try versions(warehouse, "cw:3").map(\.to), [nil])  // changed after the sync began
        XCTAssertEqual(try versions(warehouse, "sn:1").map(\.to), [nil])
        // Idempotent, and the key index knows cw:2 is deleted.
        XCTAssertEqual(try warehouse.closeMissing(table: "items", service: "connectwise", seenKeys: seen, at: 200),
                       MergeSummary(unchanged: 1, ignoredOutOfOrder: 1))
        XCTAssertEqual(try warehouse.merge([item("cw:2", "Open", at: 10)], into: "items", runID: "r2", loadTime: 300),
                       MergeSummary(ignoredOutOfOrder: 1))
        XCTAssertEqual(try warehouse.merge([item("cw:2", "Open", at: 250)], into: "items", runID: "r3", loadTime: 300),
                       MergeSummary(inserted: 1))
        XCTAssertEqual(try versions(warehouse, "cw:2").map(\.from), [10, 250])
    }

    /// A source without delete events had the key closed by a full sync that missed the
    /// record; fetched again after that close, unchanged, the record reopens the key from the
    /// close, and a version changed after the close (stamped before the fetch: a lagging
    /// source) still replaces it. A page fetched before the close stays ignored, and a
    /// source's own delete events are never undone by an older version.
    func testARecordAFullSyncMissedReopensWhenFetchedAgainAfterTheClose() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self), tables: [itemsTable])
        var missed = item("cw:2", "Open", at: 10)
        missed.sourceReportsDeletions = false
        try warehouse.merge([item("cw:1", "Open", at: 10), missed], into: "items", runID: "r1", loadTime: 100)
        XCTAssertEqual(try warehouse.closeMissing(table: "items", service: "connectwise", seenKeys: [CanonicalKey("cw:1")], at: 200),
                       MergeSummary(unchanged: 1, deleted: 1))
        XCTAssertEqual(try warehouse.merge([missed], into: "items", runID: "r1", loadTime: 150), MergeSummary(ignoredOutOfOrder: 1),
                       "fetched before the close")
        XCTAssertEqual(try warehouse.merge([missed], into: "items", runID: "r3", loadTime: 300), MergeSummary(inserted: 1))
        XCTAssertEqual(try versions(warehouse, "cw:2").map(\.from), [10, 200])
        XCTAssertEqual(try versions(warehouse, "cw:2").map(\.to), [200, nil])
        XCTAssertEqual(try warehouse.merge([missed], into: "items", runID: "r3", loadTime: 300), MergeSummary(unchanged: 1), "replayed")
        var edited = item("cw:2", "Closed", at: 250)
        edited.sourceReportsDeletions = false
        XCTAssertEqual(try warehouse.merge([edited], into: "items", runID: "r3", loadTime: 300), MergeSummary(updated: 1),
                       "changed after the close, before the fetch")
        XCTAssertEqual(try versions(warehouse, "cw:2").map(\.from), [10, 200, 250])
        // A source that reports deletions: its delete stands against an older version.
        try warehouse.merge([item("cw:3", "Open", at: 10), itemDeleted("cw:3", at: 30)], into: "items", runID: "r4", loadTime: 400)
        XCTAssertEqual(try warehouse.merge([item("cw:3", "Open", at: 20)], into: "items", runID: "r5", loadTime: 500),
                       MergeSummary(ignoredOutOfOrder: 1))
    }

    func testCloseMissingWhenEveryRowWasSeenClosesNothingAndCountsThemAll() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self), tables: [itemsTable])
        try warehouse.merge((1...5).map { item("cw:\($0)", "Open", at: 10) }, into: "items", runID: "r1", loadTime: 100)
        let all = Set((1...5).map { CanonicalKey("cw:\($0)") })
        XCTAssertEqual(try warehouse.closeMissing(table: "items", service: "connectwise", seenKeys: all, at: 200),
                       MergeSummary(unchanged: 5))
        XCTAssertEqual(try warehouse.rowCount("items", currentOnly: true), 5)
    }

    func testCloseMissingIsNotFooledByASeenKeyThatWasDeletedInTheSameRun() throws {
        // Seen: cw:1 (current) and cw:2 (deleted by a delta in the run). Unseen: cw:3. As many
        // seen keys as current rows, but cw:3 is still missing and must be closed.
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self), tables: [itemsTable])
        try warehouse.merge([item("cw:1", "Open", at: 10), item("cw:2", "Open", at: 10), item("cw:3", "Open", at: 10),
                             itemDeleted("cw:2", at: 20)], into: "items", runID: "r1", loadTime: 100)
        let seen: Set<CanonicalKey> = [CanonicalKey("cw:1"), CanonicalKey("cw:2")]
        let summary = try warehouse.closeMissing(table: "items", service: "connectwise", seenKeys: seen, at: 200)
        XCTAssertEqual(summary, MergeSummary(unchanged: 1, deleted: 1))
        XCTAssertEqual(try versions(warehouse, "cw:3").map(\.to), [200])
    }

    func testCloseMissingWithSeenKeysSpilledToDiskClosesTheSameRows() throws {
        let scratch = TestPaths.makeTemporaryDirectory("close-spilled")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        // 2,000 keys, every 4th unseen; every 50th changed after the sync's snapshot (20 of them unseen).
        let records = (0..<2_000).map { item("cw:\($0)", "Open", at: $0 % 50 == 0 ? 500 : 10) }
        let seenKeys = (0..<2_000).filter { $0 % 4 != 0 }.map { RowHash.ofKey([.string("cw:\($0)")]) }
        var inMemory = SeenKeySet(), spilled = SeenKeySet(memoryLimit: 100)
        for key in seenKeys {
            inMemory.insert(key)
            spilled.insert(key)
            if spilled.needsSpill { try spilled.spill(into: scratch) }
        }
        XCTAssertGreaterThan(spilled.shardGroups().count, 10, "many groups, one scan each")
        var results: [(MergeSummary, [Int64?], MergeSummary)] = []
        for seen in [inMemory, spilled] {
            let warehouse = try TenantWarehouse(path: try makeWarehousePath(self), tables: [itemsTable])
            try warehouse.merge(records, into: "items", runID: "r1", loadTime: 100)
            let summary = try warehouse.closeMissing(table: "items", service: "connectwise", seenKeyFingerprints: seen, at: 200)
            let ends = try (0..<2_000).map { try versions(warehouse, "cw:\($0)").last?.to ?? -1 }
            // Everything left current was seen or is newer: a second pass closes nothing.
            results.append((summary, ends, try warehouse.closeMissing(table: "items", service: "connectwise", seenKeyFingerprints: seen,
                                                                      at: 200)))
        }
        XCTAssertEqual(results[0].0, MergeSummary(unchanged: 1_500, deleted: 480, ignoredOutOfOrder: 20))
        XCTAssertEqual(results[1].0, results[0].0)
        XCTAssertEqual(results[1].1, results[0].1, "the same rows closed")
        XCTAssertEqual(results[1].2, results[0].2)
        XCTAssertEqual(results[1].2, MergeSummary(unchanged: 1_500, ignoredOutOfOrder: 20))
    }

    func testCurrentViewShowsOneRowPerLiveKeyWithTypedColumns() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self))
        var entry = [CanonicalValue](repeating: .null, count: CanonicalTable.timeEntries.columns.count)
        entry[0] = .string("connectwise:7")
        entry[CanonicalTable.timeEntries.columnIndex("hours")!] = .decimal("1.25")
        entry[CanonicalTable.timeEntries.columnIndex("billable")!] = .boolean(true)
        entry[CanonicalTable.timeEntries.columnIndex("updated_at")!] = .timestamp(1_700_000_000_000_000)
        try warehouse.merge([CanonicalRecord(values: entry, sourceService: "connectwise", sourceID: "7")],
                            into: "time_entries", runID: "r1", loadTime: 1)
        try warehouse.merge([ticket(1, status: "New", updatedAt: 1), ticket(1, status: "Done", updatedAt: 2),
                             ticket(2, status: "New", updatedAt: 1)], into: "tickets", runID: "r1", loadTime: 5)
        let query = try warehouse.database.prepare(
            "SELECT hours, billable, updated_at, _valid_from FROM current_time_entries WHERE id = ?1")
        try query.bind("connectwise:7", at: 1)
        XCTAssertTrue(try query.step())
        XCTAssertEqual(query.text(0), "1.25")
        XCTAssertEqual(query.int64(1), 1)
        XCTAssertEqual(query.int64(2), 1_700_000_000_000_000)
        XCTAssertEqual(query.int64(3), 1_700_000_000_000_000)
        let tickets = try warehouse.database.prepare("SELECT id, status FROM current_tickets ORDER BY id")
        var rows: [String] = []
        while try tickets.step() { rows.append("\(tickets.text(0)!)=\(tickets.text(1)!)") }
        XCTAssertEqual(rows, ["connectwise:1=Done", "connectwise:2=New"])
        XCTAssertEqual(try warehouse.rowCount("tickets"), 3)
        XCTAssertEqual(try warehouse.history(of: CanonicalKey("connectwise:7"), in: "time_entries").first?.values,
                       entry)
    }
}
