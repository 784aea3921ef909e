@testable import AvesaHost
import Foundation
import XCTest

/// `user add` and `user list`: hashed passwords, validation, no duplicates, unknown tenants refused.
final class UserCommandTests: XCTestCase {
    func testAddsAUserWhoseStoredPasswordVerifies() throws {
        let data = TestPaths.makeTemporaryDirectory("users")
        defer { try? FileManager.default.removeItem(atPath: data) }
        let environment = ["AVESA_MASTER_KEY": String(repeating: "cd", count: 32), "AVESA_PBKDF2_ITERATIONS": "1000"]
        XCTAssertEqual(RecordingCLI().run(["--data", data, "tenant", "add", "acme", "--name", "Acme"], environment: environment), 0)
        let terminal = CLITerminal(isInteractive: true, readLine: { _, secret in secret ? "correct horse" : nil })
        let cli = RecordingCLI(terminal: terminal)
        XCTAssertEqual(cli.run(["--data", data, "user", "add", "--tenant-id", "acme", "--email", "Ann@Acme.test", "--role", "analyst"], environment: environment), 0, cli.standardError)
        let api = try APIContext.open(dataDirectory: data, passwordIterations: 1000, environment: environment)
        let user = try XCTUnwrap(try api.users.user(tenantID: "acme", email: "ann@acme.test"))
        XCTAssertEqual(user.role, .analyst)
        XCTAssertFalse(user.passwordHash.contains("correct horse"))
        XCTAssertTrue(api.passwordHasher.verify("correct horse", against: user.passwordHash))
        let again = RecordingCLI(terminal: terminal)
        XCTAssertEqual(again.run(["--data", data, "user", "add", "--tenant-id", "acme", "--email", "ann@acme.test", "--role", "viewer"], environment: environment), 1)
        XCTAssertTrue(again.standardError.contains("already exists"), again.standardError)
        let list = RecordingCLI()
        XCTAssertEqual(list.run(["--data", data, "user", "list", "--tenant-id", "acme"], environment: environment), 0)
        XCTAssertTrue(list.standardOutput.contains("ann@acme.test"))
        let short = CLITerminal(isInteractive: true, readLine: { _, _ in "short" })
        XCTAssertEqual(RecordingCLI(terminal: short).run(["--data", data, "user", "add", "--tenant-id", "acme", "--email", "b@acme.test", "--role", "viewer"], environment: environment), 1)
        XCTAssertEqual(RecordingCLI(terminal: terminal).run(["--data", data, "user", "add", "--tenant-id", "nobody", "--email", "c@x.test", "--role", "viewer"], environment: environment), 1)
        XCTAssertEqual(RecordingCLI(terminal: terminal).run(["--data", data, "user", "add", "--tenant-id", "acme", "--email", "d@x.test", "--role", "root"], environment: environment), 2)
    }
}
