import Foundation
import Glibc

/// Who holds (or wants) a tenant's run lock: a process on a host.
public struct LockOwner: Sendable, Equatable, CustomStringConvertible {
    /// The owning process id.
    public let pid: Int32
    /// The owning host name.
    public let host: String

    /// Creates an owner.
    public init(pid: Int32, host: String) {
        self.pid = pid
        self.host = host
    }

    /// This process on this host.
    public static var current: LockOwner {
        LockOwner(pid: getpid(), host: ProcessInfo.processInfo.hostName)
    }

    /// `pid N on HOST`.
    public var description: String { "pid \(pid) on \(host)" }
}

/// A tenant's run lock row: two runs never work the same tenant at once.
public struct TenantLock: Sendable, Equatable {
    /// The locked tenant.
    public let tenant: TenantID
    /// The holder.
    public let owner: LockOwner
    /// When the holder took the lock (`ControlClock` text).
    public let acquiredAt: String
    /// The holder's last sign of life (`ControlClock` text).
    public let heartbeatAt: String
}

/// The outcome of `ControlStore.acquireLock`.
public enum LockAcquisition: Sendable, Equatable {
    /// The lock was free (or already ours) and is now held by the caller.
    case acquired
    /// The previous holder was stale (heartbeat too old, or its process is gone on this
    /// host); the lock was taken over.
    case recovered(from: TenantLock)
    /// Another live holder has it.
    case held(by: TenantLock)

    /// Whether the caller now holds the lock.
    public var isAcquired: Bool {
        if case .held = self { return false }
        return true
    }
}

/// When a lock counts as abandoned: its heartbeat is older than `maximumHeartbeatAge`, or
/// its holder ran on this host and that process no longer exists.
public struct LockStalenessPolicy: Sendable {
    /// Heartbeats older than this mark the holder as dead (holders beat well within it).
    public var maximumHeartbeatAge: TimeInterval
    /// This machine's host name, to decide when a pid can be checked.
    public var localHost: String
    /// Whether a local pid is alive; defaults to `kill(pid, 0)`.
    public var isProcessAlive: @Sendable (Int32) -> Bool

    /// Creates a policy (default: 60 s heartbeat age, this host, `kill(pid, 0)`).
    public init(maximumHeartbeatAge: TimeInterval = 60, localHost: String = ProcessInfo.processInfo.hostName,
                isProcessAlive: @escaping @Sendable (Int32) -> Bool = LockStalenessPolicy.processExists) {
        self.maximumHeartbeatAge = maximumHeartbeatAge
        self.localHost = localHost
        self.isProcessAlive = isProcessAlive
    }

    /// Whether `lock` is abandoned at `now`.
    public func isStale(_ lock: TenantLock, now: Date) -> Bool {
        guard let beat = ControlClock.date(lock.heartbeatAt) else { return true }
        if now.timeIntervalSince(beat) > maximumHeartbeatAge { return true }
        return lock.owner.host == localHost && !isProcessAlive(lock.owner.pid)
    }

    /// `kill(pid, 0)`: alive unless the process does not exist (EPERM means it exists).
    public static func processExists(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
