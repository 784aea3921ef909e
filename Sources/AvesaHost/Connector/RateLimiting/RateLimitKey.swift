/// What a rate limit belongs to: one tenant's credential for one service.
public struct RateLimitKey: Sendable, Hashable, CustomStringConvertible {
    public let tenant: String
    public let service: String

    /// Creates a key.
    public init(tenant: String, service: String) {
        self.tenant = tenant
        self.service = service
    }

    public var description: String { "\(tenant)/\(service)" }
}
