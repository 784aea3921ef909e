/// A page's records and what the paginator needs to know about it.
public struct ParsedPage: Sendable {
    /// The records; their byte ranges index into `recordBytes`.
    public let records: [JSONRecord]
    /// The bytes the records come from: the body itself, or the NDJSON a hook returned
    /// (as a JSON array).
    public let recordBytes: [UInt8]
    /// Record count, next value, done flag and delta link (headers are added by the stream).
    public let summary: PageSummary
    /// A watermark stated by the parser itself (a hook's), used as is when this is the last page.
    public let watermark: String?

    /// Creates a parsed page.
    public init(records: [JSONRecord], recordBytes: [UInt8], summary: PageSummary, watermark: String? = nil) {
        self.records = records
        self.recordBytes = recordBytes
        self.summary = summary
        self.watermark = watermark
    }
}

/// How a page's body becomes records: the manifest's pointers (`DeclarativePageParser`)
/// or the plugin's `parse_page` hook (`HookPageParser`). Failures are thrown as
/// `ConnectorError.pagination` (declarative) or `PluginHookError` (hooks).
public protocol PageParsing: Sendable {
    /// Parses `response`, fetched for the page at `position` from `url`.
    func parse(_ response: HTTPClientResponse, position: PagePosition, url: String) async throws -> ParsedPage
}

/// The manifest's way: records at the records pointer, next/done/delta at their pointers.
public struct DeclarativePageParser: PageParsing {
    let endpointName: String
    let fields: JSONFieldPlan
    let recordsPointer: JSONPointer
    let bodyPointers: [JSONPointer?]

    /// A parser for `endpoint`'s pointers extracting `fields` from each record.
    public init(endpoint: EndpointSpec, fields: JSONFieldPlan) throws(ConnectorError) {
        func pointer(_ text: String?) throws(ConnectorError) -> JSONPointer? {
            guard let text else { return nil }
            do { return try JSONPointer(text) } catch { throw .pagination("bad JSON pointer \(text): \(error)") }
        }
        guard let records = try pointer(endpoint.recordsPointer) else { throw .pagination("no records pointer") }
        endpointName = endpoint.name
        self.fields = fields
        recordsPointer = records
        let spec = endpoint.pagination
        bodyPointers = [try pointer(spec.nextPointer), try pointer(spec.donePointer), try pointer(spec.deltaPointer)]
    }

    public func parse(_ response: HTTPClientResponse, position: PagePosition, url: String) async throws -> ParsedPage {
        let body = response.body
        do {
            var scanner = JSONRecordScanner(bytes: body, recordsAt: recordsPointer, fields: fields)
            let records = try scanner.allRecords()
            let values = try Self.bodyValues(bodyPointers, in: body)
            let summary = PageSummary(recordCount: records.count, nextValue: values[0]?.string, done: values[1]?.bool,
                                      deltaLink: values[2]?.string)
            return ParsedPage(records: records, recordBytes: body, summary: summary)
        } catch {
            throw ConnectorError.pagination("malformed page from \(URLRedactor.redact(url)) (\(endpointName)): \(error)")
        }
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
