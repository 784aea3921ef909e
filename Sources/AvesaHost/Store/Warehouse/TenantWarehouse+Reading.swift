/// One stored version of a record.
public struct HistoryRow: Sendable, Equatable {
    /// The canonical values, in the table's column order.
    public var values: [CanonicalValue]
    /// The source service.
    public var sourceService: String
    /// The id in the source service.
    public var sourceID: String
    /// When this version became valid (microseconds).
    public var validFrom: Int64
    /// When it stopped being valid; `nil` while current.
    public var validTo: Int64?
    /// Whether this is the key's current version.
    public var isCurrent: Bool
    /// The row hash of the tracked columns.
    public var rowHash: RowHash
    /// The run that wrote the row.
    public var runID: String
}

extension TenantWarehouse {
    /// Every version of `key` in `table`, oldest first, through the key-history index (a
    /// scan while a bulk load has dropped it); meant for tests and single-entity API calls,
    /// not bulk reads.
    public func history(of key: CanonicalKey, in table: String) throws -> [HistoryRow] {
        let writer = try writer(for: table)
        let description = writer.table
        guard key.values.count == description.keyColumns.count else {
            throw WarehouseError.invalidRecord(table: table, index: 0, column: nil, reason: "key has wrong arity")
        }
        let columns = description.columns.map { WarehouseDDL.quote($0.name) }.joined(separator: ", ")
        let predicate = description.keyColumns.enumerated()
            .map { "\(WarehouseDDL.quote($0.element)) = ?\($0.offset + 1)" }.joined(separator: " AND ")
        let query = try database.prepare(
            "SELECT \(columns), \"source_service\", \"source_id\", \"_valid_from\", \"_valid_to\", \"_is_current\", "
                + "\"_row_hash\", \"_run_id\" FROM \(WarehouseDDL.quote(table)) WHERE \(predicate) "
                + "ORDER BY \"_valid_from\", rowid")
        for (position, value) in key.values.enumerated() { try query.bind(value, at: Int32(position + 1)) }
        let n = Int32(description.columns.count)
        var rows: [HistoryRow] = []
        while try query.step() {
            rows.append(HistoryRow(
                values: description.columns.enumerated().map { query.canonicalValue(Int32($0.offset), as: $0.element.type) },
                sourceService: query.text(n) ?? "",
                sourceID: query.text(n + 1) ?? "",
                validFrom: query.int64(n + 2),
                validTo: query.isNull(n + 3) ? nil : query.int64(n + 3),
                isCurrent: query.int64(n + 4) == 1,
                rowHash: query.withBytes(n + 5) { RowHash(bytes: $0) } ?? RowHash(high: 0, low: 0),
                runID: query.text(n + 6) ?? ""))
        }
        return rows
    }

    /// Number of rows in `table`: all history rows, or only current ones.
    public func rowCount(_ table: String, currentOnly: Bool = false) throws -> Int {
        let description = try writer(for: table).table
        let query = try database.prepare(
            "SELECT COUNT(*) FROM \(WarehouseDDL.quote(description.name))"
                + (currentOnly ? " WHERE \"_is_current\" = 1" : ""))
        _ = try query.step()
        return Int(query.int64(0))
    }

    /// Whether `table` holds no rows at all (one step, whatever its size).
    public func isEmpty(_ table: String) throws -> Bool {
        let description = try writer(for: table).table
        let probe = try database.prepare("SELECT 1 FROM \(WarehouseDDL.quote(description.name)) LIMIT 1")
        return try !probe.step()
    }
}
