@testable import AvesaHost
import XCTest

/// Tenants and tenant services in the control database.
final class TenantStoreTests: XCTestCase {
    func testTenantsAreAddedListedAndRemoved() throws {
        let store = try ControlStore(dataDirectory: makeDataDirectory())
        try store.addTenant(tenantID("zeta"), name: "Zeta")
        try store.addTenant(tenantID("acme"), name: "Acme Corp")
        XCTAssertEqual(try store.tenants().map(\.id.rawValue), ["acme", "zeta"])
        XCTAssertThrowsError(try store.addTenant(tenantID("acme"), name: "Again")) {
            XCTAssertEqual($0 as? ControlError, .duplicateTenant("acme"))
        }
        try store.removeTenant(tenantID("acme"))
        XCTAssertEqual(try store.tenants().map(\.id.rawValue), ["zeta"])
        XCTAssertThrowsError(try store.removeTenant(tenantID("acme"))) {
            XCTAssertEqual($0 as? ControlError, .unknownTenant("acme"))
        }
    }

    /// A new store with tenant `acme` and its `connectwise` service.
    private func storeWithAcmeService() throws -> (ControlStore, TenantID) {
        let store = try ControlStore(dataDirectory: makeDataDirectory())
        let acme = tenantID("acme")
        try store.addTenant(acme, name: "Acme")
        try store.addService(tenant: acme, service: "connectwise", enabledTables: nil, rateLimitOverride: nil,
                             credentials: ["private_key": "s3cret"], vault: ControlTestSupport.vault())
        return (store, acme)
    }

    func testRemovingATenantCascadesToItsRows() throws {
        let (store, acme) = try storeWithAcmeService()
        try store.setWatermark("2026-01-01", tenant: acme, service: "connectwise", table: "service/tickets")
        let run = try store.createRun()
        _ = try store.createChunk(runID: run, tenant: acme, service: "connectwise", table: "t", since: nil, until: nil)
        _ = try store.acquireLock(tenant: acme)
        try store.removeTenant(acme)
        for table in ["tenant_services", "credentials", "watermarks", "chunks", "run_locks"] {
            let count = try store.database.prepare("SELECT COUNT(*) FROM \(table)")
            _ = try count.step()
            XCTAssertEqual(count.int64(0), 0, table)
        }
    }

    func testServicesStoreTablesRateLimitAndFieldNamesOnly() throws {
        let store = try ControlStore(dataDirectory: makeDataDirectory())
        let acme = tenantID("acme")
        try store.addTenant(acme, name: "Acme")
        try store.addService(tenant: acme, service: "connectwise", enabledTables: ["service/tickets", "company/companies"],
                             rateLimitOverride: "2/s,burst=4", credentials: ["private_key": "s3cret", "company_id": "acme"],
                             vault: ControlTestSupport.vault())
        let service = try XCTUnwrap(try store.service(tenant: acme, service: "connectwise"))
        XCTAssertEqual(service.enabledTables, ["service/tickets", "company/companies"])
        XCTAssertEqual(service.rateLimitOverride, "2/s,burst=4")
        XCTAssertEqual(service.credentialFields, ["company_id", "private_key"])
        XCTAssertThrowsError(try store.addService(tenant: acme, service: "connectwise", enabledTables: nil,
                                                  rateLimitOverride: nil, credentials: [:], vault: ControlTestSupport.vault())) {
            XCTAssertEqual($0 as? ControlError, .duplicateTenantService(tenant: "acme", service: "connectwise"))
        }
        try store.removeService(tenant: acme, service: "connectwise")
        XCTAssertEqual(try store.services(tenant: acme), [])
        XCTAssertThrowsError(try store.removeService(tenant: acme, service: "connectwise"))
    }

    /// Removing a service supersedes its unfinished chunks (re-adding it, perhaps for another
    /// account, must not resume the old account's cursors) and refuses while a sync runs.
    func testRemovingAServiceSupersedesItsChunksAndWaitsForARun() throws {
        let (store, acme) = try storeWithAcmeService()
        let run = try store.createRun()
        let chunk = try store.createChunk(runID: run, tenant: acme, service: "connectwise", table: "service/tickets", since: nil, until: nil)
        try store.updateChunk(chunk.id, status: .running, resumeCursor: "page:7", records: 300)
        XCTAssertEqual(try store.unfinishedChunks(tenant: acme, service: "connectwise", table: "service/tickets").count, 1)
        let holder = LockOwner(pid: 999_999, host: "elsewhere")
        _ = try store.acquireLock(tenant: acme, owner: holder)
        XCTAssertThrowsError(try store.removeService(tenant: acme, service: "connectwise")) {
            guard case .tenantBusy? = $0 as? ControlError else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(try store.services(tenant: acme).count, 1, "nothing removed while the run holds the lock")
        _ = try store.releaseLock(tenant: acme, owner: holder)
        try store.removeService(tenant: acme, service: "connectwise")
        XCTAssertEqual(try store.unfinishedChunks(tenant: acme, service: "connectwise", table: "service/tickets").count, 0)
        XCTAssertEqual(try store.chunks(runID: run).first?.error, "superseded: the service was removed")
    }

    func testAServiceForAnUnknownTenantIsRefused() throws {
        let store = try ControlStore(dataDirectory: makeDataDirectory())
        XCTAssertThrowsError(try store.addService(tenant: tenantID("ghost"), service: "m365", enabledTables: nil,
                                                  rateLimitOverride: nil, credentials: [:], vault: ControlTestSupport.vault())) {
            XCTAssertEqual($0 as? ControlError, .unknownTenant("ghost"))
        }
    }
}
