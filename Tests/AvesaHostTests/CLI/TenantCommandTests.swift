@testable import AvesaHost
import Foundation
import XCTest

/// `avesa-host tenant add|list|remove` through the in-process CLI.
final class TenantCommandTests: XCTestCase {
    private var data = ""

    override func setUp() {
        data = makeDataDirectory("cli-tenant")
    }

    private func run(_ arguments: [String], cli: RecordingCLI = RecordingCLI()) -> (Int32, RecordingCLI) {
        (cli.run(["--data", data] + arguments), cli)
    }

    func testAddThenListAsTextAndJSON() throws {
        XCTAssertEqual(run(["tenant", "add", "acme", "--name", "Acme Corp"]).0, 0)
        XCTAssertEqual(run(["tenant", "add", "globex", "--name=Globex"]).0, 0)
        let (status, text) = run(["tenant", "list"])
        XCTAssertEqual(status, 0)
        XCTAssertTrue(text.standardOutput.contains("acme    Acme Corp"), text.standardOutput)
        let (_, json) = run(["tenant", "list", "--json"])
        let rows = try XCTUnwrap(try JSONParser.parse(json.standardOutput).array)
        XCTAssertEqual(rows.compactMap { $0["id"]?.string }, ["acme", "globex"])
        XCTAssertEqual(rows[0]["name"]?.string, "Acme Corp")
        XCTAssertEqual(rows[0]["services"], [])
    }

