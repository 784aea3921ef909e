extension JSONScanner {
    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// Validates a number at `position` against `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    /// and moves past it. Returns the integer magnitude (valid only when `integral` and
    /// `digits <= 19`).
    @inline(__always)
    mutating func scanNumber() throws(JSONError) -> (start: Int, negative: Bool, integral: Bool, digits: Int, magnitude: UInt64) {
        let start = position
        var negative = false
        if base[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        guard position < count, Self.isDigit(base[position]) else {
            throw error(.invalidNumber, position < count ? "expected a digit in number" : "unexpected end of input in number", at: position)
        }
        var magnitude: UInt64 = 0
        var digits = 0
        if base[position] == UInt8(ascii: "0") {
            position += 1
            digits = 1
            if position < count, Self.isDigit(base[position]) {
                throw error(.invalidNumber, "leading zeros are not allowed in numbers", at: position - 1)
            }
        } else {
            while position < count {
                let d = base[position] &- 0x30
                guard d < 10 else { break }
                magnitude = magnitude &* 10 &+ UInt64(d)
                digits += 1
                position += 1
            }
        }
        var integral = true
        if position < count, base[position] == UInt8(ascii: ".") {
            integral = false
            position += 1
            guard position < count, Self.isDigit(base[position]) else {
                throw error(.invalidNumber, "expected a digit after the decimal point", at: position)
            }
            while position < count, Self.isDigit(base[position]) { position += 1 }
        }
        if position < count, base[position] | 0x20 == UInt8(ascii: "e") {
            integral = false
            position += 1
            if position < count, base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < count, Self.isDigit(base[position]) else {
                throw error(.invalidNumber, "expected a digit in the exponent", at: position)
            }
            while position < count, Self.isDigit(base[position]) { position += 1 }
        }
        return (start, negative, integral, digits, magnitude)
    }

    /// Parses a number at `position` into a `JSONNumber` (exact `Int64` when possible).
    @inline(__always)
    mutating func parseNumber() throws(JSONError) -> JSONNumber {
        let n = try scanNumber()
        if n.integral && n.digits <= 19 {
            if !n.negative {
                if n.magnitude <= UInt64(Int64.max) { return JSONNumber(storage: .int(Int64(n.magnitude))) }
            } else if n.magnitude != 0 && n.magnitude <= UInt64(Int64.max) + 1 {
                return JSONNumber(storage: .int(Int64(truncatingIfNeeded: 0 &- n.magnitude)))
            }
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + n.start, count: position - n.start), as: UTF8.self)
        return JSONNumber(storage: .text(text))
    }
}
