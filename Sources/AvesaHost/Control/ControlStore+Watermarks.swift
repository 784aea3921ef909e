extension ControlStore {
    /// The last committed cursor of a tenant's service table, or `nil` before its first sync.
    public func watermark(tenant: TenantID, service: String, table: String) throws(ControlError) -> String? {
        try sql { () throws(SQLiteError) in
            try withStatement("SELECT cursor FROM watermarks WHERE tenant_id = ?1 AND service = ?2 AND table_name = ?3") {
                (select) throws(SQLiteError) in
                try select.bind(tenant.rawValue, at: 1)
                try select.bind(service, at: 2)
                try select.bind(table, at: 3)
                return try select.step() ? select.text(0) : nil
            }
        }
    }

    /// Sets the cursor of a tenant's service table. Call only once every chunk of the
    /// table has committed.
    /// - Throws: `.unknownTenantService` when the service is not configured.
    public func setWatermark(_ cursor: String, tenant: TenantID, service: String, table: String) throws(ControlError) {
        do {
            try withStatement("""
                INSERT INTO watermarks (tenant_id, service, table_name, cursor, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
                ON CONFLICT (tenant_id, service, table_name) DO UPDATE SET
                    cursor = excluded.cursor, updated_at = excluded.updated_at
                """) { (upsert) throws(SQLiteError) in
                try upsert.bind(tenant.rawValue, at: 1)
                try upsert.bind(service, at: 2)
                try upsert.bind(table, at: 3)
                try upsert.bind(cursor, at: 4)
                try upsert.bind(ControlClock.timestamp(), at: 5)
                try upsert.run()
            }
        } catch where error.isConstraintViolation {
            throw .unknownTenantService(tenant: tenant.rawValue, service: service)
        } catch {
            throw .database(error)
        }
    }
}
