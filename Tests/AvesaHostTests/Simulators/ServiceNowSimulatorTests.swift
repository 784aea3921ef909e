@testable import AvesaHost
import XCTest

final class ServiceNowSimulatorTests: XCTestCase {
    private func auth(_ sim: Simulator, instance: Int = 0) -> [(name: String, value: String)] {
        let c = sim.credentials(instance: instance)
        return [SimulatorHarness.basic(c["username"]!, c["password"]!)]
    }

    /// The order the connector pages in (`ORDERBYsys_id`) is one rows keep when they are
    /// updated; by `sys_updated_on`, an updated row moves to the end and the rows after it
    /// move back a place, which an offset walk would skip.
    func testRowsKeepTheirPlacesInSysIDOrderWhenUpdated() async throws {
        let sim = try SimulatorHarness.start(ServiceNowSimulator(), test: self)
        func ids(_ order: String) async throws -> [String] {
            let (_, _, json) = try await SimulatorHarness.get(
                sim.baseURL + "/api/now/table/incident?sysparm_limit=1000&sysparm_query=\(order)", headers: auth(sim))
            return json?["result"]?.array?.compactMap { $0["sys_id"]?.string } ?? []
        }
        let byIDBefore = try await ids("ORDERBYsys_id"), byTimeBefore = try await ids("ORDERBYsys_updated_on")
        sim.advance(fraction: 0.1)
        let byIDAfter = try await ids("ORDERBYsys_id"), byTimeAfter = try await ids("ORDERBYsys_updated_on")
        func survivors(_ list: [String], _ other: [String]) -> [String] { let keep = Set(other); return list.filter(keep.contains) }
        XCTAssertEqual(survivors(byIDBefore, byIDAfter), survivors(byIDAfter, byIDBefore), "same relative order")
        XCTAssertNotEqual(survivors(byTimeBefore, byTimeAfter), survivors(byTimeAfter, byTimeBefore), "updated rows moved")
    }

    /// Keyset paging's condition: `sys_id>K` selects the sys_ids after K, in the real sys_id
    /// order, and X-Total-Count counts what is left.
    func testSysIDConditionSelectsTheLaterIDsInSysIDOrder() async throws {
        let sim = try SimulatorHarness.start(ServiceNowSimulator(), test: self)
        func page(_ query: String) async throws -> (ids: [String], total: String?) {
            let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
            let (_, response, json) = try await SimulatorHarness.get(
                sim.baseURL + "/api/now/table/incident?sysparm_limit=1000&sysparm_query=\(encoded)", headers: auth(sim))
            return (json?["result"]?.array?.compactMap { $0["sys_id"]?.string } ?? [], response.header("X-Total-Count"))
        }
        let all = try await page("ORDERBYsys_id").ids
        XCTAssertEqual(all.count, 500)
        XCTAssertEqual(all, all.sorted(), "ordered by the sys_id itself")
        let rest = try await page("sys_id>\(all[99])^ORDERBYsys_id")
        XCTAssertEqual(rest.ids, Array(all.dropFirst(100)))
        XCTAssertEqual(rest.total, "400")
        let none = try await page("sys_id>\(all[499])^ORDERBYsys_id")
        XCTAssertEqual(none.ids, [])
    }

    func testRefusesMissingOrWrongCredentialsWithTheServiceNowErrorBody() async throws {
        let sim = try SimulatorHarness.start(ServiceNowSimulator(), test: self)
        let url = sim.baseURL + "/api/now/table/incident"
        let (status, _, json) = try await SimulatorHarness.get(url)
        XCTAssertEqual(status, 401)
        XCTAssertEqual(json?["status"]?.string, "failure")
        XCTAssertEqual(json?["error"]?["message"]?.string, "User Not Authenticated")
        XCTAssertEqual(json?["error"]?["detail"]?.string, "Required to provide Auth information")
        let (wrong, _, body) = try await SimulatorHarness.get(url, headers: [SimulatorHarness.basic(sim.credentials()["username"]!, "x")])
        XCTAssertEqual(wrong, 401)
        XCTAssertEqual(body?["error"]?["message"]?.string, "User is not authenticated")
    }

