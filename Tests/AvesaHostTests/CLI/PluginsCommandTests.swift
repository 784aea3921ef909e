@testable import AvesaHost
import Foundation
import XCTest

/// `avesa-host plugins list|show|validate` through the in-process CLI: output, JSON
/// shapes and exit statuses (0 ok, 1 failure, 2 usage).
final class PluginsCommandTests: XCTestCase {
    private let plugins = TestPaths.builtPluginsDirectory

    private func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    func testListShowsTheFourConnectors() {
        let cli = RecordingCLI()
        XCTAssertEqual(cli.run(["--plugins", plugins, "plugins", "list"]), 0, cli.standardError)
        for service in ["connectwise", "servicenow", "salesforce", "m365"] {
            XCTAssertTrue(cli.standardOutput.contains(service), cli.standardOutput)
        }
        XCTAssertTrue(cli.standardOutput.contains("SERVICE"))
    }

    func testListJSONHasTheDocumentedKeys() throws {
        let cli = RecordingCLI()
        XCTAssertEqual(cli.run(["--plugins", plugins, "plugins", "list", "--json"]), 0)
        let rows = try XCTUnwrap(try json(cli.standardOutput) as? [[String: Any]])
        XCTAssertEqual(Set(rows.compactMap { $0["service"] as? String }), ["connectwise", "servicenow", "salesforce", "m365"])
        for row in rows {
            XCTAssertEqual(row["abi"] as? String, ABIVersion.host.description, "built from this header")
            XCTAssertNotNil(row["version"] as? String)
            XCTAssertTrue((row["path"] as? String)?.hasSuffix(".so") ?? false)
            XCTAssertGreaterThanOrEqual(row["endpoints"] as? Int ?? 0, 10)
        }
    }

    func testListJSONIncludesRefusedFilesWithTheirError() throws {
        let directory = TestPaths.makeTemporaryDirectory("cli-list")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "nope".write(toFile: directory + "/libBroken.so", atomically: true, encoding: .utf8)
        let cli = RecordingCLI()
        XCTAssertEqual(cli.run(["--plugins", directory, "plugins", "list", "--json"]), 0)
        let rows = try XCTUnwrap(try json(cli.standardOutput) as? [[String: Any]])
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows[0]["path"] as? String, directory + "/libBroken.so")
        XCTAssertTrue((rows[0]["error"] as? String)?.contains("not a loadable shared library") ?? false)
    }

    func testPluginsDirectoryComesFromTheEnvironmentWhenNotGiven() {
        let cli = RecordingCLI()
        XCTAssertEqual(cli.run(["plugins", "list"], environment: ["AVESA_PLUGINS": plugins + "/missing"]), 1)
        XCTAssertTrue(cli.standardError.contains(plugins + "/missing"), cli.standardError)
    }

    func testShowJSONMirrorsTheManifest() throws {
        let cli = RecordingCLI()
        XCTAssertEqual(cli.run(["--plugins", plugins, "plugins", "show", "connectwise", "--json"]), 0, cli.standardError)
        let object = try XCTUnwrap(try json(cli.standardOutput) as? [String: Any])
        XCTAssertEqual(object["service"] as? String, "connectwise")
        XCTAssertEqual((object["auth"] as? [String: Any])?["kind"] as? String, "basic")
        XCTAssertEqual((object["credential_fields"] as? [[String: Any]])?.count, 5)
        XCTAssertNotNil(object["rate_limit"] as? [String: Any])
        let endpoints = try XCTUnwrap(object["endpoints"] as? [[String: Any]])
        let tickets = try XCTUnwrap(endpoints.first { $0["name"] as? String == "service/tickets" })
        XCTAssertEqual(tickets["path"] as? String, "/service/tickets")
        XCTAssertEqual(tickets["primary_key"] as? String, "id")
        XCTAssertEqual(tickets["cursor_field"] as? String, "_info.lastUpdated")
        XCTAssertEqual((tickets["pagination"] as? [String: Any])?["kind"] as? String, "keyset")
        XCTAssertEqual(tickets["canonical_table"] as? String, "tickets")
        let members = try XCTUnwrap(endpoints.first { $0["name"] as? String == "system/members" })
        XCTAssertTrue(members["canonical_table"] is NSNull)
    }

    func testShowTextListsEveryEndpoint() {
        let cli = RecordingCLI()
        XCTAssertEqual(cli.run(["--plugins", plugins, "plugins", "show", "servicenow"]), 0)
        XCTAssertTrue(cli.standardOutput.contains("incident -> tickets"), cli.standardOutput)
        XCTAssertTrue(cli.standardOutput.contains("kb_knowledge"))
    }

    func testShowOfAnUnknownServiceFailsNamingWhatIsLoaded() {
        let cli = RecordingCLI()
        XCTAssertEqual(cli.run(["--plugins", plugins, "plugins", "show", "zendesk"]), 1)
        XCTAssertTrue(cli.standardError.contains("no plugin provides service \"zendesk\""), cli.standardError)
        XCTAssertTrue(cli.standardError.contains("connectwise"))
    }

    func testValidateAcceptsAGoodPluginAndRefusesABadOne() throws {
        let good = RecordingCLI()
        XCTAssertEqual(good.run(["plugins", "validate", plugins + "/libM365.so"]), 0, good.standardError)
        XCTAssertTrue(good.standardOutput.hasPrefix("OK "), good.standardOutput)
        let directory = TestPaths.makeTemporaryDirectory("cli-validate")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bad = try CPluginCompiler.compile(source: CPluginCompiler.fixtureSource, defines: ["DUPLICATE_ENDPOINT"],
                                              libraryName: "libDup.so", into: directory)
        let cli = RecordingCLI()
        XCTAssertEqual(cli.run(["plugins", "validate", bad]), 1)
        XCTAssertTrue(cli.standardError.contains(bad), cli.standardError)
        XCTAssertTrue(cli.standardError.contains("duplicate endpoint name"), cli.standardError)
    }

    func testValidateOfAMissingFileFails() {
        let cli = RecordingCLI()
        XCTAssertEqual(cli.run(["plugins", "validate", "/nonexistent/libX.so"]), 1)
        XCTAssertTrue(cli.standardError.contains("/nonexistent/libX.so"))
    }

    func testUsageErrorsExitWithTwo() {
        for arguments in [["plugins"], ["plugins", "frobnicate"], ["plugins", "show"], ["--bogus", "plugins", "list"],
                          ["nosuchcommand"], ["plugins", "list", "--verbose"], ["--plugins"]] {
            let cli = RecordingCLI()
            XCTAssertEqual(cli.run(arguments), 2, "\(arguments): \(cli.standardError)")
            XCTAssertFalse(cli.standardError.isEmpty, "\(arguments)")
        }
    }

    func testHelpWorksEverywhere() {
        for arguments in [["--help"], ["plugins", "--help"], ["plugins", "list", "--help"]] {
            let cli = RecordingCLI()
            XCTAssertEqual(cli.run(arguments), 0, "\(arguments)")
            XCTAssertTrue(cli.standardOutput.contains("Usage:"), "\(arguments)")
        }
    }
}
