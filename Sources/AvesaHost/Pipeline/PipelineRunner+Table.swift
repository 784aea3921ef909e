import Foundation

extension PipelineRunner {
    /// A chunk to run and where to start it.
    struct ChunkAttempt: Sendable {
        let chunk: Chunk
        let start: PagePosition
    }

    /// The chunks of one table in this run, and whether they cover its whole history
    /// from the first page (only then may rows it no longer saw be closed as deleted).
    struct TablePlan: Sendable {
        let attempts: [ChunkAttempt]
        let coversWholeHistory: Bool
        /// Records an incremental range holds, when the service was asked (large tables only).
        var expectedRecords: Int? = nil
        /// When the plan was made (microseconds): a whole-history sync closes the rows it did
        /// not see at this time, the moment its snapshot of the source was taken.
        var snapshotMicros = Int64(Date().timeIntervalSince1970 * 1e6)
    }

    /// Syncs one table: resumes the unfinished chunks of an earlier run, or plans new ones
    /// from the watermark (minus the look-back) — several in parallel when the endpoint
    /// filters by range and its count says the range is large. The watermark advances
    /// only when every chunk committed. An expired delta link (410 Gone) restarts the
    /// table as a full sync.
    func syncTable(_ job: TableJob, connection: ServiceConnection, storage: TenantStorage, runID: Int64,
                   rawRunID: RunID, limiter: AsyncLimiter? = nil) async -> RunTableRecord {
        let tenant = job.tenant, service = job.service.service, endpoint = job.endpoint
        var record = RunTableRecord(runID: runID, tenant: tenant, service: service, table: endpoint.name, status: .running)
        let plan = endpoint.canonicalTable == nil ? nil : mappings.plan(service: service, source: endpoint.name)
        let before = connection.client.metrics.snapshot
        var newWatermark: String?  // saved with the table's outcome
        var neverSynced = false
        var resumed = false
        var leavesAGap = false  // the range read starts after the stored watermark
        do {
            let full = options.full, backfill = options.backfill != nil
            let (stored, unfinished, resumedRunStart) = try await control.run { store in
                var unfinished = backfill ? [] : try store.unfinishedChunks(tenant: tenant, service: service, table: endpoint.name)
                if full && !unfinished.isEmpty {
                    // A full sync reads everything again and closes what it did not see;
                    // resuming a killed run's chunks instead would do neither.
                    try store.supersedeChunks(unfinished.map(\.id), note: "superseded by the full sync of run \(runID)")
                    unfinished = []
                }
                let resumedRunStart = try unfinished.map(\.runID).min().flatMap { (id) throws(ControlError) in try store.runStartedAt(id) }
                return (try store.watermark(tenant: tenant, service: service, table: endpoint.name), unfinished,
                        resumedRunStart.map { Int64($0.timeIntervalSince1970 * 1e6) })
            }
            let watermark = full || backfill ? nil : stored
            resumed = !unfinished.isEmpty
            // A backfill of a table never synced must not give it a watermark: its first
            // regular run would then start there and never load what is older than the range.
            neverSynced = stored == nil
            // A large table's incremental range is counted first: a run that rewrites a large
            // share of it writes faster without its analytics indexes (rebuilt at the end).
            var storedRows = 0
            if let plan, unfinished.isEmpty, watermark != nil { storedRows = try await storage.rowCountUpperBound(plan.table.name) }
            let probeCount = storedRows >= options.incrementalCountProbeRows
            var tablePlan = unfinished.isEmpty
                ? try await planChunks(job, connection: connection, runID: runID, watermark: watermark, countIncremental: probeCount)
                : try await resume(job, chunks: unfinished)
            if let plan, let expected = tablePlan.expectedRecords {
                try await announce(expected, of: job, into: plan.table.name, storedRows: storedRows, storage: storage, rawRunID: rawRunID)
            }
            // A whole history loaded into a table that held no rows when the run began leaves
            // nothing unseen to close: every row of it came from this run. Skipping the key
            // collection saves 16 bytes a key and the close pass of a first load.
            let emptyAtStart: Bool
            if let plan { emptyAtStart = try await storage.wasEmptyAtStart(plan.table.name) } else { emptyAtStart = false }
            var closesMissing = tablePlan.coversWholeHistory && !emptyAtStart
            var results: [TableSyncResult]
            do {
                results = try await runChunks(tablePlan, job: job, plan: plan, connection: connection, storage: storage, rawRunID: rawRunID,
                                              collectKeys: closesMissing, limiter: limiter)
            } catch ConnectorError.httpStatus(410, _, _) where endpoint.pagination.kind == .deltaLink {
                log(LogEvent(.warning, "delta link expired (410 Gone); resyncing the whole table", run: rawRunID.value,
                             tenant: tenant.rawValue, service: service, table: endpoint.name))
                // The expired round's chunks are never to be resumed: the resync replaces them.
                let expired = tablePlan.attempts.map(\.chunk.id)
                try await control.run { try $0.supersedeChunks(expired, note: "superseded by a full resync after 410 Gone (run \(runID))") }
                tablePlan = try await planChunks(job, connection: connection, runID: runID, watermark: nil)
                closesMissing = tablePlan.coversWholeHistory  // rows of the failed attempt may be gone now
                results = try await runChunks(tablePlan, job: job, plan: plan, connection: connection, storage: storage, rawRunID: rawRunID,
                                              collectKeys: closesMissing, limiter: limiter)
            }
            if closesMissing, plan != nil, tablePlan.attempts.contains(where: { $0.chunk.until != nil }) {
                let held = results.reduce(0) { $0 + $1.seenKeys.inMemoryCount }
                results += try await catchUp(after: tablePlan.snapshotMicros, job: job, plan: plan, connection: connection,
                                             storage: storage, runID: runID, rawRunID: rawRunID, limiter: limiter,
                                             keyMemory: max(1, options.seenKeyMemoryLimit - held))
            }
            if closesMissing, let plan {
                var keys = results.count == 1 ? results[0].seenKeys : SeenKeySet(memoryLimit: options.seenKeyMemoryLimit)
                if results.count > 1 { for result in results { keys.formUnion(result.seenKeys) } }
                results = results.map { var result = $0; result.seenKeys = SeenKeySet(); return result }  // one copy of the keys, not two
                keys.seal()  // in place: `keys` holds the only reference now
                let rejected = results.reduce(0) { $0 + $1.rejected }
                if rejected > 0 {
                    // A record that could not be mapped left no key: its row would be closed
                    // as if the source had deleted it.
                    await storage.discardSpills(of: keys)
                    log(LogEvent(.warning, "\(rejected) records could not be mapped, so rows missing from this full sync are not closed",
                                 run: rawRunID.value, tenant: tenant.rawValue, service: service, table: endpoint.name))
                } else {
                    try await closeUnseenRows(of: job, in: plan.table.name, seen: keys, at: tablePlan.snapshotMicros, storage: storage,
                                              rawRunID: rawRunID)
                }
            }
            leavesAGap = Self.startsAfter(stored, tablePlan.attempts.map(\.chunk.since), format: endpoint.cursorFormat)
            newWatermark = Self.newest(results.compactMap(\.newWatermark), format: endpoint.cursorFormat)
                .flatMap { Self.capped($0, at: unfinished.isEmpty ? tablePlan.snapshotMicros : resumedRunStart, format: endpoint.cursorFormat) }
                .map { Self.storable($0, baseURL: connection.query.baseURL) }
            let records = results.reduce(0) { $0 + $1.records }, pages = results.reduce(0) { $0 + $1.pages }
            let rejected = results.reduce(0) { $0 + $1.rejected }
            record.status = .done
            record.records = Int64(records)
            record.pages = Int64(pages)
            if rejected > 0 {
                let first = results.compactMap(\.firstRejection).first ?? ""
                record.error = "\(rejected) records could not be mapped (kept in the raw zone); first: \(first)"
            }
            var merge = MergeSummary()
            for result in results { merge += result.merge }
            log(LogEvent("\(records) records, \(pages) pages in \(tablePlan.attempts.count) chunk(s), \(merge)", run: rawRunID.value,
                         tenant: tenant.rawValue, service: service, table: endpoint.name))
        } catch {
            record.status = .failed
            record.error = connection.scrubbed("\(error)")
            log(LogEvent(.error, "failed: \(record.error ?? "")", run: rawRunID.value, tenant: tenant.rawValue, service: service, table: endpoint.name))
        }
        // Counters of the (tenant, service) client while this table ran; tables of one
        // service that run at the same time share them.
        let after = connection.client.metrics.snapshot
        record.requests = Int64(after.requests - before.requests)
        record.retries = Int64(after.retries - before.retries)
        record.throttles = Int64(after.throttles - before.throttles)
        record.finishedAt = ControlClock.timestamp()
        // Nor may a killed backfill's chunks, resumed by a later run, nor any resumed chunks of
        // a table never synced: they may not cover its whole history (at worst, the next run
        // reads the whole table once more).
        // And a range that starts after the stored watermark (a backfill of a later period, or
        // its chunks resumed by a regular run) would leave what lies between unread for good.
        let keepsNoWatermark = (neverSynced && (options.backfill != nil || resumed)) || leavesAGap
        let finished = record, watermark = record.status == .done && !keepsNoWatermark ? newWatermark : nil, format = endpoint.cursorFormat
        do {
            try await control.run { store in
                try store.finishTable(finished, advancingWatermarkTo: watermark) { Self.isNewer($0, than: $1, format: format) }
            }
        } catch {
            // A table that synced fails now (its watermark did not move); one that failed keeps its cause.
            let message = "saving the table's outcome and watermark failed: \(error)"
            record.error = record.status == .done ? message : (record.error ?? "") + "; then " + message
            record.status = .failed
            log(LogEvent(.error, "failed: \(message)", run: rawRunID.value, tenant: tenant.rawValue, service: service, table: endpoint.name))
            let failed = record
            _ = try? await control.run { try $0.recordRunTable(failed) }
        }
        progress.finishTable(failed: record.status == .failed)
        return record
    }

