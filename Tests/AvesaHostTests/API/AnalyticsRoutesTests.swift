@testable import AvesaHost
import XCTest

/// Analytics numbers over the fixture warehouse ("now" is 2026-03-31T12:00:00Z, so the
/// 30-day window is [2026-03-02, 2026-04-01) and the previous one [2026-01-31, 2026-03-02)).
final class AnalyticsRoutesTests: XCTestCase {
    func testDashboardKPIsPreviousPeriodAndChange() async throws {
        let f = try APIFixture(self)
        let result = try await f.get("/api/analytics/dashboard?period=30d", token: try f.acmeViewer)
        XCTAssertEqual(result.status, 200, result.text)
        let body = try XCTUnwrap(result.body)
        XCTAssertEqual(body["period"]?["from"]?.string, "2026-03-02T00:00:00Z")
        XCTAssertEqual(body["period"]?["to"]?.string, "2026-04-01T00:00:00Z")
        XCTAssertEqual(body["previous_period"]?["from"]?.string, "2026-01-31T00:00:00Z")
        let k = try XCTUnwrap(body["kpis"])
        XCTAssertEqual(k["tickets_open_now"]?.int64, 3)
        XCTAssertEqual(k["tickets_created"]?.int64, 4)
        XCTAssertEqual(k["tickets_resolved"]?.int64, 2)
        XCTAssertEqual(k["tickets_closed"]?.int64, 1)
        XCTAssertEqual(k["avg_resolution_hours"]?.double, 14)
        XCTAssertEqual(k["median_resolution_hours"]?.double, 14)
        XCTAssertEqual(k["hours_logged"]?.double, 4.75)
        XCTAssertEqual(k["billable_hours"]?.double, 3.75)
        XCTAssertEqual(k["billable_ratio"]?.double, 0.7895)
        XCTAssertEqual(k["active_companies"]?.int64, 2)
        XCTAssertEqual(k["companies"]?.int64, 3)
        XCTAssertEqual(k["contacts"]?.int64, 2)
        XCTAssertEqual(k["active_contacts"]?.int64, 1)
        let p = try XCTUnwrap(body["previous"])
        XCTAssertEqual(p["tickets_created"]?.int64, 1)
        XCTAssertEqual(p["tickets_resolved"]?.int64, 1)
        XCTAssertEqual(p["tickets_closed"]?.int64, 1)
        XCTAssertEqual(p["avg_resolution_hours"]?.double, 2)
        XCTAssertEqual(p["hours_logged"]?.double, 3)
        XCTAssertEqual(p["billable_ratio"]?.double, 1)
        XCTAssertEqual(p["active_companies"]?.int64, 1)
        let c = try XCTUnwrap(body["change_percent"])
        XCTAssertEqual(c["tickets_created"]?.double, 300)
        XCTAssertEqual(c["tickets_closed"]?.double, 0)
        XCTAssertEqual(c["avg_resolution_hours"]?.double, 600)
        XCTAssertEqual(c["hours_logged"]?.double, 58.3)
        XCTAssertEqual(c["billable_hours"]?.double, 25)
    }

    func testDashboardDailySeries() async throws {
        let f = try APIFixture(self)
        let _r1 = try await f.get("/api/analytics/dashboard", token: try f.acmeViewer)
        let series = try XCTUnwrap(_r1.body?["series"]?.array)
        XCTAssertEqual(series.count, 30)
        XCTAssertEqual(series.first?["date"]?.string, "2026-03-02")
        XCTAssertEqual(series.last?["date"]?.string, "2026-03-31")
        var created: [String: Int64] = [:]
        var resolved: [String: Int64] = [:]
        for day in series {
            if let n = day["created"]?.int64, n > 0 { created[day["date"]!.string!] = n }
            if let n = day["resolved"]?.int64, n > 0 { resolved[day["date"]!.string!] = n }
        }
        XCTAssertEqual(created, ["2026-03-10": 1, "2026-03-15": 1, "2026-03-20": 1, "2026-03-25": 1])
        XCTAssertEqual(resolved, ["2026-03-10": 1, "2026-03-16": 1])
    }

    func testShortPeriodWithoutHoursHasNullRatioAndCustomRange() async throws {
        let f = try APIFixture(self)
        let _r2 = try await f.get("/api/analytics/dashboard?period=7d", token: try f.acmeViewer)
        let week = try XCTUnwrap(_r2.body)
        XCTAssertEqual(week["kpis"]?["tickets_created"]?.int64, 1)
        XCTAssertEqual(week["kpis"]?["billable_ratio"], .null)
        XCTAssertEqual(week["kpis"]?["avg_resolution_hours"], .null)
        XCTAssertEqual(week["series"]?.array?.count, 7)
        let _r3 = try await f.get("/api/analytics/dashboard?from=2026-02-01&to=2026-03-15", token: try f.acmeViewer)
        let custom = try XCTUnwrap(_r3.body)
        XCTAssertEqual(custom["period"]?["name"]?.string, "custom")
        XCTAssertEqual(custom["period"]?["to"]?.string, "2026-03-16T00:00:00Z", "a to-date includes its day")
        XCTAssertEqual(custom["kpis"]?["tickets_created"]?.int64, 3, "t5, t1, t2")
        XCTAssertEqual(custom["kpis"]?["median_resolution_hours"]?.double, 3, "median of 2 h and 4 h")
        XCTAssertEqual(custom["series"]?.array?.count, 43)
    }

