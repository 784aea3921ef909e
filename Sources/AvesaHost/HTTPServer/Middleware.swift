/// A step around request handling: authentication, rate limiting, logging, CORS…
///
/// `handle` receives the request and `next` (the rest of the chain ending in the router).
/// It may answer on its own (not calling `next`), modify the request before calling `next`,
/// or modify the response after. Implementations must not block on I/O: they run on the
/// Swift concurrency pool. Thrown errors become JSON error responses (`HTTPError` keeps its status).
public protocol Middleware: Sendable {
    /// Handles `request`, usually by calling `next`.
    func handle(_ request: HTTPRequest, next: HTTPHandler) async throws -> HTTPResponse
}

/// A middleware made from a closure.
public struct ClosureMiddleware: Middleware {
    private let body: @Sendable (HTTPRequest, HTTPHandler) async throws -> HTTPResponse

    /// Wraps `body`.
    public init(_ body: @escaping @Sendable (HTTPRequest, HTTPHandler) async throws -> HTTPResponse) { self.body = body }

    /// Calls the closure.
    public func handle(_ request: HTTPRequest, next: HTTPHandler) async throws -> HTTPResponse {
        try await body(request, next)
    }
}

/// Composes middleware (first = outermost) around a router into one handler.
public enum MiddlewareChain {
    /// Builds the handler; errors escaping any middleware become JSON error responses.
    public static func build(_ middleware: [any Middleware], router: Router) -> HTTPHandler {
        var next: HTTPHandler = { request in await router.respond(to: request) }
        for layer in middleware.reversed() {
            let inner = next
            next = { request in
                do {
                    return try await layer.handle(request, next: inner)
                } catch {
                    return Router.errorResponse(error)
                }
            }
        }
        return next
    }
}
