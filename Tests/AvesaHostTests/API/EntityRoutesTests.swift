@testable import AvesaHost
import XCTest

/// Entity lists, details with totals, `as_of` and history over the fixture warehouse.
final class EntityRoutesTests: XCTestCase {
    func testTicketListDefaultsSortsAndPaginates() async throws {
        let f = try APIFixture(self)
        let token = try f.acmeViewer
        let all = try await f.get("/api/tickets", token: token)
        XCTAssertEqual(all.status, 200, all.text)
        XCTAssertEqual(all.ids, ["connectwise:4", "connectwise:3", "connectwise:2", "connectwise:1", "connectwise:5", "servicenow:6"])
        XCTAssertEqual(all.body?["pagination"]?["total"]?.int64, 6)
        XCTAssertEqual(all.body?["pagination"]?["pages"]?.int64, 1)
        XCTAssertEqual(all.headers["Cache-Control"], "private, no-store")
        let first = try XCTUnwrap(all.data?[3])
        XCTAssertEqual(first["summary"]?.string, "Printer on fire")
        XCTAssertEqual(first["created_at"]?.string, "2026-03-10T09:00:00Z")
        XCTAssertEqual(first["resolved_at"]?.string, "2026-03-10T13:00:00Z")
        XCTAssertEqual(first["contact_id"], .null)
        XCTAssertEqual(first["source_service"]?.string, "connectwise")
        XCTAssertEqual(first["source_id"]?.string, "1")
        XCTAssertEqual(first["valid_from"]?.string, "2026-03-11T09:00:00Z")

        let page2 = try await f.get("/api/tickets?limit=2&page=2", token: token)
        XCTAssertEqual(page2.ids, ["connectwise:2", "connectwise:1"])
        XCTAssertEqual(page2.body?["pagination"], ["page": 2, "limit": 2, "total": 6, "pages": 3])
        let beyond = try await f.get("/api/tickets?limit=2&page=9", token: token)
        XCTAssertEqual(beyond.ids, [])
        XCTAssertEqual(beyond.body?["pagination"]?["total"]?.int64, 6)

        let byPriority = try await f.get("/api/tickets?sort=priority", token: token)
        XCTAssertEqual(byPriority.ids, ["connectwise:1", "connectwise:3", "connectwise:4", "connectwise:2", "connectwise:5", "servicenow:6"])
        let oldestFirst = try await f.get("/api/tickets?sort=created_at&limit=1", token: token)
        XCTAssertEqual(oldestFirst.ids, ["servicenow:6"])
    }

    func testTicketFiltersSearchAndDates() async throws {
        let f = try APIFixture(self)
        let token = try f.acmeViewer
        func ids(_ query: String) async throws -> [String] {
            let result = try await f.get("/api/tickets?sort=id&" + query, token: token)
            XCTAssertEqual(result.status, 200, "\(query): \(result.text)")
            return result.ids
        }
        let open = try await ids("status_category=open")
        XCTAssertEqual(open, ["connectwise:3", "servicenow:6"])
        let beta = try await ids("company_id=connectwise:200")
        XCTAssertEqual(beta, ["connectwise:3", "connectwise:4"])
        let highBeta = try await ids("company_id=connectwise:200&priority=High")
        XCTAssertEqual(highBeta, ["connectwise:3"])
        let newOnes = try await ids("status=New")
        XCTAssertEqual(newOnes, ["connectwise:3", "servicenow:6"])
        let servicenow = try await ids("source_service=servicenow")
        XCTAssertEqual(servicenow, ["servicenow:6"])
        let search = try await ids("q=printer")
        XCTAssertEqual(search, ["connectwise:1"], "case-insensitive")
        let percent = try await ids("q=%25")
        XCTAssertEqual(percent, ["connectwise:3"], "% is a literal, not a wildcard")
        let underscore = try await ids("q=_")
        XCTAssertEqual(underscore, ["connectwise:3"], "_ is a literal, not a wildcard")
        let range = try await ids("from=2026-03-15&to=2026-03-20")
        XCTAssertEqual(range, ["connectwise:2", "connectwise:3"], "a to-date includes its day")
        let instant = try await ids("from=2026-03-15T08:00:00Z&to=2026-03-20T10:00:00Z")
        XCTAssertEqual(instant, ["connectwise:2"], "a to-timestamp is exclusive")
    }

