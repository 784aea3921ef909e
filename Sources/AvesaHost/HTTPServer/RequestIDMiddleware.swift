/// Gives every request an id: the client's `X-Request-Id` when it is short and safe
/// (≤ 128 chars of `[A-Za-z0-9._-]`), otherwise a fresh random one. The id is stored in
/// `HTTPRequest.requestID` and echoed in the response's `X-Request-Id`.
public struct RequestIDMiddleware: Middleware {
    /// Header name used in both directions.
    public static let headerName = "X-Request-Id"

    /// Creates the middleware.
    public init() {}

    /// Assigns the id and echoes it.
    public func handle(_ request: HTTPRequest, next: HTTPHandler) async throws -> HTTPResponse {
        var request = request
        let id = request.headers[Self.headerName].flatMap { Self.isAcceptable($0) ? $0 : nil } ?? Self.generate()
        request.requestID = id
        var response = try await next(request)
        response.headers.set(name: Self.headerName, value: id)
        return response
    }

    static func isAcceptable(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128 && id.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
                || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
    }

    static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        let hi = rng.next() as UInt64
        let lo = rng.next() as UInt64
        func hex(_ v: UInt64) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }
        return hex(hi) + hex(lo)
    }
}
