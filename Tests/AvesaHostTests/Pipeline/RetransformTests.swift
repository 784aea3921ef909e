@testable import AvesaHost
import Foundation
import XCTest

/// Rebuilding from the raw zone alone reproduces the history the original runs wrote.
final class RetransformTests: XCTestCase {
    private var fixture: PipelineFixture!

    override func setUpWithError() throws {
        fixture = try PipelineFixture()
    }

    override func tearDown() {
        fixture.remove()
    }

    private func history() throws -> [String] {
        let database = try SQLiteDatabase(path: fixture.data + "/tenants/acme/warehouse.sqlite")
        let statement = try database.prepare("""
            SELECT id, summary, status_category, _valid_from, coalesce(_valid_to, -1), _is_current, hex(_row_hash), _run_id
            FROM tickets ORDER BY id, _valid_from
            """)
        var rows: [String] = []
        while try statement.step() { rows.append((0..<8).map { statement.text(Int32($0)) ?? "" }.joined(separator: "|")) }
        return rows
    }

    /// Adds tenant `acme` on a new dataset, loads it, changes 30 records and loads again;
    /// the history both runs wrote (280 rows).
    private func historyOfTwoRuns() async throws -> [String] {
        let dataset = "rt\(UUID().uuidString.prefix(6).lowercased())"
        try fixture.addTenant("acme", dataset: dataset)
        _ = try await fixture.run()
        _ = try await fixture.server.json("/dataset/\(dataset)/change?n=30")
        _ = try await fixture.run()
        let original = try history()
        XCTAssertEqual(original.count, 280)
        return original
    }

    func testRebuildingFromTheRawZoneReproducesTheHistory() async throws {
        let original = try await historyOfTwoRuns()
        let mappings = try MappingCatalog.load(directory: fixture.mappings)
        let outcomes = try Retransformer(layout: DataLayout(root: fixture.data), mappings: mappings).rebuild(tenant: "acme")
        XCTAssertEqual(outcomes["tickets"]?.files, 2)
        XCTAssertEqual(outcomes["tickets"]?.records, 280)
        XCTAssertEqual(try history(), original)
        _ = try Retransformer(layout: DataLayout(root: fixture.data), mappings: mappings).rebuild(tenant: "acme", table: "tickets")
        XCTAssertEqual(try history(), original, "rebuilding one table in place gives the same history")
    }

