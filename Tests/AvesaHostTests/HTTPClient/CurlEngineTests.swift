@testable import AvesaHost
import Foundation
import XCTest

/// The libcurl multi engine against a real loopback server: requests, bodies, gzip,
/// concurrency, limits, timeouts, transport errors and cancellation.
final class CurlEngineTests: XCTestCase {
    static let server = ScenarioServer.shared
    static let engine = CurlEngine()

    private var base: String { Self.server.baseURL }

    private func object(_ response: HTTPClientResponse) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    func testSendsHeadersAndReturnsStatusHeadersAndBody() async throws {
        let response = try await Self.engine.execute(HTTPClientRequest(url: base + "/echo?a=1", headers: [(name: "X-Test", value: "yes")]))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("content-type"), "application/json")
        let echo = try object(response)
        XCTAssertEqual((echo["headers"] as? [String: String])?["X-Test"], "yes")
        XCTAssertEqual((echo["query"] as? [String: String])?["a"], "1")
    }

    func testPostsABody() async throws {
        let request = HTTPClientRequest(method: "POST", url: base + "/echo", headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded")],
                                        body: Array("grant_type=x&y=z".utf8))
        let echo = try object(try await Self.engine.execute(request))
        XCTAssertEqual(echo["method"] as? String, "POST")
        XCTAssertEqual(echo["body"] as? String, "grant_type=x&y=z")
    }

    func testDecodesGzipBodies() async throws {
        let response = try await Self.engine.execute(HTTPClientRequest(url: base + "/gzip"))
        XCTAssertEqual(response.header("Content-Encoding"), "gzip")
        XCTAssertEqual(try object(response)["compressed"] as? Bool, true)
    }

    func testRunsManyTransfersConcurrently() async throws {
        let url = base + "/slow?ms=200"
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<32 {
                group.addTask { try await Self.engine.execute(HTTPClientRequest(url: url)).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(statuses, Array(repeating: 200, count: 32))
    }

    func testRefusesResponsesOverTheSizeLimit() async throws {
        var limits = HTTPClientLimits()
        limits.maxResponseBytes = 1000
        do {
            _ = try await Self.engine.execute(HTTPClientRequest(url: base + "/bytes?n=50000", limits: limits))
            XCTFail("expected responseTooLarge")
        } catch let error as HTTPClientError {
            XCTAssertEqual(error, .responseTooLarge(limit: 1000, url: base + "/bytes?n=REDACTED"))
        }
        let small = try await Self.engine.execute(HTTPClientRequest(url: base + "/bytes?n=999", limits: limits))
        XCTAssertEqual(small.body.count, 999)
    }

    func testAStalledResponseTimesOut() async throws {
        var limits = HTTPClientLimits()
        limits.totalTimeoutMilliseconds = 500
        do {
            _ = try await Self.engine.execute(HTTPClientRequest(url: base + "/stall?seconds=5", limits: limits))
            XCTFail("expected a timeout")
        } catch let error as HTTPClientError {
            guard case .timeout = error else { return XCTFail("\(error)") }
            XCTAssertTrue(error.isRetryable)
        }
    }

    func testARefusedConnectionIsATransportError() async throws {
        do {
            _ = try await Self.engine.execute(HTTPClientRequest(url: "http://127.0.0.1:1/x?token=secret"))
            XCTFail("expected a transport error")
        } catch let error as HTTPClientError {
            guard case .transport(_, _, let url) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(url, "http://127.0.0.1:1/x?token=REDACTED")
            XCTAssertFalse(error.description.contains("secret"))
        }
    }

    func testCancellingTheTaskRemovesTheTransfer() async throws {
        let url = base + "/slow?ms=10000"
        let engine: CurlEngine = Self.engine
        let task = Task { () async throws -> HTTPClientResponse in try await engine.execute(HTTPClientRequest(url: url)) }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch let error as HTTPClientError {
            guard case .cancelled = error else { return XCTFail("\(error)") }
        }
        // The engine keeps working after a cancellation.
        let response = try await Self.engine.execute(HTTPClientRequest(url: base + "/echo"))
        XCTAssertEqual(response.status, 200)
    }

    func testAStoppedEngineRefusesWork() async throws {
        let engine = CurlEngine()
        engine.shutdown()
        do {
            _ = try await engine.execute(HTTPClientRequest(url: base + "/echo"))
            XCTFail("expected engineStopped")
        } catch let error as HTTPClientError {
            XCTAssertEqual(error, .engineStopped)
        }
    }
}
