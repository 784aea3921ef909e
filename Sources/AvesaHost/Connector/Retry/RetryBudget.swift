import Foundation

/// A run-wide allowance of retries, shared by every request of a run, so a failing
/// service cannot turn one run into a retry storm. Thread-safe.
public final class RetryBudget: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int  // under lock

    /// A budget of `retries` retries.
    public init(retries: Int) {
        remaining = retries
    }

    /// Takes one retry; false when the budget is spent.
    public func take() -> Bool {
        lock.withLock {
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
    }

    /// Retries left.
    public var left: Int { lock.withLock { remaining } }
}
