@testable import AvesaHost
import Foundation
import Glibc
import XCTest

/// The README's main command, end to end: `avesa-host demo` starts the simulators, syncs
/// three tenants, serves the API, and the demo admin sees non-empty KPIs of their tenant
/// only; SIGTERM stops it cleanly.
final class DemoCommandTests: XCTestCase {
    func testTheDemoSyncsServesAndStops() async throws {
        let data = TestPaths.makeTemporaryDirectory("demo")
        defer { try? FileManager.default.removeItem(atPath: data) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.builtPluginsDirectory + "/avesa-host")
        process.arguments = ["--plugins", TestPaths.builtPluginsDirectory, "--data", data,
                             "--mappings", TestPaths.repositoryRoot + "/mappings", "demo", "--port", "0", "--scale", "0.2"]
        process.environment = ProcessInfo.processInfo.environment.merging(["AVESA_PBKDF2_ITERATIONS": "1000"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var text = ""
        while !text.contains("LISTENING ") || !text.hasSuffix("\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        XCTAssertTrue(text.contains("0 failed"), text)
        let url = try XCTUnwrap(text.components(separatedBy: "LISTENING ").last?.split(separator: "\n").first.map(String.init))
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let login = try await engine.execute(HTTPClientRequest(
            method: "POST", url: url + "/auth/login", headers: [(name: "Content-Type", value: "application/json")],
            body: Array(#"{"tenant_id":"sitetechnology","email":"admin@sitetechnology.com","password":"demo123"}"#.utf8)))
        XCTAssertEqual(login.status, 200, String(decoding: login.body, as: UTF8.self))
        let token = try XCTUnwrap(try JSONParser.parse(login.body)["access_token"]?.string)
        let auth = [(name: "Authorization", value: "Bearer " + token)]
        let dashboard = try JSONParser.parse(try await engine.execute(HTTPClientRequest(url: url + "/api/analytics/dashboard?period=30d", headers: auth)).body)
        XCTAssertGreaterThan(dashboard["kpis"]?["tickets_open_now"]?.int64 ?? 0, 0)
        XCTAssertGreaterThan(dashboard["kpis"]?["companies"]?.int64 ?? 0, 0)
        let tickets = try JSONParser.parse(try await engine.execute(HTTPClientRequest(url: url + "/api/tickets?limit=500", headers: auth)).body)
        XCTAssertFalse(tickets["data"]?.array?.isEmpty ?? true)
        // Only this tenant's warehouse is read: every row carries ids of its own services' sync.
        let other = try await engine.execute(HTTPClientRequest(method: "POST", url: url + "/auth/login",
            headers: [(name: "Content-Type", value: "application/json")],
            body: Array(#"{"tenant_id":"northwind","email":"admin@sitetechnology.com","password":"demo123"}"#.utf8)))
        XCTAssertEqual(other.status, 401, "a user of one tenant cannot sign in to another")
        // Admins start runs for their own tenant; the run shows up in the history.
        let started = try await engine.execute(HTTPClientRequest(method: "POST", url: url + "/api/pipeline/run", headers: auth))
        XCTAssertEqual(started.status, 202, String(decoding: started.body, as: UTF8.self))
        let runID = try XCTUnwrap(try JSONParser.parse(started.body)["run_id"]?.int64)
        var listed = false
        for _ in 0..<100 where !listed {
            let runs = try JSONParser.parse(try await engine.execute(HTTPClientRequest(url: url + "/api/pipeline/runs", headers: auth)).body)
            listed = runs["data"]?.array?.contains { $0["id"]?.int64 == runID && $0["status"]?.string == "done" } ?? false
            if !listed { try await Task.sleep(for: .milliseconds(100)) }
        }
        XCTAssertTrue(listed, "run \(runID) finished and is listed")
        let viewerLogin = try await engine.execute(HTTPClientRequest(
            method: "POST", url: url + "/auth/login", headers: [(name: "Content-Type", value: "application/json")],
            body: Array(#"{"tenant_id":"sitetechnology","email":"viewer@sitetechnology.com","password":"demo123"}"#.utf8)))
        let viewer = try XCTUnwrap(try JSONParser.parse(viewerLogin.body)["access_token"]?.string)
        let refused = try await engine.execute(HTTPClientRequest(method: "POST", url: url + "/api/pipeline/run",
                                                                 headers: [(name: "Authorization", value: "Bearer " + viewer)]))
        XCTAssertEqual(refused.status, 403, "viewers cannot start runs")
        let metrics = try await engine.execute(HTTPClientRequest(url: url + "/metrics"))
        XCTAssertEqual(metrics.status, 200)
        XCTAssertTrue(String(decoding: metrics.body, as: UTF8.self).contains("avesa_connector_requests_total{tenant=\"sitetechnology\""))
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        XCTAssertFalse(process.isRunning, "the demo stops on SIGTERM")
        XCTAssertEqual(process.terminationStatus, 0)
    }
}
