#if canImport(Glibc)
import Glibc
#endif

/// Where and how the server listens.
public struct HTTPServerConfiguration: Sendable {
    /// Numeric IPv4 or IPv6 address (`127.0.0.1`, `0.0.0.0`, `::1`, `::`) or `localhost`.
    public var host: String
    /// TCP port; 0 picks a free port (read it from `start()`'s result).
    public var port: Int
    /// Number of event-loop threads (default: one per core).
    public var eventLoopCount: Int
    /// Hard limits and timeouts.
    public var limits: ServerLimits
    /// Value of the `Server` response header.
    public var serverName: String
    /// listen(2) backlog.
    public var backlog: Int32

    /// Creates a configuration.
    public init(host: String = "127.0.0.1", port: Int = 8080, eventLoopCount: Int? = nil,
                limits: ServerLimits = ServerLimits(), serverName: String = "Avesa", backlog: Int32 = 1024) {
        self.host = host
        self.port = port
        self.eventLoopCount = max(1, eventLoopCount ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        self.limits = limits
        self.serverName = serverName
        self.backlog = backlog
    }

    /// How often timeouts are checked: a quarter of the shortest timeout, between 10 ms and 250 ms.
    var tickInterval: Duration {
        let shortest = [limits.headerTimeout, limits.bodyTimeout, limits.idleTimeout, limits.writeTimeout].min()!
        return min(.milliseconds(250), max(.milliseconds(10), shortest / 4))
    }
}
