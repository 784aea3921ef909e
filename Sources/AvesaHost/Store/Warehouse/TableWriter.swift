/// One canonical table's prepared statements and in-memory key index, owned by a
/// `TenantWarehouse` and confined with it.
final class TableWriter {
    let table: CanonicalTable
    let keyIndexes: [Int]
    let keyTypes: [CanonicalType]
    let changeTimeIndex: Int?
    /// Per column, in order: type, nullability, whether it is part of the key.
    let columnTypes: [CanonicalType]
    let columnNullable: [Bool]
    let columnIsKey: [Bool]
    private let database: SQLiteDatabase

    /// `INSERT` of a new current row: columns ?1…?n, then source service, source id,
    /// valid-from, row hash, run id.
    let insert: SQLiteStatement
    /// `rowid, _valid_from`, the canonical columns, then `_row_hash`, of the key's current
    /// row; key columns bound as ?1…?k.
    let findCurrent: SQLiteStatement
    /// Copies row ?2 as a closed history row (`_valid_to` ?1): the version a change
    /// replaces, kept under a new rowid while the current row is revised in place.
    let archive: SQLiteStatement
    /// Closes row ?2 at ?1.
    let close: SQLiteStatement
    /// Overwrites row ?(n+5)'s columns, source, hash and run id.
    let correct: SQLiteStatement
    /// Latest close time of the key's closed rows (used only after a fingerprint collision).
    let lastClosed: SQLiteStatement

    /// `UPDATE`s that revise a current row in place, by the set of columns they assign
    /// (bit i = column i), prepared on first use (`revise`).
    private var revisions: [UInt64: SQLiteStatement] = [:]
    /// Distinct column sets kept prepared; beyond it every column is assigned.
    static let maximumRevisionStatements = 256

    /// The key index; its slots come from the warehouse's `KeyIndexBudget` and go back to
    /// it when the writer is released.
    var index: CurrentRowIndex
    private(set) var isLoaded = false

    init(table: CanonicalTable, database: SQLiteDatabase, budget: KeyIndexBudget) throws(SQLiteError) {
        self.table = table
        self.database = database
        index = CurrentRowIndex(budget: budget)
        keyIndexes = table.keyColumnIndexes
        keyTypes = keyIndexes.map { table.columns[$0].type }
        changeTimeIndex = table.changeTimeColumn.flatMap { table.columnIndex($0) }
        columnTypes = table.columns.map(\.type)
        columnNullable = table.columns.map(\.nullable)
        columnIsKey = table.columns.map { table.keyColumns.contains($0.name) }

        let name = WarehouseDDL.quote(table.name)
        let columns = table.columns.map { WarehouseDDL.quote($0.name) }
        let n = columns.count
        let keyPredicate = table.keyColumns.enumerated()
            .map { "\(WarehouseDDL.quote($0.element)) = ?\($0.offset + 1)" }.joined(separator: " AND ")
        let placeholders = (1...n).map { "?\($0)" }.joined(separator: ", ")
        insert = try database.prepare(
            "INSERT INTO \(name) (\(columns.joined(separator: ", ")), \"source_service\", \"source_id\", "
                + "\"_valid_from\", \"_valid_to\", \"_is_current\", \"_row_hash\", \"_run_id\") VALUES ("
                + "\(placeholders), ?\(n + 1), ?\(n + 2), ?\(n + 3), NULL, 1, ?\(n + 4), ?\(n + 5))")
        findCurrent = try database.prepare(
            "SELECT rowid, \"_valid_from\", \(columns.joined(separator: ", ")), \"_row_hash\" FROM \(name) WHERE \(keyPredicate) AND \"_is_current\" = 1")
        let copied = columns.joined(separator: ", ") + ", \"source_service\", \"source_id\", \"_valid_from\""
        archive = try database.prepare(
            "INSERT INTO \(name) (\(copied), \"_valid_to\", \"_is_current\", \"_row_hash\", \"_run_id\") "
                + "SELECT \(copied), ?1, 0, \"_row_hash\", \"_run_id\" FROM \(name) WHERE rowid = ?2")
        close = try database.prepare(
            "UPDATE \(name) SET \"_valid_to\" = ?1, \"_is_current\" = 0 WHERE rowid = ?2")
        let assignments = columns.enumerated().map { "\($0.element) = ?\($0.offset + 1)" }
            + ["\"source_service\" = ?\(n + 1)", "\"source_id\" = ?\(n + 2)", "\"_row_hash\" = ?\(n + 3)",
               "\"_run_id\" = ?\(n + 4)"]
        correct = try database.prepare(
            "UPDATE \(name) SET \(assignments.joined(separator: ", ")) WHERE rowid = ?\(n + 5)")
        lastClosed = try database.prepare(
            "SELECT MAX(\"_valid_to\") FROM \(name) WHERE \(keyPredicate) AND \"_is_current\" = 0")
    }

