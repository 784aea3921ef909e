extension TenantWarehouse {
    /// Starts a bulk load: drops the analytics indexes of every table that holds no rows
    /// yet, so a first load appends rows without maintaining them; `buildDeferredIndexes`
    /// creates them again afterwards by sorting, which costs far less than maintaining them
    /// row by row (bench/scd2: 1M tickets, 19 s maintained vs 8 s deferred).
    ///
    /// The current-key index stays: it is the "one current row per key" constraint and
    /// serves the merge's lookups. Crash-safe: nothing but indexes is dropped, and opening
    /// the warehouse (`init`) recreates any missing index, so a run killed mid-load leaves
    /// a complete schema behind at the next open. Readers keep working meanwhile, with
    /// slower plans for the analytics queries.
    ///
    /// - Returns: the tables whose indexes are now deferred.
    @discardableResult
    public func deferIndexesOfEmptyTables() throws -> [String] {
        var deferred: [String] = []
        try database.transaction {
            for (name, table) in tables.sorted(by: { $0.key < $1.key }) where !table.indexes.isEmpty {
                let probe = try database.prepare("SELECT 1 FROM \(WarehouseDDL.quote(name)) LIMIT 1")
                let hasRows = try probe.step()
                probe.reset()
                if hasRows { continue }
                for index in table.indexes { try database.execute(WarehouseDDL.dropIndex(index, of: table)) }
                deferred.append(name)
            }
        }
        deferredIndexTables.formUnion(deferred)
        return deferred
    }

    /// Ends a bulk load: creates the indexes `deferIndexesOfEmptyTables` dropped. Does
    /// nothing when none are deferred.
    public func buildDeferredIndexes() throws {
        guard !deferredIndexTables.isEmpty else { return }
        try database.transaction {
            for name in deferredIndexTables.sorted() {
                guard let table = tables[name] else { continue }
                for statement in WarehouseDDL.createIndexes(table) { try database.execute(statement) }
            }
        }
        deferredIndexTables.removeAll()
    }

    /// Tables whose analytics indexes are deferred by a bulk load in progress.
    public var tablesWithDeferredIndexes: Set<String> { deferredIndexTables }
}
