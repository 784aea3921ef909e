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
