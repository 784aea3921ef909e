extension JSONScanner {
    /// Scans and validates a string whose opening quote is at `position`; leaves `position`
    /// after the closing quote. Returns the content range (between the quotes) and whether it
    /// contains escapes. Validates UTF-8, control characters and escapes (surrogate pairs too).
    @inline(__always)
    mutating func scanString() throws(JSONError) -> (start: Int, end: Int, escaped: Bool) {
        let open = position
        position += 1
        let start = position
        var escaped = false
        while true {
            // 8 bytes at a time while none is '"', '\\', a control byte or non-ASCII.
            while position + 8 <= count {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self))
                let ones: UInt64 = 0x0101_0101_0101_0101
                let highs: UInt64 = 0x8080_8080_8080_8080
                let q = w ^ (ones &* 0x22)
                let s = w ^ (ones &* 0x5C)
                let mask = ((q &- ones) & ~q) | ((s &- ones) & ~s) | ((w &- ones &* 0x20) & ~w) | w
                let hit = mask & highs
                if hit != 0 {
                    position += hit.trailingZeroBitCount >> 3
                    break
                }
                position += 8
            }
            guard position < count else {
                throw error(.unexpectedEnd, "unterminated string", at: open)
            }
            let b = base[position]
            if b == UInt8(ascii: "\"") {
                position += 1
                return (start, position - 1, escaped)
            } else if b == UInt8(ascii: "\\") {
                escaped = true
                try skipEscape()
            } else if b < 0x20 {
                throw error(.unexpectedByte, "control character 0x\(String(b, radix: 16, uppercase: true)) must be escaped in a string", at: position)
            } else if b < 0x80 {
                position += 1
            } else {
                try skipUTF8Sequence()
            }
        }
    }

    /// Validates the escape at `position` (a backslash) and moves past it.
    @inline(never)
    mutating func skipEscape() throws(JSONError) {
        _ = try decodeEscape()
    }

    /// Decodes the escape at `position` (a backslash), returning the Unicode scalar value and
    /// moving past it; a `\uD8xx\uDCxx` pair yields one scalar.
    mutating func decodeEscape() throws(JSONError) -> UInt32 {
        let at = position
        guard position + 1 < count else { throw error(.unexpectedEnd, "unterminated escape sequence", at: at) }
        let c = base[position + 1]
        position += 2
        switch c {
        case UInt8(ascii: "\""): return 0x22
        case UInt8(ascii: "\\"): return 0x5C
        case UInt8(ascii: "/"): return 0x2F
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "u"):
            let unit = try hex4(escapeAt: at)
            if unit >= 0xDC00 && unit <= 0xDFFF {
                throw error(.invalidEscape, "unpaired low surrogate \\u\(String(unit, radix: 16, uppercase: true))", at: at)
            }
            guard unit >= 0xD800 && unit <= 0xDBFF else { return unit }
            guard position + 1 < count, base[position] == UInt8(ascii: "\\"), base[position + 1] == UInt8(ascii: "u") else {
                throw error(.invalidEscape, "high surrogate \\u\(String(unit, radix: 16, uppercase: true)) is not followed by a low surrogate escape", at: at)
            }
            let lowAt = position
            position += 2
            let low = try hex4(escapeAt: lowAt)
            guard low >= 0xDC00 && low <= 0xDFFF else {
                throw error(.invalidEscape, "high surrogate \\u\(String(unit, radix: 16, uppercase: true)) is not followed by a low surrogate escape", at: lowAt)
            }
            return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        default:
            position = at + 1
            throw unexpected("expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u after backslash")
        }
    }

    /// Reads 4 hex digits at `position`.
    @inline(__always)
    private mutating func hex4(escapeAt: Int) throws(JSONError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard position < count else { throw error(.unexpectedEnd, "unterminated \\u escape", at: escapeAt) }
            let b = base[position]
            let d: UInt8
            switch b {
            case 0x30...0x39: d = b - 0x30
            case 0x41...0x46: d = b - 0x41 + 10
            case 0x61...0x66: d = b - 0x61 + 10
            default: throw unexpected("expected 4 hex digits after \\u")
            }
            v = v << 4 | UInt32(d)
            position += 1
        }
        return v
    }

    /// Makes a `String` from a scanned string's content range.
    @inline(__always)
    mutating func makeString(_ range: (start: Int, end: Int, escaped: Bool)) -> String {
        if !range.escaped {
            return String(decoding: UnsafeBufferPointer(start: base + range.start, count: range.end - range.start), as: UTF8.self)
        }
        decodeEscapedIntoScratch(range)
        return String(decoding: scratch, as: UTF8.self)
    }

    /// Decodes an already validated escaped string content into `scratch` as UTF-8.
    mutating func decodeEscapedIntoScratch(_ range: (start: Int, end: Int, escaped: Bool)) {
        scratch.removeAll(keepingCapacity: true)
        let saved = position
        position = range.start
        while position < range.end {
            let b = base[position]
            if b != UInt8(ascii: "\\") {
                scratch.append(b)
                position += 1
                continue
            }
            // Validated by scanString, so decoding cannot fail here.
            let scalar = (try? decodeEscape()) ?? 0xFFFD
            appendUTF8(scalar)
        }
        position = saved
    }

    private mutating func appendUTF8(_ v: UInt32) {
        switch v {
        case 0..<0x80:
            scratch.append(UInt8(v))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (v >> 6)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (v >> 12)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (v >> 18)))
            scratch.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// Whether a scanned key equals `bytes` (decoding escapes only when present).
    @inline(__always)
    mutating func keyEquals(_ key: (start: Int, end: Int, escaped: Bool), _ bytes: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        if !key.escaped {
            return key.end - key.start == length && memoryEquals(base + key.start, bytes, length)
        }
        decodeEscapedIntoScratch(key)
        guard scratch.count == length else { return false }
        return length == 0 || scratch.withUnsafeBufferPointer { memoryEquals($0.baseAddress!, bytes, length) }
    }
}

/// Byte equality without Foundation.
@inline(__always)
func memoryEquals(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < n {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
