import XCTest
@testable import AvesaHost

final class StaticFilesTests: XCTestCase {
    private var root = ""
    private var outside = ""

    override func setUpWithError() throws {
        let base = NSTemporaryDirectory() + "avesa-static-\(UUID().uuidString)"
        root = base + "/root"
        outside = base + "/outside"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/css", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try "<h1>hi</h1>".write(toFile: root + "/index.html", atomically: true, encoding: .utf8)
        try "body{}".write(toFile: root + "/css/site.css", atomically: true, encoding: .utf8)
        try "{\"a\":1}".write(toFile: root + "/data.json", atomically: true, encoding: .utf8)
        try "TOKEN=1".write(toFile: root + "/css/.env", atomically: true, encoding: .utf8)
        try "secret".write(toFile: outside + "/secret.txt", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: root + "/escape", withDestinationPath: outside + "/secret.txt")
        try fm.createSymbolicLink(atPath: root + "/escape-dir", withDestinationPath: outside)
        try fm.createSymbolicLink(atPath: root + "/alias.css", withDestinationPath: root + "/css/site.css")
        try Data(repeating: 7, count: 3 << 20).write(to: URL(fileURLWithPath: root + "/big.bin"))
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent)
    }

    private func makeServer() throws -> TestServer {
        var router = Router()
        router.staticFiles("/static", try StaticFiles(root: root))
        return try TestServer(router: router)
    }

    private func get(_ client: TestClient, _ target: String, extra: String = "") throws -> TestResponse {
        try client.send("GET \(target) HTTP/1.1\r\nHost: x\r\n\(extra)\r\n")
        return try client.readResponse()
    }

    func testServesFilesWithContentTypesAndValidators() throws {
        let server = try makeServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        let css = try get(client, "/static/css/site.css")
        XCTAssertEqual(css.status, 200)
        XCTAssertEqual(css.text, "body{}")
        XCTAssertEqual(css.header("Content-Type"), "text/css; charset=utf-8")
        XCTAssertNotNil(css.header("ETag"))
        XCTAssertNotNil(css.header("Last-Modified"))
        XCTAssertEqual(try get(client, "/static/data.json").header("Content-Type"), "application/json")
        let index = try get(client, "/static/")
        XCTAssertEqual(index.text, "<h1>hi</h1>")
        XCTAssertEqual(index.header("Content-Type"), "text/html; charset=utf-8")
        XCTAssertEqual(try get(client, "/static/alias.css").text, "body{}", "symlinks inside the root are fine")
        XCTAssertEqual(try get(client, "/static/nope.txt").status, 404)
        XCTAssertEqual(try get(client, "/static/css/.env").status, 404, "hidden files are never served, at any depth")
    }

    func testConditionalRequestsGet304() throws {
        let server = try makeServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        let first = try get(client, "/static/css/site.css")
        let etag = try XCTUnwrap(first.header("ETag"))
        let lastModified = try XCTUnwrap(first.header("Last-Modified"))
        let byTag = try get(client, "/static/css/site.css", extra: "If-None-Match: \(etag)\r\n")
        XCTAssertEqual(byTag.status, 304)
        XCTAssertTrue(byTag.body.isEmpty)
        XCTAssertEqual(try get(client, "/static/css/site.css", extra: "If-None-Match: \"other\"\r\n").status, 200)
        XCTAssertEqual(try get(client, "/static/css/site.css", extra: "If-Modified-Since: \(lastModified)\r\n").status, 304)
        XCTAssertEqual(try get(client, "/static/css/site.css", extra: "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n").status, 200)
    }

    /// A client's If-Modified-Since with fields out of range is ignored (the file is sent),
    /// never converted into a trap that stops the server.
    func testAHostileIfModifiedSinceIsIgnored() throws {
        let server = try makeServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        for date in ["Sun, 06 Nov 99999999999 08:49:37 GMT", "Sun, 06 Nov -9223372036854775808 08:49:37 GMT",
                     "Sun, 99999999999999 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 99999999999:49:37 GMT", "Sun, 31 Nov 1994 24:00:00 GMT"] {
            XCTAssertEqual(try get(client, "/static/css/site.css", extra: "If-Modified-Since: \(date)\r\n").status, 200, date)
        }
        XCTAssertNil(HTTPDate.parse("Sun, 06 Nov 1994 08:49:61 GMT"))
        XCTAssertEqual(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT"), 784_111_777)
    }

    func testTraversalAttemptsAreRejected() throws {
        let server = try makeServer()
        defer { server.stop() }
        for target in ["/static/../outside/secret.txt", "/static/css/../../outside/secret.txt", "/static/%2e%2e/outside/secret.txt",
                       "/static/%2E%2E%2Foutside%2Fsecret.txt", "/static/css/%2e%2e/index.html", "/static//etc/passwd",
                       "/static/./index.html", "/static/..%5c..%5cetc%5cpasswd"] {
            let client = try TestClient(port: server.port)
            let response = try get(client, target)
            XCTAssertEqual(response.status, 400, target)
            XCTAssertFalse(response.text.contains("secret"), target)
        }
        for target in ["/static/escape", "/static/escape-dir/secret.txt"] {
            let client = try TestClient(port: server.port)
            let response = try get(client, target)
            XCTAssertEqual(response.status, 404, target)
            XCTAssertFalse(response.text.contains("secret"), target)
        }
        let nul = try TestClient(port: server.port)
        XCTAssertEqual(try get(nul, "/static/index.html%00.txt").status, 400)
    }

    func testHeadAndLargeFilesStream() throws {
        let server = try makeServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("HEAD /static/big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try client.readResponse(head: true)
        XCTAssertEqual(head.header("Content-Length"), String(3 << 20))
        let big = try get(client, "/static/big.bin")
        XCTAssertEqual(big.body.count, 3 << 20)
        XCTAssertEqual(big.header("Content-Type"), "application/octet-stream")
    }
}
