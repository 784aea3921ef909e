/// What a refresh-token operation found.
public enum RefreshOutcome: Sendable, Equatable {
    /// The token was valid; it is now rotated and `newToken` replaces it.
    case rotated(userID: String, tenantID: String, newToken: String)
    /// Unknown, expired or revoked token.
    case invalid
    /// An already rotated token was presented again: the whole family is now revoked.
    case reuseDetected
}

/// Opaque refresh tokens, stored only as SHA-256 hashes, rotated on every use. A family
/// is the chain of tokens descending from one login; presenting a rotated token again
/// (a stolen copy, or the legitimate client after the thief) revokes the whole family.
public protocol RefreshTokenStore: Sendable {
    /// Starts a family for a fresh login and returns its first token.
    func issue(userID: String, tenantID: String, now: Int64) throws -> String
    /// Rotates `token` (see `RefreshOutcome`).
    func rotate(_ token: String, now: Int64) throws -> RefreshOutcome
    /// Revokes the family `token` belongs to (logout); unknown tokens are ignored.
    func revokeFamily(of token: String, now: Int64) throws
}

/// `RefreshTokenStore` over a table in the control database (all times in seconds since the epoch):
///
///     refresh_tokens(token_hash TEXT PRIMARY KEY,   -- hex SHA-256 of the token
///                    family_id TEXT NOT NULL, user_id TEXT NOT NULL, tenant_id TEXT NOT NULL,
///                    issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
///                    rotated_at INTEGER, revoked_at INTEGER)
///     + index ix_refresh_tokens_family(family_id)
///
/// created IF NOT EXISTS by `createSchemaIfNeeded` (fold it into the control migrations).
/// Rotation runs in one IMMEDIATE transaction, so two concurrent uses of one token cannot
/// both succeed.
public final class SQLiteRefreshTokenStore: RefreshTokenStore {
    private let control: SerializedDatabase
    /// Lifetime of a refresh token (30 days by default).
    public let lifetimeSeconds: Int64

    public init(control: SerializedDatabase, lifetimeSeconds: Int64 = 30 * 24 * 3600) {
        self.control = control
        self.lifetimeSeconds = lifetimeSeconds
    }

    /// The table and its index.
    public static let schema = """
        CREATE TABLE IF NOT EXISTS refresh_tokens (
          token_hash TEXT PRIMARY KEY,
          family_id TEXT NOT NULL,
          user_id TEXT NOT NULL,
          tenant_id TEXT NOT NULL,
          issued_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          rotated_at INTEGER NULL,
          revoked_at INTEGER NULL
        );
        CREATE INDEX IF NOT EXISTS ix_refresh_tokens_family ON refresh_tokens (family_id)
        """

    /// Creates the table if needed.
    public func createSchemaIfNeeded() throws {
        try control.withDatabase { try $0.execute(Self.schema) }
    }

    static func hash(_ token: String) -> String { Crypto.hex(Crypto.sha256(Array(token.utf8))) }

    static func newToken() throws -> String { Base64.encodeURL(try Crypto.randomBytes(32)) }

    public func issue(userID: String, tenantID: String, now: Int64) throws -> String {
        let family = Crypto.hex(try Crypto.randomBytes(16))
        return try control.withDatabase { db in
            try insert(db, family: family, userID: userID, tenantID: tenantID, now: now)
        }
    }

    private func insert(_ db: SQLiteDatabase, family: String, userID: String, tenantID: String, now: Int64) throws -> String {
        let token = try Self.newToken()
        let statement = try db.prepare("""
            INSERT INTO refresh_tokens (token_hash, family_id, user_id, tenant_id, issued_at, expires_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """)
        try statement.bind(Self.hash(token), at: 1)
        try statement.bind(family, at: 2)
        try statement.bind(userID, at: 3)
        try statement.bind(tenantID, at: 4)
        try statement.bind(now, at: 5)
        try statement.bind(now + lifetimeSeconds, at: 6)
        try statement.run()
        return token
    }

    public func rotate(_ token: String, now: Int64) throws -> RefreshOutcome {
        try control.withDatabase { db in
            // An unknown token (a flood of garbage ones) costs one read, never a write lock.
            let known = try db.prepare("SELECT 1 FROM refresh_tokens WHERE token_hash = ?1")
            try known.bind(Self.hash(token), at: 1)
            guard try known.step() else { return .invalid }
            known.reset()
            return try db.transaction(.immediate) { () throws -> RefreshOutcome in
                let find = try db.prepare("""
                    SELECT family_id, user_id, tenant_id, expires_at, rotated_at, revoked_at
                    FROM refresh_tokens WHERE token_hash = ?1
                    """)
                try find.bind(Self.hash(token), at: 1)
                guard try find.step() else { return .invalid }
                let family = find.text(0) ?? ""
                let userID = find.text(1) ?? ""
                let tenantID = find.text(2) ?? ""
                let expiresAt = find.int64(3)
                let rotated = !find.isNull(4)
                let revoked = !find.isNull(5)
                if revoked { return .invalid }
                if rotated {
                    try Self.revoke(db, family: family, now: now)
                    return .reuseDetected
                }
                if expiresAt <= now { return .invalid }
                let mark = try db.prepare("UPDATE refresh_tokens SET rotated_at = ?2 WHERE token_hash = ?1")
                try mark.bind(Self.hash(token), at: 1)
                try mark.bind(now, at: 2)
                try mark.run()
                let next = try insert(db, family: family, userID: userID, tenantID: tenantID, now: now)
                return .rotated(userID: userID, tenantID: tenantID, newToken: next)
            }
        }
    }

    public func revokeFamily(of token: String, now: Int64) throws {
        try control.withDatabase { db in
            let find = try db.prepare("SELECT family_id FROM refresh_tokens WHERE token_hash = ?1")
            try find.bind(Self.hash(token), at: 1)
            guard try find.step(), let family = find.text(0) else { return }
            try Self.revoke(db, family: family, now: now)
        }
    }

    private static func revoke(_ db: SQLiteDatabase, family: String, now: Int64) throws {
        let revoke = try db.prepare(
            "UPDATE refresh_tokens SET revoked_at = ?2 WHERE family_id = ?1 AND revoked_at IS NULL")
        try revoke.bind(family, at: 1)
        try revoke.bind(now, at: 2)
        try revoke.run()
    }
}
