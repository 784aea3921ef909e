/// What syncing one table's chunk did.
public struct TableSyncResult: Sendable, Equatable {
    /// Records fetched.
    public var records = 0
    /// Pages fetched.
    public var pages = 0
    /// Warehouse effect.
    public var merge = MergeSummary()
    /// Records the mapping could not convert (kept in the raw zone), and the first reason.
    public var rejected = 0
    public var firstRejection: String?
    /// The newest cursor value seen (source text), or the delta link that ends the table.
    public var newWatermark: String?
    /// Fingerprints (`RowHash.ofKey`) of the canonical keys seen (only when the sync
    /// collects them, for full-sync deletes).
    public var seenKeys = Set<RowHash>()
    /// The chunk completed (every page fetched and committed).
    public var completed = false

    public init() {}
}
