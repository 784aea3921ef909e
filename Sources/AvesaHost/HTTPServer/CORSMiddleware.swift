/// CORS (Fetch standard) for configured origins.
///
/// A preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) from an allowed
/// origin is answered 204 here with the allowed methods/headers and max-age; from another
/// origin with 403. Other requests from an allowed origin get `Access-Control-Allow-Origin`
/// (the origin echoed) and `Vary: Origin`; other origins get no CORS headers.
public struct CORSMiddleware: Middleware {
    /// Origins allowed, e.g. `https://app.example.com`; `*` allows any (never with credentials).
    public var allowedOrigins: Set<String>
    /// Methods announced to preflights.
    public var allowedMethods: [HTTPMethod]
    /// Request headers announced to preflights.
    public var allowedHeaders: [String]
    /// Response headers exposed to scripts.
    public var exposedHeaders: [String]
    /// Whether cookies/authorization may be sent.
    public var allowCredentials: Bool
    /// Preflight cache lifetime in seconds.
    public var maxAgeSeconds: Int

    /// Creates the middleware.
    public init(allowedOrigins: Set<String>,
                allowedMethods: [HTTPMethod] = [.get, .head, .post, .put, .patch, .delete],
                allowedHeaders: [String] = ["Content-Type", "Authorization", "X-Request-Id"],
                exposedHeaders: [String] = ["X-Request-Id"],
                allowCredentials: Bool = false, maxAgeSeconds: Int = 600) {
        self.allowedOrigins = allowedOrigins
        self.allowedMethods = allowedMethods
        self.allowedHeaders = allowedHeaders
        self.exposedHeaders = exposedHeaders
        self.allowCredentials = allowCredentials
        self.maxAgeSeconds = maxAgeSeconds
    }

    func isAllowed(_ origin: String) -> Bool {
        allowedOrigins.contains(origin) || (allowedOrigins.contains("*") && !allowCredentials)
    }

    /// Answers preflights and decorates responses.
    public func handle(_ request: HTTPRequest, next: HTTPHandler) async throws -> HTTPResponse {
        guard let origin = request.headers["Origin"] else { return try await next(request) }
        let allowed = isAllowed(origin)
        if request.method == .options, let requested = request.headers["Access-Control-Request-Method"] {
            guard allowed, allowedMethods.contains(HTTPMethod(rawValue: requested)) else {
                var denied = HTTPResponse.jsonError(.forbidden, code: "cors_denied", message: "CORS preflight denied.")
                denied.headers.add(name: "Vary", value: "Origin")
                return denied
            }
            var response = HTTPResponse(status: .noContent)
            response.headers.add(name: "Access-Control-Allow-Origin", value: origin)
            response.headers.add(name: "Access-Control-Allow-Methods", value: allowedMethods.map(\.rawValue).joined(separator: ", "))
            response.headers.add(name: "Access-Control-Allow-Headers", value: allowedHeaders.joined(separator: ", "))
            response.headers.add(name: "Access-Control-Max-Age", value: String(maxAgeSeconds))
            if allowCredentials { response.headers.add(name: "Access-Control-Allow-Credentials", value: "true") }
            response.headers.add(name: "Vary", value: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
            return response
        }
        var response = try await next(request)
        response.headers.add(name: "Vary", value: "Origin")
        if allowed {
            response.headers.set(name: "Access-Control-Allow-Origin", value: origin)
            if allowCredentials { response.headers.set(name: "Access-Control-Allow-Credentials", value: "true") }
            if !exposedHeaders.isEmpty {
                response.headers.set(name: "Access-Control-Expose-Headers", value: exposedHeaders.joined(separator: ", "))
            }
        }
        return response
    }
}
