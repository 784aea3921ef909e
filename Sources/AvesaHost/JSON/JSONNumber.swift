/// A JSON number that never loses digits.
///
/// Integer literals that fit in `Int64` are stored exactly as `Int64`; every other number
/// (fractions, exponents, `-0`, integers beyond 64 bits) keeps its original literal text, so
/// money amounts and large ids survive a parse/write round trip byte for byte.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    enum Storage: Sendable, Hashable {
        case int(Int64)
        case text(String)
    }

    let storage: Storage

    init(storage: Storage) {
        self.storage = storage
    }

    /// An exact integer.
    public init(_ value: Int64) {
        storage = .int(value)
    }

    /// A finite double, written in Swift's shortest round-tripping form; `nil` for NaN/infinity.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        if abs(value) < 9.0e15, value == Double(Int64(value)), !(value == 0 && value.sign == .minus) {
            storage = .int(Int64(value))
        } else {
            storage = .text(value.description)
        }
    }

    /// Validates `literal` against the RFC 8259 number grammar; `nil` when it does not match.
    public init?(literal: String) {
        var bytes = Array(literal.utf8)
        let parsed: JSONNumber? = bytes.withUnsafeMutableBufferPointer { buffer -> JSONNumber? in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return nil }
            var scanner = JSONScanner(base: UnsafePointer(base), count: buffer.count, options: JSONParserOptions())
            guard let number = try? scanner.parseNumber(), scanner.position == buffer.count else { return nil }
            return number
        }
        guard let parsed else { return nil }
        storage = parsed.storage
    }

    /// The number's literal text (canonical decimal digits for exact integers).
    public var literal: String {
        switch storage {
        case .int(let v): return String(v)
        case .text(let t): return t
        }
    }

    /// The exact value when the literal is an integer within `Int64` range, otherwise `nil`.
    public var int64: Int64? {
        if case .int(let v) = storage { return v }
        return nil
    }

    /// The nearest `Double` (may be infinite for huge exponents, or lose precision).
    public var double: Double {
        switch storage {
        case .int(let v): return Double(v)
        case .text(let t): return Double(t) ?? .nan
        }
    }

    /// Same as `literal`.
    public var description: String { literal }
}
