import Foundation

/// Whether the user a verified access token names still exists, in the token's tenant, and
/// with which role now. A token is signed for 15 minutes; without this check a removed
/// user (or every user of a removed tenant, and so of a tenant created again under the
/// same id) kept its rights until the token expired. Each user is looked up in the user
/// directory at most once per `ttlMicros`, so the check costs no query on most requests.
///
/// Thread-safe: shared by every copy of `APIContext` and every request.
final class LiveUserCheck: @unchecked Sendable {
    /// What the directory said about one user, and when.
    struct Entry {
        var tenantID: String?  // nil: no such user
        var role: Role
        var checkedAt: Int64
    }

    /// How long an answer is trusted (microseconds): 5 s.
    let ttlMicros: Int64
    /// Users remembered before the memory is cleared (it refills from the directory).
    let capacity: Int
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]  // under lock

    init(ttlMicros: Int64 = 5_000_000, capacity: Int = 50_000) {
        self.ttlMicros = ttlMicros
        self.capacity = capacity
    }

    /// The remembered answer for `userID`, if still fresh at `now`.
    func cached(_ userID: String, now: Int64) -> Entry? {
        lock.withLock {
            guard let entry = entries[userID], now - entry.checkedAt < ttlMicros, now >= entry.checkedAt else { return nil }
            return entry
        }
    }

    /// Remembers the directory's answer for `userID`.
    func remember(_ userID: String, _ entry: Entry) {
        lock.withLock {
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[userID] = entry
        }
    }
}
