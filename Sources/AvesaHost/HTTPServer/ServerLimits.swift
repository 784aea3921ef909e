/// Every hard limit the server enforces. All sizes are bytes; all times are durations.
public struct ServerLimits: Sendable, Equatable {
    /// Longest request line, CRLF excluded (414 beyond).
    public var maxRequestLineLength: Int = 8 * 1024
    /// Largest header block, request line excluded, CRLFs included (431 beyond).
    public var maxHeaderBytes: Int = 32 * 1024
    /// Most header fields in one request (431 beyond).
    public var maxHeaderCount: Int = 100
    /// Largest request body, unless a route overrides it (413 beyond).
    public var maxBodySize: Int = 1024 * 1024
    /// Time allowed from the first byte of a request (or the connection's accept) to the end of its headers (408 and close).
    public var headerTimeout: Duration = .seconds(10)
    /// Longest silence allowed while a request body is arriving (408 and close).
    public var bodyTimeout: Duration = .seconds(30)
    /// Longest time a whole request body may take from the end of its headers, however
    /// steadily it trickles in (408 and close): with `bodyTimeout` alone, a byte every 29 s
    /// held a connection for ever.
    public var maxBodyDuration: Duration = .seconds(60)
    /// How long a keep-alive connection may sit idle between requests before it is closed.
    public var idleTimeout: Duration = .seconds(60)
    /// Longest time a response may wait for the client to read before the connection is dropped.
    public var writeTimeout: Duration = .seconds(30)
    /// Longest time output may stay pending, however steadily the client reads it (the
    /// connection is dropped after): with `writeTimeout` alone, a client reading a byte every
    /// 29 s held its connection and the response's memory for ever.
    public var maxResponseDuration: Duration = .seconds(120)
    /// Most simultaneous connections; the excess receive 503 and are closed.
    public var maxConnections: Int = 10_000
    /// Most simultaneous connections from one client (`SocketAddress.clientKey`: an IPv4
    /// address or an IPv6 /64), so one client cannot hold every slot; the excess receive 503
    /// and are closed. Loopback peers (a local proxy or scraper) are not limited by it.
    public var maxConnectionsPerClient: Int = 256
    /// Bodies at or above this size are sent with chunked encoding when streamed.
    public var outputHighWatermark: Int = 256 * 1024

    /// Default limits.
    public init() {}
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (s, atto) = components
        let (ns, overflow) = s.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : ns &+ atto / 1_000_000_000
    }
}
