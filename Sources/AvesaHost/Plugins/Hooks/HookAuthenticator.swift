/// `AVESA_AUTH_CUSTOM`: the plugin's `authenticate` hook decorates each request with the
/// headers it returns (existing headers of the same name are replaced).
///
/// The request context carries no endpoint (the authenticator sees requests, not
/// endpoints): `endpoint` is "" and `page_token` NULL. A hook failure is thrown as
/// `PluginHookError` and is not retried; a 401 is not retried either (`invalidate` is
/// false), since the hook holds no token the host could drop.
public struct HookAuthenticator: RequestAuthenticator {
    /// The hooks and the (tenant, service) they authenticate for.
    public let hooks: TenantHooks

    /// Creates the authenticator.
    public init(hooks: TenantHooks) {
        self.hooks = hooks
    }

    public func authorize(_ request: inout HTTPClientRequest) async throws {
        let headers = try await hooks.authenticate(hooks.values())
        for header in headers {
            request.headers.removeAll { $0.name.caseInsensitiveCompare(header.name) == .orderedSame }
            request.headers.append(header)
        }
    }
}
