import Foundation
import Glibc

/// One hook thread of a `HookExecutor`.
///
/// Threading invariant: `mailbox` is guarded by the executor's condition; `currentCall`
/// is touched only by this worker's thread.
final class HookWorker: @unchecked Sendable {
    /// The worker whose hook is blocked waiting for the async work the current task does
    /// for it (set by `waitBlocking`), so nested hook calls run on that worker.
    @TaskLocal static var blockedCaller: HookWorker?

    let executor: HookExecutor
    /// Nested jobs for this worker only (under the executor's condition).
    var mailbox: [HookExecutor.Job] = []
    /// The (tenant, service) whose hook this thread is running, for the host services.
    var currentCall: HookClientContext?

    init(executor: HookExecutor) {
        self.executor = executor
    }

    /// The thread's body: registers the worker for `current`, then serves jobs.
    func main() {
        pthread_setspecific(workerKey, Unmanaged.passUnretained(self).toOpaque())
        executor.runLoop(self)
        pthread_setspecific(workerKey, nil)
    }

    /// The worker running the calling code, if the caller is a hook thread.
    static var current: HookWorker? {
        pthread_getspecific(workerKey).map { Unmanaged<HookWorker>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Runs `operation` as a task and blocks this hook thread until it finishes, running
    /// nested hook jobs meanwhile. Must be called on this worker's own thread.
    func waitBlocking<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) -> Result<T, any Error> {
        let box = ResultBox<T>()
        let condition = executor.condition
        Self.$blockedCaller.withValue(self) {
            _ = Task {
                let result: Result<T, any Error>
                do { result = .success(try await operation()) } catch { result = .failure(error) }
                condition.withLock {
                    box.result = result
                    condition.broadcast()
                }
            }
        }
        while true {
            condition.lock()
            while box.result == nil && mailbox.isEmpty { condition.wait() }
            if let result = box.result {
                condition.unlock()
                return result
            }
            let job = mailbox.removeFirst()
            condition.unlock()
            let saved = currentCall
            job()
            currentCall = saved
        }
    }
}

/// A result handed from a task to a blocked hook thread (under the executor's condition).
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

/// Thread-specific slot holding the `HookWorker` of a hook thread (unretained: the
/// thread's closure keeps its worker alive while it runs).
private let workerKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()
