import XCTest
@testable import AvesaHost

final class HTTPServerRobustnessTests: XCTestCase {
    func testSlowClientSendingByteByByteIsServed() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        for byte in Array("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nslow".utf8) {
            try client.send([byte])
            Thread.sleep(forTimeInterval: 0.002)
        }
        XCTAssertEqual(try client.readResponse().text, "slow")
    }

    func testSlowReaderStillGetsWholeLargeResponse() throws {
        let server = try TestServer()
        defer { server.stop() }
        let client = try TestClient(port: server.port)
        try client.send("GET /large?size=2000000 HTTP/1.1\r\nHost: x\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.3)  // let the kernel buffers fill; the server must wait, not spin or drop
        XCTAssertEqual(try client.readResponse().body.count, 2_000_000)
    }

    func testAbruptDisconnectsDoNotDisturbTheServerOrLeakDescriptors() throws {
        let server = try TestServer()
        let before = openDescriptorCount()
        for _ in 0..<20 {
            let midRequest = try TestClient(port: server.port)
            try midRequest.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial")
        }
        for _ in 0..<5 {
            let midResponse = try TestClient(port: server.port)
            try midResponse.send("GET /large?size=8000000 HTTP/1.1\r\nHost: x\r\n\r\n")
        }
        for _ in 0..<5 {
            let midStream = try TestClient(port: server.port)
            try midStream.send("GET /endless HTTP/1.1\r\nHost: x\r\n\r\n")
            Thread.sleep(forTimeInterval: 0.02)
        }
        for _ in 0..<5 {
            let midHandler = try TestClient(port: server.port)
            try midHandler.send("GET /slow?ms=50 HTTP/1.1\r\nHost: x\r\n\r\n")
        }
        let client = try TestClient(port: server.port)
        try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "hello")
        // Every aborted connection is eventually closed server-side.
        let deadline = Date().addingTimeInterval(3)
        while server.server.connectionCount > 1 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertEqual(server.server.connectionCount, 1)
        XCTAssertLessThanOrEqual(openDescriptorCount(), before + 2, "only the live client and its server side remain")
        server.stop()
    }

    func testGracefulShutdownLetsInFlightRequestsFinish() throws {
        let server = try TestServer()
        let busy = try TestClient(port: server.port)
        try busy.send("GET /slow?ms=300 HTTP/1.1\r\nHost: x\r\n\r\n")
        let idle = try TestClient(port: server.port)
        Thread.sleep(forTimeInterval: 0.05)
        let stopped = expectation(description: "stopped")
        let started = Date()
        Task {
            await server.server.shutdown(timeout: .seconds(3))
            stopped.fulfill()
        }
        XCTAssertTrue(idle.isClosedByServer(), "idle connections close at once")
        let response = try busy.readResponse()
        XCTAssertEqual(response.text, "slow done")
        XCTAssertEqual(response.header("Connection"), "close")
        XCTAssertTrue(busy.isClosedByServer())
        wait(for: [stopped], timeout: 5)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        XCTAssertThrowsError(try TestClient(port: server.port), "no longer accepting")
    }

    func testShutdownDeadlineCutsOffSlowHandlers() throws {
        let server = try TestServer()
        let busy = try TestClient(port: server.port, timeout: 5)
        try busy.send("GET /slow?ms=3000 HTTP/1.1\r\nHost: x\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.05)
        let started = Date()
        server.stop(timeout: .milliseconds(200))
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.5)
        XCTAssertTrue(busy.isClosedByServer())
    }

    func testNoDescriptorLeakAcrossServerLifecycle() throws {
        let before = openDescriptorCount()
        for _ in 0..<3 {
            let server = try TestServer()
            for _ in 0..<10 {
                let client = try TestClient(port: server.port)
                try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = try client.readResponse()
            }
            let open = try TestClient(port: server.port)
            try open.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try open.readResponse()
            server.stop()
        }
        XCTAssertEqual(openDescriptorCount(), before)
    }

    func testManyConcurrentClients() throws {
        let server = try TestServer()
        defer { server.stop() }
        let failures = LockedCounter()
        DispatchQueue.concurrentPerform(iterations: 50) { i in
            do {
                let client = try TestClient(port: server.port)
                for _ in 0..<5 {
                    try client.send("GET /api/companies/\(i) HTTP/1.1\r\nHost: x\r\n\r\n")
                    if try client.readResponse().text != "company \(i)" { failures.increment() }
                }
            } catch {
                failures.increment()
            }
        }
        XCTAssertEqual(failures.value, 0)
    }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
