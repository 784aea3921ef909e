@testable import AvesaHost
import Foundation
import XCTest

/// The statements `ControlStore` keeps compiled behave like fresh ones.
final class ControlStatementCacheTests: XCTestCase {
    private let acme = try! TenantID("acme")

    private func makeStore(_ directory: String) throws -> ControlStore {
        try ControlStore(dataDirectory: directory)
    }

    func testAParameterLeftUnboundOnReuseIsNullNotTheLastCallsValue() throws {
        let store = try makeStore(makeDataDirectory())
        try store.addTenant(acme, name: "Acme")
        try store.addService(tenant: acme, service: "connectwise", enabledTables: nil, rateLimitOverride: nil,
                             credentials: [:], vault: ControlTestSupport.vault())
        let run = try store.createRun()
        let chunk = try store.createChunk(runID: run, tenant: acme, service: "connectwise", table: "service/tickets",
                                          since: "2026-01-01", until: "2026-02-01")
        try store.updateChunk(chunk.id, status: .failed, resumeCursor: "page=3", records: 200, error: "HTTP 500")
        try store.updateChunk(chunk.id, status: .done, records: 250)
        let stored = try XCTUnwrap(try store.chunk(chunk.id))
        XCTAssertEqual(stored.status, .done)
        XCTAssertNil(stored.resumeCursor, "not the cursor bound by the previous call")
        XCTAssertNil(stored.error)
        let open = try store.createChunk(runID: run, tenant: acme, service: "connectwise", table: "service/tickets",
                                         since: nil, until: nil)
        XCTAssertNil(try store.chunk(open.id)?.since, "not the previous chunk's range")
    }

    func testAReadLeavesNoSnapshotOpenForTheNextWrite() throws {
        let directory = makeDataDirectory()
        let store = try makeStore(directory), other = try makeStore(directory)
        try store.addTenant(acme, name: "Acme")
        try store.addService(tenant: acme, service: "connectwise", enabledTables: nil, rateLimitOverride: nil,
                             credentials: [:], vault: ControlTestSupport.vault())
        try store.setWatermark("a", tenant: acme, service: "connectwise", table: "t")
        XCTAssertEqual(try store.watermark(tenant: acme, service: "connectwise", table: "t"), "a")
        // Another connection writes; a read left open on `store` would now fail its write
        // with SQLITE_BUSY_SNAPSHOT.
        try other.setWatermark("b", tenant: acme, service: "connectwise", table: "t")
        try store.setWatermark("c", tenant: acme, service: "connectwise", table: "t")
        XCTAssertEqual(try other.watermark(tenant: acme, service: "connectwise", table: "t"), "c")
        XCTAssertTrue(store.database.isAutocommit)
    }
}
