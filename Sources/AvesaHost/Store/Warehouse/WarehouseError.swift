/// A warehouse operation that failed for a reason other than SQLite itself.
///
/// Messages name tables, columns and record positions, never record values (which may be
/// customer data).
public enum WarehouseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The table is not one the warehouse was opened with.
    case unknownTable(String)
    /// Record `index` of the batch does not fit the table.
    case invalidRecord(table: String, index: Int, column: String?, reason: String)
    /// The file holds a table incompatible with the canonical description.
    case schemaMismatch(table: String, reason: String)

    /// A one-line message.
    public var description: String {
        switch self {
        case .unknownTable(let name):
            return "warehouse: unknown table '\(name)'"
        case .invalidRecord(let table, let index, let column, let reason):
            return "warehouse: record \(index) for '\(table)'" + (column.map { " column '\($0)'" } ?? "") + ": \(reason)"
        case .schemaMismatch(let table, let reason):
            return "warehouse: table '\(table)' does not match its canonical description: \(reason)"
        }
    }
}
