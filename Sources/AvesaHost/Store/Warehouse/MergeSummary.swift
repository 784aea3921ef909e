/// What one merge (or `closeMissing`) did, by outcome.
public struct MergeSummary: Sendable, Equatable, CustomStringConvertible {
    /// New current rows for keys never seen or seen deleted (reappearances included).
    public var inserted: Int = 0
    /// Current rows closed and replaced by a new version, or corrected in place.
    public var updated: Int = 0
    /// Records identical to the current row, and deletes of keys with no current row.
    public var unchanged: Int = 0
    /// Current rows closed by a delete or by `closeMissing`.
    public var deleted: Int = 0
    /// Records older than what is stored, which never reopen history.
    public var ignoredOutOfOrder: Int = 0

    /// An all-zero summary.
    public init() {}

    /// A summary with the given counts.
    public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0, deleted: Int = 0, ignoredOutOfOrder: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
        self.deleted = deleted
        self.ignoredOutOfOrder = ignoredOutOfOrder
    }

    /// Records looked at.
    public var total: Int { inserted + updated + unchanged + deleted + ignoredOutOfOrder }

    /// Whether anything was written.
    public var wroteAnything: Bool { inserted + updated + deleted > 0 }

    /// Adds another summary's counts to this one.
    public static func += (lhs: inout MergeSummary, rhs: MergeSummary) {
        lhs.inserted += rhs.inserted
        lhs.updated += rhs.updated
        lhs.unchanged += rhs.unchanged
        lhs.deleted += rhs.deleted
        lhs.ignoredOutOfOrder += rhs.ignoredOutOfOrder
    }

    /// `inserted=… updated=… unchanged=… deleted=… ignored_out_of_order=…`.
    public var description: String {
        "inserted=\(inserted) updated=\(updated) unchanged=\(unchanged) deleted=\(deleted) ignored_out_of_order=\(ignoredOutOfOrder)"
    }
}
