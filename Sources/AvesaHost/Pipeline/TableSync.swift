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
    }

    /// Runs the chunk from `start` (a saved resume position or `.start`). With a time
    /// budget, it stops after the first committed page past the budget and returns with
    /// `completed == false` and `resumeAt` set, so the caller can requeue the rest.
    public func run(startingAt start: PagePosition, budgetSeconds: Double? = nil, checkpoint: Checkpoint) async throws -> TableSyncResult {
        let deadline = budgetSeconds.map { RateLimiter.monotonicSeconds() + $0 }
        var paths = plan?.fields.paths ?? []
        let cursorSlot: Int? = endpoint.cursorField.map { _ in paths.count }
        if let cursor = endpoint.cursorField { paths.append(try JSONFieldPath(cursor)) }
        var stream = try PageStream(client: client, endpoint: endpoint, query: query, fields: JSONFieldPlan(paths), startingAt: start,
                                    hooks: hooks)
        let rawPath = try storage.layout.rawDirectory(tenant: storage.tenant, service: service, table: endpoint.name)
            + "/\(runID.value)-\(String(format: "%06lld", chunkID)).ndjson"
        let loadTime = Int64(Date().timeIntervalSince1970 * 1e6)
        var result = TableSyncResult()
        var newest: (micros: Int64, text: String)?
        while let page = try await stream.next() {
            result.pages += 1
            result.records += page.records.count
            var canonical: [CanonicalRecord] = []
            if let plan {
                canonical.reserveCapacity(page.records.count)
                for record in page.records {
                    do {
                        let mapped = try plan.map(record)
                        canonical.append(mapped)
                        if collectKeys { result.seenKeys.insert(RowHash.ofKey(CollectionOfOne(.string(mapped.values[plan.idColumn].stringValue ?? "")))) }
                    } catch {
                        result.rejected += 1
                        if result.firstRejection == nil { result.firstRejection = error.description }
                    }
                }
            }
            if let cursorSlot {
                for record in page.records {
                    guard let text = record[cursorSlot]?.string,
                          let micros = CursorTime.microseconds(text, format: endpoint.cursorFormat) else { continue }
                    if newest == nil || micros > newest!.micros { newest = (micros, text) }
                }
            }
            // Durable in the raw zone first (its own thread), then merged (the warehouse's).
            try await storage.appendRaw(path: rawPath, records: page.records, of: page.recordBytes)
            let batch = canonical, table = plan?.table.name, run = runID.value
            let merged = try await storage.withWarehouse { warehouse in
                guard let table, !batch.isEmpty else { return MergeSummary() }
                return try warehouse.merge(batch, into: table, runID: run, loadTime: loadTime)
            }
            result.merge.add(merged)
            switch page.step {
            case .next(let position):
                try await checkpoint(position, result.records)
                if let deadline, RateLimiter.monotonicSeconds() > deadline {
                    result.newWatermark = newest?.text
                    result.resumeAt = position
                    return result
                }
            case .finished(let watermark):
                if let watermark { result.newWatermark = watermark }
                try await checkpoint(nil, result.records)
            }
        }
        if result.newWatermark == nil { result.newWatermark = newest?.text }
        result.completed = true
        return result
    }
}

extension MergeSummary {
    /// Adds `other`'s counts to these.
    mutating func add(_ other: MergeSummary) {
        inserted += other.inserted
        updated += other.updated
        unchanged += other.unchanged
        deleted += other.deleted
        ignoredOutOfOrder += other.ignoredOutOfOrder
    }
}

extension CanonicalValue {
    /// The text of a string value.
    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
