/// The byte-level reader shared by every parsing mode (DOM, skip, on-demand extraction).
///
/// Invariant: `base` points at `count` readable bytes and is valid only inside the
/// `withUnsafeBufferPointer` scope that produced it, so a scanner never escapes that scope.
/// Every read checks `position < count` first; there are no other bounds checks.
struct JSONScanner {
    let base: UnsafePointer<UInt8>
    let count: Int
    var position: Int
    let maxDepth: Int
    /// Reused buffer for decoding strings that contain escapes.
    var scratch: [UInt8] = []

    init(base: UnsafePointer<UInt8>, count: Int, options: JSONParserOptions, position: Int = 0) {
        self.base = base
        self.count = count
        self.position = position
        self.maxDepth = options.maxDepth
    }

    /// Runs `body` with a scanner over `bytes`, after the size limit and BOM checks.
    static func with<R>(
        _ bytes: UnsafeRawBufferPointer, options: JSONParserOptions, position: Int = 0,
        _ body: (inout JSONScanner) throws(JSONError) -> R
    ) throws(JSONError) -> R {
        let empty: UInt8 = 0
        return try withUnsafePointer(to: empty) { emptyPointer throws(JSONError) -> R in
            let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? emptyPointer
            var scanner = JSONScanner(base: base, count: bytes.count, options: options, position: position)
            if bytes.count > options.maxDocumentSize {
                throw scanner.error(
                    .documentTooLarge, "document of \(bytes.count) bytes exceeds the limit of \(options.maxDocumentSize) bytes",
                    at: options.maxDocumentSize)
            }
            if position == 0, bytes.count >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF {
                guard options.allowByteOrderMark else {
                    throw scanner.error(.unexpectedByte, "byte-order mark is not allowed (see allowByteOrderMark)", at: 0)
                }
                scanner.position = 3
            }
            return try body(&scanner)
        }
    }

    // MARK: Errors

    func error(_ kind: JSONError.Kind, _ message: String, at offset: Int) -> JSONError {
        JSONError.at(offset, in: base, count: count, kind, message)
    }

    /// The error for the byte at `position` when `expected` was wanted (end of input or a wrong byte).
    @inline(never)
    func unexpected(_ expected: String) -> JSONError {
        if position >= count {
            return error(.unexpectedEnd, "unexpected end of input, \(expected)", at: position)
        }
        let b = base[position]
        let found: String
        if b >= 0x21 && b < 0x7F {
            found = "'\(Character(Unicode.Scalar(b)))'"
        } else {
            found = "byte 0x" + String(b, radix: 16, uppercase: true)
        }
        return error(.unexpectedByte, "\(expected), found \(found)", at: position)
    }

    // MARK: Whitespace and structure

    @inline(__always)
    mutating func skipWhitespace() {
        while position < count {
            let b = base[position]
            if b > 0x20 { return }
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            position += 1
        }
    }

    /// The byte at `position`, or 0 at end of input (0 is never valid where structure is expected).
    @inline(__always)
    var current: UInt8 {
        position < count ? base[position] : 0
    }

    /// After the whole value: only whitespace may follow.
    mutating func expectEndOfDocument() throws(JSONError) {
        skipWhitespace()
        if position != count {
            throw error(.trailingContent, "expected end of document after the top-level value", at: position)
        }
    }

    /// Checks that opening one more container at `depth` stays within `maxDepth`.
    @inline(__always)
    func checkDepth(_ depth: Int) throws(JSONError) {
        if depth > maxDepth {
            throw error(.depthLimitExceeded, "nesting depth exceeds the limit of \(maxDepth)", at: position)
        }
    }

    /// Matches `true`, `false` or `null` whose first byte is at `position`.
    @inline(__always)
    mutating func expectLiteral(_ word: StaticString) throws(JSONError) {
        let n = word.utf8CodeUnitCount
        let w = word.utf8Start
        var i = 0
        while i < n {
            guard position + i < count, base[position + i] == w[i] else {
                position += i
                throw unexpected("expected '\(word)'")
            }
            i += 1
        }
        position += n
    }

    /// Parses `"key"` then `:`, leaving `position` at the value (whitespace skipped).
    /// Returns the key's content range and whether it contains escapes.
    @inline(__always)
    mutating func scanKey(_ expected: StaticString) throws(JSONError) -> (start: Int, end: Int, escaped: Bool) {
        guard current == UInt8(ascii: "\"") else { throw unexpected("\(expected)") }
        let key = try scanString()
        skipWhitespace()
        guard current == UInt8(ascii: ":") else { throw unexpected("expected ':' after object key") }
        position += 1
        skipWhitespace()
        return key
    }
}
