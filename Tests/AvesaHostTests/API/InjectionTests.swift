@testable import AvesaHost
import XCTest

/// SQL and path injection attempts in every parameter and id: each answers 400, 404 or an
/// empty/normal result — never a 500, never another tenant's data — and the warehouse is intact.
final class InjectionTests: XCTestCase {
    static let payloads = [
        "' OR '1'='1", "1' OR 1=1 --", "\" OR \"\"=\"", "x'); DROP TABLE tickets; --", "1; DELETE FROM tickets",
        "id) UNION SELECT * FROM companies --", "../../globex/warehouse.sqlite", "..%2F..%2Fglobex", "/etc/passwd",
        "servicenow:901' OR id LIKE '%", "%", "_", "\\", "\u{0}", "NULL", "-1", "9999999999999999999999",
        "created_at; DROP TABLE tickets", "-created_at,(SELECT 1)", "name COLLATE NOCASE", "\"id\"", "1e309",
        String(repeating: "A", count: 5000), "😀", "\u{202E}evil", "2026-03-01' OR '1'='1",
    ]

    static let endpoints: [(path: String, parameters: [String])] = [
        ("/api/tickets", ["page", "limit", "sort", "q", "from", "to", "as_of", "company_id", "contact_id", "status",
                          "status_category", "priority", "board", "assigned_to", "source_service"]),
        ("/api/companies", ["page", "limit", "sort", "q", "from", "to", "as_of", "status", "type", "source_service"]),
        ("/api/contacts", ["sort", "q", "as_of", "company_id", "active", "source_service"]),
        ("/api/time-entries", ["sort", "q", "from", "to", "as_of", "company_id", "ticket_id", "member", "billable"]),
        ("/api/tickets/connectwise:1", ["as_of"]),
        ("/api/companies/connectwise:100/history", ["as_of"]),
        ("/api/analytics/dashboard", ["period", "from", "to"]),
        ("/api/analytics/tickets/status", ["period", "from", "to"]),
        ("/api/analytics/companies/top", ["period", "from", "to", "metric", "limit"]),
    ]

    func check(_ result: APIResult, _ what: String) {
        XCTAssertTrue([200, 400, 404].contains(result.status), "\(what) → \(result.status) \(result.text.prefix(200))")
        XCTAssertFalse(result.text.contains("Globex"), "\(what) leaked another tenant")
        XCTAssertFalse(result.text.contains("SQLite") || result.text.contains("SELECT"), "\(what) leaked SQL details")
    }

    func testInjectionInEveryQueryParameterIsHarmless() async throws {
        let f = try APIFixture(self)
        let token = try f.acmeViewer
        for endpoint in Self.endpoints {
            for parameter in endpoint.parameters {
                for payload in Self.payloads {
                    let target = endpoint.path + "?" + parameter + "=" + URLQuery.encode(payload)
                    check(try await f.get(target, token: token), target.prefix(120).description)
                }
            }
        }
        for payload in Self.payloads.prefix(6) {
            let target = "/api/tickets?" + URLQuery.encode(payload) + "=1"
            let result = try await f.get(target, token: token)
            XCTAssertEqual(result.status, 400, "unknown parameter name \(payload)")
            check(result, target)
        }
        try await assertWarehouseIntact(f)
    }

    func testInjectionInIdsAndPathsIsHarmless() async throws {
        let f = try APIFixture(self)
        let token = try f.acmeViewer
        for entity in ["tickets", "companies", "contacts", "time-entries"] {
            for payload in Self.payloads + ["servicenow:901", "..", ".", "%2e%2e%2fglobex"] {
                let encoded = URLQuery.encode(payload)
                for target in ["/api/\(entity)/\(encoded)", "/api/\(entity)/\(encoded)/history"] {
                    let result = try await f.get(target, token: token)
                    check(result, target.prefix(120).description)
                    XCTAssertNotEqual(result.status, 200, "\(target) found something")
                }
            }
        }
        for raw in ["/api/tickets/../../globex", "/api/tickets/..%2F..%2Fglobex%2Fwarehouse.sqlite", "/api/tickets/%00"] {
            check(try await f.get(raw, token: token), raw)
        }
        try await assertWarehouseIntact(f)
    }

    func testInjectionInLoginAndRefreshBodiesIsHarmless() async throws {
        let f = try APIFixture(self, maxFailures: 1_000, maxClientFailures: 100_000)
        for payload in Self.payloads {
            let escaped = JSONValue.string(payload).jsonString()
            for body in [#"{"tenant_id":\#(escaped),"email":"admin@acme.test","password":"x"}"#,
                         #"{"tenant_id":"acme","email":\#(escaped),"password":"x"}"#,
                         #"{"tenant_id":"acme","email":"admin@acme.test","password":\#(escaped)}"#,
                         #"{"tenant_id":"acme","email":"' OR 1=1 --","password":\#(escaped)}"#] {
                let result = try await f.send(.post, "/auth/login", json: body)
                XCTAssertTrue([400, 401].contains(result.status), "\(body.prefix(100)) → \(result.status)")
            }
            let refresh = try await f.send(.post, "/auth/refresh", json: #"{"refresh_token":\#(escaped)}"#)
            XCTAssertTrue([400, 401].contains(refresh.status), "refresh \(payload.prefix(40)) → \(refresh.status)")
        }
        let stillWorks = try await f.send(.post, "/auth/login",
                                          json: #"{"tenant_id":"acme","email":"admin@acme.test","password":"\#(APIFixture.password)"}"#)
        XCTAssertEqual(stillWorks.status, 200)
    }

    func assertWarehouseIntact(_ f: APIFixture) async throws {
        let tickets = try await f.get("/api/tickets", token: try f.acmeViewer)
        XCTAssertEqual(tickets.body?["pagination"]?["total"]?.int64, 6)
        let globex = try await f.get("/api/tickets", token: try f.globexAdmin)
        XCTAssertEqual(globex.ids, ["servicenow:901"])
    }
}
