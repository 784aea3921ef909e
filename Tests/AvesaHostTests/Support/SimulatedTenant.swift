@testable import AvesaHost
import Foundation

/// One tenant with one simulated service in a fresh data folder, and pipeline runs over it
/// with the built plugins and the repository's mappings (rate limit 200/s, quick retries).
struct SimulatedTenant {
    let data: String
    let tenant: TenantID
    let environment = ["AVESA_MASTER_KEY": String(repeating: "9a", count: 32)]

    /// Adds tenant `acme` with `simulator`'s service (instance 0), limited to `tables`.
    init(_ name: String, simulator: Simulator, tables: [String]) throws {
        data = TestPaths.makeTemporaryDirectory(name)
        tenant = try TenantID("acme")
        let store = try ControlStore(dataDirectory: data)
        _ = try store.addTenant(tenant, name: "Acme")
        _ = try store.addService(tenant: tenant, service: simulator.service.name, enabledTables: tables, rateLimitOverride: "200/s",
                                 credentials: simulator.credentials(instance: 0),
                                 vault: try CredentialVault(environment: environment, dataDirectory: data))
    }

    /// The control store of the data folder.
    func store() throws -> ControlStore { try ControlStore(dataDirectory: data) }

    /// One pipeline run.
    func run(_ configure: (inout PipelineOptions) -> Void = { _ in },
             log: @escaping @Sendable (LogEvent) -> Void = { _ in }) async throws -> RunReport {
        var options = PipelineOptions()
        options.retryPolicy = RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.05)
        configure(&options)
        let control = ControlWorker(store: try store())
        let engine = CurlEngine()
        defer { engine.shutdown(); control.stop() }
        return try await PipelineRunner(plugins: try PluginCatalog.scan(directory: TestPaths.builtPluginsDirectory),
                                        mappings: try MappingCatalog.load(directory: TestPaths.repositoryRoot + "/mappings"),
                                        dataDirectory: data, control: control,
                                        vault: try CredentialVault(environment: environment, dataDirectory: data),
                                        engine: engine, options: options, log: log).run()
    }

    func remove() { try? FileManager.default.removeItem(atPath: data) }
}
