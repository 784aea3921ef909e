@testable import AvesaHost
import Foundation
import XCTest

/// The pipeline end to end on real parts — a dlopen'd C plugin, HTTP on loopback, the
/// raw zone, SQLite warehouses and the control database: isolation between tenants,
/// incremental runs, history, deletions and failures that stay contained.
final class PipelineRunnerTests: XCTestCase {
    private var fixture: PipelineFixture!
    private let unique = UUID().uuidString.prefix(6).lowercased()

    override func setUpWithError() throws {
        fixture = try PipelineFixture()
    }

    override func tearDown() {
        fixture.remove()
    }

    func testTwoTenantsEachGetOnlyTheirOwnData() async throws {
        try fixture.addTenant("acme", dataset: "acme\(unique)")
        try fixture.addTenant("beta", dataset: "beta\(unique)")
        let report = try await fixture.run()
        XCTAssertEqual(report.failed.count, 0, "\(report.failed)")
        XCTAssertEqual(report.tables.count, 2)
        let acme = try fixture.currentTickets("acme"), beta = try fixture.currentTickets("beta")
        XCTAssertEqual(acme.count, 250)
        XCTAssertEqual(beta.count, 250)
        XCTAssertEqual(acme["testdesk:7"], "Ticket 7 v0")
        let rawFiles = try FileManager.default.subpathsOfDirectory(atPath: fixture.data + "/tenants/acme/raw")
        XCTAssertTrue(rawFiles.contains { $0.hasPrefix("testdesk/tickets/") && $0.hasSuffix(".ndjson") }, "\(rawFiles)")
        // Each warehouse holds exactly its tenant's rows: no file is shared.
        XCTAssertNotEqual(try String(contentsOfFile: fixture.data + "/tenants/acme/warehouse.sqlite", encoding: .isoLatin1).count, 0)
    }

    func testAFirstRunLeavesEveryAnalyticsIndexBuilt() async throws {
        try fixture.addTenant("acme", dataset: "acme\(unique)")
        // 250 tickets: past a threshold of 100 their indexes are dropped mid-run.
        let report = try await fixture.run { $0.bulkLoadThreshold = 100 }
        XCTAssertEqual(report.failed.count, 0, "\(report.failed)")
        let database = try SQLiteDatabase(path: fixture.data + "/tenants/acme/warehouse.sqlite")
        XCTAssertEqual(try schemaNames(database, type: "index", table: "tickets"), allTicketIndexes,
                       "deferred during the first load, built before the run ended")
        XCTAssertEqual(try fixture.currentTickets("acme").count, 250)
    }

    func testAnIncrementalRunFetchesOnlyChangesAndKeepsHistory() async throws {
        let dataset = "inc\(unique)"
        try fixture.addTenant("acme", dataset: dataset)
        _ = try await fixture.run()
        let before = try await fixture.server.json("/dataset/\(dataset)/stats")["served"] as? Int ?? -1
        XCTAssertEqual(before, 250)
        let changed = try await fixture.server.json("/dataset/\(dataset)/change?n=25")["changed"] as? [Int] ?? []
        XCTAssertEqual(changed.count, 25)
        let report = try await fixture.run()
        XCTAssertEqual(report.failed.count, 0, "\(report.failed)")
        let after = try await fixture.server.json("/dataset/\(dataset)/stats")["served"] as? Int ?? -1
        XCTAssertEqual(after - before, 25, "the second run fetches only the 25 changed records")
        let current = try fixture.currentTickets("acme")
        XCTAssertEqual(current.count, 250)
        XCTAssertEqual(current["testdesk:\(changed[0])"], "Ticket \(changed[0]) v1")
        XCTAssertEqual(try fixture.versions("acme", id: "testdesk:\(changed[0])"), 2, "the old version stays in history")
        XCTAssertEqual(try fixture.versions("acme", id: "testdesk:\(changed[0] + 1)"), 1)
    }

