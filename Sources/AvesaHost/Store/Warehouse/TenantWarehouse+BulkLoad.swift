extension TenantWarehouse {
    /// Rows a table must receive during a bulk load before its analytics indexes are
    /// dropped: below it (a small tenant, a typical incremental run) dropping and rebuilding
    /// costs more than maintaining them.
    public static let defaultBulkLoadThreshold = 5_000

    /// The share of a table's current rows a run must have written (inserted, changed or
    /// closed) before the table's analytics indexes are dropped midway when it held rows
    /// already; `defaultExpectedWriteShare` when the writes were announced before the first
    /// (`expectWrites`). Dropping and rebuilding (~2.5 µs a row of the table, bench/pipeline
    /// at 4.8M rows) pays off when the writes left to make without the indexes save more:
    /// ~25 µs each (~46 µs maintained against ~21 µs without). Announced, that is past ~10%
    /// of the table; midway, the writes already made do not count, so the bar is higher
    /// (bench/scd2's second pass, 10% of 1M tickets changed, lost 2.4 s with a 5% bar).
    public static let defaultBulkWriteShare = 0.2

    /// The share of a table's current rows a run must announce (`expectWrites`) for its
    /// analytics indexes to be dropped before the first write. See `defaultBulkWriteShare`.
    public static let defaultExpectedWriteShare = 0.1

    /// Starts a bulk load. Every table with analytics indexes becomes eligible: once a table
    /// that was empty has received `threshold` rows, or one that held rows has had
    /// `threshold` and `share` of its current rows written by merges (inserted, changed or
    /// closed; `closeMissing` does not count), or
    /// announced `threshold` and `expectedShare` of them (`expectWrites`), its analytics
    /// indexes are dropped, so the rest of the run writes rows without
    /// maintaining them, and `endBulkLoad` creates them again by sorting, which costs far
    /// less than maintaining them row by row (bench/scd2: 1M tickets, 19 s maintained vs
    /// 8 s deferred; bench/pipeline's incremental run after a 10% change at 4.8M rows:
    /// ~50 s maintained).
    ///
    /// The current-key index stays: it is the "one current row per key" constraint and
    /// serves the merge's lookups. Crash-safe: nothing but indexes is dropped, and opening
    /// the warehouse (`init`) recreates any missing index, so a run killed mid-load leaves
    /// a complete schema behind at the next open. Readers keep working meanwhile, with
    /// slower plans for the analytics queries.
    ///
    /// - Returns: the tables with analytics indexes that hold no rows now.
    @discardableResult
    public func beginBulkLoad(threshold: Int = TenantWarehouse.defaultBulkLoadThreshold,
                              share: Double = TenantWarehouse.defaultBulkWriteShare,
                              expectedShare: Double = TenantWarehouse.defaultExpectedWriteShare) throws -> [String] {
        var state = BulkLoadState(threshold: threshold, share: share, expectedShare: expectedShare)
        for (name, table) in tables.sorted(by: { $0.key < $1.key }) where !table.storedIndexes.isEmpty {
            state.eligible.insert(name)
            if try isEmpty(name) { state.emptyAtStart.insert(name) }
        }
        bulkLoad = state
        return state.emptyAtStart.sorted()
    }

    /// An upper bound of `name`'s rows, in one B-tree descent (its largest rowid; rows are
    /// appended and never deleted by a merge): to decide cheaply whether a table is large.
    public func rowCountUpperBound(_ name: String) throws -> Int {
        let table = try writer(for: name).table
        let query = try database.prepare("SELECT max(rowid) FROM \(WarehouseDDL.quote(table.name))")
        return try query.step() ? Int(query.int64(0)) : 0
    }

    /// Notes that a sync about to run expects to write `count` rows into `name` (an
    /// incremental range's record count, asked of the service before fetching): when the
    /// expected writes pass the table's bar, its analytics indexes are dropped now, before
    /// the first of them, rather than once that many were written with the indexes kept.
    /// - Returns: whether this call dropped them.
    @discardableResult
    public func expectWrites(_ count: Int, into name: String) -> Bool {
        guard var state = bulkLoad, state.eligible.contains(name), !state.dropped.contains(name) else { return false }
        state.expected[name, default: 0] += count
        bulkLoad = state
        guard passesBar(state.expected[name, default: 0], of: name, share: state.expectedShare) else { return false }
        dropAnalyticsIndexes(of: name)
        return bulkLoad?.dropped.contains(name) ?? false
    }

    /// Whether `rows` written (or announced) reach `name`'s bar: the threshold for a table
    /// that was empty, else also `share` of its current rows, counted (once) only when the
    /// threshold is reached, so small runs never count a large table.
    private func passesBar(_ rows: Int, of name: String, share: Double) -> Bool {
        guard let state = bulkLoad, rows >= state.threshold else { return false }
        if state.emptyAtStart.contains(name) { return true }
        let current: Int
        if let counted = state.currentRows[name] {
            current = counted
        } else {
            guard let counted = try? rowCount(name, currentOnly: true) else { return false }
            bulkLoad?.currentRows[name] = counted
            current = counted
        }
        return Double(rows) >= Double(current) * share
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

    /// Counts rows a merge wrote and drops the table's analytics indexes once they pass the
    /// table's bar. Called after the merge's transaction committed, so it never fails the
    /// merge.
    func noteBulkWrites(_ written: Int, into name: String) {
        guard var state = bulkLoad, state.eligible.contains(name), !state.dropped.contains(name) else { return }
        state.written[name, default: 0] += written
        bulkLoad = state
        if passesBar(state.written[name, default: 0], of: name, share: state.share) { dropAnalyticsIndexes(of: name) }
    }

    /// Drops the analytics indexes of `name` for the rest of the bulk load: all of them for
    /// a table that was empty; for one that held rows, only those over all rows. A change
    /// adds its closed copy to every index over all rows, at random places, while it touches
    /// a current-only index only when one of its columns changed: bench/pipeline's
    /// incremental run at scale 500 took 9.6 s with every index, 8.5 s with only those over
    /// all rows, 4.7 s with only the current-only ones and 3.7 s with none. So the
    /// current-only indexes, which the dashboards' queries use, stay.
    /// Dropping is only an optimisation: when it fails (the transaction rolls back, the
    /// indexes stay), the table keeps its indexes for the rest of the load.
    private func dropAnalyticsIndexes(of name: String) {
        guard let table = tables[name], let state = bulkLoad else { return }
        let dropped = state.emptyAtStart.contains(name) ? table.storedIndexes : table.storedIndexes.filter { !$0.currentOnly }
        do {
            try database.transaction {
                for index in dropped { try database.execute(WarehouseDDL.dropIndex(index, of: table)) }
            }
            bulkLoad?.dropped.insert(name)
        } catch {
            bulkLoad?.eligible.remove(name)
        }
    }
}

/// What a bulk load has seen so far (`TenantWarehouse.beginBulkLoad`).
struct BulkLoadState {
    let threshold: Int
    /// Share of a table that held rows to have written, or announced, before its indexes go.
    let share: Double
    /// Share of a table that held rows to have announced (`expectWrites`) for the same.
    let expectedShare: Double
    /// Tables with analytics indexes whose load has not ended (less any whose indexes could
    /// not be dropped).
    var eligible: Set<String> = []
    /// Eligible tables that held no rows when the load began.
    var emptyAtStart: Set<String> = []
    /// Current rows of tables that held rows, counted when first needed.
    var currentRows: [String: Int] = [:]
    /// Rows written per eligible table.
    var written: [String: Int] = [:]
    /// Rows the syncs of the run announced they will write (`expectWrites`).
    var expected: [String: Int] = [:]
    /// Tables whose analytics indexes are dropped.
    var dropped: Set<String> = []
}
