import Foundation

/// Syncs one chunk of one table: pages from the connector, each one appended to the raw
/// zone and fsynced, mapped onto its canonical table and merged into the tenant's
/// warehouse, then checkpointed — in that order, so a crash at any point loses nothing:
/// a page is in the raw zone before it is in the warehouse, and in the warehouse before
/// the resume cursor moves past it (at-least-once fetch, idempotent merge).
public struct TableSync: Sendable {
    /// Where the chunk stands after a committed page: the next position (nil when the
    /// table is complete) and the records fetched so far.
    public typealias Checkpoint = @Sendable (_ next: PagePosition?, _ records: Int) async throws -> Void

    public let service: String
    public let endpoint: EndpointSpec
    /// The mapping of this endpoint, or nil when it feeds no canonical table (raw only).
    public let plan: MappingPlan?
    public let client: ServiceClient
    public let query: EndpointQuery
    public let storage: TenantStorage
    public let runID: RunID
    /// Names the raw file: `<run>-<chunk>.ndjson`.
    public let chunkID: Int64
    /// Collect the keys seen, so the caller can close rows a full sync no longer saw.
    public let collectKeys: Bool
    /// The plugin's hooks for this tenant (request building, page parsing), if any.
    public let hooks: TenantHooks?
    /// Positions of the canonical table's key columns, in key order (for the seen keys).
    private let keyColumns: [Int]

    /// Creates the sync of one chunk.
    public init(service: String, endpoint: EndpointSpec, plan: MappingPlan?, client: ServiceClient, query: EndpointQuery,
                storage: TenantStorage, runID: RunID, chunkID: Int64, collectKeys: Bool, hooks: TenantHooks? = nil) {
        self.service = service
        self.endpoint = endpoint
        self.plan = plan
        self.client = client
        self.query = query
        self.storage = storage
        self.runID = runID
        self.chunkID = chunkID
        self.collectKeys = collectKeys
        self.hooks = hooks
        keyColumns = plan?.table.keyColumnIndexes ?? []
    }

    /// Seen keys held in memory before they move to the tenant's scratch folder (a table
    /// synced in several chunks divides `PipelineOptions.seenKeyMemoryLimit` between them).
    public var seenKeyMemoryLimit = SeenKeySet.defaultMemoryLimit

    /// Pages fetched ahead of the commit side (each also bounds how many of this chunk's
    /// pages one merge takes when the commit side fell behind; merges of other syncs of the
    /// tenant may share its transaction, `GroupCommitQueue`).
    public var stagingDepth = 3

    /// Pages received and not yet staged: the next request goes out while the previous
    /// page is mapped and written to the raw zone.
    static let fetchDepth = 2

    /// Runs the chunk from `start` (a saved resume position or `.start`). With a time
    /// budget, once a commit ends past the budget it fetches nothing more, commits the
    /// pages already fetched (so none is fetched twice) and returns with
    /// `completed == false` and `resumeAt` set, so the caller can requeue the rest.
    ///
    /// Three stages run at once, linked by bounded hand-offs (`PageHandoff`):
    /// 1. fetch: pulls the pages, one request at a time, as the connector pages;
    /// 2. stage: maps a page and makes it durable in the raw zone;
    /// 3. commit: merges the waiting staged pages, in order, in one transaction, then
    ///    checkpoints the position after the last of them.
    /// So a page is in the raw zone before it is merged, and merged before the cursor
    /// moves past it.
    public func run(startingAt start: PagePosition, budgetSeconds: Double? = nil, checkpoint: Checkpoint) async throws -> TableSyncResult {
        let deadline = budgetSeconds.map { RateLimiter.monotonicSeconds() + $0 }
        var paths = plan?.fields.paths ?? []
        let cursorSlot: Int? = endpoint.cursorField.map { _ in paths.count }
        if let cursor = endpoint.cursorField { paths.append(try JSONFieldPath(cursor)) }
        let stream = try PageStream(client: client, endpoint: endpoint, query: query, fields: JSONFieldPlan(paths), startingAt: start,
                                    hooks: hooks)
        let rawPath = try storage.layout.rawDirectory(tenant: storage.tenant, service: service, table: endpoint.name)
            + "/\(runID.value)-\(String(format: "%06lld", chunkID)).ndjson"
        // Records without a change time are valid from the run's start: the time `retransform`
        // gives them too (from the raw file's run id), so a rebuild reproduces their history.
        let loadTime = runID.startMicroseconds
        let fetched = PageHandoff<FetchedPage>(capacity: Self.fetchDepth)
        let staged = PageHandoff<StagedPage>(capacity: stagingDepth)
        async let fetching: Void = Self.fetch(from: stream, into: fetched)
        async let staging: Void = stage(from: fetched, into: staged, cursorSlot: cursorSlot, rawPath: rawPath)
        do {
            let result = try await commit(from: staged, loadTime: loadTime, deadline: deadline, checkpoint: checkpoint)
            await staged.close()
            await staging
            await fetching
            return result
        } catch {
            // Closing both hand-offs releases the stage task wherever it waits; leaving the
            // scope without awaiting `fetching` cancels it before awaiting it, and CurlEngine
            // aborts a cancelled transfer, so a request in flight (a stalled endpoint) ends at
            // once instead of running to its response or timeout.
            await staged.close()
            await fetched.close()
            throw error
        }
    }

