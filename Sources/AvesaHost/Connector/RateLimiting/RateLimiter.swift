import Foundation

/// Keeps one (tenant, service) credential within its limits: at most `maxConcurrent`
/// requests in flight (FIFO waiters) and a token bucket for the rate. A throttled
/// response pauses this key only (`pause(seconds:)`); rate headers can slow it down
/// before the service starts refusing. Callers must pair every successful `acquire()`
/// with one `release()`.
public actor RateLimiter {
    /// The configured limits.
    public let limit: RateLimit
    private var bucket: TokenBucket
    private var inFlight = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextWaiterID: UInt64 = 0
    private var pausedUntil: Double = 0
    private let clock: @Sendable () -> Double

    /// The most requests that were in flight at once (for tests and metrics).
    public private(set) var peakInFlight = 0

    /// Creates a limiter; `clock` returns monotonic seconds (injectable for tests).
    public init(limit: RateLimit, clock: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds) {
        self.limit = limit
        self.clock = clock
        self.bucket = TokenBucket(rate: limit.requestsPerSecond, burst: limit.burst, now: clock())
    }

    /// Seconds on the system's monotonic clock.
    public static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Waits for a concurrency slot and a token (and for any pause to end). Throws
    /// `CancellationError` if the task is cancelled while waiting; no slot is then held.
    public func acquire() async throws {
        try await takeSlot()
        do {
            while true {
                // A pause first; then a token, reserved after it, so requests that waited
                // out a pause go out at the rate, not all at once.
                while pausedUntil > clock() { try await sleep(pausedUntil - clock()) }
                let wait = bucket.reserve(now: clock())
                if wait > 0 { try await sleep(wait) }
                // A pause that began meanwhile is waited out too, with a fresh token (this
                // one goes back: it was never used).
                if pausedUntil <= clock() { return }
                bucket.refund()
            }
        } catch {
            release()
            throw error
        }
    }

    /// Returns a concurrency slot taken by `acquire()`.
    public func release() {
        if let next = waiters.first {
            waiters.removeFirst()
            next.continuation.resume()   // The slot passes straight to the next waiter.
        } else {
            inFlight -= 1
        }
    }

    /// Stops sending on this key for `seconds` (a 429/503 with Retry-After, or a rate
    /// header saying the window is spent). Requests already waiting honour it too.
    public func pause(seconds: Double) {
        guard seconds > 0, seconds.isFinite else { return }
        pausedUntil = max(pausedUntil, clock() + min(seconds, 3600))
        // The bucket does not refill while the service asked for quiet: no burst afterwards.
        bucket.hold(until: pausedUntil, now: clock())
    }

    /// Sleeps `seconds`, at most a day at a time (callers loop and re-check): a pause from
    /// a hostile reset header must not overflow the conversion.
    private func sleep(_ seconds: Double) async throws {
        try await Task.sleep(nanoseconds: UInt64(min(max(seconds, 0), 86_400) * 1e9))
    }

    /// Seconds left in the current pause (0 when not paused).
    public func remainingPause() -> Double { max(0, pausedUntil - clock()) }

    /// Sends at `fraction` of the configured rate (1 restores it); used when a usage
    /// header says the service's quota is nearly spent.
    public func throttle(toFraction fraction: Double) {
        bucket.setRate(limit.requestsPerSecond * min(1, max(0.01, fraction)), now: clock())
    }

    private func takeSlot() async throws {
        if inFlight < limit.maxConcurrent {
            inFlight += 1
            peakInFlight = max(peakInFlight, inFlight)
            return
        }
        nextWaiterID += 1
        let id = nextWaiterID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
