/// A failure of the control database or the credential vault. Messages name the tenant,
/// service, file or rule involved, and never contain a secret value.
public enum ControlError: Error, Equatable, CustomStringConvertible {
    /// A tenant id failed `TenantID` validation: the text given and the rule it broke.
    case invalidTenantID(String, String)
    /// No tenant with this id.
    case unknownTenant(String)
    /// A tenant with this id already exists.
    case duplicateTenant(String)
    /// The tenant has no such service configured.
    case unknownTenantService(tenant: String, service: String)
    /// The tenant already has this service configured.
    case duplicateTenantService(tenant: String, service: String)
    /// A run holds the tenant's lock, so the change has to wait until it ends.
    case tenantBusy(tenant: String, holder: String)
    /// The control file was written by a newer avesa-host.
    case schemaTooNew(path: String, found: Int, supported: Int)
    /// A stored value could not be read back (corrupt JSON, unexpected text).
    case corruptRecord(String)
    /// The master key is missing, malformed or unsafe.
    case masterKey(String)
    /// Encryption or decryption failed; the message never contains plaintext or key.
    case crypto(String)
    /// A file system operation failed.
    case io(String)
    /// The underlying SQLite call failed.
    case database(SQLiteError)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case .invalidTenantID(let text, let problem):
            let shown = text.count > 80 ? String(text.prefix(80)) + "…" : text
            return "invalid tenant id \"\(shown)\": \(problem) (expected ^[a-z0-9][a-z0-9_-]{0,62}$)"
        case .unknownTenant(let id): return "unknown tenant \"\(id)\""
        case .tenantBusy(let tenant, let holder): return "tenant \"\(tenant)\" is being synced by \(holder); try again when that run ends"
        case .duplicateTenant(let id): return "tenant \"\(id)\" already exists"
        case .unknownTenantService(let tenant, let service):
            return "tenant \"\(tenant)\" has no service \"\(service)\" configured"
        case .duplicateTenantService(let tenant, let service):
            return "tenant \"\(tenant)\" already has service \"\(service)\" configured (remove it first)"
        case .schemaTooNew(let path, let found, let supported):
            return "control database \(path) has schema version \(found), newer than this avesa-host supports (\(supported)); upgrade avesa-host or use another --data folder"
        case .corruptRecord(let message), .masterKey(let message), .crypto(let message), .io(let message):
            return message
        case .database(let error): return error.description
        }
    }
}