    /// Announces an incremental range's record count to the warehouse, which drops the
    /// table's analytics indexes before the writes when they are a large share of it. A
    /// count as large as everything stored is not an incremental range's (a count that
    /// ignores the range): announcing it would rebuild the indexes every run.
    private func announce(_ expected: Int, of job: TableJob, into table: String, storedRows: Int, storage: TenantStorage,
                          rawRunID: RunID) async throws {
        guard expected < storedRows, try await storage.expectWrites(expected, into: table) else { return }
        log(LogEvent("\(expected) records to write: the analytics indexes of \(table) are deferred until its syncs end",
                     run: rawRunID.value, tenant: job.tenant.rawValue, service: job.service.service, table: job.endpoint.name))
    }

    /// After a completed full sync: closes at `snapshot` (when the sync was planned) the
    /// current rows of the service that `seen` (sealed) does not hold, then removes the keys
    /// `seen` spilled to disk (whatever the outcome). Not at the end of the sync: a record
    /// the source changed meanwhile and the sync missed (its old range was read after the
    /// change, its new one before; `catchUp` reads it, unless it changed again after that)
    /// comes back in the next run with a change time after the snapshot, which reopens its
    /// key; closed at the end, that change would be older than the deletion and ignored for good.
    /// The rows closed are then written to the raw zone (`RawZoneCloses`), so `retransform`
    /// replays the deletions with the pages.
    private func closeUnseenRows(of job: TableJob, in table: String, seen: SeenKeySet, at snapshot: Int64,
                                 storage: TenantStorage, rawRunID: RunID) async throws {
        let service = job.service.service
        let closing: Result<(MergeSummary, [[CanonicalValue]]), any Error>
        do {
            closing = .success(try await storage.withWarehouse {
                var keys: [[CanonicalValue]] = []
                let summary = try $0.closeMissing(table: table, service: service, seenKeyFingerprints: seen, at: snapshot) { keys.append($0) }
                return (summary, keys)
            })
        } catch {
            closing = .failure(error)
        }
        await storage.discardSpills(of: seen)
        let (closed, keys) = try closing.get()
        if !keys.isEmpty {
            let path = try layout.rawDirectory(tenant: job.tenant.rawValue, service: service, table: job.endpoint.name)
                + "/" + RawZoneCloses.fileName(run: rawRunID)
            let (records, body) = RawZoneCloses.encode(keys, at: snapshot)
            try await storage.appendRaw(path: path, records: records, of: body)
            await storage.closeRaw(path: path)
        }
        if closed.deleted > 0 {
            log(LogEvent("closed \(closed.deleted) rows no longer in the source", tenant: job.tenant.rawValue, service: service,
                         table: job.endpoint.name))
        }
    }

