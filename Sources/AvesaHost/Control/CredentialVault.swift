/// Encrypts and decrypts a tenant service's credentials with AES-256-GCM under the
/// master key. The associated data is `"<tenant>/<service>"`, so a ciphertext copied to
/// another tenant's (or service's) row fails to decrypt instead of leaking.
///
/// Errors never contain plaintext or key material.
public struct CredentialVault: Sendable {
    private let key: MasterKey

    /// A vault using `key`.
    public init(key: MasterKey) {
        self.key = key
    }

    /// A vault with the key from `AVESA_MASTER_KEY` or `<data>/master.key` (see `MasterKey.resolve`).
    public init(environment: [String: String], dataDirectory: String) throws(ControlError) {
        key = try MasterKey.resolve(environment: environment, dataDirectory: dataDirectory)
    }

    /// Encrypts `plaintext` for `tenant`'s `service` with a fresh random nonce.
    public func seal(_ plaintext: [UInt8], tenant: TenantID, service: String) throws(ControlError) -> SealedBox {
        let nonce = try AESGCM.randomNonce()
        let ciphertext = try AESGCM.seal(plaintext, key: key.bytes, nonce: nonce,
                                         associatedData: Self.associatedData(tenant: tenant, service: service))
        return SealedBox(nonce: nonce, ciphertext: ciphertext)
    }

    /// Decrypts `box` for `tenant`'s `service`.
    /// - Throws: `ControlError.crypto` when the key is wrong, the box belongs to another
    ///   tenant or service, or the bytes were altered.
    public func open(_ box: SealedBox, tenant: TenantID, service: String) throws(ControlError) -> [UInt8] {
        guard let plaintext = try AESGCM.open(box.ciphertext, key: key.bytes, nonce: box.nonce,
                                              associatedData: Self.associatedData(tenant: tenant, service: service)) else {
            throw .crypto("cannot decrypt the credentials of tenant \"\(tenant)\" service \"\(service)\": wrong master key (check \(MasterKey.environmentVariable) or master.key), or the stored credentials were altered or belong to another tenant")
        }
        return plaintext
    }

    /// The authenticated context of a tenant service's credentials.
    static func associatedData(tenant: TenantID, service: String) -> [UInt8] {
        Array("\(tenant.rawValue)/\(service)".utf8)
    }
}
