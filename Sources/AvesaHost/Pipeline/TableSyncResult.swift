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
    public var seenKeys = SeenKeySet()
    /// The chunk completed (every page fetched and committed).
    public var completed = false
    /// Where to continue when the chunk stopped at its time budget (not completed).
    public var resumeAt: PagePosition?
    /// The last checkpoint was the chunk's end (`next == nil`, after its last page
    /// committed), so the caller's checkpoint already knew the chunk was complete.
    public var checkpointedEnd = false

    /// Adds a later slice of the same chunk: counts add up, the newest watermark wins.
    mutating func absorb(_ later: TableSyncResult, format: TimeFormat) {
        records += later.records
        pages += later.pages
        merge += later.merge
        rejected += later.rejected
        if firstRejection == nil { firstRejection = later.firstRejection }
        seenKeys.formUnion(later.seenKeys)
        newWatermark = PipelineRunner.newest([newWatermark, later.newWatermark].compactMap { $0 }, format: format)
        completed = later.completed
        resumeAt = later.resumeAt
        checkpointedEnd = later.checkpointedEnd
    }

    public init() {}
}