    /// A whole history read in bounded ranges can miss a record the source changed meanwhile:
    /// the change moves it out of a range not yet read into one already read. Before rows
    /// missing from the sync are closed, one more chunk reads what changed since the snapshot
    /// (less the look-back), so such a record is seen, not closed as deleted and reopened
    /// by the next run. A record cannot move out of that chunk's range: change times only grow.
    /// `keyMemory` is what the table's key memory limit leaves after the ranges' keys.
    private func catchUp(after snapshot: Int64, job: TableJob, plan: MappingPlan?, connection: ServiceConnection,
                         storage: TenantStorage, runID: Int64, rawRunID: RunID, limiter: AsyncLimiter?,
                         keyMemory: Int) async throws -> [TableSyncResult] {
        let endpoint = job.endpoint
        let since = CursorTime.format(snapshot - options.lookbackSeconds * 1_000_000, as: endpoint.cursorFormat)
        let chunks = try await createChunks([(since, nil)], of: job, runID: runID, start: .start)
        log(LogEvent("reading the changes made during the sync before closing what it did not see", run: rawRunID.value,
                     tenant: job.tenant.rawValue, service: job.service.service, table: endpoint.name, chunk: chunks.first?.id))
        let catchUp = TablePlan(attempts: chunks.map { ChunkAttempt(chunk: $0, start: .start) }, coversWholeHistory: false,
                                snapshotMicros: snapshot)
        return try await runChunks(catchUp, job: job, plan: plan, connection: connection, storage: storage, rawRunID: rawRunID,
                                   collectKeys: true, limiter: limiter, keyMemory: keyMemory)
    }