    deinit { index.budget.giveBack(index.capacity) }

    /// Fills the key index from the table on first use: one pass over all history rows
    /// (keys past the budget are left to SQLite).
    func loadIfNeeded() throws(SQLiteError) {
        if isLoaded { return }
        let keyList = table.keyColumns.map(WarehouseDDL.quote).joined(separator: ", ")
        let k = Int32(keyIndexes.count)
        let scan = try database.prepare(
            "SELECT \(keyList), \"_row_hash\", \"_is_current\", \"_valid_to\" FROM \(WarehouseDDL.quote(table.name))")
        index.budget.giveBack(index.capacity)
        index = CurrentRowIndex(budget: index.budget)
        var fresh = CurrentRowIndex(budget: index.budget)
        var loaded = false
        defer { if !loaded { fresh.budget.giveBack(fresh.capacity) } }  // a failed load keeps no slots
        // The shards hold current keys only; counting them reads the current-key index.
        let current = try database.prepare("SELECT COUNT(*) FROM \(WarehouseDDL.quote(table.name)) WHERE \"_is_current\" = 1")
        if try current.step() { fresh.reserve(Int(current.int64(0))) }
        while try scan.step() {
            var hasher = RowHasher()
            for (position, type) in keyTypes.enumerated() { scan.combine(Int32(position), as: type, into: &hasher) }
            let key = hasher.finalize()
            if scan.int64(k + 1) == 1 {
                let hash = scan.withBytes(k) { RowHash(bytes: $0) } ?? RowHash(high: 1, low: 0)
                fresh.load(.current(hash), for: key)
            } else if fresh.isPartial, fresh.entry(for: key) == nil, try hasCurrentRow(keyOf: scan) {
                // A closed version of a key whose current row the budget refused (a change
                // appends the closed copy after the current row): the key is not deleted.
                continue
            } else {
                fresh.load(.deleted(at: scan.int64(k + 2)), for: key)
            }
        }
        loaded = true
        index = fresh
        isLoaded = true
    }

    /// Whether the key in the first columns of `scan`'s row has a current row.
    private func hasCurrentRow(keyOf scan: SQLiteStatement) throws(SQLiteError) -> Bool {
        defer { findCurrent.reset() }
        for (position, type) in keyTypes.enumerated() {
            try findCurrent.bind(scan.canonicalValue(Int32(position), as: type), at: Int32(position + 1))
        }
        return try findCurrent.step()
    }

    /// Binds the key values of `values` as ?1…?k of `statement`.
    @inline(__always)
    func bindKey(_ values: [CanonicalValue], to statement: SQLiteStatement) throws(SQLiteError) {
        for (position, column) in keyIndexes.enumerated() {
            try statement.bind(values[column], at: Int32(position + 1))
        }
    }

    /// The fingerprint of a record's key.
    @inline(__always)
    func keyFingerprint(_ values: [CanonicalValue]) -> RowHash {
        var hasher = RowHasher()
        for column in keyIndexes { hasher.combine(values[column]) }
        return hasher.finalize()
    }

    /// The key's current row: its rowid, valid-from, row hash, and which of `values` differ
    /// from what it holds (bit i = column i; all bits past 63 columns), or `nil`.
    func currentRow(_ values: [CanonicalValue]) throws(SQLiteError)
        -> (rowID: Int64, validFrom: Int64, hash: RowHash, changed: UInt64)?
    {
        defer { findCurrent.reset() }
        try bindKey(values, to: findCurrent)
        guard try findCurrent.step() else { return nil }
        var changed: UInt64 = 0
        if values.count > 64 {
            changed = .max
        } else {
            for column in values.indices where !findCurrent.holds(values[column], at: Int32(column + 2)) {
                changed |= 1 << UInt64(column)
            }
        }
        let hash = findCurrent.withBytes(Int32(values.count + 2)) { RowHash(bytes: $0) } ?? RowHash(high: 1, low: 0)
        return (findCurrent.int64(0), findCurrent.int64(1), hash, changed)
    }

    /// The key's latest close time, or `nil` when it has no closed row.
    func lastCloseTime(_ values: [CanonicalValue]) throws(SQLiteError) -> Int64? {
        defer { lastClosed.reset() }
        try bindKey(values, to: lastClosed)
        guard try lastClosed.step(), !lastClosed.isNull(0) else { return nil }
        return lastClosed.int64(0)
    }

    /// Inserts a new current row.
    func insertRow(_ record: CanonicalRecord, hash: RowHash, validFrom: Int64, runID: String) throws {
        let n = Int32(table.columns.count)
        try insert.bind(record.sourceService, at: n + 1)
        try insert.bind(record.sourceID, at: n + 2)
        try insert.bind(validFrom, at: n + 3)
        try insert.bind(hash, at: n + 4)
        try insert.bind(runID, at: n + 5)
        try record.values.withUnsafeBufferPointer { values in
            try bindWithoutCopying(values, from: 0, to: insert) { try insert.run() }
        }
    }

