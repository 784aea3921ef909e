@testable import AvesaHost
import Foundation
import XCTest

/// Large ranges split into parallel chunks sized from the service's count; every record
/// still arrives once, and full-sync deletes work across chunks.
final class ChunkPlanningTests: XCTestCase {
    func testSplitsByCountIntoEqualSlicesWithinLimits() {
        let planner = ChunkPlanner(targetRecords: 100, maxChunks: 4)
        XCTAssertEqual(planner.plan(since: 0, until: 1_000_000_000, count: 50).count, 1)
        XCTAssertEqual(planner.plan(since: 0, until: 1_000_000_000, count: nil).count, 1)
        let ranges = planner.plan(since: 0, until: 1_000_000_000, count: 250)
        XCTAssertEqual(ranges.count, 3)
        XCTAssertEqual(ranges.first?.since, 0)
        XCTAssertEqual(ranges.last?.until, 1_000_000_000)
        for (a, b) in zip(ranges, ranges.dropFirst()) { XCTAssertEqual(a.until, b.since, "slices are contiguous") }
        XCTAssertEqual(planner.plan(since: 0, until: 1_000_000_000, count: 10_000).count, 4, "capped at maxChunks")
        XCTAssertEqual(planner.plan(since: 0, until: 2_000_000, count: 10_000).count, 1, "never slices under a second")
    }

    func testARangeFilteredTableRunsInParallelChunksAndStillClosesDeletes() async throws {
        let fixture = try PipelineFixture(rangeFilter: true)
        defer { fixture.remove() }
        let dataset = "chunks\(UUID().uuidString.prefix(6).lowercased())"
        try fixture.addTenant("acme", dataset: dataset)
        let report = try await fixture.run { $0.chunkPlanner = ChunkPlanner(targetRecords: 60, maxChunks: 8) }
        XCTAssertEqual(report.failed.count, 0, "\(report.failed)")
        XCTAssertEqual(try fixture.currentTickets("acme").count, 250)
        let store = try ControlStore(dataDirectory: fixture.data)
        let chunks = try store.chunks(runID: report.runID)
        XCTAssertEqual(chunks.count, 5, "250 records at 60 per chunk")
        XCTAssertTrue(chunks.allSatisfy { $0.status == .done })
        _ = try await fixture.server.json("/dataset/\(dataset)/delete?id=100")
        let full = try await fixture.run { $0.full = true; $0.chunkPlanner = ChunkPlanner(targetRecords: 60, maxChunks: 8) }
        XCTAssertEqual(full.failed.count, 0)
        XCTAssertEqual(try fixture.currentTickets("acme").count, 249)
    }
}