    /// Stage 1: every page of the stream into `handoff`, until the stream ends, fails, or
    /// the next stage wants no more.
    private static func fetch(from stream: PageStream, into handoff: PageHandoff<FetchedPage>) async {
        var stream = stream
        do {
            while await handoff.wantsMore, let page = try await stream.next() {
                guard await handoff.put(page) else { return }  // the next stage stopped
            }
            await handoff.finish()
        } catch {
            await handoff.finish(throwing: error)
        }
    }

    /// Stage 2: maps each fetched page and appends it to the raw zone (fsynced) before
    /// handing it on. When the commit side stops production (its budget ran out), the
    /// fetch side is stopped too and the pages already fetched still go through.
    private func stage(from input: PageHandoff<FetchedPage>, into output: PageHandoff<StagedPage>, cursorSlot: Int?,
                       rawPath: String) async {
        do {
            while true {
                if await !output.wantsMore { await input.stopProducing() }
                guard let page = try await input.take(limit: 1).first else { break }
                let mapped = mapPage(page, cursorSlot: cursorSlot)
                // Durable in the raw zone (its own thread) before it can be merged.
                try await storage.appendRaw(path: rawPath, records: page.records, of: page.recordBytes)
                guard await output.put(mapped) else {  // the commit side stopped
                    await input.close()
                    await storage.closeRaw(path: rawPath)
                    return
                }
            }
            await output.finish()
        } catch {
            await input.close()
            await output.finish(throwing: error)
        }
        await storage.closeRaw(path: rawPath)
    }

    /// Maps a page's records and notes its keys and newest cursor value.
    private func mapPage(_ page: FetchedPage, cursorSlot: Int?) -> StagedPage {
        var staged = StagedPage(records: page.records.count, step: page.step)
        if let plan {
            staged.canonical.reserveCapacity(page.records.count)
            for record in page.records {
                do {
                    let mapped = try plan.map(record)
                    staged.canonical.append(mapped)
                    // The key as the warehouse fingerprints it: every key column, in key order.
                    if collectKeys { staged.seenKeys.append(RowHash.ofKey(keyColumns.lazy.map { mapped.values[$0] })) }
                } catch {
                    staged.rejected += 1
                    if staged.firstRejection == nil { staged.firstRejection = error.description }
                }
            }
        }
        if let cursorSlot {
            for record in page.records {
                guard let text = record[cursorSlot]?.string,
                      let micros = CursorTime.microseconds(text, format: endpoint.cursorFormat) else { continue }
                if staged.newestCursor.map({ micros > $0.micros }) ?? true { staged.newestCursor = .init(micros: micros, text: text) }
            }
        }
        return staged
    }

    /// The commit side: merges the waiting pages in one transaction, then checkpoints the
    /// position after the last of them; until the stream ends, or the budget ran out and
    /// the pages fetched by then are committed.
    private func commit(from handoff: PageHandoff<StagedPage>, loadTime: Int64, deadline: Double?,
                        checkpoint: Checkpoint) async throws -> TableSyncResult {
        var result = TableSyncResult()
        result.seenKeys = SeenKeySet(memoryLimit: seenKeyMemoryLimit)
        var newest: StagedPage.CursorValue?
        var resumeAt: PagePosition?  // after the last commit, while pages remain
        var overBudget = false
        while true {
            let pages = try await handoff.take(limit: stagingDepth)
            guard let last = pages.last else { break }
            var batch = pages[0].canonical
            for page in pages.dropFirst() { batch += page.canonical }
            for page in pages {
                result.pages += 1
                result.records += page.records
                result.rejected += page.rejected
                if result.firstRejection == nil { result.firstRejection = page.firstRejection }
                for key in page.seenKeys { result.seenKeys.insert(key) }
                result.seenKeys = try await storage.spillIfNeeded(result.seenKeys)
                if let cursor = page.newestCursor, newest.map({ cursor.micros > $0.micros }) ?? true { newest = cursor }
            }
            if let table = plan?.table.name, !batch.isEmpty {
                // Shares its commit with other syncs of the tenant committing at the same time.
                result.merge += try await storage.merge(batch, into: table, runID: runID.value, loadTime: loadTime)
            }
            switch last.step {
            case .next(let position):
                try await checkpoint(position, result.records)
                resumeAt = position
                if !overBudget, let deadline, RateLimiter.monotonicSeconds() > deadline {
                    overBudget = true
                    await handoff.stopProducing()
                }
            case .finished(let watermark):
                if let watermark { result.newWatermark = watermark }
                try await checkpoint(nil, result.records)
                result.checkpointedEnd = true
                resumeAt = nil
            }
        }
        if overBudget, let resumeAt {
            result.newWatermark = newest?.text
            result.resumeAt = resumeAt
            return result
        }
        if result.newWatermark == nil { result.newWatermark = newest?.text }
        result.completed = true
        return result
    }
}

extension CanonicalValue {
    /// The text of a string value.
    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