    func testTicketDetailWithTotalsAsOfAndHistory() async throws {
        let f = try APIFixture(self)
        let token = try f.acmeViewer
        let detail = try await f.get("/api/tickets/connectwise:2", token: token)
        XCTAssertEqual(detail.status, 200, detail.text)
        XCTAssertEqual(detail.data?["status"]?.string, "Resolved")
        XCTAssertEqual(detail.data?["totals"], ["time_entries": 1, "hours": .number(JSONNumber(2.25)!), "billable_hours": .number(JSONNumber(2.25)!)])
        let before = try await f.get("/api/tickets/connectwise:2?as_of=2026-03-15T12:00:00Z", token: token)
        XCTAssertEqual(before.data?["status"]?.string, "New")
        XCTAssertEqual(before.data?["resolved_at"], .null)
        let notYet = try await f.get("/api/tickets/connectwise:2?as_of=2026-03-01", token: token)
        XCTAssertEqual(notYet.status, 404)

        let history = try await f.get("/api/tickets/connectwise:2/history", token: token)
        XCTAssertEqual(history.status, 200)
        let versions = try XCTUnwrap(history.data?.array)
        XCTAssertEqual(versions.map { $0["status"]?.string }, ["New", "Resolved"])
        XCTAssertEqual(versions[0]["valid_from"]?.string, "2026-03-15T08:00:00Z")
        XCTAssertEqual(versions[0]["valid_to"]?.string, "2026-03-16T08:00:00Z")
        XCTAssertEqual(versions[0]["is_current"]?.bool, false)
        XCTAssertEqual(versions[1]["valid_to"], .null)
        XCTAssertEqual(versions[1]["is_current"]?.bool, true)
        let historyAsOf = try await f.get("/api/tickets/connectwise:2/history?as_of=2026-03-15T12:00:00Z", token: token)
        XCTAssertEqual(historyAsOf.data?.array?.count, 1)
        // As of then, that version was open and current: its later end is not shown.
        XCTAssertEqual(historyAsOf.data?[0]?["valid_to"], .null)
        XCTAssertEqual(historyAsOf.data?[0]?["is_current"]?.bool, true)
        let historyLater = try await f.get("/api/tickets/connectwise:2/history?as_of=2026-03-17T00:00:00Z", token: token)
        XCTAssertEqual(historyLater.data?[0]?["valid_to"]?.string, "2026-03-16T08:00:00Z", "a version ended before then keeps its end")
        XCTAssertEqual(historyLater.data?[0]?["is_current"]?.bool, false)
        XCTAssertEqual(historyLater.data?[1]?["is_current"]?.bool, true)
        let _r1 = try await f.get("/api/tickets/connectwise:404/history", token: token)
        XCTAssertEqual(_r1.status, 404)
    }

    func testListAsOfReturnsTheStateAtThatMoment() async throws {
        let f = try APIFixture(self)
        let result = try await f.get("/api/tickets?as_of=2026-03-15T12:00:00Z&sort=id", token: try f.acmeViewer)
        XCTAssertEqual(result.ids, ["connectwise:1", "connectwise:2", "connectwise:5", "servicenow:6"])
        XCTAssertEqual(result.data?[1]?["status"]?.string, "New")
        let companies = try await f.get("/api/companies?as_of=2025-07-01", token: try f.acmeViewer)
        XCTAssertEqual(companies.data?.array?.compactMap { $0["name"]?.string }, ["Acme Corporation", "Beta LLC"])
    }

