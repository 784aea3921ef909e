import PluginABI

/// Converts a plugin's C manifest into a validated `PluginManifest`: every required
/// string present, every enum value known, every limit sane, every template referring
/// to declared fields, endpoint names unique. The first broken rule is thrown as a
/// `ManifestViolation` naming the manifest field.
struct ManifestDecoder {
    /// Decodes the manifest at `pointer` (static plugin memory).
    static func decode(_ pointer: UnsafePointer<avesa_plugin>) throws -> PluginManifest {
        let plugin = try SizedStructReader.read(UnsafeRawPointer(pointer), as: avesa_plugin.self, field: "plugin")
        return try ManifestDecoder().decode(plugin)
    }

    private func decode(_ plugin: avesa_plugin) throws -> PluginManifest {
        let service = try CStringReader.required(plugin.name, field: "name")
        guard ManifestRules.isServiceName(service) else {
            throw ManifestViolation(field: "name", problem: "\"\(service)\" must match [a-z][a-z0-9_]{0,31}")
        }
        let abi = ABIVersion(packed: plugin.abi_version)
        let fields = try SizedStructReader.readArray(plugin.credential_fields, count: plugin.credential_field_count,
                                                     as: avesa_credential_field.self, field: "credential_fields")
            .enumerated().map { try credentialField($1, field: "credential_fields[\($0)]") }
        var fieldNames = Set<String>()
        for (index, field) in fields.enumerated() where !fieldNames.insert(field.name).inserted {
            throw ManifestViolation(field: "credential_fields[\(index)].name", problem: "duplicate field \"\(field.name)\"")
        }
        let hooks = try hookSet(plugin.hooks)
        let auth = try authSpec(plugin.auth, fields: fieldNames, hooks: hooks)
        var baseURLNames = fieldNames
        if auth.instanceURLPointer != nil { baseURLNames.insert("instance_url") }
        let baseURL = try CStringReader.required(plugin.base_url_template, field: "base_url_template")
        try ManifestRules.checkTemplate(baseURL, field: "base_url_template", allowed: baseURLNames)
        let headers = try SizedStructReader.readArray(plugin.headers, count: plugin.header_count,
                                                      as: avesa_name_value.self, field: "headers")
            .enumerated().map { try nameValue($1, field: "headers[\($0)]", allowed: fieldNames) }
        let endpoints = try SizedStructReader.readArray(plugin.endpoints, count: plugin.endpoint_count,
                                                        as: avesa_endpoint.self, field: "endpoints")
            .enumerated().map { try endpointSpec($1, field: "endpoints[\($0)]", fields: fieldNames, parsesPages: hooks.parsePage,
                                      buildsRequests: hooks.buildRequest) }
        guard !endpoints.isEmpty else {
            throw ManifestViolation(field: "endpoints", problem: "a plugin must declare at least one endpoint")
        }
        var endpointNames = Set<String>()
        for (index, endpoint) in endpoints.enumerated() where !endpointNames.insert(endpoint.name).inserted {
            throw ManifestViolation(field: "endpoints[\(index)].name", problem: "duplicate endpoint name \"\(endpoint.name)\"")
        }
        let knownFlags = UInt32(AVESA_PLUGIN_SERIALIZE_HOOKS)
        guard plugin.flags & ~knownFlags == 0 else {
            throw ManifestViolation(field: "flags", problem: "unknown flag bits 0x\(String(plugin.flags & ~knownFlags, radix: 16))")
        }
        return PluginManifest(
            service: service,
            displayName: try CStringReader.required(plugin.display_name, field: "display_name"),
            version: try CStringReader.required(plugin.version, field: "version"),
            vendor: try CStringReader.required(plugin.vendor, field: "vendor"),
            description: try CStringReader.optional(plugin.description, field: "description") ?? "",
            abi: abi, baseURLTemplate: baseURL, auth: auth, credentialFields: fields, headers: headers,
            rateLimit: try rateLimit(plugin.rate_limit), endpoints: endpoints, hooks: hooks,
            serializeHooks: plugin.flags & knownFlags != 0)
    }

