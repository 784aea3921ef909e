/// Everything a plugin declares, copied out of its C manifest once and validated: the
/// immutable Swift view of `avesa_plugin` that the rest of the host works with.
public struct PluginManifest: Sendable, Equatable {
    /// Service id, unique across plugins (e.g. "connectwise").
    public let service: String
    /// Human name (e.g. "ConnectWise Manage").
    public let displayName: String
    /// The plugin's own version.
    public let version: String
    /// Who publishes the plugin.
    public let vendor: String
    /// One paragraph, or "".
    public let description: String
    /// The ABI the plugin was built for.
    public let abi: ABIVersion
    /// API root template using {field} placeholders.
    public let baseURLTemplate: String
    /// How requests are authenticated.
    public let auth: AuthSpec
    /// Fields the user supplies per tenant.
    public let credentialFields: [CredentialField]
    /// Headers sent on every request (templates allowed).
    public let headers: [NameValue]
    /// Default limits per credential.
    public let rateLimit: RateLimitSpec
    /// The tables the service offers, in declaration order.
    public let endpoints: [EndpointSpec]
    /// Which optional hooks the plugin implements.
    public let hooks: HookSet
    /// The host must not call two hooks at once (AVESA_PLUGIN_SERIALIZE_HOOKS).
    public let serializeHooks: Bool

    /// The endpoint named `name`, if any.
    public func endpoint(named name: String) -> EndpointSpec? {
        endpoints.first { $0.name == name }
    }
}

/// A header or query parameter whose value may hold {field} templates.
public struct NameValue: Sendable, Equatable {
    public let name: String
    public let value: String
}

/// One credential or configuration field (`avesa_credential_field`).
public struct CredentialField: Sendable, Equatable {
    public let name: String
    public let label: String
    public let description: String?
    public let defaultValue: String?
    public let example: String?
    /// Must have a value (from the user or the default).
    public let isRequired: Bool
    /// Encrypted at rest, never printed, logged or returned.
    public let isSecret: Bool
    /// Holds a base URL (validated as http or https).
    public let isURL: Bool
    /// Multi-line text such as a PEM key.
    public let isMultiline: Bool
}

/// Which optional hooks a plugin provides.
public struct HookSet: Sendable, Equatable {
    public var initialize = false
    public var free = false
    public var authenticate = false
    public var buildRequest = false
    public var parsePage = false
    public var planChunks = false

    /// The names of the hooks present, for display.
    public var names: [String] {
        [("init", initialize), ("free", free), ("authenticate", authenticate),
         ("build_request", buildRequest), ("parse_page", parsePage), ("plan_chunks", planChunks)]
            .filter(\.1).map(\.0)
    }
}
