/// A user's role within a tenant. Viewers and analysts read; admins also manage users,
/// services and runs.
public enum Role: String, Sendable, CaseIterable, Comparable {
    case viewer
    case analyst
    case admin

    var rank: Int {
        switch self {
        case .viewer: 0
        case .analyst: 1
        case .admin: 2
        }
    }

    /// Whether this role includes everything `other` may do.
    public func includes(_ other: Role) -> Bool { rank >= other.rank }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}

/// Who a verified access token speaks for. Every data query is scoped to `tenantID`.
public struct Principal: Sendable, Equatable {
    /// The user's id (`sub`).
    public var userID: String
    /// The tenant the token was issued for (`tenant_id`); a validated tenant id.
    public var tenantID: String
    /// The role at issue time.
    public var role: Role
    /// The token's id (`jti`).
    public var tokenID: String
    /// Expiry, seconds since the epoch.
    public var expiresAt: Int64

    public init(userID: String, tenantID: String, role: Role, tokenID: String, expiresAt: Int64) {
        self.userID = userID
        self.tenantID = tenantID
        self.role = role
        self.tokenID = tokenID
        self.expiresAt = expiresAt
    }

    /// The request attribute names `AuthenticationMiddleware` sets.
    public enum Attribute {
        public static let userID = "auth.user_id"
        public static let tenantID = "auth.tenant_id"
        public static let role = "auth.role"
    }
}
