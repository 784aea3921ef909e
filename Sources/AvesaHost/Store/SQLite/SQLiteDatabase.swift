import CSQLite

/// One SQLite connection: the single owner of a `sqlite3*` handle, closed in `deinit`.
///
/// Confinement: a connection is not thread-safe here (it is opened with
/// `SQLITE_OPEN_NOMUTEX`), so the type is deliberately **not** `Sendable`; keep it on one
/// thread or inside one actor. Per-tenant parallelism comes from one connection per tenant
/// database, never from sharing a connection.
///
/// Every return code goes through `SQLiteError.check`. SQL is always written with `?`
/// parameters; values are bound, never spliced into SQL text.
public final class SQLiteDatabase {
    /// Connection settings applied when the file is opened.
    public struct Options: Sendable {
        /// Use write-ahead logging (`PRAGMA journal_mode=WAL`), so readers never block the writer.
        public var writeAheadLog: Bool
        /// `PRAGMA synchronous=NORMAL`: in WAL mode a power loss may drop the last commits but
        /// never corrupts the file; `false` keeps SQLite's default (`FULL`).
        public var synchronousNormal: Bool
        /// How long a call waits on another connection's lock before failing with `SQLITE_BUSY`.
        public var busyTimeoutMilliseconds: Int32
        /// Enforce foreign keys (`PRAGMA foreign_keys=ON`).
        public var foreignKeys: Bool
        /// Open read-only; the file must exist.
        public var readOnly: Bool
        /// Page cache size in KiB (`PRAGMA cache_size=-N`); `nil` keeps SQLite's default (2 MiB).
        public var cacheSizeKiB: Int?
        /// Page size in bytes for a **new** file (`PRAGMA page_size`, a power of two from 512
        /// to 65536); ignored for existing files. `nil` keeps SQLite's default (4096).
        public var pageSize: Int?
        /// WAL pages after which a commit checkpoints (`PRAGMA wal_autocheckpoint`); `nil`
        /// keeps SQLite's default (1000).
        public var walAutocheckpointPages: Int?
        /// Helper threads a large sort may use (`PRAGMA threads`), e.g. `CREATE INDEX` on a
        /// big table; `nil` keeps SQLite's default (none).
        public var sorterThreads: Int?

        /// The defaults used by the warehouse: WAL, NORMAL sync, 5 s busy timeout, foreign keys on.
        public init(writeAheadLog: Bool = true, synchronousNormal: Bool = true,
                    busyTimeoutMilliseconds: Int32 = 5_000, foreignKeys: Bool = true,
                    readOnly: Bool = false, cacheSizeKiB: Int? = nil, walAutocheckpointPages: Int? = nil,
                    pageSize: Int? = nil, sorterThreads: Int? = nil) {
            self.writeAheadLog = writeAheadLog
            self.synchronousNormal = synchronousNormal
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.foreignKeys = foreignKeys
            self.readOnly = readOnly
            self.cacheSizeKiB = cacheSizeKiB
            self.walAutocheckpointPages = walAutocheckpointPages
            self.pageSize = pageSize
            self.sorterThreads = sorterThreads
        }
    }

    /// The raw handle; valid from `init` until `deinit`. Internal so only this module's
    /// wrappers touch it.
    let handle: OpaquePointer
    /// The path the connection was opened with.
    public let path: String
    /// The closure `setWALCommitHandler` installed, kept alive as long as the connection.
    var walHook: WALHookBox?

    /// Opens (creating unless read-only) the database at `path` and applies `options`.
    /// - Throws: `SQLiteError` with operation `"open"` or `"configure"`.
    public init(path: String, options: Options = Options()) throws(SQLiteError) {
        var db: OpaquePointer?
        let flags = (options.readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let error = SQLiteError.make(rc, db: db, operation: "open", sql: nil)
            // sqlite3_open_v2 allocates a handle even on failure; it must still be closed.
            if let db { sqlite3_close_v2(db) }
            throw error
        }
        handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        try SQLiteError.check(sqlite3_busy_timeout(db, options.busyTimeoutMilliseconds),
                              db: db, operation: "configure", sql: "busy_timeout")
        // page_size only takes effect before the file's first table, hence before WAL too.
        if let size = options.pageSize, !options.readOnly { try execute("PRAGMA page_size=\(size)") }
        if options.writeAheadLog && !options.readOnly { try execute("PRAGMA journal_mode=WAL") }
        if options.synchronousNormal { try execute("PRAGMA synchronous=NORMAL") }
        try execute(options.foreignKeys ? "PRAGMA foreign_keys=ON" : "PRAGMA foreign_keys=OFF")
        if let kib = options.cacheSizeKiB { try execute("PRAGMA cache_size=-\(max(kib, 1))") }
        if let pages = options.walAutocheckpointPages { try execute("PRAGMA wal_autocheckpoint=\(max(pages, 0))") }
        if let threads = options.sorterThreads { try execute("PRAGMA threads=\(max(threads, 0))") }
    }

    deinit {
        // close_v2 defers the close until every statement is finalized; statements retain
        // their connection, so by now none is left.
        sqlite3_close_v2(handle)
    }

    /// Compiles one SQL statement. The statement keeps this connection alive.
    /// - Throws: `SQLiteError` with operation `"prepare"`, naming the SQL.
    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        try SQLiteStatement(database: self, sql: sql)
    }

    /// Runs one or more `;`-separated statements that take no parameters (DDL, PRAGMAs).
    /// Rows a statement returns are discarded. A failure names the statement that failed.
    public func execute(_ sql: String) throws(SQLiteError) {
        var utf8 = Array(sql.utf8CString)
        try utf8.withUnsafeMutableBufferPointer { (buffer) throws(SQLiteError) in
            guard var cursor = UnsafePointer(buffer.baseAddress) else { return }
            while cursor.pointee != 0 {
                var stmt: OpaquePointer?
                var tail: UnsafePointer<CChar>?
                let rc = sqlite3_prepare_v2(handle, cursor, -1, &stmt, &tail)
                let length = (tail ?? cursor) - cursor
                let text = { String(decoding: UnsafeRawBufferPointer(start: cursor, count: max(length, 0)),
                                    as: UTF8.self).trimmingWhitespace() }
                if rc != SQLITE_OK {
                    if let stmt { sqlite3_finalize(stmt) }
                    throw SQLiteError.make(rc, db: handle, operation: "prepare", sql: text())
                }
                if let stmt {
                    var step = sqlite3_step(stmt)
                    while step == SQLITE_ROW { step = sqlite3_step(stmt) }
                    if step != SQLITE_DONE {
                        let error = SQLiteError.make(step, db: handle, operation: "execute", sql: text())
                        sqlite3_finalize(stmt)
                        throw error
                    }
                    sqlite3_finalize(stmt)
                }
                guard let tail, tail != cursor else { break }
                cursor = tail
            }
        }
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE on this connection.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// The rowid of the most recent successful INSERT on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Whether the connection is outside any explicit transaction (autocommit mode).
    public var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }
}

@available(*, unavailable, message: "SQLiteDatabase is confined to one thread or actor")
extension SQLiteDatabase: Sendable {}

extension String {
    /// The string without leading and trailing ASCII whitespace (no Foundation needed).
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
