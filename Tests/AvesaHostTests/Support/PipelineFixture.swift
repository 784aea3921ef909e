@testable import AvesaHost
import Foundation

/// A complete pipeline on disk for tests: the `testdesk` C plugin compiled into a plugins
/// folder, a mappings folder (the real canonical tables plus a testdesk mapping), a data
/// folder with a master key, and tenants whose credentials point at the scenario server.
final class PipelineFixture: @unchecked Sendable {
    let root: String
    let plugins: String
    let mappings: String
    let data: String
    let server = ScenarioServer.shared

    init(delayMilliseconds: Int = 0, rangeFilter: Bool = false) throws {
        root = TestPaths.makeTemporaryDirectory("pipeline")
        plugins = root + "/plugins"
        mappings = root + "/mappings"
        data = root + "/data"
        let fm = FileManager.default
        try fm.createDirectory(atPath: plugins, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: mappings + "/services", withIntermediateDirectories: true)
        try fm.copyItem(atPath: TestPaths.repositoryRoot + "/mappings/canonical", toPath: mappings + "/canonical")
        _ = try CPluginCompiler.compile(source: TestPaths.repositoryRoot + "/Tests/Fixtures/plugins/pipeline_plugin.c",
                                        defines: ["DELAY_MS=\"\(delayMilliseconds)\""] + (rangeFilter ? ["RANGE_FILTER"] : []), libraryName: "libTestDesk.so", into: plugins)
        try """
        {"service": "testdesk", "tables": {"tickets": {"source": "tickets", "id": "id", "changed_at": "updated",
          "columns": {"summary": "summary", "status": "status.name",
                      "status_category": {"path": "status.name", "map": {"New": "open", "In Progress": "in_progress", "Closed": "closed"}},
                      "company_id": {"path": "company.id", "scope_id": true}, "updated_at": "updated"}}}}
        """.write(toFile: mappings + "/services/testdesk.json", atomically: true, encoding: .utf8)
    }

    /// The environment for the data folder's master key.
    var environment: [String: String] { ["AVESA_MASTER_KEY": String(repeating: "ab", count: 32)] }

    /// Adds `tenant` with its own dataset `dataset` on the scenario server.
    func addTenant(_ tenant: String, dataset: String) throws {
        let store = try ControlStore(dataDirectory: data)
        let id = try TenantID(tenant)
        _ = try store.addTenant(id, name: tenant.capitalized)
        let vault = try CredentialVault(environment: environment, dataDirectory: data)
        _ = try store.addService(tenant: id, service: "testdesk", enabledTables: nil, rateLimitOverride: nil,
                             credentials: ["api_url": server.baseURL, "dataset": dataset, "token": dataset + "-token"], vault: vault)
    }

    /// Runs the pipeline in-process; `log` receives its log events.
    func run(_ configure: (inout PipelineOptions) -> Void = { _ in },
             log: @escaping @Sendable (LogEvent) -> Void = { _ in }) async throws -> RunReport {
        var options = PipelineOptions()
        options.lookbackSeconds = 0
        options.retryPolicy = RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.05)
        configure(&options)
        let catalog = try PluginCatalog.scan(directory: plugins)
        let mappingCatalog = try MappingCatalog.load(directory: mappings)
        let control = ControlWorker(store: try ControlStore(dataDirectory: data))
        let engine = CurlEngine()
        defer { engine.shutdown(); control.stop() }
        let runner = PipelineRunner(plugins: catalog, mappings: mappingCatalog, dataDirectory: data, control: control,
                                    vault: try CredentialVault(environment: environment, dataDirectory: data),
                                    engine: engine, options: options, log: log)
        return try await runner.run()
    }

    /// Current tickets of `tenant` as id → summary, read from its warehouse file.
    func currentTickets(_ tenant: String) throws -> [String: String] {
        let database = try SQLiteDatabase(path: data + "/tenants/\(tenant)/warehouse.sqlite")
        let statement = try database.prepare("SELECT id, summary FROM current_tickets")
        var result: [String: String] = [:]
        while try statement.step() { result[statement.text(0) ?? ""] = statement.text(1) }
        return result
    }

    /// Number of history rows of one ticket.
    func versions(_ tenant: String, id: String) throws -> Int {
        let database = try SQLiteDatabase(path: data + "/tenants/\(tenant)/warehouse.sqlite")
        let statement = try database.prepare("SELECT count(*) FROM tickets WHERE id = ?1")
        try statement.bind(id, at: 1)
        _ = try statement.step()
        return Int(statement.int64(0))
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// Log events collected from a run (any thread).
final class LockedEvents: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [LogEvent] = []  // under lock

    /// Adds one event.
    func append(_ event: LogEvent) { lock.withLock { events.append(event) } }

    /// The messages so far.
    var messages: [String] { lock.withLock { events.map(\.message) } }
}
