/// What a `run` covers and how hard it may push.
public struct PipelineOptions: Sendable {
    /// Only these tenants (nil: every tenant).
    public var tenants: [String]?
    /// Only this service.
    public var service: String?
    /// Only this table (endpoint name).
    public var table: String?
    /// Ignore watermarks: fetch whole histories (and close rows no longer seen).
    public var full = false
    /// Leave out, instead of failing, a tenant that another run (of this process or another
    /// live one) is syncing: what a schedule wants, since its next tick picks the tenant up.
    /// One-off runs keep failing its tables with the reason, so the caller knows.
    public var skipBusyTenants = false
    /// Table syncs in flight at once across all tenants and services.
    public var concurrency = 8
    /// Tenants worked at once (nil: twice `concurrency`). Each admitted tenant holds its
    /// lock, its warehouse (three file descriptors), two threads and its connections until
    /// its last table ended, so admitting every tenant at once would hold all of that for
    /// the whole run; tenants wait their turn in id order instead.
    public var tenantConcurrency: Int?
    /// The tenant window in effect: `tenantConcurrency`, else twice `concurrency`.
    public var tenantsAtOnce: Int { max(1, tenantConcurrency ?? 2 * concurrency) }
    /// The memory all tenants' SCD2 key indexes may hold together (`key_index_memory_mib`
    /// in the configuration file); past it keys are looked up in SQLite.
    public var keyIndexBudget = KeyIndexBudget.shared
    /// Seen keys a full re-sync of one table holds in memory (16 bytes each) before moving
    /// them to the tenant's scratch folder, so closing deleted rows needs bounded memory
    /// whatever the table size.
    public var seenKeyMemoryLimit = SeenKeySet.defaultMemoryLimit
    /// Rate-limit overrides per service from the command line (win over everything).
    public var rateOverrides: [String: RateLimitOverride] = [:]
    /// Per-tenant, per-service overrides from the configuration file (win over stored ones).
    public var tenantRateOverrides: [String: [String: RateLimitOverride]] = [:]
    /// Per-service defaults from the configuration file (below a tenant's stored override).
    public var serviceRateDefaults: [String: RateLimitOverride] = [:]
    /// Seconds subtracted from a watermark for the next incremental filter.
    public var lookbackSeconds: Int64 = 60
    /// Records per page (nil: the manifest's default).
    public var pageSize: Int?
    /// A chunk running longer than this checkpoints and goes back in the queue, so a big
    /// table cannot hold a slot of the global budget for hours.
    public var chunkTimeBudgetSeconds: Double = 300
    /// How large ranges are split into parallel chunks.
    public var chunkPlanner = ChunkPlanner()
    /// Retries allowed for the whole run.
    public var retryBudget = 5000
    /// Backfill a range instead of following watermarks: microseconds since the epoch
    /// (`until` nil = now). Watermarks still never move backwards.
    public var backfill: (since: Int64, until: Int64?)?
    /// Retry behaviour of each request.
    public var retryPolicy = RetryPolicy()
    /// Rows a table that was empty at the start of the run must receive (a table that held
    /// rows: this many and a large share of them written or announced) before its analytics
    /// indexes are dropped and rebuilt when the table's syncs ended
    /// (`TenantWarehouse.beginBulkLoad`).
    public var bulkLoadThreshold = TenantWarehouse.defaultBulkLoadThreshold
    /// Stored rows from which an incremental sync of a table first asks the service how many
    /// records its range holds (one count request), so a run that rewrites a large share of
    /// the table drops its analytics indexes before writing rather than midway
    /// (`TenantWarehouse.expectWrites`). Measured by the table's largest rowid, an upper
    /// bound that counts every stored version; smaller tables never cost the request.
    public var incrementalCountProbeRows = 100_000
    /// Seconds between refreshes of a tenant's lock while its run holds it; a refresh that
    /// finds the lock taken by another process stops the run's writes to the tenant.
    public var lockHeartbeatSeconds: Double = 10

    public init() {}
}
