/// An OAuth2 grant with its rendered credentials: what is posted to the token endpoint.
public enum OAuth2Grant: Sendable, Equatable {
    /// `grant_type=client_credentials`.
    case clientCredentials
    /// `grant_type=refresh_token` with the long-lived refresh token.
    case refreshToken(String)
    /// `grant_type=password` (resource owner credentials).
    case password(username: String, password: String)
    /// `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` with an RS256 assertion
    /// signed by `privateKeyPEM` (issuer = client id, subject = username).
    case jwtBearer(username: String, privateKeyPEM: String, audience: String)
}

/// The rendered settings of an OAuth2 token endpoint for one credential.
public struct OAuth2Settings: Sendable, Equatable {
    public var tokenURL: String
    public var clientID: String
    public var clientSecret: String?
    public var scope: String?
    public var clientAuthentication: ClientAuthentication
    public var grant: OAuth2Grant
    /// JSON pointer of the API host in the token response (Salesforce "/instance_url").
    public var instanceURLPointer: String?

    /// Creates settings from their parts.
    public init(tokenURL: String, clientID: String, clientSecret: String?, scope: String?,
                clientAuthentication: ClientAuthentication, grant: OAuth2Grant, instanceURLPointer: String?) {
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scope = scope
        self.clientAuthentication = clientAuthentication
        self.grant = grant
        self.instanceURLPointer = instanceURLPointer
    }
}

/// An access token and when to stop using it.
struct OAuth2Token: Sendable {
    let accessToken: String
    /// Monotonic seconds after which the token is refreshed before use.
    let refreshAt: Double
    let instanceURL: String?
    /// A new refresh token, when the provider rotates them (the old one stops working).
    var refreshToken: String? = nil
}
