import Foundation
import CSQLite

extension SQLiteDatabase {
    /// Runs `body` with a time limit: once `seconds` have passed, SQLite interrupts the
    /// statement running then (it checks every ~10,000 virtual-machine steps, a fraction of
    /// a millisecond) and that call fails with `SQLITE_INTERRUPT` (`SQLiteError.isInterrupt`).
    /// For reads whose cost a caller controls (an API query that misses every index).
    ///
    /// The progress handler is installed on this connection for the duration of `body` and
    /// removed before returning; its context, a heap cell holding the deadline, is owned
    /// here and freed after the handler is gone. Not reentrant on one connection.
    public func withDeadline<T>(seconds: Double, _ body: () throws -> T) rethrows -> T {
        let deadline = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        deadline.initialize(to: RateLimiter.monotonicSeconds() + seconds)
        sqlite3_progress_handler(handle, 10_000, { context in
            // Nonzero interrupts the statement.
            guard let context else { return 0 }
            return RateLimiter.monotonicSeconds() > context.assumingMemoryBound(to: Double.self).pointee ? 1 : 0
        }, deadline)
        defer {
            sqlite3_progress_handler(handle, 0, nil, nil)
            deadline.deallocate()
        }
        return try body()
    }
}

extension SQLiteError {
    /// Whether a statement was interrupted (a `withDeadline` that ran out).
    public var isInterrupt: Bool { code == SQLITE_INTERRUPT }
}