    func testAnIncrementalRunOfALargeTableCountsItsRangeFirstAndRebuildsDeferredIndexes() async throws {
        fixture.remove()
        fixture = try PipelineFixture(rangeFilter: true)
        let dataset = "count\(unique)"
        try fixture.addTenant("acme", dataset: dataset)
        _ = try await fixture.run()
        func countRequests() async throws -> Int { try await fixture.server.json("/dataset/\(dataset)/stats")["count_requests"] as? Int ?? -1 }
        let afterFirstLoad = try await countRequests()
        _ = try await fixture.server.json("/dataset/\(dataset)/change?n=25")
        let plainIncremental = try await fixture.run()
        XCTAssertEqual(plainIncremental.failed.count, 0)
        let smallTableCounts = try await countRequests()
        XCTAssertEqual(smallTableCounts, afterFirstLoad, "250 rows: below the default 100,000, no count request")
        // 30 of 250 rows (12%): past the announced bar max(10, 10%), short of the written one (20%),
        // so only the announcement can defer the indexes.
        let changed = try await fixture.server.json("/dataset/\(dataset)/change?n=30")["changed"] as? [Int] ?? []
        let events = LockedEvents()
        let report = try await fixture.run({
            $0.incrementalCountProbeRows = 200
            $0.bulkLoadThreshold = 10
        }, log: { events.append($0) })
        XCTAssertEqual(report.failed.count, 0, "\(report.failed)")
        XCTAssertTrue(events.messages.contains { $0.contains("records to write: the analytics indexes of tickets are deferred") },
                      "\(events.messages)")
        let afterProbe = try await countRequests()
        XCTAssertEqual(afterProbe, smallTableCounts + 1, "one count request for the incremental range")
        XCTAssertEqual(try fixture.currentTickets("acme")["testdesk:\(changed[0])"], "Ticket \(changed[0]) v2")
        let database = try SQLiteDatabase(path: fixture.data + "/tenants/acme/warehouse.sqlite")
        XCTAssertEqual(try schemaNames(database, type: "index", table: "tickets"), allTicketIndexes, "rebuilt when the run ended")
        XCTAssertEqual(try integrityCheck(database), "ok")
    }

    func testAFullRunClosesRecordsThatDisappeared() async throws {
        let dataset = "del\(unique)"
        try fixture.addTenant("acme", dataset: dataset)
        _ = try await fixture.run()
        _ = try await fixture.server.json("/dataset/\(dataset)/delete?id=42")
        let report = try await fixture.run { $0.full = true }
        XCTAssertEqual(report.failed.count, 0)
        let current = try fixture.currentTickets("acme")
        XCTAssertEqual(current.count, 249)
        XCTAssertNil(current["testdesk:42"])
        XCTAssertEqual(try fixture.versions("acme", id: "testdesk:42"), 1, "the closed row stays as history")
    }

