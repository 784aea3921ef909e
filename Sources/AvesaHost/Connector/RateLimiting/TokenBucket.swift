/// A token bucket with reservations, as a pure value: `rate` tokens per second refill
/// up to `burst`; each request takes one token, and when none is left it reserves the
/// next one, so the returned wait spaces requests exactly at the rate and never above it.
/// Time is passed in (seconds on a monotonic clock) so tests need no clock.
public struct TokenBucket: Sendable, Equatable {
    /// Tokens per second.
    public private(set) var rate: Double
    /// Largest number of tokens held.
    public private(set) var burst: Double
    /// Tokens available now; negative when requests have reserved future tokens.
    public private(set) var tokens: Double
    /// When `tokens` was last brought up to date.
    public private(set) var updatedAt: Double

    /// A full bucket at time `now`.
    public init(rate: Double, burst: Int, now: Double) {
        precondition(rate > 0 && burst >= 1, "rate must be > 0 and burst >= 1")
        self.rate = rate
        self.burst = Double(burst)
        self.tokens = Double(burst)
        self.updatedAt = now
    }

    /// Takes one token and returns how many seconds the caller must wait before sending
    /// (0 when a token was available).
    public mutating func reserve(now: Double) -> Double {
        refill(now: now)
        tokens -= 1
        return tokens >= 0 ? 0 : -tokens / rate
    }

    /// Changes the rate (for example when a service reports it is near its limit),
    /// keeping reservations already made.
    public mutating func setRate(_ newRate: Double, now: Double) {
        refill(now: now)
        rate = max(newRate, 0.001)
    }

    /// Gives back a token reserved and not used (its request waited out a pause and
    /// reserves again).
    public mutating func refund() {
        tokens = min(burst, tokens + 1)
    }

    /// Empties the bucket and stops it refilling until `until` (a pause): afterwards
    /// requests are spaced at the rate from an empty bucket, not sent as a burst.
    public mutating func hold(until: Double, now: Double) {
        refill(now: now)
        tokens = min(tokens, 0)
        updatedAt = max(updatedAt, until)
    }

    private mutating func refill(now: Double) {
        guard now > updatedAt else { return }  // held (paused) until later
        tokens = min(burst, tokens + (now - updatedAt) * rate)
        updatedAt = now
    }
}
