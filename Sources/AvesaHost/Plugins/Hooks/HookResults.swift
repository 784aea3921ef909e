/// What `parse_page` returned, copied out of plugin memory.
public struct HookPage: Sendable, Equatable {
    /// The records, one JSON object per line.
    public let ndjson: [UInt8]
    /// The record count the plugin reported.
    public let recordCount: Int
    /// The next page's URL or token; nil on the last page.
    public let nextToken: String?
    /// A new watermark on the last page, else nil.
    public let watermark: String?
}

/// One chunk of a plan from `plan_chunks` (bounds in the endpoint's cursor format).
public struct HookChunk: Sendable, Equatable {
    /// Inclusive lower bound, nil when open.
    public let since: String?
    /// Exclusive upper bound, nil when open.
    public let until: String?

    /// Creates a chunk.
    public init(since: String?, until: String?) {
        self.since = since
        self.until = until
    }
}
