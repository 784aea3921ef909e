/// One table's outcome within a run, for run history (`run_tables`).
public struct RunTableRecord: Sendable, Equatable {
    /// The run.
    public var runID: Int64
    /// The tenant synced.
    public var tenant: TenantID
    /// The service synced.
    public var service: String
    /// The endpoint (table) name.
    public var table: String
    /// Where the table stands.
    public var status: RunStatus
    /// Records fetched.
    public var records: Int64 = 0
    /// Pages fetched.
    public var pages: Int64 = 0
    /// HTTP requests sent.
    public var requests: Int64 = 0
    /// Requests retried after a failure.
    public var retries: Int64 = 0
    /// Throttling responses (429/503) received.
    public var throttles: Int64 = 0
    /// The error message when `status` is `.failed`.
    public var error: String?
    /// When the table started (`ControlClock` text).
    public var startedAt: String
    /// When the table finished, `nil` while running.
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