    func testAFullRunWithSeenKeysSpilledToDiskClosesTheSameRecordsAndLeavesNoScratchFiles() async throws {
        let dataset = "spill\(unique)"
        try fixture.addTenant("acme", dataset: dataset)
        _ = try await fixture.run()
        for id in [3, 42, 199] { _ = try await fixture.server.json("/dataset/\(dataset)/delete?id=\(id)") }
        let report = try await fixture.run { $0.full = true; $0.seenKeyMemoryLimit = 16 }
        XCTAssertEqual(report.failed.count, 0, "\(report.failed)")
        let current = try fixture.currentTickets("acme")
        XCTAssertEqual(current.count, 247)
        for id in [3, 42, 199] { XCTAssertNil(current["testdesk:\(id)"], "\(id)") }
        XCTAssertEqual(try fixture.versions("acme", id: "testdesk:42"), 1, "the closed row stays as history")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.data + "/tenants/acme/scratch"), "spilled keys removed")
    }

    func testAFailingTenantDoesNotStopTheOthersAndKeepsItsWatermark() async throws {
        try fixture.addTenant("good", dataset: "good\(unique)")
        // A wrong token: every request of this tenant gets 401.
        let store = try ControlStore(dataDirectory: fixture.data)
        let bad = try TenantID("bad")
        _ = try store.addTenant(bad, name: "Bad")
        _ = try store.addService(tenant: bad, service: "testdesk", enabledTables: nil, rateLimitOverride: nil,
                                 credentials: ["api_url": fixture.server.baseURL, "dataset": "bad\(unique)", "token": "wrong"],
                                 vault: try CredentialVault(environment: fixture.environment, dataDirectory: fixture.data))
        let report = try await fixture.run()
        XCTAssertEqual(report.failed.map(\.tenant.rawValue), ["bad"])
        XCTAssertTrue(report.failed[0].error?.contains("HTTP 401") ?? false, report.failed[0].error ?? "")
        XCTAssertEqual(try fixture.currentTickets("good").count, 250)
        XCTAssertNil(try store.watermark(tenant: bad, service: "testdesk", table: "tickets"))
        XCTAssertNotNil(try store.watermark(tenant: TenantID("good"), service: "testdesk", table: "tickets"))
    }

    /// Tables that never synced (their service could not connect) are saved with the run,
    /// so the tenant's view of it says failed, not done.
    func testTablesOfAServiceThatCannotConnectAreSavedAsFailedWithTheRun() async throws {
        try fixture.addTenant("good", dataset: "good\(unique)")
        let store = try ControlStore(dataDirectory: fixture.data)
        let broken = try TenantID("broken")
        _ = try store.addTenant(broken, name: "Broken")
        _ = try store.addService(tenant: broken, service: "testdesk", enabledTables: nil, rateLimitOverride: "not a rate",
                                 credentials: ["api_url": fixture.server.baseURL, "dataset": "broken\(unique)", "token": "broken\(unique)-token"],
                                 vault: try CredentialVault(environment: fixture.environment, dataDirectory: fixture.data))
        let report = try await fixture.run()
        XCTAssertEqual(report.failed.map(\.tenant.rawValue), ["broken"])
        let saved = try store.runTables(report.runID).filter { $0.tenant == broken }
        XCTAssertEqual(saved.map(\.status), [.failed])
        XCTAssertTrue(saved.first?.error?.contains("testdesk") ?? false, "\(saved)")
        let run = try XCTUnwrap(try store.recentRuns(limit: 1, tenant: broken).first, "the run is listed for the tenant")
        XCTAssertEqual(PipelineRoutes.runJSON(run, tenantTables: saved)["status"]?.string, "failed")
        let good = try store.runTables(report.runID).filter { $0.tenant.rawValue == "good" }
        XCTAssertEqual(PipelineRoutes.runJSON(run, tenantTables: good)["status"]?.string, "done", "the other tenant's failure is not its own")
    }

    /// A run whose tenant lock another process took (this run stalled past the stale limit)
    /// stops writing to the tenant: its tables fail, naming why.
    func testARunWhoseLockWasTakenStopsWritingToTheTenant() async throws {
        fixture.remove()
        fixture = try PipelineFixture(delayMilliseconds: 150)
        try fixture.addTenant("acme", dataset: "taken\(unique)")
        let data = fixture.data
        let thief = Task.detached {
            // Once the run holds the lock, another owner takes it over.
            let control = try SQLiteDatabase(path: data + "/control.sqlite")
            for _ in 0..<500 {
                try control.execute("UPDATE run_locks SET owner_pid = 999999, host = 'elsewhere' WHERE tenant_id = 'acme'")
                if control.changes > 0 { return true }
                try await Task.sleep(for: .milliseconds(10))
            }
            return false
        }
        let report = try await fixture.run { $0.lockHeartbeatSeconds = 0.05 }
        let stolen = try await thief.value
        XCTAssertTrue(stolen)
        XCTAssertEqual(report.tables.map(\.status), [.failed], "\(report.tables)")
        XCTAssertTrue(report.tables.first?.error?.contains("lock was taken by another process") ?? false, "\(report.tables)")
        XCTAssertLessThan(try fixture.currentTickets("acme").count, 250, "it stopped writing")
    }

    func testTenantsAreWorkedInIdOrderWithinTheirWindow() async throws {
        fixture.remove()
        fixture = try PipelineFixture(delayMilliseconds: 20)
        for tenant in ["gamma", "alpha", "beta"] { try fixture.addTenant(tenant, dataset: tenant + unique) }
        func windows(_ report: RunReport) -> [(tenant: String, start: String, end: String)] {
            report.tables.map { ($0.tenant.rawValue, $0.startedAt, $0.finishedAt ?? "") }.sorted { $0.start < $1.start }
        }
        let oneAtATime = try await fixture.run { $0.tenantConcurrency = 1 }
        XCTAssertEqual(oneAtATime.failed.count, 0, "\(oneAtATime.failed)")
        let sequence = windows(oneAtATime)
        XCTAssertEqual(sequence.map(\.tenant), ["alpha", "beta", "gamma"], "admitted in id order")
        for (earlier, later) in zip(sequence, sequence.dropFirst()) {
            XCTAssertLessThanOrEqual(earlier.end, later.start, "\(later.tenant) started before \(earlier.tenant) ended")
        }
        // With room for all three, their tables overlap (so the check above can fail).
        let together = windows(try await fixture.run { $0.full = true; $0.tenantConcurrency = 3 })
        XCTAssertTrue(zip(together, together.dropFirst()).contains { $0.end > $1.start }, "\(together)")
    }

    func testTwoRunsOfOneProcessNeverWorkTheSameTenantAtOnce() async throws {
        fixture.remove()
        fixture = try PipelineFixture(delayMilliseconds: 30)
        try fixture.addTenant("acme", dataset: "twice\(unique)")
        let fixture = self.fixture!
        // The control store's lock lets its own process through; the second run must not.
        async let first = fixture.run()
        // Once its first page is in the raw zone the first run is mid-table (13 pages, 30 ms each).
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: fixture.data + "/tenants/acme/raw") {
            try await Task.sleep(for: .milliseconds(10))
        }
        let second = try await fixture.run()
        XCTAssertEqual(second.failed.count, 1)
        XCTAssertTrue(second.failed.first?.error?.contains("another run of this process") ?? false, "\(second.failed)")
        let firstReport = try await first
        XCTAssertEqual(firstReport.failed.count, 0, "\(firstReport.failed)")
        XCTAssertEqual(try fixture.currentTickets("acme").count, 250)
        let third = try await fixture.run()
        XCTAssertEqual(third.failed.count, 0, "the tenant is free again once the first run ended")
    }

    func testAScheduledRunLeavesOutATenantAnotherRunIsSyncingAndWorksTheOthers() async throws {
        fixture.remove()
        fixture = try PipelineFixture(delayMilliseconds: 30)
        try fixture.addTenant("acme", dataset: "busy\(unique)")
        try fixture.addTenant("zeta", dataset: "free\(unique)")
        let fixture = self.fixture!
        async let first = fixture.run { $0.tenants = ["acme"] }
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: fixture.data + "/tenants/acme/raw") {
            try await Task.sleep(for: .milliseconds(10))
        }
        let scheduled = try await fixture.run { $0.skipBusyTenants = true }
        XCTAssertEqual(scheduled.skippedTenants.map(\.rawValue), ["acme"])
        XCTAssertEqual(scheduled.failed.count, 0, "left out, not failed: \(scheduled.failed)")
        XCTAssertEqual(Set(scheduled.tables.map(\.tenant.rawValue)), ["zeta"], "the other tenant synced")
        XCTAssertEqual(try fixture.currentTickets("zeta").count, 250)
        let store = try ControlStore(dataDirectory: fixture.data)
        XCTAssertTrue(try store.runTables(scheduled.runID).allSatisfy { $0.tenant.rawValue == "zeta" }, "nothing recorded for acme")
        let firstReport = try await first
        XCTAssertEqual(firstReport.failed.count, 0, "\(firstReport.failed)")
    }

    /// Asserts a run configured by `configure` fails before any work with an error naming `needle`.
    private func assertRunRefused(_ configure: (inout PipelineOptions) -> Void, mentioning needle: String,
                                  file: StaticString = #filePath, line: UInt = #line) async {
        do {
            _ = try await fixture.run(configure)
            XCTFail("expected an error", file: file, line: line)
        } catch {
            XCTAssertTrue("\(error)".contains(needle), "\(error)", file: file, line: line)
        }
    }

    func testUnknownTenantsAreRefusedBeforeAnyWork() async throws {
        try fixture.addTenant("acme", dataset: "x\(unique)")
        await assertRunRefused({ $0.tenants = ["nobody"] }, mentioning: "nobody")
    }

    /// A table no selected service has (a typo) is an error, not an empty run that succeeds.
    func testAnUnknownTableIsRefusedBeforeAnyWork() async throws {
        try fixture.addTenant("acme", dataset: "t\(unique)")
        await assertRunRefused({ $0.table = "tikets" }, mentioning: "no table \"tikets\"")
    }

    /// A command-line throttle naming a service no plugin provides (a typo) is an error before
    /// any work; one in the configuration file, which outlives tenants and plugins, is a
    /// warning, so a scheduled run does not stop for every tenant over a stale entry.
    func testARateLimitForAnUnknownServiceOrTenantIsRefusedOrWarnedAbout() async throws {
        try fixture.addTenant("acme", dataset: "r\(unique)")
        await assertRunRefused({ $0.rateOverrides["tesdesk"] = RateLimitOverride(requestsPerSecond: 1) },
                               mentioning: "\"tesdesk\", which no loaded plugin provides")
        let warnings = LockedLog()
        let report = try await fixture.run({
            $0.serviceRateDefaults["tesdesk"] = RateLimitOverride(maxConcurrent: 1)
            $0.tenantRateOverrides["gone"] = ["testdesk": RateLimitOverride(burst: 2)]
        }, log: { event in if event.level == .warning { warnings.append(event.message) } })
        XCTAssertEqual(report.failed.count, 0)
        XCTAssertTrue(warnings.entries.contains { $0.contains("service \"tesdesk\" applies to nothing") }, "\(warnings.entries)")
        XCTAssertTrue(warnings.entries.contains { $0.contains("tenant \"gone\" apply to nothing") }, "\(warnings.entries)")
    }

    func testBackfillFetchesTheRangeWithoutMovingTheWatermarkBack() async throws {
        let dataset = "bf\(unique)"
        try fixture.addTenant("acme", dataset: dataset)
        _ = try await fixture.server.json("/dataset/\(dataset)/change?n=10")
        _ = try await fixture.run()
        let store = try ControlStore(dataDirectory: fixture.data)
        let watermark = try store.watermark(tenant: TenantID("acme"), service: "testdesk", table: "tickets")
        XCTAssertEqual(watermark?.hasPrefix("2026-02-01"), true, watermark ?? "")
        let served = try await fixture.server.json("/dataset/\(dataset)/stats")["served"] as? Int ?? 0
        let cli = RecordingCLI()
        let status = cli.run(["--plugins", fixture.plugins, "--data", fixture.data, "--mappings", fixture.mappings,
                              "backfill", "--tenant-id", "acme", "--service", "testdesk", "--since", "2026-01-15"],
                             environment: fixture.environment)
        XCTAssertEqual(status, 0, cli.standardError)
        let after = try await fixture.server.json("/dataset/\(dataset)/stats")["served"] as? Int ?? 0
        XCTAssertEqual(after - served, 10, "only records changed since the date")
        XCTAssertEqual(try store.watermark(tenant: TenantID("acme"), service: "testdesk", table: "tickets"), watermark)
        XCTAssertEqual(RecordingCLI().run(["--data", fixture.data, "backfill", "--tenant-id", "acme", "--service", "testdesk",
                                           "--since", "yesterday"], environment: fixture.environment), 2)
    }

    /// Errors are stored, logged and served scrubbed of the tenant's secret credentials (a
    /// service can echo one in a body snippet, a plugin can put one in a URL path).
    func testErrorsAreScrubbedOfSecretCredentialValues() throws {
        let manifest = try FirstPartyPluginsTests.loadManifest("connectwise")
        let secrets = ServiceConnection.secretValues(of: manifest, in: ["private_key": "pk-SECRET-1234", "public_key": "pub", "company_id": "acme"])
        XCTAssertEqual(secrets, ["pk-SECRET-1234"], "secret fields only")
        XCTAssertEqual(ServiceConnection.scrub("HTTP 400: invalid key pk-SECRET-1234 for acme", secrets: secrets),
                       "HTTP 400: invalid key REDACTED for acme")
    }

    /// A range that starts after the stored watermark (a backfill of a later period while
    /// the table was failing) must not move it: what lies between would never be read.
    func testARangeStartingAfterTheWatermarkLeavesAGap() {
        let format = TimeFormat.iso8601
        XCTAssertTrue(PipelineRunner.startsAfter("2026-01-10T00:00:00Z", ["2026-01-12T00:00:00Z", "2026-01-20T00:00:00Z"], format: format))
        XCTAssertFalse(PipelineRunner.startsAfter("2026-01-10T00:00:00Z", ["2026-01-09T23:59:00Z"], format: format), "a regular run's look-back")
        XCTAssertFalse(PipelineRunner.startsAfter("2026-01-10T00:00:00Z", ["2026-01-12T00:00:00Z", nil], format: format), "one chunk covers the start")
        XCTAssertFalse(PipelineRunner.startsAfter(nil, ["2026-01-12T00:00:00Z"], format: format), "no watermark yet")
        XCTAssertFalse(PipelineRunner.startsAfter("https://graph/delta?t=1", ["x"], format: .opaque))
    }

    /// A backfill of a table never synced leaves it without a watermark: its first regular
    /// run still loads the whole history, older than the backfilled range included.
    func testABackfillOfANeverSyncedTableLeavesItsFirstFullLoadToCome() async throws {
        let dataset = "bf0\(unique)"
        try fixture.addTenant("acme", dataset: dataset)
        _ = try await fixture.server.json("/dataset/\(dataset)/change?n=10")
        let backfill = try await fixture.run { $0.backfill = (since: TimestampParser.microseconds("2026-01-15T00:00:00Z")!, until: nil) }
        XCTAssertEqual(backfill.failed.count, 0, "\(backfill.failed)")
        XCTAssertEqual(try fixture.currentTickets("acme").count, 10, "the range only")
        XCTAssertNil(try ControlStore(dataDirectory: fixture.data).watermark(tenant: TenantID("acme"), service: "testdesk", table: "tickets"))
        _ = try await fixture.run()
        XCTAssertEqual(try fixture.currentTickets("acme").count, 250, "the first regular run loads everything")
    }

    /// A killed backfill's chunk, resumed by the next regular run, does not give the table a
    /// watermark either: the run after it still loads the whole history.
    func testAKilledBackfillResumedByARegularRunLeavesTheFirstFullLoadToCome() async throws {
        let dataset = "bfk\(unique)"
        try fixture.addTenant("acme", dataset: dataset)
        _ = try await fixture.server.json("/dataset/\(dataset)/change?n=10")
        let store = try ControlStore(dataDirectory: fixture.data)
        let killed = try store.createRun()
        let chunk = try store.createChunk(runID: killed, tenant: TenantID("acme"), service: "testdesk", table: "tickets",
                                          since: "2026-01-15T00:00:00Z", until: nil)
        try store.updateChunk(chunk.id, status: .running, records: 0)
        let resumed = try await fixture.run()
        XCTAssertEqual(resumed.failed.count, 0, "\(resumed.failed)")
        XCTAssertEqual(try fixture.currentTickets("acme").count, 10, "the backfill's range, resumed")
        XCTAssertNil(try store.watermark(tenant: TenantID("acme"), service: "testdesk", table: "tickets"))
        _ = try await fixture.run()
        XCTAssertEqual(try fixture.currentTickets("acme").count, 250, "the next run loads everything")
    }

    func testServiceTestFetchesOnePageOrNamesTheFailure() throws {
        try fixture.addTenant("acme", dataset: "svc\(unique)")
        let base = ["--plugins", fixture.plugins, "--data", fixture.data, "--mappings", fixture.mappings]
        let ok = RecordingCLI()
        XCTAssertEqual(ok.run(base + ["service", "test", "--tenant-id", "acme", "--service", "testdesk"], environment: fixture.environment), 0,
                       ok.standardError)
        XCTAssertTrue(ok.standardOutput.contains("fetched one page of tickets (20 records)"), ok.standardOutput)
        let store = try ControlStore(dataDirectory: fixture.data)
        try store.saveCredentials(["api_url": fixture.server.baseURL, "dataset": "svc\(unique)", "token": "wrong"],
                                  tenant: TenantID("acme"), service: "testdesk",
                                  vault: try CredentialVault(environment: fixture.environment, dataDirectory: fixture.data))
        let bad = RecordingCLI()
        XCTAssertEqual(bad.run(base + ["service", "test", "--tenant-id", "acme", "--service", "testdesk"], environment: fixture.environment), 1)
        XCTAssertTrue(bad.standardError.contains("HTTP 401"), bad.standardError)
        XCTAssertFalse(bad.standardError.contains("wrong"), "the secret never appears")
    }

    func testAChunkOverItsTimeBudgetIsRequeuedAndStillCompletes() async throws {
        let dataset = "budget\(unique)"
        try fixture.addTenant("acme", dataset: dataset)
        let report = try await fixture.run { $0.chunkTimeBudgetSeconds = 0 }
        XCTAssertEqual(report.failed.count, 0, "\(report.failed)")
        XCTAssertEqual(report.tables.first?.records, 250)
        XCTAssertEqual(report.tables.first?.pages, 13)
        XCTAssertEqual(try fixture.currentTickets("acme").count, 250)
        let served = try await fixture.server.json("/dataset/\(dataset)/stats")["served"] as? Int
        XCTAssertEqual(served, 250, "each page fetched once across the slices")
        let store = try ControlStore(dataDirectory: fixture.data)
        XCTAssertNotNil(try store.watermark(tenant: TenantID("acme"), service: "testdesk", table: "tickets"))
    }
}
