import Foundation

/// A dedicated thread for blocking work (SQLite writes, file appends and fsync), so no
/// Swift-concurrency thread ever waits on disk. Jobs run one at a time, in submission
/// order; `run` suspends the caller until its job finished.
///
/// Threading invariant: `jobs` is touched only under `condition`; job bodies run on the
/// worker thread only, so state confined to a worker (a tenant's warehouse) needs no lock.
public final class BlockingWorker: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []  // under condition
    private var stopping = false         // under condition

    /// Starts the worker thread, named `name` for debuggers. The thread keeps the worker
    /// alive until `stop()` lets it end, so the last owner may release the worker while
    /// the thread is still finishing its last job.
    public init(name: String) {
        let thread = Thread { [self] in self.loop() }
        thread.name = name
        thread.start()
    }

    /// Runs `body` on the worker thread and returns its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            enqueue { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Queues `job` on the worker thread without waiting for it.
    public func post(_ job: @escaping @Sendable () -> Void) {
        enqueue(job)
    }

    /// Lets queued jobs finish, then ends the thread.
    public func stop() {
        condition.withLock {
            stopping = true
            condition.signal()
        }
    }

    private func enqueue(_ job: @escaping () -> Void) {
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    private func loop() {
        while true {
            let job: (() -> Void)? = condition.withLock {
                while jobs.isEmpty && !stopping { condition.wait() }
                return jobs.isEmpty ? nil : jobs.removeFirst()
            }
            guard let job else { return }
            job()
        }
    }
}
