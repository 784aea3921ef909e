import XCTest
@testable import AvesaHost

/// A large first load into empty tables, or a run that writes (or announces) a large share
/// of a table, drops their analytics indexes past a bar (the threshold, and that share of a
/// table that held rows) and rebuilds them when the table's load ends; small loads keep them;
/// the key constraint stays on throughout, and a crash in between loses nothing.
final class WarehouseBulkLoadTests: XCTestCase {

    private func tickets(_ range: ClosedRange<Int>, status: String = "New", updatedLater: Int64 = 0) -> [CanonicalRecord] {
        range.map { n in
            canonical(.tickets, ["id": .string("connectwise:\(n)"), "summary": .string("Ticket \(n)"), "status": .string(status),
                                 "status_category": .string("open"), "company_id": .string("connectwise:c\(n % 3)"),
                                 "created_at": .timestamp(Int64(n) * 1_000_000), "updated_at": .timestamp(Int64(n) * 1_000_000 + updatedLater)])
        }
    }

    func testAFirstLoadDefersAnalyticsIndexesPastTheThresholdAndBuildsThemAtTheEnd() throws {
        let path = try makeWarehousePath(self)
        let warehouse = try TenantWarehouse(path: path)
        XCTAssertEqual(try schemaNames(warehouse.database, type: "index", table: "tickets"), allTicketIndexes)
        let eligible = try warehouse.beginBulkLoad(threshold: 30)
        XCTAssertEqual(Set(eligible), ["companies", "contacts", "tickets", "time_entries"])
        try warehouse.merge(tickets(1...20), into: "tickets", runID: "r1", loadTime: 1)
        XCTAssertEqual(try schemaNames(warehouse.database, type: "index", table: "tickets"), allTicketIndexes, "20 rows: below the threshold")
        try warehouse.merge(tickets(21...50), into: "tickets", runID: "r1", loadTime: 1)
        XCTAssertEqual(try schemaNames(warehouse.database, type: "index", table: "tickets"), ["ux_tickets_current"],
                       "past the threshold only the current-key constraint stays")
        XCTAssertEqual(warehouse.tablesWithDeferredIndexes, ["tickets"])
        try warehouse.merge(tickets(51...80), into: "tickets", runID: "r1", loadTime: 1)
        XCTAssertThrowsError(try warehouse.database.execute(
            "INSERT INTO tickets (id, source_service, source_id, _valid_from, _is_current, _row_hash, _run_id) "
                + "VALUES ('connectwise:1', 'connectwise', '1', 5, 1, x'00', 'forged')"), "one current row per key, even mid-load")
        try warehouse.endBulkLoad()
        XCTAssertEqual(try schemaNames(warehouse.database, type: "index", table: "tickets"), allTicketIndexes)
        XCTAssertTrue(warehouse.tablesWithDeferredIndexes.isEmpty)
        XCTAssertEqual(try warehouse.rowCount("tickets"), 80)
        let cache = try warehouse.database.prepare("PRAGMA cache_size")
        XCTAssertTrue(try cache.step())
        XCTAssertEqual(cache.int64(0), -Int64(TenantWarehouse.defaultOptions.cacheSizeKiB ?? 0),
                       "the page cache is back to its size after the index builds")
        cache.reset()
        XCTAssertEqual(try integrityCheck(warehouse.database), "ok")
        let plan = try warehouse.database.prepare(
            "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM tickets WHERE _is_current = 1 AND status_category = 'open'")
        XCTAssertTrue(try plan.step())
        XCTAssertTrue((plan.text(3) ?? "").contains("ix_tickets_current_status"), plan.text(3) ?? "")
    }

