/// The type of a canonical column, and how the warehouse stores it in SQLite.
public enum CanonicalType: String, Sendable, Hashable, CaseIterable {
    /// UTF-8 text (`TEXT`).
    case string
    /// Signed 64-bit integer (`INTEGER`).
    case integer
    /// Exact decimal kept as its text, e.g. `"1.25"` (`TEXT`, never a float).
    case decimal
    /// `0` or `1` (`INTEGER`).
    case boolean
    /// Microseconds since 1970-01-01T00:00:00Z (`INTEGER`).
    case timestamp
    /// Days since 1970-01-01 (`INTEGER`).
    case date

    /// The SQLite column type used in generated DDL.
    public var sqlType: String {
        switch self {
        case .string, .decimal: return "TEXT"
        case .integer, .boolean, .timestamp, .date: return "INTEGER"
        }
    }
}

/// One column of a canonical table.
public struct CanonicalColumn: Sendable, Hashable {
    /// Column name: lower-case `[a-z][a-z0-9_]*`, at most 63 characters.
    public var name: String
    /// The value type.
    public var type: CanonicalType
    /// Whether the column may hold `CanonicalValue.null`.
    public var nullable: Bool
    /// Human description, for documentation and the OpenAPI document.
    public var description: String

    /// Creates a column description.
    public init(name: String, type: CanonicalType, nullable: Bool = true, description: String = "") {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.description = description
    }
}

/// A secondary index the analytics queries need on a canonical table.
public struct CanonicalIndex: Sendable, Hashable {
    /// Suffix of the index name (`ix_<table>_<suffix>`): `[a-z0-9_]+`.
    public var suffix: String
    /// Indexed columns, in order; each must be a canonical column of the table.
    public var columns: [String]
    /// Index only current rows (`WHERE _is_current = 1`): smaller, but closing a row then
    /// deletes its index entry too, which makes every change dearer. Off by default, and
    /// in the default tables, since SQLite skips a full index on UPDATE of columns the
    /// index does not mention.
    public var currentOnly: Bool

    /// Creates an index description.
    public init(suffix: String, columns: [String], currentOnly: Bool = false) {
        self.suffix = suffix
        self.columns = columns
        self.currentOnly = currentOnly
    }
}

/// A canonical table: the shape every service's data is mapped onto.
///
/// Its warehouse table holds the canonical columns plus the SCD2 bookkeeping columns
/// (`source_service`, `source_id`, `_valid_from`, `_valid_to`, `_is_current`,
/// `_row_hash`, `_run_id`), which is why canonical names may not start with `_` nor be
/// `source_service` / `source_id`.
public struct CanonicalTable: Sendable, Hashable {
    /// Table name: lower-case `[a-z][a-z0-9_]*`, at most 63 characters.
    public var name: String
    /// Human description.
    public var description: String
    /// Columns in storage order; `CanonicalRecord.values` follow this order.
    public var columns: [CanonicalColumn]
    /// The natural key, compared column by column (never concatenated).
    public var keyColumns: [String]
    /// The source change time used as `_valid_from` when a record carries no explicit
    /// `changedAt`: a `timestamp` column such as `updated_at`, or `nil`.
    public var changeTimeColumn: String?
    /// Secondary indexes for analytics.
    public var indexes: [CanonicalIndex]

    /// Creates a table description; call `validate()` before generating DDL from it.
    public init(name: String, description: String = "", columns: [CanonicalColumn], keyColumns: [String],
                changeTimeColumn: String? = nil, indexes: [CanonicalIndex] = []) {
        self.name = name
        self.description = description
        self.columns = columns
        self.keyColumns = keyColumns
        self.changeTimeColumn = changeTimeColumn
        self.indexes = indexes
    }

    /// Position of the column called `name`, or `nil`.
    public func columnIndex(_ name: String) -> Int? { columns.firstIndex { $0.name == name } }

    /// Positions of the key columns within `columns`, in key order.
    /// Precondition: the table validated.
    public var keyColumnIndexes: [Int] { keyColumns.map { columnIndex($0)! } }
}

/// A typed canonical value, as the mapper produces it.
///
/// `timestamp` is **microseconds** since the Unix epoch (UTC): enough precision for every
/// source we read, and it fits `Int64` until the year 294,247. `date` is days since
/// 1970-01-01. `decimal` is the exact decimal text; the store compares text, so the mapper
/// should build it with `CanonicalValue.decimal(normalizing:)` to avoid `"1.50"` and
/// `"1.5"` looking like a change.
public enum CanonicalValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// UTF-8 text.
    case string(String)
    /// A signed 64-bit integer.
    case integer(Int64)
    /// Exact decimal text matching `-?[0-9]+(\.[0-9]+)?`.
    case decimal(String)
    /// A boolean.
    case boolean(Bool)
    /// Microseconds since 1970-01-01T00:00:00Z.
    case timestamp(Int64)
    /// Days since 1970-01-01.
    case date(Int32)

    /// Whether this value may be stored in a column of `type` (NULL fits every type;
    /// nullability is checked separately).
    public func fits(_ type: CanonicalType) -> Bool {
        switch (self, type) {
        case (.null, _), (.string, .string), (.integer, .integer), (.decimal, .decimal),
             (.boolean, .boolean), (.timestamp, .timestamp), (.date, .date):
            return true
        default:
            return false
        }
    }

    /// Whether `text` is a decimal literal `-?[0-9]+(\.[0-9]+)?`.
    public static func isDecimalLiteral(_ text: String) -> Bool {
        var digitsBefore = 0, digitsAfter = 0, sawPoint = false, first = true
        for byte in text.utf8 {
            defer { first = false }
            switch byte {
            case UInt8(ascii: "-") where first: continue
            case UInt8(ascii: "."):
                if sawPoint || digitsBefore == 0 { return false }
                sawPoint = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if sawPoint { digitsAfter += 1 } else { digitsBefore += 1 }
            default: return false
            }
        }
        return digitsBefore > 0 && (!sawPoint || digitsAfter > 0)
    }

    /// A decimal in canonical text form (no leading zeros, no trailing fractional zeros,
    /// no `-0`), or `nil` when `text` is not a decimal literal.
    /// `"007.50"` → `"7.5"`, `"-0.0"` → `"0"`, `"+1"` → `nil`.
    public static func decimal(normalizing text: String) -> CanonicalValue? {
        guard isDecimalLiteral(text) else { return nil }
        var bytes = Array(text.utf8)
        var negative = false
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes.removeFirst() }
        var integerPart = bytes.prefix { $0 != UInt8(ascii: ".") }
        var fraction = bytes.count > integerPart.count ? bytes[(integerPart.count + 1)...] : []
        while integerPart.count > 1, integerPart.first == UInt8(ascii: "0") { integerPart.removeFirst() }
        while fraction.last == UInt8(ascii: "0") { fraction.removeLast() }
        var out = Array(integerPart)
        if !fraction.isEmpty { out.append(UInt8(ascii: ".")); out.append(contentsOf: fraction) }
        if negative && out != [UInt8(ascii: "0")] { out.insert(UInt8(ascii: "-"), at: 0) }
        return .decimal(String(decoding: out, as: UTF8.self))
    }
}
