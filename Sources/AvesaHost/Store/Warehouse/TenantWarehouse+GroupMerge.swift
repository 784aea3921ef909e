extension TenantWarehouse {
    /// One batch of a group merge: what `merge(_:into:runID:loadTime:)` takes.
    public struct MergeBatch: Sendable {
        /// Mapped records, `values` in the table's column order.
        public let records: [CanonicalRecord]
        /// A canonical table name.
        public let table: String
        /// Stored in `_run_id` of every row written.
        public let runID: String
        /// Microseconds since the epoch; the fallback valid-from.
        public let loadTime: Int64

        /// A batch of `records` for `table`.
        public init(records: [CanonicalRecord], table: String, runID: String, loadTime: Int64) {
            self.records = records
            self.table = table
            self.runID = runID
            self.loadTime = loadTime
        }
    }

    /// Merges several batches (pages of a tenant's syncs that wait for the warehouse at the
    /// same time, of one table or several) in one transaction, so they share one commit and
    /// one fsync instead of one each (group commit). Batches are applied in order, exactly
    /// as separate `merge` calls in that order would apply them.
    ///
    /// Each batch keeps its own outcome: when anything fails, the group's transaction rolls
    /// back (with the in-memory key indexes) and every batch is merged again on its own, so
    /// a failing batch fails alone and the others commit.
    /// - Returns: one result per batch, in order.
    public func merge(group: [MergeBatch]) -> [Result<MergeSummary, any Error>] {
        guard group.count > 1 else { return group.map(mergeAlone) }
        var writersUsed: [TableWriter] = []
        let summaries: [MergeSummary]
        do {
            for batch in group { writersUsed.append(try preparedWriter(for: batch.table, checking: batch.records)) }
            summaries = try database.transaction {
                var summaries: [MergeSummary] = []
                for (batch, writer) in zip(group, writersUsed) {
                    summaries.append(try apply(batch.records, with: writer, runID: batch.runID, loadTime: batch.loadTime))
                }
                if summaries.contains(where: \.wroteAnything) { try markChanged() }
                return summaries
            }
        } catch {
            for writer in writersUsed { writer.index.rollback() }  // a second rollback of one writer is a no-op
            return group.map(mergeAlone)
        }
        for writer in writersUsed { writer.index.commit() }
        for (batch, summary) in zip(group, summaries) { noteCommitted(summary, into: batch.table) }
        return summaries.map { .success($0) }
    }

    /// `batch` merged in a transaction of its own.
    private func mergeAlone(_ batch: MergeBatch) -> Result<MergeSummary, any Error> {
        Result { try merge(batch.records, into: batch.table, runID: batch.runID, loadTime: batch.loadTime) }
    }
}
