import Foundation
import Glibc

/// The control database `<data>/control.sqlite`: tenants, their services and encrypted
/// credentials, watermarks, runs, chunks and tenant run locks.
///
/// Thread rules: the store owns one `SQLiteDatabase` connection and, like it, is **not**
/// thread-safe and not `Sendable`. Use it from one thread or actor. Several processes (or
/// several stores in one process) may open the same file: SQLite's WAL mode and busy
/// timeout serialise writers, and every multi-statement change runs in one
/// `BEGIN IMMEDIATE` transaction.
///
/// Every method validates tenant ids (`TenantID`) before use and binds all values as
/// parameters. Secrets never leave `CredentialVault` in clear except through
/// `loadCredentials`, for the connector that needs them.
public final class ControlStore {
    /// The file name inside the data folder.
    public static let fileName = "control.sqlite"

    /// The open connection (WAL, foreign keys on).
    public let database: SQLiteDatabase
    /// The data folder the store belongs to.
    public let dataDirectory: String
    /// Statements of the frequent calls, compiled once (`withStatement`); they retain
    /// `database`, which the store outlives, so they go before it.
    private var statements: [String: SQLiteStatement] = [:]
    /// Distinct statements kept compiled at most.
    private static let maximumCachedStatements = 32

    /// Opens `<dataDirectory>/control.sqlite`, creating the folder (mode 0700) and the file
    /// (mode 0600) as needed, and migrates it to the newest schema.
    /// - Throws: `ControlError.schemaTooNew` for a file from a newer avesa-host;
    ///   `.io` when the folder cannot be created; `.database` for SQLite failures.
    public convenience init(dataDirectory: String) throws(ControlError) {
        try self.init(dataDirectory: dataDirectory, migrations: ControlSchema.migrations)
    }

    /// Opens the store applying `migrations` (tests pass a prefix to build old files).
    init(dataDirectory: String, migrations: [ControlMigration]) throws(ControlError) {
        do {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .io("cannot create data folder \(dataDirectory): \(error.localizedDescription)")
        }
        self.dataDirectory = dataDirectory
        let path = (dataDirectory as NSString).appendingPathComponent(Self.fileName)
        // Create the file owner-only before SQLite does (its -wal and -shm files copy the
        // mode): it holds password hashes and sealed credentials.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd >= 0 { close(fd) }
        do {
            // WAL is switched on below: SQLite reports a concurrent journal-mode change as
            // SQLITE_BUSY at once, without waiting for the busy timeout.
            database = try SQLiteDatabase(path: path, options: SQLiteDatabase.Options(writeAheadLog: false))
            try Self.enableWriteAheadLog(database)
        } catch {
            throw .database(error)
        }
        try ControlMigrator.migrate(database, migrations: migrations)
    }

    /// Sets `journal_mode=WAL` (persistent in the file), retrying for up to 5 s while
    /// another connection opening the same fresh file holds the lock.
    private static func enableWriteAheadLog(_ database: SQLiteDatabase) throws(SQLiteError) {
        var attempts = 0
        while true {
            do {
                try database.execute("PRAGMA journal_mode=WAL")
                return
            } catch where error.isBusy && attempts < 500 {
                attempts += 1
                usleep(10_000)
            }
        }
    }

    /// The schema version of the open file.
    public var schemaVersion: Int {
        get throws(ControlError) { try ControlMigrator.version(of: database) }
    }

    /// The folder holding a tenant's warehouse and raw zone: `<data>/tenants/<id>`.
    public func tenantDirectory(_ tenant: TenantID) -> String {
        ((dataDirectory as NSString).appendingPathComponent("tenants") as NSString)
            .appendingPathComponent(tenant.rawValue)
    }

    /// Runs `body` with the compiled statement for `sql`, compiled on first use and kept:
    /// compiling is most of the CPU of a small control write, and a run makes several per
    /// table (a chunk's progress, its watermark, its outcome). The statement is reset and
    /// its bindings cleared after `body`, so a parameter left unbound is NULL as with a fresh
    /// statement and no read stays open between calls. A nested use of the same SQL gets a
    /// statement of its own.
    func withStatement<T>(_ sql: String, _ body: (SQLiteStatement) throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        let statement: SQLiteStatement
        if let cached = statements.removeValue(forKey: sql) { statement = cached } else { statement = try database.prepare(sql) }
        defer {
            statement.reset()
            statement.clearBindings()
            if statements.count < Self.maximumCachedStatements { statements[sql] = statement }
        }
        return try body(statement)
    }

    /// Runs `body`, mapping SQLite failures to `ControlError.database`.
    func sql<T>(_ body: () throws(SQLiteError) -> T) throws(ControlError) -> T {
        do {
            return try body()
        } catch {
            throw .database(error)
        }
    }

    /// Runs `body` in an immediate transaction, keeping `ControlError`s as they are.
    func write<T>(_ body: () throws -> T) throws(ControlError) -> T {
        do {
            return try database.transaction(.immediate, body)
        } catch let error as ControlError {
            throw error
        } catch let error as SQLiteError {
            throw .database(error)
        } catch {
            throw .corruptRecord("\(error)")
        }
    }
}

@available(*, unavailable, message: "ControlStore is confined to one thread or actor, like its connection")
extension ControlStore: Sendable {}
