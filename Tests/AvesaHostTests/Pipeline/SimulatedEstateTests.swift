@testable import AvesaHost
import Foundation
import XCTest

/// The pipeline against all four simulators, three tenants each with its own simulator
/// instance: warehouses equal the simulators' data, no tenant sees another's records,
/// incremental runs follow changes, and injected faults (server errors, throttling,
/// malformed pages) are survived or contained with the watermark of a failed table kept.
final class SimulatedEstateTests: XCTestCase {
    static let tenants = ["alpha", "bravo", "charlie"]
    private var simulators: [Simulator] = []
    private var data = ""

    override func setUp() async throws {
        data = TestPaths.makeTemporaryDirectory("estate")
        for name in SimulatedServices.names {
            let sim = Simulator(service: SimulatedServices.service(named: name)!,
                                options: SimulatorOptions(seed: 11, scale: 0.2, instances: Self.tenants.count))
            _ = try sim.start()
            simulators.append(sim)
        }
        let store = try ControlStore(dataDirectory: data)
        let vault = try CredentialVault(environment: environment, dataDirectory: data)
        for (index, tenant) in Self.tenants.enumerated() {
            let id = try TenantID(tenant)
            _ = try store.addTenant(id, name: tenant)
            for sim in simulators {
                _ = try store.addService(tenant: id, service: sim.service.name, enabledTables: nil, rateLimitOverride: nil,
                                         credentials: sim.credentials(instance: index), vault: vault)
            }
        }
    }

    override func tearDown() async throws {
        for sim in simulators { await sim.shutdown() }
        try? FileManager.default.removeItem(atPath: data)
    }

    private var environment: [String: String] { ["AVESA_MASTER_KEY": String(repeating: "ef", count: 32)] }

