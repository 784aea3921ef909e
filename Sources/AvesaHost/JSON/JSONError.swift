/// An error found while reading JSON text, a JSON pointer or a field path.
///
/// `offset` is the 0-based byte offset of the offending byte in the input; `line` and
/// `column` are 1-based, and `column` counts Unicode scalars (UTF-8 lead bytes) from the
/// start of the line, so it matches what an editor shows for valid UTF-8.
public struct JSONError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The category of a `JSONError`.
    public enum Kind: Sendable, Equatable {
        /// The input ended before the value was complete.
        case unexpectedEnd
        /// A byte that the grammar does not allow at this point.
        case unexpectedByte
        /// Bytes that are not well-formed UTF-8 (invalid, overlong, surrogate or > U+10FFFF).
        case invalidUTF8
        /// A malformed escape sequence or an unpaired UTF-16 surrogate escape.
        case invalidEscape
        /// A number that does not follow the RFC 8259 grammar.
        case invalidNumber
        /// Non-whitespace content after the top-level value.
        case trailingContent
        /// Containers nested deeper than `JSONParserOptions.maxDepth`.
        case depthLimitExceeded
        /// The input is longer than `JSONParserOptions.maxDocumentSize`.
        case documentTooLarge
        /// A JSON pointer (RFC 6901) or field path that is not well formed.
        case invalidPath
        /// A JSON pointer that does not resolve in the document.
        case pathNotFound
        /// The value at a JSON pointer has the wrong type (for example, records not in an array).
        case typeMismatch
    }

    /// What went wrong.
    public let kind: Kind
    /// 0-based byte offset in the input.
    public let offset: Int
    /// 1-based line number.
    public let line: Int
    /// 1-based column, counted in Unicode scalars.
    public let column: Int
    /// A human-readable description of what was expected or found.
    public let message: String

    /// Creates an error with an explicit position.
    public init(kind: Kind, offset: Int, line: Int, column: Int, message: String) {
        self.kind = kind
        self.offset = offset
        self.line = line
        self.column = column
        self.message = message
    }

    /// `JSON error at line 3, column 14 (byte 52): expected ',' or '}' after object member`.
    public var description: String {
        "JSON error at line \(line), column \(column) (byte \(offset)): \(message)"
    }
}

extension JSONError {
    /// Builds an error at `offset`, computing line and column from the bytes before it. Cold path.
    @inline(never)
    static func at(
        _ offset: Int, in base: UnsafePointer<UInt8>, count: Int, _ kind: Kind, _ message: String
    ) -> JSONError {
        var line = 1
        var column = 1
        var i = 0
        let stop = min(offset, count)
        while i < stop {
            let b = base[i]
            if b == 0x0A {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return JSONError(kind: kind, offset: offset, line: line, column: column, message: message)
    }

    /// An error about a pointer or path string (position counted in the path text).
    static func path(_ kind: Kind, _ message: String, offset: Int = 0) -> JSONError {
        JSONError(kind: kind, offset: offset, line: 1, column: offset + 1, message: message)
    }
}
