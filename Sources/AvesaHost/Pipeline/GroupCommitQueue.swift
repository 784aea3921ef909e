import Foundation

/// Merges waiting for a tenant's warehouse thread. While the thread is busy, the merges
/// that other syncs of the tenant hand in gather here, and the next drain takes them
/// together into one transaction (`TenantWarehouse.merge(group:)`): one commit and one
/// fsync for several pages instead of one each.
///
/// Thread-safe: `lock` guards `waiting` and `drainPosted`. Each continuation is resumed
/// exactly once, by the drain that took it.
final class GroupCommitQueue: @unchecked Sendable {
    /// A merge and the caller waiting for its outcome.
    struct Waiting {
        let batch: TenantWarehouse.MergeBatch
        let continuation: CheckedContinuation<MergeSummary, any Error>
    }

    /// Most merges one transaction takes (bounds its size and the wait of the first).
    static let maximumGroup = 16

    private let lock = NSLock()
    private var waiting: [Waiting] = []  // under lock
    private var drainPosted = false      // under lock

    /// How many merges wait.
    var count: Int { lock.withLock { waiting.count } }

    /// Adds a merge.
    /// - Returns: whether the caller must post a drain (none is posted yet).
    func add(_ merge: Waiting) -> Bool {
        lock.withLock {
            waiting.append(merge)
            if drainPosted { return false }
            drainPosted = true
            return true
        }
    }

    /// Takes the oldest waiting merges, at most `maximumGroup`.
    /// - Returns: them, and whether merges remain (the caller must then post another drain).
    func take() -> (group: [Waiting], more: Bool) {
        lock.withLock {
            let group = Array(waiting.prefix(Self.maximumGroup))
            waiting.removeFirst(group.count)
            drainPosted = !waiting.isEmpty
            return (group, drainPosted)
        }
    }
}
