/// Entry points of the strict RFC 8259 parser (DOM mode and page-level pointer reads).
public enum JSONParser {
    /// Parses a whole document into a `JSONValue`.
    public static func parse(_ bytes: UnsafeRawBufferPointer, options: JSONParserOptions = .init()) throws(JSONError) -> JSONValue {
        try JSONScanner.with(bytes, options: options) { (s: inout JSONScanner) throws(JSONError) -> JSONValue in
            s.skipWhitespace()
            let value = try s.parseValue(depth: 0)
            try s.expectEndOfDocument()
            return value
        }
    }

    /// Parses a whole document into a `JSONValue`.
    public static func parse(_ bytes: [UInt8], options: JSONParserOptions = .init()) throws(JSONError) -> JSONValue {
        try withRaw(bytes) { (raw) throws(JSONError) in try parse(raw, options: options) }
    }

    /// Parses a whole document held in a `String` (its UTF-8 bytes).
    public static func parse(_ text: String, options: JSONParserOptions = .init()) throws(JSONError) -> JSONValue {
        try parse(Array(text.utf8), options: options)
    }

    /// Checks that `bytes` is one valid JSON document, materialising nothing.
    public static func validate(_ bytes: [UInt8], options: JSONParserOptions = .init()) throws(JSONError) {
        try withRaw(bytes) { (raw) throws(JSONError) in
            try JSONScanner.with(raw, options: options) { (s: inout JSONScanner) throws(JSONError) in
                s.skipWhitespace()
                try s.skipValue(depth: 0)
                try s.expectEndOfDocument()
            }
        }
    }

    /// Reads the values at several pointers (e.g. `/nextRecordsUrl`, `/@odata.nextLink`, `/done`)
    /// in one validating pass, skipping everything else; `nil` where a pointer does not resolve.
    public static func values(
        at pointers: [JSONPointer], in bytes: [UInt8], options: JSONParserOptions = .init()
    ) throws(JSONError) -> [JSONValue?] {
        let plan = JSONPathPlan(pointers: pointers)
        var values = [JSONValue?](repeating: nil, count: pointers.count)
        try withRaw(bytes) { (raw) throws(JSONError) in
            try JSONScanner.with(raw, options: options) { (s: inout JSONScanner) throws(JSONError) in
                s.skipWhitespace()
                try s.extract(plan: plan, node: 0, depth: 0, into: &values)
                try s.expectEndOfDocument()
            }
        }
        return values
    }

    /// Reads the value at one pointer in a validating pass; `nil` if it does not resolve.
    public static func value(at pointer: JSONPointer, in bytes: [UInt8], options: JSONParserOptions = .init()) throws(JSONError) -> JSONValue? {
        try values(at: [pointer], in: bytes, options: options)[0]
    }

    /// Gives `body` the array's bytes as a raw buffer, with the error type kept.
    static func withRaw<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(JSONError) -> R) throws(JSONError) -> R {
        let result: Result<R, JSONError> = bytes.withUnsafeBytes { raw in
            do throws(JSONError) { return .success(try body(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
