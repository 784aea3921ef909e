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

    init(limits: ServerLimits, serverName: String, router: Router, handler: @escaping HTTPHandler) {
        self.limits = limits
        self.serverName = serverName
        self.router = router
        self.handler = handler
    }

    /// Takes a connection slot; false when `maxConnections` are already open.
    func tryAcquireConnection() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard connections < limits.maxConnections else { return false }
        connections += 1
        return true
    }

    /// Returns a slot.
    func releaseConnection() {
        lock.lock()
        connections -= 1
        lock.unlock()
    }

    /// Open connections holding a slot.
    var connectionCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return connections
    }
}
