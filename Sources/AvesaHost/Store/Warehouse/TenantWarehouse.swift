import Foundation

/// One tenant's SCD Type 2 warehouse: a SQLite file (WAL) holding, for each canonical
/// table, its history rows and a `current_<table>` view.
///
/// Lifecycle: `init` opens the file and creates or extends the schema; `merge` applies
/// batches of mapped records (one transaction each); `closeMissing` closes rows absent from
/// a completed full sync. The instance keeps an in-memory index of every key's state (~21
/// bytes a key), built from the file on a table's first use, so the instance must be the
/// file's **only writer** while it lives; readers (the analytics server) may open their own
/// connections at any time thanks to WAL.
///
/// Confinement: owns a `SQLiteDatabase`, so it is not `Sendable`; keep one per tenant on
/// one thread or inside one actor. Tenants are independent files and can merge in parallel.
public final class TenantWarehouse {
    /// The connection; exposed for read queries and tests. Writing through it behind the
    /// warehouse's back makes its key index stale.
    public let database: SQLiteDatabase
    /// The canonical tables this warehouse was opened with, by name.
    public let tables: [String: CanonicalTable]
    var writers: [String: TableWriter] = [:]
    /// Test hook: called after each record of a batch is applied, inside the transaction.
    /// Throwing from it simulates a crash mid-batch.
    var afterRecordHook: ((Int) throws -> Void)?
    /// Where the key indexes of this warehouse's tables take their slots from.
    let keyIndexBudget: KeyIndexBudget
    /// The bulk load in progress (`beginBulkLoad`), if any.
    var bulkLoad: BulkLoadState?
    /// Prepared `WarehouseDDL.bumpVersion`, on first change.
    private var versionBump: SQLiteStatement?
    /// Checkpoints the WAL off the merging thread (when the options set a checkpoint size).
    let checkpointer: BackgroundCheckpointer?

    /// WAL, `synchronous=FULL`, foreign keys, 4 KiB pages for new files, a 32 MiB page
    /// cache and a WAL checkpoint every 10,000 pages (~40 MiB) instead of SQLite's 1,000,
    /// run by a `BackgroundCheckpointer` off the merging thread.
    ///
    /// Durability: every commit fsyncs the WAL. The pipeline saves a chunk's resume cursor
    /// and, later, the table's watermark in `control.sqlite` right after a merge commits; with
    /// `NORMAL` a power loss could drop that merge while the cursor past it survived, and
    /// the page would never be fetched again. One fsync per 1,000-record page costs ~5% of
    /// bench/scd2's first load and ~13% of its mostly-unchanged pass.
    ///
    /// Page size: real records arrive in key order but with unordered times, companies and
    /// tickets, so every record lands on a random leaf of each secondary index and a page
    /// of 1000 records dirties ~3000 index pages; each is written to the WAL and again at
    /// the checkpoint. 16 KiB pages (which bench/scd2's time-ordered synthetic load prefers
    /// by ~10%) write 4× the bytes per dirtied page: bench/pipeline at scale 500 (1M
    /// ConnectWise records) took 61.2 s full / 23.0 s incremental with 16 KiB pages and
    /// 51.5 s / 11.1 s with 4 KiB. A 96 MiB cache did not help further.
    ///
    /// Sorter threads (one per core, at most 4): a bulk load's index builds sort every row;
    /// with helper threads SQLite sorts and merges runs in parallel. `CREATE INDEX` on 3.45M
    /// time entries took 5.4 s with none and 3.2 s with 2 on this 2-core machine; on 1.15M
    /// tickets 1.35 s against 1.17 s.
    public static let defaultOptions = SQLiteDatabase.Options(
        synchronousNormal: false, cacheSizeKiB: 32 * 1024, walAutocheckpointPages: 10_000, pageSize: 4 * 1024,
        sorterThreads: min(4, ProcessInfo.processInfo.activeProcessorCount))

