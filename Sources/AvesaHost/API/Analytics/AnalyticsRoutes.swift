/// `GET /api/analytics/dashboard`, `/api/analytics/tickets/status` and
/// `/api/analytics/companies/top`, over the token's tenant warehouse (current rows).
enum AnalyticsRoutes {
    static let metrics = ["tickets", "hours", "billable_hours"]

    static func register(on router: inout Router, context: APIContext) {
        let warehouse = WarehouseAccess(context: context)
        router.get("/api/analytics/dashboard", handler: context.protected(.viewer) { request, principal in
            let window = try AnalyticsWindow(QueryParameters(request, allowed: ["period", "from", "to"]), now: context.clock())
            return .json(try await warehouse.cachedBody(tenant: principal.tenantID, query: "dashboard|\(window.cacheKey)") { session in
                try Dashboard.build(window, session.database)
            })
        })
        router.get("/api/analytics/tickets/status", handler: context.protected(.viewer) { request, principal in
            let window = try AnalyticsWindow(QueryParameters(request, allowed: ["period", "from", "to"]), now: context.clock())
            return .json(try await warehouse.cachedBody(tenant: principal.tenantID, query: "ticket-status|\(window.cacheKey)") { session in
                try ticketStatus(window, session.database)
            })
        })
        router.get("/api/analytics/companies/top", handler: context.protected(.viewer) { request, principal in
            let params = try QueryParameters(request, allowed: ["period", "from", "to", "metric", "limit"])
            let window = try AnalyticsWindow(params, now: context.clock())
            let metric = try params.choice("metric", metrics, default: "tickets") ?? "tickets"
            let limit = try params.int("limit", default: 10, range: 1...100)
            let query = "top-companies|\(metric)|\(limit)|\(window.cacheKey)"
            return .json(try await warehouse.cachedBody(tenant: principal.tenantID, query: query) { session in
                try topCompanies(window, metric: metric, limit: limit, session.database)
            })
        })
    }

    /// Counts of tickets created in the window by status, status category and priority.
    static func ticketStatus(_ window: AnalyticsWindow, _ db: SQLiteDatabase) throws -> JSONValue {
        func group(_ column: String) throws -> JSONValue {
            let statement = try db.prepare(SQLQuery(
                "SELECT \"\(column)\", COUNT(*) FROM \"tickets\" WHERE \"_is_current\" = 1 AND \"created_at\" >= ? AND \"created_at\" < ? "
                    + "GROUP BY 1 ORDER BY 2 DESC, 1", window.bounds))
            var rows: [JSONValue] = []
            while try statement.step() {
                rows.append(["value": statement.text(0).map(JSONValue.string) ?? .null, "count": .number(JSONNumber(statement.int64(1)))])
            }
            return .array(rows)
        }
        let total = try db.scalarInt(SQLQuery(
            "SELECT COUNT(*) FROM \"tickets\" WHERE \"_is_current\" = 1 AND \"created_at\" >= ? AND \"created_at\" < ?", window.bounds))
        return ["period": window.json, "total": .number(JSONNumber(total)), "by_status": try group("status"),
                "by_status_category": try group("status_category"), "by_priority": try group("priority")]
    }

    /// Companies ranked by tickets created, hours or billable hours logged in the window.
    static func topCompanies(_ window: AnalyticsWindow, metric: String, limit: Int, _ db: SQLiteDatabase) throws -> JSONValue {
        let source: String
        switch metric {
        case "tickets":
            source = "SELECT \"company_id\" AS company_id, COUNT(*) AS value FROM \"tickets\" WHERE \"_is_current\" = 1 "
                + "AND \"created_at\" >= ? AND \"created_at\" < ? AND \"company_id\" IS NOT NULL GROUP BY 1"
        case "hours":
            source = "SELECT \"company_id\" AS company_id, SUM(CAST(\"hours\" AS REAL)) AS value FROM \"time_entries\" WHERE \"_is_current\" = 1 "
                + "AND \"started_at\" >= ? AND \"started_at\" < ? AND \"company_id\" IS NOT NULL GROUP BY 1"
        default:
            source = "SELECT \"company_id\" AS company_id, SUM(CAST(\"hours\" AS REAL)) AS value FROM \"time_entries\" WHERE \"_is_current\" = 1 "
                + "AND \"billable\" = 1 AND \"started_at\" >= ? AND \"started_at\" < ? AND \"company_id\" IS NOT NULL GROUP BY 1"
        }
        let statement = try db.prepare(SQLQuery(
            "SELECT m.company_id, c.\"name\", m.value FROM (\(source)) AS m LEFT JOIN \"companies\" AS c "
                + "ON c.\"id\" = m.company_id AND c.\"_is_current\" = 1 WHERE m.value > 0 "
                + "ORDER BY m.value DESC, c.\"name\", m.company_id LIMIT ?", window.bounds + [.integer(Int64(limit))]))
        var rows: [JSONValue] = []
        while try statement.step() {
            let value: JSONValue = metric == "tickets" ? .number(JSONNumber(statement.int64(2))) : jsonNumber(rounded(statement.double(2)))
            rows.append(["rank": .number(JSONNumber(Int64(rows.count + 1))), "company_id": .string(statement.text(0) ?? ""),
                         "name": statement.text(1).map(JSONValue.string) ?? .null, "value": value])
        }
        return ["metric": .string(metric), "period": window.json, "data": .array(rows)]
    }
}
