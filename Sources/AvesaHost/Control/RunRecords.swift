/// How a run, run table or chunk ended (or that it has not).
public enum RunStatus: String, Sendable, CaseIterable {
    /// Not started yet (chunks only).
    case pending
    /// In progress.
    case running
    /// Finished successfully.
    case done
    /// Finished with an error.
    case failed
}

/// One table's outcome within a run, for run history.
public struct RunTableRecord: Sendable, Equatable {
    public var runID: Int64
    public var tenant: TenantID
    public var service: String
    public var table: String
    public var status: RunStatus
    public var records: Int64 = 0
    public var pages: Int64 = 0
    public var requests: Int64 = 0
    public var retries: Int64 = 0
    public var throttles: Int64 = 0
    /// The error message when `status` is `.failed`.
    public var error: String?
    public var startedAt: String
    public var finishedAt: String?

    /// Creates a record with zero counters.
    public init(runID: Int64, tenant: TenantID, service: String, table: String, status: RunStatus,
                startedAt: String = ControlClock.timestamp()) {
        self.runID = runID
        self.tenant = tenant
        self.service = service
        self.table = table
        self.status = status
        self.startedAt = startedAt
    }
}