    func testPagesWithOffsetLimitTotalCountAndLinks() async throws {
        let sim = try SimulatorHarness.start(ServiceNowSimulator(), test: self)
        let (status, response, json) = try await SimulatorHarness.get(
            sim.baseURL + "/api/now/table/incident?sysparm_limit=20&sysparm_offset=40&sysparm_query=ORDERBYsys_updated_on", headers: auth(sim))
        XCTAssertEqual(status, 200)
        XCTAssertEqual(json?["result"]?.array?.count, 20)
        XCTAssertEqual(response.header("X-Total-Count"), "500")
        let links = LinkHeader.parse(response.headerValues("Link"))
        XCTAssertEqual(links.flatMap(\.relations), ["first", "prev", "next", "last"])
        XCTAssertTrue(LinkHeader.target(relation: "next", in: response.headerValues("Link"))!.contains("sysparm_offset=60"))
        XCTAssertTrue(LinkHeader.target(relation: "last", in: response.headerValues("Link"))!.contains("sysparm_offset=480"))
        let updated = json?["result"]?.array?.compactMap { $0["sys_updated_on"]?.string } ?? []
        XCTAssertEqual(updated, updated.sorted())
        let (_, single, _) = try await SimulatorHarness.get(sim.baseURL + "/api/now/table/sys_user_group", headers: auth(sim))
        XCTAssertNil(single.header("Link"), "one page: no Link header")
        XCTAssertEqual(single.header("X-Total-Count"), "8")
        let (_, _, count) = try await SimulatorHarness.get(sim.baseURL + "/api/now/stats/task_time_worked?sysparm_count=true", headers: auth(sim))
        XCTAssertEqual(count?["result"]?["stats"]?["count"]?.string, "1500")
        let (bad, _, error) = try await SimulatorHarness.get(sim.baseURL + "/api/now/table/no_such_table", headers: auth(sim))
        XCTAssertEqual(bad, 400)
        XCTAssertEqual(error?["error"]?["message"]?.string, "Invalid table no_such_table")
    }

    func testRecordsUseStringsReferencesAndServiceNowTimes() async throws {
        let sim = try SimulatorHarness.start(ServiceNowSimulator(), test: self)
        let (_, _, incidents) = try await SimulatorHarness.get(sim.baseURL + "/api/now/table/incident?sysparm_limit=1", headers: auth(sim))
        let incident = try XCTUnwrap(incidents?["result"]?[0])
        XCTAssertEqual(incident["sys_id"]?.string?.count, 32)
        XCTAssertNotNil(incident["state"]?.string)
        XCTAssertNotNil(incident["priority"]?.string)
        XCTAssertTrue(incident.value(atPath: "company.link")?.string?.contains("/api/now/table/core_company/") ?? false)
        XCTAssertEqual(incident.value(atPath: "caller_id.value")?.string?.count, 32)
        XCTAssertEqual(incident["sys_updated_on"]?.string?.count, 19)
        XCTAssertNotNil(SimTime.parse(incident["sys_updated_on"]!.string!))
        let link = try XCTUnwrap(incident.value(atPath: "company.link")?.string)
        let (found, _, company) = try await SimulatorHarness.get(link, headers: auth(sim))
        XCTAssertEqual(found, 200)
        XCTAssertEqual(company?["result"]?["sys_id"]?.string, incident.value(atPath: "company.value")?.string)
        let (missing, _, none) = try await SimulatorHarness.get(sim.baseURL + "/api/now/table/incident/0123", headers: auth(sim))
        XCTAssertEqual(missing, 404)
        XCTAssertEqual(none?["error"]?["message"]?.string, "No Record found")
        let (_, _, worked) = try await SimulatorHarness.get(sim.baseURL + "/api/now/table/task_time_worked?sysparm_limit=1", headers: auth(sim))
        let entry = try XCTUnwrap(worked?["result"]?[0])
        XCTAssertTrue(entry["time_worked"]?.string?.hasPrefix("1970-01-01 ") ?? false)
        XCTAssertNotNil(entry.value(atPath: "task.value")?.string)
        let (_, _, contacts) = try await SimulatorHarness.get(sim.baseURL + "/api/now/table/customer_contact?sysparm_limit=1&sysparm_fields=sys_id,email", headers: auth(sim))
        XCTAssertEqual(contacts?["result"]?[0]?.object?.keys, ["sys_id", "email"])
    }

