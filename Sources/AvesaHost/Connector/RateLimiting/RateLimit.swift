/// Effective limits for one (tenant, service) credential: the manifest's defaults with
/// the service-wide and per-tenant overrides applied.
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    /// Sustained requests per second.
    public var requestsPerSecond: Double
    /// Token-bucket burst.
    public var burst: Int
    /// Maximum requests in flight.
    public var maxConcurrent: Int

    /// Creates limits from their parts.
    public init(requestsPerSecond: Double, burst: Int, maxConcurrent: Int) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
        self.maxConcurrent = maxConcurrent
    }

    /// The manifest's defaults.
    public init(_ spec: RateLimitSpec) {
        self.init(requestsPerSecond: spec.requestsPerSecond, burst: Int(spec.burst), maxConcurrent: Int(spec.maxConcurrent))
    }

    /// These limits with `override`'s parts replacing the matching ones.
    public func applying(_ override: RateLimitOverride?) -> RateLimit {
        guard let override else { return self }
        var result = self
        if let rate = override.requestsPerSecond {
            result.requestsPerSecond = rate
            // A lower rate with the old burst would still allow the old burst at once.
            if override.burst == nil { result.burst = max(1, min(result.burst, Int(rate.rounded(.up)))) }
        }
        if let burst = override.burst { result.burst = burst }
        if let concurrency = override.maxConcurrent { result.maxConcurrent = concurrency }
        return result
    }

    public var description: String { "\(requestsPerSecond)/s, burst \(burst), concurrency \(maxConcurrent)" }
}

/// A user's override of some limits, parsed from `N/s`, `N/min` or `N/h` with optional
/// `,burst=B,concurrency=C` (e.g. `10/s,burst=20,concurrency=4`, or `burst=5` alone).
public struct RateLimitOverride: Sendable, Equatable {
    public var requestsPerSecond: Double?
    public var burst: Int?
    public var maxConcurrent: Int?

    /// Creates an override from its parts.
    public init(requestsPerSecond: Double? = nil, burst: Int? = nil, maxConcurrent: Int? = nil) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
        self.maxConcurrent = maxConcurrent
    }

    /// Parses the RATE syntax; the error names the offending part.
    /// The slowest rate accepted: one request an hour.
    public static let slowestRate = 1.0 / 3600
    /// The fastest rate accepted: a million requests a second (no service allows more).
    public static let fastestRate = 1_000_000.0

    public static func parse(_ text: String) throws(RateLimitSyntaxError) -> RateLimitOverride {
        var result = RateLimitOverride()
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw RateLimitSyntaxError(text: text, problem: "is empty") }
        for part in parts {
            if let equals = part.firstIndex(of: "=") {
                let name = String(part[..<equals]), value = String(part[part.index(after: equals)...])
                guard let number = Int(value), number >= 1, number <= 100_000 else {
                    throw RateLimitSyntaxError(text: text, problem: "\(name) needs a whole number from 1 to 100000, got \"\(value)\"")
                }
                switch name {
                case "burst": result.burst = number
                case "concurrency": result.maxConcurrent = number
                default: throw RateLimitSyntaxError(text: text, problem: "unknown setting \"\(name)\" (expected burst or concurrency)")
                }
            } else if let slash = part.firstIndex(of: "/") {
                let count = String(part[..<slash]), unit = String(part[part.index(after: slash)...])
                // Plain decimals only (no exponents, hex floats, inf): `1e19/s` passed before and
                // stopped every later run when the limiter turned it into an integer.
                guard count.allSatisfy({ $0.isASCIIDigit || $0 == "." }), let amount = Double(count), amount > 0 else {
                    throw RateLimitSyntaxError(text: text, problem: "\"\(count)\" is not a positive number of requests")
                }
                let seconds: Double
                switch unit {
                case "s", "sec": seconds = 1
                case "min", "m": seconds = 60
                case "h", "hour": seconds = 3600
                default: throw RateLimitSyntaxError(text: text, problem: "unknown unit \"\(unit)\" (expected s, min or h)")
                }
                let perSecond = amount / seconds
                guard perSecond >= Self.slowestRate, perSecond <= Self.fastestRate else {
                    throw RateLimitSyntaxError(text: text, problem: "must be from 1/h to \(Int(Self.fastestRate))/s")
                }
                result.requestsPerSecond = perSecond
            } else {
                throw RateLimitSyntaxError(text: text, problem: "\"\(part)\" is neither N/s, N/min, N/h, burst=B nor concurrency=C")
            }
        }
        return result
    }
}

/// A malformed RATE string.
public struct RateLimitSyntaxError: Error, Equatable, CustomStringConvertible {
    public let text: String
    public let problem: String
    public var description: String { "invalid rate limit \"\(text)\": \(problem)" }
}
