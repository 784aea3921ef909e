extension JSONScanner {
    /// Validates and skips the value at `position` (whitespace already skipped) without
    /// materialising anything. Iterative; container kinds live in a bit stack (an array only
    /// beyond 64 levels). `depth` is the number of containers already enclosing the value.
    mutating func skipValue(depth: Int) throws(JSONError) {
        var level = 0
        var bits: UInt64 = 0  // bit i set: container at level i+1 is an object (levels 1...64)
        var deep: [Bool] = []  // kinds of levels beyond 64
        nextValue: while true {
            guard position < count else { throw unexpected("expected a value") }
            let b = base[position]
            switch b {
            case UInt8(ascii: "\""):
                _ = try scanString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = b == UInt8(ascii: "{")
                try checkDepth(depth + level + 1)
                position += 1
                skipWhitespace()
                if current == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    position += 1
                } else {
                    if level < 64 {
                        if isObject { bits |= 1 << UInt64(level) } else { bits &= ~(1 << UInt64(level)) }
                    } else {
                        deep.append(isObject)
                    }
                    level += 1
                    if isObject { _ = try scanKey("expected string key or '}'") }
                    continue nextValue
                }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                _ = try scanNumber()
            case UInt8(ascii: "t"):
                try expectLiteral("true")
            case UInt8(ascii: "f"):
                try expectLiteral("false")
            case UInt8(ascii: "n"):
                try expectLiteral("null")
            default:
                throw unexpected("expected a value")
            }
            while level > 0 {
                let isObject = level <= 64 ? bits & (1 << UInt64(level - 1)) != 0 : deep[level - 65]
                skipWhitespace()
                let c = current
                if c == UInt8(ascii: ",") {
                    position += 1
                    skipWhitespace()
                    if isObject { _ = try scanKey("expected string key after ','") }
                    continue nextValue
                }
                if isObject {
                    guard c == UInt8(ascii: "}") else { throw unexpected("expected ',' or '}' after object member") }
                } else {
                    guard c == UInt8(ascii: "]") else { throw unexpected("expected ',' or ']' after array element") }
                }
                position += 1
                if level > 64 { deep.removeLast() }
                level -= 1
            }
            return
        }
    }
}
