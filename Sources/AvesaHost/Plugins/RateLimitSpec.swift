/// How a service states when its rate-limit window resets.
public enum ResetKind: Int32, Sendable {
    case none = 0, secondsUntilReset, unixTime
}

/// A service's default limits per credential and how it signals throttling
/// (`avesa_rate_limit`). Users override rate, burst and concurrency per tenant.
public struct RateLimitSpec: Sendable, Equatable {
    /// Sustained requests per second.
    public let requestsPerSecond: Double
    /// Token-bucket burst.
    public let burst: UInt32
    /// Maximum requests in flight.
    public let maxConcurrent: UInt32
    /// Status codes meaning "slow down".
    public let throttleStatuses: [Int32]
    public let retryAfterHeader: String?
    public let remainingHeader: String?
    public let limitHeader: String?
    public let resetHeader: String?
    public let resetKind: ResetKind
    /// Header with "name=used/limit" usage (Salesforce).
    public let usageHeader: String?

    /// Creates a spec from its parts (the loader builds them from manifests).
    public init(requestsPerSecond: Double, burst: UInt32, maxConcurrent: UInt32, throttleStatuses: [Int32],
                retryAfterHeader: String?, remainingHeader: String?, limitHeader: String?, resetHeader: String?,
                resetKind: ResetKind, usageHeader: String?) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
        self.maxConcurrent = maxConcurrent
        self.throttleStatuses = throttleStatuses
        self.retryAfterHeader = retryAfterHeader
        self.remainingHeader = remainingHeader
        self.limitHeader = limitHeader
        self.resetHeader = resetHeader
        self.resetKind = resetKind
        self.usageHeader = usageHeader
    }

    /// "5/s, burst 10, 4 concurrent".
    public var summary: String {
        let rate = requestsPerSecond == requestsPerSecond.rounded() ? String(Int(requestsPerSecond)) : String(requestsPerSecond)
        return "\(rate)/s, burst \(burst), \(maxConcurrent) concurrent"
    }
}
