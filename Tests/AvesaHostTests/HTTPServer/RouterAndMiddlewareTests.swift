import XCTest
@testable import AvesaHost

final class RouterAndMiddlewareTests: XCTestCase {
    private func request(_ method: HTTPMethod, _ target: String, headers: HTTPHeaders = HTTPHeaders()) throws -> HTTPRequest {
        try HTTPRequest(method: method, target: target, headers: headers)
    }

    func testRoutePatternsCaptureParameters() async throws {
        var router = Router()
        router.get("/api/companies/:id/users/:user") { r in .text("\(r.pathParameter("id")!)/\(r.pathParameter("user")!)") }
        router.get("/files/*path") { r in .text(r.pathParameter("path")!) }
        let a = await router.respond(to: try request(.get, "/api/companies/a%20b/users/42"))
        XCTAssertEqual(String(decoding: a.bodyBytes, as: UTF8.self), "a b/42")
        let b = await router.respond(to: try request(.get, "/files/x/y/z.txt"))
        XCTAssertEqual(String(decoding: b.bodyBytes, as: UTF8.self), "x/y/z.txt")
        let c = await router.respond(to: try request(.get, "/api/companies/"))
        XCTAssertEqual(c.status.code, 404)
    }

    func testUnknownPathIs404JSONAndWrongMethodIs405WithAllow() async throws {
        let server = HTTPServer(router: TestServer.defaultRouter())
        let missing = await server.respond(to: try request(.get, "/nope"))
        XCTAssertEqual(missing.status.code, 404)
        XCTAssertEqual(missing.headers["Content-Type"], "application/json")
        XCTAssertEqual(String(decoding: missing.bodyBytes, as: UTF8.self), #"{"error":{"code":"not_found","message":"No route matches this path."}}"#)
        let wrong = await server.respond(to: try request(.put, "/api/companies/1"))
        XCTAssertEqual(wrong.status.code, 405)
        XCTAssertEqual(wrong.headers["Allow"], "GET, DELETE, HEAD")
    }

    func testRouter404And405OverSocket() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /missing HTTP/1.1\r\nHost: x\r\n\r\n")
        let missing = try client.readResponse()
        XCTAssertEqual(missing.status, 404)
        XCTAssertTrue(missing.text.contains("\"not_found\""))
        try client.send("POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        let wrong = try client.readResponse()
        XCTAssertEqual(wrong.status, 405)
        XCTAssertEqual(wrong.header("Allow"), "GET, HEAD")
    }

    func testMiddlewareRunsInOrderAndCanShortCircuit() async throws {
        let order = LockedLog()
        let outer = ClosureMiddleware { request, next in
            order.append("outer-in")
            var response = try await next(request)
            order.append("outer-out")
            response.headers.add(name: "X-Outer", value: "1")
            return response
        }
        let auth = ClosureMiddleware { request, next in
            order.append("auth")
            guard request.headers["Authorization"] == "Bearer ok" else {
                throw HTTPError(.unauthorized, code: "unauthorized", message: "Missing token.")
            }
            var request = request
            request.attributes["user"] = "alice"
            return try await next(request)
        }
        var router = Router()
        router.get("/me") { r in .text(r.attributes["user"] ?? "-") }
        let server = HTTPServer(router: router, middleware: [outer, auth])
        let denied = await server.respond(to: try request(.get, "/me"))
        XCTAssertEqual(denied.status.code, 401)
        XCTAssertEqual(denied.headers["X-Outer"], "1")
        let allowed = await server.respond(to: try request(.get, "/me", headers: ["Authorization": "Bearer ok"]))
        XCTAssertEqual(String(decoding: allowed.bodyBytes, as: UTF8.self), "alice")
        XCTAssertEqual(order.entries, ["outer-in", "auth", "outer-out", "outer-in", "auth", "outer-out"])
    }

    func testRequestIDIsGeneratedOrPropagated() async throws {
        var router = Router()
        router.get("/id") { r in .text(r.requestID ?? "") }
        let server = HTTPServer(router: router, middleware: [RequestIDMiddleware()])
        let generated = await server.respond(to: try request(.get, "/id"))
        let id = try XCTUnwrap(generated.headers["X-Request-Id"])
        XCTAssertEqual(id.count, 32)
        XCTAssertEqual(String(decoding: generated.bodyBytes, as: UTF8.self), id)
        let kept = await server.respond(to: try request(.get, "/id", headers: ["X-Request-Id": "abc-123"]))
        XCTAssertEqual(kept.headers["X-Request-Id"], "abc-123")
        let replaced = await server.respond(to: try request(.get, "/id", headers: ["X-Request-Id": "bad id\u{7F}"]))
        XCTAssertNotEqual(replaced.headers["X-Request-Id"], "bad id\u{7F}")
    }

    func testAccessLogHookSeesEveryRequest() async throws {
        let log = LockedLog()
        let server = HTTPServer(router: TestServer.defaultRouter(),
                                middleware: [RequestIDMiddleware(), AccessLogMiddleware { entry in
                                    log.append("\(entry.method) \(entry.target) \(entry.status) \(entry.requestID != nil)")
                                }])
        _ = await server.respond(to: try request(.get, "/hello"))
        _ = await server.respond(to: try request(.get, "/missing"))
        _ = await server.respond(to: try request(.get, "/fail"))
        XCTAssertEqual(log.entries, ["GET /hello 200 true", "GET /missing 404 true", "GET /fail 429 true"])
    }

    func testCORSPreflightAndSimpleRequests() async throws {
        let cors = CORSMiddleware(allowedOrigins: ["https://app.example.com"])
        let server = HTTPServer(router: TestServer.defaultRouter(), middleware: [cors])
        let preflight = await server.respond(to: try request(.options, "/json", headers: [
            "Origin": "https://app.example.com", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        ]))
        XCTAssertEqual(preflight.status.code, 204)
        XCTAssertEqual(preflight.headers["Access-Control-Allow-Origin"], "https://app.example.com")
        XCTAssertTrue(preflight.headers["Access-Control-Allow-Methods"]!.contains("POST"))
        XCTAssertTrue(preflight.headers["Access-Control-Allow-Headers"]!.contains("Content-Type"))
        XCTAssertEqual(preflight.headers["Access-Control-Max-Age"], "600")

        let deniedPreflight = await server.respond(to: try request(.options, "/json", headers: [
            "Origin": "https://evil.example", "Access-Control-Request-Method": "POST",
        ]))
        XCTAssertEqual(deniedPreflight.status.code, 403)
        XCTAssertNil(deniedPreflight.headers["Access-Control-Allow-Origin"])

        let simple = await server.respond(to: try request(.get, "/json", headers: ["Origin": "https://app.example.com"]))
        XCTAssertEqual(simple.headers["Access-Control-Allow-Origin"], "https://app.example.com")
        XCTAssertEqual(simple.headers["Vary"], "Origin")
        let foreign = await server.respond(to: try request(.get, "/json", headers: ["Origin": "https://evil.example"]))
        XCTAssertEqual(foreign.status.code, 200)
        XCTAssertNil(foreign.headers["Access-Control-Allow-Origin"])
    }

    func testJSONBodyHelperChecksContentType() throws {
        let ok = try HTTPRequest(method: .post, target: "/", headers: ["Content-Type": "application/json; charset=utf-8"], body: Array("{}".utf8))
        XCTAssertEqual(try ok.jsonBody(), Array("{}".utf8))
        let vendor = try HTTPRequest(method: .post, target: "/", headers: ["Content-Type": "application/vnd.api+json"], body: Array("{}".utf8))
        XCTAssertNoThrow(try vendor.jsonBody())
        let text = try HTTPRequest(method: .post, target: "/", headers: ["Content-Type": "text/plain"], body: Array("{}".utf8))
        XCTAssertThrowsError(try text.jsonBody()) { XCTAssertEqual(($0 as? HTTPError)?.status, .unsupportedMediaType) }
        let empty = try HTTPRequest(method: .post, target: "/", headers: ["Content-Type": "application/json"])
        XCTAssertThrowsError(try empty.jsonBody()) { XCTAssertEqual(($0 as? HTTPError)?.status, .badRequest) }
    }

    func testResponseHeadersCannotInjectLines() throws {
        var router = Router()
        router.get("/inject") { _ in HTTPResponse(status: .ok, headers: ["X-Evil": "a\r\nSet-Cookie: x=1"], body: []) }
        let server = try TestServer(router: router)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /inject HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        XCTAssertNil(response.header("Set-Cookie"))
        XCTAssertEqual(response.header("X-Evil"), "a  Set-Cookie: x=1")
    }
}

final class LockedLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ item: String) { lock.withLock { items.append(item) } }
    var entries: [String] { lock.withLock { items } }
}
