@testable import AvesaHost
import Foundation
import XCTest

/// `avesa-host service add|list|remove` through the in-process CLI with the real built
/// plugins: credential sources, validation against the manifest, and no secret output.
final class ServiceCommandTests: XCTestCase {
    private var data = ""
    private let secret = "Priv-8d7c6b5a-SECRET"
    private let key = ["AVESA_MASTER_KEY": ControlTestSupport.hexKey]
    private var connectWiseEnvironment: [String: String] {
        key.merging(["CONNECTWISE_COMPANY_ID": "acme", "CONNECTWISE_PUBLIC_KEY": "pubval-77",
                     "CONNECTWISE_PRIVATE_KEY": secret, "CONNECTWISE_CLIENT_ID": "cid"]) { $1 }
    }

    override func setUp() {
        data = makeDataDirectory("cli-service")
        XCTAssertEqual(run(["tenant", "add", "acme", "--name", "Acme"]).0, 0)
    }

    @discardableResult
    private func run(_ arguments: [String], environment: [String: String] = [:],
                     cli: RecordingCLI = RecordingCLI()) -> (Int32, RecordingCLI) {
        (cli.run(["--plugins", TestPaths.builtPluginsDirectory, "--data", data] + arguments, environment: environment), cli)
    }

    private func writeFile(_ text: String) throws -> String {
        let path = data + "/creds-\(UUID().uuidString).json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func storedCredentials(_ service: String = "connectwise") throws -> [String: String] {
        try ControlStore(dataDirectory: data).loadCredentials(tenant: tenantID("acme"), service: service,
                                                              vault: ControlTestSupport.vault())
    }

    func testCredentialsFromEnvironmentVariablesWithManifestDefaults() throws {
        let (status, cli) = run(["service", "add", "--tenant-id", "acme", "--service", "connectwise"],
                                environment: connectWiseEnvironment)
        XCTAssertEqual(status, 0, cli.standardError)
        XCTAssertFalse(cli.standardOutput.contains(secret))
        let values = try storedCredentials()
        XCTAssertEqual(values["private_key"], secret)
        XCTAssertEqual(values["api_url"], "https://api-na.myconnectwise.net", "the manifest default applies")
    }

    func testCredentialsFromAFileTakePrecedenceOverTheEnvironment() throws {
        let file = try writeFile("""
            {"company_id": "fromfile", "public_key": "p", "private_key": "k", "client_id": "c",
             "api_url": "https://api-eu.myconnectwise.net"}
            """)
        let (status, cli) = run(["service", "add", "--tenant-id", "acme", "--service", "connectwise",
                                 "--credentials-file", file], environment: connectWiseEnvironment)
        XCTAssertEqual(status, 0, cli.standardError)
        XCTAssertEqual(try storedCredentials()["company_id"], "fromfile")
        XCTAssertEqual(try storedCredentials()["api_url"], "https://api-eu.myconnectwise.net")
    }

    func testMissingRequiredFieldsAreNamed() throws {
        let (status, cli) = run(["service", "add", "--tenant-id", "acme", "--service", "connectwise"],
                                environment: key.merging(["CONNECTWISE_COMPANY_ID": "acme"]) { $1 })
        XCTAssertEqual(status, 1)
        for name in ["public_key", "private_key", "client_id", "CONNECTWISE_PRIVATE_KEY"] {
            XCTAssertTrue(cli.standardError.contains(name), cli.standardError)
        }
        XCTAssertFalse(cli.standardError.contains("company_id,"), "a given field is not missing")
        XCTAssertEqual(try ControlStore(dataDirectory: data).services(), [])
    }

