@testable import AvesaHost
import Foundation
import XCTest

/// An expired Graph delta link (410 Gone) resyncs the whole table, and the expired round's
/// chunk is never resumed afterwards.
final class DeltaResyncTests: XCTestCase {
    func testAnExpiredDeltaLinkResyncsTheTableAndLeavesNothingToResume() async throws {
        var options = SimulatorOptions(seed: 3, scale: 1, instances: 1)
        options.deltaTokenLifetime = 1
        let sim = Simulator(service: GraphSimulator(), options: options)
        _ = try sim.start()
        let data = TestPaths.makeTemporaryDirectory("delta-resync")
        defer { try? FileManager.default.removeItem(atPath: data) }
        let environment = ["AVESA_MASTER_KEY": String(repeating: "9a", count: 32)]
        let store = try ControlStore(dataDirectory: data)
        let tenant = try TenantID("acme")
        _ = try store.addTenant(tenant, name: "Acme")
        _ = try store.addService(tenant: tenant, service: "m365", enabledTables: ["users"], rateLimitOverride: "200/s",
                                 credentials: sim.credentials(instance: 0),
                                 vault: try CredentialVault(environment: environment, dataDirectory: data))
        func run() async throws -> RunReport {
            let control = ControlWorker(store: try ControlStore(dataDirectory: data))
            let engine = CurlEngine()
            defer { engine.shutdown(); control.stop() }
            var pipelineOptions = PipelineOptions()
            pipelineOptions.retryPolicy = RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.05)
            return try await PipelineRunner(plugins: try PluginCatalog.scan(directory: TestPaths.builtPluginsDirectory),
                                            mappings: try MappingCatalog.load(directory: TestPaths.repositoryRoot + "/mappings"),
                                            dataDirectory: data, control: control,
                                            vault: try CredentialVault(environment: environment, dataDirectory: data),
                                            engine: engine, options: pipelineOptions).run()
        }
        let first = try await run()
        XCTAssertEqual(first.failed.count, 0, "\(first.failed)")
        let link = try XCTUnwrap(try store.watermark(tenant: tenant, service: "m365", table: "users"))
        // Until the delta link is older than its lifetime.
        let expiry = Date().addingTimeInterval(2.2)  // token times are whole seconds
        while Date() < expiry { try await Task.sleep(for: .milliseconds(100)) }
        let events = LockedEvents()
        let control = ControlWorker(store: try ControlStore(dataDirectory: data))
        let engine = CurlEngine()
        var pipelineOptions = PipelineOptions()
        pipelineOptions.retryPolicy = RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.05)
        let second = try await PipelineRunner(plugins: try PluginCatalog.scan(directory: TestPaths.builtPluginsDirectory),
                                              mappings: try MappingCatalog.load(directory: TestPaths.repositoryRoot + "/mappings"),
                                              dataDirectory: data, control: control,
                                              vault: try CredentialVault(environment: environment, dataDirectory: data),
                                              engine: engine, options: pipelineOptions, log: events.append).run()
        engine.shutdown()
        control.stop()
        await sim.shutdown()
        XCTAssertEqual(second.failed.count, 0, "\(second.failed)")
        XCTAssertTrue(events.messages.contains { $0.contains("410 Gone") }, "the link had expired: \(events.messages)")
        XCTAssertNotEqual(try store.watermark(tenant: tenant, service: "m365", table: "users"), link, "a fresh delta link")
        XCTAssertTrue(try store.unfinishedChunks(tenant: tenant, service: "m365", table: "users").isEmpty,
                      "the expired round's chunk is not left to be resumed")
    }

    func testOnlyARefusedRequestMakesAFailedChunkStartOver() {
        XCTAssertTrue(PipelineRunner.refusesItsPosition(ConnectorError.httpStatus(status: 400, url: "u", snippet: "INVALID_QUERY_LOCATOR")))
        XCTAssertTrue(PipelineRunner.refusesItsPosition(ConnectorError.httpStatus(status: 404, url: "u", snippet: "")))
        for status in [401, 403, 408, 429, 500, 503] {
            XCTAssertFalse(PipelineRunner.refusesItsPosition(ConnectorError.httpStatus(status: status, url: "u", snippet: "")), "\(status)")
        }
        XCTAssertFalse(PipelineRunner.refusesItsPosition(ConnectorError.retriesExhausted(attempts: 4, last: "HTTP 503")))
    }
}
