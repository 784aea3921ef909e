import Foundation

/// One tenant's storage during a run: its warehouse, confined to the tenant's own
/// `BlockingWorker` thread (the only place `warehouse` is touched), and its raw zone,
/// written and fsynced on a second thread so that one table's page sync overlaps another
/// table's merge.
///
/// `@unchecked Sendable`: the warehouse is confined to `worker`; every access goes
/// through `withWarehouse`, which runs on that thread.
public final class TenantStorage: @unchecked Sendable {
    /// The tenant.
    public let tenant: String
    /// Where its files live.
    public let layout: DataLayout
    /// The thread that owns the warehouse.
    public let worker: BlockingWorker
    /// The thread that appends pages to raw files and fsyncs them.
    public let rawWorker: BlockingWorker
    private var warehouse: TenantWarehouse?  // worker thread only

    /// Storage for `tenant`; the warehouse opens on first use and starts a bulk load with
    /// `bulkLoadThreshold`.
    public init(tenant: String, layout: DataLayout, tables: [CanonicalTable],
                bulkLoadThreshold: Int = TenantWarehouse.defaultBulkLoadThreshold) {
        self.bulkLoadThreshold = bulkLoadThreshold
        self.tenant = tenant
        self.layout = layout
        self.worker = BlockingWorker(name: "avesa-tenant-\(tenant)")
        self.rawWorker = BlockingWorker(name: "avesa-raw-\(tenant)")
        self.tables = tables
    }

    private let tables: [CanonicalTable]
    private let bulkLoadThreshold: Int

    /// Runs `body` with the open warehouse on the tenant's worker thread.
    public func withWarehouse<T: Sendable>(_ body: @escaping @Sendable (TenantWarehouse) throws -> T) async throws -> T {
        try await worker.run { [self] in
            if warehouse == nil {
                let path = try layout.warehouse(tenant)
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                let opened = try TenantWarehouse(path: path, tables: tables)
                // A tenant's first sync appends to empty tables: past a few thousand rows their
                // analytics indexes are built once at `close` instead of maintained row by row.
                try opened.beginBulkLoad(threshold: bulkLoadThreshold)
                warehouse = opened
            }
            return try body(warehouse!)
        }
    }

    /// Appends a page's records to the raw file at `path` and fsyncs it, on the raw-zone
    /// thread; returns once the page is durable.
    public func appendRaw(path: String, records: [JSONRecord], of body: [UInt8]) async throws {
        try await rawWorker.run {
            let writer = try RawZoneWriter(path: path)
            try writer.append(records: records, of: body)
            try writer.sync()
        }
    }

    /// Builds the indexes a first load deferred, closes the warehouse and stops the worker.
    /// - Returns: why the index build failed, if it did; the warehouse is consistent
    ///   anyway and the next open builds the missing indexes.
    @discardableResult
    public func close() async -> (any Error)? {
        let failure: (any Error)?
        do {
            try await worker.run { [self] in
                defer { warehouse = nil }
                try warehouse?.endBulkLoad()
            }
            failure = nil
        } catch {
            failure = error
        }
        worker.stop()
        rawWorker.stop()
        return failure
    }
}
