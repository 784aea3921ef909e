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
        let estate = try SimulatedTenant("delta-resync", simulator: sim, tables: ["users"])
        defer { estate.remove() }
        let first = try await estate.run()
        XCTAssertEqual(first.failed.count, 0, "\(first.failed)")
        let store = try estate.store()
        let link = try XCTUnwrap(try store.watermark(tenant: estate.tenant, service: "m365", table: "users"))
        // Until the delta link is older than its lifetime.
        let expiry = Date().addingTimeInterval(2.2)  // token times are whole seconds
        while Date() < expiry { try await Task.sleep(for: .milliseconds(100)) }
        let events = LockedEvents()
        let second = try await estate.run(log: events.append)
        await sim.shutdown()
        XCTAssertEqual(second.failed.count, 0, "\(second.failed)")
        XCTAssertTrue(events.messages.contains { $0.contains("410 Gone") }, "the link had expired: \(events.messages)")
        XCTAssertNotEqual(try store.watermark(tenant: estate.tenant, service: "m365", table: "users"), link, "a fresh delta link")
        XCTAssertTrue(try store.unfinishedChunks(tenant: estate.tenant, service: "m365", table: "users").isEmpty,
                      "the expired round's chunk is not left to be resumed")
    }

    /// A chunk planned by an older version resumes with its bounds in the current filter
    /// form (Salesforce's records' `.000+0000` is no SOQL literal); opaque ones stay.
    func testAResumedChunksBoundsAreWrittenInTheCurrentForm() {
        XCTAssertEqual(PipelineRunner.rewritten("2026-01-01T10:00:00.000+0000", as: .iso8601Offset), "2026-01-01T10:00:00Z")
        XCTAssertEqual(PipelineRunner.rewritten("2026-01-01 10:00:00", as: .sqlUTC), "2026-01-01 10:00:00")
        XCTAssertEqual(PipelineRunner.rewritten("https://graph/v1.0/users/delta?$deltatoken=x", as: .opaque),
                       "https://graph/v1.0/users/delta?$deltatoken=x")
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
