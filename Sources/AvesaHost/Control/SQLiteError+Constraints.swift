import CSQLite

extension SQLiteError {
    /// Whether the failure is a PRIMARY KEY violation (`SQLITE_CONSTRAINT_PRIMARYKEY`,
    /// a macro Swift does not import).
    var isPrimaryKeyViolation: Bool { extendedCode == SQLITE_CONSTRAINT | (6 << 8) }
}
