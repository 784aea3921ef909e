@testable import AvesaHost
import Foundation
import XCTest

/// One chunk's three stages (fetch, stage, commit) against the scenario server, through
/// the testdesk C plugin.
final class TableSyncTests: XCTestCase {
    private struct CheckpointFailed: Error {}

    /// A sync of the testdesk tickets endpoint for tenant `acme` whose pages take
    /// `delayMilliseconds` each to arrive.
    private func makeSync(_ fixture: PipelineFixture, dataset: String, engine: CurlEngine) async throws -> TableSync {
        let plugin = try XCTUnwrap(try PluginCatalog.scan(directory: fixture.plugins).plugin(for: "testdesk"))
        let mappings = try MappingCatalog.load(directory: fixture.mappings)
        let connection = try await ServiceConnection.open(
            tenant: "acme", manifest: plugin.manifest,
            credentials: ["api_url": fixture.server.baseURL, "dataset": dataset, "token": dataset + "-token"],
            override: nil, engine: engine, options: PipelineOptions(), budget: RetryBudget(retries: 10))
        let endpoint = try XCTUnwrap(plugin.manifest.endpoint(named: "tickets"))
        let storage = TenantStorage(tenant: "acme", layout: DataLayout(root: fixture.data), tables: mappings.orderedTables)
        return TableSync(service: "testdesk", endpoint: endpoint, plan: mappings.plan(service: "testdesk", source: "tickets"),
                         client: connection.client, query: connection.query, storage: storage, runID: RunID(), chunkID: 1,
                         collectKeys: false)
    }

    func testCommitsEveryPageInOrderAndCheckpointsAfterEach() async throws {
        let fixture = try PipelineFixture()
        defer { fixture.remove() }
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let sync = try await makeSync(fixture, dataset: "sync\(UUID().uuidString.prefix(8))", engine: engine)
        let positions = Positions()
        let result = try await sync.run(startingAt: .start) { next, records in await positions.note(next, records) }
        XCTAssertTrue(result.completed)
        XCTAssertEqual(result.records, 250)
        XCTAssertEqual(result.merge.inserted, 250)
        let noted = await positions.records
        XCTAssertEqual(noted, noted.sorted(), "checkpoints only move forward")
        XCTAssertEqual(noted.last, 250)
        let last = await positions.lastWasEnd
        XCTAssertTrue(last, "the final checkpoint marks the chunk complete")
        XCTAssertTrue(result.checkpointedEnd)
        let raw = try sync.storage.layout.rawDirectory(tenant: "acme", service: "testdesk", table: "tickets")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: raw).count, 1, "one raw file for the chunk's pages")
        XCTAssertEqual(openDescriptors(to: raw), 0, "closed when the chunk ended")
    }

    func testAFailedCommitAbandonsTheRequestInFlightInsteadOfWaitingForIt() async throws {
        // Pages take 2 s each: when the first page's checkpoint fails, the second request is
        // already on its way. The failure must surface without waiting for it.
        let fixture = try PipelineFixture(delayMilliseconds: 2_000)
        defer { fixture.remove() }
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let sync = try await makeSync(fixture, dataset: "fail\(UUID().uuidString.prefix(8))", engine: engine)
        let started = Date()
        do {
            _ = try await sync.run(startingAt: .start) { _, _ in throw CheckpointFailed() }
            XCTFail("the checkpoint's failure must fail the chunk")
        } catch {
            XCTAssertTrue(error is CheckpointFailed, "\(error)")
        }
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertLessThan(elapsed, 3.5, "one page (2 s) and the failure, not the next page too")
        let raw = try sync.storage.layout.rawDirectory(tenant: "acme", service: "testdesk", table: "tickets")
        XCTAssertEqual(openDescriptors(to: raw), 0, "a failed chunk closes its raw file too")
    }
}

/// Checkpoints as a `TableSync` reported them.
private actor Positions {
    var records: [Int] = []
    var lastWasEnd = false

    func note(_ next: PagePosition?, _ count: Int) {
        records.append(count)
        lastWasEnd = next == nil
    }
}
