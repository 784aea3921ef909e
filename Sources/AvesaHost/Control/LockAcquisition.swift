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
