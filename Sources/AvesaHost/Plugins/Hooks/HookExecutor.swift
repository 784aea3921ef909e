import Foundation
import Glibc

/// Runs plugin hook calls on a small pool of dedicated plain threads, never on a
/// Swift-concurrency thread: hooks may block (for example in the host `http` service),
/// and a blocked cooperative thread starves everything else (PLATFORM_NOTES.md).
///
/// Async callers suspend on a continuation until a worker has run their job. A plugin
/// that sets AVESA_PLUGIN_SERIALIZE_HOOKS gets a pool of one thread, so its hooks run
/// one at a time.
///
/// Nested calls: a hook blocked in the host `http` service may cause another hook of the
/// same plugin to run (the request is authenticated by `authenticate`). That nested job
/// is routed to the blocked worker itself (see `HookWorker.blockedCaller`), which runs it
/// while it waits, so a full or single-thread pool cannot deadlock on itself.
///
/// Threading invariant: `queue`, every worker's `mailbox` and `stopped` are read and
/// written only under `condition`.
final class HookExecutor: @unchecked Sendable {
    typealias Job = @Sendable () -> Void

    /// Guards the queues; signalled (broadcast) on every change.
    let condition = NSCondition()
    private var queue: [Job] = []     // under condition
    private var stopped = false       // under condition
    private var workers: [HookWorker] = []  // under condition after init; emptied by shutdown
    /// Number of worker threads.
    let threadCount: Int

    /// Starts `threads` workers named "<name>-hook-<n>".
    init(threads: Int, name: String) {
        threadCount = max(1, threads)
        for index in 0..<threadCount {
            let worker = HookWorker(executor: self)
            workers.append(worker)
            let thread = Thread { worker.main() }
            thread.name = "\(name)-hook-\(index)"
            thread.start()
        }
    }

    /// Runs `job` on a worker thread and returns its result. The calling task suspends
    /// (it never blocks) until the job is done.
    func run<T: Sendable>(_ job: @escaping @Sendable () -> T) async -> T {
        let blocked = HookWorker.blockedCaller
        return await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            submit({ continuation.resume(returning: job()) }, nestedIn: blocked)
        }
    }

    /// Stops the workers once the queued jobs are done. Idempotent.
    func shutdown() {
        condition.lock()
        stopped = true
        workers = []  // Breaks the executor ↔ worker cycle; each thread exits after its queue.
        condition.broadcast()
        condition.unlock()
    }

    private func submit(_ job: @escaping Job, nestedIn blocked: HookWorker?) {
        condition.lock()
        if let blocked, blocked.executor === self {
            blocked.mailbox.append(job)
        } else {
            queue.append(job)
        }
        condition.broadcast()
        condition.unlock()
    }

    /// The worker's main loop: its own mailbox first, then the shared queue.
    func runLoop(_ worker: HookWorker) {
        while true {
            condition.lock()
            while worker.mailbox.isEmpty && queue.isEmpty && !stopped { condition.wait() }
            let job: Job
            if !worker.mailbox.isEmpty {
                job = worker.mailbox.removeFirst()
            } else if !queue.isEmpty {
                job = queue.removeFirst()
            } else {
                condition.unlock()
                return
            }
            condition.unlock()
            job()
        }
    }
}