    func testCompanyDetailTotalsHistoryAndSearch() async throws {
        let f = try APIFixture(self)
        let token = try f.acmeViewer
        let detail = try await f.get("/api/companies/connectwise:100", token: token)
        XCTAssertEqual(detail.data?["name"]?.string, "Acme Corp")
        XCTAssertEqual(detail.data?["created_at"]?.string, "2025-01-01T00:00:00Z")
        let totals = try XCTUnwrap(detail.data?["totals"])
        XCTAssertEqual(totals["tickets"]?.int64, 3)
        XCTAssertEqual(totals["open_tickets"]?.int64, 0)
        XCTAssertEqual(totals["contacts"]?.int64, 1)
        XCTAssertEqual(totals["time_entries"]?.int64, 3)
        XCTAssertEqual(totals["hours"]?.double, 6.75)
        XCTAssertEqual(totals["billable_hours"]?.double, 6.75)
        let beta = try await f.get("/api/companies/connectwise:200", token: token)
        XCTAssertEqual(beta.data?["totals"]?["open_tickets"]?.int64, 2)
        XCTAssertEqual(beta.data?["totals"]?["billable_hours"]?.double, 0)
        let asOf = try await f.get("/api/companies/connectwise:100?as_of=2026-03-12", token: token)
        XCTAssertEqual(asOf.data?["name"]?.string, "Acme Corp")
        XCTAssertEqual(asOf.data?["totals"]?["tickets"]?.int64, 2, "t1 and t5 existed; t2 did not yet")

        let history = try await f.get("/api/companies/connectwise:100/history", token: token)
        XCTAssertEqual(history.data?.array?.compactMap { $0["name"]?.string }, ["Acme Corporation", "Acme Corp"])
        XCTAssertEqual(history.data?[0]?["valid_to"]?.string, "2026-03-01T00:00:00Z")
        XCTAssertEqual(history.body?["versions"]?.int64, 2)

        let list = try await f.get("/api/companies", token: token)
        XCTAssertEqual(list.data?.array?.compactMap { $0["name"]?.string }, ["Acme Corp", "Beta LLC", "Gamma"])
        let active = try await f.get("/api/companies?status=Active&sort=-name", token: token)
        XCTAssertEqual(active.data?.array?.compactMap { $0["name"]?.string }, ["Beta LLC", "Acme Corp"])
        let search = try await f.get("/api/companies?q=gam", token: token)
        XCTAssertEqual(search.ids, ["servicenow:300"])
    }

    func testContactsAndTimeEntries() async throws {
        let f = try APIFixture(self)
        let token = try f.acmeViewer
        let contacts = try await f.get("/api/contacts", token: token)
        XCTAssertEqual(contacts.data?.array?.compactMap { $0["last_name"]?.string }, ["Jones", "Smith"])
        XCTAssertEqual(contacts.data?[1]?["active"]?.bool, true)
        let inactive = try await f.get("/api/contacts?active=false", token: token)
        XCTAssertEqual(inactive.ids, ["connectwise:k2"])
        let byCompany = try await f.get("/api/contacts?company_id=connectwise:100&q=ALICE", token: token)
        XCTAssertEqual(byCompany.ids, ["connectwise:k1"])
        let contactHistory = try await f.get("/api/contacts/connectwise:k1/history", token: token)
        XCTAssertEqual(contactHistory.data?.array?.count, 1)

        let entries = try await f.get("/api/time-entries?sort=-hours", token: token)
        XCTAssertEqual(entries.ids, ["connectwise:e4", "connectwise:e2", "connectwise:e1", "connectwise:e3"])
        XCTAssertEqual(entries.data?[0]?["hours"], .number(JSONNumber(3)))
        XCTAssertEqual(entries.data?[1]?["hours"]?.decimalText, "2.25")
        XCTAssertEqual(entries.data?[0]?["billable"]?.bool, true)
        let nonBillable = try await f.get("/api/time-entries?billable=false", token: token)
        XCTAssertEqual(nonBillable.ids, ["connectwise:e3"])
        let march = try await f.get("/api/time-entries?from=2026-03-01&ticket_id=connectwise:2", token: token)
        XCTAssertEqual(march.ids, ["connectwise:e2"])
        let entry = try await f.get("/api/time-entries/connectwise:e1", token: token)
        XCTAssertEqual(entry.data?["started_at"]?.string, "2026-03-10T09:00:00Z")
        let _r2 = try await f.get("/api/time-entries/connectwise:e1/history", token: token)
        XCTAssertEqual(_r2.status, 404, "no history route for time entries")
    }

