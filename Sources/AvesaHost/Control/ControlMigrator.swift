/// Brings a control database up to the newest schema: creates `schema_migrations`,
/// applies each missing migration in its own transaction, and refuses a file whose
/// version is newer than the migrations it knows.
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
    /// - Returns: the versions applied, oldest first (empty when already current).
    /// - Throws: `ControlError.schemaTooNew` when the file is newer than `migrations`.
    @discardableResult
    public static func migrate(_ database: SQLiteDatabase,
                               migrations: [ControlMigration] = ControlSchema.migrations) throws(ControlError) -> [Int] {
        let supported = migrations.last?.version ?? 0
        let found = try version(of: database)
        if found > supported { throw .schemaTooNew(path: database.path, found: found, supported: supported) }
        var applied: [Int] = []
        do {
            try database.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)
                """)
            for migration in migrations where migration.version > found {
                try database.transaction {
                    try database.execute(migration.sql)
                    let record = try database.prepare(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)")
                    try record.bind(Int64(migration.version), at: 1)
                    try record.bind(migration.name, at: 2)
                    try record.bind(ControlClock.timestamp(), at: 3)
                    try record.run()
                }
                applied.append(migration.version)
            }
        } catch let error as SQLiteError {
            throw .database(error)
        } catch {
            throw .corruptRecord("migration failed: \(error)")
        }
        return applied
    }
}
