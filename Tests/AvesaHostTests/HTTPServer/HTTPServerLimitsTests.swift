import Glibc
import XCTest
@testable import AvesaHost

final class HTTPServerLimitsTests: XCTestCase {
    private func fastLimits() -> ServerLimits {
        var limits = ServerLimits()
        limits.headerTimeout = .milliseconds(300)
        limits.idleTimeout = .milliseconds(400)
        limits.bodyTimeout = .milliseconds(300)
        limits.writeTimeout = .milliseconds(500)
        return limits
    }

    private func expectErrorAndClose(_ request: String, status: Int, limits: ServerLimits = ServerLimits(),
                                     file: StaticString = #filePath, line: UInt = #line) throws {
        let server = try TestServer(limits: limits)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send(request)
        let response = try client.readResponse()
        XCTAssertEqual(response.status, status, file: file, line: line)
        XCTAssertEqual(response.header("Connection"), "close", file: file, line: line)
        XCTAssertTrue(response.text.hasPrefix("{\"error\":{\"code\":"), response.text, file: file, line: line)
        XCTAssertTrue(client.isClosedByServer(), file: file, line: line)
    }

    func testOverlongRequestLineIs414() throws {
        try expectErrorAndClose("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: x\r\n\r\n", status: 414)
    }

    func testOversizedHeaderBlockIs431() throws {
        let header = "X-Filler: " + String(repeating: "v", count: 4000) + "\r\n"
        try expectErrorAndClose("GET /hello HTTP/1.1\r\nHost: x\r\n" + String(repeating: header, count: 9) + "\r\n", status: 431)
    }

    func testTooManyHeaderFieldsIs431() throws {
        let fields = (0..<101).map { "X-\($0): v\r\n" }.joined()
        try expectErrorAndClose("GET /hello HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n", status: 431)
    }

    func testOversizedBodyIs413() throws {
        var limits = ServerLimits()
        limits.maxBodySize = 1000
        try expectErrorAndClose("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n", status: 413, limits: limits)
        try expectErrorAndClose("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" + String(repeating: "a", count: 1000)
            + "\r\n1\r\nb\r\n0\r\n\r\n", status: 413, limits: limits)
    }

    /// A body sent where no route takes one (an unknown path, a GET) is refused from its
    /// head, not read into memory first: 10,000 connections × 1 MiB each were possible.
    func testABodyNoRouteTakesIsRefusedBeforeItIsRead() throws {
        try expectErrorAndClose("POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n", status: 413)
        try expectErrorAndClose("GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n", status: 413)
    }

    func testRouteCanOverrideBodyLimit() throws {
        var limits = ServerLimits()
        limits.maxBodySize = 100
        let server = try TestServer(limits: limits)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("POST /big-upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3000\r\n\r\n" + String(repeating: "z", count: 3000))
        XCTAssertEqual(try client.readResponse().text, "3000")
        try client.send("POST /big-upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n")
        XCTAssertEqual(try client.readResponse().status, 413)
    }

    func testMalformedRequestIs400AndClose() throws {
        try expectErrorAndClose("GET / HTTP/1.1\r\nHost: x\r\nBad Header: v\r\n\r\n", status: 400)
        try expectErrorAndClose("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400)
        try expectErrorAndClose("GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n", status: 400)
        try expectErrorAndClose("\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\r\n\r\n", status: 400)
    }

    /// A body that keeps trickling in, never silent for `bodyTimeout`, still has to end
    /// within `maxBodyDuration`.
    func testABodyTricklingInPastItsDeadlineGets408AndClose() throws {
        var limits = fastLimits()
        limits.maxBodyDuration = .milliseconds(600)
        let server = try TestServer(limits: limits)
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
        let start = Date()
        // A byte every 100 ms, until the server answers (or 99 bytes went, short of the 100).
        for _ in 0..<99 {
            var waiting = pollfd(fd: client.fd, events: Int16(POLLIN), revents: 0)
            if poll(&waiting, 1, 100) != 0 { break }
            try client.send("a")
        }
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 408)
        XCTAssertLessThan(Date().timeIntervalSince(start), 3, "cut at the deadline, not after 100 bytes")
        XCTAssertTrue(client.isClosedByServer())
    }

