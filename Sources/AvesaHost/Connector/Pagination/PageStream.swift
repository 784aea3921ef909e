/// One page as fetched: its original bytes (for the raw zone), its records (byte ranges
/// and extracted fields), and where the loop goes next.
public struct FetchedPage: Sendable {
    /// The position this page was fetched at.
    public let position: PagePosition
    /// The body exactly as received.
    public let body: [UInt8]
    /// The records found at the endpoint's records pointer (or returned by `parse_page`).
    public let records: [JSONRecord]
    /// The bytes the records' byte ranges index into: `body`, or the JSON array made
    /// from a `parse_page` hook's NDJSON.
    public let recordBytes: [UInt8]
    /// What comes next (the resume cursor is `next`'s position).
    public let step: Paginator.Step
}

/// Pulls an endpoint's pages one at a time through a `ServiceClient`, so memory stays
/// bounded by one page whatever the table's size. Starts at `.start` or at a saved
/// resume position.
///
/// Requests come from a `PageRequestBuilding` and records from a `PageParsing`: the
/// manifest's declarative ones, or the plugin's `build_request` / `parse_page` hooks when
/// `hooks` provides them. Either way the `Paginator` decides the next position.
public struct PageStream: Sendable {
    private let client: ServiceClient
    private let endpoint: EndpointSpec
    private let requests: any PageRequestBuilding
    private let parser: any PageParsing
    private var paginator: Paginator
    private var position: PagePosition?
    private let keySlot: Int?

    /// Creates a stream; nothing is fetched until `next()`.
    /// - Parameter hooks: the plugin's hooks for this tenant; `build_request` and
    ///   `parse_page` replace the declarative request and parsing when present.
    public init(client: ServiceClient, endpoint: EndpointSpec, query: EndpointQuery, fields: JSONFieldPlan,
                startingAt start: PagePosition = .start, hooks: TenantHooks? = nil) throws(ConnectorError) {
        let pageSize = query.effectivePageSize(for: endpoint)
        // Keyset paging continues from the last record's key: extract it with the rest.
        var fields = fields, keySlot: Int?
        if endpoint.pagination.kind == .keyset {
            keySlot = fields.paths.count
            do { fields = JSONFieldPlan(fields.paths + [try JSONFieldPath(endpoint.primaryKey)]) } catch {
                throw .pagination("bad primary key path \(endpoint.primaryKey): \(error)")
            }
        }
        let requests: any PageRequestBuilding = if let hooks, hooks.available.buildRequest {
            HookPageRequests(hooks: hooks, endpoint: endpoint, query: query)
        } else {
            DeclarativePageRequests(endpoint: endpoint, query: query)
        }
        let parser: any PageParsing = if let hooks, hooks.available.parsePage {
            HookPageParser(hooks: hooks, endpoint: endpoint, query: query, fields: fields)
        } else {
            try DeclarativePageParser(endpoint: endpoint, fields: fields)
        }
        self.init(client: client, endpoint: endpoint, requests: requests, parser: parser, pageSize: pageSize, startingAt: start,
                  keySlot: keySlot)
    }

    /// Creates a stream from explicit strategies. `keySlot` is the slot of the parser's field
    /// plan holding the primary key (required for keyset paging).
    public init(client: ServiceClient, endpoint: EndpointSpec, requests: any PageRequestBuilding, parser: any PageParsing,
                pageSize: Int, startingAt start: PagePosition = .start, keySlot: Int? = nil) {
        self.client = client
        self.endpoint = endpoint
        self.requests = requests
        self.parser = parser
        self.paginator = Paginator(spec: endpoint.pagination, pageSize: pageSize)
        self.position = start
        self.keySlot = keySlot
    }

    /// The next page, or nil when the table is complete.
    public mutating func next() async throws -> FetchedPage? {
        guard let position else { return nil }
        let request = try await requests.request(for: position)
        let response = try await client.send(request)
        let parsed = try await parser.parse(response, position: position, url: request.url)
        var summary = parsed.summary
        summary.linkNext = LinkHeader.target(relation: "next", in: response.headerValues("Link"))
        if let header = endpoint.pagination.totalHeader { summary.total = response.header(header).flatMap { Int($0) } }
        if let keySlot, let last = parsed.records.last { summary.lastKey = Self.keyText(last[keySlot]) }
        var step = try paginator.step(after: position, url: request.url, summary: summary)
        if case .finished(nil) = step, let watermark = parsed.watermark { step = .finished(watermark: watermark) }
        switch step {
        case .next(let next): self.position = next
        case .finished: self.position = nil
        }
        return FetchedPage(position: position, body: response.body, records: parsed.records,
                           recordBytes: parsed.recordBytes, step: step)
    }

    /// A key as keyset paging writes it into the next query: strings as they are, numbers
    /// as their literal; nil for anything else.
    static func keyText(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text): text
        case .number(let number): number.literal
        default: nil
        }
    }
}
