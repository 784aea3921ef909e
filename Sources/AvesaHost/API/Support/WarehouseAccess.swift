import Foundation

/// Read-only access to one tenant's warehouse, `<data>/tenants/<tenant>/warehouse.sqlite`
/// only (the tenant id comes from a verified token and is validated again by
/// `DataLayout`). Each request borrows a pooled read-only connection
/// (`WarehouseReaderPool`) on a Dispatch thread and runs inside one read transaction, so
/// all its queries see one snapshot. A tenant that has no warehouse yet reads an empty
/// in-memory one with the same schema.
struct WarehouseAccess: Sendable {
    let layout: DataLayout
    let readers: WarehouseReaderPool
    let cache: WarehouseResultCache
    let gate: TenantReadGate
    let deadlineSeconds: Double

    init(context: APIContext) {
        layout = context.layout
        readers = context.warehouseReaders
        cache = context.warehouseResults
        gate = context.tenantReads
        deadlineSeconds = context.warehouseReadSeconds
    }

    /// Runs `body` over the tenant's warehouse in one read transaction, holding one of the
    /// tenant's read permits (`TenantReadGate`).
    func read<T: Sendable>(tenant: String, _ body: @escaping @Sendable (WarehouseReadSession) throws -> T) async throws -> T {
        let path: String
        do { path = try layout.warehouse(tenant) } catch { throw APIContext.unauthorized }
        return try await gate.withPermit(tenant: tenant) { try await read(path: path, body) }
    }

    private func read<T: Sendable>(path: String, _ body: @escaping @Sendable (WarehouseReadSession) throws -> T) async throws -> T {
        do {
            return try await readWithoutDeadlineMapping(path: path, body)
        } catch let error as SQLiteError where error.isInterrupt {
            throw HTTPError(.serviceUnavailable, code: "query_timeout",
                            message: "The query took longer than \(Int(deadlineSeconds)) s and was stopped; narrow it (a shorter window, a filter) or retry.")
        }
    }

    private func readWithoutDeadlineMapping<T: Sendable>(path: String, _ body: @escaping @Sendable (WarehouseReadSession) throws -> T) async throws -> T {
        let readers = self.readers, cache = self.cache, deadline = self.deadlineSeconds
        return try await Blocking.run {
            guard let reader = try readers.borrow(path) else {
                let database = try SQLiteDatabase(path: ":memory:", options: SQLiteDatabase.Options(writeAheadLog: false))
                for table in CanonicalTable.defaultTables {
                    for statement in WarehouseDDL.statements(for: table) { try database.execute(statement) }
                }
                try database.execute("PRAGMA query_only=ON")
                return try body(WarehouseReadSession(database: database, snapshot: nil, cache: cache))
            }
            try reader.database.execute("BEGIN")
            let result = Result {
                // A query an index does not serve (a substring search, a history scan) is
                // stopped at the deadline instead of holding a thread and a core for minutes.
                try reader.database.withDeadline(seconds: deadline) {
                    try body(WarehouseReadSession(database: reader.database, snapshot: Self.snapshot(reader, path), cache: cache))
                }
            }
            do {
                try reader.database.execute("COMMIT")
                readers.giveBack(reader, for: path)
            } catch {
                // Not returned to the pool: dropping the connection closes it.
            }
            return try result.get()
        }
    }

    /// The encoded JSON of `compute`'s result over the tenant's warehouse, from the cache
    /// when it was computed at the current snapshot under `query` (which must name every
    /// parameter that shapes the result).
    func cachedBody(tenant: String, query: String, _ compute: @escaping @Sendable (WarehouseReadSession) throws -> JSONValue) async throws -> [UInt8] {
        try await read(tenant: tenant) { session in try session.cachedBody(query) { try compute(session) } }
    }

    /// The snapshot the reader's open transaction sees; nil for a warehouse written before
    /// `_warehouse_version` existed (its results are then never cached).
    private static func snapshot(_ reader: WarehouseReaderPool.Reader, _ path: String) -> WarehouseSnapshot? {
        guard let statement = try? reader.database.prepare(WarehouseDDL.selectVersion),
              (try? statement.step()) == true,
              let fileID = statement.blob(1), fileID.count == 16 else { return nil }
        return WarehouseSnapshot(path: path, fileID: fileID, version: statement.int64(0))
    }
}

/// One request's view of a tenant warehouse: the connection, inside a read transaction,
/// and the snapshot it sees.
struct WarehouseReadSession {
    let database: SQLiteDatabase
    let snapshot: WarehouseSnapshot?
    let cache: WarehouseResultCache

    /// `compute()`'s result, from the cache when it was computed at this snapshot.
    func cached(_ query: String, _ compute: () throws -> JSONValue) throws -> JSONValue {
        guard let snapshot else { return try compute() }
        return try cache.value(for: WarehouseResultCache.Key(snapshot: snapshot, query: query), compute: compute)
    }

    /// `compute()`'s result encoded as JSON, from the cache when computed at this snapshot.
    func cachedBody(_ query: String, _ compute: () throws -> JSONValue) throws -> [UInt8] {
        guard let snapshot else { return try compute().jsonBytes() }
        return try cache.body(for: WarehouseResultCache.Key(snapshot: snapshot, query: "body|" + query), compute: compute)
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

    /// An unambiguous text of the SQL and its bindings, for cache keys.
    var cacheKey: String {
        var key = sql
        for value in bindings {
            switch value {
            case .text(let text): key += "|t\(text.utf8.count):\(text)"
            case .integer(let number): key += "|i\(number)"
            }
        }
        return key
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
