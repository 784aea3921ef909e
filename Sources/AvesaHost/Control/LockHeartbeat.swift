import Foundation

/// Keeps a tenant lock fresh from a plain thread while synchronous work (a CLI command
/// such as `retransform`) holds it: every `interval` seconds it refreshes the heartbeat
/// through its own connection to `control.sqlite`, so no other run mistakes the holder for
/// a dead one (`LockStalenessPolicy`, 60 s by default).
///
/// A beat that finds the lock no longer ours (this process stalled past the stale limit and
/// another took it over) stops beating and sets `isLost`: the work must stop writing.
///
/// Thread rules: `start` and `stop` from the owning thread; the beat thread touches only
/// its own `ControlStore` (reopened at the next beat when opening fails), and `stopping`,
/// `stopped` and `lost` only under `condition`.
public final class LockHeartbeat: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopping = false  // under condition
    private var stopped = false   // under condition
    private var lost = false      // under condition

    /// Whether a beat found the lock taken by another process. Any thread.
    public var isLost: Bool {
        condition.lock()
        defer { condition.unlock() }
        return lost
    }

    private init() {}

    /// Starts beating for `owner`'s lock on `tenant` in `dataDirectory`'s control database.
    public static func start(dataDirectory: String, tenant: TenantID, owner: LockOwner = .current,
                             interval: TimeInterval = 10) -> LockHeartbeat {
        let heartbeat = LockHeartbeat()
        let thread = Thread {
            var store = try? ControlStore(dataDirectory: dataDirectory)
            heartbeat.condition.lock()
            while !heartbeat.stopping && !heartbeat.lost {
                if !heartbeat.condition.wait(until: Date().addingTimeInterval(interval)) {
                    if store == nil { store = try? ControlStore(dataDirectory: dataDirectory) }
                    if let held = try? store?.heartbeatLock(tenant: tenant, owner: owner), !held { heartbeat.lost = true }
                }
            }
            heartbeat.stopped = true
            heartbeat.condition.broadcast()
            heartbeat.condition.unlock()
        }
        thread.name = "avesa-lock-heartbeat-\(tenant.rawValue)"
        thread.start()
        return heartbeat
    }

    /// Stops beating and waits for the thread to finish.
    public func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !stopped { condition.wait() }
        condition.unlock()
    }
}