    func testInvalidIDsAreUsageErrorsAndCreateNothing() {
        for id in ["../x", "A", "", String(repeating: "a", count: 64), "a/b"] {
            let (status, cli) = run(["tenant", "add", id, "--name", "X"])
            XCTAssertEqual(status, 2, id)
            XCTAssertTrue(cli.standardError.contains("invalid tenant id"), cli.standardError)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: data + "/x"))
        XCTAssertEqual(run(["tenant", "remove", "../..", "--yes"]).0, 2)
    }

    func testDuplicatesAndUnknownTenantsFailWithOne() {
        XCTAssertEqual(run(["tenant", "add", "acme", "--name", "Acme"]).0, 0)
        let (duplicate, cli) = run(["tenant", "add", "acme", "--name", "Acme"])
        XCTAssertEqual(duplicate, 1)
        XCTAssertTrue(cli.standardError.contains("tenant \"acme\" already exists"), cli.standardError)
        let (unknown, missing) = run(["tenant", "remove", "ghost", "--yes"])
        XCTAssertEqual(unknown, 1)
        XCTAssertTrue(missing.standardError.contains("unknown tenant \"ghost\""), missing.standardError)
    }

    func testRemoveWithYesDeletesTheRowsAndTheDataFolder() throws {
        XCTAssertEqual(run(["tenant", "add", "acme", "--name", "Acme"]).0, 0)
        XCTAssertEqual(run(["tenant", "add", "globex", "--name", "Globex"]).0, 0)
        for id in ["acme", "globex"] {
            try FileManager.default.createDirectory(atPath: "\(data)/tenants/\(id)/raw", withIntermediateDirectories: true)
            try "x".write(toFile: "\(data)/tenants/\(id)/warehouse.sqlite", atomically: true, encoding: .utf8)
        }
        let (status, cli) = run(["tenant", "remove", "acme", "--yes"])
        XCTAssertEqual(status, 0, cli.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: data + "/tenants/acme"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: data + "/tenants/globex/warehouse.sqlite"))
        XCTAssertEqual(try ControlStore(dataDirectory: data).tenants().map(\.id.rawValue), ["globex"])
    }

    /// Nothing of a removed tenant is left for a new tenant of the same id: the folder moves
    /// aside before the rows go, and a leftover folder (a deletion that failed) blocks the
    /// new tenant instead of handing it the old warehouse.
    func testATenantAddedAgainNeverInheritsTheOldData() throws {
        XCTAssertEqual(run(["tenant", "add", "acme", "--name", "Acme"]).0, 0)
        try FileManager.default.createDirectory(atPath: "\(data)/tenants/acme/raw", withIntermediateDirectories: true)
        XCTAssertEqual(run(["tenant", "remove", "acme", "--yes"]).0, 0)
        let left = try FileManager.default.contentsOfDirectory(atPath: data + "/tenants")
        XCTAssertEqual(left, [], "neither the folder nor its moved-aside copy is left")
        XCTAssertNil(try ControlStore(dataDirectory: data).lock(tenant: TenantID("acme")), "the lock went with the tenant")
        try FileManager.default.createDirectory(atPath: "\(data)/tenants/acme", withIntermediateDirectories: true)
        let (status, cli) = run(["tenant", "add", "acme", "--name", "Acme again"])
        XCTAssertEqual(status, 1)
        XCTAssertTrue(cli.standardError.contains("left from an earlier tenant"), cli.standardError)
        XCTAssertEqual(try ControlStore(dataDirectory: data).tenants(), [])
    }

    func testRemoveWithoutATerminalAndWithoutYesRefuses() throws {
        XCTAssertEqual(run(["tenant", "add", "acme", "--name", "Acme"]).0, 0)
        try FileManager.default.createDirectory(atPath: data + "/tenants/acme", withIntermediateDirectories: true)
        let (status, cli) = run(["tenant", "remove", "acme"])
        XCTAssertEqual(status, 1)
        XCTAssertTrue(cli.standardError.contains("--yes"), cli.standardError)
        XCTAssertTrue(FileManager.default.fileExists(atPath: data + "/tenants/acme"))
        XCTAssertEqual(try ControlStore(dataDirectory: data).tenants().count, 1)
    }

    func testRemoveOnATerminalNeedsTheIDTypedBack() throws {
        XCTAssertEqual(run(["tenant", "add", "acme", "--name", "Acme"]).0, 0)
        let wrong = ScriptedTerminal(answers: ["yes"])
        XCTAssertEqual(run(["tenant", "remove", "acme"], cli: RecordingCLI(terminal: wrong.terminal)).0, 1)
        XCTAssertEqual(try ControlStore(dataDirectory: data).tenants().count, 1)
        let right = ScriptedTerminal(answers: ["acme"])
        XCTAssertEqual(run(["tenant", "remove", "acme"], cli: RecordingCLI(terminal: right.terminal)).0, 0)
        XCTAssertTrue(right.prompts.first?.prompt.contains("Type the tenant id") ?? false)
        XCTAssertEqual(try ControlStore(dataDirectory: data).tenants().count, 0)
    }

    func testRemoveRefusesWhileALiveRunHoldsTheTenant() throws {
        XCTAssertEqual(run(["tenant", "add", "acme", "--name", "Acme"]).0, 0)
        XCTAssertEqual(try ControlStore(dataDirectory: data).acquireLock(tenant: tenantID("acme")), .acquired)
        let (status, cli) = run(["tenant", "remove", "acme", "--yes"])
        XCTAssertEqual(status, 1)
        XCTAssertTrue(cli.standardError.contains("being synced"), cli.standardError)
    }

    func testUsageErrorsAndHelp() {
        for arguments in [["tenant"], ["tenant", "frob"], ["tenant", "add", "acme"], ["tenant", "add", "--name", "x"],
                          ["tenant", "list", "--bogus"], ["tenant", "remove"], ["tenant", "add", "acme", "--name"]] {
            let (status, cli) = run(arguments)
            XCTAssertEqual(status, 2, "\(arguments): \(cli.standardError)")
        }
        for arguments in [["tenant", "--help"], ["tenant", "add", "--help"], ["tenant", "remove", "-h"]] {
            let (status, cli) = run(arguments)
            XCTAssertEqual(status, 0)
            XCTAssertTrue(cli.standardOutput.contains("Usage:"))
        }
    }
}
