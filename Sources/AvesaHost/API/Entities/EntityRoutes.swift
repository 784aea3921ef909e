/// `GET /api/<entity>`, `/api/<entity>/:id` and `/api/<entity>/:id/history` for
/// companies, contacts, tickets and time entries, all scoped to the token's tenant
/// warehouse and all taking `as_of`.
enum EntityRoutes {
    static let maxLimit = 500

    static func register(on router: inout Router, context: APIContext) {
        let warehouse = WarehouseAccess(context: context)
        for entity in EntityDefinition.all {
            router.get("/api/\(entity.path)", handler: context.protected(.viewer) { request, principal in
                let query = try listQuery(entity, QueryParameters(request, allowed: entity.listParameters))
                let body = try await warehouse.cachedBody(tenant: principal.tenantID, query: "list|\(entity.path)|\(query.cacheKey)") { session in
                    try list(entity, query, session)
                }
                return .json(body)
            })
            router.get("/api/\(entity.path)/:id", handler: context.protected(.viewer) { request, principal in
                let asOf = try QueryParameters(request, allowed: ["as_of"]).timestamp("as_of")
                let id = request.pathParameter("id") ?? ""
                let body = try await warehouse.read(tenant: principal.tenantID) { session in try detail(entity, id: id, asOf: asOf, session) }
                guard let body else { throw notFound(entity) }
                return .json(body)
            })
            if entity.hasHistory {
                router.get("/api/\(entity.path)/:id/history", handler: context.protected(.viewer) { request, principal in
                    let asOf = try QueryParameters(request, allowed: ["as_of"]).timestamp("as_of")
                    let id = request.pathParameter("id") ?? ""
                    let body = try await warehouse.read(tenant: principal.tenantID) { session in
                        try history(entity, id: id, asOf: asOf, session.database)
                    }
                    guard let body else { throw notFound(entity) }
                    return .json(body)
                })
            }
        }
    }

    static func notFound(_ entity: EntityDefinition) -> HTTPError {
        HTTPError(.notFound, code: "not_found", message: "No \(entity.noun) with this id.")
    }

    /// A validated list request.
    struct ListQuery: Sendable {
        var page: Int
        var limit: Int
        var orderBy: String
        var whereSQL: String
        var bindings: [SQLValue]

        /// Everything that shapes the page, for cache keys.
        var cacheKey: String { "\(page)|\(limit)|\(orderBy)|" + SQLQuery(whereSQL, bindings).cacheKey }
    }

    static func listQuery(_ entity: EntityDefinition, _ params: QueryParameters) throws(HTTPError) -> ListQuery {
        let page = try params.int("page", default: 1, range: 1...1_000_000)
        let limit = try params.int("limit", default: 50, range: 1...maxLimit)
        let sortText = try params.string("sort", maxLength: 64) ?? entity.defaultSort
        let descending = sortText.hasPrefix("-")
        let sortName = descending ? String(sortText.dropFirst()) : sortText
        guard let sort = entity.sortable.first(where: { $0.name == sortName }) else {
            throw QueryParameters.invalid("sort", "must be one of \(entity.sortable.map(\.name).joined(separator: ", ")), optionally prefixed with -")
        }
        let asOf = try params.timestamp("as_of")
        var (whereSQL, bindings) = EntityDefinition.validity(asOf)
        for filter in entity.filters {
            if let value = try params.string(filter.parameter) {
                whereSQL += " AND \(EntityDefinition.quote(filter.column)) = ?"
                bindings.append(.text(value))
            }
        }
        for filter in entity.booleanFilters {
            if let value = try params.bool(filter.parameter) {
                whereSQL += " AND \(EntityDefinition.quote(filter.column)) = ?"
                bindings.append(.integer(value ? 1 : 0))
            }
        }
        let from = try params.timestamp("from")
        let to = try params.timestamp("to", dateMeansEndOfDay: true)
        if let from, let to, to <= from { throw QueryParameters.invalid("to", "must be after 'from'") }
        let dateColumn = EntityDefinition.quote(entity.dateColumn)
        if let from { whereSQL += " AND \(dateColumn) >= ?"; bindings.append(.integer(from)) }
        if let to { whereSQL += " AND \(dateColumn) < ?"; bindings.append(.integer(to)) }
        if let q = try params.string("q", maxLength: 200) {
            let pattern = likePattern(q)
            whereSQL += " AND (" + entity.searchColumns.map { "\(EntityDefinition.quote($0)) LIKE ? ESCAPE '\\'" }
                .joined(separator: " OR ") + ")"
            bindings += entity.searchColumns.map { _ in .text(pattern) }
        }
        let direction = descending ? "DESC" : "ASC"
        let orderBy = "\(sort.expression) \(direction) NULLS LAST, \"id\" \(direction)"
        return ListQuery(page: page, limit: limit, orderBy: orderBy, whereSQL: whereSQL, bindings: bindings)
    }

