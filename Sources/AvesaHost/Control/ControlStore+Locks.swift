import Foundation

extension ControlStore {
    /// Takes `tenant`'s run lock for `owner`, atomically (one immediate transaction).
    ///
    /// Free → acquired; already held by `owner` → acquired (heartbeat refreshed); held by a
    /// stale holder per `policy` → taken over (`.recovered`); otherwise `.held`.
    /// - Throws: `.unknownTenant` when the tenant does not exist.
    public func acquireLock(tenant: TenantID, owner: LockOwner = .current, policy: LockStalenessPolicy = .init(),
                            now: Date = Date()) throws(ControlError) -> LockAcquisition {
        try requireTenant(tenant)
        let stamp = ControlClock.timestamp(now)
        return try write {
            let existing = try currentLock(tenant)
            var outcome = LockAcquisition.acquired
            if let existing, existing.owner != owner {
                guard policy.isStale(existing, now: now) else { return .held(by: existing) }
                outcome = .recovered(from: existing)
            }
            let upsert = try database.prepare("""
                INSERT INTO run_locks (tenant_id, owner_pid, host, acquired_at, heartbeat_at, pid_namespace, owner_token)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                ON CONFLICT (tenant_id) DO UPDATE SET owner_pid = excluded.owner_pid, host = excluded.host,
                    acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at,
                    pid_namespace = excluded.pid_namespace, owner_token = excluded.owner_token
                """)
            try upsert.bind(tenant.rawValue, at: 1)
            try upsert.bind(Int64(owner.pid), at: 2)
            try upsert.bind(owner.host, at: 3)
            // Re-acquiring our own lock keeps its original acquisition time.
            try upsert.bind(existing?.owner == owner ? existing!.acquiredAt : stamp, at: 4)
            try upsert.bind(stamp, at: 5)
            try upsert.bind(owner.namespace, at: 6)
            try upsert.bind(owner.token, at: 7)
            try upsert.run()
            return outcome
        }
    }

    /// Refreshes the heartbeat of `owner`'s lock on `tenant`.
    /// - Returns: `false` when `owner` no longer holds the lock (it was recovered by another run).
    @discardableResult
    public func heartbeatLock(tenant: TenantID, owner: LockOwner = .current, now: Date = Date()) throws(ControlError) -> Bool {
        try sql { () throws(SQLiteError) in try touch(tenant, owner: owner, stamp: ControlClock.timestamp(now)) }
    }

    /// Releases `owner`'s lock on `tenant`; a lock held by someone else is left alone.
    /// - Returns: whether a lock was released.
    @discardableResult
    public func releaseLock(tenant: TenantID, owner: LockOwner = .current) throws(ControlError) -> Bool {
        try sql { () throws(SQLiteError) in
            let delete = try database.prepare(
                "DELETE FROM run_locks WHERE tenant_id = ?1 AND owner_pid = ?2 AND host = ?3 AND owner_token = ?4 AND pid_namespace = ?5")
            try delete.bind(tenant.rawValue, at: 1)
            try delete.bind(Int64(owner.pid), at: 2)
            try delete.bind(owner.host, at: 3)
            try delete.bind(owner.token, at: 4)
            try delete.bind(owner.namespace, at: 5)
            try delete.run()
            return database.changes > 0
        }
    }

    /// The lock on `tenant`, or `nil` when free.
    public func lock(tenant: TenantID) throws(ControlError) -> TenantLock? {
        try sql { () throws(SQLiteError) in try currentLock(tenant) }
    }

    private func currentLock(_ tenant: TenantID) throws(SQLiteError) -> TenantLock? {
        let select = try database.prepare(
            "SELECT owner_pid, host, acquired_at, heartbeat_at, pid_namespace, owner_token FROM run_locks WHERE tenant_id = ?1")
        try select.bind(tenant.rawValue, at: 1)
        guard try select.step() else { return nil }
        let owner = LockOwner(pid: Int32(truncatingIfNeeded: select.int64(0)), host: select.text(1) ?? "",
                              namespace: select.text(4) ?? "", token: select.text(5) ?? "")
        return TenantLock(tenant: tenant, owner: owner, acquiredAt: select.text(2) ?? "", heartbeatAt: select.text(3) ?? "")
    }

    private func touch(_ tenant: TenantID, owner: LockOwner, stamp: String) throws(SQLiteError) -> Bool {
        let update = try database.prepare("""
            UPDATE run_locks SET heartbeat_at = ?1
            WHERE tenant_id = ?2 AND owner_pid = ?3 AND host = ?4 AND owner_token = ?5 AND pid_namespace = ?6
            """)
        try update.bind(stamp, at: 1)
        try update.bind(tenant.rawValue, at: 2)
        try update.bind(Int64(owner.pid), at: 3)
        try update.bind(owner.host, at: 4)
        try update.bind(owner.token, at: 5)
        try update.bind(owner.namespace, at: 6)
        try update.run()
        return database.changes > 0
    }
}
