import PluginABI

/// The authentication kinds of the ABI (`AVESA_AUTH_*`).
public enum AuthKind: Int32, Sendable, CaseIterable {
    case none = 0, basic, apiKeyHeader, apiKeyQuery, bearer
    case oauth2ClientCredentials, oauth2RefreshToken, oauth2Password, oauth2JWTBearer, custom

    /// The name shown by `plugins list` and in JSON.
    public var name: String {
        switch self {
        case .none: "none"
        case .basic: "basic"
        case .apiKeyHeader: "api_key_header"
        case .apiKeyQuery: "api_key_query"
        case .bearer: "bearer"
        case .oauth2ClientCredentials: "oauth2_client_credentials"
        case .oauth2RefreshToken: "oauth2_refresh_token"
        case .oauth2Password: "oauth2_password"
        case .oauth2JWTBearer: "oauth2_jwt_bearer"
        case .custom: "custom"
        }
    }

    /// Whether the kind obtains its token from an OAuth2 token endpoint.
    public var isOAuth2: Bool {
        [.oauth2ClientCredentials, .oauth2RefreshToken, .oauth2Password, .oauth2JWTBearer].contains(self)
    }
}

/// How an OAuth2 client presents its secret at the token endpoint.
public enum ClientAuthentication: Int32, Sendable {
    case form = 0, basic
}

/// Authentication as a plugin declares it (`avesa_auth`); templates use {field}.
public struct AuthSpec: Sendable, Equatable {
    public let kind: AuthKind
    public let usernameTemplate: String?
    public let passwordTemplate: String?
    public let headerName: String?
    public let queryParam: String?
    public let secretTemplate: String?
    public let tokenURLTemplate: String?
    public let scopeTemplate: String?
    public let clientIDTemplate: String?
    public let clientSecretTemplate: String?
    public let refreshTokenTemplate: String?
    public let privateKeyTemplate: String?
    public let audienceTemplate: String?
    public let clientAuthentication: ClientAuthentication
    /// JSON pointer into the token response whose value becomes {instance_url}.
    public let instanceURLPointer: String?
}
