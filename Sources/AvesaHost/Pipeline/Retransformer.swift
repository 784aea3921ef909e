import Foundation

/// Rebuilds a tenant's canonical history from its raw zone alone — no API is called —
/// for example after a mapping change. Raw files replay in run order, each merged with
/// its run's start time as load time, so the history equals the original load's, rows a
/// full sync closed included: a run's closes file (`RawZoneCloses`) marks a full sync that
/// closed rows, and the rebuild closes again, at the same time, every row the run's pages
/// did not hold — keys as the current mapping writes them, so a mapping that changed the
/// key format still closes the right rows.
///
/// The rebuild is built in a new file, so readers never see a half-built store and a
/// failure (a bad raw line, a full disk, Ctrl-C) leaves the warehouse as it was: the whole
/// warehouse is renamed over the old one; with a table filter, that table's rows replace
/// the live table's in one transaction. The caller holds the tenant's lock
/// (`RetransformCommand` takes it), so no run writes the warehouse at the same time.
public struct Retransformer: Sendable {
    public let layout: DataLayout
    public let mappings: MappingCatalog

    /// Creates a retransformer over `layout`'s data with `mappings`.
    public init(layout: DataLayout, mappings: MappingCatalog) {
        self.layout = layout
        self.mappings = mappings
    }

    /// Per-table outcome.
    public struct Outcome: Sendable, Equatable {
        public var files = 0
        public var records = 0
        public var rejected = 0
        public var merge = MergeSummary()
    }

    /// Rebuilds `tenant` (only canonical table `table` when given). Blocking: call it from
    /// a thread that may block (the CLI's main thread or a `BlockingWorker`).
    /// - Parameter lockLost: asked before each raw file and before the rebuild replaces
    ///   anything; true (the tenant's lock was taken by another process) stops it, and the
    ///   warehouse is left as it was.
    public func rebuild(tenant: String, table: String? = nil, lockLost: () -> Bool = { false }) throws -> [String: Outcome] {
        func checkLock() throws {
            if lockLost() { throw RetransformError("tenant \(tenant)'s lock was taken by another process; the warehouse was left as it was") }
        }
        if let table, mappings.tables[table] == nil {
            throw RetransformError("unknown canonical table \"\(table)\" (expected one of \(mappings.tables.keys.sorted().joined(separator: ", ")))")
        }
        let reader = RawZoneReader(layout: layout, tenant: tenant)
        let finalPath = try layout.warehouse(tenant)
        guard FileManager.default.fileExists(atPath: try layout.tenantDirectory(tenant)) else {
            throw RetransformError("tenant \(tenant) has no data folder")
        }
        let targetPath = finalPath + (table.map { ".rebuild-" + $0 } ?? ".rebuild")
        Self.removeDatabase(at: targetPath)
        defer { if table != nil { Self.removeDatabase(at: targetPath) } }
        var outcomes: [String: Outcome] = [:]
        do {
            let warehouse = try TenantWarehouse(path: targetPath, tables: mappings.orderedTables)
            // The rebuilt tables start empty: build their analytics indexes once at the end.
            try warehouse.beginBulkLoad()
            for (service, source) in try reader.tables() {
                guard let plan = mappings.plan(service: service, source: source), table == nil || plan.table.name == table else { continue }
                var outcome = outcomes[plan.table.name] ?? Outcome()
                let files = try reader.files(service: service, table: source)
                // The keys of a run that ended in closes: what its full sync saw.
                let fullSyncs = Set(files.filter(\.holdsCloses).map(\.run))
                var seen = RunKeys(run: nil, scratch: try layout.scratchDirectory(tenant))
                defer { seen.discard() }
                for file in files {
                    try checkLock()
                    outcome.files += 1
                    if seen.run != file.run { seen.restart(file.run) }
                    if file.holdsCloses {
                        outcome.merge += try replayCloses(in: file, reader: reader, service: service, plan: plan, seen: &seen,
                                                          into: warehouse)
                        continue
                    }
                    let collects = fullSyncs.contains(file.run), keyColumns = plan.table.keyColumnIndexes
                    try reader.forEachBatch(in: file, fields: plan.fields) { records, _ in
                        var batch: [CanonicalRecord] = []
                        batch.reserveCapacity(records.count)
                        for record in records {
                            if let mapped = try? plan.map(record) {
                                batch.append(mapped)
                                if collects { try seen.insert(RowHash.ofKey(keyColumns.lazy.map { mapped.values[$0] })) }
                            } else {
                                outcome.rejected += 1
                                seen.rejected += 1
                            }
                        }
                        outcome.records += records.count
                        outcome.merge += try warehouse.merge(batch, into: plan.table.name, runID: file.run.value,
                                                             loadTime: file.run.startMicroseconds)
                    }
                }
                outcomes[plan.table.name] = outcome
            }
            try warehouse.endBulkLoad()
        }
        try checkLock()
        if let table, let description = mappings.tables[table] {
            try Self.replace(description, in: finalPath, from: targetPath)
        } else {
            try Self.replaceWarehouse(at: finalPath, with: targetPath)
        }
        return outcomes
    }

