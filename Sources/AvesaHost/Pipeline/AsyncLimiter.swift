/// A counting semaphore for async tasks: at most `permits` holders at once, waiters
/// served in arrival order. The run's global concurrency budget.
public actor AsyncLimiter {
    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// A limiter with `permits` permits (at least 1).
    public init(permits: Int) {
        available = max(1, permits)
    }

    /// Waits for a permit.
    public func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Waits for a permit unless `maxWaiters` tasks are waiting already: then returns false
    /// at once, holding nothing (a caller that sheds load instead of queueing without end).
    public func acquire(unlessWaiting maxWaiters: Int) async -> Bool {
        if available > 0 {
            available -= 1
            return true
        }
        guard waiters.count < maxWaiters else { return false }
        await withCheckedContinuation { waiters.append($0) }
        return true
    }

    /// Returns a permit (handing it to the next waiter, if any).
    public func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Runs `body` holding a permit, or returns nil at once without running it when
    /// `maxWaiters` tasks are waiting already (`acquire(unlessWaiting:)`).
    public func withPermit<T: Sendable>(unlessWaiting maxWaiters: Int, _ body: @Sendable () async throws -> T) async rethrows -> T? {
        guard await acquire(unlessWaiting: maxWaiters) else { return nil }
        defer { release() }
        return try await body()
    }

    /// Runs `body` holding a permit.
    public func withPermit<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        await acquire()
        defer { release() }
        return try await body()
    }
}
