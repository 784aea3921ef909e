
extension ControlStore {
    /// Adds a tenant.
    /// - Throws: `.duplicateTenant` when the id is taken.
    @discardableResult
    public func addTenant(_ id: TenantID, name: String) throws(ControlError) -> Tenant {
        let tenant = Tenant(id: id, name: name, createdAt: ControlClock.timestamp())
        do {
            let insert = try database.prepare("INSERT INTO tenants (id, name, created_at) VALUES (?1, ?2, ?3)")
            try insert.bind(id.rawValue, at: 1)
            try insert.bind(name, at: 2)
            try insert.bind(tenant.createdAt, at: 3)
            try insert.run()
        } catch {
            if error.isPrimaryKeyViolation { throw .duplicateTenant(id.rawValue) }
            throw .database(error)
        }
        return tenant
    }

    /// Every tenant, ordered by id.
    public func tenants() throws(ControlError) -> [Tenant] {
        try sql { () throws(SQLiteError) in
            let select = try database.prepare("SELECT id, name, created_at FROM tenants ORDER BY id")
            var result: [Tenant] = []
            while try select.step() {
                // Rows were validated on insert; skip anything edited into the file by hand.
                guard let id = try? TenantID(select.text(0) ?? "") else { continue }
                result.append(Tenant(id: id, name: select.text(1) ?? "", createdAt: select.text(2) ?? ""))
            }
            return result
        }
    }

    /// The tenant with `id`, or `nil`.
    public func tenant(_ id: TenantID) throws(ControlError) -> Tenant? {
        try sql { () throws(SQLiteError) in
            let select = try database.prepare("SELECT name, created_at FROM tenants WHERE id = ?1")
            try select.bind(id.rawValue, at: 1)
            guard try select.step() else { return nil }
            return Tenant(id: id, name: select.text(0) ?? "", createdAt: select.text(1) ?? "")
        }
    }

    /// The tenant with `id`.
    /// - Throws: `.unknownTenant` when there is none.
    @discardableResult
    public func requireTenant(_ id: TenantID) throws(ControlError) -> Tenant {
        guard let tenant = try tenant(id) else { throw .unknownTenant(id.rawValue) }
        return tenant
    }

    /// Removes the tenant and, by cascade, its users, services, credentials, watermarks,
    /// run tables, chunks and lock. Its data folder is the caller's to delete.
    /// - Throws: `.unknownTenant` when there is none.
    public func removeTenant(_ id: TenantID) throws(ControlError) {
        let removed = try sql { () throws(SQLiteError) in
            let delete = try database.prepare("DELETE FROM tenants WHERE id = ?1")
            try delete.bind(id.rawValue, at: 1)
            try delete.run()
            return database.changes
        }
        if removed == 0 { throw .unknownTenant(id.rawValue) }
    }
}
