/// A parsed JSON document or fragment (the DOM), for small documents such as configuration,
/// mappings and API request bodies. Use `JSONRecordScanner` for large API pages.
///
/// `==` is structural and order-sensitive for object members; string payloads compare with
/// Swift's `String ==` (Unicode canonical equivalence), while key lookup compares UTF-8 bytes.
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, exact as written (see `JSONNumber`).
    case number(JSONNumber)
    /// A string (escapes decoded).
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object with ordered members.
    case object(JSONObject)
}

/// Literal support. There is deliberately no `ExpressibleByNilLiteral`: with it a `nil` meant as
/// "absent" (`JSONValue?`) could silently become `.null`.
extension JSONValue: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// Boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// Integer literal, stored exactly.
    public init(integerLiteral value: Int64) { self = .number(JSONNumber(value)) }
    /// String literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// Array literal.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// Object literal, in written order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { JSONMember(key: $0.0, value: $0.1) }))
    }
}
