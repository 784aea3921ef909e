/// A user account as the API sees it.
public struct UserRecord: Sendable, Equatable {
    public var id: String
    public var tenantID: String
    public var email: String
    public var role: Role
    /// `pbkdf2-sha256$…` (see `PasswordHasher`).
    public var passwordHash: String
    /// Microseconds since the epoch.
    public var createdAt: Int64

    public init(id: String, tenantID: String, email: String, role: Role, passwordHash: String, createdAt: Int64) {
        self.id = id
        self.tenantID = tenantID
        self.email = email
        self.role = role
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }
}

/// The users the API authenticates. E-mails are compared case-insensitively (callers
/// pass them lower-cased; implementations store them lower-cased).
///
/// Implementations are called from request handlers on Dispatch threads, concurrently.
public protocol UserDirectory: Sendable {
    /// The user with `email` in `tenantID`, or nil.
    func user(tenantID: String, email: String) throws -> UserRecord?
    /// The user with `id`, or nil.
    func user(id: String) throws -> UserRecord?
    /// Every user of `tenantID`, by e-mail.
    func users(tenantID: String) throws -> [UserRecord]
    /// Adds `user`; throws `UserDirectoryError.duplicateEmail` when the tenant already has that e-mail.
    func add(_ user: UserRecord) throws
}

/// Errors of a user directory.
public enum UserDirectoryError: Error, Sendable, Equatable {
    case duplicateEmail
}

/// `UserDirectory` over the control database's `users` table:
///
///     users(id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, email TEXT NOT NULL,
///           role TEXT NOT NULL CHECK (role IN ('admin','analyst','viewer')),
///           password_hash TEXT NOT NULL, created_at INTEGER NOT NULL,
///           UNIQUE (tenant_id, email))
///
/// The control store owns that table's migrations; `createSchemaIfNeeded` exists for tests
/// and stand-alone use.
public final class SQLiteUserDirectory: UserDirectory {
    private let control: SerializedDatabase

    public init(control: SerializedDatabase) { self.control = control }

    /// The `users` table as the control store defines it.
    public static let schema = """
        CREATE TABLE IF NOT EXISTS users (
          id TEXT PRIMARY KEY,
          tenant_id TEXT NOT NULL,
          email TEXT NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
          password_hash TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          UNIQUE (tenant_id, email)
        )
        """

    /// Creates `users` if it does not exist.
    public func createSchemaIfNeeded() throws {
        try control.withDatabase { try $0.execute(Self.schema) }
    }

    private static let columns = "id, tenant_id, email, role, password_hash, created_at"

    public func user(tenantID: String, email: String) throws -> UserRecord? {
        try control.withDatabase { db in
            let query = try db.prepare("SELECT \(Self.columns) FROM users WHERE tenant_id = ?1 AND email = ?2")
            try query.bind(tenantID, at: 1)
            try query.bind(email.lowercased(), at: 2)
            return try query.step() ? Self.read(query) : nil
        }
    }

    public func user(id: String) throws -> UserRecord? {
        try control.withDatabase { db in
            let query = try db.prepare("SELECT \(Self.columns) FROM users WHERE id = ?1")
            try query.bind(id, at: 1)
            return try query.step() ? Self.read(query) : nil
        }
    }

    public func users(tenantID: String) throws -> [UserRecord] {
        try control.withDatabase { db in
            let query = try db.prepare("SELECT \(Self.columns) FROM users WHERE tenant_id = ?1 ORDER BY email")
            try query.bind(tenantID, at: 1)
            var users: [UserRecord] = []
            while try query.step() { if let user = Self.read(query) { users.append(user) } }
            return users
        }
    }

    public func add(_ user: UserRecord) throws {
        try control.withDatabase { db in
            let insert = try db.prepare("INSERT INTO users (\(Self.columns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            try insert.bind(user.id, at: 1)
            try insert.bind(user.tenantID, at: 2)
            try insert.bind(user.email.lowercased(), at: 3)
            try insert.bind(user.role.rawValue, at: 4)
            try insert.bind(user.passwordHash, at: 5)
            try insert.bind(user.createdAt, at: 6)
            do { try insert.run() } catch let error as SQLiteError where error.isConstraintViolation { throw UserDirectoryError.duplicateEmail }
        }
    }

    /// A row, or nil when its role is unknown (never grant access on an unreadable role).
    private static func read(_ row: SQLiteStatement) -> UserRecord? {
        guard let role = row.text(3).flatMap(Role.init(rawValue:)) else { return nil }
        return UserRecord(id: row.text(0) ?? "", tenantID: row.text(1) ?? "", email: row.text(2) ?? "", role: role,
                          passwordHash: row.text(4) ?? "", createdAt: row.int64(5))
    }
}
