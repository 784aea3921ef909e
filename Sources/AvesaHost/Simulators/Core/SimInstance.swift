/// One simulated customer system (a ConnectWise company, a ServiceNow instance, a
/// Salesforce org, an Entra tenant): its own secrets and its own data.
public struct SimInstance: Sendable {
    /// 0-based index (`--instances K` gives 0..<K).
    public let index: Int
    /// The service's secret values (user names, keys, client ids) without URLs.
    public let secrets: [String: String]
    /// The data.
    public var dataset: SimDataset
    /// API calls counted against a daily quota (Salesforce `Sforce-Limit-Info`).
    public var apiUsage = 0
    /// Requests in the current rate-limit window (ServiceNow hourly rules).
    public var windowRequests = 0
    /// Start of the current rate-limit window, UNIX seconds.
    public var windowStart: Int64 = 0
    /// Open server-side cursors by id (Salesforce query locators).
    var cursors: [String: SimCursor] = [:]
    /// Cursors handed out so far (ids are derived from it).
    var cursorCount = 0

    /// Recent query selections (row positions) by table and query text, with the dataset
    /// generation they were made at: the pages of one query reuse its selection instead of
    /// filtering and sorting the whole table for every page (a 3M-row table would
    /// otherwise cost a full scan and two copies per 1000-record page).
    var selections: [String: (generation: Int, indices: [Int32])] = [:]

    /// The rows of `table` matching `query`, as positions in `table.rows`; cached under `key`
    /// (which must identify the table and the query) until the data changes.
    mutating func selection(_ table: SimTable, query: SimQuery, key: String, includeDeleted: Bool = false) -> [Int32] {
        cachedSelection(key) { query.selectIndices(table, includeDeleted: includeDeleted) }
    }

    /// `compute()`'s row positions, cached under `key` (which must identify the table and
    /// everything that shapes the selection) until the data changes.
    mutating func cachedSelection(_ key: String, _ compute: () -> [Int32]) -> [Int32] {
        if let cached = selections[key], cached.generation == dataset.generation { return cached.indices }
        let indices = compute()
        if selections.count >= 16 { selections.removeAll() }
        selections[key] = (dataset.generation, indices)
        return indices
    }

    /// Cursor ids, oldest first (the oldest is dropped past `maxCursors`).
    var cursorOrder: [String] = []
    /// Open cursors kept per instance; older locators answer INVALID_QUERY_LOCATOR.
    static let maxCursors = 100

    /// Keeps `cursor` and returns its id.
    mutating func store(_ cursor: SimCursor) -> String {
        cursorCount += 1
        let id = "01g" + String(index, radix: 36).uppercased() + "x" + String(cursorCount, radix: 36).uppercased()
        cursors[id] = cursor
        cursorOrder.append(id)
        if cursorOrder.count > Self.maxCursors { cursors[cursorOrder.removeFirst()] = nil }
        return id
    }
}

/// Settings of a simulator (the `simulate` command's flags and test knobs).
public struct SimulatorOptions: Sendable {
    /// Seed of every generated value.
    public var seed: UInt64 = 1
    /// Multiplier on record counts (1: ~50 companies, 150 contacts, 500 tickets, 1500 time entries).
    public var scale = 1.0
    /// Independent instances, each with its own credentials and data.
    public var instances = 1
    /// Lifetime of issued OAuth tokens in seconds (Salesforce, Graph).
    public var tokenLifetime = 3600.0
    /// Salesforce daily API request limit per org.
    public var dailyRequestLimit = 100_000
    /// ServiceNow rate-limit rule: requests per hour per instance (nil: no rule).
    public var hourlyRequestLimit: Int?
    /// ServiceNow: every Nth row of a table (by key) is hidden from the integration user by
    /// an access rule, as on an instance with query ACLs: it is left out of each page after
    /// paging, so a page comes back short while more rows remain, and `X-Total-Count`
    /// still counts it (nil: every row is visible).
    public var serviceNowHiddenEvery: Int?
    /// ConnectWise: the most rows a page holds whatever `pageSize` asks (an on-premises
    /// server that caps it), so pages come back short while rows remain (nil: 1000).
    public var connectWisePageCap: Int?
    /// Graph delta tokens older than this are answered with 410 Gone.
    public var deltaTokenLifetime = 7.0 * 86_400
    /// When the generated history ends (UNIX seconds); the demo sets today.
    public var historyEnd: Int64 = SimDataset.historyEnd

    public init(seed: UInt64 = 1, scale: Double = 1, instances: Int = 1) {
        self.seed = seed
        self.scale = scale
        self.instances = instances
    }
}

/// A simulated SaaS API: its tables, credentials and routes. The shared `Simulator`
/// owns state, counting and faults; a service only speaks its API's dialect.
public protocol SimulatedService: Sendable {
    /// Service name as in the plugin manifest (`connectwise`, `servicenow`, `salesforce`, `m365`).
    var name: String { get }
    /// Tables with their row counts at scale 1.
    var tableSpecs: [SimTableSpec] { get }
    /// Secrets of instance `index` (deterministic from `random`).
    func makeSecrets(index: Int, random: inout SimRandom) -> [String: String]
    /// The plugin manifest's credential values for an instance served at `baseURL`.
    func credentialValues(secrets: [String: String], baseURL: String) -> [String: String]
    /// The primary key value of `row` in `table` as the API shows it (as text).
    func recordID(table: String, row: SimRow, instance: Int) -> String
    /// Adds the API's routes.
    func register(on router: inout Router, simulator: Simulator)
    /// The service's throttling response.
    func throttleResponse(retryAfter: Double, instance: SimInstance) -> HTTPResponse
    /// The service's 5xx response.
    func serverErrorResponse(status: Int) -> HTTPResponse
}
