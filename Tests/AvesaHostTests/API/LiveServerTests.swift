@testable import AvesaHost
import XCTest

/// The same API over a real loopback socket (the peer address feeds the login limiter).
final class LiveServerTests: XCTestCase {
    func testLoginAndDashboardOverLoopback() async throws {
        let f = try APIFixture(self, maxFailures: 2)
        let address = try f.server.start()
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let base = "http://\(address)"
        func login(_ password: String) async throws -> HTTPClientResponse {
            try await engine.execute(HTTPClientRequest(
                method: "POST", url: base + "/auth/login", headers: [(name: "Content-Type", value: "application/json")],
                body: Array(#"{"tenant_id":"acme","email":"analyst@acme.test","password":"\#(password)"}"#.utf8)))
        }
        let ok = try await login(APIFixture.password)
        XCTAssertEqual(ok.status, 200)
        let token = try XCTUnwrap(try JSONParser.parse(ok.body)["access_token"]?.string)
        let dashboard = try await engine.execute(HTTPClientRequest(
            url: base + "/api/analytics/dashboard?period=30d", headers: [(name: "Authorization", value: "Bearer " + token)]))
        XCTAssertEqual(dashboard.status, 200)
        XCTAssertEqual(try JSONParser.parse(dashboard.body)["kpis"]?["tickets_created"]?.int64, 4)
        let anonymous = try await engine.execute(HTTPClientRequest(url: base + "/api/tickets"))
        XCTAssertEqual(anonymous.status, 401)
        _ = try await login("wrong")
        _ = try await login("wrong")
        let limited = try await login(APIFixture.password)
        XCTAssertEqual(limited.status, 429)
        XCTAssertEqual(limited.headers.first { $0.name.lowercased() == "retry-after" }?.value, "900")
        await f.server.shutdown(timeout: .seconds(5))
    }
}
