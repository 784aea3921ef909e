extension TenantWarehouse {
    /// Rows a table must receive during a bulk load before its analytics indexes are
    /// dropped: below it (a small tenant, an incremental run) dropping and rebuilding costs
    /// more than maintaining them.
    public static let defaultBulkLoadThreshold = 5_000

    /// Starts a bulk load. Every table that holds no rows now becomes eligible: once a
    /// table has received `threshold` rows, its analytics indexes are dropped, so the rest
    /// of the load appends rows without maintaining them, and `endBulkLoad` creates them
    /// again by sorting, which costs far less than maintaining them row by row
    /// (bench/scd2: 1M tickets, 19 s maintained vs 8 s deferred).
    ///
    /// The current-key index stays: it is the "one current row per key" constraint and
    /// serves the merge's lookups. Crash-safe: nothing but indexes is dropped, and opening
    /// the warehouse (`init`) recreates any missing index, so a run killed mid-load leaves
    /// a complete schema behind at the next open. Readers keep working meanwhile, with
    /// slower plans for the analytics queries.
    ///
    /// - Returns: the eligible tables.
    @discardableResult
    public func beginBulkLoad(threshold: Int = TenantWarehouse.defaultBulkLoadThreshold) throws -> [String] {
        var eligible: [String] = []
        for (name, table) in tables.sorted(by: { $0.key < $1.key }) where !table.indexes.isEmpty {
            if try isEmpty(name) { eligible.append(name) }
        }
        bulkLoad = BulkLoadState(threshold: threshold, eligible: Set(eligible))
        return eligible
    }

    /// Ends a bulk load: creates the indexes it dropped. Does nothing when none were.
    public func endBulkLoad() throws {
        let dropped = bulkLoad?.dropped ?? []
        bulkLoad = nil
        guard !dropped.isEmpty else { return }
        try buildIndexes(of: dropped.sorted().compactMap { tables[$0] })
    }

    /// Page cache, in KiB, while deferred indexes are built. SQLite's sorter cuts its sorted
    /// runs to the size of the page cache: runs of a few MiB sort within the CPU caches and
    /// in parallel (`PRAGMA threads`), where 32 MiB runs do neither. `CREATE INDEX` on 3.45M
    /// time entries: 3.2 s and 137 MB resident with the 32 MiB cache, 1.9 s and 21 MB with
    /// 4 MiB (both with 2 sorter threads); on 1.15M tickets 1.2 s against 0.8 s.
    static let indexBuildCacheKiB = 4 * 1024

    /// Creates the analytics indexes of `tables` in one transaction, with the page cache
    /// at `indexBuildCacheKiB` meanwhile (restored afterwards).
    private func buildIndexes(of tables: [CanonicalTable]) throws {
        let query = try database.prepare("PRAGMA cache_size")
        let previous = try query.step() ? query.int64(0) : -Int64(Self.indexBuildCacheKiB)
        query.reset()
        try database.execute("PRAGMA cache_size=-\(Self.indexBuildCacheKiB)")
        defer { try? database.execute("PRAGMA cache_size=\(previous)") }
        try database.transaction {
            for table in tables {
                for statement in WarehouseDDL.createIndexes(table) { try database.execute(statement) }
            }
        }
    }

    /// Ends the bulk load of one table before the others (its last sync of the run
    /// finished): creates the indexes it dropped, and any later insert into it maintains
    /// them. When creating them fails, the table stays deferred and `endBulkLoad` (or the
    /// next open) tries again.
    public func endBulkLoad(table name: String) throws {
        guard let state = bulkLoad else { return }
        if state.dropped.contains(name), let table = tables[name] { try buildIndexes(of: [table]) }
        bulkLoad?.dropped.remove(name)
        bulkLoad?.eligible.remove(name)
    }

    /// Tables whose analytics indexes the bulk load in progress has dropped.
    public var tablesWithDeferredIndexes: Set<String> { bulkLoad?.dropped ?? [] }

    /// Counts rows a merge inserted and drops the table's analytics indexes once it passes
    /// the threshold. Called after the merge's transaction committed, so it never fails the
    /// merge: dropping is only an optimisation, and when it fails (the transaction rolls back,
    /// the indexes stay) the table simply keeps its indexes for the rest of the load.
    func noteBulkInserts(_ inserted: Int, into name: String) {
        guard var state = bulkLoad, state.eligible.contains(name), !state.dropped.contains(name),
              let table = tables[name] else { return }
        state.inserted[name, default: 0] += inserted
        if state.inserted[name, default: 0] >= state.threshold {
            do {
                try database.transaction {
                    for index in table.indexes { try database.execute(WarehouseDDL.dropIndex(index, of: table)) }
                }
                state.dropped.insert(name)
            } catch {
                state.eligible.remove(name)
            }
        }
        bulkLoad = state
    }
}

/// What a bulk load has seen so far (`TenantWarehouse.beginBulkLoad`).
struct BulkLoadState {
    let threshold: Int
    /// Tables empty when the load began (less any whose indexes could not be dropped).
    var eligible: Set<String>
    /// Rows inserted per eligible table.
    var inserted: [String: Int] = [:]
    /// Tables whose analytics indexes are dropped.
    var dropped: Set<String> = []
}
