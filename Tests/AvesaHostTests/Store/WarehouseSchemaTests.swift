import XCTest
@testable import AvesaHost

final class WarehouseSchemaTests: XCTestCase {
    func testOpeningCreatesTablesCurrentViewsAndIndexes() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self))
        let db = warehouse.database
        XCTAssertEqual(try schemaNames(db, type: "table"), ["_warehouse_version", "companies", "contacts", "tickets", "time_entries"])
        XCTAssertEqual(try schemaNames(db, type: "view"),
                       ["current_companies", "current_contacts", "current_tickets", "current_time_entries"])
        let indexes = try schemaNames(db, type: "index")
        for expected in ["ux_tickets_current", "ix_tickets_status_created", "ix_tickets_current_created",
                         "ix_time_entries_ticket", "ix_time_entries_company_started", "ix_time_entries_started",
                         "ux_companies_current", "ux_contacts_current", "ux_time_entries_current"] {
            XCTAssertTrue(indexes.contains(expected), expected)
        }
    }

    func testReopeningBringsIndexesInLineWithTheDefinition() throws {
        let path = try makeWarehousePath(self)
        do {
            let old = try TenantWarehouse(path: path)
            // An older release's layout: the same name with other columns, and an index since removed.
            try old.database.execute("""
                DROP INDEX "ix_tickets_current_created";
                CREATE INDEX "ix_tickets_current_created" ON "tickets" ("created_at", "company_id") WHERE "_is_current" = 1;
                CREATE INDEX "ix_tickets_created" ON "tickets" ("created_at", "id");
                """)
        }
        let reopened = try TenantWarehouse(path: path)
        let query = try reopened.database.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tickets' AND name LIKE 'ix%'")
        var indexes: [String: String] = [:]
        while try query.step() { indexes[query.text(0) ?? ""] = query.text(1) ?? "" }
        XCTAssertNil(indexes["ix_tickets_created"], "no longer in the definition: dropped")
        XCTAssertEqual(indexes["ix_tickets_current_created"],
                       #"CREATE INDEX "ix_tickets_current_created" ON "tickets" ("created_at", "id", "company_id") WHERE "_is_current" = 1"#)
        XCTAssertEqual(Set(indexes.keys), Set(CanonicalTable.tickets.storedIndexes.map { "ix_tickets_\($0.suffix)" }))
    }

    func testReopeningAnUpToDateWarehouseChangesNoSchemaAndAMissingIndexIsBuiltAgain() throws {
        let path = try makeWarehousePath(self)
        func schemaVersion(_ warehouse: TenantWarehouse) throws -> Int64 {
            let query = try warehouse.database.prepare("PRAGMA schema_version")
            XCTAssertTrue(try query.step())
            return query.int64(0)
        }
        let first = try schemaVersion(TenantWarehouse(path: path))
        let again = try TenantWarehouse(path: path)
        XCTAssertEqual(try schemaVersion(again), first, "nothing rewritten: readers keep their prepared statements")
        // A run killed during a bulk load leaves a deferred index missing: the next open builds it.
        try again.database.execute(#"DROP INDEX "ix_tickets_company""#)
        let afterDrop = try schemaVersion(again)
        let repaired = try TenantWarehouse(path: path)
        XCTAssertGreaterThan(try schemaVersion(repaired), afterDrop)
        XCTAssertTrue(try schemaNames(repaired.database, type: "index", table: "tickets").contains("ix_tickets_company"))
        // And a view someone changed is put back.
        try repaired.database.execute(#"DROP VIEW "current_contacts"; CREATE VIEW "current_contacts" AS SELECT 1 AS "x""#)
        let restored = try TenantWarehouse(path: path)
        let view = try restored.database.prepare(#"SELECT sql FROM sqlite_master WHERE name = 'current_contacts'"#)
        XCTAssertTrue(try view.step())
        XCTAssertEqual(view.text(0), WarehouseDDL.createCurrentView(.contacts).last)
    }

    func testEveryCommitIsDurableBeforeTheCallerMovesOn() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self))
        let mode = try warehouse.database.prepare("PRAGMA journal_mode")
        XCTAssertTrue(try mode.step())
        XCTAssertEqual(mode.text(0), "wal")
        let synchronous = try warehouse.database.prepare("PRAGMA synchronous")
        XCTAssertTrue(try synchronous.step())
        XCTAssertEqual(synchronous.int64(0), 2, "FULL: the WAL is fsynced at each commit, before a resume cursor moves past it")
    }

    func testGeneratedDDLHasBookkeepingColumnsAndPartialUniqueCurrentIndex() {
        let ddl = WarehouseDDL.createTable(CanonicalTable.timeEntries)
        for column in ["\"hours\" TEXT", "\"billable\" INTEGER", "\"id\" TEXT NOT NULL", "\"_valid_to\" INTEGER",
                       "\"_row_hash\" BLOB NOT NULL", "\"source_service\" TEXT NOT NULL"] {
            XCTAssertTrue(ddl.contains(column), column)
        }
        XCTAssertEqual(WarehouseDDL.createCurrentKeyIndex(CanonicalTable.tickets),
                       "CREATE UNIQUE INDEX IF NOT EXISTS \"ux_tickets_current\" ON \"tickets\" (\"id\") WHERE \"_is_current\" = 1")
    }

    func testCurrentRowQueryByKeyUsesThePartialIndex() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self))
        let plan = try warehouse.database.prepare(
            "EXPLAIN QUERY PLAN SELECT rowid FROM \"tickets\" WHERE \"id\" = ?1 AND \"_is_current\" = 1")
        var detail = ""
        while try plan.step() { detail += (plan.text(3) ?? "") + "\n" }
        XCTAssertTrue(detail.contains("ux_tickets_current"), detail)
    }

    /// The API's history and `as_of` detail queries (`EntityRoutes.historyQuery`,
    /// `detailQuery`) read one key's versions through the key-history index instead of
    /// scanning every row of the table.
    func testAKeysHistoryAndItsStateAsOfATimeAreReadThroughTheKeyHistoryIndex() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self))
        for entity in EntityDefinition.all {
            for query in [EntityRoutes.historyQuery(entity, id: "cw:1", asOf: nil), EntityRoutes.historyQuery(entity, id: "cw:1", asOf: 5),
                          EntityRoutes.detailQuery(entity, id: "cw:1", asOf: 5)] {
                var plan = query
                plan.sql = "EXPLAIN QUERY PLAN " + query.sql
                let statement = try plan.prepare(warehouse.database)
                var detail = ""
                while try statement.step() { detail += (statement.text(3) ?? "") + "\n" }
                XCTAssertTrue(detail.contains("ix_\(entity.table.name)_key_history"), "\(query.sql): \(detail)")
                XCTAssertFalse(detail.contains("SCAN") || detail.contains("TEMP B-TREE"), "\(query.sql): \(detail)")
            }
        }
    }

    func testAnIndexMayNotTakeTheKeyHistoryIndexsName() throws {
        var table = itemsTable
        table.indexes = [CanonicalIndex(suffix: CanonicalTable.keyHistoryIndexSuffix, columns: ["status"])]
        XCTAssertThrowsError(try TenantWarehouse(path: try makeWarehousePath(self), tables: [table])) {
            XCTAssertTrue("\($0)".contains("reserved"), "\($0)")
        }
    }

    func testOneCurrentRowPerKeyIsAConstraint() throws {
        let warehouse = try TenantWarehouse(path: try makeWarehousePath(self), tables: [itemsTable])
        let insert = "INSERT INTO items (id, source_service, source_id, _valid_from, _is_current, _row_hash, _run_id) "
            + "VALUES ('k', 's', '1', 0, 1, x'01', 'r')"
        try warehouse.database.execute(insert)
        XCTAssertThrowsError(try warehouse.database.execute(insert)) {
            XCTAssertTrue(($0 as? SQLiteError)?.isConstraintViolation ?? false)
        }
    }

    func testInvalidIdentifiersAreRefusedBeforeAnySQL() throws {
        let path = try makeWarehousePath(self)
        let bad = [
            CanonicalTable(name: "x\"; DROP TABLE y; --", columns: itemsTable.columns, keyColumns: ["id"]),
            CanonicalTable(name: "items", columns: itemsTable.columns + [CanonicalColumn(name: "_valid_to", type: .integer)],
                           keyColumns: ["id"]),
            CanonicalTable(name: "items", columns: itemsTable.columns, keyColumns: ["missing"]),
            CanonicalTable(name: "items", columns: itemsTable.columns, keyColumns: ["status"]),
            CanonicalTable(name: "items", columns: itemsTable.columns, keyColumns: ["id"], changeTimeColumn: "status"),
        ]
        for table in bad {
            XCTAssertThrowsError(try TenantWarehouse(path: path, tables: [table])) {
                XCTAssertTrue($0 is CanonicalSchemaError, "\($0)")
            }
        }
    }

    func testAddingANullableColumnExtendsTheTableAndTheView() throws {
        let path = try makeWarehousePath(self)
        do {
            let warehouse = try TenantWarehouse(path: path, tables: [itemsTable])
            try warehouse.merge([item("cw:1", "Open", at: 10)], into: "items", runID: "r1", loadTime: 100)
        }
        var extended = itemsTable
        extended.columns.append(CanonicalColumn(name: "priority", type: .string))
        let warehouse = try TenantWarehouse(path: path, tables: [extended])
        let query = try warehouse.database.prepare("SELECT id, priority FROM current_items")
        XCTAssertTrue(try query.step())
        XCTAssertEqual(query.text(0), "cw:1")
        XCTAssertTrue(query.isNull(1))

        var required = itemsTable
        required.columns.append(CanonicalColumn(name: "owner", type: .string, nullable: false))
        XCTAssertThrowsError(try TenantWarehouse(path: path, tables: [required])) {
            guard case .schemaMismatch(let table, _)? = $0 as? WarehouseError else { return XCTFail("\($0)") }
            XCTAssertEqual(table, "items")
        }
    }

    /// A column whose type changed, or a changed key, is a mismatch to rebuild from the raw
    /// zone, not a table to patch: decimals stored as text would read back as integers, and
    /// the old unique index would keep the old key.
    func testAChangedColumnTypeOrKeyIsRefusedAsAMismatch() throws {
        let path = try makeWarehousePath(self)
        _ = try TenantWarehouse(path: path, tables: [itemsTable])
        var retyped = itemsTable
        let status = try XCTUnwrap(retyped.columnIndex("status"))
        retyped.columns[status] = CanonicalColumn(name: "status", type: .integer)
        XCTAssertThrowsError(try TenantWarehouse(path: path, tables: [retyped])) {
            guard case .schemaMismatch(let table, let reason)? = $0 as? WarehouseError else { return XCTFail("\($0)") }
            XCTAssertEqual(table, "items")
            XCTAssertTrue(reason.contains("column 'status' is stored as TEXT") && reason.contains("retransform"), reason)
        }
        var rekeyed = itemsTable
        rekeyed.columns[status] = CanonicalColumn(name: "status", type: .string, nullable: false)
        rekeyed.keyColumns = ["id", "status"]
        XCTAssertThrowsError(try TenantWarehouse(path: path, tables: [rekeyed])) {
            guard case .schemaMismatch(_, let reason)? = $0 as? WarehouseError else { return XCTFail("\($0)") }
            XCTAssertTrue(reason.contains("its key is now (id, status)"), reason)
        }
        XCTAssertNoThrow(try TenantWarehouse(path: path, tables: [itemsTable]), "the stored schema still opens")
    }

    func testDefaultTablesValidate() throws {
        for table in CanonicalTable.defaultTables { try table.validate() }
        XCTAssertEqual(CanonicalTable.tickets.columns.map(\.name), [
            "id", "company_id", "contact_id", "summary", "status", "status_category", "priority", "board", "type",
            "assigned_to", "created_at", "updated_at", "resolved_at", "closed_at",
        ])
    }
}