    /// Puts the rebuilt warehouse in place of the live one with no moment without either: the
    /// live one is checkpointed (its WAL emptied into the file; refused while a reader holds
    /// it, leaving everything as it was), its WAL and shared-memory files go, and the rebuilt
    /// file is renamed over it in one step, then the folder is synced. Killed at any point,
    /// the path names the complete old warehouse or the complete new one. (Deleting the live
    /// file first, as before, left no warehouse at all to a kill between the two steps, and
    /// the next run started an empty one from the saved watermarks.)
    private static func replaceWarehouse(at path: String, with rebuilt: String) throws {
        if FileManager.default.fileExists(atPath: path) {
            // A live file SQLite cannot open (damaged: the reason to rebuild) is replaced as
            // it is; only one that is being read is left alone.
            var busy: Int64 = 0
            if let live = try? SQLiteDatabase(path: path, options: SQLiteDatabase.Options(synchronousNormal: false)),
               let checkpoint = try? live.prepare("PRAGMA wal_checkpoint(TRUNCATE)"), (try? checkpoint.step()) == true {
                busy = checkpoint.int64(0)
            }
            guard busy == 0 else {
                throw RetransformError("the warehouse \(path) is being read (its log could not be emptied); it was left as it was, retry when no server reads it")
            }
        }
        for suffix in ["-wal", "-shm"] { unlink(path + suffix) }
        guard rename(rebuilt, path) == 0 else { throw RetransformError("cannot replace \(path): \(String(cString: strerror(errno)))") }
        try DurableDirectory.sync(DurableDirectory.parentOf(path), area: "warehouse")
    }

    /// Replaces `table`'s rows in the warehouse at `path` with those rebuilt at `rebuilt`, in
    /// one transaction: readers see the old rows until it commits, and a failure changes
    /// nothing. The live warehouse is opened as the writer does first (its schema brought up
    /// to date), so both tables have every column named below.
    private static func replace(_ table: CanonicalTable, in path: String, from rebuilt: String) throws {
        _ = try TenantWarehouse(path: path, tables: [table])
        let database = try SQLiteDatabase(path: path, options: SQLiteDatabase.Options(synchronousNormal: false))
        let attach = try database.prepare("ATTACH DATABASE ?1 AS rebuilt")
        try attach.bind(rebuilt, at: 1)
        try attach.run()
        defer { try? database.execute("DETACH DATABASE rebuilt") }
        // Identifiers come from the validated canonical table (`WarehouseDDL.quote`).
        let name = WarehouseDDL.quote(table.name)
        let columns = (table.columns.map(\.name) + WarehouseDDL.bookkeepingColumns).map(WarehouseDDL.quote).joined(separator: ", ")
        try database.transaction {
            try database.execute("DELETE FROM main.\(name)")
            try database.execute("INSERT INTO main.\(name) (\(columns)) SELECT \(columns) FROM rebuilt.\(name) ORDER BY rowid")
            try database.execute(WarehouseDDL.createVersionTable)
            try database.execute(WarehouseDDL.bumpVersion)
        }
    }

    /// Closes again the rows a full sync closed, at the same time: every current row of the
    /// service that the run's pages (`seen`) did not hold, as the sync did. When some of the
    /// run's records no longer map (so their keys are unknown), it closes the keys the file
    /// lists instead, as deletions at the same times.
    private func replayCloses(in file: RawZoneReader.RawFile, reader: RawZoneReader, service: String, plan: MappingPlan,
                              seen: inout RunKeys, into warehouse: TenantWarehouse) throws -> MergeSummary {
        let table = plan.table, keyColumns = table.keyColumnIndexes
        let closes = try reader.closes(in: file, keyTypes: keyColumns.map { table.columns[$0].type })
        if seen.rejected == 0, let at = closes.first?.at {
            return try warehouse.closeMissing(table: table.name, service: service, seenKeyFingerprints: seen.keys, at: at)
        }
        let deletions = closes.map { close in
            var values = [CanonicalValue](repeating: .null, count: table.columns.count)
            for (position, column) in keyColumns.enumerated() { values[column] = close.key[position] }
            return CanonicalRecord(values: values, sourceService: service, sourceID: "", changedAt: close.at, isDeleted: true)
        }
        return try warehouse.merge(deletions, into: table.name, runID: file.run.value, loadTime: file.run.startMicroseconds)
    }

    /// The key fingerprints one run's pages held, for replaying its full sync's closes;
    /// spilled to the tenant's scratch folder past `SeenKeySet`'s memory limit.
    struct RunKeys {
        private(set) var run: RunID?
        let scratch: String
        private(set) var keys = SeenKeySet()
        /// Records of the run the current mapping could not map.
        var rejected = 0

        init(run: RunID?, scratch: String) {
            self.run = run
            self.scratch = scratch
        }

        mutating func insert(_ key: RowHash) throws {
            keys.insert(key)
            if keys.needsSpill { try keys.spill(into: scratch) }
        }

        /// Forgets the keys (and their spill files) and starts collecting `run`'s.
        mutating func restart(_ run: RunID) {
            discard()
            self.run = run
            keys = SeenKeySet()
            rejected = 0
        }

        /// Removes the keys' spill files.
        func discard() {
            for folder in keys.spillDirectories { try? FileManager.default.removeItem(atPath: folder) }
        }
    }

    private static func removeDatabase(at path: String) {
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
    }
}

/// Why a rebuild could not run.
public struct RetransformError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
