@testable import AvesaHost
import Foundation
import XCTest

/// Cached API results follow the warehouse: a merge, a close of missing rows or a file
/// replaced by `retransform` shows in the next response; pooled connections are reused.
final class WarehouseReadFreshnessTests: XCTestCase {
    private func newTicket(_ n: String, created: String) -> CanonicalRecord {
        canonical(.tickets, ["id": .string("connectwise:\(n)"), "company_id": .string("connectwise:100"),
                             "summary": .string("New \(n)"), "status": .string("New"), "status_category": .string("open"),
                             "priority": .string("P3"), "created_at": ts(created), "updated_at": ts(created)])
    }

    func testDashboardListAndTotalsShowAMergeMadeAfterTheyWereCached() async throws {
        let f = try APIFixture(self)
        let token = try f.acmeViewer
        let dashboard = try await f.get("/api/analytics/dashboard", token: token)
        XCTAssertEqual(dashboard.body?["kpis"]?["tickets_created"]?.int64, 4)
        let answer1 = try await f.get("/api/tickets", token: token)
        XCTAssertEqual(answer1.body?["pagination"]?["total"]?.int64, 6)
        let answer2 = try await f.get("/api/companies/connectwise:100", token: token)
        XCTAssertEqual(answer2.data?["totals"]?["tickets"]?.int64, 3)
        // Cached: the same answers again.
        let again = try await f.get("/api/analytics/dashboard", token: token)
        XCTAssertEqual(again.raw, dashboard.raw)
        XCTAssertGreaterThan(f.context.warehouseResults.hits, 0)

        let warehouse = try TenantWarehouse(path: try f.context.layout.warehouse("acme"))
        try warehouse.merge([newTicket("7", created: "2026-03-30T10:00:00Z")], into: "tickets", runID: "later",
                            loadTime: f.clock.now)

        let answer3 = try await f.get("/api/analytics/dashboard", token: token)
        XCTAssertEqual(answer3.body?["kpis"]?["tickets_created"]?.int64, 5)
        let answer4 = try await f.get("/api/analytics/dashboard", token: token)
        XCTAssertEqual(answer4.body?["kpis"]?["tickets_open_now"]?.int64, 4)
        let list = try await f.get("/api/tickets", token: token)
        XCTAssertEqual(list.body?["pagination"]?["total"]?.int64, 7)
        XCTAssertEqual(list.ids.first, "connectwise:7")
        let answer5 = try await f.get("/api/companies/connectwise:100", token: token)
        XCTAssertEqual(answer5.data?["totals"]?["tickets"]?.int64, 4)

        // A no-op merge keeps the snapshot: the next request is a hit.
        let hits = f.context.warehouseResults.hits
        try warehouse.merge([newTicket("7", created: "2026-03-30T10:00:00Z")], into: "tickets", runID: "again",
                            loadTime: f.clock.now)
        _ = try await f.get("/api/analytics/dashboard", token: token)
        XCTAssertEqual(f.context.warehouseResults.hits, hits + 1)
    }

    func testClosingMissingRowsInvalidatesCachedTotals() async throws {
        let f = try APIFixture(self)
        let token = try f.acmeViewer
        let before = try await f.get("/api/tickets?source_service=servicenow", token: token)
        XCTAssertEqual(before.body?["pagination"]?["total"]?.int64, 1)
        let warehouse = try TenantWarehouse(path: try f.context.layout.warehouse("acme"))
        let summary = try warehouse.closeMissing(table: "tickets", service: "servicenow", seenKeys: [], at: f.clock.now)
        XCTAssertEqual(summary.deleted, 1)
        let after = try await f.get("/api/tickets?source_service=servicenow", token: token)
        XCTAssertEqual(after.body?["pagination"]?["total"]?.int64, 0)
    }

    func testAWarehouseFileReplacedUnderPooledConnectionsIsReadAfresh() async throws {
        let f = try APIFixture(self)
        let token = try f.acmeViewer
        let answer6 = try await f.get("/api/tickets", token: token)
        XCTAssertEqual(answer6.body?["pagination"]?["total"]?.int64, 6)
        XCTAssertEqual(f.context.warehouseReaders.idleCount, 1, "the connection is kept for the next request")
        _ = try await f.get("/api/tickets", token: token)
        XCTAssertEqual(f.context.warehouseReaders.idleCount, 1, "and reused, not multiplied")

        // What `retransform` does: build a new file beside it and rename it over the old one.
        let path = try f.context.layout.warehouse("acme")
        let rebuilt = path + ".rebuild"
        let warehouse = try TenantWarehouse(path: rebuilt)
        try warehouse.merge([newTicket("1", created: "2026-03-01T10:00:00Z")], into: "tickets", runID: "rebuild",
                            loadTime: f.clock.now)
        try warehouse.database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for suffix in ["-wal", "-shm"] { unlink(path + suffix) }
        XCTAssertEqual(rename(rebuilt, path), 0)

        let list = try await f.get("/api/tickets", token: token)
        XCTAssertEqual(list.body?["pagination"]?["total"]?.int64, 1)
        XCTAssertEqual(list.ids, ["connectwise:1"])
    }

    func testARemovedWarehouseReadsEmptyAndItsPooledConnectionsAreClosed() async throws {
        let f = try APIFixture(self)
        let token = try f.acmeViewer
        let answer = try await f.get("/api/tickets", token: token)
        XCTAssertEqual(answer.body?["pagination"]?["total"]?.int64, 6)
        XCTAssertEqual(f.context.warehouseReaders.idleCount, 1)
        let path = try f.context.layout.warehouse("acme")
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        let after = try await f.get("/api/tickets", token: token)
        XCTAssertEqual(after.status, 200)
        XCTAssertEqual(after.body?["pagination"]?["total"]?.int64, 0, "an empty warehouse, not the deleted file's rows")
        XCTAssertEqual(f.context.warehouseReaders.idleCount, 0)
    }
}
