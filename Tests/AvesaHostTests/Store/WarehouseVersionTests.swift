import XCTest
@testable import AvesaHost

/// `_warehouse_version` advances with every transaction that changes history rows, and only
/// then, so readers can cache results per version.
final class WarehouseVersionTests: XCTestCase {
    private func version(_ warehouse: TenantWarehouse) throws -> Int64 {
        let statement = try warehouse.database.prepare(WarehouseDDL.selectVersion)
        XCTAssertTrue(try statement.step())
        return statement.int64(0)
    }

    func testChangesAdvanceTheVersionAndNoOpsDoNot() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self), tables: [itemsTable])
        XCTAssertEqual(try version(warehouse), 0)
        try warehouse.merge([item("cw:1", "Open", at: 10), item("cw:2", "Open", at: 10)], into: "items", runID: "r1", loadTime: 1)
        XCTAssertEqual(try version(warehouse), 1, "one transaction, one step")
        try warehouse.merge([item("cw:1", "Open", at: 10)], into: "items", runID: "r2", loadTime: 2)
        XCTAssertEqual(try version(warehouse), 1, "an unchanged record is not a change")
        try warehouse.merge([item("cw:1", "Closed", at: 20)], into: "items", runID: "r3", loadTime: 3)
        XCTAssertEqual(try version(warehouse), 2)
        try warehouse.merge([item("cw:1", "Stale", at: 5)], into: "items", runID: "r4", loadTime: 4)
        XCTAssertEqual(try version(warehouse), 2, "an out-of-order update writes nothing")
        try warehouse.closeMissing(table: "items", service: "connectwise", seenKeys: [CanonicalKey([.string("cw:1")])], at: 30)
        XCTAssertEqual(try version(warehouse), 3, "closing cw:2")
        try warehouse.closeMissing(table: "items", service: "connectwise", seenKeys: [CanonicalKey([.string("cw:1")])], at: 40)
        XCTAssertEqual(try version(warehouse), 3)
    }

    func testAFailedBatchLeavesTheVersionAsItWas() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self), tables: [itemsTable])
        try warehouse.merge([item("cw:1", "Open", at: 10)], into: "items", runID: "r1", loadTime: 1)
        struct Crash: Error {}
        warehouse.afterRecordHook = { position in if position == 1 { throw Crash() } }
        XCTAssertThrowsError(try warehouse.merge([item("cw:2", "Open", at: 10), item("cw:3", "Open", at: 10)],
                                                 into: "items", runID: "r2", loadTime: 2))
        XCTAssertEqual(try version(warehouse), 1)
    }

    func testAVersionTableWithoutAFileIDIsReplacedOnOpen() throws {
        let path = try makeWarehousePath(self)
        do {
            let old = try TenantWarehouse(path: path, tables: [itemsTable])
            try old.database.execute("""
                DROP TABLE "_warehouse_version";
                CREATE TABLE "_warehouse_version" ("id" INTEGER PRIMARY KEY CHECK ("id" = 1), "version" INTEGER NOT NULL);
                INSERT INTO "_warehouse_version" VALUES (1, 7);
                """)
        }
        let reopened = try TenantWarehouse(path: path, tables: [itemsTable])
        let statement = try reopened.database.prepare(WarehouseDDL.selectVersion)
        XCTAssertTrue(try statement.step())
        XCTAssertEqual(statement.blob(1)?.count, 16, "a fresh random file id")
        let again = try TenantWarehouse(path: path, tables: [itemsTable])
        let second = try again.database.prepare(WarehouseDDL.selectVersion)
        XCTAssertTrue(try second.step())
        XCTAssertEqual(second.blob(1), statement.blob(1), "kept once present")
    }
}
