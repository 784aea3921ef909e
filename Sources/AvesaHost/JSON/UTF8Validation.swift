extension JSONScanner {
    /// Validates one multi-byte UTF-8 sequence starting at `position` (lead byte >= 0x80) and
    /// moves past it. Rejects stray continuation bytes, overlong forms (C0, C1, E0 80–9F,
    /// F0 80–8F), UTF-16 surrogates (ED A0–BF), code points above U+10FFFF and F5–FF.
    @inline(__always)
    mutating func skipUTF8Sequence() throws(JSONError) {
        let b0 = base[position]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default:
            throw invalidUTF8(at: position, b0 < 0xC0 ? "unexpected UTF-8 continuation byte" : "invalid UTF-8 lead byte")
        }
        guard position + length <= count else {
            throw invalidUTF8(at: position, "truncated UTF-8 sequence")
        }
        let b1 = base[position + 1]
        guard b1 >= low && b1 <= high else {
            throw invalidUTF8(at: position + 1, b0 == 0xED && b1 >= 0xA0
                ? "UTF-8 encoded surrogate" : "invalid or overlong UTF-8 sequence")
        }
        var i = 2
        while i < length {
            guard base[position + i] & 0xC0 == 0x80 else {
                throw invalidUTF8(at: position + i, "invalid UTF-8 continuation byte")
            }
            i += 1
        }
        position += length
    }

    @inline(never)
    func invalidUTF8(at offset: Int, _ message: String) -> JSONError {
        error(.invalidUTF8, "\(message) (byte 0x\(String(base[offset], radix: 16, uppercase: true)))", at: offset)
    }
}
