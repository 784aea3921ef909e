/// An RFC 6901 JSON pointer such as `/result`, `/@odata.nextLink` or `/a~1b/0` (`~1` is `/`, `~0` is `~`).
/// The empty pointer `""` designates the whole document.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens.
    public let tokens: [String]

    /// Creates a pointer from unescaped tokens.
    public init(tokens: [String]) {
        self.tokens = tokens
    }

    /// Parses pointer text; throws `.invalidPath` if it does not start with `/` (unless empty)
    /// or contains `~` not followed by `0` or `1`.
    public init(_ text: String) throws(JSONError) {
        let bytes = Array(text.utf8)
        if bytes.isEmpty {
            tokens = []
            return
        }
        guard bytes[0] == UInt8(ascii: "/") else {
            throw JSONError.path(.invalidPath, "JSON pointer must be empty or start with '/'")
        }
        var result: [String] = []
        var current: [UInt8] = []
        var i = 1
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "/") {
                result.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            } else if b == UInt8(ascii: "~") {
                guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "0") || bytes[i + 1] == UInt8(ascii: "1") else {
                    throw JSONError.path(.invalidPath, "'~' in a JSON pointer must be followed by '0' or '1'", offset: i)
                }
                current.append(bytes[i + 1] == UInt8(ascii: "0") ? UInt8(ascii: "~") : UInt8(ascii: "/"))
                i += 1
            } else {
                current.append(b)
            }
            i += 1
        }
        result.append(String(decoding: current, as: UTF8.self))
        tokens = result
    }

    /// The escaped pointer text.
    public var description: String {
        tokens.map { "/" + $0.replacingAll("~", with: "~0").replacingAll("/", with: "~1") }.joined()
    }

    /// The array index a token denotes (`0` or a digit string without leading zero), or `nil`.
    static func arrayIndex(_ token: String) -> Int? {
        let u = Array(token.utf8)
        guard !u.isEmpty, u.count <= 18, u.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        if u.count > 1 && u[0] == 0x30 { return nil }
        return u.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}

extension String {
    /// Foundation-free replacement of every occurrence of a one-character string.
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        guard contains(target) else { return self }
        var out = ""
        for c in self {
            if c == target { out += replacement } else { out.append(c) }
        }
        return out
    }
}
