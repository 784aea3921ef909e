extension ControlStore {
    /// Replaces the stored credentials of `tenant`'s `service` with `values`, encrypted.
    /// - Throws: `.unknownTenantService` when the service is not configured.
    public func saveCredentials(_ values: [String: String], tenant: TenantID, service: String,
                                vault: CredentialVault) throws(ControlError) {
        guard try self.service(tenant: tenant, service: service) != nil else {
            throw .unknownTenantService(tenant: tenant.rawValue, service: service)
        }
        let box = try vault.seal(CredentialCoding.encode(values), tenant: tenant, service: service)
        try write { try storeCredentials(box, fields: values.keys.sorted(), tenant: tenant, service: service) }
    }

    /// Sets one field of the stored credentials of `tenant`'s `service` (a refresh token the
    /// provider rotated), reading and re-sealing them in one write transaction.
    /// - Throws: `.unknownTenantService`; `.crypto` when the stored ones cannot be opened.
    public func replaceCredential(_ field: String, with value: String, tenant: TenantID, service: String,
                                  vault: CredentialVault) throws(ControlError) {
        try write {
            var values = try loadCredentials(tenant: tenant, service: service, vault: vault)
            values[field] = value
            let box = try vault.seal(CredentialCoding.encode(values), tenant: tenant, service: service)
            try storeCredentials(box, fields: values.keys.sorted(), tenant: tenant, service: service)
        }
    }

    /// Decrypts the credentials of `tenant`'s `service` (field name → value). For the
    /// connector only: never print, log or return these from a command.
    /// - Throws: `.unknownTenantService`; `.crypto` when decryption fails.
    public func loadCredentials(tenant: TenantID, service: String, vault: CredentialVault) throws(ControlError) -> [String: String] {
        guard let box = try sealedCredentials(tenant: tenant, service: service) else {
            throw .unknownTenantService(tenant: tenant.rawValue, service: service)
        }
        return try CredentialCoding.decode(vault.open(box, tenant: tenant, service: service))
    }

    /// The stored, still encrypted credentials of `tenant`'s `service`, or `nil`.
    public func sealedCredentials(tenant: TenantID, service: String) throws(ControlError) -> SealedBox? {
        try sql { () throws(SQLiteError) in
            let select = try database.prepare(
                "SELECT nonce, ciphertext FROM credentials WHERE tenant_id = ?1 AND service = ?2")
            try select.bind(tenant.rawValue, at: 1)
            try select.bind(service, at: 2)
            guard try select.step() else { return nil }
            return SealedBox(nonce: select.blob(0) ?? [], ciphertext: select.blob(1) ?? [])
        }
    }

    /// Upserts the sealed row; call inside a write transaction.
    func storeCredentials(_ box: SealedBox, fields: [String], tenant: TenantID, service: String) throws {
        let upsert = try database.prepare("""
            INSERT INTO credentials (tenant_id, service, field_names, ciphertext, nonce, updated_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (tenant_id, service) DO UPDATE SET
                field_names = excluded.field_names, ciphertext = excluded.ciphertext,
                nonce = excluded.nonce, updated_at = excluded.updated_at
            """)
        try upsert.bind(tenant.rawValue, at: 1)
        try upsert.bind(service, at: 2)
        try upsert.bind(JSONValue.array(fields.map(JSONValue.string)).jsonString(), at: 3)
        try upsert.bind(blob: box.ciphertext, at: 4)
        try upsert.bind(blob: box.nonce, at: 5)
        try upsert.bind(ControlClock.timestamp(), at: 6)
        try upsert.run()
    }
}
