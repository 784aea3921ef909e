@testable import AvesaHost
import Foundation
import PluginABI
import XCTest

/// The hook bridge with real C plugins (Tests/Fixtures/plugins/hooks_plugin.c) against
/// the scenario server: custom auth, build_request, parse_page, plan_chunks, the host
/// services, error messages, memory released exactly once, and serialization.
final class PluginHooksTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = TestPaths.makeTemporaryDirectory("plugin-hooks")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Every block the fixture handed out was freed exactly once, and nothing else was.
    private func assertFreedExactlyOnce(_ fixture: HooksFixture, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThan(fixture.counter("allocations"), 0, file: file, line: line)
        XCTAssertEqual(fixture.counter("frees"), fixture.counter("allocations"), "every result freed", file: file, line: line)
        XCTAssertEqual(fixture.counter("double_frees"), 0, file: file, line: line)
        XCTAssertEqual(fixture.counter("foreign_frees"), 0, file: file, line: line)
    }

    func testCustomAuthBuildRequestAndParsePageDriveThePageLoop() async throws {
        let fixture = try HooksFixture(in: directory, clock: { 1_700_000_000_123 })
        XCTAssertEqual(fixture.counter("init_calls"), 0, "init runs lazily, not at load")
        let context = fixture.context(tenant: "acme", key: "key-acme")
        let client = try fixture.client(for: context)
        let pages = try await fixture.fetchAll(context, client: client)

        XCTAssertEqual(pages.count, 3, "size 3 over 7 records; parse_page's next tokens drive the loop")
        let records = pages.flatMap(\.records)
        XCTAssertEqual(records.compactMap { $0[0]?.int64 }, Array(0..<7))
        XCTAssertEqual(records.compactMap { $0[1]?.string }, (0..<7).map { "r\($0)" })
        let first = pages[0]
        XCTAssertEqual(String(decoding: first.recordBytes[first.records[0].byteRange], as: UTF8.self), #"{"id":0,"name":"r0"}"#)
        XCTAssertTrue(String(decoding: first.body, as: UTF8.self).hasPrefix("0,r0\n"), "the raw body is kept as received")
        XCTAssertEqual(pages.map(\.position), [.start, .token("3"), .token("6")])
        XCTAssertEqual(pages.last?.step, .finished(watermark: "done-watermark"))

        XCTAssertEqual(fixture.counter("init_calls"), 1)
        XCTAssertEqual(fixture.counter("last_now"), 1_700_000_000_123, "now_unix_ms reads the host's clock")
        XCTAssertEqual(fixture.log.lines, [RecordingLogSink.Line(service: "hooks", level: .info, message: "hooks fixture initialised")])
        let served = try await ScenarioServer.shared.json("/count?counter=hooks:items:key-acme")
        XCTAssertEqual(served["count"] as? Int, 3, "the signature header arrived and build_request's URL was used")
        assertFreedExactlyOnce(fixture)
    }

    func testPlanChunksResultIsRead() async throws {
        let fixture = try HooksFixture(in: directory)
        let tenant = TenantHooks(hooks: fixture.hooks, context: fixture.context(tenant: "acme", key: "key-acme"))
        let split = try await tenant.planChunks(tenant.values(endpoint: "items", since: "1000", until: "2000"), count: 250)
        XCTAssertEqual(split, [HookChunk(since: "1000", until: "1333"), HookChunk(since: "1333", until: "1666"),
                               HookChunk(since: "1666", until: "2000")])
        let whole = try await tenant.planChunks(tenant.values(endpoint: "items", since: "5"), count: nil)
        XCTAssertEqual(whole, [HookChunk(since: "5", until: nil)])
        XCTAssertEqual(fixture.counter("init_calls"), 1)
        assertFreedExactlyOnce(fixture)
    }

    func testAFailingHookNamesThePluginTheHookAndItsMessage() async throws {
        let fixture = try HooksFixture(["FAIL_BUILD_REQUEST", #"HOOKS_NAME="failing""#], in: directory)
        let context = fixture.context(tenant: "acme", key: "key-acme")
        let client = try fixture.client(for: context)
        do {
            _ = try await fixture.fetchAll(context, client: client)
            XCTFail("build_request fails")
        } catch let error as PluginHookError {
            XCTAssertEqual(error.plugin, "failing")
            XCTAssertEqual(error.hook, "build_request")
            XCTAssertEqual(error.status, AVESA_ERR_FAILED)
            XCTAssertEqual(error.message, "no query language for endpoint items")
            XCTAssertEqual(error.description,
                           #"plugin "failing": hook build_request failed (AVESA_ERR_FAILED): no query language for endpoint items"#)
        }
        assertFreedExactlyOnce(fixture)
    }

    func testAMissingCredentialFailsAuthenticateWithAnAuthStatus() async throws {
        let fixture = try HooksFixture(in: directory)
        let context = HookClientContext(key: RateLimitKey(tenant: "t", service: "hooks"), baseURL: ScenarioServer.shared.baseURL,
                                        credentials: [:])
        var request = HTTPClientRequest(url: context.baseURL + "/echo")
        do {
            try await HookAuthenticator(hooks: TenantHooks(hooks: fixture.hooks, context: context)).authorize(&request)
            XCTFail("authenticate fails without api_key")
        } catch let error as PluginHookError {
            XCTAssertEqual(error.hook, "authenticate")
            XCTAssertEqual(error.status, AVESA_ERR_AUTH)
            XCTAssertEqual(error.message, "credential api_key is missing")
        }
        assertFreedExactlyOnce(fixture)
    }

    func testBuildRequestCallsHostHTTPThroughEachTenantsOwnClient() async throws {
        // Serialized and calling http from build_request: the nested authenticate runs on
        // the blocked hook thread itself instead of deadlocking the one-thread pool.
        let fixture = try HooksFixture(["HTTP_IN_BUILD", "SERIALIZE"], in: directory)
        XCTAssertEqual(fixture.hooks.threadCount, 1)
        let a = fixture.context(tenant: "a", key: "key-tenant-a")
        let b = fixture.context(tenant: "b", key: "key-tenant-b")
        let clientA = try fixture.client(for: a)
        let clientB = try fixture.client(for: b)
        async let pagesA = fixture.fetchAll(a, client: clientA)
        async let pagesB = fixture.fetchAll(b, client: clientB)
        let (resultA, resultB) = try await (pagesA, pagesB)
        XCTAssertEqual(resultA.flatMap(\.records).compactMap { $0[0]?.int64 }, Array(0..<7))
        XCTAssertEqual(resultB.flatMap(\.records).compactMap { $0[0]?.int64 }, Array(0..<7))
        // The server answers 403 when a session belongs to another key: each tenant's
        // session came through its own client and credential.
        for key in ["key-tenant-a", "key-tenant-b"] {
            let sessions = try await ScenarioServer.shared.json("/count?counter=hooks:session:\(key)")
            XCTAssertEqual(sessions["count"] as? Int, 3, "one session request per page for \(key)")
        }
        XCTAssertEqual(clientA.metrics.snapshot.requests, 6)
        XCTAssertEqual(fixture.counter("overlaps"), 0, "serialized: no two top-level hooks at once")
        assertFreedExactlyOnce(fixture)
    }

    /// An `init` that calls the host's `http` with custom authentication (which needs the
    /// state `init` is still making) fails with a clear error instead of deadlocking.
    func testAnInitThatCallsBackIntoThePluginFailsInsteadOfDeadlocking() async throws {
        let fixture = try HooksFixture(["HTTP_IN_INIT"], in: directory)
        let context = fixture.context(tenant: "acme", key: "key-init")
        let client = try fixture.client(for: context)
        do {
            _ = try await fixture.fetchAll(context, client: client)
            XCTFail("init cannot authenticate through itself")
        } catch let error as PluginHookError {
            XCTAssertEqual(error.hook, "init")
            XCTAssertTrue(error.message.contains("called back into the plugin before it returned"), error.message)
        }
    }

    func testHostHTTPFailuresReachTheHookAsErrors() async throws {
        let fixture = try HooksFixture(["HTTP_IN_BUILD"], in: directory)
        let context = fixture.context(tenant: "acme", key: "nokey")  // the server refuses this signature
        let client = try fixture.client(for: context)
        do {
            _ = try await fixture.fetchAll(context, client: client)
            XCTFail("the session request is refused")
        } catch let error as PluginHookError {
            XCTAssertEqual(error.hook, "build_request")
            XCTAssertEqual(error.status, AVESA_ERR_AUTH)
            XCTAssertTrue(error.message.hasPrefix("session request failed: authentication failed: HTTP 401"), error.message)
        }
        assertFreedExactlyOnce(fixture)
    }

    func testSerializedHooksNeverRunConcurrently() async throws {
        let fixture = try HooksFixture(["SERIALIZE", "HOOK_DELAY_US=20000"], in: directory, threads: 4)
        XCTAssertTrue(fixture.hooks.serialized)
        try await planConcurrently(fixture, calls: 8)
        XCTAssertEqual(fixture.counter("max_in_flight"), 1)
        XCTAssertEqual(fixture.counter("overlaps"), 0)
        XCTAssertEqual(fixture.counter("init_calls"), 1, "concurrent first calls share one init")
    }

    func testUnserializedHooksRunInParallelOnThePool() async throws {
        let fixture = try HooksFixture(["HOOK_DELAY_US=20000"], in: directory, threads: 2)
        try await planConcurrently(fixture, calls: 8)
        XCTAssertEqual(fixture.counter("max_in_flight"), 2, "the fixture sees concurrent entry when the host allows it")
        XCTAssertEqual(fixture.counter("init_calls"), 1, "concurrent first calls share one init")
    }

    private func planConcurrently(_ fixture: HooksFixture, calls: Int) async throws {
        let tenant = TenantHooks(hooks: fixture.hooks, context: fixture.context(tenant: "acme", key: "key-acme"))
        try await withThrowingTaskGroup(of: [HookChunk].self) { group in
            for _ in 0..<calls {
                group.addTask { try await tenant.planChunks(tenant.values(endpoint: "items"), count: nil) }
            }
            for try await plan in group { XCTAssertEqual(plan, [HookChunk(since: nil, until: nil)]) }
        }
        assertFreedExactlyOnce(fixture)
    }

    func testCustomAuthWithoutHooksIsRefused() throws {
        let fixture = try HooksFixture(in: directory)
        XCTAssertThrowsError(try AuthenticatorFactory.make(auth: fixture.plugin.manifest.auth, credentials: [:],
                                                           engine: ConnectorFixtures.engine)) { error in
            guard case ConnectorError.authentication(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("authenticate hook"), message)
        }
    }

    func testAPluginWithoutHooksHasNoBridge() throws {
        let path = try CPluginCompiler.compile(source: CPluginCompiler.fixtureSource, libraryName: "libPlain.so", into: directory)
        XCTAssertNil(try PluginHooks(plugin: try PluginLoader.load(path: path)))
    }

    func testNDJSONBecomesAJSONArrayIgnoringBlankLines() {
        let (bytes, lines) = HookPageParser.jsonArray(fromNDJSON: Array("{\"a\":1}\r\n\n  \n{\"a\":2}".utf8))
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "[{\"a\":1}\r,{\"a\":2}]")
        XCTAssertEqual(lines, 2)
        XCTAssertEqual(HookPageParser.jsonArray(fromNDJSON: []).lines, 0)
    }
}
