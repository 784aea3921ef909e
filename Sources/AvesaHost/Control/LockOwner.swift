import Foundation
import Glibc

/// Who holds (or wants) a tenant's run lock: a process on a host.
///
/// A pid and a host name alone do not name one process: containers that share a host name
/// (host networking) each number their processes from 1. So an owner also carries its
/// process's random `token` (two processes with the same pid are different owners) and its
/// `namespace` (boot id and pid namespace): a pid is checked for liveness only by a process
/// that sees the same pids.
public struct LockOwner: Sendable, Equatable, CustomStringConvertible {
    /// The owning process id.
    public let pid: Int32
    /// The owning host name.
    public let host: String
    /// The boot id and pid namespace the pid belongs to ("" when unknown).
    public let namespace: String
    /// Random per process ("" for owners written before tokens existed).
    public let token: String

    /// Creates an owner; by default in this process's pid namespace, without a token.
    public init(pid: Int32, host: String, namespace: String = LockOwner.currentNamespace, token: String = "") {
        self.pid = pid
        self.host = host
        self.namespace = namespace
        self.token = token
    }

    /// This process on this host.
    public static var current: LockOwner {
        LockOwner(pid: getpid(), host: ProcessInfo.processInfo.hostName, namespace: currentNamespace, token: processToken)
    }

    /// This process's token, drawn once.
    static let processToken = UUID().uuidString.lowercased()

    /// `<boot id>/<pid namespace>` of this process, "" when /proc does not say.
    public static let currentNamespace: String = {
        let boot = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var buffer = [CChar](repeating: 0, count: 128)
        let length = readlink("/proc/self/ns/pid", &buffer, buffer.count - 1)
        let space = length > 0 ? String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        return boot.isEmpty || space.isEmpty ? "" : boot + "/" + space
    }()

    /// `pid N on HOST`.
    public var description: String { "pid \(pid) on \(host)" }
}
