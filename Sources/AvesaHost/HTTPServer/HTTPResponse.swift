/// A response produced by a handler. Body bytes go out with Content-Length; a streamed
/// body goes out with chunked transfer coding (HTTP/1.1) or close-delimited (HTTP/1.0).
/// The server adds Date, Server, Content-Length/Transfer-Encoding and Connection.
public struct HTTPResponse: Sendable {
    /// How the body is produced.
    public enum Body: Sendable {
        /// A complete body in memory.
        case bytes([UInt8])
        /// A body written piece by piece; `write` suspends while the client is slow (back-pressure).
        case stream(@Sendable (ResponseBodyWriter) async throws -> Void)
    }

    /// Status code.
    public var status: HTTPStatus
    /// Header fields set by the handler.
    public var headers: HTTPHeaders
    /// The body.
    public var body: Body

    /// Creates a response with an in-memory body.
    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = .bytes(body)
    }

    /// Creates a response whose body is streamed by `writer`.
    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(),
                stream writer: @escaping @Sendable (ResponseBodyWriter) async throws -> Void) {
        self.status = status
        self.headers = headers
        self.body = .stream(writer)
    }

    /// The in-memory body bytes (empty for a streamed body).
    public var bodyBytes: [UInt8] {
        if case .bytes(let bytes) = body { return bytes }
        return []
    }
}

/// Receives the pieces of a streamed response body.
public struct ResponseBodyWriter: Sendable {
    private let sink: @Sendable ([UInt8]) async throws -> Void

    /// Creates a writer forwarding to `sink` (tests can collect the pieces).
    public init(sink: @escaping @Sendable ([UInt8]) async throws -> Void) { self.sink = sink }

    /// Sends one piece; suspends until the connection can take more. Throws once the client is gone.
    public func write(_ bytes: [UInt8]) async throws {
        if bytes.isEmpty { return }
        try await sink(bytes)
    }
}