    private func run(_ configure: (inout PipelineOptions) -> Void = { _ in }) async throws -> RunReport {
        var options = PipelineOptions()
        options.lookbackSeconds = 0
        options.retryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: 0.01, maxDelay: 0.05)
        // The manifests' conservative defaults (5 requests/s for ConnectWise and ServiceNow)
        // would make this test wait on the limiter; the simulators take far more.
        for service in SimulatedServices.names { options.rateOverrides[service] = RateLimitOverride(requestsPerSecond: 200, burst: 50) }
        configure(&options)
        let control = ControlWorker(store: try ControlStore(dataDirectory: data))
        let engine = CurlEngine()
        defer { engine.shutdown(); control.stop() }
        let runner = PipelineRunner(plugins: try PluginCatalog.scan(directory: TestPaths.builtPluginsDirectory),
                                    mappings: try MappingCatalog.load(directory: TestPaths.repositoryRoot + "/mappings"),
                                    dataDirectory: data, control: control,
                                    vault: try CredentialVault(environment: environment, dataDirectory: data),
                                    engine: engine, options: options)
        return try await runner.run()
    }

    private func currentIDs(_ tenant: String, _ table: String, service: String) throws -> Set<String> {
        let database = try SQLiteDatabase(path: data + "/tenants/\(tenant)/warehouse.sqlite")
        let statement = try database.prepare("SELECT source_id FROM current_\(table) WHERE source_service = ?1")
        try statement.bind(service, at: 1)
        var ids = Set<String>()
        while try statement.step() { ids.insert(statement.text(0) ?? "") }
        return ids
    }

    private func sim(_ name: String) -> Simulator { simulators.first { $0.service.name == name }! }

    func testEveryTenantsWarehouseEqualsItsOwnSimulatorData() async throws {
        let report = try await run()
        XCTAssertEqual(report.failed.count, 0, report.failed.map { "\($0.tenant)/\($0.service)/\($0.table): \($0.error ?? "")" }.joined(separator: "\n"))
        let canonical: [(service: String, source: String, table: String)] = [
            ("connectwise", "service/tickets", "tickets"), ("connectwise", "company/companies", "companies"),
            ("connectwise", "time/entries", "time_entries"), ("servicenow", "incident", "tickets"),
            ("servicenow", "sys_user", "contacts"), ("salesforce", "Case", "tickets"),
            ("salesforce", "Account", "companies"), ("m365", "users", "contacts"),
        ]
        for (index, tenant) in Self.tenants.enumerated() {
            for entry in canonical {
                let expected = Set(sim(entry.service).liveIDs(entry.source, instance: index))
                XCTAssertFalse(expected.isEmpty, "\(entry)")
                XCTAssertEqual(try currentIDs(tenant, entry.table, service: entry.service), expected, "\(tenant) \(entry)")
            }
        }
        // Isolation: instances have different data, and each warehouse holds only its own.
        XCTAssertNotEqual(try currentIDs("alpha", "tickets", service: "servicenow"), try currentIDs("bravo", "tickets", service: "servicenow"))
        // References land: an incident's caller (a sys_user) is one of the contacts.
        let database = try SQLiteDatabase(path: data + "/tenants/alpha/warehouse.sqlite")
        let dangling = try database.prepare("""
            SELECT count(*), sum(contact_id IS NOT NULL) FROM current_tickets t WHERE source_service = 'servicenow'
              AND (contact_id IS NULL OR NOT EXISTS (SELECT 1 FROM current_contacts c WHERE c.id = t.contact_id))
            """)
        _ = try dangling.step()
        XCTAssertEqual(dangling.int64(1), 0, "every ServiceNow ticket's contact is a synced contact")
    }

    func testAnIncrementalRunFollowsChangesAndDeletions() async throws {
        _ = try await run()
        let cw = sim("connectwise"), graph = sim("m365"), salesforce = sim("salesforce")
        let before = cw.stats.records(instance: 0, table: "service/tickets")
        let casesBefore = Set(salesforce.liveIDs("Case", instance: 0))
        _ = cw.advance(fraction: 0.1, instance: 0)
        _ = graph.advance(fraction: 0.1, instance: 0)
        _ = salesforce.advance(fraction: 0.1, instance: 0)
        XCTAssertFalse(casesBefore.subtracting(salesforce.liveIDs("Case", instance: 0)).isEmpty, "some cases were deleted")
        let report = try await run { $0.tenants = ["alpha"] }
        XCTAssertEqual(report.failed.count, 0, "\(report.failed)")
        let fetched = cw.stats.records(instance: 0, table: "service/tickets") - before
        let live = cw.liveIDs("service/tickets", instance: 0).count
        XCTAssertLessThan(fetched, live / 4, "an incremental run fetches the changes, not the table (\(fetched) of \(live))")
        // ConnectWise reports no deletions: an incremental run keeps deleted tickets current
        // until a full sync sees them missing; Graph's delta query reports them at once.
        let liveTickets = Set(cw.liveIDs("service/tickets", instance: 0))
        XCTAssertTrue(try currentIDs("alpha", "tickets", service: "connectwise").isSuperset(of: liveTickets))
        XCTAssertEqual(try currentIDs("alpha", "contacts", service: "m365"), Set(graph.liveIDs("users", instance: 0)),
                       "Graph delta deletions close their rows")
        XCTAssertEqual(try currentIDs("alpha", "tickets", service: "salesforce"), Set(salesforce.liveIDs("Case", instance: 0)),
                       "Salesforce's queryAll reports deleted cases (IsDeleted), which close their rows")
        let full = try await run { $0.tenants = ["alpha"]; $0.service = "connectwise"; $0.full = true }
        XCTAssertEqual(full.failed.count, 0)
        XCTAssertEqual(try currentIDs("alpha", "tickets", service: "connectwise"), liveTickets, "a full sync closes deleted tickets")
    }

    func testFaultsAreRetriedOrContainedAndFailedTablesKeepTheirWatermark() async throws {
        var faults = SimFaults()
        faults.errorRate = 0.05
        faults.throttleNext = 5
        faults.retryAfter = 0.2
        sim("servicenow").setFaults(faults)
        var malformed = SimFaults()
        malformed.malformedNext = 1
        malformed.instance = 0
        sim("connectwise").setFaults(malformed)
        let report = try await run { $0.tenants = ["alpha"]; $0.service = nil }
        let failed = report.failed
        XCTAssertLessThanOrEqual(failed.count, 1, failed.map { "\($0.service)/\($0.table): \($0.error ?? "")" }.joined(separator: "\n"))
        if let broken = failed.first {
            XCTAssertEqual(broken.service, "connectwise")
            XCTAssertTrue(broken.error?.contains("malformed page") ?? false, broken.error ?? "")
            let store = try ControlStore(dataDirectory: data)
            XCTAssertNil(try store.watermark(tenant: TenantID("alpha"), service: "connectwise", table: broken.table))
        }
        let servicenow = report.tables.filter { $0.service == "servicenow" }
        XCTAssertTrue(servicenow.allSatisfy { $0.status == .done }, "5% errors and a throttling storm are retried")
        XCTAssertGreaterThan(servicenow.reduce(0) { $0 + $1.retries }, 0)
        // The next run completes what failed.
        let again = try await run { $0.tenants = ["alpha"] }
        XCTAssertEqual(again.failed.count, 0, "\(again.failed)")
    }
}