    func testOneTableCanEndItsBulkLoadWhileAnotherGoesOn() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self))
        try warehouse.beginBulkLoad(threshold: 5)
        try warehouse.merge(tickets(1...10), into: "tickets", runID: "r1", loadTime: 1)
        let entries = (1...10).map { n in
            canonical(.timeEntries, ["id": .string("connectwise:t\(n)"), "ticket_id": .string("connectwise:\(n)"),
                                     "started_at": .timestamp(Int64(n) * 1_000_000), "hours": .decimal("1.5")])
        }
        try warehouse.merge(entries, into: "time_entries", runID: "r1", loadTime: 1)
        XCTAssertEqual(warehouse.tablesWithDeferredIndexes, ["tickets", "time_entries"])
        try warehouse.endBulkLoad(table: "tickets")
        XCTAssertEqual(try schemaNames(warehouse.database, type: "index", table: "tickets"), allTicketIndexes)
        XCTAssertEqual(warehouse.tablesWithDeferredIndexes, ["time_entries"], "the other table stays deferred")
        // Later rows of the ended table maintain its indexes: it never drops them again.
        try warehouse.merge(tickets(11...30), into: "tickets", runID: "r1", loadTime: 1)
        XCTAssertEqual(try schemaNames(warehouse.database, type: "index", table: "tickets"), allTicketIndexes)
        try warehouse.endBulkLoad()
        XCTAssertTrue(warehouse.tablesWithDeferredIndexes.isEmpty)
        XCTAssertEqual(try schemaNames(warehouse.database, type: "index", table: "time_entries").count,
                       1 + CanonicalTable.timeEntries.storedIndexes.count)
        XCTAssertEqual(try integrityCheck(warehouse.database), "ok")
    }

    func testASmallLoadKeepsItsIndexes() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self))
        try warehouse.beginBulkLoad()
        try warehouse.merge(tickets(1...999), into: "tickets", runID: "r1", loadTime: 1)
        XCTAssertTrue(warehouse.tablesWithDeferredIndexes.isEmpty)
        XCTAssertEqual(try schemaNames(warehouse.database, type: "index", table: "tickets"), allTicketIndexes)
        try warehouse.endBulkLoad()
    }

    func testATableWithRowsKeepsItsIndexesWhenARunWritesLittleOfIt() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self))
        try warehouse.merge(tickets(1...100), into: "tickets", runID: "r1", loadTime: 1)
        let empty = try warehouse.beginBulkLoad(threshold: 1, share: 0.5)
        XCTAssertFalse(empty.contains("tickets"))
        try warehouse.merge(tickets(1...30, status: "Closed", updatedLater: 60_000_000), into: "tickets", runID: "r2", loadTime: 2)
        try warehouse.merge(tickets(101...119), into: "tickets", runID: "r2", loadTime: 2)
        XCTAssertEqual(try schemaNames(warehouse.database, type: "index", table: "tickets"), allTicketIndexes,
                       "49 rows written: below half of 100")
        try warehouse.endBulkLoad()
        XCTAssertEqual(try warehouse.rowCount("tickets"), 149, "100 + 30 new versions + 19 new keys")
    }

    func testATableWithRowsDefersItsIndexesWhenARunRewritesALargeShareOfIt() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self))
        try warehouse.merge(tickets(1...100), into: "tickets", runID: "r1", loadTime: 1)
        try warehouse.beginBulkLoad(threshold: 1, share: 0.5)
        try warehouse.merge(tickets(1...40, status: "Closed", updatedLater: 60_000_000), into: "tickets", runID: "r2", loadTime: 2)
        XCTAssertEqual(try schemaNames(warehouse.database, type: "index", table: "tickets"), allTicketIndexes)
        try warehouse.merge(tickets(101...110), into: "tickets", runID: "r2", loadTime: 2)
        XCTAssertEqual(warehouse.tablesWithDeferredIndexes, ["tickets"], "50 rows written: half of the table")
        XCTAssertGreaterThan(currentTicketIndexes.count, 1, "the current-only indexes stay for the dashboards")
        XCTAssertEqual(try schemaNames(warehouse.database, type: "index", table: "tickets"), currentTicketIndexes)
        // Changes go on without the indexes over all rows; the key constraint holds throughout.
        try warehouse.merge(tickets(41...100, status: "Closed", updatedLater: 60_000_000), into: "tickets", runID: "r2", loadTime: 2)
        XCTAssertEqual(try warehouse.merge(tickets(1...10, status: "Closed", updatedLater: 60_000_000), into: "tickets", runID: "r2",
                                           loadTime: 2), MergeSummary(unchanged: 10), "unchanged records still write nothing")
        try warehouse.endBulkLoad()
        XCTAssertEqual(try schemaNames(warehouse.database, type: "index", table: "tickets"), allTicketIndexes)
        XCTAssertEqual(try warehouse.rowCount("tickets"), 210, "100 + 100 new versions + 10 new keys")
        XCTAssertEqual(try warehouse.rowCount("tickets", currentOnly: true), 110)
        XCTAssertEqual(try integrityCheck(warehouse.database), "ok")
    }

    func testAnAnnouncedLargeRewriteDropsTheIndexesBeforeAnyWrite() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self))
        try warehouse.merge(tickets(1...100), into: "tickets", runID: "r1", loadTime: 1)
        try warehouse.beginBulkLoad(threshold: 1, share: 0.9, expectedShare: 0.5)
        XCTAssertGreaterThanOrEqual(try warehouse.rowCountUpperBound("tickets"), 100)
        XCTAssertEqual(try warehouse.rowCountUpperBound("contacts"), 0)
        warehouse.expectWrites(20, into: "tickets")
        XCTAssertEqual(try schemaNames(warehouse.database, type: "index", table: "tickets"), allTicketIndexes, "20 of a bar of 50")
        warehouse.expectWrites(30, into: "tickets")  // a second sync feeding the same table
        XCTAssertEqual(warehouse.tablesWithDeferredIndexes, ["tickets"], "dropped before the first write")
        XCTAssertEqual(try schemaNames(warehouse.database, type: "index", table: "tickets"), currentTicketIndexes)
        try warehouse.merge(tickets(1...50, status: "Closed", updatedLater: 60_000_000), into: "tickets", runID: "r2", loadTime: 2)
        try warehouse.endBulkLoad(table: "tickets")
        XCTAssertEqual(try schemaNames(warehouse.database, type: "index", table: "tickets"), allTicketIndexes)
        warehouse.expectWrites(1_000, into: "tickets")
        XCTAssertEqual(try schemaNames(warehouse.database, type: "index", table: "tickets"), allTicketIndexes,
                       "a table whose load ended keeps its indexes")
        XCTAssertEqual(try warehouse.rowCount("tickets"), 150)
        XCTAssertEqual(try integrityCheck(warehouse.database), "ok")
    }

    func testAWarehouseLeftMidLoadGetsItsIndexesBackWhenOpened() throws {
        let path = try makeWarehousePath(self)
        do {
            let crashed = try TenantWarehouse(path: path)
            try crashed.beginBulkLoad(threshold: 10)
            try crashed.merge(tickets(1...20), into: "tickets", runID: "r1", loadTime: 1)
            XCTAssertEqual(crashed.tablesWithDeferredIndexes, ["tickets"])
            // No endBulkLoad: the run died here.
        }
        let reopened = try TenantWarehouse(path: path)
        XCTAssertEqual(try schemaNames(reopened.database, type: "index", table: "tickets"), allTicketIndexes)
        XCTAssertEqual(try reopened.rowCount("tickets", currentOnly: true), 20)
        XCTAssertEqual(try reopened.beginBulkLoad().contains("tickets"), false)
    }
}
