import CCurl
import Foundation

/// The connector HTTP engine: libcurl's multi interface driven by one dedicated
/// event-loop thread, bridged to async callers with continuations. No Swift-concurrency
/// thread ever blocks on network I/O: `execute` suspends until the loop completes the
/// transfer. Connections are reused per host by the multi handle's connection cache
/// (HTTP/1.1 keep-alive).
///
/// Threading invariant: `multi`, `active` and every `CurlTransfer` in it are touched only
/// by the loop thread. Other threads hand work over through `inbox` (under `lock`) and
/// wake the loop with `curl_multi_wakeup`, which is thread-safe.
public final class CurlEngine: @unchecked Sendable {
    private enum Command {
        case start(id: UInt64, request: HTTPClientRequest, continuation: CheckedContinuation<HTTPClientResponse, any Error>)
        case cancel(UInt64)
    }

    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var inbox: [Command] = []          // under lock
    private var stopped = false                // under lock
    private var nextID: UInt64 = 0             // under lock
    private var active: [UInt64: CurlTransfer] = [:]  // loop thread only
    private var byHandle: [UnsafeMutableRawPointer: UInt64] = [:]  // loop thread only
    private var idleHandles: [UnsafeMutableRawPointer] = []  // loop thread only: reusable easy handles
    private var cancelledBeforeStart: Set<UInt64> = []  // loop thread only
    private var thread: Thread?

    /// Creates the engine and starts its loop thread.
    /// - Parameter maxConnectionsPerHost: cap on parallel connections to one host (0 = no cap).
    public init(maxConnectionsPerHost: Int = 0) {
        CurlGlobal.initializeOnce()
        multi = curl_multi_init()!
        if maxConnectionsPerHost > 0 {
            _ = avesa_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
        }
        let thread = Thread { [unowned self] in self.runLoop() }
        thread.name = "avesa-curl-loop"
        self.thread = thread
        thread.start()
    }

    deinit {
        for handle in idleHandles { curl_easy_cleanup(handle) }
        curl_multi_cleanup(multi)
    }

    /// Performs `request` and returns the complete response. Throws `HTTPClientError`;
    /// cancelling the calling task removes the transfer and throws `.cancelled`.
    public func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        let id = lock.withLock { () -> UInt64 in nextID += 1; return nextID }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard submit(.start(id: id, request: request, continuation: continuation)) else {
                    continuation.resume(throwing: HTTPClientError.engineStopped)
                    return
                }
            }
        } onCancel: {
            _ = submit(.cancel(id))
        }
    }

    /// Stops the loop: pending and active transfers fail with `.engineStopped`.
    /// Waits for the loop thread to finish.
    public func shutdown() {
        lock.withLock { stopped = true }
        curl_multi_wakeup(multi)
        while thread?.isFinished == false { usleep(1_000) }
    }

    private func submit(_ command: Command) -> Bool {
        let accepted = lock.withLock { () -> Bool in
            guard !stopped else { return false }
            inbox.append(command)
            return true
        }
        if accepted { curl_multi_wakeup(multi) }
        return accepted
    }

    // MARK: - Loop thread

    private func runLoop() {
        let handle = multi
        while true {
            let (commands, isStopped) = lock.withLock { () -> ([Command], Bool) in
                defer { inbox.removeAll(keepingCapacity: true) }
                return (inbox, stopped)
            }
            if isStopped {
                failAll(commands)
                return
            }
            for command in commands { apply(command) }
            var running: Int32 = 0
            _ = curl_multi_perform(handle, &running)
            collectFinished()
            var ready: Int32 = 0
            _ = curl_multi_poll(handle, nil, 0, 1000, &ready)
        }
    }

    private func apply(_ command: Command) {
        switch command {
        case .start(let id, let request, let continuation):
            if cancelledBeforeStart.remove(id) != nil {
                continuation.resume(throwing: HTTPClientError.cancelled(url: URLRedactor.redact(request.url)))
                return
            }
            guard let easy = takeHandle() else {
                continuation.resume(throwing: HTTPClientError.transport(code: -1, message: "curl_easy_init failed",
                                                                        url: URLRedactor.redact(request.url)))
                return
            }
            let transfer = CurlTransfer(id: id, request: request, easy: easy)
            transfer.continuation = continuation
            transfer.configure()
            active[id] = transfer
            byHandle[easy] = id
            _ = curl_multi_add_handle(multi, easy)
        case .cancel(let id):
            guard let transfer = active[id] else {
                cancelledBeforeStart.insert(id)
                return
            }
            finish(transfer, with: .failure(.cancelled(url: transfer.redactedURL)))
        }
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            guard let id = byHandle[easy], let transfer = active[id] else { continue }
            finish(transfer, with: transfer.result(code: code))
        }
    }

    private func failAll(_ commands: [Command]) {
        for command in commands {
            if case .start(_, _, let continuation) = command { continuation.resume(throwing: HTTPClientError.engineStopped) }
        }
        for transfer in Array(active.values) { finish(transfer, with: .failure(.engineStopped)) }
    }

    /// Removes a transfer from libcurl, returns its handle to the pool and resumes its caller.
    private func finish(_ transfer: CurlTransfer, with result: Result<HTTPClientResponse, HTTPClientError>) {
        active.removeValue(forKey: transfer.id)
        byHandle.removeValue(forKey: transfer.easy)
        _ = curl_multi_remove_handle(multi, transfer.easy)
        if idleHandles.count < 256 {
            idleHandles.append(transfer.easy)
        } else {
            curl_easy_cleanup(transfer.easy)
        }
        resume(transfer, with: result)
    }

    /// A reset easy handle from the pool (keeps libcurl's per-handle caches warm), or a new one.
    private func takeHandle() -> UnsafeMutableRawPointer? {
        if let handle = idleHandles.popLast() {
            curl_easy_reset(handle)
            return handle
        }
        return curl_easy_init()
    }

    private func resume(_ transfer: CurlTransfer, with result: Result<HTTPClientResponse, HTTPClientError>) {
        let continuation = transfer.continuation
        transfer.continuation = nil
        continuation?.resume(with: result.mapError { $0 as any Error })
    }
}

/// `curl_global_init` must run once per process before any other libcurl call.
enum CurlGlobal {
    private static let initialized: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return true
    }()

    static func initializeOnce() { _ = initialized }
}
