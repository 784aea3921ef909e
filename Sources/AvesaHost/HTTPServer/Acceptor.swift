#if canImport(Glibc)
import Glibc
#endif

/// Accepts connections on one loop. Every loop registers the shared listening socket with
/// EPOLLEXCLUSIVE, so the kernel wakes one loop per incoming connection.
///
/// Invariant: event-loop thread only (registered before the loop thread starts).
final class Acceptor: EventLoopHandler, @unchecked Sendable {
    private let listener: ListeningSocket
    private let loop: EventLoop
    private let core: ServerCore
    private var registered = false
    private var stopped = false
    private var paused = false
    private var pausedUntil: Int64 = 0

    init(listener: ListeningSocket, loop: EventLoop, core: ServerCore) {
        self.listener = listener
        self.loop = loop
        self.core = core
    }

    func register() throws(SystemError) {
        try loop.register(fd: listener.fd, events: EpollMask.input | EpollMask.exclusive, handler: self)
        registered = true
    }

    /// Stops accepting on this loop (the server closes the listening socket afterwards).
    func stop() {
        stopped = true
        if registered {
            if paused { loop.unwatch(fd: listener.fd) }
            loop.deregister(fd: listener.fd)
            registered = false
        }
    }

    func handleEvent(_ events: UInt32) {
        for _ in 0..<64 {
            let accepted: (fd: Int32, peer: SocketAddress?)?
            do {
                accepted = try listener.accept()
            } catch {
                if error.code == EMFILE || error.code == ENFILE || error.code == ENOBUFS || error.code == ENOMEM {
                    // Out of descriptors: stop polling the listener briefly instead of spinning.
                    loop.unwatch(fd: listener.fd)
                    paused = true
                    pausedUntil = MonotonicClock.nanoseconds() + 100_000_000
                }
                return
            }
            guard let accepted else { return }
            let client = accepted.peer.flatMap { $0.isLoopback ? nil : $0.clientKey }
            let counted = core.tryAcquireConnection(client: client)
            let connection = Connection(fd: accepted.fd, peer: accepted.peer, client: client, loop: loop, core: core, counted: counted)
            do {
                try loop.register(fd: accepted.fd, events: EpollMask.input, handler: connection)
            } catch {
                connection.forceClose()
                continue
            }
            connection.start()
        }
    }

    func tick(now: Int64) {
        if paused && !stopped && now >= pausedUntil {
            paused = (try? loop.watch(fd: listener.fd, events: EpollMask.input | EpollMask.exclusive)) == nil
            if paused { pausedUntil = now + 100_000_000 }
        }
    }

    func forceClose() { stop() }
}
