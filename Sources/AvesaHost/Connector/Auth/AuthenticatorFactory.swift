/// Builds the authenticator a manifest's auth kind calls for, with the tenant's
/// credential values filled into its templates.
public enum AuthenticatorFactory {
    /// The authenticator for `auth` and `credentials` (field name → value, defaults applied).
    /// `hooks` is the plugin's hooks bound to the tenant; required for `.custom`. `policy`
    /// retries an OAuth token endpoint's transient failures. `saveCredential` stores a
    /// credential field's new value (a rotated refresh token); never log the value.
    public static func make(auth: AuthSpec, credentials: [String: String], engine: CurlEngine,
                            hooks: TenantHooks? = nil, policy: RetryPolicy = RetryPolicy(),
                            saveCredential: (@Sendable (_ field: String, _ value: String) async -> Void)? = nil)
        throws(ConnectorError) -> any RequestAuthenticator {
        func render(_ template: String?, _ what: String) throws(ConnectorError) -> String {
            guard let template else { throw .authentication("the manifest declares no \(what)") }
            return try CredentialTemplate.render(template, values: credentials)
        }
        func optional(_ template: String?) throws(ConnectorError) -> String? {
            try CredentialTemplate.renderOptional(template, values: credentials)
        }
        switch auth.kind {
        case .none:
            return NoAuthentication()
        case .basic:
            return StaticHeaderAuthentication.basic(username: try render(auth.usernameTemplate, "username"),
                                                    password: try render(auth.passwordTemplate, "password"))
        case .apiKeyHeader:
            return StaticHeaderAuthentication(name: try render(auth.headerName, "header name"), value: try render(auth.secretTemplate, "secret"))
        case .apiKeyQuery:
            return QueryKeyAuthentication(parameter: try render(auth.queryParam, "query parameter"), value: try render(auth.secretTemplate, "secret"))
        case .bearer:
            return StaticHeaderAuthentication.bearer(token: try render(auth.secretTemplate, "secret"), header: auth.headerName)
        case .oauth2ClientCredentials, .oauth2RefreshToken, .oauth2Password, .oauth2JWTBearer:
            let grant: OAuth2Grant
            switch auth.kind {
            case .oauth2RefreshToken: grant = .refreshToken(try render(auth.refreshTokenTemplate, "refresh token"))
            case .oauth2Password: grant = .password(username: try render(auth.usernameTemplate, "username"),
                                                    password: try render(auth.passwordTemplate, "password"))
            case .oauth2JWTBearer: grant = .jwtBearer(username: try render(auth.usernameTemplate, "username"),
                                                      privateKeyPEM: try render(auth.privateKeyTemplate, "private key"),
                                                      audience: try optional(auth.audienceTemplate) ?? "")
            default: grant = .clientCredentials
            }
            let settings = OAuth2Settings(
                tokenURL: try render(auth.tokenURLTemplate, "token URL"), clientID: try render(auth.clientIDTemplate, "client id"),
                clientSecret: try optional(auth.clientSecretTemplate), scope: try optional(auth.scopeTemplate),
                clientAuthentication: auth.clientAuthentication, grant: grant, instanceURLPointer: auth.instanceURLPointer)
            // A rotated refresh token is saved under the field the template names, when it
            // is exactly one field (`{refresh_token}`).
            var onRotation: (@Sendable (String) async -> Void)?
            if let saveCredential, case .refreshToken = grant, let field = CredentialTemplate.soleField(auth.refreshTokenTemplate) {
                onRotation = { value in await saveCredential(field, value) }
            }
            return OAuth2Authenticator(settings: settings, engine: engine, policy: policy, onRefreshTokenRotated: onRotation)
        case .custom:
            guard let hooks, hooks.available.authenticate else {
                throw .authentication("auth kind custom needs the plugin's authenticate hook, and none was given")
            }
            return HookAuthenticator(hooks: hooks)
        }
    }
}