    func testQueryFiltersOnUpdateTimeWithAndAndOrderBy() async throws {
        let sim = try SimulatorHarness.start(ServiceNowSimulator(), test: self)
        let rows = sim.dataset()["incident"]!.live
        let median = rows.map(\.changedAt).sorted()[rows.count / 2]
        func count(_ query: String) async throws -> String? {
            let url = sim.baseURL + "/api/now/stats/incident?" + URLQuery.form([("sysparm_count", "true"), ("sysparm_query", query)])
            return try await SimulatorHarness.get(url, headers: auth(sim)).json?["result"]?["stats"]?["count"]?.string
        }
        let after = try await count("sys_updated_on>\(SimTime.sql(median))^ORDERBYsys_updated_on")
        XCTAssertEqual(after, String(rows.filter { $0.changedAt > median }.count))
        let window = try await count("sys_updated_on>=\(SimTime.sql(median))^sys_created_on<\(SimTime.sql(median))")
        XCTAssertEqual(window, String(rows.filter { $0.changedAt >= median && $0.createdAt < median }.count))
        let day = SimTime.sql(median).split(separator: " ")
        let generated = try await count("sys_updated_on>javascript:gs.dateGenerate('\(day[0])','\(day[1])')")
        XCTAssertEqual(generated, after)
    }

    func testRateLimitRuleHeadersAndThe429() async throws {
        var options = SimulatorOptions(seed: 3)
        options.hourlyRequestLimit = 2
        let sim = try SimulatorHarness.start(ServiceNowSimulator(), options: options, test: self)
        let url = sim.baseURL + "/api/now/table/core_company?sysparm_limit=1"
        for _ in 0..<2 {
            let (status, response, _) = try await SimulatorHarness.get(url, headers: auth(sim))
            XCTAssertEqual(status, 200)
            XCTAssertEqual(response.header("X-RateLimit-Limit"), "2")
            XCTAssertEqual(response.header("X-RateLimit-Rule")?.count, 32)
            XCTAssertGreaterThan(Int64(response.header("X-RateLimit-Reset") ?? "") ?? 0, SimTime.now())
            XCTAssertNil(response.header("X-RateLimit-Remaining"))
        }
        let (status, response, json) = try await SimulatorHarness.get(url, headers: auth(sim))
        XCTAssertEqual(status, 429)
        XCTAssertNotNil(Int(response.header("Retry-After") ?? ""))
        XCTAssertEqual(json?["error"]?["message"]?.string, "User Exceeded rate limit")
    }

    func testConnectorExtractsEveryEndpointThenOnlyChangesAfterAdvance() async throws {
        let sim = try SimulatorHarness.start(ServiceNowSimulator(), test: self)
        let connection = try SimulatorHarness.connect("servicenow", to: sim, instance: 1)
        let tables = ["core_company", "customer_contact", "incident", "task_time_worked", "sys_user", "problem"]
        var cursors: [String: String] = [:]
        for table in tables {
            let full = try await SimulatorHarness.extract(table, connection, pageSize: 400)
            XCTAssertEqual(Set(full.ids), Set(sim.liveIDs(table, instance: 1)), table)
            XCTAssertEqual(full.ids.count, sim.liveIDs(table, instance: 1).count, table)
            cursors[table] = full.maxCursor
        }
        XCTAssertEqual(sim.stats.requests(instance: 1, route: "GET task_time_worked"), 4, "1500 rows, pages of 400, stop at X-Total-Count")
        sim.advance(fraction: 0.05, instance: 1)
        sim.resetStats()
        for table in tables {
            let since = try XCTUnwrap(cursors[table])
            let delta = try await SimulatorHarness.extract(table, connection, since: since, pageSize: 400)
            let expected = sim.changedIDs(table, instance: 1, after: SimTime.parse(since)!)
            XCTAssertEqual(Set(delta.ids), Set(expected), table)
            XCTAssertFalse(expected.isEmpty, table)
            XCTAssertEqual(sim.stats.records(instance: 1, table: table), expected.count, table)
        }
    }

    func testConnectorWaitsOutA429AndRefusesBadPasswords() async throws {
        let sim = try SimulatorHarness.start(ServiceNowSimulator(), test: self)
        let connection = try SimulatorHarness.connect("servicenow", to: sim)
        var faults = SimFaults()
        faults.throttleNext = 1
        sim.setFaults(faults)
        let started = ContinuousClock.now
        let result = try await SimulatorHarness.extract("core_company", connection)
        XCTAssertEqual(result.ids.count, 50)
        XCTAssertEqual(sim.stats.throttled, 1)
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(900), "Retry-After: 1 was honoured")
        let bad = try SimulatorHarness.connect("servicenow", to: sim, override: ["password": "nope"])
        do {
            _ = try await SimulatorHarness.extract("incident", bad)
            XCTFail("a bad password must fail")
        } catch ConnectorError.authentication {}
    }
}