    func testUnknownFieldsInTheFileAreNamedAndNotStored() throws {
        let file = try writeFile(#"{"company_id": "a", "pasword": "typo", "extra": 1}"#)
        let (status, cli) = run(["service", "add", "--tenant-id", "acme", "--service", "connectwise",
                                 "--credentials-file", file], environment: connectWiseEnvironment)
        XCTAssertEqual(status, 1)
        XCTAssertTrue(cli.standardError.contains("pasword, extra"), cli.standardError)
        XCTAssertFalse(cli.standardError.contains("typo"))
    }

    /// A field given twice is refused (a JSON reader would keep one silently), without
    /// quoting either value.
    func testAFieldGivenTwiceInTheFileIsRefused() throws {
        let file = try writeFile(#"{"company_id": "a", "private_key": "first-secret", "private_key": "second-secret"}"#)
        let (status, cli) = run(["service", "add", "--tenant-id", "acme", "--service", "connectwise",
                                 "--credentials-file", file], environment: connectWiseEnvironment)
        XCTAssertEqual(status, 1)
        XCTAssertTrue(cli.standardError.contains("gives field \"private_key\" twice"), cli.standardError)
        XCTAssertFalse(cli.standardError.contains("secret"))
        XCTAssertEqual(try ControlStore(dataDirectory: data).services(), [])
    }

    func testURLFieldsMustBeHTTP() {
        let (status, cli) = run(["service", "add", "--tenant-id", "acme", "--service", "connectwise"],
                                environment: connectWiseEnvironment.merging(["CONNECTWISE_API_URL": "ftp://x"]) { $1 })
        XCTAssertEqual(status, 1)
        XCTAssertTrue(cli.standardError.contains("api_url"), cli.standardError)
        XCTAssertTrue(cli.standardError.contains("http"), cli.standardError)
    }

    func testUnknownTablesAreNamedWithTheValidOnes() {
        let (status, cli) = run(["service", "add", "--tenant-id", "acme", "--service", "connectwise",
                                 "--tables", "service/tickets,service/tikets,nope"], environment: connectWiseEnvironment)
        XCTAssertEqual(status, 1)
        XCTAssertTrue(cli.standardError.contains("service/tikets, nope"), cli.standardError)
        XCTAssertTrue(cli.standardError.contains("company/companies"), cli.standardError)
    }

    func testTablesAndRateLimitOverrideAreStored() throws {
        let (status, cli) = run(["service", "add", "--tenant-id", "acme", "--service", "connectwise",
                                 "--tables", "service/tickets, company/companies", "--rate-limit", "120/min,burst=4"],
                                environment: connectWiseEnvironment)
        XCTAssertEqual(status, 0, cli.standardError)
        let service = try XCTUnwrap(try ControlStore(dataDirectory: data).service(tenant: tenantID("acme"), service: "connectwise"))
        XCTAssertEqual(service.enabledTables, ["service/tickets", "company/companies"])
        XCTAssertEqual(service.rateLimitOverride, "120/min,burst=4")
        XCTAssertEqual(try RateLimitOverride.parse(service.rateLimitOverride!).requestsPerSecond, 2)
    }

    func testAMalformedRateLimitIsAUsageError() {
        let (status, cli) = run(["service", "add", "--tenant-id", "acme", "--service", "connectwise",
                                 "--rate-limit", "fast"], environment: connectWiseEnvironment)
        XCTAssertEqual(status, 2)
        XCTAssertTrue(cli.standardError.contains("invalid rate limit"), cli.standardError)
    }

    func testUnknownTenantAndUnknownServiceFailWithOne() {
        let (tenantStatus, tenant) = run(["service", "add", "--tenant-id", "ghost", "--service", "connectwise"],
                                         environment: connectWiseEnvironment)
        XCTAssertEqual(tenantStatus, 1)
        XCTAssertTrue(tenant.standardError.contains("unknown tenant \"ghost\""), tenant.standardError)
        let (serviceStatus, service) = run(["service", "add", "--tenant-id", "acme", "--service", "zendesk"], environment: key)
        XCTAssertEqual(serviceStatus, 1)
        XCTAssertTrue(service.standardError.contains("unknown service \"zendesk\""), service.standardError)
        XCTAssertTrue(service.standardError.contains("connectwise"), service.standardError)
        XCTAssertEqual(run(["service", "list", "--tenant-id", "ghost"]).0, 1)
        XCTAssertEqual(run(["service", "remove", "--tenant-id", "acme", "--service", "m365"]).0, 1)
        XCTAssertEqual(run(["service", "add", "--tenant-id", "../etc", "--service", "m365"]).0, 2)
    }

    func testListShowsFieldNamesButNeverSecretValues() throws {
        run(["service", "add", "--tenant-id", "acme", "--service", "connectwise"], environment: connectWiseEnvironment)
        for arguments in [["service", "list"], ["service", "list", "--json"], ["service", "list", "--tenant-id", "acme"],
                          ["tenant", "list", "--json"]] {
            let (status, cli) = run(arguments)
            XCTAssertEqual(status, 0, cli.standardError)
            XCTAssertFalse(cli.standardOutput.contains(secret), "\(arguments)")
            XCTAssertFalse(cli.standardOutput.contains("pubval-77"), "\(arguments)")
        }
        let (_, json) = run(["service", "list", "--json"])
        let row = try XCTUnwrap(try JSONParser.parse(json.standardOutput).array?.first)
        XCTAssertEqual(row["credential_fields"]?.array?.compactMap(\.string),
                       ["api_url", "client_id", "company_id", "private_key", "public_key"])
        XCTAssertEqual(row["tables"], .null)
    }

    func testRemoveDropsTheServiceAndItsCredentials() throws {
        run(["service", "add", "--tenant-id", "acme", "--service", "connectwise"], environment: connectWiseEnvironment)
        XCTAssertEqual(run(["service", "remove", "--tenant-id", "acme", "--service", "connectwise"]).0, 0)
        XCTAssertEqual(try ControlStore(dataDirectory: data).services(), [])
        XCTAssertNil(try ControlStore(dataDirectory: data).sealedCredentials(tenant: tenantID("acme"), service: "connectwise"))
    }

    func testAddingTheSameServiceTwiceFails() {
        run(["service", "add", "--tenant-id", "acme", "--service", "connectwise"], environment: connectWiseEnvironment)
        let (status, cli) = run(["service", "add", "--tenant-id", "acme", "--service", "connectwise"],
                                environment: connectWiseEnvironment)
        XCTAssertEqual(status, 1)
        XCTAssertTrue(cli.standardError.contains("already has service"), cli.standardError)
    }

    func testATerminalIsPromptedWithSecretsUnechoed() throws {
        let script = ScriptedTerminal(answers: ["", "acme", "pub", secret, "cid"])
        let (status, cli) = run(["service", "add", "--tenant-id", "acme", "--service", "connectwise"], environment: key,
                                cli: RecordingCLI(terminal: script.terminal))
        XCTAssertEqual(status, 0, cli.standardError)
        XCTAssertEqual(script.prompts.map(\.secret), [false, false, false, true, false])
        XCTAssertTrue(script.prompts[0].prompt.contains("[https://api-na.myconnectwise.net]"))
        XCTAssertEqual(try storedCredentials()["private_key"], secret)
        XCTAssertEqual(try storedCredentials()["api_url"], "https://api-na.myconnectwise.net")
    }

    func testWithoutAMasterKeyAnOwnerOnlyKeyFileIsCreated() throws {
        let environment = connectWiseEnvironment.filter { $0.key != "AVESA_MASTER_KEY" }
        XCTAssertEqual(run(["service", "add", "--tenant-id", "acme", "--service", "connectwise"], environment: environment).0, 0)
        var info = stat()
        XCTAssertEqual(stat(data + "/master.key", &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        let vault = try CredentialVault(environment: [:], dataDirectory: data)
        XCTAssertEqual(try ControlStore(dataDirectory: data).loadCredentials(tenant: tenantID("acme"), service: "connectwise",
                                                                             vault: vault)["private_key"], secret)
    }

    func testAMalformedMasterKeyIsAClearErrorWithoutTheValue() {
        let (status, cli) = run(["service", "add", "--tenant-id", "acme", "--service", "connectwise"],
                                environment: connectWiseEnvironment.merging(["AVESA_MASTER_KEY": "not-a-key-123"]) { $1 })
        XCTAssertEqual(status, 1)
        XCTAssertTrue(cli.standardError.contains("AVESA_MASTER_KEY is not a valid master key"), cli.standardError)
        XCTAssertFalse(cli.standardError.contains("not-a-key-123"))
    }

    func testUsageErrorsAndHelp() {
        for arguments in [["service"], ["service", "frob"], ["service", "add", "--service", "connectwise"],
                          ["service", "add", "--tenant-id", "acme"], ["service", "list", "--bogus"],
                          ["service", "remove", "--tenant-id", "acme"], ["service", "add", "--tenant-id", "acme",
                          "--service", "connectwise", "--tables", ","]] {
            let (status, cli) = run(arguments, environment: connectWiseEnvironment)
            XCTAssertEqual(status, 2, "\(arguments): \(cli.standardError)")
        }
        for arguments in [["service", "--help"], ["service", "add", "--help"], ["service", "list", "-h"]] {
            let (status, cli) = run(arguments)
            XCTAssertEqual(status, 0)
            XCTAssertTrue(cli.standardOutput.contains("Usage:"))
        }
        let (_, top) = run(["--help"])
        XCTAssertTrue(top.standardOutput.contains("tenant add ID --name NAME"))
        XCTAssertTrue(top.standardOutput.contains("service add --tenant-id ID --service NAME"))
    }
}
