import Foundation

/// One tenant's storage during a run: its warehouse, confined to the tenant's own
/// `BlockingWorker` thread (the only place `warehouse` is touched); its raw zone, written
/// and fsynced on the process's raw-zone threads (`RawZoneThreads`), so that pages of
/// several chunks sync at once while another table merges; and its scratch files
/// (seen-key spills) on a thread of their own.
///
/// `@unchecked Sendable`: the warehouse is confined to `worker`; every access goes
/// through `withWarehouse` or `merge`, which run on that thread. Each open raw file is
/// used only by its path's thread of `RawZoneThreads`.
public final class TenantStorage: @unchecked Sendable {
    /// The tenant.
    public let tenant: String
    /// Where its files live.
    public let layout: DataLayout
    /// The thread that owns the warehouse.
    public let worker: BlockingWorker
    /// The thread of the tenant's scratch files (seen-key spills and their cleanup).
    public let scratchWorker: BlockingWorker
    private var warehouse: TenantWarehouse?  // worker thread only
    private let lockLossGuard = NSLock()
    private var lockTaken = false  // under lockLossGuard
    private var pendingSyncs: [String: Int]  // worker thread only
    private var emptyAtOpen: Set<String> = []  // worker thread only

    /// Storage for `tenant`; the warehouse opens on first use and starts a bulk load with
    /// `bulkLoadThreshold`. `syncsPerTable` counts the syncs of this run that feed each
    /// canonical table, so a table's deferred indexes are built as soon as its last sync
    /// ended (`syncEnded(feeding:)`) rather than after every table. The warehouse's key
    /// indexes take their slots from `keyIndexBudget`.
    public init(tenant: String, layout: DataLayout, tables: [CanonicalTable],
                bulkLoadThreshold: Int = TenantWarehouse.defaultBulkLoadThreshold, syncsPerTable: [String: Int] = [:],
                keyIndexBudget: KeyIndexBudget = .shared) {
        self.bulkLoadThreshold = bulkLoadThreshold
        self.keyIndexBudget = keyIndexBudget
        self.pendingSyncs = syncsPerTable
        self.tenant = tenant
        self.layout = layout
        self.worker = BlockingWorker(name: "avesa-tenant-\(tenant)")
        self.scratchWorker = BlockingWorker(name: "avesa-scratch-\(tenant)")
        self.tables = tables
        // Temporary files a killed run left behind, removed on the thread that writes this
        // run's (so before any of them). The caller works the tenant alone (its lock).
        scratchWorker.post { [self] in removeScratch() }
    }

    /// Removes the tenant's scratch folder (scratch thread only).
    private func removeScratch() {
        guard let scratch = try? layout.scratchDirectory(tenant) else { return }
        try? FileManager.default.removeItem(atPath: scratch)
    }

    private let tables: [CanonicalTable]
    private let bulkLoadThreshold: Int
    private let keyIndexBudget: KeyIndexBudget

    /// Runs `body` with the open warehouse on the tenant's worker thread.
    public func withWarehouse<T: Sendable>(_ body: @escaping @Sendable (TenantWarehouse) throws -> T) async throws -> T {
        try await worker.run { [self] in try body(openedWarehouse()) }
    }

    /// Records that another process took the tenant's lock (this run's heartbeat found it
    /// gone): from now on every write to the warehouse fails, since two writers would each
    /// trust an in-memory key index the other does not keep. Any thread.
    public func lockWasTaken() {
        lockLossGuard.withLock { lockTaken = true }
    }

    /// The warehouse, opened on first use (worker thread only).
    /// - Throws: `PipelineError.lockLost` once `lockWasTaken()` was called.
    private func openedWarehouse() throws -> TenantWarehouse {
        if lockLossGuard.withLock({ lockTaken }) { throw PipelineError.lockLost(tenant: tenant) }
        if let warehouse { return warehouse }
        let path = try layout.warehouse(tenant)
        // Its folders made durable, as SQLite does for the WAL file it creates in them.
        try DurableDirectory.createParent(of: path, area: "tenant folder")
        let opened = try TenantWarehouse(path: path, tables: tables, keyIndexBudget: keyIndexBudget)
        emptyAtOpen = Set(try tables.map(\.name).filter { try opened.isEmpty($0) })
        // A first sync appends to empty tables, a heavy incremental rewrites a large share
        // of a table: past a bar their analytics indexes are built once when the table's
        // syncs ended instead of maintained row by row.
        try opened.beginBulkLoad(threshold: bulkLoadThreshold)
        warehouse = opened
        return opened
    }

    /// Merges `records` into canonical `table` on the warehouse thread and returns once they
    /// committed. Merges handed in while the thread is busy (other syncs of the tenant) wait
    /// together and commit in one transaction (`GroupCommitQueue`); each still gets its own
    /// outcome, exactly as `TenantWarehouse.merge` would give it.
    public func merge(_ records: [CanonicalRecord], into table: String, runID: String, loadTime: Int64) async throws
        -> MergeSummary
    {
        let batch = TenantWarehouse.MergeBatch(records: records, table: table, runID: runID, loadTime: loadTime)
        return try await withCheckedThrowingContinuation { continuation in
            if mergeQueue.add(.init(batch: batch, continuation: continuation)) { worker.post { [self] in drainMerges() } }
        }
    }

    /// Commits the merges waiting, as one group (worker thread only).
    private func drainMerges() {
        let (group, more) = mergeQueue.take()
        if more { worker.post { [self] in drainMerges() } }
        let results: [Result<MergeSummary, any Error>]
        do {
            results = try openedWarehouse().merge(group: group.map(\.batch))
        } catch {
            results = group.map { _ in .failure(error) }
        }
        for (waiting, result) in zip(group, results) { waiting.continuation.resume(with: result) }
    }

