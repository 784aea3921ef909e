/// A set of field paths compiled once into a matching plan for `JSONRecordScanner`.
/// Values come back in the order of `paths`.
public struct JSONFieldPlan: Sendable {
    /// The paths, in the order their values are reported.
    public let paths: [JSONFieldPath]
    let plan: JSONPathPlan

    /// Compiles field paths (duplicates allowed; each gets its own slot).
    public init(_ paths: [JSONFieldPath]) {
        self.paths = paths
        plan = JSONPathPlan(paths: paths.map(\.components), indices: false)
    }

    /// Compiles dotted paths such as `["id", "status.name", "_info.lastUpdated"]`.
    public init(dotted: [String]) throws(JSONError) {
        var parsed: [JSONFieldPath] = []
        for text in dotted { parsed.append(try JSONFieldPath(text)) }
        self.init(parsed)
    }

    /// The slot of `path` in `JSONRecord.values`, or `nil`.
    public func index(of path: JSONFieldPath) -> Int? {
        paths.firstIndex(of: path)
    }
}
