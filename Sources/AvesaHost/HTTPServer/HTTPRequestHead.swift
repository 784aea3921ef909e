/// The request line and header fields of one request, as produced by `HTTPRequestParser`
/// before the body arrives. Framing fields are already validated.
public struct HTTPRequestHead: Sendable, Equatable {
    /// The request method.
    public var method: HTTPMethod
    /// The raw request target (origin-form, or `*`), not percent-decoded.
    public var target: String
    /// HTTP/1.0 or HTTP/1.1.
    public var version: HTTPVersion
    /// Header fields in arrival order.
    public var headers: HTTPHeaders
    /// The validated Content-Length, if the body is length-delimited.
    public var contentLength: Int?
    /// Whether the body uses chunked transfer coding.
    public var isChunked: Bool

    /// Creates a head (used by tests and in-process callers).
    public init(method: HTTPMethod, target: String, version: HTTPVersion = .http1_1,
                headers: HTTPHeaders = HTTPHeaders(), contentLength: Int? = nil, isChunked: Bool = false) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.contentLength = contentLength
        self.isChunked = isChunked
    }

    /// Whether the connection stays open after this exchange: HTTP/1.1 unless
    /// `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool {
        let tokens = headers.listValues(for: "Connection")
        if tokens.contains(where: { HTTPHeaders.namesEqual($0, "close") }) { return false }
        if version == .http1_1 { return true }
        return tokens.contains(where: { HTTPHeaders.namesEqual($0, "keep-alive") })
    }

    /// Whether the request carries a body (chunked or a positive Content-Length).
    public var hasBody: Bool { isChunked || (contentLength ?? 0) > 0 }

    /// Whether the client sent `Expect: 100-continue`.
    public var expectsContinue: Bool {
        guard let value = headers["Expect"] else { return false }
        return HTTPHeaders.namesEqual(value.trimmingASCIIWhitespace(), "100-continue")
    }
}
