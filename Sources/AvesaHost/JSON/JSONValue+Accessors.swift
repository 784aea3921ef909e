extension JSONValue {
    /// The value of the last member named `key` when this is an object, otherwise `nil`.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The element at `index` when this is an array and the index is in range, otherwise `nil`.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    /// The string payload, or `nil`.
    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The exact integer when this is an integer literal within `Int64`, or `nil`.
    public var int64: Int64? {
        if case .number(let n) = self { return n.int64 }
        return nil
    }

    /// The number as `Double` (possibly rounded), or `nil` when not a number.
    public var double: Double? {
        if case .number(let n) = self { return n.double }
        return nil
    }

    /// The Boolean payload, or `nil`.
    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The number's exact literal text (for decimals such as money), or `nil`.
    public var decimalText: String? {
        if case .number(let n) = self { return n.literal }
        return nil
    }

    /// The number payload, or `nil`.
    public var number: JSONNumber? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// The elements when this is an array, or `nil`.
    public var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The object when this is an object, or `nil`.
    public var object: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// `true` for `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Follows a field path through object members (last member wins); `nil` if any step is missing.
    public func value(atPath path: JSONFieldPath) -> JSONValue? {
        var current = self
        for component in path.components {
            guard case .object(let o) = current, let next = o[component] else { return nil }
            current = next
        }
        return current
    }

    /// Follows a dotted field path such as `"status.name"`; `nil` if missing or malformed.
    public func value(atPath dotted: String) -> JSONValue? {
        guard let path = try? JSONFieldPath(dotted) else { return nil }
        return value(atPath: path)
    }

    /// Resolves an RFC 6901 pointer; array steps need a decimal index token.
    public func value(at pointer: JSONPointer) -> JSONValue? {
        var current = self
        for token in pointer.tokens {
            switch current {
            case .object(let o):
                guard let next = o[token] else { return nil }
                current = next
            case .array(let a):
                guard let i = JSONPointer.arrayIndex(token), i < a.count else { return nil }
                current = a[i]
            default:
                return nil
            }
        }
        return current
    }
}
