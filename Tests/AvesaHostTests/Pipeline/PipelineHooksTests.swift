@testable import AvesaHost
import Foundation
import XCTest

/// A third-party plugin that needs hooks (custom signed auth, its own request building and
/// page parsing of a non-JSON format) runs through the whole pipeline: pages land in the
/// raw zone and the table completes.
final class PipelineHooksTests: XCTestCase {
    func testAPluginWithHooksSyncsThroughThePipeline() async throws {
        let root = TestPaths.makeTemporaryDirectory("pipeline-hooks")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let plugins = root + "/plugins", data = root + "/data"
        try FileManager.default.createDirectory(atPath: plugins, withIntermediateDirectories: true)
        _ = try CPluginCompiler.compile(source: TestPaths.repositoryRoot + "/Tests/Fixtures/plugins/hooks_plugin.c",
                                        defines: ["HOOKS_NAME=\"signedhooks\""], libraryName: "libSignedHooks.so", into: plugins)
        let environment = ["AVESA_MASTER_KEY": String(repeating: "12", count: 32)]
        let store = try ControlStore(dataDirectory: data)
        _ = try store.addTenant(TenantID("acme"), name: "Acme")
        _ = try store.addService(tenant: TenantID("acme"), service: "signedhooks", enabledTables: nil, rateLimitOverride: nil,
                                 credentials: ["api_url": ScenarioServer.shared.baseURL, "api_key": "key-pipeline"],
                                 vault: try CredentialVault(environment: environment, dataDirectory: data))
        let control = ControlWorker(store: store)
        let engine = CurlEngine()
        defer { engine.shutdown(); control.stop() }
        var options = PipelineOptions()
        options.retryPolicy = RetryPolicy(maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.02)
        let runner = PipelineRunner(plugins: try PluginCatalog.scan(directory: plugins),
                                    mappings: try MappingCatalog.load(directory: TestPaths.repositoryRoot + "/mappings"),
                                    dataDirectory: data, control: control,
                                    vault: try CredentialVault(environment: environment, dataDirectory: data),
                                    engine: engine, options: options)
        let report = try await runner.run()
        XCTAssertEqual(report.failed.count, 0, report.failed.map { $0.error ?? "" }.joined(separator: "\n"))
        XCTAssertEqual(report.tables.first?.records, 7, "parse_page turned the text lines into 7 records")
        let raw = try FileManager.default.subpathsOfDirectory(atPath: data + "/tenants/acme/raw/signedhooks")
            .filter { $0.hasSuffix(".ndjson") }
        XCTAssertEqual(raw.count, 1)
        let lines = try String(contentsOfFile: data + "/tenants/acme/raw/signedhooks/" + raw[0], encoding: .utf8)
            .split(separator: "\n")
        XCTAssertEqual(lines.count, 7)
        XCTAssertEqual(lines.first, #"{"id":0,"name":"r0"}"#)
    }
}
