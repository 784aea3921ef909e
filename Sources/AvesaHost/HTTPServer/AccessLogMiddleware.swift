#if canImport(Glibc)
import Glibc
#endif

/// One line of the access log.
public struct AccessLogEntry: Sendable {
    /// Request method.
    public var method: HTTPMethod
    /// Raw request target.
    public var target: String
    /// Response status code.
    public var status: Int
    /// Handler time in seconds (middleware inside this one included).
    public var durationSeconds: Double
    /// Request id, when `RequestIDMiddleware` runs before this one.
    public var requestID: String?
    /// Peer address.
    public var remoteAddress: SocketAddress?
    /// In-memory body size (nil for streamed bodies).
    public var responseBytes: Int?
}

/// Calls a hook once per request with an `AccessLogEntry`. The hook must be quick and non-blocking.
public struct AccessLogMiddleware: Middleware {
    private let hook: @Sendable (AccessLogEntry) -> Void

    /// Creates the middleware with its hook.
    public init(_ hook: @escaping @Sendable (AccessLogEntry) -> Void) { self.hook = hook }

    /// Times the rest of the chain and reports.
    public func handle(_ request: HTTPRequest, next: HTTPHandler) async throws -> HTTPResponse {
        let start = MonotonicClock.nanoseconds()
        let response: HTTPResponse
        do {
            response = try await next(request)
        } catch {
            response = Router.errorResponse(error)
        }
        var bytes: Int?
        if case .bytes(let b) = response.body { bytes = b.count }
        hook(AccessLogEntry(method: request.method, target: request.target, status: response.status.code,
                            durationSeconds: Double(MonotonicClock.nanoseconds() - start) / 1e9,
                            requestID: request.requestID ?? response.headers[RequestIDMiddleware.headerName],
                            remoteAddress: request.remoteAddress, responseBytes: bytes))
        return response
    }
}

/// CLOCK_MONOTONIC in nanoseconds.
enum MonotonicClock {
    static func nanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