    /// Opens or creates the warehouse at `path` (`<data>/tenants/<tenant>/warehouse.sqlite`;
    /// the caller builds and validates the path) and applies the schema of `tables`.
    ///
    /// Schema changes are additive: a canonical column missing from an existing table is
    /// added if nullable; anything else incompatible throws `WarehouseError.schemaMismatch`.
    /// - Parameter keyIndexBudget: the slots the tables' key indexes may take (shared by
    ///   every warehouse of the process unless given another).
    /// - Throws: `CanonicalSchemaError`, `WarehouseError` or `SQLiteError`.
    public init(path: String, tables: [CanonicalTable] = CanonicalTable.defaultTables,
                options: SQLiteDatabase.Options = TenantWarehouse.defaultOptions,
                keyIndexBudget: KeyIndexBudget = .shared) throws {
        self.keyIndexBudget = keyIndexBudget
        var byName: [String: CanonicalTable] = [:]
        for table in tables {
            try table.validate()
            guard byName.updateValue(table, forKey: table.name) == nil else {
                throw CanonicalSchemaError(table: table.name, reason: "declared twice")
            }
        }
        self.tables = byName
        let database = try SQLiteDatabase(path: path, options: options)
        self.database = database
        if let pages = options.walAutocheckpointPages, pages > 0, !options.readOnly {
            // Past `pages` the checkpoint thread copies the WAL back; past 10× that (it fell
            // behind) the writer does, as SQLite's own automatic checkpoint would.
            let checkpointer = BackgroundCheckpointer(path: path, startPages: pages, limitPages: pages * 10)
            self.checkpointer = checkpointer
            database.setWALCommitHandler { [unowned database] walPages in
                if checkpointer.walGrew(to: walPages) { _ = try? database.checkpointPassively() }
            }
        } else {
            checkpointer = nil
        }
        // Reopening a warehouse whose schema is already what `tables` asks for writes nothing
        // (no schema change for readers to re-prepare after, no commit to fsync).
        if try schemaIsCurrent(tables) { return }
        try database.transaction {
            // A version table from before `file_id` existed is replaced (readers then see a
            // new file id, so nothing cached from it can match).
            let columns = try database.prepare("SELECT COUNT(*) FROM pragma_table_info('_warehouse_version') WHERE name = 'file_id'")
            let hasFileID = try columns.step() && columns.int64(0) > 0
            columns.reset()  // before the DROP: a pending statement would lock the table
            if !hasFileID { try database.execute("DROP TABLE IF EXISTS \"_warehouse_version\"") }
            try database.execute(WarehouseDDL.createVersionTable)
            for table in tables { try applySchema(table) }
        }
    }

    deinit { checkpointer?.stop() }

    /// Advances `_warehouse_version` so that readers' caches see the change. Call inside
    /// the transaction that changed rows.
    func markChanged() throws {
        if versionBump == nil { versionBump = try database.prepare(WarehouseDDL.bumpVersion) }
        guard let statement = versionBump else { return }
        defer { statement.reset() }
        _ = try statement.step()
    }

    /// Whether the file holds exactly the schema `applySchema` would leave for `tables`:
    /// the version table with its file id and, per table, every column, the current-key
    /// index, exactly the analytics indexes of its definition and the current view. Reads
    /// `sqlite_master` and the tables' columns only.
    private func schemaIsCurrent(_ tables: [CanonicalTable]) throws -> Bool {
        var objects: [String: (table: String, sql: String)] = [:]
        let master = try database.prepare("SELECT name, tbl_name, sql FROM sqlite_master")
        while try master.step() { objects[master.text(0) ?? ""] = (master.text(1) ?? "", master.text(2) ?? "") }
        master.reset()
        guard objects["_warehouse_version"] != nil, try columnTypes(of: "_warehouse_version")["file_id"] != nil else { return false }
        for table in tables {
            guard objects[table.name] != nil else { return false }
            let columns = try columnTypes(of: table.name)
            guard table.columns.allSatisfy({ columns[$0.name]?.uppercased() == $0.type.sqlType }),
                  WarehouseDDL.bookkeepingColumns.allSatisfy({ columns[$0] != nil }),
                  objects["ux_\(table.name)_current"]?.sql == WarehouseDDL.asStored(WarehouseDDL.createCurrentKeyIndex(table)),
                  objects[WarehouseDDL.currentViewName(table)]?.sql == WarehouseDDL.createCurrentView(table).last
            else { return false }
            let analytics = objects.filter { $0.key.hasPrefix("ix_") && $0.value.table == table.name }
            guard analytics.count == table.storedIndexes.count else { return false }
            for index in table.storedIndexes {
                guard analytics[WarehouseDDL.indexName(index, of: table)]?.sql == WarehouseDDL.asStored(WarehouseDDL.createIndex(index, of: table))
                else { return false }
            }
        }
        return true
    }

