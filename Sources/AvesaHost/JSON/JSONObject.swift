/// A JSON object: members in document order, duplicates kept, with lookup by key.
///
/// Keys compare by their UTF-8 bytes (no Unicode normalisation), and a lookup returns the
/// *last* member with that key, as the on-demand extractor does.
public struct JSONObject: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// The members in document order.
    public var members: [JSONMember]

    /// Creates an object from members in order.
    public init(_ members: [JSONMember] = []) {
        self.members = members
    }

    /// Creates an object from a literal, keeping the written order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { JSONMember(key: $0.0, value: $0.1) }
    }

    /// The first member index.
    public var startIndex: Int { members.startIndex }
    /// One past the last member index.
    public var endIndex: Int { members.endIndex }
    /// The member at `position`.
    public subscript(position: Int) -> JSONMember { members[position] }

    /// The value of the last member named `key`, or `nil`. Setting appends or replaces the last one.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let i = lastIndex(ofKey: key) else { return nil }
            return members[i].value
        }
        set {
            if let i = lastIndex(ofKey: key) {
                if let newValue { members[i].value = newValue } else { members.remove(at: i) }
            } else if let newValue {
                members.append(JSONMember(key: key, value: newValue))
            }
        }
    }

    /// The keys in document order.
    public var keys: [String] { members.map(\.key) }

    /// Index of the last member whose key has exactly the UTF-8 bytes of `key`.
    public func lastIndex(ofKey key: String) -> Int? {
        var i = members.count - 1
        while i >= 0 {
            if members[i].key.utf8.elementsEqual(key.utf8) { return i }
            i -= 1
        }
        return nil
    }
}
