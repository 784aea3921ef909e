/// Percent-decoding of request targets (RFC 3986 §2.1).
enum PercentDecoding {
    /// Decodes `%XX` escapes (and `+` as space when `plusAsSpace`). Returns nil for a
    /// malformed escape, a decoded NUL byte, or bytes that are not valid UTF-8.
    static func decode(_ input: Substring, plusAsSpace: Bool = false) -> String? {
        let utf8 = input.utf8
        if !utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) {
            return String(input)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var i = utf8.startIndex
        while i < utf8.endIndex {
            let b = utf8[i]
            if b == UInt8(ascii: "%") {
                let h = utf8.index(after: i)
                guard h < utf8.endIndex else { return nil }
                let l = utf8.index(after: h)
                guard l < utf8.endIndex, let hi = ASCII.hexValue(utf8[h]), let lo = ASCII.hexValue(utf8[l]) else { return nil }
                let decoded = UInt8(hi * 16 + lo)
                if decoded == 0 { return nil }
                bytes.append(decoded)
                i = utf8.index(after: l)
            } else {
                bytes.append(plusAsSpace && b == UInt8(ascii: "+") ? ASCII.space : b)
                i = utf8.index(after: i)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
