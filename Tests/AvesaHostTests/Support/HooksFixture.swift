@testable import AvesaHost
import Foundation
import Glibc

/// A compiled variant of Tests/Fixtures/plugins/hooks_plugin.c, loaded, with its hook
/// bridge and its exported counters (read through dlsym on the plugin's handle).
struct HooksFixture {
    static let source = TestPaths.repositoryRoot + "/Tests/Fixtures/plugins/hooks_plugin.c"

    let plugin: LoadedPlugin
    let hooks: PluginHooks
    let log = RecordingLogSink()

    /// Compiles `defines` into `directory` and loads the result with a bridge.
    init(_ defines: [String] = [], in directory: String, clock: (@Sendable () -> Int64)? = nil, threads: Int = 2) throws {
        let name = "libHooks\(UUID().uuidString.prefix(8)).so"
        let path = try CPluginCompiler.compile(source: Self.source, defines: defines, libraryName: name, into: directory)
        plugin = try PluginLoader.load(path: path)
        hooks = try XCTUnwrapHooks(PluginHooks(plugin: plugin, logSink: log, clock: clock, threads: threads))
    }

    /// The value of the fixture's exported counter `hooks_fixture_<name>`.
    func counter(_ name: String) -> Int {
        guard let symbol = dlsym(plugin.handle, "hooks_fixture_" + name) else { return -1 }
        return unsafeBitCast(symbol, to: (@convention(c) () -> Int).self)()
    }

    /// A (tenant, service) context at the scenario server with `key` as its api_key.
    func context(tenant: String, key: String) -> HookClientContext {
        let base = ScenarioServer.shared.baseURL
        return HookClientContext(key: RateLimitKey(tenant: tenant, service: plugin.manifest.service), baseURL: base,
                                 credentials: ["api_url": base, "api_key": key])
    }

    /// A client for `context` authenticated by the plugin's `authenticate` hook, attached
    /// to the context (so hooks' `http` calls use it).
    func client(for context: HookClientContext) throws -> ServiceClient {
        let authenticator = try AuthenticatorFactory.make(auth: plugin.manifest.auth, credentials: context.credentials,
                                                          engine: ConnectorFixtures.engine,
                                                          hooks: TenantHooks(hooks: hooks, context: context))
        let client = ConnectorFixtures.client(authenticator: authenticator)
        context.attach(client)
        return client
    }

    /// Fetches every page of the fixture's "items" endpoint for `context`.
    func fetchAll(_ context: HookClientContext, client: ServiceClient) async throws -> [FetchedPage] {
        let endpoint = try XCTUnwrapHooks(plugin.manifest.endpoint(named: "items"))
        var stream = try PageStream(client: client, endpoint: endpoint,
                                    query: EndpointQuery(baseURL: context.baseURL, credentials: context.credentials),
                                    fields: try JSONFieldPlan(dotted: ["id", "name"]),
                                    hooks: TenantHooks(hooks: hooks, context: context))
        var pages: [FetchedPage] = []
        while let page = try await stream.next() { pages.append(page) }
        return pages
    }
}

private struct MissingValue: Error {}

private func XCTUnwrapHooks<T>(_ value: T?) throws -> T {
    guard let value else { throw MissingValue() }
    return value
}
