import Foundation

/// One SQLite connection shared by several stores and request handlers: every use goes
/// through `withDatabase`, one caller at a time.
///
/// Invariant: `database` is touched only under `lock`. Give the user directory and the
/// refresh-token store the same instance when they share `control.sqlite`.
public final class SerializedDatabase: @unchecked Sendable {
    private let lock = NSLock()
    private let database: SQLiteDatabase

    /// Takes ownership of `database`; do not use it elsewhere afterwards.
    public init(_ database: SQLiteDatabase) { self.database = database }

    /// Runs `body` with exclusive use of the connection.
    public func withDatabase<T>(_ body: (SQLiteDatabase) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(database)
    }
}