    /// The columns of `table` and their declared SQL types.
    private func columnTypes(of table: String) throws -> [String: String] {
        let info = try database.prepare("SELECT name, type FROM pragma_table_info(?1)")
        try info.bind(table, at: 1)
        var types: [String: String] = [:]
        while try info.step() { types[info.text(0) ?? ""] = info.text(1) ?? "" }
        return types
    }

    private func applySchema(_ table: CanonicalTable) throws {
        try database.execute(WarehouseDDL.createTable(table))
        let existing = try columnTypes(of: table.name)
        for name in WarehouseDDL.bookkeepingColumns where existing[name] == nil {
            throw WarehouseError.schemaMismatch(table: table.name, reason: "bookkeeping column '\(name)' is missing")
        }
        // A column whose type changed keeps its old storage (decimals stored as text would
        // read back as truncated integers), and a changed key would leave the old unique
        // index in force: both need the history rebuilt, not patched.
        for column in table.columns {
            if let stored = existing[column.name], stored.uppercased() != column.type.sqlType.uppercased() {
                throw WarehouseError.schemaMismatch(
                    table: table.name,
                    reason: "column '\(column.name)' is stored as \(stored), the canonical table now declares \(column.type.rawValue); "
                        + "rebuild the warehouse from the raw zone (avesa-host retransform --tenant-id …)")
            }
        }
        let keyIndex = try database.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1")
        try keyIndex.bind("ux_\(table.name)_current", at: 1)
        if try keyIndex.step(), let stored = keyIndex.text(0), stored != WarehouseDDL.asStored(WarehouseDDL.createCurrentKeyIndex(table)) {
            keyIndex.reset()
            throw WarehouseError.schemaMismatch(
                table: table.name,
                reason: "its key is now (\(table.keyColumns.joined(separator: ", "))), not the one its rows were stored under; "
                    + "rebuild the warehouse from the raw zone (avesa-host retransform --tenant-id …)")
        }
        keyIndex.reset()
        for column in table.columns where existing[column.name] == nil {
            guard column.nullable else {
                throw WarehouseError.schemaMismatch(
                    table: table.name, reason: "non-nullable column '\(column.name)' cannot be added to existing rows")
            }
            try database.execute(WarehouseDDL.addColumn(column, to: table))
        }
        try database.execute(WarehouseDDL.createCurrentKeyIndex(table))
        try reconcileIndexes(table)
        for statement in WarehouseDDL.createCurrentView(table) { try database.execute(statement) }
    }

    /// Makes the table's analytics indexes exactly those of its definition: creates missing
    /// ones, recreates one whose definition changed under the same name, and drops `ix_`
    /// indexes the definition no longer has (each would cost every write for nothing).
    private func reconcileIndexes(_ table: CanonicalTable) throws {
        let query = try database.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND name LIKE 'ix\\_%' ESCAPE '\\'")
        try query.bind(table.name, at: 1)
        var existing: [String: String] = [:]
        while try query.step() { existing[query.text(0) ?? ""] = query.text(1) ?? "" }
        query.reset()
        var expected = Set<String>()
        for index in table.storedIndexes {
            let name = WarehouseDDL.indexName(index, of: table)
            expected.insert(name)
            let create = WarehouseDDL.createIndex(index, of: table)
            if let stored = existing[name] {
                if stored == WarehouseDDL.asStored(create) { continue }
                try database.execute(WarehouseDDL.dropIndex(index, of: table))
            }
            try database.execute(create)
        }
        for name in existing.keys where !expected.contains(name) {
            try database.execute("DROP INDEX IF EXISTS \(WarehouseDDL.quote(name))")
        }
    }

    /// The writer for `table`, created on first use.
    func writer(for table: String) throws -> TableWriter {
        if let writer = writers[table] { return writer }
        guard let description = tables[table] else { throw WarehouseError.unknownTable(table) }
        let writer = try TableWriter(table: description, database: database, budget: keyIndexBudget)
        writers[table] = writer
        return writer
    }
}

@available(*, unavailable, message: "TenantWarehouse is confined to one thread or actor")
extension TenantWarehouse: Sendable {}
