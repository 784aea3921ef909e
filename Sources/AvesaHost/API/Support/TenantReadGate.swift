import Foundation

/// How many warehouse reads of one tenant run at once. A read holds a Dispatch thread and
/// up to a core for as long as its queries take (an uncached dashboard window ~0.3 s on a
/// million tickets), so without a bound one tenant's users, or one user varying a query to
/// miss the cache, could hold every thread and core and starve every other tenant.
///
/// Each tenant gets `permitsPerTenant` reads at once (twice the cores by default); up to
/// `maxWaitingPerTenant` more wait their turn without holding a thread, and past that a
/// read is refused at once (the route answers 503 `server_busy`). One `AsyncLimiter` per
/// tenant read so far, kept for the process's life (tenants are few and come from verified
/// tokens). Thread-safe: `limiters` only under `lock`.
public final class TenantReadGate: @unchecked Sendable {
    /// Reads of one tenant running at once.
    public let permitsPerTenant: Int
    /// Reads of one tenant waiting beyond which a read is refused.
    public let maxWaitingPerTenant: Int
    private let lock = NSLock()
    private var limiters: [String: AsyncLimiter] = [:]

    /// A gate with the given bounds.
    public init(permitsPerTenant: Int = 2 * ProcessInfo.processInfo.activeProcessorCount, maxWaitingPerTenant: Int = 256) {
        self.permitsPerTenant = max(1, permitsPerTenant)
        self.maxWaitingPerTenant = max(0, maxWaitingPerTenant)
    }

    /// The limiter of `tenant`'s reads.
    func limiter(for tenant: String) -> AsyncLimiter {
        lock.withLock {
            if let limiter = limiters[tenant] { return limiter }
            let limiter = AsyncLimiter(permits: permitsPerTenant)
            limiters[tenant] = limiter
            return limiter
        }
    }

    /// Runs `body` holding one of `tenant`'s read permits.
    /// - Throws: 503 `server_busy` when `maxWaitingPerTenant` reads of the tenant wait already.
    func withPermit<T: Sendable>(tenant: String, _ body: @Sendable () async throws -> T) async throws -> T {
        guard let result = try await limiter(for: tenant).withPermit(unlessWaiting: maxWaitingPerTenant, body) else {
            throw HTTPError(.serviceUnavailable, code: "server_busy", message: "Too many requests of this tenant at once; retry shortly.",
                            headers: ["Retry-After": "1"])
        }
        return result
    }
}
