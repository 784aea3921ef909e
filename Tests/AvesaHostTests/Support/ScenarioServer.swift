@testable import AvesaHost
import Foundation
import Glibc

/// Starts Tests/Fixtures/servers/scenario_server.py on a free loopback port and stops it
/// with SIGKILL (Foundation's terminate() can hang on a blocked SIGTERM; see
/// PLATFORM_NOTES.md).
final class ScenarioServer: @unchecked Sendable {
    let process = Process()
    let port: Int

    /// One server shared by every test in the process (it exits with the test process).
    static let shared: ScenarioServer = try! ScenarioServer()

    /// "http://127.0.0.1:<port>".
    var baseURL: String { "http://127.0.0.1:\(port)" }

    init() throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestPaths.repositoryRoot + "/Tests/Fixtures/servers/scenario_server.py"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        let handle = output.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw NSError(domain: "ScenarioServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "no port: \(text)"])
        }
        self.port = port
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// GETs `path` and decodes its JSON object (the server's counters and statistics).
    func json(_ path: String) async throws -> [String: Any] {
        let response = try await Self.engine.execute(HTTPClientRequest(url: baseURL + path))
        return try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
    }

    private static let engine = CurlEngine()
}
