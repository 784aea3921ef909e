/// One page as fetched: its original bytes (for the raw zone), its records (byte ranges
/// and extracted fields), and where the loop goes next.
public struct FetchedPage: Sendable {
    /// The position this page was fetched at.
    public let position: PagePosition
    /// The body exactly as received.
    public let body: [UInt8]
    /// The records found at the endpoint's records pointer.
    public let records: [JSONRecord]
    /// What comes next (the resume cursor is `next`'s position).
    public let step: Paginator.Step
}

/// Pulls an endpoint's pages one at a time through a `ServiceClient`, so memory stays
/// bounded by one page whatever the table's size. Starts at `.start` or at a saved
/// resume position.
public struct PageStream: Sendable {
    private let client: ServiceClient
    private let endpoint: EndpointSpec
    private let query: EndpointQuery
    private let fields: JSONFieldPlan
    private let recordsPointer: JSONPointer
    private let bodyPointers: [JSONPointer?]
    private var paginator: Paginator
    private var position: PagePosition?

    /// Creates a stream; nothing is fetched until `next()`.
    public init(client: ServiceClient, endpoint: EndpointSpec, query: EndpointQuery, fields: JSONFieldPlan,
                startingAt start: PagePosition = .start) throws(ConnectorError) {
        self.client = client
        self.endpoint = endpoint
        self.query = query
        self.fields = fields
        self.paginator = Paginator(spec: endpoint.pagination, pageSize: query.effectivePageSize(for: endpoint))
        self.position = start
        func pointer(_ text: String?) throws(ConnectorError) -> JSONPointer? {
            guard let text else { return nil }
            do { return try JSONPointer(text) } catch { throw .pagination("bad JSON pointer \(text): \(error)") }
        }
        guard let records = try pointer(endpoint.recordsPointer) else { throw .pagination("no records pointer") }
        recordsPointer = records
        let spec = endpoint.pagination
        bodyPointers = [try pointer(spec.nextPointer), try pointer(spec.donePointer), try pointer(spec.deltaPointer)]
    }

    /// The URL of the page at `position`.
    func url(for position: PagePosition) throws(ConnectorError) -> String {
        if case .url(let url) = position { return url }
        return URLQuery.appending(paginator.parameters(for: position), to: try query.firstURL(for: endpoint))
    }

    /// The next page, or nil when the table is complete.
    public mutating func next() async throws -> FetchedPage? {
        guard let position else { return nil }
        let url = try url(for: position)
        let response = try await client.send(HTTPClientRequest(url: url, headers: query.requestHeaders(for: endpoint)))
        let body = response.body
        let records: [JSONRecord]
        var summary: PageSummary
        do {
            records = try Self.records(in: body, at: recordsPointer, fields: fields)
            let values = try Self.bodyValues(bodyPointers, in: body)
            summary = PageSummary(recordCount: records.count, nextValue: values[0]?.string, done: values[1]?.bool,
                                  deltaLink: values[2]?.string)
        } catch {
            throw ConnectorError.pagination("malformed page from \(URLRedactor.redact(url)) (\(endpoint.name)): \(error)")
        }
        summary.linkNext = LinkHeader.target(relation: "next", in: response.headerValues("Link"))
        if let header = endpoint.pagination.totalHeader { summary.total = response.header(header).flatMap { Int($0) } }
        let step = try paginator.step(after: position, url: url, summary: summary)
        switch step {
        case .next(let next): self.position = next
        case .finished: self.position = nil
        }
        return FetchedPage(position: position, body: body, records: records, step: step)
    }

    private static func records(in body: [UInt8], at pointer: JSONPointer, fields: JSONFieldPlan) throws(JSONError) -> [JSONRecord] {
        var scanner = JSONRecordScanner(bytes: body, recordsAt: pointer, fields: fields)
        return try scanner.allRecords()
    }

    /// The values at the optional pointers, in order (nil where a pointer is absent).
    private static func bodyValues(_ pointers: [JSONPointer?], in body: [UInt8]) throws(JSONError) -> [JSONValue?] {
        let present = pointers.compactMap { $0 }
        let found = present.isEmpty ? [] : try JSONParser.values(at: present, in: body)
        var result: [JSONValue?] = []
        var index = 0
        for pointer in pointers {
            if pointer == nil {
                result.append(nil)
            } else {
                result.append(found[index])
                index += 1
            }
        }
        return result
    }
}
