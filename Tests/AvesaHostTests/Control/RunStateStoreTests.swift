@testable import AvesaHost
import Foundation
import XCTest

/// Watermarks, runs, chunks and tenant run locks.
final class RunStateStoreTests: XCTestCase {
    private var store: ControlStore!
    private let acme = try! TenantID("acme")

    override func setUpWithError() throws {
        store = try ControlStore(dataDirectory: makeDataDirectory())
        try store.addTenant(acme, name: "Acme")
        try store.addService(tenant: acme, service: "connectwise", enabledTables: nil, rateLimitOverride: nil,
                             credentials: [:], vault: ControlTestSupport.vault())
    }

    override func tearDown() {
        store = nil
    }

    func testWatermarksAreSetReadAndReplaced() throws {
        XCTAssertNil(try store.watermark(tenant: acme, service: "connectwise", table: "service/tickets"))
        try store.setWatermark("2026-01-01T00:00:00Z", tenant: acme, service: "connectwise", table: "service/tickets")
        try store.setWatermark("2026-02-01T00:00:00Z", tenant: acme, service: "connectwise", table: "service/tickets")
        XCTAssertEqual(try store.watermark(tenant: acme, service: "connectwise", table: "service/tickets"), "2026-02-01T00:00:00Z")
        XCTAssertNil(try store.watermark(tenant: acme, service: "connectwise", table: "company/companies"))
        XCTAssertThrowsError(try store.setWatermark("x", tenant: acme, service: "m365", table: "users")) {
            XCTAssertEqual($0 as? ControlError, .unknownTenantService(tenant: "acme", service: "m365"))
        }
    }

    func testChunkStatusUpdatesAreStoredAndUnfinishedChunksListed() throws {
        let run = try store.createRun()
        let first = try store.createChunk(runID: run, tenant: acme, service: "connectwise", table: "service/tickets",
                                          since: "2026-01-01", until: "2026-02-01")
        let second = try store.createChunk(runID: run, tenant: acme, service: "connectwise", table: "service/tickets",
                                           since: "2026-02-01", until: nil)
        XCTAssertEqual(first.status, .pending)
        try store.updateChunk(first.id, status: .running, resumeCursor: "page=3", records: 200)
        try store.updateChunk(second.id, status: .done, records: 50)
        let reloaded = try XCTUnwrap(try store.chunk(first.id))
        XCTAssertEqual(reloaded.status, .running)
        XCTAssertEqual(reloaded.resumeCursor, "page=3")
        XCTAssertEqual(reloaded.records, 200)
        XCTAssertEqual(reloaded.since, "2026-01-01")
        XCTAssertEqual(try store.unfinishedChunks(tenant: acme, service: "connectwise", table: "service/tickets").map(\.id), [first.id])
        try store.updateChunk(first.id, status: .failed, resumeCursor: "page=4", records: 300, error: "HTTP 500")
        XCTAssertEqual(try store.chunk(first.id)?.error, "HTTP 500")
        XCTAssertEqual(try store.chunks(runID: run).map(\.status), [.failed, .done])
        XCTAssertThrowsError(try store.updateChunk(9999, status: .done, records: 0))
    }

    /// A failed chunk keeps where its last committed page left off, so the next run resumes
    /// it there (a delta round from its start would miss the deletions it still had to
    /// report); chunks a full sync supersedes are never resumed.
    func testAFailedChunkKeepsItsCursorAndASupersededOneIsNotResumed() throws {
        let run = try store.createRun()
        let chunk = try store.createChunk(runID: run, tenant: acme, service: "connectwise", table: "service/tickets", since: nil, until: nil)
        try store.updateChunk(chunk.id, status: .running, resumeCursor: "page:4", records: 300)
        try store.failChunk(chunk.id, error: "HTTP 503")
        let failed = try XCTUnwrap(try store.unfinishedChunks(tenant: acme, service: "connectwise", table: "service/tickets").first)
        XCTAssertEqual(failed.status, .failed)
        XCTAssertEqual(failed.resumeCursor, "page:4")
        XCTAssertEqual(failed.records, 300)
        XCTAssertEqual(failed.error, "HTTP 503")
        try store.supersedeChunks([chunk.id], note: "superseded by the full sync of run 9")
        XCTAssertTrue(try store.unfinishedChunks(tenant: acme, service: "connectwise", table: "service/tickets").isEmpty)
        XCTAssertEqual(try store.chunks(runID: run).first?.error, "superseded by the full sync of run 9")
        XCTAssertNotNil(try store.runStartedAt(run))
        XCTAssertNil(try store.runStartedAt(run + 100))
    }