    func testTicketStatusBreakdown() async throws {
        let f = try APIFixture(self)
        let _r4 = try await f.get("/api/analytics/tickets/status?period=30d", token: try f.acmeViewer)
        let body = try XCTUnwrap(_r4.body)
        XCTAssertEqual(body["total"]?.int64, 4)
        func pairs(_ key: String) -> [String] {
            (body[key]?.array ?? []).map { "\($0["value"]?.string ?? "null")=\($0["count"]?.int64 ?? -1)" }
        }
        XCTAssertEqual(pairs("by_status"), ["Closed=1", "In Progress=1", "New=1", "Resolved=1"])
        XCTAssertEqual(pairs("by_status_category"), ["closed=1", "in_progress=1", "open=1", "resolved=1"])
        XCTAssertEqual(pairs("by_priority"), ["High=2", "Low=1", "Medium=1"])
        let _r5 = try await f.get("/api/analytics/tickets/status?period=365d", token: try f.acmeViewer)
        let year = try XCTUnwrap(_r5.body)
        XCTAssertEqual(year["total"]?.int64, 6)
    }

    func testTopCompaniesByEachMetric() async throws {
        let f = try APIFixture(self)
        func top(_ query: String) async throws -> [String] {
            let result = try await f.get("/api/analytics/companies/top?" + query, token: try f.acmeViewer)
            XCTAssertEqual(result.status, 200, result.text)
            return (result.data?.array ?? []).map {
                "\($0["rank"]?.int64 ?? 0):\($0["name"]?.string ?? "?"):\($0["value"]?.double ?? -1)"
            }
        }
        let byTickets = try await top("metric=tickets")
        XCTAssertEqual(byTickets, ["1:Acme Corp:2.0", "2:Beta LLC:2.0"])
        let byHours = try await top("metric=hours")
        XCTAssertEqual(byHours, ["1:Acme Corp:3.75", "2:Beta LLC:1.0"])
        let byBillable = try await top("metric=billable_hours")
        XCTAssertEqual(byBillable, ["1:Acme Corp:3.75"])
        let yearLimited = try await top("metric=tickets&period=365d&limit=2")
        XCTAssertEqual(yearLimited, ["1:Acme Corp:3.0", "2:Beta LLC:2.0"])
        let yearAll = try await top("period=365d")
        XCTAssertEqual(yearAll, ["1:Acme Corp:3.0", "2:Beta LLC:2.0", "3:Gamma:1.0"])
    }

    func testAnalyticsAreScopedToTheTokenTenant() async throws {
        let f = try APIFixture(self)
        let _r6 = try await f.get("/api/analytics/dashboard", token: try f.globexAdmin)
        let globex = try XCTUnwrap(_r6.body)
        XCTAssertEqual(globex["kpis"]?["tickets_created"]?.int64, 1)
        XCTAssertEqual(globex["kpis"]?["hours_logged"]?.double, 5)
        XCTAssertEqual(globex["kpis"]?["companies"]?.int64, 1)
        let top = try await f.get("/api/analytics/companies/top", token: try f.globexAdmin)
        XCTAssertEqual(top.data?.array?.compactMap { $0["name"]?.string }, ["Globex Inc"])
        let acmeTop = try await f.get("/api/analytics/companies/top?period=365d", token: try f.acmeViewer)
        XCTAssertFalse(acmeTop.text.contains("Globex"))
    }

    func testTenantWithoutWarehouseGetsZeros() async throws {
        let f = try APIFixture(self)
        try f.users.add(UserRecord(id: "u-new", tenantID: "initech", email: "new@initech.test", role: .viewer,
                                   passwordHash: "unused", createdAt: f.clock.now))
        let token = try f.token("u-new", tenant: "initech", role: .viewer)
        let _r7 = try await f.get("/api/analytics/dashboard", token: token)
        let body = try XCTUnwrap(_r7.body)
        XCTAssertEqual(body["kpis"]?["tickets_created"]?.int64, 0)
        XCTAssertEqual(body["kpis"]?["hours_logged"]?.double, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: f.root + "/tenants/initech"), "reading never creates a warehouse")
    }

    func testInvalidAnalyticsParametersAnswer400NamingTheParameter() async throws {
        let f = try APIFixture(self)
        let token = try f.acmeViewer
        for (query, parameter) in [("period=14d", "period"), ("period=", nil), ("from=yesterday", "from"),
                                   ("to=2026-13-01", "to"), ("from=2026-03-10&to=2026-03-01", "to"),
                                   ("from=2020-01-01&to=2026-01-01", "from"), ("metric=revenue", "metric"),
                                   ("limit=0", "limit"), ("limit=101", "limit"), ("limit=ten", "limit"),
                                   ("limit=-1", "limit"), ("bogus=1", "bogus"), ("period=7d&period=30d", "period"),
                                   ("period=7d&from=2026-03-01", "period"), ("period=7d&from=2026-03-01&to=2026-03-20", "period")] {
            let result = try await f.get("/api/analytics/companies/top?" + query, token: token)
            if let parameter {
                XCTAssertEqual(result.status, 400, query)
                XCTAssertEqual(result.errorCode, "invalid_parameter", query)
                XCTAssertTrue(result.errorMessage.contains("'\(parameter)'"), "\(query): \(result.errorMessage)")
            } else {
                XCTAssertEqual(result.status, 200, "an empty value means the default: \(query)")
            }
        }
        let dashboard = try await f.get("/api/analytics/dashboard?metric=tickets", token: token)
        XCTAssertEqual(dashboard.status, 400, "metric is not a dashboard parameter")
    }
}
