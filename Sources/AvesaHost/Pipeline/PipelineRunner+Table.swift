import Foundation

extension PipelineRunner {
    /// Syncs one table: resumes an unfinished chunk of an earlier run or starts a new one
    /// from the watermark (minus the look-back), then advances the watermark if the chunk
    /// completed. An expired delta link (410 Gone) restarts the table as a full sync.
    func syncTable(_ job: TableJob, connection: ServiceConnection, storage: TenantStorage, runID: Int64,
                   rawRunID: RunID) async -> RunTableRecord {
        let tenant = job.tenant, service = job.service.service, endpoint = job.endpoint
        var record = RunTableRecord(runID: runID, tenant: tenant, service: service, table: endpoint.name, status: .running)
        let plan = endpoint.canonicalTable == nil ? nil : mappings.plan(service: service, source: endpoint.name)
        let before = connection.client.metrics.snapshot
        do {
            let full = options.full, backfill = options.backfill != nil
            let (watermark, unfinished) = try await control.run { store in
                (full || backfill ? nil : try store.watermark(tenant: tenant, service: service, table: endpoint.name),
                 backfill ? nil : try store.unfinishedChunks(tenant: tenant, service: service, table: endpoint.name).first)
            }
            var attempt = try await startChunk(job, runID: runID, watermark: watermark, resuming: unfinished)
            var result: TableSyncResult
            do {
                result = try await runChunk(attempt, job: job, plan: plan, connection: connection, storage: storage, rawRunID: rawRunID)
            } catch ConnectorError.httpStatus(410, _, _) where attempt.start != .start {
                log(LogEvent(.warning, "delta link expired (410 Gone); resyncing the whole table", run: rawRunID.value,
                             tenant: tenant.rawValue, service: service, table: endpoint.name))
                let expired = attempt.chunk.id
                try await control.run { try $0.updateChunk(expired, status: .failed, records: 0, error: "delta link expired") }
                attempt = try await startChunk(job, runID: runID, watermark: nil, resuming: nil)
                result = try await runChunk(attempt, job: job, plan: plan, connection: connection, storage: storage, rawRunID: rawRunID)
            }
            let chunkID = attempt.chunk.id, records = Int64(result.records)
            let newWatermark = result.newWatermark, format = endpoint.cursorFormat
            try await control.run { store in
                try store.updateChunk(chunkID, status: .done, records: records)
                if let newWatermark {
                    let old = try store.watermark(tenant: tenant, service: service, table: endpoint.name)
                    if Self.isNewer(newWatermark, than: old, format: format) {
                        try store.setWatermark(newWatermark, tenant: tenant, service: service, table: endpoint.name)
                    }
                }
            }
            record.status = .done
            record.records = records
            record.pages = Int64(result.pages)
            if result.rejected > 0 {
                record.error = "\(result.rejected) records could not be mapped (kept in the raw zone); first: \(result.firstRejection ?? "")"
            }
            log(LogEvent("\(result.records) records, \(result.pages) pages, \(result.merge)", run: rawRunID.value,
                         tenant: tenant.rawValue, service: service, table: endpoint.name, chunk: chunkID))
        } catch {
            record.status = .failed
            record.error = "\(error)"
            log(LogEvent(.error, "failed: \(error)", run: rawRunID.value, tenant: tenant.rawValue, service: service, table: endpoint.name))
        }
        // Counters of the (tenant, service) client while this table ran; tables of one
        // service that run at the same time share them.
        let after = connection.client.metrics.snapshot
        record.requests = Int64(after.requests - before.requests)
        record.retries = Int64(after.retries - before.retries)
        record.throttles = Int64(after.throttles - before.throttles)
        record.finishedAt = ControlClock.timestamp()
        progress.finishTable(failed: record.status == .failed)
        let finished = record
        _ = try? await control.run { try $0.recordRunTable(finished) }
        return record
    }

    /// A chunk to run and where to start it.
    struct ChunkAttempt: Sendable {
        let chunk: Chunk
        let start: PagePosition
        let since: String?
        let isFullSync: Bool
    }

    private func startChunk(_ job: TableJob, runID: Int64, watermark: String?, resuming: Chunk?) async throws -> ChunkAttempt {
        let endpoint = job.endpoint, tenant = job.tenant, service = job.service.service
        if let resuming {
            let start = resuming.resumeCursor.flatMap(PagePosition.init(stored:)) ?? .start
            log(LogEvent("resuming chunk \(resuming.id) at \(start)", tenant: tenant.rawValue, service: service,
                         table: endpoint.name, chunk: resuming.id))
            try await control.run { try $0.updateChunk(resuming.id, status: .running, resumeCursor: resuming.resumeCursor, records: resuming.records) }
            // A chunk that started from a delta link records it as its first resume cursor.
            return ChunkAttempt(chunk: resuming, start: start, since: resuming.since,
                                isFullSync: resuming.since == nil && start == .start)
        }
        var since: String?
        var until: String?
        var start = PagePosition.start
        if let backfill = options.backfill {
            guard endpoint.isIncremental, endpoint.cursorFormat != .opaque, endpoint.cursorFormat != .none else {
                throw PipelineError.notBackfillable(service: service, table: endpoint.name)
            }
            since = CursorTime.format(backfill.since, as: endpoint.cursorFormat)
            if endpoint.supportsRangeFilter { until = backfill.until.map { CursorTime.format($0, as: endpoint.cursorFormat) } }
        } else if let watermark {
            if endpoint.pagination.kind == .deltaLink {
                start = .url(watermark)
            } else if endpoint.isIncremental {
                since = CursorTime.since(watermark: watermark, format: endpoint.cursorFormat, lookbackSeconds: options.lookbackSeconds)
            }
        }
        let firstCursor = start == .start ? nil : start.description
        let lowerBound = since, upperBound = until
        let chunk = try await control.run { store in
            let created = try store.createChunk(runID: runID, tenant: tenant, service: service, table: endpoint.name,
                                                since: lowerBound, until: upperBound)
            try store.updateChunk(created.id, status: .running, resumeCursor: firstCursor, records: 0)
            return created
        }
        let incremental = since != nil || start != .start
        return ChunkAttempt(chunk: chunk, start: start, since: since, isFullSync: !incremental && options.backfill == nil)
    }

    private func runChunk(_ attempt: ChunkAttempt, job: TableJob, plan: MappingPlan?, connection: ServiceConnection,
                          storage: TenantStorage, rawRunID: RunID) async throws -> TableSyncResult {
        var query = connection.query
        query.since = attempt.since
        query.until = attempt.chunk.until
        let sync = TableSync(service: job.service.service, endpoint: job.endpoint, plan: plan, client: connection.client,
                             query: query, storage: storage, runID: rawRunID, chunkID: attempt.chunk.id,
                             isFullSync: attempt.isFullSync)
        let chunkID = attempt.chunk.id, control = self.control, progress = self.progress
        do {
            return try await sync.run(startingAt: attempt.start) { next, records in
                progress.setRecords(records, chunk: chunkID)
                let cursor = next?.description
                try await control.run { try $0.updateChunk(chunkID, status: .running, resumeCursor: cursor, records: Int64(records)) }
            }
        } catch {
            let message = "\(error)"
            _ = try? await control.run { try $0.updateChunk(chunkID, status: .failed, records: 0, error: message) }
            throw error
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
