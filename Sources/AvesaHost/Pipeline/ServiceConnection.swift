/// Everything needed to call one service for one tenant: the polite client (auth,
/// limits, retries) and the rendered request context (base URL, headers, credentials).
struct ServiceConnection: Sendable {
    let manifest: PluginManifest
    let client: ServiceClient
    let query: EndpointQuery
    /// The plugin's hooks bound to this tenant, when the plugin has hooks.
    let hooks: TenantHooks?
    /// The tenant's secret credential values, for scrubbing messages (`scrubbed`).
    var secretValues: [String] = []

    /// Builds the connection of `tenant` to `manifest`'s service from stored credentials.
    static func open(tenant: String, manifest: PluginManifest, credentials stored: [String: String],
                     override: RateLimitOverride?, engine: CurlEngine, options: PipelineOptions,
                     budget: RetryBudget, pluginHooks: PluginHooks? = nil,
                     saveCredential: (@Sendable (_ field: String, _ value: String) async -> Void)? = nil) async throws -> ServiceConnection {
        var credentials = stored
        for field in manifest.credentialFields where credentials[field.name] == nil {
            if let value = field.defaultValue { credentials[field.name] = value }
        }
        if let missing = manifest.credentialFields.first(where: { $0.isRequired && (credentials[$0.name] ?? "").isEmpty }) {
            throw ConnectorError.missingCredential(field: missing.name)
        }
        let key = RateLimitKey(tenant: tenant, service: manifest.service)
        // Custom auth needs the hooks before the client exists; its base URL cannot depend
        // on a token response (only OAuth kinds name an instance URL).
        var tenantHooks: TenantHooks?
        var context: HookClientContext?
        if let pluginHooks, manifest.auth.kind == .custom {
            let base = try CredentialTemplate.render(manifest.baseURLTemplate, values: credentials)
            context = HookClientContext(key: key, baseURL: base, credentials: credentials)
            tenantHooks = TenantHooks(hooks: pluginHooks, context: context!)
        }
        let authenticator = try AuthenticatorFactory.make(auth: manifest.auth, credentials: credentials, engine: engine,
                                                          hooks: tenantHooks, policy: options.retryPolicy, saveCredential: saveCredential)
        let limit = RateLimit(manifest.rateLimit).applying(override)
        let client = ServiceClient(key: key, engine: engine,
                                   authenticator: authenticator, limiter: RateLimiter(limit: limit),
                                   signals: manifest.rateLimit, policy: options.retryPolicy, budget: budget,
                                   metrics: MetricsRegistry.shared.connector(RateLimitKey(tenant: tenant, service: manifest.service)))
        var values = credentials
        if manifest.auth.instanceURLPointer != nil {
            values["instance_url"] = try await authenticator.instanceURL()
        }
        var baseURL = try CredentialTemplate.render(manifest.baseURLTemplate, values: values)
        while baseURL.hasSuffix("/") { baseURL.removeLast() }
        let headers = try manifest.headers.map { (header) throws(ConnectorError) in
            (name: header.name, value: try CredentialTemplate.render(header.value, values: credentials))
        }
        if let pluginHooks, tenantHooks == nil {
            context = HookClientContext(key: key, baseURL: baseURL, credentials: values)
            tenantHooks = TenantHooks(hooks: pluginHooks, context: context!)
        }
        context?.attach(client)  // hooks' `http` calls go through this tenant's client
        return ServiceConnection(manifest: manifest, client: client,
                                 query: EndpointQuery(baseURL: baseURL, credentials: values, headers: headers, pageSize: options.pageSize),
                                 hooks: tenantHooks, secretValues: secretValues(of: manifest, in: values))
    }

    /// The values of `manifest`'s secret fields in `credentials`, of at least 4 characters,
    /// longest first (so a secret containing another is replaced whole).
    static func secretValues(of manifest: PluginManifest, in credentials: [String: String]) -> [String] {
        manifest.credentialFields.filter(\.isSecret).compactMap { credentials[$0.name] }
            .filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    /// `message` with every one of `secrets` replaced by `REDACTED`: an error can carry one a
    /// service echoed (a body snippet, a token endpoint's description) or a plugin put in a
    /// URL path, and errors are logged, stored with the run and shown by the API.
    static func scrub(_ message: String, secrets: [String]) -> String {
        secrets.reduce(message) { $0.replacingOccurrences(of: $1, with: "REDACTED") }
    }

    /// `message` scrubbed of this tenant's secret credential values.
    func scrubbed(_ message: String) -> String {
        Self.scrub(message, secrets: secretValues)
    }
}
