/// One service configured for a tenant. Credential values are not part of it: only the
/// names of the stored fields, so a listing can never show a secret.
public struct TenantService: Sendable, Equatable {
    /// The tenant.
    public let tenant: TenantID
    /// The plugin's service id (e.g. "connectwise").
    public let service: String
    /// The endpoints to sync; `nil` means every endpoint the plugin offers.
    public let enabledTables: [String]?
    /// A `RateLimitOverride` in RATE syntax (e.g. `10/s,burst=20`), or `nil`.
    public let rateLimitOverride: String?
    /// When the service was added (`ControlClock` text).
    public let createdAt: String
    /// Names of the credential fields stored for it (values are encrypted).
    public let credentialFields: [String]

    /// Creates a record.
    public init(tenant: TenantID, service: String, enabledTables: [String]?, rateLimitOverride: String?,
                createdAt: String, credentialFields: [String]) {
        self.tenant = tenant
        self.service = service
        self.enabledTables = enabledTables
        self.rateLimitOverride = rateLimitOverride
        self.createdAt = createdAt
        self.credentialFields = credentialFields
    }
}