    /// Merges handed in and not yet taken by the warehouse thread.
    let mergeQueue = GroupCommitQueue()

    /// An upper bound of canonical `table`'s rows, cheap whatever its size
    /// (`TenantWarehouse.rowCountUpperBound`).
    public func rowCountUpperBound(_ table: String) async throws -> Int {
        try await withWarehouse { try $0.rowCountUpperBound(table) }
    }

    /// Tells the warehouse that a sync expects to write `count` rows into canonical `table`
    /// (`TenantWarehouse.expectWrites`: past a large share of the table, its analytics
    /// indexes are dropped before the writes and rebuilt when the table's syncs ended).
    /// - Returns: whether they were dropped now.
    public func expectWrites(_ count: Int, into table: String) async throws -> Bool {
        try await withWarehouse { $0.expectWrites(count, into: table) }
    }

    /// Whether canonical `table` held no rows when this run opened the warehouse (before
    /// any sync of the run wrote to it).
    public func wasEmptyAtStart(_ table: String) async throws -> Bool {
        try await withWarehouse { [self] _ in emptyAtOpen.contains(table) }
    }

    /// Appends a page's records to the raw file at `path` and fsyncs it, on the raw-zone
    /// thread that owns the file (`RawZoneThreads`); returns once the page is durable. The
    /// file stays open for the chunk's next pages until `closeRaw(path:)` (or `close()`).
    public func appendRaw(path: String, records: [JSONRecord], of body: [UInt8]) async throws {
        try await RawZoneThreads.shared.worker(for: path).run { [self] in
            let writer = try rawFile(at: path)
            try writer.append(records: records, of: body)
            try writer.sync()
        }
    }

    /// Closes the raw file at `path` once its chunk wrote its last page (or failed).
    public func closeRaw(path: String) async {
        try? await RawZoneThreads.shared.worker(for: path).run { [self] in
            _ = rawFilesLock.withLock { openRawFiles.removeValue(forKey: path) }
        }
    }

    /// The open raw file at `path`, opened on first use (on the file's raw-zone thread,
    /// the only one that touches it).
    private func rawFile(at path: String) throws -> RawZoneWriter {
        if let open = rawFilesLock.withLock({ openRawFiles[path] }) { return open }
        let opened = try RawZoneWriter(path: path)  // folders and file: slow, outside the lock
        rawFilesLock.withLock { openRawFiles[path] = opened }
        return opened
    }

    /// Raw files of chunks in progress, by path. The dictionary is shared by the raw-zone
    /// threads (under `rawFilesLock`); each writer is used only by its path's thread.
    private var openRawFiles: [String: RawZoneWriter] = [:]
    private let rawFilesLock = NSLock()

    /// `keys` with its keys in memory moved to the tenant's scratch folder when it holds
    /// `threshold` keys in memory or more (default: its memory limit), on the scratch
    /// thread (file I/O); `keys` itself otherwise.
    public func spillIfNeeded(_ keys: SeenKeySet, threshold: Int? = nil) async throws -> SeenKeySet {
        guard keys.inMemoryCount > 0, threshold.map({ keys.inMemoryCount >= $0 }) ?? keys.needsSpill else { return keys }
        let scratch = try layout.scratchDirectory(tenant)
        return try await scratchWorker.run {
            var spilled = keys
            try spilled.spill(into: scratch)
            return spilled
        }
    }

    /// Removes the files `keys` spilled (after the close pass that needed them, or when the
    /// table failed), on the scratch thread.
    public func discardSpills(of keys: SeenKeySet) async {
        let folders = keys.spillDirectories
        guard !folders.isEmpty else { return }
        try? await scratchWorker.run { for folder in folders { try? FileManager.default.removeItem(atPath: folder) } }
    }

    /// Notes that one sync feeding canonical `table` ended (done or failed). After the last
    /// one of the run, builds the indexes the table's bulk load deferred, on the warehouse
    /// thread, while other tables go on syncing.
    /// - Throws: why building them failed; they are built again at `close` (or the next open).
    public func syncEnded(feeding table: String) async throws {
        try await worker.run { [self] in
            guard let left = pendingSyncs[table] else { return }
            guard left <= 1 else {
                pendingSyncs[table] = left - 1
                return
            }
            pendingSyncs[table] = nil
            if lockLossGuard.withLock({ lockTaken }) { return }  // another process writes it now
            try warehouse?.endBulkLoad(table: table)
        }
    }

    /// Builds the indexes a bulk load deferred, closes the warehouse and stops the workers.
    /// - Returns: why the index build failed, if it did; the warehouse is consistent
    ///   anyway and the next open builds the missing indexes.
    @discardableResult
    public func close() async -> (any Error)? {
        let failure: (any Error)?
        do {
            try await worker.run { [self] in
                defer { warehouse = nil }
                // After losing the lock the deferred indexes are left to the new holder (and
                // any later open), which creates what is missing.
                if lockLossGuard.withLock({ lockTaken }) { return }
                try warehouse?.endBulkLoad()
            }
            failure = nil
        } catch {
            failure = error
        }
        // Spills of tables that failed; done before the caller releases the tenant.
        rawFilesLock.withLock { openRawFiles.removeAll() }  // what a chunk left open (its thread is done with it)
        try? await scratchWorker.run { [self] in removeScratch() }
        worker.stop()
        scratchWorker.stop()
        return failure
    }
}
