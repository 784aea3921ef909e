import Foundation

/// The tenants being worked by some run of this process. The control store's run lock
/// (`acquireLock`) keeps runs of *different* processes apart, but it lets a process take a
/// lock it already holds (its owner is the pid and host); this keeps two runs of the *same*
/// process apart (an API-started run and the schedule, say), so a tenant's warehouse,
/// raw files and scratch folder always have one writer.
///
/// Thread-safe.
final class TenantClaims: @unchecked Sendable {
    /// The process's claims.
    static let shared = TenantClaims()

    private let lock = NSLock()
    private var claimed: Set<String> = []  // "<data folder>/<tenant>", under lock

    /// Claims `tenant` of the data folder `root`.
    /// - Returns: false when another run of this process holds it.
    func claim(_ tenant: TenantID, in root: String) -> Bool {
        lock.withLock { claimed.insert(root + "/" + tenant.rawValue).inserted }
    }

    /// Gives up a claim taken with `claim`.
    func release(_ tenant: TenantID, in root: String) {
        _ = lock.withLock { claimed.remove(root + "/" + tenant.rawValue) }
    }
}
