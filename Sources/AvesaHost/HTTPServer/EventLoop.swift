import CAvesaHTTP
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Something registered with an event loop: a listening socket or a connection.
/// All methods are called on the loop's thread.
protocol EventLoopHandler: AnyObject {
    /// Readiness events (epoll mask) for the handler's descriptor.
    func handleEvent(_ events: UInt32)
    /// Periodic timer check; `now` is CLOCK_MONOTONIC nanoseconds.
    func tick(now: Int64)
    /// Closes immediately (loop shutdown).
    func forceClose()
}

/// epoll interest bits (values from <sys/epoll.h>).
enum EpollMask {
    static let input: UInt32 = 0x001
    static let output: UInt32 = 0x004
    static let error: UInt32 = 0x008
    static let hangup: UInt32 = 0x010
    static let exclusive: UInt32 = 1 << 28
}

/// One epoll instance driven by one dedicated pthread (a Foundation `Thread`, never a
/// Swift-concurrency thread). Other threads hand work over with `execute`, which queues a
/// job and wakes the loop through an eventfd.
///
/// Invariants: `handlers`, `running`, `dateCache` and the epoll registrations are touched
/// only on the loop thread (or before the thread starts); `jobs`, `wakePending`,
/// `acceptsJobs` and `exited` only under `lock`. The epoll fd and eventfd are owned here and
/// closed when the loop thread exits.
final class EventLoop: @unchecked Sendable {
    let index: Int
    private let epollFD: Int32
    private let wakeFD: Int32
    private let tickNanos: Int64
    private let lock = NSLock()
    private var jobs: [@Sendable () -> Void] = []
    private var wakePending = false
    private var acceptsJobs = true
    private var exited = false
    private var handlers: [Int32: EventLoopHandler] = [:]
    private var running = true
    private var thread: Thread?
    /// Read buffer shared by the loop's connections (loop thread only).
    let readBuffer: UnsafeMutableRawBufferPointer
    /// Formatted Date header value, refreshed once per second (loop thread only).
    var dateCache = DateCache()

    init(index: Int, tickInterval: Duration) throws(SystemError) {
        self.index = index
        self.tickNanos = max(1_000_000, tickInterval.nanoseconds)
        epollFD = try Syscall.call("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        do throws(SystemError) {
            wakeFD = try Syscall.call("eventfd") { eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC)) }
        } catch {
            Syscall.close(epollFD)
            throw error
        }
        readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
        var event = epoll_event()
        event.events = EpollMask.input
        event.data.fd = wakeFD
        _ = epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event)
    }

    /// Starts the loop thread.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "avesa-http-loop-\(index)"
        self.thread = thread
        thread.start()
    }

    /// Queues `job` to run on the loop thread. Returns false (job dropped) once the loop has stopped.
    @discardableResult
    func execute(_ job: @escaping @Sendable () -> Void) -> Bool {
        lock.lock()
        guard acceptsJobs else {
            lock.unlock()
            return false
        }
        jobs.append(job)
        let needsWake = !wakePending
        wakePending = true
        lock.unlock()
        if needsWake {
            var one: UInt64 = 1
            _ = write(wakeFD, &one, 8)
        }
        return true
    }

    /// Runs `body` on the loop thread and waits for it (returns at once if the loop has stopped).
    func submit(_ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if !execute({ body(); continuation.resume() }) { continuation.resume() }
        }
    }

    /// Asks the loop to close every handler and exit.
    func stop() {
        execute { [self] in running = false }
    }

    /// Whether the loop thread has finished (descriptors closed).
    var hasExited: Bool {
        lock.lock()
        defer { lock.unlock() }
        return exited
    }

    // MARK: Registration (loop thread only)

    func register(fd: Int32, events: UInt32, handler: EventLoopHandler) throws(SystemError) {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        _ = try Syscall.call("epoll_ctl(ADD)") { epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) }
        handlers[fd] = handler
    }

    func modify(fd: Int32, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        _ = epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event)
    }

    /// Stops polling `fd` but keeps its handler (ticks continue); undo with `watch`.
    func unwatch(fd: Int32) {
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
    }

    /// Polls `fd` again for `events` after `unwatch`.
    func watch(fd: Int32, events: UInt32) throws(SystemError) {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        _ = try Syscall.call("epoll_ctl(ADD)") { epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) }
    }

    /// Removes the descriptor from epoll (the caller closes it).
    func deregister(fd: Int32) {
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
        handlers[fd] = nil
    }

    /// Every registered handler (a copy; safe to mutate registrations while iterating).
    var allHandlers: [EventLoopHandler] { Array(handlers.values) }

    // MARK: Loop

    private func run() {
        let capacity = 256
        var events = [epoll_event](repeating: epoll_event(), count: capacity)
        var nextTick = MonotonicClock.nanoseconds() + tickNanos
        let timeoutMillis = Int32(max(1, tickNanos / 1_000_000))
        while running {
            let count = events.withUnsafeMutableBufferPointer { epoll_wait(epollFD, $0.baseAddress, Int32(capacity), timeoutMillis) }
            if count > 0 {
                for i in 0..<Int(count) {
                    let fd = events[i].data.fd
                    if fd == wakeFD {
                        runJobs()
                    } else if let handler = handlers[fd] {
                        handler.handleEvent(events[i].events)
                    }
                }
            }
            let now = MonotonicClock.nanoseconds()
            if now >= nextTick {
                nextTick = now + tickNanos
                for handler in allHandlers { handler.tick(now: now) }
            }
        }
        for handler in allHandlers { handler.forceClose() }
        lock.lock()
        acceptsJobs = false
        let leftover = jobs
        jobs = []
        lock.unlock()
        // Jobs still queued (e.g. handler results) run once so that waiting tasks resume.
        for job in leftover { job() }
        for handler in allHandlers { handler.forceClose() }
        Syscall.close(wakeFD)
        Syscall.close(epollFD)
        readBuffer.deallocate()
        lock.lock()
        exited = true
        lock.unlock()
    }

    private func runJobs() {
        var counter: UInt64 = 0
        _ = read(wakeFD, &counter, 8)
        lock.lock()
        let batch = jobs
        jobs = []
        wakePending = false
        lock.unlock()
        for job in batch { job() }
    }
}

/// The Date header value, formatted at most once per second.
struct DateCache {
    private var second = -1
    private var value = ""

    mutating func current() -> String {
        let now = HTTPDate.nowSeconds()
        if now != second {
            second = now
            value = HTTPDate.format(now)
        }
        return value
    }
}
