/// A slice of one table's sync (a time range), the unit of parallel, resumable work.
public struct Chunk: Sendable, Equatable {
    /// The row id, assigned by `ControlStore.createChunk`.
    public let id: Int64
    /// The run that planned it.
    public let runID: Int64
    /// The tenant synced.
    public let tenant: TenantID
    /// The service synced.
    public let service: String
    /// The endpoint (table) name.
    public let table: String
    /// Range start (inclusive, cursor text), `nil` for open.
    public let since: String?
    /// Range end (exclusive, cursor text), `nil` for open.
    public let until: String?
    /// Where the chunk stands.
    public var status: RunStatus
    /// Where a restarted chunk continues (next-page token or last cursor), `nil` from the start.
    public var resumeCursor: String?
    /// Records fetched so far.
    public var records: Int64
    /// The error message when failed.
    public var error: String?
    /// Last change (`ControlClock` text).
    public var updatedAt: String
}
