/// Splits a table's time range into chunks of about `targetRecords` records each, so a
/// chunk is minutes of work, not hours, and chunks can run in parallel. Pure arithmetic:
/// with a record count (from the service's count endpoint) the range is cut into equal
/// time slices; without one, or when it is small, the range stays one chunk.
public struct ChunkPlanner: Sendable, Equatable {
    /// Records aimed at per chunk.
    public var targetRecords: Int
    /// Most chunks one table is split into.
    public var maxChunks: Int

    /// A planner; defaults aim at 50,000 records and at most 16 chunks per table.
    public init(targetRecords: Int = 50_000, maxChunks: Int = 16) {
        self.targetRecords = max(1, targetRecords)
        self.maxChunks = max(1, maxChunks)
    }

    /// A half-open time range `[since, until)` in microseconds.
    public struct Range: Sendable, Equatable {
        public let since: Int64
        public let until: Int64
    }

    /// The chunks of `[since, until)` given `count` records in it (nil when unknown).
    public func plan(since: Int64, until: Int64, count: Int?) -> [Range] {
        guard until > since, let count, count > targetRecords else { return [Range(since: since, until: until)] }
        let pieces = min(maxChunks, (count + targetRecords - 1) / targetRecords)
        let width = (until - since) / Int64(pieces)
        guard width > 1_000_000 else { return [Range(since: since, until: until)] }  // never slices under a second
        return (0..<pieces).map { index in
            let start = since + Int64(index) * width
            return Range(since: start, until: index == pieces - 1 ? until : start + width)
        }
    }
}
