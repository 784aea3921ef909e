import CSQLite

/// One prepared statement: the single owner of a `sqlite3_stmt*`, finalized in `deinit`.
///
/// Parameters are 1-based (`?1`, `?2`, …) and columns 0-based, as in the C API. Confined
/// like its connection: not `Sendable`. Errors name the statement's SQL, never the bound
/// values.
public final class SQLiteStatement {
    /// Retained so the connection cannot close while this statement is alive.
    public let database: SQLiteDatabase
    /// The SQL text the statement was compiled from.
    public let sql: String
    let handle: OpaquePointer

    init(database: SQLiteDatabase, sql: String) throws(SQLiteError) {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            if let stmt { sqlite3_finalize(stmt) }
            throw SQLiteError.make(rc == SQLITE_OK ? SQLITE_MISUSE : rc, db: database.handle,
                                   operation: "prepare", sql: sql)
        }
        self.database = database
        self.sql = sql
        self.handle = stmt
    }

    deinit { sqlite3_finalize(handle) }

    @inline(__always)
    private func checkBind(_ rc: Int32) throws(SQLiteError) {
        if rc != SQLITE_OK { throw SQLiteError.make(rc, db: database.handle, operation: "bind", sql: sql) }
    }

    /// Binds SQL NULL to parameter `index`.
    public func bindNull(at index: Int32) throws(SQLiteError) {
        try checkBind(sqlite3_bind_null(handle, index))
    }

    /// Binds a 64-bit integer to parameter `index`.
    public func bind(_ value: Int64, at index: Int32) throws(SQLiteError) {
        try checkBind(sqlite3_bind_int64(handle, index, value))
    }

    /// Binds a double to parameter `index`.
    public func bind(_ value: Double, at index: Int32) throws(SQLiteError) {
        try checkBind(sqlite3_bind_double(handle, index, value))
    }

    /// Binds UTF-8 text to parameter `index` (SQLite copies it).
    public func bind(_ value: String, at index: Int32) throws(SQLiteError) {
        let handle = self.handle
        let rc: Int32 = value.utf8.withContiguousStorageIfAvailable { bytes in
            // An empty buffer may have no base address; bind an empty string then.
            guard let base = bytes.baseAddress else {
                return sqlite3_bind_text(handle, index, "", 0, csqlite_transient())
            }
            return UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(handle, index, $0, Int32(bytes.count), csqlite_transient())
            }
        } ?? sqlite3_bind_text(handle, index, value, -1, csqlite_transient())
        try checkBind(rc)
    }

    /// Binds a blob to parameter `index` (SQLite copies it).
    public func bind(blob bytes: UnsafeRawBufferPointer, at index: Int32) throws(SQLiteError) {
        try checkBind(sqlite3_bind_blob(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), csqlite_transient()))
    }

    /// Binds a blob to parameter `index` (SQLite copies it).
    public func bind(blob bytes: [UInt8], at index: Int32) throws(SQLiteError) {
        let rc = bytes.withUnsafeBytes { raw in
            sqlite3_bind_blob(handle, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(raw.count),
                              csqlite_transient())
        }
        try checkBind(rc)
    }

    /// Advances the statement. Returns `true` when a row is available, `false` when done.
    /// - Throws: `SQLiteError` with operation `"step"` (constraint violations included).
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw SQLiteError.make(rc, db: database.handle, operation: "step", sql: sql)
    }

    /// Resets the statement so it can run again; bindings are kept.
    public func reset() {
        // sqlite3_reset repeats the last step's error code, which step() already reported.
        sqlite3_reset(handle)
    }

    /// Sets every parameter back to NULL.
    public func clearBindings() { sqlite3_clear_bindings(handle) }

    /// Steps to completion, discarding rows, then resets. For INSERT/UPDATE/DELETE.
    public func run() throws(SQLiteError) {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    /// Number of columns in the result.
    public var columnCount: Int32 { sqlite3_column_count(handle) }

    /// Whether column `index` of the current row is NULL.
    public func isNull(_ index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }

    /// Column `index` of the current row as a 64-bit integer (NULL reads as 0).
    public func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

    /// Column `index` of the current row as a double (NULL reads as 0).
    public func double(_ index: Int32) -> Double { sqlite3_column_double(handle, index) }

    /// Column `index` of the current row as text, `nil` when NULL.
    public func text(_ index: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, index) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// Calls `body` with column `index`'s bytes (text or blob), valid only during the call.
    /// An empty buffer stands for NULL or empty.
    public func withBytes<R>(_ index: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let pointer = sqlite3_column_blob(handle, index)
        let count = Int(sqlite3_column_bytes(handle, index))
        return try body(UnsafeRawBufferPointer(start: pointer, count: pointer == nil ? 0 : count))
    }

    /// Column `index` of the current row as bytes, `nil` when NULL.
    public func blob(_ index: Int32) -> [UInt8]? {
        if isNull(index) { return nil }
        return withBytes(index) { Array($0) }
    }
}

@available(*, unavailable, message: "SQLiteStatement is confined like its connection")
extension SQLiteStatement: Sendable {}
