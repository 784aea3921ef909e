extension TenantWarehouse {
    /// Merges one batch (typically one fetched page) into `table`, in one transaction.
    ///
    /// Per record: the key's state and the record go through `SCD2Transition`. A record
    /// identical to the current row (same `RowHash`) is decided from the in-memory index
    /// and writes nothing; only changes, deletes and new keys touch SQLite, through
    /// prepared statements that find rows by the key columns compared one by one.
    /// `_valid_from` is the record's `changedAt`, else its table's change-time column,
    /// else `loadTime`.
    ///
    /// Idempotent: merging the same batch again (at-least-once fetching) changes nothing
    /// when records carry a change time. Atomic: when anything throws, the transaction
    /// rolls back and the in-memory index is restored, so the warehouse is as before the
    /// batch.
    ///
    /// - Parameters:
    ///   - records: mapped records, `values` in the table's column order.
    ///   - table: a canonical table name.
    ///   - runID: stored in `_run_id` of every row written.
    ///   - loadTime: microseconds since the epoch; the fallback valid-from.
    /// - Throws: `WarehouseError.invalidRecord` before writing anything when a record does
    ///   not fit the table; `SQLiteError` from SQLite.
    @discardableResult
    public func merge(_ records: [CanonicalRecord], into table: String, runID: String, loadTime: Int64) throws
        -> MergeSummary
    {
        let writer = try preparedWriter(for: table, checking: records)
        if records.isEmpty { return MergeSummary() }
        let summary: MergeSummary
        do {
            summary = try database.transaction {
                let summary = try apply(records, with: writer, runID: runID, loadTime: loadTime)
                if summary.wroteAnything { try markChanged() }
                return summary
            }
        } catch {
            writer.index.rollback()
            throw error
        }
        writer.index.commit()
        noteCommitted(summary, into: table)
        return summary
    }

    /// The writer of `table`, its key index loaded, once every record of the batch fits the
    /// table (nothing is written before that).
    func preparedWriter(for table: String, checking records: [CanonicalRecord]) throws -> TableWriter {
        let writer = try writer(for: table)
        try records.withUnsafeBufferPointer { batch in
            for position in batch.indices { try validate(batch[position], at: position, writer: writer) }
        }
        try writer.loadIfNeeded()
        return writer
    }

    /// Applies every record of a batch inside the open transaction.
    func apply(_ records: [CanonicalRecord], with writer: TableWriter, runID: String, loadTime: Int64) throws -> MergeSummary {
        var summary = MergeSummary()
        try records.withUnsafeBufferPointer { batch in
            // Borrow records from the buffer: no per-record copy or retain.
            for position in batch.indices {
                try apply(batch[position], with: writer, runID: runID, loadTime: loadTime, summary: &summary)
                if let hook = afterRecordHook { try hook(position) }
            }
        }
        return summary
    }

    /// After a batch committed: counts its writes towards its table's bulk-load bar.
    func noteCommitted(_ summary: MergeSummary, into table: String) {
        if bulkLoad != nil, summary.wroteAnything { noteBulkWrites(summary.inserted + summary.updated + summary.deleted, into: table) }
    }

    /// The valid-from time of a record.
    @inline(__always)
    func changeTime(of record: CanonicalRecord, writer: TableWriter, loadTime: Int64) -> Int64 {
        if let changedAt = record.changedAt { return changedAt }
        if let column = writer.changeTimeIndex, case .timestamp(let time) = record.values[column] { return time }
        return loadTime
    }

    private func apply(_ record: CanonicalRecord, with writer: TableWriter, runID: String, loadTime: Int64,
                       summary: inout MergeSummary) throws {
        let key = writer.keyFingerprint(record.values)
        let entry = writer.index.entry(for: key)
        let at = changeTime(of: record, writer: writer, loadTime: loadTime)
        // A key the index does not hold is absent, unless the index is partial (its budget
        // ran out): then SQLite knows.
        let mayBeBeyondIndex = entry == nil && writer.index.isPartial

        let event: SCD2Transition.Event
        var hash = RowHash(high: 1, low: 0)
        if record.isDeleted {
            event = .delete(at: at)
            if entry?.isDeleted == true || (entry == nil && !mayBeBeyondIndex) {
                summary.unchanged += 1  // nothing current to delete
                return
            }
        } else {
            hash = RowHash.of(record)
            // Fast path: the mostly-unchanged pass never reaches SQLite.
            if let entry, entry.isCurrent(withHash: hash) {
                summary.unchanged += 1
                return
            }
            event = .upsert(hash: hash, at: at)
        }

        var rowID: Int64 = 0
        var changed: UInt64 = 0
        var closedHash: RowHash?
        let state: SCD2Transition.State
        if case .deleted(let closedAt)? = entry {
            state = .deleted(closedAt: closedAt)  // deleted keys are always held, exactly
        } else if entry == nil && !mayBeBeyondIndex {
            state = .absent
        } else if let row = try writer.currentRow(record.values) {
            rowID = row.rowID
            changed = row.changed
            closedHash = row.hash
            state = .current(hash: row.hash, validFrom: row.validFrom)
        } else if entry != nil {
            // The slot answers for another key (a fingerprint collision): SQLite's
            // column-by-column answer wins, and keys the index lacks go to SQLite from now on.
            writer.index.noteCollision()
            state = try writer.lastCloseTime(record.values).map { .deleted(closedAt: $0) } ?? .absent
        } else {
            state = .absent
        }

        // A key of a source without delete events was deleted by a full sync that missed it:
        // fetched after that close, the record is in the source, whatever its change time.
        switch SCD2Transition.decide(state, event, fetchedAt: record.sourceReportsDeletions ? nil : loadTime) {
        case .insert(let validFrom):
            try writer.insertRow(record, hash: hash, validFrom: validFrom, runID: runID)
            writer.index.set(.current(hash), for: key)
            summary.inserted += 1
        case .closeAndOpen(let time):
            try writer.changeInPlace(rowID, changed: changed, to: record, hash: hash, at: time, runID: runID)
            writer.index.set(.current(hash), for: key)
            summary.updated += 1
        case .correctInPlace:
            try writer.correctRow(rowID, with: record, hash: hash, runID: runID)
            writer.index.set(.current(hash), for: key)
            summary.updated += 1
        case .close(let time):
            try writer.closeRow(rowID, at: time)
            writer.index.set(.deleted(at: time), for: key, closing: closedHash)
            summary.deleted += 1
        case .unchanged, .alreadyAbsent:
            summary.unchanged += 1
        case .ignoreOutOfOrder:
            summary.ignoredOutOfOrder += 1
        }
    }

    /// Checks a record against its table before anything is written.
    private func validate(_ record: CanonicalRecord, at position: Int, writer: TableWriter) throws {
        func invalid(_ column: Int?, _ reason: String) -> WarehouseError {
            .invalidRecord(table: writer.table.name, index: position, column: column.map { writer.table.columns[$0].name },
                           reason: reason)
        }
        let types = writer.columnTypes
        guard record.values.count == types.count else {
            throw invalid(nil, "has \(record.values.count) values, the table has \(types.count) columns")
        }
        try record.values.withUnsafeBufferPointer { values in
            for column in 0..<values.count {
                switch values[column] {
                case .null:
                    if !writer.columnNullable[column] && (!record.isDeleted || writer.columnIsKey[column]) {
                        throw invalid(column, "null in a non-nullable column")
                    }
                case .decimal(let text):
                    guard types[column] == .decimal else { throw invalid(column, "value does not fit type \(types[column].rawValue)") }
                    guard CanonicalValue.isDecimalLiteral(text) else { throw invalid(column, "not a decimal literal") }
                case let value:
                    guard value.fits(types[column]) else {
                        throw invalid(column, "value does not fit type \(types[column].rawValue)")
                    }
                }
            }
        }
    }
}