    func testRunsAndRunTablesAreRecorded() throws {
        let run = try store.createRun()
        XCTAssertEqual(try store.runStatus(run), .running)
        var table = RunTableRecord(runID: run, tenant: acme, service: "connectwise", table: "service/tickets", status: .running)
        try store.recordRunTable(table)
        table.status = .done
        table.records = 1200
        table.pages = 12
        table.requests = 13
        table.retries = 1
        table.throttles = 2
        table.finishedAt = ControlClock.timestamp()
        try store.recordRunTable(table)
        try store.finishRun(run, status: .done, summary: ["records": 1200])
        XCTAssertEqual(try store.runTables(run), [table])
        XCTAssertEqual(try store.runStatus(run), .done)
    }

    func testFinishingATableRecordsItsOutcomeAndAdvancesItsWatermarkTogether() throws {
        let run = try store.createRun()
        let newer: (String, String?) -> Bool = { candidate, stored in stored.map { candidate > $0 } ?? true }
        var table = RunTableRecord(runID: run, tenant: acme, service: "connectwise", table: "service/tickets", status: .done)
        table.records = 5
        try store.finishTable(table, advancingWatermarkTo: "2026-02-01T00:00:00Z", isNewer: newer)
        XCTAssertEqual(try store.runTables(run), [table])
        XCTAssertEqual(try store.watermark(tenant: acme, service: "connectwise", table: "service/tickets"), "2026-02-01T00:00:00Z")

        try store.finishTable(table, advancingWatermarkTo: "2026-01-01T00:00:00Z", isNewer: newer)
        XCTAssertEqual(try store.watermark(tenant: acme, service: "connectwise", table: "service/tickets"), "2026-02-01T00:00:00Z",
                       "never moved backwards")

        // An outcome that cannot be recorded (no such run) leaves the watermark as it was.
        var orphan = table
        orphan.runID = run + 100
        XCTAssertThrowsError(try store.finishTable(orphan, advancingWatermarkTo: "2026-03-01T00:00:00Z", isNewer: newer))
        XCTAssertEqual(try store.watermark(tenant: acme, service: "connectwise", table: "service/tickets"), "2026-02-01T00:00:00Z")
        XCTAssertEqual(try store.runTables(run + 100), [])
    }

    func testALockIsExclusiveUntilReleased() throws {
        let policy = LockStalenessPolicy(localHost: "here", isProcessAlive: { _ in true })
        let one = LockOwner(pid: 100, host: "here"), two = LockOwner(pid: 200, host: "here")
        XCTAssertEqual(try store.acquireLock(tenant: acme, owner: one, policy: policy), .acquired)
        XCTAssertEqual(try store.acquireLock(tenant: acme, owner: one, policy: policy), .acquired, "re-entrant for the holder")
        guard case .held(let holder) = try store.acquireLock(tenant: acme, owner: two, policy: policy) else {
            return XCTFail("second owner got the lock")
        }
        XCTAssertEqual(holder.owner, one)
        XCTAssertFalse(try store.releaseLock(tenant: acme, owner: two), "only the holder releases")
        XCTAssertTrue(try store.releaseLock(tenant: acme, owner: one))
        XCTAssertEqual(try store.acquireLock(tenant: acme, owner: two, policy: policy), .acquired)
    }

