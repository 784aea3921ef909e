@testable import AvesaHost
import Foundation
import Glibc
import XCTest

/// `GET /health` in-process through the router, and on the real `avesa-host serve`
/// process, which stops cleanly on SIGTERM.
final class HealthTests: XCTestCase {
    func testHealthReportsStatusAndVersion() async throws {
        var router = Router()
        HealthRoutes.register(on: &router)
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), router: router)
        let response = await server.respond(to: try HTTPRequest(method: .get, target: "/health"))
        XCTAssertEqual(response.status, .ok)
        let body = try JSONParser.parse(response.bodyBytes)
        XCTAssertEqual(body["status"]?.string, "ok")
        XCTAssertEqual(body["version"]?.string, AvesaVersion.current)
    }

    func testServeAnswersHealthAndStopsOnSIGTERM() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.builtPluginsDirectory + "/avesa-host")
        let data = TestPaths.makeTemporaryDirectory("serve")
        defer { try? FileManager.default.removeItem(atPath: data) }
        process.arguments = ["--plugins", TestPaths.builtPluginsDirectory, "--data", data,
                             "--mappings", TestPaths.repositoryRoot + "/mappings", "serve", "--port", "0"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var text = ""
        while !text.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let url = try XCTUnwrap(text.components(separatedBy: "listening on ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let response = try await engine.execute(HTTPClientRequest(url: url + "/health"))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(try JSONParser.parse(response.body)["status"]?.string, "ok")
        let missing = try await engine.execute(HTTPClientRequest(url: url + "/nope"))
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(try JSONParser.parse(missing.body)["error"]?["code"]?.string, "not_found")
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        XCTAssertFalse(process.isRunning, "serve must stop on SIGTERM")
        XCTAssertEqual(process.terminationStatus, 0)
    }
}
