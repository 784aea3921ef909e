import CSQLite

/// A failed SQLite call, mapped from its result code in exactly one place
/// (`SQLiteError.check`).
///
/// Carries the result codes, SQLite's own message, the SQL text involved and the
/// operation that failed. Bound parameter values are never recorded, so the error is safe
/// to log even when the statement handled credentials or customer data.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The primary result code (`SQLITE_ERROR`, `SQLITE_CONSTRAINT`, …).
    public let code: Int32
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`, …); equals `code` when none.
    public let extendedCode: Int32
    /// SQLite's message for the failure (`sqlite3_errmsg` or `sqlite3_errstr`).
    public let message: String
    /// The SQL text being prepared or run, when the failure concerns a statement.
    public let sql: String?
    /// What was being done: `"open"`, `"prepare"`, `"step"`, `"bind"`, `"execute"`, ….
    public let operation: String

    /// Creates an error; prefer `SQLiteError.check`, which reads the message from SQLite.
    public init(code: Int32, extendedCode: Int32, message: String, sql: String?, operation: String) {
        self.code = code
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
        self.operation = operation
    }

    /// `"SQLite <operation> failed (code N/extended M): message [SQL: …]"`.
    public var description: String {
        var text = "SQLite \(operation) failed (code \(code)/extended \(extendedCode)): \(message)"
        if let sql { text += " [SQL: \(sql)]" }
        return text
    }

    /// Whether the failure is a constraint violation (unique, not-null, check, foreign key).
    public var isConstraintViolation: Bool { code == SQLITE_CONSTRAINT }

    /// Whether the failure is lock contention that outlived the busy timeout.
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    /// The one mapping from a SQLite return code to Swift: returns for `SQLITE_OK`,
    /// `SQLITE_ROW` and `SQLITE_DONE`, throws a typed error for anything else.
    ///
    /// - Parameters:
    ///   - rc: the code a `sqlite3_*` call returned.
    ///   - db: the connection, used to read the detailed message; `nil` falls back to
    ///     `sqlite3_errstr`.
    ///   - operation: the short name of the failed step.
    ///   - sql: the statement text, when there is one.
    @inline(__always)
    public static func check(_ rc: Int32, db: OpaquePointer?, operation: @autoclosure () -> String,
                             sql: @autoclosure () -> String?) throws(SQLiteError) {
        if rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE { return }
        throw make(rc, db: db, operation: operation(), sql: sql())
    }

    /// Builds the error for a non-success code without the success check.
    static func make(_ rc: Int32, db: OpaquePointer?, operation: String, sql: String?) -> SQLiteError {
        let primary = rc & 0xFF
        var message: String
        var extended = rc
        if let db {
            // sqlite3_errmsg describes the most recent failure on this connection, which is
            // the call we were handed; its extended code is more precise than `rc`.
            message = String(cString: sqlite3_errmsg(db))
            let connectionExtended = sqlite3_extended_errcode(db)
            if connectionExtended & 0xFF == primary { extended = connectionExtended }
        } else {
            message = String(cString: sqlite3_errstr(rc))
        }
        if message.isEmpty { message = String(cString: sqlite3_errstr(rc)) }
        return SQLiteError(code: primary, extendedCode: extended, message: message, sql: sql, operation: operation)
    }
}
