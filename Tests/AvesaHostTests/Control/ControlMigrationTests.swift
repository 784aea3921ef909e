@testable import AvesaHost
import Foundation
import XCTest

/// Opening the control database: fresh files get every migration, old files are upgraded,
/// files from a newer avesa-host are refused.
final class ControlMigrationTests: XCTestCase {
    func testAFreshFileGetsEveryMigrationAndTheWALJournal() throws {
        let data = makeDataDirectory()
        let store = try ControlStore(dataDirectory: data)
        XCTAssertEqual(try store.schemaVersion, ControlSchema.currentVersion)
        let tables = try names(store.database, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        for table in ["schema_migrations", "tenants", "users", "tenant_services", "credentials", "watermarks",
                      "runs", "run_tables", "chunks", "run_locks"] {
            XCTAssertTrue(tables.contains(table), "missing \(table) in \(tables)")
        }
        XCTAssertEqual(try names(store.database, "PRAGMA journal_mode"), ["wal"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: data + "/control.sqlite"))
    }

    func testReopeningAppliesNothingAndKeepsTheData() throws {
        let data = makeDataDirectory()
        try ControlStore(dataDirectory: data).addTenant(tenantID("acme"), name: "Acme")
        let reopened = try ControlStore(dataDirectory: data)
        XCTAssertEqual(try ControlMigrator.migrate(reopened.database), [])
        XCTAssertEqual(try reopened.tenants().map(\.name), ["Acme"])
        XCTAssertEqual(try names(reopened.database, "SELECT COUNT(*) FROM schema_migrations"), ["\(ControlSchema.currentVersion)"])
    }

    func testAnOldFileIsUpgradedOnOpen() throws {
        let data = makeDataDirectory()
        let old = try ControlStore(dataDirectory: data, migrations: Array(ControlSchema.migrations.prefix(1)))
        XCTAssertEqual(try old.schemaVersion, 1)
        try old.addTenant(tenantID("acme"), name: "Acme")
        let upgraded = try ControlStore(dataDirectory: data)
        XCTAssertEqual(try upgraded.schemaVersion, ControlSchema.currentVersion)
        XCTAssertEqual(try upgraded.tenants().map(\.id.rawValue), ["acme"])
        XCTAssertEqual(try upgraded.acquireLock(tenant: tenantID("acme")), .acquired)
    }

    func testAFileFromANewerVersionIsRefusedWithAClearMessage() throws {
        let data = makeDataDirectory()
        let store = try ControlStore(dataDirectory: data)
        try store.database.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'x')")
        XCTAssertThrowsError(try ControlStore(dataDirectory: data)) { error in
            XCTAssertEqual(error as? ControlError,
                           .schemaTooNew(path: data + "/control.sqlite", found: 99, supported: ControlSchema.currentVersion))
            XCTAssertTrue("\(error)".contains("newer than this avesa-host supports"), "\(error)")
        }
    }

    func testAFailingMigrationLeavesTheFileAtTheLastGoodVersion() throws {
        let data = makeDataDirectory()
        let broken = ControlSchema.migrations.prefix(1) + [ControlMigration(version: 2, name: "broken", sql: "CREATE TABLE x (; ")]
        XCTAssertThrowsError(try ControlStore(dataDirectory: data, migrations: Array(broken)))
        XCTAssertEqual(try ControlStore(dataDirectory: data, migrations: Array(ControlSchema.migrations.prefix(1))).schemaVersion, 1)
    }

    func testSeveralConnectionsOpeningAFreshFileAtOnceAllSucceed() throws {
        let data = makeDataDirectory()
        let failures = NSLock()
        nonisolated(unsafe) var errors: [String] = []
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            do {
                let store = try ControlStore(dataDirectory: data)
                try store.addTenant(TenantID("t\(index)"), name: "T")
            } catch {
                failures.withLock { errors.append("\(error)") }
            }
        }
        XCTAssertEqual(errors, [])
        XCTAssertEqual(try ControlStore(dataDirectory: data).tenants().count, 4)
    }

    func testTheControlFileIsOwnerOnly() throws {
        let data = makeDataDirectory()
        _ = try ControlStore(dataDirectory: data)
        var info = stat()
        XCTAssertEqual(stat(data + "/control.sqlite", &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
    }

    private func names(_ database: SQLiteDatabase, _ sql: String) throws -> [String] {
        let statement = try database.prepare(sql)
        var result: [String] = []
        while try statement.step() { result.append(statement.text(0) ?? "") }
        return result
    }
}
