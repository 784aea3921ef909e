import Foundation

/// Read-only access to one tenant's warehouse: a fresh read-only connection per request
/// on a Dispatch thread, to `<data>/tenants/<tenant>/warehouse.sqlite` only (the tenant
/// id comes from a verified token and is validated again by `DataLayout`). A tenant that
/// has no warehouse yet reads an empty in-memory one with the same schema.
struct WarehouseAccess: Sendable {
    let layout: DataLayout

    func read<T: Sendable>(tenant: String, _ body: @escaping @Sendable (SQLiteDatabase) throws -> T) async throws -> T {
        let path: String
        do { path = try layout.warehouse(tenant) } catch { throw APIContext.unauthorized }
        return try await Blocking.run {
            let database: SQLiteDatabase
            if FileManager.default.fileExists(atPath: path) {
                database = try SQLiteDatabase(path: path, options: SQLiteDatabase.Options(
                    writeAheadLog: false, synchronousNormal: false, foreignKeys: false, readOnly: true))
            } else {
                database = try SQLiteDatabase(path: ":memory:", options: SQLiteDatabase.Options(writeAheadLog: false))
                for table in CanonicalTable.defaultTables {
                    for statement in WarehouseDDL.statements(for: table) { try database.execute(statement) }
                }
            }
            try database.execute("PRAGMA query_only=ON")
            return try body(database)
        }
    }
}

/// A value bound to a `?` placeholder.
enum SQLValue: Sendable {
    case text(String)
    case integer(Int64)
}

/// SQL text with its `?` bindings in order. Only constant fragments and whitelisted
/// identifiers are ever appended as text; everything from the request is a binding.
struct SQLQuery {
    var sql: String
    var bindings: [SQLValue] = []

    init(_ sql: String, _ bindings: [SQLValue] = []) {
        self.sql = sql
        self.bindings = bindings
    }

    mutating func append(_ fragment: String, _ values: SQLValue...) {
        sql += fragment
        bindings += values
    }

    func prepare(_ database: SQLiteDatabase) throws -> SQLiteStatement {
        let statement = try database.prepare(sql)
        for (offset, value) in bindings.enumerated() {
            switch value {
            case .text(let text): try statement.bind(text, at: Int32(offset + 1))
            case .integer(let number): try statement.bind(number, at: Int32(offset + 1))
            }
        }
        return statement
    }
}

extension SQLiteDatabase {
    /// The first column of the first row as an integer (0 when there is no row).
    func scalarInt(_ query: SQLQuery) throws -> Int64 {
        let statement = try query.prepare(self)
        return try statement.step() ? statement.int64(0) : 0
    }
}

extension CanonicalValue {
    /// The value as JSON: timestamps ISO-8601 UTC, dates `YYYY-MM-DD`, decimals as exact numbers.
    var json: JSONValue {
        switch self {
        case .null: return .null
        case .string(let text): return .string(text)
        case .integer(let number): return .number(JSONNumber(number))
        case .decimal(let text): return JSONNumber(literal: text).map(JSONValue.number) ?? .string(text)
        case .boolean(let flag): return .bool(flag)
        case .timestamp(let micros): return .string(TimestampParser.iso8601(micros))
        case .date(let days): return .string(String(TimestampParser.iso8601(Int64(days) * 86_400_000_000).prefix(10)))
        }
    }
}

/// Rounds to `places` decimals for display.
func rounded(_ value: Double, _ places: Int = 2) -> Double {
    let scale = pow(10.0, Double(places))
    return (value * scale).rounded() / scale
}
