@testable import AvesaHost
import Foundation
import Glibc
import XCTest

/// A run killed with SIGKILL mid-table is picked up by the next plain `run`, which ends
/// with exactly the warehouse an uninterrupted run produces: nothing lost, nothing doubled.
final class ResumeAfterKillTests: XCTestCase {
    private func avesaHost(_ fixture: PipelineFixture, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.builtPluginsDirectory + "/avesa-host")
        process.arguments = ["--plugins", fixture.plugins, "--data", fixture.data, "--mappings", fixture.mappings] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(fixture.environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func resumeCursor(_ fixture: PipelineFixture) throws -> String? {
        let database = try SQLiteDatabase(path: fixture.data + "/control.sqlite")
        let statement = try database.prepare("SELECT resume_cursor FROM chunks WHERE resume_cursor IS NOT NULL ORDER BY id DESC LIMIT 1")
        return try statement.step() ? statement.text(0) : nil
    }

    private func snapshot(_ fixture: PipelineFixture) throws -> [String] {
        let database = try SQLiteDatabase(path: fixture.data + "/tenants/acme/warehouse.sqlite")
        let statement = try database.prepare("SELECT id, summary, _valid_from, coalesce(_valid_to, -1), _is_current, hex(_row_hash) FROM tickets ORDER BY id, _valid_from")
        var rows: [String] = []
        while try statement.step() { rows.append((0..<6).map { statement.text(Int32($0)) ?? "" }.joined(separator: "|")) }
        return rows
    }

    func testAKilledRunResumesToTheSameWarehouse() async throws {
        let dataset = "kill\(UUID().uuidString.prefix(6).lowercased())"
        let reference = try PipelineFixture()
        let killed = try PipelineFixture(delayMilliseconds: 150)
        defer { reference.remove(); killed.remove() }
        try reference.addTenant("acme", dataset: dataset)
        try killed.addTenant("acme", dataset: dataset)
        let uninterrupted = try avesaHost(reference, ["run"])
        uninterrupted.waitUntilExit()
        XCTAssertEqual(uninterrupted.terminationStatus, 0)

        let victim = try avesaHost(killed, ["run", "--page-size", "20"])
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let cursor = try? resumeCursor(killed), cursor != "page:1", cursor != "page:2" { break }
            try await Task.sleep(for: .milliseconds(30))
        }
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        let cursorAtKill = try resumeCursor(killed)
        XCTAssertNotNil(cursorAtKill, "the run was killed after committing some pages")

        let resumed = try avesaHost(killed, ["run"])
        resumed.waitUntilExit()
        XCTAssertEqual(resumed.terminationStatus, 0)
        XCTAssertEqual(try snapshot(killed), try snapshot(reference))
        XCTAssertEqual(try snapshot(killed).count, 250)
    }
}
