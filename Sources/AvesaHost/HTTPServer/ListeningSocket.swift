#if canImport(Glibc)
import Glibc
#endif

/// The bound, listening, non-blocking socket.
///
/// Invariant: created and bound on the caller's thread in `HTTPServer.start()`; afterwards
/// the event loops only call `accept` (accept4 is safe on one descriptor from several
/// threads); `close()` runs once, under the server's lock, after every loop has
/// deregistered the descriptor.
final class ListeningSocket: @unchecked Sendable {
    let fd: Int32
    let address: SocketAddress
    private var closed = false

    private init(fd: Int32, address: SocketAddress) {
        self.fd = fd
        self.address = address
    }

    /// Creates, binds and listens; errors name the address.
    static func bind(host: String, port: Int, backlog: Int32) throws(HTTPServerError) -> ListeningSocket {
        let requested = SocketAddress(host: host, port: port)
        guard let (storage, length) = requested.storage() else { throw .invalidAddress(requested.description) }
        let family = Int32(storage.ss_family)
        let fd: Int32
        do {
            fd = try Syscall.call("socket") { socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        } catch {
            throw .bindFailed(address: requested.description, reason: error)
        }
        do throws(SystemError) {
            var one: Int32 = 1
            _ = try Syscall.call("setsockopt(SO_REUSEADDR)") {
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            }
            if family == AF_INET6 {
                _ = try Syscall.call("setsockopt(IPV6_V6ONLY)") {
                    setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
                }
            }
            var addr = storage
            _ = try Syscall.call("bind") {
                withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) } }
            }
            _ = try Syscall.call("listen") { listen(fd, backlog) }
            var bound = sockaddr_storage()
            var boundLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
            _ = try Syscall.call("getsockname") {
                withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &boundLength) } }
            }
            guard let actual = SocketAddress(bound) else { throw SystemError(function: "getsockname", code: EAFNOSUPPORT) }
            return ListeningSocket(fd: fd, address: actual)
        } catch {
            Syscall.close(fd)
            throw .bindFailed(address: requested.description, reason: error)
        }
    }

    /// Accepts one pending connection as a non-blocking socket; nil when none is pending.
    func accept() throws(SystemError) -> (fd: Int32, peer: SocketAddress?)? {
        var peer = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = try Syscall.nonBlocking("accept4") {
            withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.accept(fd, $0, &length)
                }
            }
        }
        guard let result else { return nil }
        // accept4 is not exported by the Glibc module; set the flags on the new socket instead.
        let flags = fcntl(result, F_GETFL)
        _ = fcntl(result, F_SETFL, flags | O_NONBLOCK)
        _ = fcntl(result, F_SETFD, FD_CLOEXEC)
        return (result, SocketAddress(peer))
    }

    /// Closes the descriptor once.
    func close() {
        if closed { return }
        closed = true
        Syscall.close(fd)
    }
}
