/// A tenant row: one MSP customer.
public struct Tenant: Sendable, Equatable {
    /// The validated id.
    public let id: TenantID
    /// A display name.
    public let name: String
    /// When the tenant was added (`ControlClock` text).
    public let createdAt: String

    /// Creates a record.
    public init(id: TenantID, name: String, createdAt: String) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}
