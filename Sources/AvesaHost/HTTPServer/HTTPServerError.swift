/// Errors from starting the server.
public enum HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// The host is not a numeric IPv4/IPv6 address (or `localhost`), or the port is out of range.
    case invalidAddress(String)
    /// Binding or listening failed; names the address and the reason.
    case bindFailed(address: String, reason: SystemError)
    /// `start()` was called twice, or after shutdown.
    case alreadyStarted
    /// A static-files root folder does not exist or cannot be resolved.
    case invalidStaticRoot(String)
    /// Another system call failed while starting (epoll, eventfd…).
    case system(SystemError)

    /// A message naming the address and the reason.
    public var description: String {
        switch self {
        case .invalidAddress(let address): "invalid listen address \(address)"
        case .bindFailed(let address, let reason): "cannot listen on \(address): \(reason.reason) (\(reason.function), errno \(reason.code))"
        case .alreadyStarted: "server already started"
        case .invalidStaticRoot(let path): "static files root \(path) does not exist"
        case .system(let error): "server start failed: \(error)"
        }
    }
}
