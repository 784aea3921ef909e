@testable import AvesaHost
import Foundation
import XCTest

/// A third-party plugin that needs hooks (custom signed auth, its own request building and
/// page parsing of a non-JSON format) runs through the whole pipeline: pages land in the
/// raw zone and the table completes.
final class PipelineHooksTests: XCTestCase {
    /// The fixture plugin compiled with `defines`, one tenant on the scenario server, one run.
    private func runFixture(_ name: String, defines: [String] = []) async throws -> (report: RunReport, data: String, store: ControlStore) {
        let root = TestPaths.makeTemporaryDirectory("pipeline-hooks")
        addTeardownBlock { try? FileManager.default.removeItem(atPath: root) }
        let plugins = root + "/plugins", data = root + "/data"
        try FileManager.default.createDirectory(atPath: plugins, withIntermediateDirectories: true)
        _ = try CPluginCompiler.compile(source: TestPaths.repositoryRoot + "/Tests/Fixtures/plugins/hooks_plugin.c",
                                        defines: ["HOOKS_NAME=\"\(name)\""] + defines, libraryName: "lib\(name).so", into: plugins)
        let environment = ["AVESA_MASTER_KEY": String(repeating: "12", count: 32)]
        let store = try ControlStore(dataDirectory: data)
        _ = try store.addTenant(TenantID("acme"), name: "Acme")
        _ = try store.addService(tenant: TenantID("acme"), service: name, enabledTables: nil, rateLimitOverride: nil,
                                 credentials: ["api_url": ScenarioServer.shared.baseURL, "api_key": "key-pipeline"],
                                 vault: try CredentialVault(environment: environment, dataDirectory: data))
        let control = ControlWorker(store: try ControlStore(dataDirectory: data))
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
        return (report, data, store)
    }

    /// Raw-zone lines of every file of `service`'s tables, and the number of files.
    private func rawLines(_ data: String, service: String) throws -> (lines: [String], files: Int) {
        let directory = data + "/tenants/acme/raw/" + service
        let files = try FileManager.default.subpathsOfDirectory(atPath: directory).filter { $0.hasSuffix(".ndjson") }
        let lines = try files.flatMap { try String(contentsOfFile: directory + "/" + $0, encoding: .utf8).split(separator: "\n").map(String.init) }
        return (lines, files.count)
    }

    func testAPluginWithHooksSyncsThroughThePipeline() async throws {
        let (report, data, _) = try await runFixture("signedhooks")
        XCTAssertEqual(report.tables.first?.records, 7, "parse_page turned the text lines into 7 records")
        let raw = try rawLines(data, service: "signedhooks")
        XCTAssertEqual(raw.files, 1)
        XCTAssertEqual(raw.lines.count, 7)
        XCTAssertEqual(raw.lines.first, #"{"id":0,"name":"r0"}"#)
    }

    func testThePlanChunksHookSplitsAFirstSyncIntoParallelChunks() async throws {
        let (report, data, store) = try await runFixture("chunkedhooks", defines: ["PLAN_CHUNKS=3"])
        XCTAssertEqual(report.tables.first?.records, 7)
        let chunks = try store.chunks(runID: report.runID)
        XCTAssertEqual(chunks.count, 3, "the hook's plan, not the host's one chunk for an uncounted table")
        XCTAssertTrue(chunks.allSatisfy { $0.status == .done }, "\(chunks.map(\.status))")
        // The chunks tile the range: each one's upper bound is the next one's lower bound.
        let bounds = chunks.sorted { Int64($0.since ?? "0")! < Int64($1.since ?? "0")! }
        XCTAssertEqual(bounds.first?.since, "0")
        for (lower, upper) in zip(bounds, bounds.dropFirst()) { XCTAssertEqual(lower.until, upper.since) }
        // Each chunk fetched only its range: every record once, in its own chunk's file.
        let raw = try rawLines(data, service: "chunkedhooks")
        XCTAssertEqual(raw.files, 3)
        let ids = raw.lines.compactMap { try? JSONParser.parse(Array($0.utf8))["id"]?.int64 }
        XCTAssertEqual(ids.sorted(), (0..<7).map { Int64($0) * 250_000_000 })
        let watermark = try store.watermark(tenant: TenantID("acme"), service: "chunkedhooks", table: "items")
        XCTAssertEqual(watermark, "done-watermark", "parse_page declares it on each chunk's last page; it moves once all chunks completed")
    }
}
