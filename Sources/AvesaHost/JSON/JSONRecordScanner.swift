/// On-demand reader for API pages: iterates the records of the array at a JSON pointer
/// (`/result`, `/records`, `/value`, or `""` for a root array) without materialising the page,
/// extracting only the fields of a `JSONFieldPlan` and skipping (but validating) the rest.
/// Page-level values such as `/nextRecordsUrl` or `/@odata.deltaLink` are captured in the same
/// pass (`pageFields`, `pageValues`).
///
/// If a key on the way to the records array occurs more than once, the first occurrence is used.
/// Records are returned as they are scanned, so a syntax error after record *n* surfaces on
/// the call to `next()` that follows it; the whole page is validated before `next()` returns `nil`.
///
///     var scanner = JSONRecordScanner(bytes: page, recordsAt: try JSONPointer("/records"), fields: plan,
///                                     pageFields: [try JSONPointer("/nextRecordsUrl")])
///     while let record = try scanner.next() { use(record.byteRange, record.values) }
///     let next = scanner.pageValues[0]?.string
public struct JSONRecordScanner: Sendable {
    private enum State: Sendable {
        case start
        case inRecords(first: Bool)
        case done
    }

    /// The page bytes.
    public let bytes: [UInt8]
    /// Where the records array is.
    public let recordsPointer: JSONPointer
    /// The fields extracted from each record.
    public let fields: JSONFieldPlan
    /// Page-level pointers captured while scanning. They must lie outside the records array and
    /// not enclose it (a pointer to the array, inside it, or to an ancestor stays `nil`).
    public let pageFields: [JSONPointer]
    /// Limits in force.
    public let options: JSONParserOptions
    /// Values at `pageFields` (same order), `nil` where absent. Members before the records array
    /// are available after the first `next()`; the set is complete once `next()` returned `nil`.
    public private(set) var pageValues: [JSONValue?]

    private let pointerPlan: JSONPathPlan
    private let pagePlan: JSONPathPlan
    private var state = State.start
    private var position = 0
    private var levels: [JSONScanner.EnclosingLevel] = []  // containers around the records array
    private var nextIndex = 0
    private var values: [JSONValue?]

    /// Creates a scanner; nothing is read until the first `next()`.
    public init(bytes: [UInt8], recordsAt pointer: JSONPointer = JSONPointer(tokens: []), fields: JSONFieldPlan,
                pageFields: [JSONPointer] = [], options: JSONParserOptions = .init()) {
        self.bytes = bytes
        self.recordsPointer = pointer
        self.fields = fields
        self.pageFields = pageFields
        self.options = options
        pointerPlan = JSONPathPlan(pointers: [pointer])
        pagePlan = JSONPathPlan(pointers: pageFields)
        values = [JSONValue?](repeating: nil, count: fields.paths.count)
        pageValues = [JSONValue?](repeating: nil, count: pageFields.count)
    }

    /// The next record, or `nil` once the array and the rest of the page have been read and validated.
    public mutating func next() throws(JSONError) -> JSONRecord? {
        if case .done = state { return nil }
        let bytes = self.bytes
        var position = self.position
        var state = self.state
        // Moved out (not copied), so resetting the slots does not copy the arrays.
        var levels: [JSONScanner.EnclosingLevel] = []
        swap(&levels, &self.levels)
        var values: [JSONValue?] = []
        swap(&values, &self.values)
        var pageValues: [JSONValue?] = []
        swap(&pageValues, &self.pageValues)
        let plan = fields.plan
        let pointerPlan = self.pointerPlan
        let pagePlan = self.pagePlan
        let pointer = recordsPointer
        let index = nextIndex
        defer {
            self.position = position
            self.state = state
            self.levels = levels
            self.values = values
            self.pageValues = pageValues
        }
        do throws(JSONError) {
            let range: Range<Int>? = try JSONParser.withRaw(bytes) { (raw) throws(JSONError) -> Range<Int>? in
                try JSONScanner.with(raw, options: options, position: position) { (s: inout JSONScanner) throws(JSONError) -> Range<Int>? in
                    defer { position = s.position }
                    if case .start = state {
                        s.skipWhitespace()
                        try s.navigate(to: pointerPlan, pointer: pointer, page: pagePlan, levels: &levels, pageValues: &pageValues)
                        state = .inRecords(first: true)
                    }
                    guard case .inRecords(let first) = state else { return nil }
                    s.skipWhitespace()
                    let c = s.current
                    if !first && c == UInt8(ascii: ",") {
                        s.position += 1
                        s.skipWhitespace()
                    } else if c == UInt8(ascii: "]") {
                        s.position += 1
                        try s.finish(levels: levels, page: pagePlan, pageValues: &pageValues)
                        state = .done
                        return nil
                    } else if !first {
                        throw s.unexpected("expected ',' or ']' after array element")
                    }
                    for i in values.indices { values[i] = nil }
                    let start = s.position
                    try s.extract(plan: plan, node: 0, depth: levels.count + 1, into: &values)
                    state = .inRecords(first: false)
                    return start..<s.position
                }
            }
            guard let range else { return nil }
            nextIndex += 1
            return JSONRecord(index: index, byteRange: range, values: values)
        } catch {
            state = .done
            throw error
        }
    }

    /// Reads every remaining record.
    public mutating func allRecords() throws(JSONError) -> [JSONRecord] {
        var result: [JSONRecord] = []
        while let record = try next() { result.append(record) }
        return result
    }
}
