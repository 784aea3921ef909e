/// A canonical table description that cannot be turned into a warehouse table.
public struct CanonicalSchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The table concerned.
    public let table: String
    /// What is wrong, naming the column or index.
    public let reason: String
    /// Where, as a JSON pointer into the canonical file's layout (`/columns/3/name`,
    /// `/key/0`, `/indexes/1/columns/0`); "" for the table as a whole.
    public let pointer: String

    /// Creates the error.
    public init(table: String, reason: String, pointer: String = "") {
        self.table = table
        self.reason = reason
        self.pointer = pointer
    }

    /// `"canonical table 'x': reason"`.
    public var description: String { "canonical table '\(table)': \(reason)" }
}

extension CanonicalTable {
    /// Names the warehouse adds to every table; canonical columns may not use them.
    public static let reservedColumnNames: Set<String> = [
        "source_service", "source_id", "_valid_from", "_valid_to", "_is_current", "_row_hash", "_run_id",
        "rowid", "oid", "_rowid_",
    ]

    /// Whether `name` is a safe SQL identifier for us: `[a-z][a-z0-9_]{0,62}`.
    /// Names are still double-quoted in DDL; this check is what makes that safe.
    public static func isValidIdentifier(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 63, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first)
        else { return false }
        return bytes.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || $0 == UInt8(ascii: "_")
        }
    }

    /// Checks names, duplicates, key and index columns, and the change-time column.
    /// - Throws: `CanonicalSchemaError` naming the offending column or index.
    public func validate() throws(CanonicalSchemaError) {
        func fail(_ reason: String, at pointer: String = "") -> CanonicalSchemaError {
            CanonicalSchemaError(table: name, reason: reason, pointer: pointer)
        }
        guard Self.isValidIdentifier(name) else { throw fail("table name must match [a-z][a-z0-9_]{0,62}", at: "/table") }
        guard !columns.isEmpty else { throw fail("no columns", at: "/columns") }
        var seen = Set<String>()
        for (position, column) in columns.enumerated() {
            guard Self.isValidIdentifier(column.name) else {
                throw fail("column '\(column.name)' must match [a-z][a-z0-9_]{0,62}", at: "/columns/\(position)/name")
            }
            guard !Self.reservedColumnNames.contains(column.name) else {
                throw fail("column '\(column.name)' is reserved for warehouse bookkeeping", at: "/columns/\(position)/name")
            }
            guard seen.insert(column.name).inserted else { throw fail("duplicate column '\(column.name)'", at: "/columns/\(position)/name") }
        }
        guard !keyColumns.isEmpty else { throw fail("no key columns", at: "/key") }
        var keys = Set<String>()
        for (position, key) in keyColumns.enumerated() {
            guard keys.insert(key).inserted else { throw fail("duplicate key column '\(key)'", at: "/key/\(position)") }
            guard let index = columnIndex(key) else { throw fail("key column '\(key)' is not a column", at: "/key/\(position)") }
            guard !columns[index].nullable else { throw fail("key column '\(key)' must not be nullable", at: "/key/\(position)") }
        }
        if let change = changeTimeColumn {
            guard let index = columnIndex(change) else {
                throw fail("change-time column '\(change)' is not a column", at: "/change_time_column")
            }
            guard columns[index].type == .timestamp else {
                throw fail("change-time column '\(change)' must be a timestamp", at: "/change_time_column")
            }
        }
        var suffixes = Set<String>()
        for (position, index) in indexes.enumerated() {
            guard Self.isValidIdentifier("x" + index.suffix), suffixes.insert(index.suffix).inserted else {
                throw fail("index suffix '\(index.suffix)' is invalid or duplicated", at: "/indexes/\(position)/name")
            }
            guard index.suffix != Self.keyHistoryIndexSuffix else {
                throw fail("index suffix '\(index.suffix)' is reserved for the warehouse's key-history index", at: "/indexes/\(position)/name")
            }
            guard !index.columns.isEmpty else { throw fail("index '\(index.suffix)' has no columns", at: "/indexes/\(position)/columns") }
            for (slot, column) in index.columns.enumerated() where columnIndex(column) == nil {
                throw fail("index '\(index.suffix)' names unknown column '\(column)'", at: "/indexes/\(position)/columns/\(slot)")
            }
        }
    }
}