    /// Records new chunks of `job`'s table for `runID` in one commit, each running from `start`.
    private func createChunks(_ ranges: [(since: String?, until: String?)], of job: TableJob, runID: Int64,
                              start: PagePosition) async throws -> [Chunk] {
        let tenant = job.tenant, service = job.service.service, table = job.endpoint.name
        let firstCursor = start == .start ? nil : start.description
        return try await control.run { store in
            try store.write {
                try ranges.map { range in
                    let created = try store.createChunk(runID: runID, tenant: tenant, service: service, table: table,
                                                        since: range.since, until: range.until)
                    try store.updateChunk(created.id, status: .running, resumeCursor: firstCursor, records: 0)
                    return created
                }
            }
        }
    }

    /// Continues the unfinished chunks of a killed or failed run from their cursors. A
    /// cursor the endpoint's paging cannot continue from (the plugin changed how it pages
    /// since) starts its chunk over: its pages are read again, which merges as unchanged.
    private func resume(_ job: TableJob, chunks: [Chunk]) async throws -> TablePlan {
        let kind = job.endpoint.pagination.kind
        let attempts = chunks.map { chunk in
            let saved = chunk.resumeCursor.flatMap(PagePosition.init(stored:)) ?? .start
            guard saved.suits(kind) else {
                log(LogEvent(.warning, "chunk \(chunk.id)'s cursor \(saved.loggable) does not fit \(kind.name) paging (the plugin changed how it pages); the chunk starts over",
                             tenant: job.tenant.rawValue, service: job.service.service, table: job.endpoint.name, chunk: chunk.id))
                return ChunkAttempt(chunk: chunk, start: .start)
            }
            return ChunkAttempt(chunk: chunk, start: saved)
        }
        for attempt in attempts {
            log(LogEvent("resuming chunk \(attempt.chunk.id) at \(attempt.start.loggable)", tenant: job.tenant.rawValue,
                         service: job.service.service, table: job.endpoint.name, chunk: attempt.chunk.id))
        }
        // Pages committed before the kill are not in this run's key set, so no deletes.
        return TablePlan(attempts: attempts, coversWholeHistory: false)
    }

