/// A streaming JSON writer appending compact UTF-8 to a byte buffer.
///
///     var w = JSONWriter()
///     w.beginObject(); w.key("id"); w.int(42); w.key("tags"); w.beginArray(); w.string("a"); w.endArray(); w.endObject()
///     // w.jsonString == #"{"id":42,"tags":["a"]}"#
///
/// Commas are inserted automatically. Calls must nest correctly (a `key` before every
/// value inside an object); the writer checks this only with assertions in debug builds.
public struct JSONWriter: Sendable {
    /// The output so far.
    public internal(set) var bytes: [UInt8]
    /// The options in force.
    public let options: JSONWriterOptions
    private var needsComma = false
    private var depth = 0

    /// Creates a writer that appends to `bytes` (empty by default).
    public init(options: JSONWriterOptions = .init(), appendingTo bytes: [UInt8] = []) {
        self.bytes = bytes
        self.options = options
    }

    /// Reserves room for `count` more bytes.
    public mutating func reserveCapacity(_ count: Int) {
        bytes.reserveCapacity(bytes.count + count)
    }

    /// Returns the output and leaves the writer empty.
    public mutating func takeBytes() -> [UInt8] {
        defer { bytes = []; needsComma = false; depth = 0 }
        return bytes
    }

    /// The output decoded as a `String`.
    public var jsonString: String { String(decoding: bytes, as: UTF8.self) }

    @inline(__always)
    private mutating func separator() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// Writes `{`.
    public mutating func beginObject() {
        separator()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        depth += 1
    }

    /// Writes `}`.
    public mutating func endObject() {
        assert(depth > 0, "endObject without beginObject")
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
        depth -= 1
    }

    /// Writes `[`.
    public mutating func beginArray() {
        separator()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        depth += 1
    }

    /// Writes `]`.
    public mutating func endArray() {
        assert(depth > 0, "endArray without beginArray")
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
        depth -= 1
    }

    /// Writes a member name and `:`; the next call writes its value.
    public mutating func key(_ key: String) {
        separator()
        appendQuoted(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a string value.
    public mutating func string(_ value: String) {
        separator()
        appendQuoted(value)
        needsComma = true
    }

    /// Writes an exact integer.
    public mutating func int(_ value: Int64) {
        separator()
        appendInt(value)
        needsComma = true
    }

    /// Writes a finite double in shortest round-trip form (`null` for NaN or infinity).
    public mutating func double(_ value: Double) {
        if let n = JSONNumber(value) { number(n) } else { null() }
    }

    /// Writes a number from its literal text (digits preserved).
    public mutating func number(_ value: JSONNumber) {
        separator()
        switch value.storage {
        case .int(let v): appendInt(v)
        case .text(let t): bytes.append(contentsOf: t.utf8)
        }
        needsComma = true
    }

    /// Writes `true` or `false`.
    public mutating func bool(_ value: Bool) {
        separator()
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
        needsComma = true
    }

    /// Writes `null`.
    public mutating func null() {
        separator()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    /// Writes bytes that already are one valid JSON value (e.g. a record's original bytes), unchanged.
    public mutating func rawValue(_ json: some Sequence<UInt8>) {
        separator()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    /// Writes a whole `JSONValue` (keys sorted if `options.sortedKeys`).
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let n): number(n)
        case .string(let s): string(s)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element) }
            endArray()
        case .object(let object):
            beginObject()
            if options.sortedKeys {
                let order = object.members.indices.sorted {
                    object.members[$0].key.utf8.lexicographicallyPrecedes(object.members[$1].key.utf8)
                        || (object.members[$0].key.utf8.elementsEqual(object.members[$1].key.utf8) && $0 < $1)
                }
                for i in order {
                    key(object.members[i].key)
                    self.value(object.members[i].value)
                }
            } else {
                for member in object.members {
                    key(member.key)
                    self.value(member.value)
                }
            }
            endObject()
        }
    }

    private mutating func appendInt(_ value: Int64) {
        if value >= 0 && value < 10 {
            bytes.append(UInt8(truncatingIfNeeded: value) + 0x30)
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch
        let negative = value < 0
        var magnitude = value.magnitude
        let written = withUnsafeMutableBytes(of: &digits) { raw -> Int in
            var i = raw.count
            repeat {
                i -= 1
                raw[i] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
                magnitude /= 10
            } while magnitude != 0
            if negative {
                i -= 1
                raw[i] = UInt8(ascii: "-")
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[i...]))
            return raw.count - i
        }
        _ = written
    }
}
