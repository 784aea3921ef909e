/// A complete HTTP response received by the connector engine.
public struct HTTPClientResponse: Sendable {
    /// Status code.
    public let status: Int
    /// Headers of the final response, in arrival order.
    public let headers: [(name: String, value: String)]
    /// The body, decoded from gzip/deflate when the server compressed it.
    public let body: [UInt8]
    /// Seconds from start to the last byte.
    public let totalSeconds: Double

    /// Creates a response (tests build them directly).
    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8], totalSeconds: Double = 0) {
        self.status = status
        self.headers = headers
        self.body = body
        self.totalSeconds = totalSeconds
    }

    /// The last value of the header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.last { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Every value of the header `name`, in order (e.g. several `Link` headers).
    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    /// The first `limit` bytes of the body as text, for error messages.
    public func bodySnippet(limit: Int = 300) -> String {
        let text = String(decoding: body.prefix(limit), as: UTF8.self)
        return body.count > limit ? text + "…" : text
    }
}
