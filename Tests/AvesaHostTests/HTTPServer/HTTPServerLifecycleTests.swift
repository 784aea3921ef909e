import XCTest
@testable import AvesaHost
#if canImport(Glibc)
import Glibc
#endif

final class HTTPServerLifecycleTests: XCTestCase {
    func testShutdownSignalHelperStopsServer() throws {
        let server = try TestServer()
        let stopped = LockedCounter()
        let handlers = ShutdownSignals(server: server.server, timeout: .seconds(1), signals: [SIGUSR2]) { stopped.increment() }
        // Dispatch arms the signal source asynchronously: re-raise until it has taken effect.
        let deadline = Date().addingTimeInterval(5)
        while stopped.value == 0 && Date() < deadline {
            raise(SIGUSR2)
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertGreaterThan(stopped.value, 0)
        XCTAssertNil(server.server.address)
        XCTAssertThrowsError(try TestClient(port: server.port))
        withExtendedLifetime(handlers) {}
    }

    func testStartTwiceFailsAndPortZeroPicksAFreePort() throws {
        let server = try TestServer()
        defer { server.stop() }
        XCTAssertGreaterThan(server.port, 0)
        XCTAssertThrowsError(try server.server.start())
    }

    /// A client that keeps reading, but too slowly ever to be silent for `writeTimeout`, is
    /// still dropped once its output has been pending for `maxResponseDuration`.
    func testASlowButSteadyReaderIsDroppedAfterTheResponseDeadline() throws {
        var limits = ServerLimits()
        limits.writeTimeout = .seconds(5)  // longer than the test: only the deadline can drop it
        limits.maxResponseDuration = .milliseconds(800)
        let server = try TestServer(limits: limits)
        defer { server.stop() }
        let client = try TestClient(port: server.port, timeout: 1)
        try client.send("GET /large?size=8000000 HTTP/1.1\r\nHost: x\r\n\r\n")
        var buffer = [UInt8](repeating: 0, count: 2048)
        let start = Date()
        XCTAssertGreaterThan(recv(client.fd, &buffer, buffer.count, 0), 0, "the response started")
        XCTAssertEqual(server.server.connectionCount, 1, "and its connection is open")
        // 2 KB every 50 ms: never silent for the write timeout, 40 KB/s for 8 MB.
        var read = 0
        while server.server.connectionCount > 0 && Date().timeIntervalSince(start) < 10 {
            let n = recv(client.fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            read += n
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertLessThan(read, 8_000_000)
        let deadline = Date().addingTimeInterval(3)
        while server.server.connectionCount > 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertEqual(server.server.connectionCount, 0, "dropped at the response deadline")
        XCTAssertLessThan(Date().timeIntervalSince(start), 4, "at the deadline, long before the 8 MB could have been read")
    }

    func testClientFloodingPipelinedRequestsWithoutReadingIsBounded() throws {
        var limits = ServerLimits()
        limits.writeTimeout = .milliseconds(300)
        let server = try TestServer(limits: limits)
        defer { server.stop() }
        let client = try TestClient(port: server.port, timeout: 1)
        let padding = String(repeating: "p", count: 1000)
        let request = Array("GET /large?size=100000 HTTP/1.1\r\nHost: x\r\nX-Pad: \(padding)\r\n\r\n".utf8)
        var sent = 0
        while sent < 20_000, (try? client.send(request)) != nil { sent += 1 }
        XCTAssertLessThan(sent, 20_000, "the server stops reading once responses back up")
        let deadline = Date().addingTimeInterval(3)
        while server.server.connectionCount > 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertEqual(server.server.connectionCount, 0, "the stalled reader is dropped after the write timeout")
    }
}
