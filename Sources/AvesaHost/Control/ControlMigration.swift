/// One step of the control database schema: applied once, in version order, inside a
/// transaction, and recorded in `schema_migrations`.
///
/// Rules: never edit or reorder a released migration; add a new one with the next version.
public struct ControlMigration: Sendable {
    /// The schema version this step produces (1, 2, …, contiguous).
    public let version: Int
    /// A short name recorded next to the version.
    public let name: String
    /// The DDL to run (no parameters).
    public let sql: String

    /// Creates a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}