    /// New chunks for this run: one for most tables; several for range-filtered
    /// endpoints whose count says the range is large.
    private func planChunks(_ job: TableJob, connection: ServiceConnection, runID: Int64, watermark: String?,
                            countIncremental: Bool = false) async throws -> TablePlan {
        let endpoint = job.endpoint, service = job.service.service
        var since: String?
        var sinceMicros: Int64?
        var start = PagePosition.start
        var untilMicros = Int64(Date().timeIntervalSince1970 * 1e6)
        if let backfill = options.backfill {
            guard endpoint.isIncremental, endpoint.cursorFormat != .opaque, endpoint.cursorFormat != .none else {
                throw PipelineError.notBackfillable(service: service, table: endpoint.name)
            }
            sinceMicros = backfill.since
            if let until = backfill.until { untilMicros = until }
        } else if let watermark {
            if endpoint.pagination.kind == .deltaLink {
                start = .url(Self.resolved(watermark, baseURL: connection.query.baseURL))
            } else if endpoint.isIncremental, let micros = CursorTime.microseconds(watermark, format: endpoint.cursorFormat) {
                sinceMicros = micros - options.lookbackSeconds * 1_000_000
            }
        }
        since = sinceMicros.map { CursorTime.format($0, as: endpoint.cursorFormat) }
        var ranges: [(since: String?, until: String?)] = [(since, nil)]
        // Whole histories and backfills are probed for their size, to split them into chunks;
        // an incremental range is usually small and stays one chunk (it is counted only for a
        // large table, to announce a large rewrite, below).
        let wideRange = sinceMicros == nil || options.backfill != nil
        if endpoint.supportsRangeFilter && !endpoint.isSequential && start == .start && wideRange {
            let lower = sinceMicros ?? 0
            let probe = Self.rangeQuery(connection.query, since: lower, until: untilMicros, format: endpoint.cursorFormat)
            let count = await CountProbe.count(client: connection.client, endpoint: endpoint, query: probe)
            if let hooks = connection.hooks, hooks.available.planChunks {
                // The plugin knows its API best: its plan_chunks hook splits the range.
                let values = HookRequestValues(endpoint: endpoint.name, baseURL: connection.query.baseURL,
                                               since: probe.since, until: probe.until,
                                               pageSize: connection.query.effectivePageSize(for: endpoint))
                let planned = try await hooks.planChunks(values, count: count.map(Int64.init))
                if !planned.isEmpty { ranges = planned.map { ($0.since, $0.until) } }
            } else {
                ranges = options.chunkPlanner.plan(since: lower, until: untilMicros, count: count).map {
                    (CursorTime.format($0.since, as: endpoint.cursorFormat), CursorTime.format($0.until, as: endpoint.cursorFormat))
                }
            }
            if sinceMicros == nil, options.backfill == nil {
                // A whole history reads up to now, not to the planning time: a record changed
                // during the sync, or stamped ahead of this host's clock, is still read, not
                // taken for deleted by the close that follows.
                // A plugin's hook may write the bound its own way: compared as times.
                let bound = probe.until.flatMap { CursorTime.microseconds($0, format: endpoint.cursorFormat) } ?? untilMicros
                ranges = ranges.map { range in
                    let until = range.until.flatMap { CursorTime.microseconds($0, format: endpoint.cursorFormat) }
                    return (range.since, until.map { $0 >= bound } ?? false ? nil : range.until)
                }
            }
        }
        var expected: Int?
        if countIncremental && !wideRange && endpoint.supportsRangeFilter && start == .start, let sinceMicros {
            // From the watermark itself: the look-back re-fetches records merged last time.
            let probe = Self.rangeQuery(connection.query, since: sinceMicros + options.lookbackSeconds * 1_000_000,
                                        until: untilMicros, format: endpoint.cursorFormat)
            // One try after an error: this count is optional, and asked on every run.
            expected = await CountProbe.count(client: connection.client, endpoint: endpoint, query: probe, attempts: 1)
        }
        let chunks = try await createChunks(ranges, of: job, runID: runID, start: start)
        return TablePlan(attempts: chunks.map { ChunkAttempt(chunk: $0, start: start) },
                         coversWholeHistory: sinceMicros == nil && start == .start, expectedRecords: expected,
                         snapshotMicros: untilMicros)
    }