    /// Binds `values[from...]` as parameters `from + 1…` and runs `body` while text
    /// bindings still point into the strings.
    ///
    /// Text is bound with `SQLITE_STATIC`, i.e. without SQLite copying it: the pointer is
    /// only valid inside `withUTF8`, so the statement must be stepped (`body`) inside the
    /// innermost closure, and every parameter is re-bound before each step, so a stale
    /// pointer is never read. Saves a malloc, a copy and a free per text column per row.
    private func bindWithoutCopying(_ values: UnsafeBufferPointer<CanonicalValue>, from column: Int,
                                    to statement: SQLiteStatement, then body: () throws -> Void) throws {
        if column == values.count { return try body() }
        switch values[column] {
        case .string(var text), .decimal(var text):
            try text.withUTF8 { bytes in
                try statement.bindStatic(bytes, at: Int32(column + 1))
                try bindWithoutCopying(values, from: column + 1, to: statement, then: body)
            }
        case let value:
            try statement.bind(value, at: Int32(column + 1))
            try bindWithoutCopying(values, from: column + 1, to: statement, then: body)
        }
    }

    /// A change of the current row `rowID`: its present version is copied as a history
    /// row closed at `at`, and the row itself is revised in place to the record, valid
    /// from `at`. Assigning only the `changed` columns (see `currentRow`) lets SQLite leave
    /// every index over unchanged columns alone, and the current row keeps its place in the
    /// current-only indexes, where closing it and inserting a new row would remove and add
    /// an entry in each of them. The history copy enters only the indexes over all rows.
    func changeInPlace(_ rowID: Int64, changed: UInt64, to record: CanonicalRecord, hash: RowHash, at: Int64,
                       runID: String) throws(SQLiteError) {
        try archive.bind(at, at: 1)
        try archive.bind(rowID, at: 2)
        try archive.run()
        // Bind exactly the columns the statement assigns: past the cache's limit that is
        // every column, not just the changed ones (bindings persist between runs).
        let (statement, assigned) = try revision(assigning: changed)
        let n = Int32(table.columns.count)
        for (column, value) in record.values.enumerated() where column >= 64 || assigned & (1 << UInt64(column)) != 0 {
            try statement.bind(value, at: Int32(column + 1))
        }
        try statement.bind(record.sourceService, at: n + 1)
        try statement.bind(record.sourceID, at: n + 2)
        try statement.bind(at, at: n + 3)
        try statement.bind(hash, at: n + 4)
        try statement.bind(runID, at: n + 5)
        try statement.bind(rowID, at: n + 6)
        try statement.run()
    }

    /// The prepared `UPDATE` assigning the columns in `changed` (every column once
    /// `maximumRevisionStatements` column sets are cached), plus source, valid-from, hash and
    /// run id; parameters ?i for column i, then ?(n+1)…?(n+6).
    /// - Returns: the statement and the set of columns it assigns, which the caller must bind.
    private func revision(assigning changed: UInt64) throws(SQLiteError) -> (SQLiteStatement, UInt64) {
        let n = table.columns.count
        var mask = changed
        if revisions[mask] == nil && revisions.count >= Self.maximumRevisionStatements { mask = .max }
        if let statement = revisions[mask] { return (statement, mask) }
        let assignments = table.columns.indices.filter { $0 >= 64 || mask & (1 << UInt64($0)) != 0 }
            .map { "\(WarehouseDDL.quote(table.columns[$0].name)) = ?\($0 + 1)" }
            + ["\"source_service\" = ?\(n + 1)", "\"source_id\" = ?\(n + 2)", "\"_valid_from\" = ?\(n + 3)",
               "\"_row_hash\" = ?\(n + 4)", "\"_run_id\" = ?\(n + 5)"]
        let statement = try database.prepare(
            "UPDATE \(WarehouseDDL.quote(table.name)) SET \(assignments.joined(separator: ", ")) WHERE rowid = ?\(n + 6)")
        revisions[mask] = statement
        return (statement, mask)
    }

    /// Closes row `rowID` at `at`.
    func closeRow(_ rowID: Int64, at: Int64) throws(SQLiteError) {
        try close.bind(at, at: 1)
        try close.bind(rowID, at: 2)
        try close.run()
    }

    /// Overwrites row `rowID` with the record's values.
    func correctRow(_ rowID: Int64, with record: CanonicalRecord, hash: RowHash, runID: String) throws(SQLiteError) {
        let n = Int32(table.columns.count)
        for (position, value) in record.values.enumerated() { try correct.bind(value, at: Int32(position + 1)) }
        try correct.bind(record.sourceService, at: n + 1)
        try correct.bind(record.sourceID, at: n + 2)
        try correct.bind(hash, at: n + 3)
        try correct.bind(runID, at: n + 4)
        try correct.bind(rowID, at: n + 5)
        try correct.run()
    }
}