    private func credentialField(_ c: avesa_credential_field, field: String) throws -> CredentialField {
        let name = try CStringReader.required(c.name, field: "\(field).name")
        guard ManifestRules.isFieldName(name) else {
            throw ManifestViolation(field: "\(field).name", problem: "\"\(name)\" must match [a-z][a-z0-9_]{0,63}")
        }
        let known = UInt32(AVESA_FIELD_REQUIRED | AVESA_FIELD_SECRET | AVESA_FIELD_URL | AVESA_FIELD_MULTILINE)
        guard c.flags & ~known == 0 else {
            throw ManifestViolation(field: "\(field).flags", problem: "unknown flag bits 0x\(String(c.flags & ~known, radix: 16))")
        }
        let defaultValue = try CStringReader.optional(c.default_value, field: "\(field).default_value")
        let isURL = c.flags & UInt32(AVESA_FIELD_URL) != 0
        if isURL, let defaultValue, !(defaultValue.hasPrefix("https://") || defaultValue.hasPrefix("http://")) {
            throw ManifestViolation(field: "\(field).default_value", problem: "\"\(defaultValue)\" is not an http(s) URL")
        }
        return CredentialField(
            name: name, label: try CStringReader.required(c.label, field: "\(field).label"),
            description: try CStringReader.optional(c.description, field: "\(field).description"),
            defaultValue: defaultValue, example: try CStringReader.optional(c.example, field: "\(field).example"),
            isRequired: c.flags & UInt32(AVESA_FIELD_REQUIRED) != 0,
            isSecret: c.flags & UInt32(AVESA_FIELD_SECRET) != 0, isURL: isURL,
            isMultiline: c.flags & UInt32(AVESA_FIELD_MULTILINE) != 0)
    }

    func nameValue(_ c: avesa_name_value, field: String, allowed: Set<String>) throws -> NameValue {
        let value = try CStringReader.present(c.value, field: "\(field).value")
        try ManifestRules.checkTemplate(value, field: "\(field).value", allowed: allowed)
        return NameValue(name: try CStringReader.required(c.name, field: "\(field).name"), value: value)
    }

    private func hookSet(_ pointer: UnsafePointer<avesa_hooks>?) throws -> HookSet {
        guard let pointer else { return HookSet() }
        let hooks = try SizedStructReader.read(UnsafeRawPointer(pointer), as: avesa_hooks.self, field: "hooks")
        let set = HookSet(initialize: hooks.`init` != nil, free: hooks.free != nil,
                          authenticate: hooks.authenticate != nil, buildRequest: hooks.build_request != nil,
                          parsePage: hooks.parse_page != nil, planChunks: hooks.plan_chunks != nil)
        if (set.authenticate || set.buildRequest || set.parsePage || set.planChunks || set.initialize) && !set.free {
            throw ManifestViolation(field: "hooks.free", problem: "is required when a hook returns memory")
        }
        return set
    }