    func testALockWithAnOldHeartbeatIsRecovered() throws {
        let policy = LockStalenessPolicy(maximumHeartbeatAge: 30, localHost: "here", isProcessAlive: { _ in true })
        let remote = LockOwner(pid: 100, host: "elsewhere"), local = LockOwner(pid: 200, host: "here")
        let start = Date()
        XCTAssertEqual(try store.acquireLock(tenant: acme, owner: remote, policy: policy, now: start), .acquired)
        XCTAssertTrue(try store.heartbeatLock(tenant: acme, owner: remote, now: start.addingTimeInterval(20)))
        XCTAssertFalse(try store.acquireLock(tenant: acme, owner: local, policy: policy, now: start.addingTimeInterval(40)).isAcquired)
        let outcome = try store.acquireLock(tenant: acme, owner: local, policy: policy, now: start.addingTimeInterval(51))
        guard case .recovered(let previous) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(previous.owner, remote)
        XCTAssertEqual(try store.lock(tenant: acme)?.owner, local)
        XCTAssertFalse(try store.heartbeatLock(tenant: acme, owner: remote), "the old holder learns it lost the lock")
    }

    func testALockOfADeadLocalProcessIsRecovered() throws {
        // A child that has exited and been reaped: its pid no longer exists.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = LockOwner(pid: child.processIdentifier, host: LockOwner.current.host)
        XCTAssertFalse(LockStalenessPolicy.processExists(dead.pid))
        XCTAssertTrue(LockStalenessPolicy.processExists(getpid()))
        XCTAssertEqual(try store.acquireLock(tenant: acme, owner: dead), .acquired)
        guard case .recovered(let previous) = try store.acquireLock(tenant: acme) else { return XCTFail("not recovered") }
        XCTAssertEqual(previous.owner, dead)
        XCTAssertEqual(try store.lock(tenant: acme)?.owner, .current)
    }

    /// Containers sharing a host name number their processes alike: a holder with this
    /// process's pid in another container is not this process, and its pid says nothing here
    /// (a dead-looking pid there is no sign the holder died).
    func testAHolderInAnotherPidNamespaceIsNeitherUsNorJudgedByItsPid() throws {
        let twin = LockOwner(pid: getpid(), host: LockOwner.current.host, namespace: "other-boot/pid:[1]", token: "their-token")
        XCTAssertEqual(try store.acquireLock(tenant: acme, owner: twin), .acquired)
        guard case .held(let holder) = try store.acquireLock(tenant: acme) else { return XCTFail("took a lock held by the twin") }
        XCTAssertEqual(holder.owner, twin)
        XCTAssertFalse(try store.heartbeatLock(tenant: acme), "nor beats for it")
        XCTAssertFalse(try store.releaseLock(tenant: acme), "nor releases it")
        let policy = LockStalenessPolicy(isProcessAlive: { _ in false })
        XCTAssertFalse(try store.acquireLock(tenant: acme, policy: policy).isAcquired, "its pid is not checked here")
        XCTAssertTrue(try store.acquireLock(tenant: acme, policy: policy, now: Date().addingTimeInterval(120)).isAcquired,
                      "a stale heartbeat still frees it")
        if FileManager.default.fileExists(atPath: "/proc/sys/kernel/random/boot_id") {
            XCTAssertFalse(LockOwner.currentNamespace.isEmpty, "this machine's /proc names the pid namespace")
        }
    }

    func testALiveLocalHolderIsNotRecovered() throws {
        let live = LockOwner(pid: getppid(), host: LockOwner.current.host)
        XCTAssertEqual(try store.acquireLock(tenant: acme, owner: live), .acquired)
        XCTAssertFalse(try store.acquireLock(tenant: acme).isAcquired)
    }

    func testOfSeveralConnectionsRacingForALockExactlyOneWins() throws {
        let data = store.dataDirectory
        let results = NSLock()
        nonisolated(unsafe) var winners = 0
        nonisolated(unsafe) var errors: [String] = []
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            do {
                let racer = try ControlStore(dataDirectory: data)
                let outcome = try racer.acquireLock(tenant: TenantID("acme"), owner: LockOwner(pid: Int32(1000 + index), host: "remote"))
                if outcome.isAcquired { results.withLock { winners += 1 } }
            } catch {
                results.withLock { errors.append("\(error)") }
            }
        }
        XCTAssertEqual(errors, [])
        XCTAssertEqual(winners, 1)
    }

    func testLockingAnUnknownTenantFails() {
        XCTAssertThrowsError(try store.acquireLock(tenant: tenantID("ghost"))) {
            XCTAssertEqual($0 as? ControlError, .unknownTenant("ghost"))
        }
    }
}
