import Foundation

/// What the host services need to know about the (tenant, service) on whose behalf a hook
/// runs: the tenant's credentials and base URL (for request contexts and relative URLs)
/// and the `ServiceClient` that performs the hook's `http` calls.
///
/// Ownership: one per (tenant, service), kept alive by whoever runs that key's pages
/// (the `TenantHooks` value holds it). While a hook runs, its worker thread points at
/// this object (`HookWorker.currentCall`), which is how the host's C `http` function
/// finds the right client: hooks of different tenants use different clients.
///
/// The client is attached after creation because the client's authenticator may itself
/// be a `HookAuthenticator` built from this context; the context holds it weakly so that
/// context → client → authenticator → context is not a cycle. Whoever runs the key's
/// requests (a `PageStream`, the scheduler) keeps the client alive. Thread-safe (under `lock`).
public final class HookClientContext: @unchecked Sendable {
    /// Whose credential this is.
    public let key: RateLimitKey
    /// API root (templates filled) that relative URLs from hooks are resolved against.
    public let baseURL: String
    /// Credential values by field name, as the request context's `credential` returns them.
    public let credentials: [String: String]
    private let lock = NSLock()
    private weak var attachedClient: ServiceClient?  // under lock

    /// Creates the context; attach the key's client with `attach(_:)` before hooks call `http`.
    public init(key: RateLimitKey, baseURL: String, credentials: [String: String]) {
        self.key = key
        self.baseURL = baseURL
        self.credentials = credentials
    }

    /// Makes `client` the one hooks of this key send their `http` requests through
    /// (held weakly: see the type's comment).
    public func attach(_ client: ServiceClient) {
        lock.withLock { attachedClient = client }
    }

    /// The attached client, if it is still alive.
    public var client: ServiceClient? { lock.withLock { attachedClient } }
}