    /// `query` filtered to `[since, until)` (microseconds) in the endpoint's cursor format.
    private static func rangeQuery(_ query: EndpointQuery, since: Int64, until: Int64, format: TimeFormat) -> EndpointQuery {
        var ranged = query
        ranged.since = CursorTime.format(since, as: format)
        ranged.until = CursorTime.format(until, as: format)
        return ranged
    }

    /// Runs a table's chunks in parallel; all must complete for the table to count as done.
    /// Their seen keys share `keyMemory` keys in memory (the table's whole limit by default).
    private func runChunks(_ tablePlan: TablePlan, job: TableJob, plan: MappingPlan?, connection: ServiceConnection,
                           storage: TenantStorage, rawRunID: RunID, collectKeys: Bool,
                           limiter: AsyncLimiter?, keyMemory: Int? = nil) async throws -> [TableSyncResult] {
        try await withThrowingTaskGroup(of: TableSyncResult.self) { group in
            // The table's seen keys stay within one memory limit however many chunks it has.
            let keyLimit = max(1, (keyMemory ?? options.seenKeyMemoryLimit) / tablePlan.attempts.count)
            for attempt in tablePlan.attempts {
                group.addTask {
                    try await self.runChunk(attempt, job: job, plan: plan, connection: connection, storage: storage,
                                            rawRunID: rawRunID, collectKeys: collectKeys, seenKeyMemoryLimit: keyLimit, limiter: limiter)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    private func runChunk(_ attempt: ChunkAttempt, job: TableJob, plan: MappingPlan?, connection: ServiceConnection,
                          storage: TenantStorage, rawRunID: RunID, collectKeys: Bool, seenKeyMemoryLimit: Int,
                          limiter: AsyncLimiter?) async throws -> TableSyncResult {
        var query = connection.query
        // Bounds as this version writes them: a chunk planned by an older one (Salesforce's
        // `.000+0000`, which SOQL does not take as a literal) resumes with the current form.
        let format = job.endpoint.cursorFormat
        query.since = attempt.chunk.since.map { Self.rewritten($0, as: format) }
        query.until = attempt.chunk.until.map { Self.rewritten($0, as: format) }
        var sync = TableSync(service: job.service.service, endpoint: job.endpoint, plan: plan, client: connection.client,
                             query: query, storage: storage, runID: rawRunID, chunkID: attempt.chunk.id, collectKeys: collectKeys,
                             hooks: connection.hooks)
        sync.seenKeyMemoryLimit = seenKeyMemoryLimit
        let chunkID = attempt.chunk.id, control = self.control, progress = self.progress
        do {
            var result = TableSyncResult()
            result.seenKeys = SeenKeySet(memoryLimit: seenKeyMemoryLimit)
            var position = attempt.start
            var slice = 0
            repeat {
                let done = result.records
                var part = try await sync.run(startingAt: position, budgetSeconds: options.chunkTimeBudgetSeconds) { next, records in
                    progress.setRecords(done + records, chunk: chunkID)
                    let cursor = next?.description
                    // After the last page (no next position) the chunk is done: one write, not two.
                    try await control.run {
                        try $0.updateChunk(chunkID, status: next == nil ? .done : .running, resumeCursor: cursor, records: Int64(done + records))
                    }
                }
                // Slices' keys together stay within the limit: spill before combining them.
                part.seenKeys = try await storage.spillIfNeeded(part.seenKeys,
                                                                threshold: seenKeyMemoryLimit - result.seenKeys.inMemoryCount)
                result.absorb(part, format: job.endpoint.cursorFormat)
                if let next = part.resumeAt, !part.completed {
                    // Over its time budget: checkpointed; give the slot to waiting tables, then continue.
                    slice += 1
                    position = next
                    log(LogEvent("chunk \(chunkID) checkpointed after its time budget (slice \(slice)); requeued at \(next.loggable)",
                                 tenant: job.tenant.rawValue, service: job.service.service, table: job.endpoint.name, chunk: chunkID))
                    if let limiter {
                        await limiter.release()
                        await limiter.acquire()
                    }
                }
            } while !result.completed
            if !result.checkpointedEnd {
                let records = Int64(result.records)
                try await control.run { try $0.updateChunk(chunkID, status: .done, records: records) }
            }
            return result
        } catch {
            let message = connection.scrubbed("\(error)")
            if Self.refusesItsPosition(error) {
                // The service refused the request itself (an expired Salesforce query locator,
                // a position it no longer knows): resuming there would fail every run, so the
                // chunk starts over.
                _ = try? await control.run { try $0.updateChunk(chunkID, status: .failed, records: 0, error: message) }
            } else {
                _ = try? await control.run { try $0.failChunk(chunkID, error: message) }
            }
            throw error
        }
    }

    /// Whether every chunk's range starts after `watermark` (all bounded below, and the
    /// lowest later than it): moving the watermark past such a range would skip the gap.
    static func startsAfter(_ watermark: String?, _ starts: [String?], format: TimeFormat) -> Bool {
        guard let watermark, let mark = CursorTime.microseconds(watermark, format: format), !starts.isEmpty else { return false }
        var lowest = Int64.max
        for start in starts {
            guard let start, let micros = CursorTime.microseconds(start, format: format) else { return false }
            lowest = min(lowest, micros)
        }
        return lowest > mark
    }

    /// A stored time bound in `format`'s current filter form; opaque values as they are.
    static func rewritten(_ bound: String, as format: TimeFormat) -> String {
        CursorTime.microseconds(bound, format: format).map { CursorTime.format($0, as: format) } ?? bound
    }

    /// Placeholder for the service's base URL inside stored delta links, so a link
    /// survives a change of `graph_url` (a national cloud, a proxy, a simulator's port).
    static let baseURLMarker = "{base_url}"

    /// A delta link as stored: the current base URL replaced by the marker.
    static func storable(_ watermark: String, baseURL: String) -> String {
        watermark.hasPrefix(baseURL + "/") ? baseURLMarker + watermark.dropFirst(baseURL.count) : watermark
    }

    /// A stored delta link with the marker replaced by the current base URL.
    static func resolved(_ stored: String, baseURL: String) -> String {
        stored.hasPrefix(baseURLMarker) ? baseURL + stored.dropFirst(baseURLMarker.count) : stored
    }

    /// Whether a chunk failed because the service refused the request as asked (a 4xx other
    /// than timeouts, throttling and authentication), as it refuses a resume position it no
    /// longer knows; transient failures (5xx, throttling, the network) keep the position.
    static func refusesItsPosition(_ error: any Error) -> Bool {
        guard case ConnectorError.httpStatus(let status, _, _)? = error as? ConnectorError else { return false }
        return (400..<500).contains(status) && ![401, 403, 408, 429].contains(status)
    }

    /// A time watermark no later than the sync's snapshot. The newest change time seen is not
    /// safe by itself: a record on a page read early and changed during the sync (pages go
    /// by id, or by offset) is older than records read later, and the next run, starting
    /// after the newest, would never fetch that change. So the next run starts from when
    /// this one was planned; what changed since is read again, which merges as unchanged.
    /// A resumed sync (killed, then continued) is capped at the start of the run that planned
    /// its chunks; when that is not known (`snapshot` nil), the watermark stays where it was.
    /// Delta links and other opaque cursors are kept as they are: the service tracks them.
    static func capped(_ watermark: String, at snapshot: Int64?, format: TimeFormat) -> String? {
        guard let micros = CursorTime.microseconds(watermark, format: format) else { return watermark }
        guard let snapshot else { return nil }
        return micros > snapshot ? CursorTime.format(snapshot, as: format) : watermark
    }

    /// The newest of several watermark candidates (for opaque cursors, the last one).
    static func newest(_ candidates: [String], format: TimeFormat) -> String? {
        candidates.reduce(nil) { best, candidate in
            guard let best else { return candidate }
            return isNewer(candidate, than: best, format: format) ? candidate : best
        }
    }

    /// Whether `candidate` moves the watermark forward (opaque delta links always do).
    static func isNewer(_ candidate: String, than old: String?, format: TimeFormat) -> Bool {
        guard let old else { return true }
        guard let new = CursorTime.microseconds(candidate, format: format),
              let previous = CursorTime.microseconds(old, format: format) else { return candidate != old }
        return new > previous
    }
}
