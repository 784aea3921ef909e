import XCTest
@testable import AvesaHost

final class HTTPServerProtocolTests: XCTestCase {
    func testKeepAliveServesSeveralRequestsOnOneConnection() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        for _ in 0..<3 {
            try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.text, "hello")
            XCTAssertNil(response.header("Connection"))
            XCTAssertEqual(response.header("Server"), "Avesa")
            XCTAssertNotNil(response.header("Date"))
        }
    }

    func testPipelinedRequestsAreAnsweredInOrder() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /slow?ms=100 HTTP/1.1\r\nHost: x\r\n\r\nGET /api/companies/7 HTTP/1.1\r\nHost: x\r\n\r\n"
            + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "slow done")
        XCTAssertEqual(try client.readResponse().text, "company 7")
        XCTAssertEqual(try client.readResponse().text, "abc")
        let last = try client.readResponse()
        XCTAssertEqual(last.text, "hello")
        XCTAssertEqual(last.header("Connection"), "close")
        XCTAssertTrue(client.isClosedByServer())
    }

    func testExpect100ContinueGetsInterimResponse() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        XCTAssertEqual(try client.readResponse().status, 100)
        try client.send("hello")
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "hello")
    }

    func testExpect100ContinueWithTooLargeBodyIsRefusedBeforeUpload() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\nExpect: 100-continue\r\n\r\n")
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 413)
        XCTAssertTrue(client.isClosedByServer())
    }

    func testUnknownExpectationIs417() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nExpect: magic\r\n\r\nx")
        XCTAssertEqual(try client.readResponse().status, 417)
    }

    func testChunkedRequestBody() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
        try client.send("4;x=y\r\ndefg\r\n0\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "abcdefg")
    }

    func testHeadReturnsHeadersWithoutBody() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse(head: true)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Content-Length"), "5")
        try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "hello", "no stray body bytes before the next response")
    }

    func testHTTP10ClientGetsResponseAndClose() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /hello HTTP/1.0\r\n\r\n")
        let response = try client.readResponse()
        XCTAssertEqual(response.text, "hello")
        XCTAssertEqual(response.header("Connection"), "close")
        XCTAssertTrue(client.isClosedByServer())

        let keepAlive = try TestClient(port: server.port)
        try keepAlive.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        XCTAssertEqual(try keepAlive.readResponse().header("Connection"), "keep-alive")
        try keepAlive.send("GET /hello HTTP/1.0\r\n\r\n")
        XCTAssertEqual(try keepAlive.readResponse().text, "hello")
    }

    func testStreamedResponseUsesChunkedEncoding() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        XCTAssertEqual(response.header("Transfer-Encoding"), "chunked")
        XCTAssertEqual(response.text, "part0;part1;part2;part3;part4;")
        try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "hello")
    }

    func testStreamedResponseToHTTP10IsCloseDelimited() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /stream HTTP/1.0\r\n\r\n")
        let response = try client.readResponse()
        XCTAssertNil(response.header("Transfer-Encoding"))
        XCTAssertEqual(response.text, "part0;part1;part2;part3;part4;")
    }

    func testLargeResponseArrivesComplete() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /large?size=3000000 HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try client.readResponse().body.count, 3_000_000)
    }

    func testIPv6Loopback() throws {
        let server = try TestServer(host: "::1")
        defer { server.stop() }
        XCTAssertEqual(server.address.description, "[::1]:\(server.port)")
        let client = try TestClient(port: server.port, host: "::1")
        try client.send("GET /hello HTTP/1.1\r\nHost: [::1]\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "hello")
    }

    func testBindErrorNamesAddressAndReason() throws {
        let server = try TestServer()
        defer { server.stop() }
        let second = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: server.port), router: Router())
        XCTAssertThrowsError(try second.start()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("127.0.0.1:\(server.port)"), text)
            XCTAssertTrue(text.contains("Address already in use"), text)
        }
        let bad = HTTPServer(configuration: HTTPServerConfiguration(host: "not-an-ip", port: 0), router: Router())
        XCTAssertThrowsError(try bad.start())
    }

    func testHandlerErrorsBecomeUniformJSON() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /fail HTTP/1.1\r\nHost: x\r\n\r\n")
        let failed = try client.readResponse()
        XCTAssertEqual(failed.status, 429)
        XCTAssertEqual(failed.text, #"{"error":{"code":"slow_down","message":"Too \"many\""}}"#)
        try client.send("GET /crash HTTP/1.1\r\nHost: x\r\n\r\n")
        let crashed = try client.readResponse()
        XCTAssertEqual(crashed.status, 500)
        XCTAssertEqual(crashed.text, #"{"error":{"code":"internal_error","message":"Internal server error."}}"#)
    }
}
