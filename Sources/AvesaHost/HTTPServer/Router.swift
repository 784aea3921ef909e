/// The signature of every handler and of a middleware's `next`.
public typealias HTTPHandler = @Sendable (HTTPRequest) async throws -> HTTPResponse

/// Maps method + path pattern to handlers. Build it before starting the server; it is a
/// value and becomes immutable once handed over.
///
/// Unknown paths answer 404 and known paths with another method 405 with `Allow`, both
/// with the uniform JSON error body. HEAD falls back to the GET handler (the server drops
/// the body). Errors thrown by handlers become JSON error responses here, so middleware
/// always sees a response.
public struct Router: Sendable {
    struct Route: Sendable {
        let method: HTTPMethod
        let pattern: RoutePattern
        let maxBodySize: Int?
        let handler: HTTPHandler
    }

    enum Match {
        case found(Route, [String: String])
        case methodNotAllowed([HTTPMethod])
        case notFound
    }

    private var routes: [Route] = []

    /// Creates an empty router.
    public init() {}

    /// Adds a route. `maxBodySize` overrides `ServerLimits.maxBodySize` for it.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, maxBodySize: Int? = nil,
                             handler: @escaping HTTPHandler) {
        routes.append(Route(method: method, pattern: RoutePattern(pattern), maxBodySize: maxBodySize, handler: handler))
    }

    /// Adds a GET route (also answers HEAD).
    public mutating func get(_ pattern: String, handler: @escaping HTTPHandler) { add(.get, pattern, handler: handler) }
    /// Adds a POST route.
    public mutating func post(_ pattern: String, maxBodySize: Int? = nil, handler: @escaping HTTPHandler) {
        add(.post, pattern, maxBodySize: maxBodySize, handler: handler)
    }
    /// Adds a PUT route.
    public mutating func put(_ pattern: String, maxBodySize: Int? = nil, handler: @escaping HTTPHandler) {
        add(.put, pattern, maxBodySize: maxBodySize, handler: handler)
    }
    /// Adds a PATCH route.
    public mutating func patch(_ pattern: String, maxBodySize: Int? = nil, handler: @escaping HTTPHandler) {
        add(.patch, pattern, maxBodySize: maxBodySize, handler: handler)
    }
    /// Adds a DELETE route.
    public mutating func delete(_ pattern: String, handler: @escaping HTTPHandler) { add(.delete, pattern, handler: handler) }

    func match(_ method: HTTPMethod, _ segments: [String]) -> Match {
        var allowed: [HTTPMethod] = []
        var headFallback: (Route, [String: String])?
        for route in routes {
            guard let params = route.pattern.match(segments) else { continue }
            if route.method == method { return .found(route, params) }
            if method == .head && route.method == .get && headFallback == nil { headFallback = (route, params) }
            if !allowed.contains(route.method) { allowed.append(route.method) }
        }
        if let headFallback { return .found(headFallback.0, headFallback.1) }
        if allowed.isEmpty { return .notFound }
        if allowed.contains(.get) && !allowed.contains(.head) { allowed.append(.head) }
        return .methodNotAllowed(allowed)
    }

    /// The body limit for a request: the route's own, 0 where no route takes a body (no
    /// route matches, or a GET, HEAD, DELETE or OPTIONS route that sets none), else nil for
    /// the server's default.
    func maxBodySize(_ method: HTTPMethod, _ segments: [String]) -> Int? {
        guard case .found(let route, _) = match(method, segments) else {
            return 0  // answered 404 or 405 whatever it carries: nothing of a body is read
        }
        if let limit = route.maxBodySize { return limit }
        // Methods without a body take none unless their route says so.
        return [.get, .head, .delete, .options].contains(method) ? 0 : nil
    }

    /// Routes a request and runs its handler; never throws for handler errors.
    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        switch match(request.method, request.pathSegments) {
        case .found(let route, let params):
            var request = request
            request.pathParameters = params
            do {
                return try await route.handler(request)
            } catch {
                return Self.errorResponse(error)
            }
        case .methodNotAllowed(let allowed):
            return HTTPError(.methodNotAllowed, code: "method_not_allowed",
                             message: "Method \(request.method) is not allowed for this resource.",
                             headers: ["Allow": allowed.map(\.rawValue).joined(separator: ", ")]).response
        case .notFound:
            return HTTPResponse.jsonError(.notFound, code: "not_found", message: "No route matches this path.")
        }
    }

    /// Maps any error to a response: `HTTPError` as itself, anything else as a generic 500.
    static func errorResponse(_ error: any Error) -> HTTPResponse {
        if let httpError = error as? HTTPError { return httpError.response }
        return HTTPResponse.jsonError(.internalServerError, code: "internal_error", message: "Internal server error.")
    }
}
