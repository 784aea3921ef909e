#if canImport(Glibc)
import Glibc
#endif

/// Thrown to a streaming writer once its connection is gone.
struct ConnectionClosedError: Error {}

/// One client connection: reads bytes into the parser, runs each request's handler as a
/// Task, writes responses in order, enforces timeouts, and closes exactly once.
///
/// Invariant: event-loop thread only. Handler tasks never touch it directly; they hand
/// results back with `loop.execute { … }`, and those jobs check `phase` first because the
/// connection may have been closed meanwhile. The behaviour is split by concern:
/// `Connection+Requests` (parsing), `+Responses` (handlers, streaming), `+Output`
/// (writing, lingering close), `+Timers` (timeouts, graceful shutdown).
final class Connection: EventLoopHandler, @unchecked Sendable {
    enum Phase {
        /// Reading/parsing requests (also while the previous response is still flushing).
        case receiving
        /// A handler task is running.
        case processing
        /// A streamed body is being produced.
        case streaming
        /// Waiting for the output to drain, then linger-close.
        case closingAfterFlush
        /// Write side shut down; draining input until EOF or the linger deadline.
        case lingering
        /// Descriptor closed; late handler results are dropped.
        case closed
    }

    let fd: Int32
    let peer: SocketAddress?
    let loop: EventLoop
    let core: ServerCore
    /// Whether this connection still holds a slot of `maxConnections` (released on linger or close).
    var counted: Bool
    /// The client its slot counts under (`SocketAddress.clientKey`; nil for loopback).
    let client: String?
    var parser: HTTPRequestParser
    var phase = Phase.receiving
    var output: [UInt8] = []
    var outputOffset = 0
    var interest = EpollMask.input
    var currentHead: HTTPRequestHead?
    var currentRequest: HTTPRequest?
    var streamChunked = false
    var streamKeepAlive = false
    var writeWaiters: [CheckedContinuation<Void, any Error>] = []
    var shuttingDown = false
    var peerClosedInput = false
    var idleSince: Int64
    var headerStart: Int64?
    /// When the current request's headers ended, while its body is arriving.
    var bodyStart: Int64?
    var lastReadProgress: Int64
    var lastWriteProgress: Int64
    /// Since when output has been pending without draining (nil while none is).
    var outputPendingSince: Int64?
    var lingerDeadline: Int64 = 0

    init(fd: Int32, peer: SocketAddress?, client: String?, loop: EventLoop, core: ServerCore, counted: Bool) {
        self.fd = fd
        self.peer = peer
        self.client = client
        self.loop = loop
        self.core = core
        self.counted = counted
        self.parser = HTTPRequestParser(limits: core.limits)
        let now = MonotonicClock.nanoseconds()
        idleSince = now
        headerStart = now  // the first request must arrive within the header timeout
        lastReadProgress = now
        lastWriteProgress = now
    }

    /// Called once registered. A connection over the limit is answered 503 and closed.
    func start() {
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if !counted {
            fail(HTTPError(.serviceUnavailable, code: "server_busy", message: "Too many connections; retry later.",
                           headers: ["Retry-After": "1"]))
        }
    }

    var hasPendingOutput: Bool { outputOffset < output.count }

    /// Most unparsed input held before reading pauses.
    var readPauseThreshold: Int { core.limits.maxRequestLineLength + core.limits.maxHeaderBytes + 64 * 1024 }

    // MARK: Events

    func handleEvent(_ events: UInt32) {
        if events & (EpollMask.input | EpollMask.hangup | EpollMask.error) != 0 {
            readable()
        }
        if phase != .closed, events & EpollMask.output != 0 {
            flush()
            if phase == .receiving { processInput() }
            updateInterest()
        }
    }

    func readable() {
        if phase == .closed { return }
        if phase == .lingering {
            drainForLinger()
            return
        }
        let buffer = loop.readBuffer
        while true {
            let n: Int
            switch readChunk(into: buffer) {
            case .failed: return
            case .wouldBlock: n = -1
            case .endOfInput:
                peerClosedInput = true
                n = -1
            case .bytes(let count): n = count
            }
            guard n >= 0 else { break }
            let now = MonotonicClock.nanoseconds()
            if phase == .receiving && headerStart == nil && !parser.isReadingBody { headerStart = now }
            lastReadProgress = now
            parser.append(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            if parser.bufferedByteCount > readPauseThreshold { break }  // parse (or pause) before reading more
            if n < buffer.count { break }
        }
        if phase == .receiving { processInput() }
        if peerClosedInput && phase == .receiving && !hasPendingOutput { close() }  // nothing more can arrive or be answered
        updateInterest()
    }

    /// What one non-blocking read gave.
    enum ReadResult {
        case bytes(Int), wouldBlock, endOfInput, failed
    }

    /// Reads once into `buffer`; a read error closes the connection (`.failed`).
    func readChunk(into buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
        do {
            guard let n = try Syscall.nonBlocking("read", { read(fd, buffer.baseAddress, buffer.count) }) else { return .wouldBlock }
            return n == 0 ? .endOfInput : .bytes(n)
        } catch {
            close()
            return .failed
        }
    }

    func drainForLinger() {
        let buffer = loop.readBuffer
        while true {
            switch readChunk(into: buffer) {
            case .failed, .wouldBlock: return
            case .endOfInput:
                close()
                return
            case .bytes: continue
            }
        }
    }

    // MARK: Closing

    func forceClose() { close() }

    func releaseSlot() {
        if counted {
            counted = false
            core.releaseConnection(client: client)
        }
    }

    func close() {
        if phase == .closed { return }
        phase = .closed
        loop.deregister(fd: fd)
        Syscall.close(fd)
        releaseSlot()
        output = []
        outputOffset = 0
        let waiters = writeWaiters
        writeWaiters = []
        for waiter in waiters { waiter.resume(throwing: ConnectionClosedError()) }
    }
}
