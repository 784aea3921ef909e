/// A path through nested object members, such as `status.name` or `_info.lastUpdated`.
///
/// The dotted form splits on every `.`; for keys that themselves contain a dot (for example
/// `@odata.type`) build the path from `components` instead.
public struct JSONFieldPath: Sendable, Hashable, CustomStringConvertible {
    /// The member names from the outside in.
    public let components: [String]

    /// Creates a path from member names; must not be empty.
    public init(components: [String]) throws(JSONError) {
        guard !components.isEmpty else { throw JSONError.path(.invalidPath, "field path is empty") }
        self.components = components
    }

    /// Parses a dotted path; empty components (`a..b`, `.a`, `""`) are rejected.
    public init(_ dotted: String) throws(JSONError) {
        let parts = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !dotted.isEmpty, !parts.contains(where: \.isEmpty) else {
            throw JSONError.path(.invalidPath, "field path '\(dotted)' has an empty component")
        }
        components = parts
    }

    /// The dotted form.
    public var description: String { components.joined(separator: ".") }
}
