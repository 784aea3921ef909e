/// SQL generated from a validated `CanonicalTable`. Identifiers come only from validated
/// names (`[a-z][a-z0-9_]*`) and are double-quoted; no value is ever spliced in.
public enum WarehouseDDL {
    /// `"name"`; callers pass validated identifiers only.
    static func quote(_ identifier: String) -> String { "\"\(identifier)\"" }

    /// The bookkeeping columns every history table carries after its canonical columns.
    public static let bookkeepingColumns = [
        "source_service", "source_id", "_valid_from", "_valid_to", "_is_current", "_row_hash", "_run_id",
    ]

    /// `CREATE TABLE IF NOT EXISTS` for the table's history rows.
    public static func createTable(_ table: CanonicalTable) -> String {
        var lines = table.columns.map { column in
            "  \(quote(column.name)) \(column.type.sqlType)" + (column.nullable ? "" : " NOT NULL")
        }
        lines += [
            "  \"source_service\" TEXT NOT NULL",
            "  \"source_id\" TEXT NOT NULL",
            "  \"_valid_from\" INTEGER NOT NULL",
            "  \"_valid_to\" INTEGER",
            "  \"_is_current\" INTEGER NOT NULL CHECK (\"_is_current\" IN (0, 1))",
            "  \"_row_hash\" BLOB NOT NULL",
            "  \"_run_id\" TEXT NOT NULL",
            "  CHECK ((\"_is_current\" = 1) = (\"_valid_to\" IS NULL))",
        ]
        return "CREATE TABLE IF NOT EXISTS \(quote(table.name)) (\n" + lines.joined(separator: ",\n") + "\n)"
    }

    /// The partial unique index that makes "one current row per key" a constraint and
    /// serves current-row lookups by key.
    public static func createCurrentKeyIndex(_ table: CanonicalTable) -> String {
        "CREATE UNIQUE INDEX IF NOT EXISTS \(quote("ux_\(table.name)_current")) ON \(quote(table.name)) ("
            + table.keyColumns.map(quote).joined(separator: ", ") + ") WHERE \"_is_current\" = 1"
    }

    /// The table's stored indexes: its analytics indexes and the key-history index.
    public static func createIndexes(_ table: CanonicalTable) -> [String] {
        table.storedIndexes.map { createIndex($0, of: table) }
    }

    /// `ix_<table>_<suffix>`.
    static func indexName(_ index: CanonicalIndex, of table: CanonicalTable) -> String {
        "ix_\(table.name)_\(index.suffix)"
    }

    /// `CREATE INDEX IF NOT EXISTS` of one analytics index.
    static func createIndex(_ index: CanonicalIndex, of table: CanonicalTable) -> String {
        "CREATE INDEX IF NOT EXISTS \(quote(indexName(index, of: table))) ON \(quote(table.name)) ("
            + index.columns.map(quote).joined(separator: ", ") + ")"
            + (index.currentOnly ? " WHERE \"_is_current\" = 1" : "")
    }

    /// A `CREATE … IF NOT EXISTS` statement of this type as `sqlite_master` keeps it (the
    /// clause dropped), for comparing a stored schema object with its definition.
    static func asStored(_ create: String) -> String {
        create.replacingOccurrences(of: " IF NOT EXISTS ", with: " ")
    }

    /// `DROP INDEX IF EXISTS` of one analytics index (bulk loads defer them).
    static func dropIndex(_ index: CanonicalIndex, of table: CanonicalTable) -> String {
        "DROP INDEX IF EXISTS \(quote(indexName(index, of: table)))"
    }

    /// The name of the view of current rows: `current_<table>`.
    public static func currentViewName(_ table: CanonicalTable) -> String { "current_\(table.name)" }

    /// `current_<table>`: the present state, canonical columns plus source and validity.
    /// Dropped and recreated whenever the schema is applied, so it follows added columns.
    public static func createCurrentView(_ table: CanonicalTable) -> [String] {
        let columns = table.columns.map { quote($0.name) }
            + ["\"source_service\"", "\"source_id\"", "\"_valid_from\"", "\"_run_id\""]
        return [
            "DROP VIEW IF EXISTS \(quote(currentViewName(table)))",
            "CREATE VIEW \(quote(currentViewName(table))) AS SELECT " + columns.joined(separator: ", ")
                + " FROM \(quote(table.name)) WHERE \"_is_current\" = 1",
        ]
    }

    /// `ALTER TABLE … ADD COLUMN` for a canonical column added after the table was created.
    static func addColumn(_ column: CanonicalColumn, to table: CanonicalTable) -> String {
        "ALTER TABLE \(quote(table.name)) ADD COLUMN \(quote(column.name)) \(column.type.sqlType)"
    }

    /// The one-row table whose `version` grows with every transaction that changes history
    /// rows, and whose `file_id` (16 random bytes, set when the file is created) tells this
    /// file from any other at the same path. Readers (the API's caches) compare both to
    /// know whether anything changed.
    public static let createVersionTable =
        "CREATE TABLE IF NOT EXISTS \"_warehouse_version\" (\"id\" INTEGER PRIMARY KEY CHECK (\"id\" = 1), "
        + "\"version\" INTEGER NOT NULL, \"file_id\" BLOB NOT NULL); "
        + "INSERT OR IGNORE INTO \"_warehouse_version\" VALUES (1, 0, randomblob(16))"

    /// Marks a change; run inside the transaction that made it.
    public static let bumpVersion = "UPDATE \"_warehouse_version\" SET \"version\" = \"version\" + 1 WHERE \"id\" = 1"

    /// Reads the version and the file id (absent in a warehouse never opened by this
    /// version's writer).
    public static let selectVersion = "SELECT \"version\", \"file_id\" FROM \"_warehouse_version\" WHERE \"id\" = 1"

    /// Everything for a new table, in order: table, current-key index, analytics indexes, view.
    public static func statements(for table: CanonicalTable) -> [String] {
        [createTable(table), createCurrentKeyIndex(table)] + createIndexes(table) + createCurrentView(table)
    }
}
