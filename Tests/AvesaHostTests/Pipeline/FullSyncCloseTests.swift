@testable import AvesaHost
import Foundation
import XCTest

/// A full sync closes only rows whose records the source no longer has: never a record it
/// read past, one it could not map, or one whose key it fingerprinted differently.
final class FullSyncCloseTests: XCTestCase {
    private let unique = UUID().uuidString.prefix(8).lowercased()
    private var fixture: PipelineFixture!

    override func setUpWithError() throws { fixture = try PipelineFixture() }
    override func tearDown() { fixture.remove() }

    /// Adds tenant `acme` on a new dataset called `name` and loads it once; the dataset's name.
    private func loadedDataset(_ name: String) async throws -> String {
        let dataset = name + unique
        try fixture.addTenant("acme", dataset: dataset)
        _ = try await fixture.run()
        return dataset
    }

    /// The last chunk of a whole history reads up to now, not to when the run planned it:
    /// a record stamped later (changed during the sync, or by a source whose clock runs
    /// ahead) is read and kept, not closed as deleted.
    func testARecordStampedAfterTheSyncWasPlannedIsReadNotClosed() async throws {
        fixture.remove()
        fixture = try PipelineFixture(rangeFilter: true)
        let dataset = try await loadedDataset("ahead")
        let ahead = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3_600))
        _ = try await fixture.server.json("/dataset/\(dataset)/stamp?id=42&updated=\(ahead)")
        _ = try await fixture.server.json("/dataset/\(dataset)/delete?id=7")
        let full = try await fixture.run { $0.full = true }
        XCTAssertEqual(full.failed.count, 0, "\(full.failed)")
        let current = try fixture.currentTickets("acme")
        XCTAssertEqual(current["testdesk:42"], "Ticket 42 stamped \(ahead)", "read, and still current")
        XCTAssertEqual(try fixture.versions("acme", id: "testdesk:42"), 2, "one change, no close")
        XCTAssertNil(current["testdesk:7"], "a record the source deleted is still closed")
        XCTAssertEqual(current.count, 249)
    }

    /// A record changed during a full sync out of a range not yet read (its old change time)
    /// into one already read (the present) is read by the catch-up chunk that follows the
    /// ranges, not closed as deleted: without it, the record left the history from the
    /// snapshot until the next run read it again.
    func testARecordThatMovedIntoARangeAlreadyReadIsCaughtUpNotClosed() async throws {
        fixture.remove()
        fixture = try PipelineFixture(rangeFilter: true)
        let dataset = "moved\(unique)"
        try fixture.addTenant("acme", dataset: dataset)
        _ = try await fixture.server.json("/dataset/\(dataset)/stamp?id=42&updated=2001-01-01T00:00:00Z")
        _ = try await fixture.run()
        // The full sync's ranges split 1970..now in five; record 42's range waits 1.5 s while
        // the last range is read, and then the record is changed into that last range.
        _ = try await fixture.server.json("/dataset/\(dataset)/arm?id=42&delay_ms=1500")
        let full = try await fixture.run {
            $0.full = true
            $0.chunkPlanner = ChunkPlanner(targetRecords: 50)
        }
        XCTAssertEqual(full.failed.count, 0, "\(full.failed)")
        let stats = try await fixture.server.json("/dataset/\(dataset)/stats")
        XCTAssertEqual(stats["armed_fired"] as? Bool, true, "the record moved mid-sync")
        let current = try fixture.currentTickets("acme")
        XCTAssertEqual(current.count, 250, "nothing closed")
        XCTAssertTrue(current["testdesk:42"]?.hasPrefix("Ticket 42 stamped 20") ?? false, "\(current["testdesk:42"] ?? "closed")")
        XCTAssertFalse(current["testdesk:42"]?.contains("2001") ?? true, "its new version")
        XCTAssertEqual(try fixture.versions("acme", id: "testdesk:42"), 2, "loaded, then changed; never closed")
    }

    /// A record one full sync did not see (access rules hid it) is closed; when a later full
    /// sync reads it again, unchanged and with its old change time, it is current again
    /// from that run on, instead of staying deleted until the source next edits it.
    func testARecordHiddenFromOneFullSyncIsCurrentAgainWhenTheNextReadsIt() async throws {
        let dataset = try await loadedDataset("hidden")
        _ = try await fixture.server.json("/dataset/\(dataset)/hide?id=42")
        _ = try await fixture.run { $0.full = true }
        XCTAssertNil(try fixture.currentTickets("acme")["testdesk:42"], "closed: the full sync did not see it")
        _ = try await fixture.server.json("/dataset/\(dataset)/show?id=42")
        let again = try await fixture.run { $0.full = true }
        XCTAssertEqual(again.failed.count, 0, "\(again.failed)")
        XCTAssertEqual(try fixture.currentTickets("acme")["testdesk:42"], "Ticket 42 v0", "current again")
        XCTAssertEqual(try fixture.versions("acme", id: "testdesk:42"), 2, "the closed row and the reopened one")
    }

    /// A full sync does not resume a killed run's chunks (which would neither read
    /// everything again nor close anything): it supersedes them and reads the whole table.
    func testAFullSyncSupersedesAKilledRunsChunksAndStillClosesDeletes() async throws {
        let dataset = try await loadedDataset("killed")
        let store = try ControlStore(dataDirectory: fixture.data)
        let killed = try store.createRun()
        let chunk = try store.createChunk(runID: killed, tenant: TenantID("acme"), service: "testdesk", table: "tickets", since: nil, until: nil)
        try store.updateChunk(chunk.id, status: .running, resumeCursor: "page:3", records: 100)
        _ = try await fixture.server.json("/dataset/\(dataset)/delete?id=7")
        let full = try await fixture.run { $0.full = true }
        XCTAssertEqual(full.failed.count, 0, "\(full.failed)")
        XCTAssertNil(try fixture.currentTickets("acme")["testdesk:7"], "the deletion is closed")
        XCTAssertEqual(try fixture.currentTickets("acme").count, 249)
        XCTAssertEqual(try store.chunks(runID: killed).first?.status, .done)
        XCTAssertTrue(try store.chunks(runID: killed).first?.error?.contains("superseded by the full sync") ?? false)
    }

    /// The watermark never passes the moment the sync was planned: a change made during the
    /// sync to a record on a page read earlier is older than records read later, and a next
    /// run starting after those would never fetch it.
    func testTheWatermarkStopsAtTheSyncsSnapshot() async throws {
        let dataset = "cap\(unique)"
        try fixture.addTenant("acme", dataset: dataset)
        let ahead = Date().addingTimeInterval(3_600)
        _ = try await fixture.server.json("/dataset/\(dataset)/stamp?id=42&updated=\(ISO8601DateFormatter().string(from: ahead))")
        let before = Date()
        _ = try await fixture.run()
        let stored = try XCTUnwrap(try ControlStore(dataDirectory: fixture.data)
            .watermark(tenant: TenantID("acme"), service: "testdesk", table: "tickets"))
        let micros = try XCTUnwrap(CursorTime.microseconds(stored, format: .iso8601))
        XCTAssertLessThanOrEqual(micros, Int64(Date().timeIntervalSince1970 * 1e6), "\(stored): not the record stamped an hour ahead")
        XCTAssertGreaterThanOrEqual(micros, Int64(before.timeIntervalSince1970 * 1e6) - 1_000_000, "\(stored): the snapshot")
    }

    /// A record that cannot be mapped leaves no key behind, so the sync cannot tell its row
    /// from a deleted one: it closes nothing and says why.
    func testAFullSyncWithARecordItCouldNotMapClosesNothing() async throws {
        let dataset = try await loadedDataset("reject")
        _ = try await fixture.server.json("/dataset/\(dataset)/corrupt?id=42")
        _ = try await fixture.server.json("/dataset/\(dataset)/delete?id=7")
        let events = LockedEvents()
        let full = try await fixture.run({ $0.full = true }, log: events.append)
        XCTAssertEqual(full.failed.count, 0, "\(full.failed)")
        XCTAssertTrue(full.tables.first?.error?.contains("1 records could not be mapped") ?? false, "\(full.tables)")
        let current = try fixture.currentTickets("acme")
        XCTAssertNotNil(current["testdesk:42"], "the unmappable record's row stays current")
        XCTAssertEqual(current.count, 250, "nothing closed")
        XCTAssertTrue(events.messages.contains { $0.contains("rows missing from this full sync are not closed") }, "\(events.messages)")
        // Once the record maps again, the next full sync closes what is gone.
        _ = try await fixture.server.json("/dataset/\(dataset)/stamp?id=42&updated=2026-02-01T00:00:42Z")
        _ = try await fixture.run { $0.full = true }
        XCTAssertNil(try fixture.currentTickets("acme")["testdesk:7"])
        XCTAssertEqual(try fixture.currentTickets("acme").count, 249)
    }

    /// Seen keys are fingerprinted from every key column, as the warehouse does: a table
    /// keyed by (id, company_id) keeps every row through a full sync of unchanged records.
    func testACompositeKeyTableKeepsItsRowsThroughAFullSync() async throws {
        let path = fixture.mappings + "/canonical/tickets.json"
        var definition = try String(contentsOfFile: path, encoding: .utf8)
        definition = definition.replacingOccurrences(of: "\"key\": [\n    \"id\"\n  ]", with: "\"key\": [\"id\", \"company_id\"]")
        definition = definition.replacingOccurrences(
            of: "\"name\": \"company_id\",\n      \"type\": \"string\",\n      \"nullable\": true",
            with: "\"name\": \"company_id\",\n      \"type\": \"string\",\n      \"nullable\": false")
        XCTAssertTrue(definition.contains("\"key\": [\"id\", \"company_id\"]"))
        try definition.write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(try MappingCatalog.load(directory: fixture.mappings).plan(service: "testdesk", source: "tickets")?.table.keyColumns,
                       ["id", "company_id"])
        let dataset = try await loadedDataset("composite")
        _ = try await fixture.server.json("/dataset/\(dataset)/delete?id=7")
        let full = try await fixture.run { $0.full = true }
        XCTAssertEqual(full.failed.count, 0, "\(full.failed)")
        let current = try fixture.currentTickets("acme")
        XCTAssertEqual(current.count, 249, "only the deleted record is closed")
        XCTAssertNil(current["testdesk:7"])
    }
}
