/// On-demand reader for API pages: iterates the records of the array at a JSON pointer
/// (`/result`, `/records`, `/value`, or `""` for a root array) without materialising the page,
/// extracting only the fields of a `JSONFieldPlan` and skipping (but validating) the rest.
///
/// Records are returned as they are scanned, so a syntax error after record *n* surfaces on
/// the call to `next()` that follows it; the whole page is validated before `next()` returns `nil`.
///
///     var scanner = JSONRecordScanner(bytes: page, recordsAt: try JSONPointer("/records"), fields: plan)
///     while let record = try scanner.next() { use(record.byteRange, record.values) }
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
    /// Limits in force.
    public let options: JSONParserOptions

    private let pointerPlan: JSONPathPlan
    private var state = State.start
    private var position = 0
    private var enclosing: [Bool] = []  // kinds (isObject) of containers around the records array
    private var nextIndex = 0
    private var values: [JSONValue?]

    /// Creates a scanner; nothing is read until the first `next()`.
    public init(bytes: [UInt8], recordsAt pointer: JSONPointer = JSONPointer(tokens: []), fields: JSONFieldPlan,
                options: JSONParserOptions = .init()) {
        self.bytes = bytes
        self.recordsPointer = pointer
        self.fields = fields
        self.options = options
        pointerPlan = JSONPathPlan(pointers: [pointer])
        values = [JSONValue?](repeating: nil, count: fields.paths.count)
    }

    /// The next record, or `nil` once the array and the rest of the page have been read and validated.
    public mutating func next() throws(JSONError) -> JSONRecord? {
        if case .done = state { return nil }
        let bytes = self.bytes
        var position = self.position
        var state = self.state
        // Moved out (not copied) so resetting the slots does not copy the array.
        var enclosing: [Bool] = []
        swap(&enclosing, &self.enclosing)
        var values: [JSONValue?] = []
        swap(&values, &self.values)
        let plan = fields.plan
        let pointerPlan = self.pointerPlan
        let pointer = recordsPointer
        let index = nextIndex
        defer {
            self.position = position
            self.state = state
            self.enclosing = enclosing
            self.values = values
        }
        do throws(JSONError) {
            let range: Range<Int>? = try JSONParser.withRaw(bytes) { (raw) throws(JSONError) -> Range<Int>? in
                try JSONScanner.with(raw, options: options, position: position) { (s: inout JSONScanner) throws(JSONError) -> Range<Int>? in
                    defer { position = s.position }
                    if case .start = state {
                        s.skipWhitespace()
                        try s.navigate(plan: pointerPlan, pointer: pointer, enclosing: &enclosing)
                        state = .inRecords(first: true)
                    }
                    guard case .inRecords(let first) = state else { return nil }
                    s.skipWhitespace()
                    if !first {
                        let c = s.current
                        if c == UInt8(ascii: ",") {
                            s.position += 1
                            s.skipWhitespace()
                        } else if c == UInt8(ascii: "]") {
                            s.position += 1
                            try s.finish(enclosing: enclosing)
                            state = .done
                            return nil
                        } else {
                            throw s.unexpected("expected ',' or ']' after array element")
                        }
                    } else if s.current == UInt8(ascii: "]") {
                        s.position += 1
                        try s.finish(enclosing: enclosing)
                        state = .done
                        return nil
                    }
                    for i in values.indices { values[i] = nil }
                    let start = s.position
                    try s.extract(plan: plan, node: 0, depth: enclosing.count + 1, into: &values)
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

extension JSONScanner {
    /// Moves from the document's root to just inside the array at `pointer`, skipping other
    /// members; records the kinds of the containers passed through in `enclosing`.
    mutating func navigate(plan: JSONPathPlan, pointer: JSONPointer, enclosing: inout [Bool]) throws(JSONError) {
        var node = 0
        while plan.nodes[node].edgeCount > 0 {
            let n = plan.nodes[node]
            let depth = enclosing.count
            let open = current
            guard open == UInt8(ascii: "{") || open == UInt8(ascii: "[") else {
                if position >= count { throw unexpected("expected a value") }
                throw error(.typeMismatch, "expected an object or array on the way to records at '\(pointer)'", at: position)
            }
            let isObject = open == UInt8(ascii: "{")
            try checkDepth(depth + 1)
            position += 1
            skipWhitespace()
            var found: Int? = nil
            var index = 0
            if current != (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                while true {
                    if isObject {
                        let key = try scanKey(index == 0 ? "expected string key or '}'" : "expected string key after ','")
                        found = matchKey(plan: plan, node: n, key: key)
                    } else {
                        found = matchIndex(plan: plan, node: n, index: index)
                    }
                    if found != nil { break }
                    try skipValue(depth: depth + 1)
                    skipWhitespace()
                    guard current == UInt8(ascii: ",") else { break }
                    position += 1
                    skipWhitespace()
                    index += 1
                }
            }
            guard let child = found else {
                skipWhitespace()
                let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if current != close {
                    throw unexpected(isObject ? "expected ',' or '}' after object member" : "expected ',' or ']' after array element")
                }
                throw error(.pathNotFound, "no value at '\(pointer)'", at: position)
            }
            enclosing.append(isObject)
            node = child
        }
        guard current == UInt8(ascii: "[") else {
            if position >= count { throw unexpected("expected a value") }
            throw error(.typeMismatch, "expected an array of records at '\(pointer)'", at: position)
        }
        try checkDepth(enclosing.count + 1)
        position += 1
    }

    /// After the records array: validates the rest of each enclosing container and the end of input.
    mutating func finish(enclosing: [Bool]) throws(JSONError) {
        var level = enclosing.count - 1
        while level >= 0 {
            let isObject = enclosing[level]
            while true {
                skipWhitespace()
                let c = current
                if c == UInt8(ascii: ",") {
                    position += 1
                    skipWhitespace()
                    if isObject { _ = try scanKey("expected string key after ','") }
                    try skipValue(depth: level + 1)
                    continue
                }
                if isObject {
                    guard c == UInt8(ascii: "}") else { throw unexpected("expected ',' or '}' after object member") }
                } else {
                    guard c == UInt8(ascii: "]") else { throw unexpected("expected ',' or ']' after array element") }
                }
                position += 1
                break
            }
            level -= 1
        }
        try expectEndOfDocument()
    }
}
