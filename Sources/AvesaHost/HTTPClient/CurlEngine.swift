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
        case start(CurlTransfer)
        case cancel(UInt64)
    }

    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var inbox: [Command] = []          // under lock
    private var stopped = false                // under lock
    private var nextID: UInt64 = 0             // under lock
    private var active: [UInt64: CurlTransfer] = [:]  // loop thread only
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
        curl_multi_cleanup(multi)
    }

    /// Performs `request` and returns the complete response. Throws `HTTPClientError`;
    /// cancelling the calling task removes the transfer and throws `.cancelled`.
    public func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        let id = lock.withLock { () -> UInt64 in nextID += 1; return nextID }
        let transfer = try CurlTransfer(id: id, request: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.continuation = continuation
                guard submit(.start(transfer)) else {
                    transfer.continuation = nil
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
        case .start(let transfer):
            transfer.configure()
            active[transfer.id] = transfer
            _ = curl_multi_add_handle(multi, transfer.easy)
        case .cancel(let id):
            guard let transfer = active.removeValue(forKey: id) else { return }
            _ = curl_multi_remove_handle(multi, transfer.easy)
            resume(transfer, with: .failure(.cancelled(url: transfer.redactedURL)))
        }
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            guard let (id, transfer) = active.first(where: { $0.value.easy == easy }) else { continue }
            active.removeValue(forKey: id)
            _ = curl_multi_remove_handle(multi, easy)
            resume(transfer, with: transfer.result(code: code))
        }
    }

    private func failAll(_ commands: [Command]) {
        for command in commands {
            if case .start(let transfer) = command { resume(transfer, with: .failure(.engineStopped)) }
        }
        for transfer in active.values {
            _ = curl_multi_remove_handle(multi, transfer.easy)
            resume(transfer, with: .failure(.engineStopped))
        }
        active.removeAll()
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
