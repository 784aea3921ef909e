/// One service table's mapping compiled for speed: every source path the mapping reads
/// sits in one `JSONFieldPlan` (extracted on demand while scanning a page), and each
/// canonical column is a small program over those slots. Built once per run; applying it
/// parses nothing of the mapping.
public struct MappingPlan: Sendable {
    /// The service (`connectwise`).
    public let service: String
    /// The source endpoint (`service/tickets`).
    public let source: String
    /// The canonical table fed.
    public let table: CanonicalTable
    /// Paths to extract from each record (hand to `JSONRecordScanner`).
    public let fields: JSONFieldPlan
    let id: CompiledExpression
    let changedAt: CompiledExpression?
    let deletedSlot: Int?
    /// The values of `deletedSlot` that mean deleted; nil: any non-null value.
    let deletedValues: Set<String>?
    let columns: [CompiledExpression?]  // by canonical column position
    let idColumn: Int
    /// Positions of the key columns other than `id`.
    let keyColumns: Set<Int>

    /// Maps one scanned record (its `values` follow `fields`) to a canonical record.
    public func map(_ record: JSONRecord) throws(RecordMappingError) -> CanonicalRecord {
        let values = record.values
        guard let rawID = id.evaluate(values, service: service), let sourceID = Self.text(of: rawID), !sourceID.isEmpty else {
            throw RecordMappingError(table: table.name, column: "id", sourceID: nil, message: "the record has no id")
        }
        var row = [CanonicalValue](repeating: .null, count: table.columns.count)
        row[idColumn] = .string(service + ":" + sourceID)
        let deleted = deletedSlot.map { slot in
            guard let marker = values[slot], !marker.isNull else { return false }
            guard let deletedValues else { return true }
            return Self.text(of: marker).map(deletedValues.contains) ?? false
        } ?? false
        // A deleted record needs only its key.
        for (index, expression) in columns.enumerated() where index != idColumn && (!deleted || keyColumns.contains(index)) {
            guard let expression else { continue }
            let column = table.columns[index]
            row[index] = try Self.convert(expression.evaluate(values, service: service), to: column.type,
                                          column: column.name, table: table.name, sourceID: sourceID)
            // Rejected here, alone, rather than failing its whole batch in the warehouse.
            if row[index] == .null && !column.nullable {
                throw RecordMappingError(table: table.name, column: column.name, sourceID: sourceID,
                                         message: "is required, and the record has no value for it")
            }
        }
        var changed: Int64?
        if let changedAt, let value = changedAt.evaluate(values, service: service), !value.isNull {
            guard case .timestamp(let micros) = try Self.convert(value, to: .timestamp, column: "changed_at", table: table.name, sourceID: sourceID) else {
                throw RecordMappingError(table: table.name, column: "changed_at", sourceID: sourceID, message: "is not a timestamp")
            }
            changed = micros
        }
        return CanonicalRecord(values: row, sourceService: service, sourceID: sourceID, changedAt: changed, isDeleted: deleted,
                               sourceReportsDeletions: deletedSlot != nil)
    }

    init(service: String, mapping: TableMapping, table: CanonicalTable) throws(MappingFileError) {
        var compiler = ExpressionCompiler()
        self.service = service
        self.source = mapping.source
        self.table = table
        self.id = compiler.compile(mapping.id)
        self.changedAt = mapping.changedAt.map { compiler.compile($0) }
        self.deletedSlot = mapping.deletedMarker.map { compiler.slot(for: $0.path) }
        self.deletedValues = mapping.deletedMarker?.values.map(Set.init)
        self.columns = table.columns.map { column in mapping.columns[column.name].map { compiler.compile($0) } }
        self.idColumn = table.columnIndex("id") ?? 0
        self.keyColumns = Set(table.keyColumnIndexes)
        do {
            fields = JSONFieldPlan(try compiler.paths.map { (path) throws(JSONError) in try JSONFieldPath(path) })
        } catch {
            throw MappingFileError(file: "", pointer: "", message: "bad path: \(error)")
        }
    }

    /// Text of a scalar value (ids may be numbers or strings).
    static func text(of value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .number(let number): number.literal
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }
}
