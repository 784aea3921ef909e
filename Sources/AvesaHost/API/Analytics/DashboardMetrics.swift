/// KPIs of one window, computed from current rows of the tenant's warehouse.
struct PeriodMetrics: Sendable {
    var created: Int64 = 0
    var resolved: Int64 = 0
    var closed: Int64 = 0
    /// Resolution times in hours of tickets resolved in the window, ascending.
    var resolutionHours: [Double] = []
    var hours: Double = 0
    var billableHours: Double = 0
    var activeCompanies: Int64 = 0

    var averageResolutionHours: Double? {
        resolutionHours.isEmpty ? nil : resolutionHours.reduce(0, +) / Double(resolutionHours.count)
    }

    var medianResolutionHours: Double? {
        let n = resolutionHours.count
        if n == 0 { return nil }
        return n % 2 == 1 ? resolutionHours[n / 2] : (resolutionHours[n / 2 - 1] + resolutionHours[n / 2]) / 2
    }

    var billableRatio: Double? { hours > 0 ? billableHours / hours : nil }

    static func measure(_ window: AnalyticsWindow, _ db: SQLiteDatabase) throws -> PeriodMetrics {
        var metrics = PeriodMetrics()
        let current = "\"_is_current\" = 1"
        func count(_ column: String) throws -> Int64 {
            try db.scalarInt(SQLQuery("SELECT COUNT(*) FROM \"tickets\" WHERE \(current) AND \"\(column)\" >= ? AND \"\(column)\" < ?",
                                      window.bounds))
        }
        metrics.created = try count("created_at")
        metrics.resolved = try count("resolved_at")
        metrics.closed = try count("closed_at")
        let resolution = try db.prepare(SQLQuery(
            "SELECT \"resolved_at\" - \"created_at\" FROM \"tickets\" WHERE \(current) AND \"resolved_at\" >= ? AND \"resolved_at\" < ? "
                + "AND \"created_at\" IS NOT NULL AND \"resolved_at\" >= \"created_at\" ORDER BY 1", window.bounds))
        while try resolution.step() { metrics.resolutionHours.append(Double(resolution.int64(0)) / 3_600_000_000) }
        let hours = try db.prepare(SQLQuery(
            "SELECT COALESCE(SUM(CAST(\"hours\" AS REAL)), 0), COALESCE(SUM(CASE WHEN \"billable\" = 1 THEN CAST(\"hours\" AS REAL) ELSE 0 END), 0) "
                + "FROM \"time_entries\" WHERE \(current) AND \"started_at\" >= ? AND \"started_at\" < ?", window.bounds))
        _ = try hours.step()
        metrics.hours = hours.double(0)
        metrics.billableHours = hours.double(1)
        metrics.activeCompanies = try db.scalarInt(SQLQuery(
            "SELECT COUNT(DISTINCT \"company_id\") FROM (SELECT \"company_id\" FROM \"tickets\" WHERE \(current) AND \"created_at\" >= ? AND \"created_at\" < ? "
                + "UNION ALL SELECT \"company_id\" FROM \"time_entries\" WHERE \(current) AND \"started_at\" >= ? AND \"started_at\" < ?) "
                + "WHERE \"company_id\" IS NOT NULL", window.bounds + window.bounds))
        return metrics
    }

    /// The window's KPIs as JSON, by the same names `change` uses.
    var values: [(String, Double?)] {
        [("tickets_created", Double(created)), ("tickets_resolved", Double(resolved)), ("tickets_closed", Double(closed)),
         ("avg_resolution_hours", averageResolutionHours.map { rounded($0) }),
         ("median_resolution_hours", medianResolutionHours.map { rounded($0) }),
         ("hours_logged", rounded(hours)), ("billable_hours", rounded(billableHours)),
         ("billable_ratio", billableRatio.map { rounded($0, 4) }), ("active_companies", Double(activeCompanies))]
    }
}

func jsonNumber(_ value: Double?) -> JSONValue {
    guard let value, let number = JSONNumber(value) else { return .null }
    return .number(number)
}

/// `GET /api/analytics/dashboard`.
enum Dashboard {
    static func build(_ window: AnalyticsWindow, _ db: SQLiteDatabase) throws -> JSONValue {
        let current = try PeriodMetrics.measure(window, db)
        let previous = try PeriodMetrics.measure(window.previous, db)
        let openNow = try db.scalarInt(SQLQuery(
            "SELECT COUNT(*) FROM \"tickets\" WHERE \"_is_current\" = 1 AND \"status_category\" IN ('open', 'in_progress')"))
        let contacts = try db.scalarInt(SQLQuery("SELECT COUNT(*) FROM \"contacts\" WHERE \"_is_current\" = 1"))
        let activeContacts = try db.scalarInt(SQLQuery("SELECT COUNT(*) FROM \"contacts\" WHERE \"_is_current\" = 1 AND \"active\" = 1"))
        let companies = try db.scalarInt(SQLQuery("SELECT COUNT(*) FROM \"companies\" WHERE \"_is_current\" = 1"))

        var kpis = JSONObject()
        kpis["tickets_open_now"] = .number(JSONNumber(openNow))
        for (name, value) in current.values { kpis[name] = jsonNumber(value) }
        kpis["companies"] = .number(JSONNumber(companies))
        kpis["contacts"] = .number(JSONNumber(contacts))
        kpis["active_contacts"] = .number(JSONNumber(activeContacts))
        var previousKPIs = JSONObject()
        var change = JSONObject()
        for ((name, now), (_, before)) in zip(current.values, previous.values) {
            previousKPIs[name] = jsonNumber(before)
            if let now, let before, before != 0 { change[name] = jsonNumber(rounded((now - before) / before * 100, 1)) } else { change[name] = .null }
        }
        return ["period": window.json, "previous_period": window.previous.json, "kpis": .object(kpis),
                "previous": .object(previousKPIs), "change_percent": .object(change), "series": try series(window, db)]
    }

    /// One entry per UTC day touched by the window: tickets created and resolved that day.
    static func series(_ window: AnalyticsWindow, _ db: SQLiteDatabase) throws -> JSONValue {
        let start = window.from / AnalyticsWindow.day * AnalyticsWindow.day
        let days = Int((window.to - start + AnalyticsWindow.day - 1) / AnalyticsWindow.day)
        var created = [Int64](repeating: 0, count: days)
        var resolved = [Int64](repeating: 0, count: days)
        for (column, index) in [("created_at", 0), ("resolved_at", 1)] {
            let statement = try db.prepare(SQLQuery(
                "SELECT (\"\(column)\" - ?) / ?, COUNT(*) FROM \"tickets\" WHERE \"_is_current\" = 1 AND \"\(column)\" >= ? AND \"\(column)\" < ? GROUP BY 1",
                [.integer(start), .integer(AnalyticsWindow.day)] + window.bounds))
            while try statement.step() {
                let day = Int(statement.int64(0))
                guard day >= 0, day < days else { continue }
                if index == 0 { created[day] = statement.int64(1) } else { resolved[day] = statement.int64(1) }
            }
        }
        return .array((0..<days).map { day in
            let date = String(TimestampParser.iso8601(start + Int64(day) * AnalyticsWindow.day).prefix(10))
            return ["date": .string(date), "created": .number(JSONNumber(created[day])), "resolved": .number(JSONNumber(resolved[day]))]
        })
    }
}