    /// One page of rows. `total` counts every matching row, which costs a walk of the whole
    /// index (tens of ms at a million rows), so it is cached per warehouse snapshot.
    static func list(_ entity: EntityDefinition, _ query: ListQuery, _ session: WarehouseReadSession) throws -> JSONValue {
        let db = session.database
        let table = EntityDefinition.quote(entity.table.name)
        let count = SQLQuery("SELECT COUNT(*) FROM \(table) WHERE \(query.whereSQL)", query.bindings)
        let total = try session.cached("count|" + count.cacheKey) { .number(JSONNumber(try db.scalarInt(count))) }.int64 ?? 0
        var select = SQLQuery("SELECT \(entity.selectColumns) FROM \(table) WHERE \(query.whereSQL) ORDER BY \(query.orderBy) LIMIT ? OFFSET ?",
                              query.bindings)
        select.bindings += [.integer(Int64(query.limit)), .integer(Int64((query.page - 1) * query.limit))]
        let statement = try select.prepare(db)
        var rows: [JSONValue] = []
        while try statement.step() { rows.append(entity.render(statement, withValidity: false)) }
        let pages = (total + Int64(query.limit) - 1) / Int64(query.limit)
        return ["data": .array(rows), "pagination": [
            "page": .number(JSONNumber(Int64(query.page))), "limit": .number(JSONNumber(Int64(query.limit))),
            "total": .number(JSONNumber(total)), "pages": .number(JSONNumber(pages)),
        ]]
    }

    static func detail(_ entity: EntityDefinition, id: String, asOf: Int64?, _ session: WarehouseReadSession) throws -> JSONValue? {
        let db = session.database
        guard id.utf8.count <= 512 else { return nil }
        let statement = try detailQuery(entity, id: id, asOf: asOf).prepare(db)
        guard try statement.step(), case .object(var object) = entity.render(statement, withValidity: false) else { return nil }
        let totals = try session.cached("totals|\(entity.path)|\(asOf.map(String.init) ?? "now")|\(id)") {
            try EntityTotals.totals(for: entity, id: id, asOf: asOf, db) ?? .null
        }
        if totals != .null { object["totals"] = totals }
        return ["data": .object(object)]
    }

    /// One version of the entity: the current one, or the one valid at `asOf` (read
    /// through the key-history index when `asOf` is given).
    static func detailQuery(_ entity: EntityDefinition, id: String, asOf: Int64?) -> SQLQuery {
        let (validity, validityBindings) = EntityDefinition.validity(asOf)
        return SQLQuery("SELECT \(entity.selectColumns) FROM \(EntityDefinition.quote(entity.table.name)) WHERE \"id\" = ? AND \(validity) LIMIT 1",
                        [.text(id)] + validityBindings)
    }

    /// Every version of the entity up to `asOf`, oldest first, through the key-history index.
    static func historyQuery(_ entity: EntityDefinition, id: String, asOf: Int64?) -> SQLQuery {
        var query = SQLQuery("SELECT \(entity.selectColumns) FROM \(EntityDefinition.quote(entity.table.name)) WHERE \"id\" = ?",
                             [.text(id)])
        if let asOf { query.append(" AND \"_valid_from\" <= ?", .integer(asOf)) }
        query.append(" ORDER BY \"_valid_from\", rowid")
        return query
    }

    static func history(_ entity: EntityDefinition, id: String, asOf: Int64?, _ db: SQLiteDatabase) throws -> JSONValue? {
        guard id.utf8.count <= 512 else { return nil }
        let statement = try historyQuery(entity, id: id, asOf: asOf).prepare(db)
        var versions: [JSONValue] = []
        while try statement.step() { versions.append(entity.render(statement, withValidity: true, asOf: asOf)) }
        guard !versions.isEmpty else { return nil }
        return ["data": .array(versions), "id": .string(id), "versions": .number(JSONNumber(Int64(versions.count)))]
    }
}
