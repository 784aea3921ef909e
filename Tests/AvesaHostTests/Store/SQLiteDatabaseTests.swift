import Foundation
import CSQLite
import XCTest
@testable import AvesaHost

final class SQLiteDatabaseTests: XCTestCase {
    /// A query past its deadline is interrupted (it would never end here), the connection
    /// stays usable, and the handler is gone afterwards.
    func testADeadlineInterruptsARunawayQueryAndLeavesTheConnectionUsable() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
        XCTAssertThrowsError(try database.withDeadline(seconds: 0.05) { _ = try database.prepare(endless).step() }) { error in
            XCTAssertTrue((error as? SQLiteError)?.isInterrupt ?? false, "\(error)")
        }
        let counted = try database.withDeadline(seconds: 5) { () throws -> Int64 in
            let statement = try database.prepare("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) SELECT count(*) FROM c")
            _ = try statement.step()
            return statement.int64(0)
        }
        XCTAssertEqual(counted, 100_000, "a query within its deadline runs to the end")
    }

    func testBadSQLErrorNamesTheSQLTheMessageAndTheOperation() throws {
        let db = try SQLiteDatabase(path: try makeWarehousePath(self))
        XCTAssertThrowsError(try db.prepare("SELEC nope FROM nowhere")) { error in
            guard let error = error as? SQLiteError else { return XCTFail("not a SQLiteError: \(error)") }
            XCTAssertEqual(error.code, SQLITE_ERROR)
            XCTAssertEqual(error.operation, "prepare")
            XCTAssertEqual(error.sql, "SELEC nope FROM nowhere")
            XCTAssertTrue(error.message.contains("syntax error"), error.message)
            XCTAssertTrue(error.description.contains("SELEC nope FROM nowhere"))
        }
    }

    func testExecuteNamesTheFailingStatementOfAScript() throws {
        let db = try SQLiteDatabase(path: try makeWarehousePath(self))
        XCTAssertThrowsError(try db.execute("CREATE TABLE a (x); INSERT INTO missing VALUES (1)")) { error in
            let error = error as! SQLiteError
            XCTAssertEqual(error.sql, "INSERT INTO missing VALUES (1)")
            XCTAssertTrue(error.message.contains("no such table"), error.message)
        }
    }

    func testConstraintViolationIsTypedAndNeverContainsBoundValues() throws {
        let db = try SQLiteDatabase(path: try makeWarehousePath(self))
        try db.execute("CREATE TABLE secrets (token TEXT PRIMARY KEY)")
        let insert = try db.prepare("INSERT INTO secrets (token) VALUES (?1)")
        try insert.bind("s3cr3t-value", at: 1)
        try insert.run()
        try insert.bind("s3cr3t-value", at: 1)
        XCTAssertThrowsError(try insert.run()) { error in
            let error = error as! SQLiteError
            XCTAssertTrue(error.isConstraintViolation)
            XCTAssertEqual(error.extendedCode, SQLITE_CONSTRAINT | (6 << 8))  // SQLITE_CONSTRAINT_PRIMARYKEY (a macro Swift does not import)
            XCTAssertEqual(error.operation, "step")
            XCTAssertFalse(error.description.contains("s3cr3t-value"))
        }
    }

    func testBindingAnOutOfRangeParameterIsABindError() throws {
        let db = try SQLiteDatabase(path: try makeWarehousePath(self))
        let statement = try db.prepare("SELECT ?1")
        XCTAssertThrowsError(try statement.bind(Int64(1), at: 5)) { error in
            XCTAssertEqual((error as? SQLiteError)?.code, SQLITE_RANGE)
            XCTAssertEqual((error as? SQLiteError)?.operation, "bind")
        }
    }

    func testOpeningAMissingFileReadOnlyFailsWithOpenError() throws {
        let dir = try makeTemporaryDirectory(self)
        var options = SQLiteDatabase.Options()
        options.readOnly = true
        XCTAssertThrowsError(try SQLiteDatabase(path: dir.appendingPathComponent("none.sqlite").path, options: options)) {
            XCTAssertEqual(($0 as? SQLiteError)?.operation, "open")
            XCTAssertEqual(($0 as? SQLiteError)?.code, SQLITE_CANTOPEN)
        }
    }

    func testConnectionUsesWALAndForeignKeys() throws {
        let db = try SQLiteDatabase(path: try makeWarehousePath(self))
        let mode = try db.prepare("PRAGMA journal_mode")
        XCTAssertTrue(try mode.step())
        XCTAssertEqual(mode.text(0), "wal")
        let keys = try db.prepare("PRAGMA foreign_keys")
        XCTAssertTrue(try keys.step())
        XCTAssertEqual(keys.int64(0), 1)
    }

    func testTheWarehouseConnectionSortsWithHelperThreads() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self))
        let threads = try warehouse.database.prepare("PRAGMA threads")
        XCTAssertTrue(try threads.step())
        XCTAssertEqual(Int(threads.int64(0)), min(4, ProcessInfo.processInfo.activeProcessorCount))
        let plain = try SQLiteDatabase(path: try makeWarehousePath(self))
        let none = try plain.prepare("PRAGMA threads")
        XCTAssertTrue(try none.step())
        XCTAssertEqual(none.int64(0), 0, "other connections keep SQLite's default")
    }

    func testTransactionRollsBackWhenTheBodyThrows() throws {
        struct Boom: Error {}
        let db = try SQLiteDatabase(path: try makeWarehousePath(self))
        try db.execute("CREATE TABLE t (x INTEGER)")
        XCTAssertThrowsError(try db.transaction {
            try db.execute("INSERT INTO t VALUES (1)")
            throw Boom()
        }) { XCTAssertTrue($0 is Boom) }
        XCTAssertTrue(db.isAutocommit)
        let count = try db.prepare("SELECT COUNT(*) FROM t")
        _ = try count.step()
        XCTAssertEqual(count.int64(0), 0)
        try db.transaction { try db.execute("INSERT INTO t VALUES (2)") }
        count.reset()
        _ = try count.step()
        XCTAssertEqual(count.int64(0), 1)
    }

    func testTextAndBlobRoundTripIncludingEmptyAndUnicode() throws {
        let db = try SQLiteDatabase(path: try makeWarehousePath(self))
        let statement = try db.prepare("SELECT ?1, ?2, ?3, ?4")
        try statement.bind("", at: 1)
        try statement.bind("Zürich — 東京", at: 2)
        try statement.bind(blob: [0, 1, 2, 255], at: 3)
        try statement.bindNull(at: 4)
        XCTAssertTrue(try statement.step())
        XCTAssertEqual(statement.text(0), "")
        XCTAssertEqual(statement.text(1), "Zürich — 東京")
        XCTAssertEqual(statement.blob(2), [0, 1, 2, 255])
        XCTAssertNil(statement.text(3))
        XCTAssertTrue(statement.isNull(3))
    }
}