    func testOtherTenantsIdsAnswer404LikeMissingOnes() async throws {
        let f = try APIFixture(self)
        let acme = try f.acmeViewer
        for path in ["/api/tickets/servicenow:901", "/api/companies/servicenow:900", "/api/contacts/servicenow:903",
                     "/api/time-entries/servicenow:902", "/api/tickets/servicenow:901/history", "/api/companies/servicenow:900/history"] {
            let foreign = try await f.get(path, token: acme)
            XCTAssertEqual(foreign.status, 404, path)
            XCTAssertEqual(foreign.errorCode, "not_found")
            let globex = try await f.get(path, token: try f.globexAdmin)
            XCTAssertEqual(globex.status, 200, "the owner sees \(path)")
        }
        let missing = try await f.get("/api/tickets/connectwise:999", token: acme)
        let foreign = try await f.get("/api/tickets/servicenow:901", token: acme)
        XCTAssertEqual(missing.raw, foreign.raw, "no difference between foreign and missing")
        let lists = try await f.get("/api/tickets?company_id=servicenow:900", token: acme)
        XCTAssertEqual(lists.ids, [])
        let globexList = try await f.get("/api/tickets", token: try f.globexAdmin)
        XCTAssertEqual(globexList.ids, ["servicenow:901"])
    }

    func testInvalidListParametersAnswer400NamingTheParameter() async throws {
        let f = try APIFixture(self)
        let token = try f.acmeViewer
        for (path, parameter) in [("/api/tickets?limit=501", "limit"), ("/api/tickets?limit=0", "limit"), ("/api/tickets?page=0", "page"),
                                  ("/api/tickets?page=1.5", "page"), ("/api/tickets?sort=password", "sort"),
                                  ("/api/tickets?sort=-", "sort"), ("/api/tickets?sort=--id", "sort"),
                                  ("/api/tickets?from=2026-02-30", "from"), ("/api/tickets?to=tomorrow", "to"),
                                  ("/api/tickets?from=2026-03-10&to=2026-03-01", "to"), ("/api/tickets?as_of=yesterday", "as_of"),
                                  ("/api/tickets/connectwise:1?as_of=1710000000", "as_of"), ("/api/companies?priority=High", "priority"),
                                  ("/api/time-entries?billable=maybe", "billable"), ("/api/tickets?sort=hours", "sort"),
                                  ("/api/tickets/connectwise:1?limit=5", "limit")] {
            let result = try await f.get(path, token: token)
            XCTAssertEqual(result.status, 400, path)
            XCTAssertTrue(result.errorMessage.contains("'\(parameter)'"), "\(path): \(result.errorMessage)")
        }
    }
}

/// Reads while the pipeline's writer holds the warehouse open in WAL mode.
final class WarehouseConcurrentReadTests: XCTestCase {
    func testReadsSeeCommittedMergesWhileTheWriterIsOpen() async throws {
        let f = try APIFixture(self)
        let writer = try TenantWarehouse(path: try f.context.layout.warehouse("acme"))
        let token = try f.acmeViewer
        let before = try await f.get("/api/tickets", token: token)
        XCTAssertEqual(before.body?["pagination"]?["total"]?.int64, 6)
        try writer.merge([canonical(.tickets, ["id": .string("connectwise:7"), "summary": .string("New while serving"),
                                               "status_category": .string("open"), "created_at": ts("2026-03-30T10:00:00Z"),
                                               "updated_at": ts("2026-03-30T10:00:00Z")])],
                         into: "tickets", runID: "run-3", loadTime: 0)
        let after = try await f.get("/api/tickets?limit=1", token: token)
        XCTAssertEqual(after.ids, ["connectwise:7"])
        XCTAssertEqual(after.body?["pagination"]?["total"]?.int64, 7)
        let dashboard = try await f.get("/api/analytics/dashboard", token: token)
        XCTAssertEqual(dashboard.body?["kpis"]?["tickets_open_now"]?.int64, 4)
        withExtendedLifetime(writer) {}
    }
}
