/// A plugin's hooks bound to one (tenant, service): what the authenticator and the page
/// stream hold. A value; the bridge and the context are shared references.
public struct TenantHooks: Sendable {
    /// The plugin's bridge (one per plugin).
    public let hooks: PluginHooks
    /// The (tenant, service) the calls are made for.
    public let context: HookClientContext

    /// Binds `hooks` to `context`.
    public init(hooks: PluginHooks, context: HookClientContext) {
        self.hooks = hooks
        self.context = context
    }

    /// Which hooks the plugin provides.
    public var available: HookSet { hooks.available }

    /// Values for a request context of `endpoint` at the tenant's base URL.
    public func values(endpoint: String = "", since: String? = nil, until: String? = nil,
                       pageToken: String? = nil, pageSize: Int = 0) -> HookRequestValues {
        HookRequestValues(endpoint: endpoint, baseURL: context.baseURL, since: since, until: until,
                          pageToken: pageToken, pageSize: pageSize)
    }

    /// See `PluginHooks.authenticate`.
    public func authenticate(_ values: HookRequestValues) async throws -> [(name: String, value: String)] {
        try await hooks.authenticate(values, for: context)
    }

    /// See `PluginHooks.buildRequest`.
    public func buildRequest(_ values: HookRequestValues) async throws -> HTTPClientRequest {
        try await hooks.buildRequest(values, for: context)
    }

    /// See `PluginHooks.parsePage`.
    public func parsePage(_ values: HookRequestValues, response: HTTPClientResponse) async throws -> HookPage {
        try await hooks.parsePage(values, response: response, for: context)
    }

    /// See `PluginHooks.planChunks`.
    public func planChunks(_ values: HookRequestValues, count: Int64?) async throws -> [HookChunk] {
        try await hooks.planChunks(values, count: count, for: context)
    }
}
