import Foundation

/// An HTTP/1.1 server: one listening socket, `eventLoopCount` epoll loops on dedicated
/// threads, handlers run as Swift tasks.
///
/// ```swift
/// var router = Router()
/// router.get("/api/companies/:id") { request in .json(Array("{}".utf8)) }
/// let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), router: router,
///                         middleware: [RequestIDMiddleware(), CORSMiddleware(allowedOrigins: ["https://app"])])
/// let address = try server.start()          // e.g. 127.0.0.1:41234
/// await server.shutdown(timeout: .seconds(10))
/// ```
///
/// Lifecycle: `start()` once, then `shutdown` once; a stopped server cannot restart.
/// Invariant: `state`, `loops`, `listener` and `acceptors` only under `lock`.
public final class HTTPServer: @unchecked Sendable {
    private enum State { case idle, running, stopping, stopped }

    /// The configuration the server was created with.
    public let configuration: HTTPServerConfiguration
    private let core: ServerCore
    private let lock = NSLock()
    private var state = State.idle
    private var loops: [EventLoop] = []
    private var acceptors: [Acceptor] = []
    private var listener: ListeningSocket?
    private var boundAddress: SocketAddress?

    /// Creates a server; nothing is opened until `start()`. `middleware[0]` is outermost.
    public init(configuration: HTTPServerConfiguration = HTTPServerConfiguration(), router: Router,
                middleware: [any Middleware] = []) {
        self.configuration = configuration
        self.core = ServerCore(limits: configuration.limits, serverName: configuration.serverName, router: router,
                               handler: MiddlewareChain.build(middleware, router: router))
    }

    /// Binds, starts the event loops and returns the bound address (the real port when 0 was asked).
    /// Throws `HTTPServerError.bindFailed` naming the address and the reason.
    @discardableResult
    public func start() throws(HTTPServerError) -> SocketAddress {
        lock.lock()
        defer { lock.unlock() }
        guard state == .idle else { throw .alreadyStarted }
        let listener = try ListeningSocket.bind(host: configuration.host, port: configuration.port,
                                                backlog: configuration.backlog)
        var loops: [EventLoop] = []
        var acceptors: [Acceptor] = []
        do {
            for index in 0..<configuration.eventLoopCount {
                let loop = try EventLoop(index: index, tickInterval: configuration.tickInterval)
                loops.append(loop)
                let acceptor = Acceptor(listener: listener, loop: loop, core: core)
                try acceptor.register()
                acceptors.append(acceptor)
            }
        } catch {
            for loop in loops { loop.start(); loop.stop() }
            listener.close()
            throw .system(error)
        }
        for loop in loops { loop.start() }
        self.loops = loops
        self.acceptors = acceptors
        self.listener = listener
        self.boundAddress = listener.address
        state = .running
        return listener.address
    }

    /// The bound address while running.
    public var address: SocketAddress? {
        lock.lock()
        defer { lock.unlock() }
        return boundAddress
    }

    /// Connections currently open (excluding those being refused with 503).
    public var connectionCount: Int { core.connectionCount }

    /// Graceful shutdown: stops accepting, closes idle connections, lets in-flight requests
    /// finish (their responses carry `Connection: close`) until `deadline`, then closes
    /// everything and stops the loop threads. Safe to call more than once.
    public func shutdown(deadline: ContinuousClock.Instant) async {
        let taken: (loops: [EventLoop], acceptors: [Acceptor], listener: ListeningSocket?)? = lock.withLock {
            guard state == .running else { return nil }
            state = .stopping
            return (self.loops, self.acceptors, self.listener)
        }
        guard let (loops, acceptors, listener) = taken else {
            await waitUntilStopped()
            return
        }

        for (loop, acceptor) in zip(loops, acceptors) {
            await loop.submit {
                acceptor.stop()
                for case let connection as Connection in loop.allHandlers { connection.beginShutdown() }
            }
        }
        listener?.close()
        while core.connectionCount > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        for loop in loops { loop.stop() }
        while !loops.allSatisfy(\.hasExited) {
            try? await Task.sleep(for: .milliseconds(2))
        }
        lock.withLock {
            state = .stopped
            self.loops = []
            self.acceptors = []
            self.listener = nil
            boundAddress = nil
        }
    }

    /// `shutdown(deadline: .now + timeout)`.
    public func shutdown(timeout: Duration = .seconds(10)) async {
        await shutdown(deadline: .now + timeout)
    }

    private func waitUntilStopped() async {
        while true {
            let done = lock.withLock { state == .stopped || state == .idle }
            if done { return }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Runs a request through the middleware chain and router in-process, without sockets
    /// (for tests and tools).
    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        do {
            return try await core.handler(request)
        } catch {
            return Router.errorResponse(error)
        }
    }
}
