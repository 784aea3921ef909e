/// When and how long to wait before retrying a GET: capped exponential backoff with
/// full jitter (delay = random(0, min(cap, base · 2^attempt))), a per-request attempt
/// limit, and the classification of statuses and errors. Pure: the random source is
/// passed in.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts per request, the first included.
    public var maxAttempts: Int = 5
    /// Backoff base in seconds.
    public var baseDelay: Double = 0.5
    /// Largest backoff in seconds.
    public var maxDelay: Double = 30

    /// The defaults above.
    public init(maxAttempts: Int = 5, baseDelay: Double = 0.5, maxDelay: Double = 30) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// What to do with an attempt's outcome.
    public enum Decision: Sendable, Equatable {
        /// Success: hand the response to the caller.
        case accept
        /// The service is throttling: pause the key (Retry-After seconds, or backoff) and retry.
        case throttled(retryAfter: Double?)
        /// A transient failure (5xx, 408, timeout, transport): back off and retry.
        case retry
        /// A permanent failure: fail at once.
        case fail
    }

    /// Classifies a response status. `throttleStatuses` come from the manifest (429, 503...).
    public func decide(status: Int, throttleStatuses: [Int32], retryAfter: Double?) -> Decision {
        if (200..<300).contains(status) { return .accept }
        if status == 429 || throttleStatuses.contains(Int32(status)) { return .throttled(retryAfter: retryAfter) }
        if status == 408 || (500...599).contains(status) { return .retry }
        return .fail
    }

    /// The backoff before attempt `attempt + 1` (attempt counts from 1), with
    /// `random(upper)` returning a uniform value in 0...upper.
    public func backoff(afterAttempt attempt: Int, random: (Double) -> Double = { Double.random(in: 0...$0) }) -> Double {
        let exponent = min(Double(attempt - 1), 30)
        let ceiling = min(maxDelay, baseDelay * pow2(exponent))
        return random(ceiling)
    }

    private func pow2(_ exponent: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(exponent) { result *= 2 }
        return result
    }
}
