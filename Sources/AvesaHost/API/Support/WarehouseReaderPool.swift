import Foundation
import Glibc

/// Which file a connection reads: the warehouse's device and inode. `retransform` replaces
/// the file by renaming a rebuilt one over it, so the path alone does not say whether an
/// open connection still reads the current data.
struct WarehouseFileIdentity: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64

    /// The identity of the file at `path`, or nil when there is none.
    static func of(_ path: String) -> WarehouseFileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return WarehouseFileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}

/// Open read-only connections to tenant warehouses, kept between requests.
///
/// Opening a connection (open, read the schema) costs more than most API queries, so a
/// request borrows an idle connection of its tenant's file and gives it back. A connection
/// is used by one request at a time; it is reused only while the path still names the file
/// it was opened on (`WarehouseFileIdentity`). At most `maxIdlePerFile` connections are
/// kept per file and `maxIdle` in all; the least recently returned are closed first.
///
/// Thread rules: every method may be called from any thread; connections are handed out
/// to one borrower at a time and touched only by that borrower until returned.
final class WarehouseReaderPool: @unchecked Sendable {
    /// A borrowed connection and the file it reads.
    struct Reader {
        let database: SQLiteDatabase
        let file: WarehouseFileIdentity
    }

    let maxIdlePerFile: Int
    let maxIdle: Int
    private let lock = NSLock()
    /// Idle connections by path, most recently returned last. Guarded by `lock`.
    private var idle: [String: [Reader]] = [:]
    /// Paths in the order their last connection was returned. Guarded by `lock`.
    private var recency: [String] = []

    init(maxIdlePerFile: Int = 4, maxIdle: Int = 64) {
        self.maxIdlePerFile = maxIdlePerFile
        self.maxIdle = maxIdle
    }

    /// A read-only connection to the warehouse file at `path`, or nil when the file does
    /// not exist. Give it back with `giveBack` when done (or drop it to close it).
    func borrow(_ path: String) throws -> Reader? {
        guard let file = WarehouseFileIdentity.of(path) else {
            // Removed (`tenant remove`): close what is kept so the deleted file's space is freed.
            lock.lock()
            let closing = idle.removeValue(forKey: path)
            recency.removeAll { $0 == path }
            lock.unlock()
            _ = closing
            return nil
        }
        lock.lock()
        var stale: [Reader] = []
        var found: Reader?
        if var readers = idle[path] {
            while let reader = readers.popLast() {
                if reader.file == file { found = reader; break }
                stale.append(reader)
            }
            idle[path] = readers.isEmpty ? nil : readers
        }
        lock.unlock()
        stale.removeAll()  // closes connections to a replaced file, outside the lock
        if let found { return found }
        let database = try SQLiteDatabase(path: path, options: SQLiteDatabase.Options(
            writeAheadLog: false, synchronousNormal: false, foreignKeys: false, readOnly: true))
        try database.execute("PRAGMA query_only=ON")
        return Reader(database: database, file: file)
    }

    /// Returns a connection borrowed for `path`; it is closed instead when the pool is full.
    func giveBack(_ reader: Reader, for path: String) {
        var evicted: [Reader] = []
        lock.lock()
        var readers = idle[path] ?? []
        if readers.count < maxIdlePerFile {
            readers.append(reader)
            idle[path] = readers
            recency.removeAll { $0 == path }
            recency.append(path)
        } else {
            evicted.append(reader)
        }
        var total = idle.values.reduce(0) { $0 + $1.count }
        while total > maxIdle, let oldest = recency.first {
            recency.removeFirst()
            let closing = idle.removeValue(forKey: oldest) ?? []
            evicted += closing
            total -= closing.count
        }
        lock.unlock()
        evicted.removeAll()  // closes outside the lock
    }

    /// Idle connections kept (for tests).
    var idleCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return idle.values.reduce(0) { $0 + $1.count }
    }
}