    private func authSpec(_ authPointer: UnsafePointer<avesa_auth>?, fields: Set<String>, hooks: HookSet) throws -> AuthSpec {
        let c = try SizedStructReader.read(UnsafeRawPointer(authPointer), as: avesa_auth.self, field: "auth")
        guard let kind = AuthKind(rawValue: c.kind) else {
            throw ManifestViolation(field: "auth.kind", problem: "unknown auth kind \(c.kind)")
        }
        guard let clientAuth = ClientAuthentication(rawValue: c.client_auth) else {
            throw ManifestViolation(field: "auth.client_auth", problem: "unknown client auth \(c.client_auth)")
        }
        func text(_ p: UnsafePointer<CChar>?, _ name: String, requiredFor kinds: Set<AuthKind> = []) throws -> String? {
            let value = kinds.contains(kind)
                ? try CStringReader.required(p, field: "auth.\(name)")
                : try CStringReader.optional(p, field: "auth.\(name)")
            try ManifestRules.checkTemplate(value, field: "auth.\(name)", allowed: fields)
            return value
        }
        let oauth: Set<AuthKind> = [.oauth2ClientCredentials, .oauth2RefreshToken, .oauth2Password, .oauth2JWTBearer]
        if kind == .custom && !hooks.authenticate {
            throw ManifestViolation(field: "hooks.authenticate", problem: "is required for auth kind custom")
        }
        return AuthSpec(
            kind: kind,
            usernameTemplate: try text(c.username_template, "username_template", requiredFor: [.basic, .oauth2Password]),
            passwordTemplate: try text(c.password_template, "password_template", requiredFor: [.basic, .oauth2Password]),
            headerName: try text(c.header_name, "header_name", requiredFor: [.apiKeyHeader]),
            queryParam: try text(c.query_param, "query_param", requiredFor: [.apiKeyQuery]),
            secretTemplate: try text(c.secret_template, "secret_template", requiredFor: [.apiKeyHeader, .apiKeyQuery, .bearer]),
            tokenURLTemplate: try text(c.token_url_template, "token_url_template", requiredFor: oauth),
            scopeTemplate: try text(c.scope_template, "scope_template"),
            clientIDTemplate: try text(c.client_id_template, "client_id_template", requiredFor: oauth),
            clientSecretTemplate: try text(c.client_secret_template, "client_secret_template", requiredFor: [.oauth2ClientCredentials]),
            refreshTokenTemplate: try text(c.refresh_token_template, "refresh_token_template", requiredFor: [.oauth2RefreshToken]),
            privateKeyTemplate: try text(c.private_key_template, "private_key_template", requiredFor: [.oauth2JWTBearer]),
            audienceTemplate: try text(c.audience_template, "audience_template"),
            clientAuthentication: clientAuth,
            instanceURLPointer: try pointer(c.instance_url_pointer, field: "auth.instance_url_pointer"))
    }

    private func rateLimit(_ pointer: UnsafePointer<avesa_rate_limit>?) throws -> RateLimitSpec {
        let c = try SizedStructReader.read(UnsafeRawPointer(pointer), as: avesa_rate_limit.self, field: "rate_limit")
        guard c.requests_per_second.isFinite, c.requests_per_second > 0, c.requests_per_second <= 100_000 else {
            throw ManifestViolation(field: "rate_limit.requests_per_second", problem: "must be > 0 and <= 100000, got \(c.requests_per_second)")
        }
        guard c.burst >= 1 else { throw ManifestViolation(field: "rate_limit.burst", problem: "must be >= 1") }
        guard (1...1024).contains(c.max_concurrent) else {
            throw ManifestViolation(field: "rate_limit.max_concurrent", problem: "must be between 1 and 1024, got \(c.max_concurrent)")
        }
        guard let reset = ResetKind(rawValue: c.reset_kind) else {
            throw ManifestViolation(field: "rate_limit.reset_kind", problem: "unknown reset kind \(c.reset_kind)")
        }
        var statuses: [Int32] = []
        if c.throttle_status_count > 0 {
            guard let base = c.throttle_statuses, c.throttle_status_count <= 32 else {
                throw ManifestViolation(field: "rate_limit.throttle_statuses", problem: "is NULL or longer than 32 for count \(c.throttle_status_count)")
            }
            statuses = (0..<Int(c.throttle_status_count)).map { base[$0] }
            if let bad = statuses.first(where: { !(100...599).contains($0) }) {
                throw ManifestViolation(field: "rate_limit.throttle_statuses", problem: "\(bad) is not an HTTP status")
            }
        }
        return RateLimitSpec(
            requestsPerSecond: c.requests_per_second, burst: c.burst, maxConcurrent: c.max_concurrent,
            throttleStatuses: statuses,
            retryAfterHeader: try CStringReader.optional(c.retry_after_header, field: "rate_limit.retry_after_header"),
            remainingHeader: try CStringReader.optional(c.remaining_header, field: "rate_limit.remaining_header"),
            limitHeader: try CStringReader.optional(c.limit_header, field: "rate_limit.limit_header"),
            resetHeader: try CStringReader.optional(c.reset_header, field: "rate_limit.reset_header"),
            resetKind: reset,
            usageHeader: try CStringReader.optional(c.usage_header, field: "rate_limit.usage_header"))
    }
}