    /// Records without a change time are valid from their load time, the run's start, in
    /// the original load and in the rebuild alike.
    func testRebuildingRecordsWithoutAChangeTimeKeepsTheirLoadTimes() async throws {
        let mappingFile = fixture.mappings + "/services/testdesk.json"
        let mapping = try String(contentsOfFile: mappingFile, encoding: .utf8)
        let timeless = mapping.replacingOccurrences(of: #""changed_at": "updated","#, with: "")
            .replacingOccurrences(of: #", "updated_at": "updated""#, with: "")
        XCTAssertFalse(timeless.contains("updated"), timeless)
        try timeless.write(toFile: mappingFile, atomically: true, encoding: .utf8)
        let original = try await historyOfTwoRuns()
        let mappings = try MappingCatalog.load(directory: fixture.mappings)
        _ = try Retransformer(layout: DataLayout(root: fixture.data), mappings: mappings).rebuild(tenant: "acme")
        XCTAssertEqual(try history(), original)
    }

    /// Rows a full sync closed because the source no longer had them are in the raw zone
    /// too, so the rebuilt history closes them at the same times.
    func testRebuildingReplaysTheRowsAFullSyncClosed() async throws {
        let dataset = "rc\(UUID().uuidString.prefix(6).lowercased())"
        try fixture.addTenant("acme", dataset: dataset)
        _ = try await fixture.run()
        for id in [7, 42] { _ = try await fixture.server.json("/dataset/\(dataset)/delete?id=\(id)") }
        _ = try await fixture.server.json("/dataset/\(dataset)/change?n=10")
        let full = try await fixture.run { $0.full = true }
        XCTAssertEqual(full.failed.count, 0, "\(full.failed)")
        XCTAssertNil(try fixture.currentTickets("acme")["testdesk:7"])
        let original = try history()
        let closes = try FileManager.default.contentsOfDirectory(atPath: fixture.data + "/tenants/acme/raw/testdesk/tickets")
            .filter { $0.hasSuffix("-closes.ndjson") }
        XCTAssertEqual(closes.count, 1, "the full sync's closes are kept in the raw zone")
        let mappings = try MappingCatalog.load(directory: fixture.mappings)
        let outcomes = try Retransformer(layout: DataLayout(root: fixture.data), mappings: mappings).rebuild(tenant: "acme")
        XCTAssertEqual(outcomes["tickets"]?.merge.deleted, 2)
        XCTAssertEqual(try history(), original, "the rebuilt history closes the same rows at the same times")
        XCTAssertNil(try fixture.currentTickets("acme")["testdesk:42"])
        _ = try Retransformer(layout: DataLayout(root: fixture.data), mappings: mappings).rebuild(tenant: "acme", table: "tickets")
        XCTAssertEqual(try history(), original, "and so does rebuilding one table in place")
        // A rebuild that fails midway (a damaged raw line) leaves the live table as it was.
        let damaged = fixture.data + "/tenants/acme/raw/testdesk/tickets/" + closes[0]
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: damaged))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"at\": \"not a time\"}\n".utf8))
        try handle.close()
        XCTAssertThrowsError(try Retransformer(layout: DataLayout(root: fixture.data), mappings: mappings).rebuild(tenant: "acme", table: "tickets")) {
            XCTAssertTrue("\($0)".contains(closes[0] + ":3"), "names the file and line: \($0)")
        }
        XCTAssertEqual(try history(), original, "a failed rebuild changes nothing")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.data + "/tenants/acme/warehouse.sqlite.rebuild-tickets"))
    }

    /// After a mapping change that writes the keys differently, the rebuilt history still
    /// closes the rows the full sync closed: every row its pages did not hold, under the
    /// keys the new mapping writes (the keys the closes file lists are the old ones).
    func testRebuildingAfterAKeyFormatChangeStillClosesTheRowsAFullSyncClosed() async throws {
        let dataset = "rk\(UUID().uuidString.prefix(6).lowercased())"
        try fixture.addTenant("acme", dataset: dataset)
        _ = try await fixture.run()
        for id in [7, 42] { _ = try await fixture.server.json("/dataset/\(dataset)/delete?id=\(id)") }
        let full = try await fixture.run { $0.full = true }
        XCTAssertEqual(full.failed.count, 0, "\(full.failed)")
        let mappingFile = fixture.mappings + "/services/testdesk.json"
        let mapping = try String(contentsOfFile: mappingFile, encoding: .utf8)
        try mapping.replacingOccurrences(of: #""id": "id""#, with: #""id": {"concat": ["company.id", "id"], "separator": "-"}"#)
            .write(toFile: mappingFile, atomically: true, encoding: .utf8)
        let mappings = try MappingCatalog.load(directory: fixture.mappings)
        let outcomes = try Retransformer(layout: DataLayout(root: fixture.data), mappings: mappings).rebuild(tenant: "acme")
        XCTAssertEqual(outcomes["tickets"]?.merge.deleted, 2)
        let current = try fixture.currentTickets("acme")
        XCTAssertEqual(current.count, 248, "\(current.keys.sorted().prefix(3))")
        XCTAssertNotNil(current["testdesk:1-8"], "keys in the new format")
        XCTAssertNil(current["testdesk:0-7"], "closed under its new key")
        XCTAssertNil(current["testdesk:0-42"])
    }

    func testTheCommandRefusesUnknownTablesAndTenants() throws {
        try fixture.addTenant("acme", dataset: "x")
        let cli = RecordingCLI()
        let base = ["--plugins", fixture.plugins, "--data", fixture.data, "--mappings", fixture.mappings, "retransform"]
        XCTAssertEqual(cli.run(base + ["--tenant-id", "acme", "--table", "invoices"], environment: fixture.environment), 1)
        XCTAssertTrue(cli.standardError.contains("unknown canonical table \"invoices\""), cli.standardError)
        let other = RecordingCLI()
        XCTAssertEqual(other.run(base + ["--tenant-id", "nobody"], environment: fixture.environment), 1)
        XCTAssertTrue(other.standardError.contains("nobody"), other.standardError)
        XCTAssertEqual(RecordingCLI().run(base + ["--tenant-id", "../etc"], environment: fixture.environment), 2)
    }

    func testTheCommandWaitsForNoRunAndReleasesTheLockAfterwards() async throws {
        try fixture.addTenant("acme", dataset: "locked")
        let report = try await fixture.run()
        XCTAssertEqual(report.failed.count, 0)
        let base = ["--plugins", fixture.plugins, "--data", fixture.data, "--mappings", fixture.mappings, "retransform"]
        let store = try ControlStore(dataDirectory: fixture.data)
        let liveRun = LockOwner(pid: 1, host: ProcessInfo.processInfo.hostName)  // pid 1 is alive: not stale
        XCTAssertEqual(try store.acquireLock(tenant: TenantID("acme"), owner: liveRun), .acquired)
        let refused = RecordingCLI()
        XCTAssertEqual(refused.run(base + ["--tenant-id", "acme"], environment: fixture.environment), 1)
        XCTAssertTrue(refused.standardError.contains("being synced by another run (pid 1"), refused.standardError)
        XCTAssertTrue(try store.releaseLock(tenant: TenantID("acme"), owner: liveRun))

        let allowed = RecordingCLI()
        XCTAssertEqual(allowed.run(base + ["--tenant-id", "acme"], environment: fixture.environment), 0, allowed.standardError)
        XCTAssertEqual(try store.acquireLock(tenant: TenantID("acme"), owner: liveRun), .acquired, "released when done")
    }

    func testALockHeartbeatKeepsTheLockFreshUntilStopped() throws {
        try fixture.addTenant("acme", dataset: "beat")
        let store = try ControlStore(dataDirectory: fixture.data)
        let owner = LockOwner(pid: 1, host: "elsewhere")
        XCTAssertEqual(try store.acquireLock(tenant: TenantID("acme"), owner: owner, now: Date(timeIntervalSinceNow: -600)), .acquired)
        let heartbeat = LockHeartbeat.start(dataDirectory: fixture.data, tenant: try TenantID("acme"), owner: owner, interval: 0.05)
        Thread.sleep(forTimeInterval: 0.4)
        heartbeat.stop()
        // A 10-minute-old lock would be stale; the beats made it fresh, so another owner is refused.
        let other = LockOwner(pid: 2, host: "elsewhere")
        guard case .held = try store.acquireLock(tenant: TenantID("acme"), owner: other) else {
            return XCTFail("the heartbeat did not refresh the lock")
        }
    }

    /// A heartbeat that finds its lock taken by another process says so, and a rebuild told
    /// so stops and leaves the warehouse as it was.
    func testALostLockStopsTheRebuildAndLeavesTheWarehouseAsItWas() async throws {
        let dataset = "lost\(UUID().uuidString.prefix(6).lowercased())"
        try fixture.addTenant("acme", dataset: dataset)
        _ = try await fixture.run()
        let original = try history()
        let store = try ControlStore(dataDirectory: fixture.data)
        let owner = LockOwner(pid: 1, host: "elsewhere")
        XCTAssertEqual(try store.acquireLock(tenant: TenantID("acme"), owner: owner), .acquired)
        let heartbeat = LockHeartbeat.start(dataDirectory: fixture.data, tenant: try TenantID("acme"), owner: owner, interval: 0.02)
        defer { heartbeat.stop() }
        XCTAssertFalse(heartbeat.isLost)
        try SQLiteDatabase(path: fixture.data + "/control.sqlite").execute("UPDATE run_locks SET owner_pid = 2 WHERE tenant_id = 'acme'")
        let deadline = Date().addingTimeInterval(10)
        while !heartbeat.isLost && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
        XCTAssertTrue(heartbeat.isLost, "the beat found another owner")
        let mappings = try MappingCatalog.load(directory: fixture.mappings)
        for table in [nil, "tickets"] as [String?] {
            XCTAssertThrowsError(try Retransformer(layout: DataLayout(root: fixture.data), mappings: mappings)
                .rebuild(tenant: "acme", table: table, lockLost: { heartbeat.isLost })) {
                XCTAssertTrue("\($0)".contains("lock was taken"), "\($0)")
            }
            XCTAssertEqual(try history(), original)
        }
    }
}
