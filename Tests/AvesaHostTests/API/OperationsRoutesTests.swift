@testable import AvesaHost
import Foundation
import XCTest

/// `GET /metrics`: the operator's scraper on loopback sees every tenant; a tenant's admin
/// sees that tenant's series only, never another tenant's ids or volumes.
final class OperationsRoutesTests: XCTestCase {
    func testMetricsShowATenantsAdminOnlyItsOwnTenantAndTheLoopbackScraperEveryTenant() async throws {
        let f = try APIFixture(self)
        let control = ControlWorker(store: try ControlStore(dataDirectory: f.root + "/operations-control"))
        var router = Router()
        OperationsRoutes.register(on: &router, context: f.context, control: control, pluginCount: 0)
        let server = HTTPServer(router: router, middleware: [AuthenticationMiddleware(context: f.context)])
        // Series of both fixture tenants, under a service no other test uses.
        MetricsRegistry.shared.connector(RateLimitKey(tenant: "acme", service: "metrics-isolation")).recordRetry()
        MetricsRegistry.shared.connector(RateLimitKey(tenant: "globex", service: "metrics-isolation")).recordRetry()

        func metrics(token: String?, remote: String?) async throws -> (status: Int, text: String) {
            var request = try HTTPRequest(method: .get, target: "/metrics",
                                          headers: token.map { ["Authorization": "Bearer " + $0] } ?? [:])
            if let remote { request.remoteAddress = SocketAddress(host: remote, port: 40000) }
            let response = await server.respond(to: request)
            return (response.status.code, String(decoding: response.bodyBytes, as: UTF8.self))
        }

        let globex = try await metrics(token: try f.globexAdmin, remote: "203.0.113.7")
        XCTAssertEqual(globex.status, 200)
        XCTAssertTrue(globex.text.contains(#"avesa_connector_retries_total{tenant="globex",service="metrics-isolation"} 1"#), globex.text)
        XCTAssertFalse(globex.text.contains(#"tenant="acme""#), "another tenant's series leaked:\n\(globex.text)")
        XCTAssertFalse(globex.text.contains("avesa_pipeline_runs_total"), "process-wide counters add up every tenant")

        let scraper = try await metrics(token: nil, remote: "127.0.0.1")
        XCTAssertEqual(scraper.status, 200)
        XCTAssertTrue(scraper.text.contains(#"tenant="acme",service="metrics-isolation""#), scraper.text)
        XCTAssertTrue(scraper.text.contains(#"tenant="globex",service="metrics-isolation""#), scraper.text)
        XCTAssertTrue(scraper.text.contains("avesa_pipeline_runs_total"))

        let viewer = try await metrics(token: try f.acmeViewer, remote: "203.0.113.7")
        XCTAssertEqual(viewer.status, 403)
        let anonymous = try await metrics(token: nil, remote: "203.0.113.7")
        XCTAssertEqual(anonymous.status, 401)
    }
}

/// `GET /api/pipeline/runs` shows a run that covered many tenants as the caller's tenant
/// lived it: another tenant's failure is not the caller's.
final class PipelineRunViewTests: XCTestCase {
    func testARunIsSeenWithTheCallersOwnStatusAndEnd() throws {
        let acme = try TenantID("acme")
        func table(_ status: RunStatus, finished: String?) -> RunTableRecord {
            var record = RunTableRecord(runID: 7, tenant: acme, service: "connectwise", table: "service/tickets", status: status,
                                        startedAt: "2026-03-31T10:00:00.000Z")
            record.finishedAt = finished
            return record
        }
        // The run failed (another tenant's table did) and ended late; acme's tables are done.
        let failedElsewhere = RunSummaryRow(id: 7, startedAt: "2026-03-31T10:00:00.000Z", finishedAt: "2026-03-31T11:00:00.000Z",
                                            status: .failed, summary: nil)
        let done = PipelineRoutes.runJSON(failedElsewhere, tenantTables: [table(.done, finished: "2026-03-31T10:05:00.000Z"),
                                                                          table(.done, finished: "2026-03-31T10:02:00.000Z")])
        XCTAssertEqual(done["status"]?.string, "done")
        XCTAssertEqual(done["finished_at"]?.string, "2026-03-31T10:05:00.000Z")
        // One of acme's own tables failed.
        let failed = PipelineRoutes.runJSON(failedElsewhere, tenantTables: [table(.done, finished: "2026-03-31T10:05:00.000Z"),
                                                                            table(.failed, finished: "2026-03-31T10:06:00.000Z")])
        XCTAssertEqual(failed["status"]?.string, "failed")
        // Still going: running, and no end yet.
        let going = RunSummaryRow(id: 7, startedAt: "2026-03-31T10:00:00.000Z", finishedAt: nil, status: .running, summary: nil)
        let running = PipelineRoutes.runJSON(going, tenantTables: [table(.running, finished: nil)])
        XCTAssertEqual(running["status"]?.string, "running")
        XCTAssertEqual(running["finished_at"], .null)
    }
}

/// One tenant's warehouse reads are bounded (`TenantReadGate`): past its permits and its
/// queue a read is shed with 503, and other tenants are not held back by it.
final class TenantReadGateTests: XCTestCase {
    func testATenantPastItsReadsIsShedWhileAnotherTenantIsServed() async throws {
        let f = try APIFixture(self, tenantReads: TenantReadGate(permitsPerTenant: 1, maxWaitingPerTenant: 0))
        let acme = f.context.tenantReads.limiter(for: "acme")
        let held = await acme.acquire(unlessWaiting: 0)
        XCTAssertTrue(held)
        let shed = try await f.get("/api/tickets", token: try f.acmeViewer)
        XCTAssertEqual(shed.status, 503, shed.text)
        XCTAssertEqual(shed.errorCode, "server_busy")
        XCTAssertEqual(shed.headers["Retry-After"], "1")
        let other = try await f.get("/api/tickets", token: try f.globexAdmin)
        XCTAssertEqual(other.status, 200, "another tenant is served")
        await acme.release()
        let served = try await f.get("/api/tickets", token: try f.acmeViewer)
        XCTAssertEqual(served.status, 200, "the permit came back")
        let again = try await f.get("/api/analytics/dashboard", token: try f.acmeViewer)
        XCTAssertEqual(again.status, 200, "and every read returned its permit")
        let free = await acme.acquire(unlessWaiting: 0)
        XCTAssertTrue(free, "no permit is left held after the requests")
    }
}

/// The pipeline endpoints check their parameters, are bounded on the control database's
/// one thread, and say why a run cannot start instead of answering 500.
final class PipelineRoutesTests: XCTestCase {
    func testPipelineEndpointsCheckParametersShedExcessReadsAndSayWhyARunCannotStart() async throws {
        let f = try APIFixture(self)
        let data = f.root + "/pipeline-control"
        let store = try ControlStore(dataDirectory: data)
        let environment = ["AVESA_MASTER_KEY": String(repeating: "5c", count: 32)]
        _ = try store.addTenant(try TenantID("acme"), name: "Acme")
        _ = try store.addService(tenant: try TenantID("acme"), service: "retired", enabledTables: nil, rateLimitOverride: nil,
                                 credentials: ["token": "t"], vault: try CredentialVault(environment: environment, dataDirectory: data))
        let control = ControlWorker(store: store)
        defer { control.stop() }
        let engine = CurlEngine()
        defer { engine.shutdown() }
        try FileManager.default.createDirectory(atPath: f.root + "/no-plugins", withIntermediateDirectories: true)
        let pipeline = PipelineService(plugins: try PluginCatalog.scan(directory: f.root + "/no-plugins"),
                                       mappings: try MappingCatalog.load(directory: TestPaths.repositoryRoot + "/mappings"),
                                       dataDirectory: data, control: control,
                                       vault: try CredentialVault(environment: environment, dataDirectory: data), engine: engine, log: { _ in })
        var context = f.context
        context.controlReads = AsyncLimiter(permits: 1)
        context.maxWaitingControlReads = 0
        var router = Router()
        PipelineRoutes.register(on: &router, context: context, control: control, pipeline: pipeline)
        let server = HTTPServer(router: router, middleware: [AuthenticationMiddleware(context: context)])
        let token = try f.acmeAdmin
        func send(_ method: HTTPMethod, _ target: String) async throws -> (status: Int, body: JSONValue?) {
            let response = await server.respond(to: try HTTPRequest(method: method, target: target, headers: ["Authorization": "Bearer " + token]))
            return (response.status.code, response.bodyBytes.isEmpty ? nil : try JSONParser.parse(response.bodyBytes))
        }
        for target in ["/api/pipeline/runs?limit=0", "/api/pipeline/runs?limit=101", "/api/pipeline/runs?bogus=1",
                       "/api/pipeline/status?limit=5"] {
            let (status, body) = try await send(.get, target)
            XCTAssertEqual(status, 400, target)
            XCTAssertEqual(body?["error"]?["code"]?.string, "invalid_parameter", target)
        }
        let runs = try await send(.get, "/api/pipeline/runs?limit=5")
        XCTAssertEqual(runs.status, 200)
        XCTAssertEqual(runs.body?["data"]?.array?.count, 0)
        // The tenant's service has no plugin any more: the admin is told, not given a 500.
        let start = try await send(.post, "/api/pipeline/run")
        XCTAssertEqual(start.status, 409, "\(String(describing: start.body))")
        XCTAssertEqual(start.body?["error"]?["code"]?.string, "run_not_possible")
        XCTAssertTrue(start.body?["error"]?["message"]?.string?.contains("no loaded plugin provides it") ?? false, "\(String(describing: start.body))")
        // Past its permits and queue, a control read is shed rather than queued behind the pipeline.
        let held = await context.controlReads.acquire(unlessWaiting: 0)
        XCTAssertTrue(held)
        let shed = try await send(.get, "/api/pipeline/status")
        XCTAssertEqual(shed.status, 503)
        XCTAssertEqual(shed.body?["error"]?["code"]?.string, "server_busy")
        await context.controlReads.release()
        let status = try await send(.get, "/api/pipeline/status")
        XCTAssertEqual(status.status, 200)
        XCTAssertEqual(status.body?["services"]?[0]?["service"]?.string, "retired")
    }
}
