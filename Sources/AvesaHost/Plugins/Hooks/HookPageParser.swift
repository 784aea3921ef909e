/// Pages parsed by the plugin's `parse_page` hook (formats the records pointer cannot
/// reach): its NDJSON becomes a JSON array scanned for `fields`, its next token drives
/// the paginator (as the next value) and its watermark ends the table.
public struct HookPageParser: PageParsing {
    let hooks: TenantHooks
    let endpoint: EndpointSpec
    let query: EndpointQuery
    let fields: JSONFieldPlan

    /// A parser for `endpoint` using `hooks`, extracting `fields` from each record.
    public init(hooks: TenantHooks, endpoint: EndpointSpec, query: EndpointQuery, fields: JSONFieldPlan) {
        self.hooks = hooks
        self.endpoint = endpoint
        self.query = query
        self.fields = fields
    }

    public func parse(_ response: HTTPClientResponse, position: PagePosition, url: String) async throws -> ParsedPage {
        let values = HookRequestValues(endpoint: endpoint.name, baseURL: query.baseURL, since: query.since, until: query.until,
                                       pageToken: HookPageRequests.token(position), pageSize: query.effectivePageSize(for: endpoint))
        let page = try await hooks.parsePage(values, response: response)
        let (array, lines) = Self.jsonArray(fromNDJSON: page.ndjson)
        let records: [JSONRecord]
        do {
            var scanner = JSONRecordScanner(bytes: array, fields: fields)
            records = try scanner.allRecords()
        } catch {
            throw hooks.hooks.unusable("parse_page", "records_ndjson is not one JSON value per line: \(error)")
        }
        guard records.count == lines, page.recordCount == lines else {
            throw hooks.hooks.unusable("parse_page", "record_count is \(page.recordCount) but records_ndjson holds \(lines) lines")
        }
        return ParsedPage(records: records, recordBytes: array,
                          summary: PageSummary(recordCount: records.count, nextValue: page.nextToken), watermark: page.watermark)
    }

    /// `[line1,line2,...]` from NDJSON (blank lines and `\r` ignored) and the line count.
    static func jsonArray(fromNDJSON ndjson: [UInt8]) -> (bytes: [UInt8], lines: Int) {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        bytes.reserveCapacity(ndjson.count + 2)
        var lines = 0
        for line in ndjson.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            let isBlank = line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
            if isBlank { continue }
            if lines > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: line)
            lines += 1
        }
        bytes.append(UInt8(ascii: "]"))
        return (bytes, lines)
    }
}
