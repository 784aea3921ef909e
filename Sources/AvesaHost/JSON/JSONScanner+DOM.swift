extension JSONScanner {
    /// One open container while building a DOM value iteratively.
    private struct Frame {
        var isObject: Bool
        var start: Int  // where this container's children begin in `elements` or `members`
        var key: String = ""
    }

    /// Parses the value at `position` (whitespace already skipped) into a `JSONValue`.
    /// Iterative (an explicit frame stack), so deep input cannot overflow the call stack.
    /// `depth` is the number of containers already enclosing this value.
    /// Children of open containers wait on two shared stacks and are moved out once, at the
    /// exact size, when their container closes (no growth reallocations, no extra ARC).
    mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        var frames: [Frame] = []
        var elements = JSONMoveStack<JSONValue>()
        var members = JSONMoveStack<JSONMember>()
        defer {
            elements.destroy()
            members.destroy()
        }
        var result: JSONValue
        nextValue: while true {
            guard position < count else { throw unexpected("expected a value") }
            switch base[position] {
            case UInt8(ascii: "{"):
                try checkDepth(depth + frames.count + 1)
                position += 1
                skipWhitespace()
                if current == UInt8(ascii: "}") {
                    position += 1
                    result = .object(JSONObject())
                } else {
                    let key = try scanKey("expected string key or '}'")
                    frames.append(Frame(isObject: true, start: members.count, key: makeString(key)))
                    continue nextValue
                }
            case UInt8(ascii: "["):
                try checkDepth(depth + frames.count + 1)
                position += 1
                skipWhitespace()
                if current == UInt8(ascii: "]") {
                    position += 1
                    result = .array([])
                } else {
                    frames.append(Frame(isObject: false, start: elements.count))
                    continue nextValue
                }
            case UInt8(ascii: "\""):
                let s = try scanString()
                result = .string(makeString(s))
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                result = .number(try parseNumber())
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                result = .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                result = .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                result = .null
            default:
                throw unexpected("expected a value")
            }
            // `result` is complete: attach it to the open containers, closing them as they end.
            while true {
                let top = frames.count - 1
                guard top >= 0 else { return result }
                let isObject = frames[top].isObject
                if isObject {
                    members.push(JSONMember(key: frames[top].key, value: result))
                } else {
                    elements.push(result)
                }
                skipWhitespace()
                let c = current
                if c == UInt8(ascii: ",") {
                    position += 1
                    skipWhitespace()
                    if isObject {
                        let key = try scanKey("expected string key after ','")
                        frames[top].key = makeString(key)
                    }
                    continue nextValue
                }
                if isObject {
                    guard c == UInt8(ascii: "}") else { throw unexpected("expected ',' or '}' after object member") }
                    result = .object(JSONObject(members.popArray(from: frames.removeLast().start)))
                } else {
                    guard c == UInt8(ascii: "]") else { throw unexpected("expected ',' or ']' after array element") }
                    result = .array(elements.popArray(from: frames.removeLast().start))
                }
                position += 1
            }
        }
    }
}
