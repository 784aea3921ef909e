import Foundation

/// What every connection of one server shares: configuration, the composed handler, and
/// the connection count.
///
/// Invariant: the `let`s are immutable after init; `connections` only under `lock`.
final class ServerCore: @unchecked Sendable {
    let limits: ServerLimits
    let serverName: String
    let router: Router
    let handler: HTTPHandler
    private let lock = NSLock()
    private var connections = 0
    private var connectionsByClient: [String: Int] = [:]  // under lock; loopback peers not counted

    init(limits: ServerLimits, serverName: String, router: Router, handler: @escaping HTTPHandler) {
        self.limits = limits
        self.serverName = serverName
        self.router = router
        self.handler = handler
    }

    /// Takes a connection slot for `client` (`SocketAddress.clientKey`, nil for loopback or
    /// an unknown peer); false when `maxConnections` are open, or `maxConnectionsPerClient`
    /// of this client's.
    func tryAcquireConnection(client: String?) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard connections < limits.maxConnections else { return false }
        if let client {
            let open = connectionsByClient[client, default: 0]
            guard open < limits.maxConnectionsPerClient else { return false }
            connectionsByClient[client] = open + 1
        }
        connections += 1
        return true
    }

    /// Returns a slot taken for `client`.
    func releaseConnection(client: String?) {
        lock.lock()
        connections -= 1
        if let client {
            let open = connectionsByClient[client, default: 1] - 1
            connectionsByClient[client] = open > 0 ? open : nil
        }
        lock.unlock()
    }

    /// Open connections holding a slot.
    var connectionCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return connections
    }
}
