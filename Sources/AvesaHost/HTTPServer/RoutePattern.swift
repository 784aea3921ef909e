/// A path pattern such as `/api/companies/:id` or `/static/*path`.
/// `:name` captures one segment; a final `*name` captures the rest of the path (joined by `/`).
public struct RoutePattern: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case parameter(String)
        case rest(String)
    }

    let segments: [Segment]
    /// The pattern as written.
    public let description: String

    /// Parses a pattern; segments starting with `:` are parameters, a last segment starting with `*` captures the rest.
    public init(_ pattern: String) {
        description = pattern
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true)
        segments = parts.enumerated().map { index, part in
            if part.hasPrefix(":") { return .parameter(String(part.dropFirst())) }
            if part.hasPrefix("*") && index == parts.count - 1 { return .rest(String(part.dropFirst())) }
            return .literal(String(part))
        }
    }

    /// Matches decoded path segments, returning captured parameters or nil.
    func match(_ path: [String]) -> [String: String]? {
        var params: [String: String] = [:]
        var i = 0
        for segment in segments {
            switch segment {
            case .literal(let text):
                guard i < path.count, path[i] == text else { return nil }
                i += 1
            case .parameter(let name):
                guard i < path.count, !path[i].isEmpty else { return nil }
                params[name] = path[i]
                i += 1
            case .rest(let name):
                params[name] = path[i...].joined(separator: "/")
                return params
            }
        }
        return i == path.count ? params : nil
    }
}
