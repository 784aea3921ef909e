import Foundation

/// Runs async work from the synchronous CLI entry point. Only the process's main thread
/// (never a Swift-concurrency thread) waits here.
enum AsyncBridge {
    private final class Box<T>: @unchecked Sendable {
        var result: Result<T, any Error>?  // written once before the semaphore signals
    }

    /// Runs `body` to completion and returns its result.
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }
}
