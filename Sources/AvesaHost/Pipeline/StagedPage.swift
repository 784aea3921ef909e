/// A page on its way from a chunk's fetch side to its commit side (`TableSync`): fetched,
/// mapped, and already durable in the raw zone; waiting to be merged and checkpointed.
struct StagedPage: Sendable {
    /// Records fetched on the page (mapped or not).
    var records: Int
    /// The mapped records, in page order (empty for a raw-only endpoint).
    var canonical: [CanonicalRecord] = []
    /// Key fingerprints of the mapped records, when the sync collects them.
    var seenKeys: [RowHash] = []
    /// Records the mapping rejected, and the first reason.
    var rejected = 0
    var firstRejection: String?
    /// The page's newest cursor value, if the endpoint has a cursor field.
    var newestCursor: CursorValue?
    /// Where the chunk goes after this page.
    var step: Paginator.Step

    /// A cursor value: its time (for comparing) and its source text (for the watermark).
    struct CursorValue: Sendable {
        var micros: Int64
        var text: String
    }
}
