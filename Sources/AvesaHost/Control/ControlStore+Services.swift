import Foundation


extension ControlStore {
    /// Adds `service` to `tenant` together with its encrypted credentials, in one transaction.
    /// - Parameters:
    ///   - enabledTables: endpoint names to sync, `nil` for all (the caller validates them
    ///     against the plugin's manifest).
    ///   - rateLimitOverride: RATE text already checked with `RateLimitOverride.parse`.
    ///   - credentials: field name → value; encrypted with `vault` before it is stored.
    /// - Throws: `.unknownTenant`, `.duplicateTenantService`.
    @discardableResult
    public func addService(tenant: TenantID, service: String, enabledTables: [String]?, rateLimitOverride: String?,
                           credentials: [String: String], vault: CredentialVault) throws(ControlError) -> TenantService {
        try requireTenant(tenant)
        let createdAt = ControlClock.timestamp()
        let box = try vault.seal(CredentialCoding.encode(credentials), tenant: tenant, service: service)
        try write {
            let insert = try database.prepare("""
                INSERT INTO tenant_services (tenant_id, service, enabled_tables, rate_limit_override, created_at)
                VALUES (?1, ?2, ?3, ?4, ?5)
                """)
            try insert.bind(tenant.rawValue, at: 1)
            try insert.bind(service, at: 2)
            if let enabledTables {
                try insert.bind(JSONValue.array(enabledTables.map(JSONValue.string)).jsonString(), at: 3)
            }
            if let rateLimitOverride { try insert.bind(rateLimitOverride, at: 4) }
            try insert.bind(createdAt, at: 5)
            do {
                try insert.run()
            } catch let error as SQLiteError where error.isPrimaryKeyViolation {
                throw ControlError.duplicateTenantService(tenant: tenant.rawValue, service: service)
            }
            try storeCredentials(box, fields: credentials.keys.sorted(), tenant: tenant, service: service)
        }
        return TenantService(tenant: tenant, service: service, enabledTables: enabledTables,
                             rateLimitOverride: rateLimitOverride, createdAt: createdAt,
                             credentialFields: credentials.keys.sorted())
    }

    /// The services of `tenant` (or of every tenant when `nil`), ordered by tenant then service.
    public func services(tenant: TenantID? = nil) throws(ControlError) -> [TenantService] {
        let rows = try sql { () throws(SQLiteError) in
            let select = try database.prepare("""
                SELECT s.tenant_id, s.service, s.enabled_tables, s.rate_limit_override, s.created_at, c.field_names
                FROM tenant_services s
                LEFT JOIN credentials c ON c.tenant_id = s.tenant_id AND c.service = s.service
                WHERE ?1 IS NULL OR s.tenant_id = ?1
                ORDER BY s.tenant_id, s.service
                """)
            if let tenant { try select.bind(tenant.rawValue, at: 1) }
            var rows: [[String?]] = []
            while try select.step() { rows.append((0..<6).map { select.text($0) }) }
            return rows
        }
        var result: [TenantService] = []
        for row in rows {
            guard let id = try? TenantID(row[0] ?? "") else { continue }
            result.append(TenantService(
                tenant: id, service: row[1] ?? "", enabledTables: try row[2].map(Self.decodeStringArray),
                rateLimitOverride: row[3], createdAt: row[4] ?? "",
                credentialFields: try row[5].map(Self.decodeStringArray) ?? []))
        }
        return result
    }

    /// The service `service` of `tenant`, or `nil`.
    public func service(tenant: TenantID, service: String) throws(ControlError) -> TenantService? {
        try services(tenant: tenant).first { $0.service == service }
    }

    /// Removes `service` from `tenant`, with its credentials and watermarks.
    /// - Throws: `.unknownTenant`, `.unknownTenantService`.
    public func removeService(tenant: TenantID, service: String, now: Date = Date()) throws(ControlError) {
        try requireTenant(tenant)
        try write {
            // A run of the tenant would go on merging the service's data after its removal
            // (checked inside the transaction: no run can take the lock in between).
            if let lock = try lock(tenant: tenant), !LockStalenessPolicy().isStale(lock, now: now) {
                throw ControlError.tenantBusy(tenant: tenant.rawValue, holder: "\(lock.owner)")
            }
            let removed = try sql { () throws(SQLiteError) in
                let delete = try database.prepare("DELETE FROM tenant_services WHERE tenant_id = ?1 AND service = ?2")
                try delete.bind(tenant.rawValue, at: 1)
                try delete.bind(service, at: 2)
                try delete.run()
                return database.changes
            }
            if removed == 0 { throw ControlError.unknownTenantService(tenant: tenant.rawValue, service: service) }
            // Unfinished chunks would otherwise be resumed by the next run once the service is
            // added again, perhaps for another account: the new service starts from nothing.
            try sql { () throws(SQLiteError) in
                let supersede = try database.prepare(
                    "UPDATE chunks SET status = 'done', error = 'superseded: the service was removed', updated_at = ?3 "
                        + "WHERE tenant_id = ?1 AND service = ?2 AND status <> 'done'")
                try supersede.bind(tenant.rawValue, at: 1)
                try supersede.bind(service, at: 2)
                try supersede.bind(ControlClock.timestamp(now), at: 3)
                try supersede.run()
            }
        }
    }

    /// Decodes a stored JSON array of strings.
    static func decodeStringArray(_ text: String) throws(ControlError) -> [String] {
        guard let values = (try? JSONParser.parse(text))?.array else {
            throw .corruptRecord("stored value is not a JSON array of strings")
        }
        return values.compactMap(\.string)
    }
}
