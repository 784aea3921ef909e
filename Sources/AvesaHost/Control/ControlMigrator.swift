/// Brings a control database up to the newest schema: creates `schema_migrations`,
/// applies each missing migration in its own `BEGIN IMMEDIATE` transaction, and refuses a
/// file whose version is newer than the migrations it knows.
///
/// Safe when several processes open a fresh file at once: each migration re-reads the
/// version under the write lock and skips what another process already applied.
public enum ControlMigrator {
    /// The highest version recorded in `database`, 0 for a fresh file.
    public static func version(of database: SQLiteDatabase) throws(ControlError) -> Int {
        do {
            let exists = try database.prepare(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
            guard try exists.step() else { return 0 }
            let statement = try database.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
            _ = try statement.step()
            return Int(statement.int64(0))
        } catch {
            throw .database(error)
        }
    }

    /// Applies every migration of `migrations` newer than the file's version.
    /// - Returns: the versions applied by this call, oldest first (empty when already current).
    /// - Throws: `ControlError.schemaTooNew` when the file is newer than `migrations`;
    ///   `.database` when a migration fails (the file keeps the versions before it).
    @discardableResult
    public static func migrate(_ database: SQLiteDatabase,
                               migrations: [ControlMigration] = ControlSchema.migrations) throws(ControlError) -> [Int] {
        let supported = migrations.last?.version ?? 0
        try refuseNewer(database, supported: supported)
        var applied: [Int] = []
        for migration in migrations {
            let didApply = try inTransaction(database) {
                try database.execute("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)
                    """)
                try refuseNewer(database, supported: supported)
                guard try version(of: database) < migration.version else { return false }
                try database.execute(migration.sql)
                let record = try database.prepare(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)")
                try record.bind(Int64(migration.version), at: 1)
                try record.bind(migration.name, at: 2)
                try record.bind(ControlClock.timestamp(), at: 3)
                try record.run()
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        return applied
    }

    private static func refuseNewer(_ database: SQLiteDatabase, supported: Int) throws(ControlError) {
        let found = try version(of: database)
        if found > supported { throw .schemaTooNew(path: database.path, found: found, supported: supported) }
    }

    private static func inTransaction<T>(_ database: SQLiteDatabase, _ body: () throws -> T) throws(ControlError) -> T {
        do {
            return try database.transaction(.immediate, body)
        } catch let error as ControlError {
            throw error
        } catch let error as SQLiteError {
            throw .database(error)
        } catch {
            throw .corruptRecord("migration failed: \(error)")
        }
    }
}
