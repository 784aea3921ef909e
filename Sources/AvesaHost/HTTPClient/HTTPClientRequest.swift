/// One outgoing HTTP request for the connector engine. A value: build it, hand it to
/// `CurlEngine.execute(_:)`.
public struct HTTPClientRequest: Sendable, Equatable {
    /// "GET", "POST", ...
    public var method: String
    /// Absolute http(s) URL.
    public var url: String
    /// Request headers in order (names as given).
    public var headers: [(name: String, value: String)]
    /// Request body, if any.
    public var body: [UInt8]?
    /// Timeouts and limits for this request.
    public var limits: HTTPClientLimits

    /// Creates a request; `limits` defaults to `HTTPClientLimits()`.
    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [],
                body: [UInt8]? = nil, limits: HTTPClientLimits = HTTPClientLimits()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.limits = limits
    }

    /// The first value of the header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public static func == (lhs: HTTPClientRequest, rhs: HTTPClientRequest) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body && lhs.limits == rhs.limits
            && lhs.headers.elementsEqual(rhs.headers) { $0.name == $1.name && $0.value == $1.value }
    }
}

/// Time and size limits of one request.
public struct HTTPClientLimits: Sendable, Equatable {
    /// Time allowed to connect (TCP + TLS), in milliseconds.
    public var connectTimeoutMilliseconds: Int = 10_000
    /// Time allowed for the whole transfer, in milliseconds.
    public var totalTimeoutMilliseconds: Int = 120_000
    /// A transfer slower than `lowSpeedBytesPerSecond` for `lowSpeedSeconds` is aborted.
    public var lowSpeedBytesPerSecond: Int = 1
    /// See `lowSpeedBytesPerSecond`.
    public var lowSpeedSeconds: Int = 30
    /// Largest response body accepted, in bytes.
    public var maxResponseBytes: Int = 64 << 20
    /// Verify TLS certificates and host names (never turn off against real services).
    public var verifyTLS = true

    /// The defaults above.
    public init() {}
}
