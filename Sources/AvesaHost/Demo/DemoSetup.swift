import Foundation

/// The demo's fixed cast: three tenants (so isolation is visible), each with an admin,
/// an analyst and a viewer, and every service pointed at its own simulator instance.
public enum DemoSetup {
    /// A demo tenant.
    public struct Tenant: Sendable {
        public let id: String
        public let name: String
        public let domain: String
    }

    /// The tenants, in simulator-instance order.
    public static let tenants = [
        Tenant(id: "sitetechnology", name: "Site Technology", domain: "sitetechnology.com"),
        Tenant(id: "northwind", name: "Northwind Traders", domain: "northwind.com"),
        Tenant(id: "contoso", name: "Contoso", domain: "contoso.com"),
    ]

    /// Every demo user's password.
    public static let password = "demo123"

    /// Creates missing tenants and services and (re)points every service's credentials
    /// at the simulators, whose ports change from one demo start to the next.
    public static func configureTenants(control: ControlWorker, vault: CredentialVault, simulators: [Simulator]) async throws {
        let credentials = simulators.map { sim in (sim.service.name, (0..<tenants.count).map { sim.credentials(instance: $0) }) }
        try await control.run { store in
            for (index, tenant) in tenants.enumerated() {
                let id = try TenantID(tenant.id)
                if try store.tenant(id) == nil { _ = try store.addTenant(id, name: tenant.name) }
                for (service, perInstance) in credentials {
                    if try store.service(tenant: id, service: service) == nil {
                        _ = try store.addService(tenant: id, service: service, enabledTables: nil, rateLimitOverride: nil,
                                                 credentials: perInstance[index], vault: vault)
                    } else {
                        try store.saveCredentials(perInstance[index], tenant: id, service: service, vault: vault)
                    }
                }
            }
        }
    }

    /// Creates the demo users that do not exist yet.
    public static func createUsers(api: APIContext) throws {
        for tenant in tenants {
            for role in [Role.admin, .analyst, .viewer] {
                let email = "\(role.rawValue)@\(tenant.domain)"
                guard try api.users.user(tenantID: tenant.id, email: email) == nil else { continue }
                try api.users.add(UserRecord(id: UUID().uuidString.lowercased(), tenantID: tenant.id, email: email, role: role,
                                             passwordHash: try api.passwordHasher.hash(password),
                                             createdAt: Int64(Date().timeIntervalSince1970)))
            }
        }
    }
}
