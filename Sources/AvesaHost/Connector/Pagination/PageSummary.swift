/// What the paginator needs to know about a fetched page, read once from its body and
/// headers.
public struct PageSummary: Sendable, Equatable {
    /// Records on the page.
    public var recordCount: Int
    /// The value at the manifest's next pointer (next URL or cursor token).
    public var nextValue: String?
    /// The value at the done pointer (true on the last page).
    public var done: Bool?
    /// The value at the delta pointer (the new watermark on a delta query's last page).
    public var deltaLink: String?
    /// The `rel="next"` target of the Link header.
    public var linkNext: String?
    /// The total from the total header (e.g. X-Total-Count).
    public var total: Int?
    /// The primary key of the page's last record (keyset paging), as text.
    public var lastKey: String?

    /// Creates a summary.
    public init(recordCount: Int, nextValue: String? = nil, done: Bool? = nil, deltaLink: String? = nil,
                linkNext: String? = nil, total: Int? = nil, lastKey: String? = nil) {
        self.recordCount = recordCount
        self.nextValue = nextValue
        self.done = done
        self.deltaLink = deltaLink
        self.linkNext = linkNext
        self.total = total
        self.lastKey = lastKey
    }
}