    /// One client (an IPv4 address, or an IPv6 /64) holds at most `maxConnectionsPerClient`
    /// slots; other clients and loopback peers are not held back by it.
    func testOneClientCannotHoldEverySlot() {
        var limits = ServerLimits()
        limits.maxConnectionsPerClient = 3
        limits.maxConnections = 10
        let core = ServerCore(limits: limits, serverName: "test", router: Router()) { _ in HTTPResponse(status: .ok) }
        let attacker = SocketAddress(host: "2001:db8:1:2::7", port: 1).clientKey
        XCTAssertEqual(attacker, "2001:db8:1:2::/64")
        XCTAssertEqual(SocketAddress(host: "2001:db8:1:2:ffff::1", port: 1).clientKey, attacker, "the same /64")
        XCTAssertEqual(SocketAddress(host: "::ffff:203.0.113.7", port: 1).clientKey, "203.0.113.7")
        XCTAssertTrue(SocketAddress(host: "::ffff:127.0.0.1", port: 1).isLoopback)
        XCTAssertTrue(SocketAddress(host: "::1", port: 1).isLoopback)
        XCTAssertFalse(SocketAddress(host: "203.0.113.7", port: 1).isLoopback)
        for _ in 0..<3 { XCTAssertTrue(core.tryAcquireConnection(client: attacker)) }
        XCTAssertFalse(core.tryAcquireConnection(client: attacker), "its fourth connection is refused")
        XCTAssertTrue(core.tryAcquireConnection(client: "203.0.113.7"), "another client still gets one")
        XCTAssertTrue(core.tryAcquireConnection(client: nil), "loopback is not limited per client")
        core.releaseConnection(client: attacker)
        XCTAssertTrue(core.tryAcquireConnection(client: attacker), "a released slot is its again")
        XCTAssertEqual(core.connectionCount, 5)
    }

    /// Loopback peers (a local proxy) are not counted per client by the acceptor.
    func testLoopbackConnectionsAreNotLimitedPerClient() throws {
        var limits = ServerLimits()
        limits.maxConnectionsPerClient = 1
        let server = try TestServer(limits: limits)
        defer { server.stop() }
        let clients = try (0..<3).map { _ in try TestClient(port: server.port) }
        for client in clients {
            try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            XCTAssertEqual(try client.readResponse().status, 200)
        }
    }

    func testSlowLorisGets408AndClose() throws {
        let server = try TestServer(limits: fastLimits())
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n")
        let start = Date()
        for _ in 0..<3 {
            Thread.sleep(forTimeInterval: 0.1)
            try? client.send("X-Drip: 1\r\n")
        }
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 408)
        XCTAssertLessThan(Date().timeIntervalSince(start), 2)
        XCTAssertTrue(client.isClosedByServer())
    }

    func testSlowBodyGets408() throws {
        let server = try TestServer(limits: fastLimits())
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        XCTAssertEqual(try client.readResponse().status, 408)
    }

    func testIdleKeepAliveConnectionIsClosed() throws {
        let server = try TestServer(limits: fastLimits())
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try client.readResponse().status, 200)
        let start = Date()
        XCTAssertTrue(client.isClosedByServer())
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertGreaterThan(elapsed, 0.3)
        XCTAssertLessThan(elapsed, 1.5)
    }

    func testSilentConnectionIsClosedAfterHeaderTimeout() throws {
        let server = try TestServer(limits: fastLimits())
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        XCTAssertTrue(client.isClosedByServer())
        XCTAssertTrue(client.readToEnd().isEmpty)
    }

    func testExcessConnectionsGet503WhileOthersAreServed() throws {
        var limits = ServerLimits()
        limits.maxConnections = 2
        let server = try TestServer(limits: limits)
        defer { server.stop() }
        let first = try TestClient(port: server.port)
        let second = try TestClient(port: server.port)
        try first.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try first.readResponse().status, 200)
        try second.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try second.readResponse().status, 200)

        let third = try TestClient(port: server.port)
        let refused = try third.readResponse()
        XCTAssertEqual(refused.status, 503)
        XCTAssertEqual(refused.header("Retry-After"), "1")
        XCTAssertTrue(third.isClosedByServer())

        try first.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try first.readResponse().status, 200, "existing connections keep working")
        XCTAssertEqual(server.server.connectionCount, 2)
    }
}
