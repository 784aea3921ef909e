import Foundation

/// Runs blocking work (SQLite queries, PBKDF2) on a Dispatch thread instead of the Swift
/// concurrency pool, which has only one thread per core (PLATFORM_NOTES.md).
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
