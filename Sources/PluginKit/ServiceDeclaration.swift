import PluginABI

/// A Swift description of a whole connector, turned into the C manifest once by
/// `ManifestBuilder.build(_:)`. Mirrors `avesa_plugin`; see avesa_plugin.h for meanings.
/// `@unchecked Sendable`: the only non-Sendable member, `hooks`, points to an immutable
/// static C function table that lives as long as the process.
public struct ServiceDeclaration: @unchecked Sendable {
    public var name: String
    public var displayName: String
    public var version: String
    public var vendor: String
    public var description: String
    public var baseURLTemplate: String
    public var auth: AuthDeclaration
    public var credentialFields: [FieldDeclaration]
    public var headers: [(name: String, value: String)]
    public var rateLimit: RateLimitDeclaration
    public var endpoints: [EndpointDeclaration]
    /// Optional hooks (static C function table), or nil for a declarative plugin.
    public var hooks: UnsafePointer<avesa_hooks>?

    /// Creates a declaration; `headers` are sent on every request (templates allowed).
    public init(name: String, displayName: String, version: String, vendor: String,
                description: String, baseURLTemplate: String, auth: AuthDeclaration,
                credentialFields: [FieldDeclaration], headers: [(name: String, value: String)] = [],
                rateLimit: RateLimitDeclaration, endpoints: [EndpointDeclaration],
                hooks: UnsafePointer<avesa_hooks>? = nil) {
        self.name = name; self.displayName = displayName; self.version = version
        self.vendor = vendor; self.description = description
        self.baseURLTemplate = baseURLTemplate; self.auth = auth
        self.credentialFields = credentialFields; self.headers = headers
        self.rateLimit = rateLimit; self.endpoints = endpoints; self.hooks = hooks
    }
}

/// One credential or configuration field (`avesa_credential_field`).
public struct FieldDeclaration: Sendable {
    public var name: String
    public var label: String
    public var description: String?
    public var defaultValue: String?
    public var example: String?
    public var flags: avesa_field_flags

    /// Creates a field; `flags` are `AVESA_FIELD_*` bits.
    public init(_ name: String, label: String, flags: avesa_field_flags, description: String? = nil,
                defaultValue: String? = nil, example: String? = nil) {
        self.name = name; self.label = label; self.flags = flags
        self.description = description; self.defaultValue = defaultValue; self.example = example
    }
}

/// Authentication (`avesa_auth`); only the members the kind reads need values.
public struct AuthDeclaration: Sendable {
    public var kind: avesa_auth_kind
    public var username: String?
    public var password: String?
    public var headerName: String?
    public var queryParam: String?
    public var secret: String?
    public var tokenURL: String?
    public var scope: String?
    public var clientID: String?
    public var clientSecret: String?
    public var refreshToken: String?
    public var privateKey: String?
    public var audience: String?
    public var clientAuth: avesa_client_auth
    public var instanceURLPointer: String?

    /// Creates an auth declaration of `kind` with every template unset.
    public init(kind: avesa_auth_kind, username: String? = nil, password: String? = nil,
                headerName: String? = nil, queryParam: String? = nil, secret: String? = nil,
                tokenURL: String? = nil, scope: String? = nil, clientID: String? = nil,
                clientSecret: String? = nil, refreshToken: String? = nil, privateKey: String? = nil,
                audience: String? = nil, clientAuth: avesa_client_auth = AVESA_CLIENT_AUTH_FORM,
                instanceURLPointer: String? = nil) {
        self.kind = kind; self.username = username; self.password = password
        self.headerName = headerName; self.queryParam = queryParam; self.secret = secret
        self.tokenURL = tokenURL; self.scope = scope; self.clientID = clientID
        self.clientSecret = clientSecret; self.refreshToken = refreshToken
        self.privateKey = privateKey; self.audience = audience; self.clientAuth = clientAuth
        self.instanceURLPointer = instanceURLPointer
    }
}

/// Default rate limits and throttling signals (`avesa_rate_limit`).
public struct RateLimitDeclaration: Sendable {
    public var requestsPerSecond: Double
    public var burst: UInt32
    public var maxConcurrent: UInt32
    public var throttleStatuses: [Int32]
    public var retryAfterHeader: String?
    public var remainingHeader: String?
    public var limitHeader: String?
    public var resetHeader: String?
    public var resetKind: avesa_reset_kind
    public var usageHeader: String?

    /// Creates limits; by default 429 and 503 with `Retry-After` signal throttling.
    public init(requestsPerSecond: Double, burst: UInt32, maxConcurrent: UInt32,
                throttleStatuses: [Int32] = [429, 503], retryAfterHeader: String? = "Retry-After",
                remainingHeader: String? = nil, limitHeader: String? = nil, resetHeader: String? = nil,
                resetKind: avesa_reset_kind = AVESA_RESET_NONE, usageHeader: String? = nil) {
        self.requestsPerSecond = requestsPerSecond; self.burst = burst
        self.maxConcurrent = maxConcurrent; self.throttleStatuses = throttleStatuses
        self.retryAfterHeader = retryAfterHeader; self.remainingHeader = remainingHeader
        self.limitHeader = limitHeader; self.resetHeader = resetHeader
        self.resetKind = resetKind; self.usageHeader = usageHeader
    }
}
