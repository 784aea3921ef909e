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
            let probe = try database.prepare("SELECT 1 FROM \(WarehouseDDL.quote(name)) LIMIT 1")
            if try !probe.step() { eligible.append(name) }
        }
        bulkLoad = BulkLoadState(threshold: threshold, eligible: Set(eligible))
        return eligible
    }

    /// Ends a bulk load: creates the indexes it dropped. Does nothing when none were.
    public func endBulkLoad() throws {
        let dropped = bulkLoad?.dropped ?? []
        bulkLoad = nil
        guard !dropped.isEmpty else { return }
        try database.transaction {
            for name in dropped.sorted() {
                guard let table = tables[name] else { continue }
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
        if state.dropped.contains(name), let table = tables[name] {
            try database.transaction {
                for statement in WarehouseDDL.createIndexes(table) { try database.execute(statement) }
            }
        }
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
