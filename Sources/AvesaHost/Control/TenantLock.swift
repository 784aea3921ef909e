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
