/// A complete request handed to middleware and handlers. A value: middleware may copy and
/// modify it before passing it on.
public struct HTTPRequest: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The raw request target as received (path and query, percent-encoded).
    public var target: String
    /// The percent-decoded path, e.g. `/api/companies/a b`.
    public var path: String
    /// The path's segments, each percent-decoded separately (so `%2F` stays inside a segment).
    public var pathSegments: [String]
    /// Decoded query parameters in order; repeated names are kept.
    public var queryParameters: [(name: String, value: String)]
    /// Protocol version.
    public var version: HTTPVersion
    /// Header fields.
    public var headers: HTTPHeaders
    /// The complete body (already de-chunked).
    public var body: [UInt8]
    /// Values captured by the matched route pattern (`:id` → `id`).
    public var pathParameters: [String: String] = [:]
    /// The peer address, when the request came from a socket.
    public var remoteAddress: SocketAddress?
    /// The request id (set by `RequestIDMiddleware`).
    public var requestID: String?
    /// Free-form values attached by middleware (e.g. an authenticated principal's id).
    public var attributes: [String: String] = [:]

    /// Creates a request from a raw target; throws `HTTPError` (400) for a malformed target.
    public init(method: HTTPMethod, target: String, version: HTTPVersion = .http1_1,
                headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) throws(HTTPError) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        let parts = try Self.parseTarget(target)
        self.path = parts.path
        self.pathSegments = parts.segments
        self.queryParameters = parts.query
    }

    /// The value of route parameter `name`.
    public func pathParameter(_ name: String) -> String? { pathParameters[name] }

    /// The first query parameter called `name`.
    public func queryParameter(_ name: String) -> String? {
        queryParameters.first { $0.name == name }?.value
    }

    /// Whether the client asked to keep the connection open.
    public var keepAlive: Bool {
        HTTPRequestHead(method: method, target: target, version: version, headers: headers).keepAlive
    }

    static func parseTarget(_ target: String) throws(HTTPError) -> (path: String, segments: [String], query: [(name: String, value: String)]) {
        if target == "*" { return ("*", [], []) }
        var target = Substring(target)
        if let scheme = target.firstRange(of: "://"), target[..<scheme.lowerBound].lowercased().hasPrefix("http") {
            // absolute-form: keep only path and query
            let afterAuthority = target[scheme.upperBound...]
            target = afterAuthority.firstIndex(where: { $0 == "/" || $0 == "?" }).map { afterAuthority[$0...] } ?? "/"
            if target.first == "?" { target = "/" + target }
        }
        let rawPath: Substring
        let rawQuery: Substring?
        if let q = target.firstIndex(of: "?") {
            rawPath = target[..<q]
            rawQuery = target[target.index(after: q)...]
        } else {
            rawPath = target
            rawQuery = nil
        }
        let invalid = HTTPError(.badRequest, code: "invalid_target", message: "The request target is not valid.")
        guard rawPath.first == "/" else { throw invalid }
        guard let path = PercentDecoding.decode(rawPath) else { throw invalid }
        var segments: [String] = []
        for raw in rawPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            guard let segment = PercentDecoding.decode(raw) else { throw invalid }
            segments.append(segment)
        }
        if segments.last == "" { segments.removeLast() }  // trailing slash
        var query: [(name: String, value: String)] = []
        if let rawQuery {
            for pair in rawQuery.split(separator: "&") {
                let name: Substring
                let value: Substring
                if let eq = pair.firstIndex(of: "=") {
                    name = pair[..<eq]
                    value = pair[pair.index(after: eq)...]
                } else {
                    name = pair
                    value = ""
                }
                guard let n = PercentDecoding.decode(name, plusAsSpace: true),
                      let v = PercentDecoding.decode(value, plusAsSpace: true) else { throw invalid }
                query.append((name: n, value: v))
            }
        }
        return (path, segments, query)
    }
}
