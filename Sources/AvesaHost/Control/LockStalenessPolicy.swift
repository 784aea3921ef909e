import Foundation
import Glibc

/// When a lock counts as abandoned: its heartbeat is older than `maximumHeartbeatAge`, or
/// its holder ran on this host, in this pid namespace, and that process no longer exists.
public struct LockStalenessPolicy: Sendable {
    /// Heartbeats older than this mark the holder as dead (holders beat well within it).
    public var maximumHeartbeatAge: TimeInterval
    /// This machine's host name, to decide when a pid can be checked.
    public var localHost: String
    /// This process's pid namespace (`LockOwner.namespace`): only pids of the same one are checked.
    public var localNamespace: String
    /// Whether a local pid is alive; defaults to `kill(pid, 0)`.
    public var isProcessAlive: @Sendable (Int32) -> Bool

    /// Creates a policy (default: 60 s heartbeat age, this host and pid namespace, `kill(pid, 0)`).
    public init(maximumHeartbeatAge: TimeInterval = 60, localHost: String = ProcessInfo.processInfo.hostName,
                localNamespace: String = LockOwner.currentNamespace,
                isProcessAlive: @escaping @Sendable (Int32) -> Bool = LockStalenessPolicy.processExists) {
        self.maximumHeartbeatAge = maximumHeartbeatAge
        self.localHost = localHost
        self.localNamespace = localNamespace
        self.isProcessAlive = isProcessAlive
    }

    /// Whether `lock` is abandoned at `now`.
    public func isStale(_ lock: TenantLock, now: Date) -> Bool {
        guard let beat = ControlClock.date(lock.heartbeatAt) else { return true }
        if now.timeIntervalSince(beat) > maximumHeartbeatAge { return true }
        // Another container with the same host name numbers its own processes: its pid
        // means nothing here (a live holder would look dead, or be this very process).
        guard lock.owner.host == localHost, !localNamespace.isEmpty, lock.owner.namespace == localNamespace else { return false }
        return !isProcessAlive(lock.owner.pid)
    }

    /// `kill(pid, 0)`: alive unless the process does not exist (EPERM means it exists).
    public static func processExists(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
