/// The outcome of a run: one record per table, and the run's ids.
public struct RunReport: Sendable {
    /// The control database's run id.
    public let runID: Int64
    /// The raw-zone run id.
    public let rawRunID: RunID
    /// One entry per table attempted.
    public var tables: [RunTableRecord]
    /// Tenants left out because another run was syncing them (`PipelineOptions.skipBusyTenants`).
    public var skippedTenants: [TenantID] = []

    /// Tables that failed.
    public var failed: [RunTableRecord] { tables.filter { $0.status == .failed } }

    /// Records fetched by the whole run.
    public var records: Int64 { tables.reduce(0) { $0 + $1.records } }
}
