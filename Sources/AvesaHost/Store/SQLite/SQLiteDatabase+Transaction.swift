import CSQLite

extension SQLiteDatabase {
    /// How a transaction takes its locks.
    public enum TransactionKind: String, Sendable {
        /// Locks on first read or write (`BEGIN DEFERRED`).
        case deferred = "DEFERRED"
        /// Takes the write lock at once (`BEGIN IMMEDIATE`); what writers should use, so a
        /// lock conflict surfaces at `BEGIN` (after the busy timeout), not mid-batch.
        case immediate = "IMMEDIATE"
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws
    /// (and rethrows the original error). Nested calls are not supported: calling this
    /// inside another transaction throws `SQLITE_MISUSE`-coded `SQLiteError`.
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        guard isAutocommit else {
            throw SQLiteError(code: SQLITE_MISUSE, extendedCode: SQLITE_MISUSE,
                              message: "transaction already open on this connection",
                              sql: "BEGIN \(kind.rawValue)", operation: "begin")
        }
        try execute("BEGIN \(kind.rawValue)")
        let result: T
        do {
            result = try body()
        } catch {
            rollbackIfOpen()
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            rollbackIfOpen()
            throw error
        }
        return result
    }

    /// Rolls back the open transaction, if any. A rollback failure is not reported: the
    /// caller is already propagating the error that caused it, and SQLite rolls back an
    /// unfinished transaction itself when the connection closes.
    func rollbackIfOpen() {
        if !isAutocommit { _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil) }
    }
}
