/// The JSON shapes of `plugins list --json` and `plugins show --json`: objects that
/// mirror the manifest field by field (snake_case, as in the header), written with the
/// project's `JSONWriter` (compact, keys sorted).
enum ManifestJSON {
    /// One row of `plugins list --json`.
    static func listRow(_ plugin: LoadedPlugin) -> JSONValue {
        let m = plugin.manifest
        return object(["service": .string(m.service), "display_name": .string(m.displayName), "version": .string(m.version),
                       "abi": .string(m.abi.description), "path": .string(plugin.path), "auth": .string(m.auth.kind.name),
                       "rate_limit": rateLimit(m.rateLimit), "endpoints": int(m.endpoints.count)])
    }

    /// One refused file in `plugins list --json`.
    static func refusedRow(_ error: PluginLoadError) -> JSONValue {
        object(["path": .string(error.path), "error": .string(error.reason)])
    }

    /// The whole manifest for `plugins show --json`.
    static func manifest(_ plugin: LoadedPlugin) -> JSONValue {
        let m = plugin.manifest
        return object([
            "service": .string(m.service), "display_name": .string(m.displayName), "version": .string(m.version),
            "vendor": .string(m.vendor), "description": .string(m.description), "abi": .string(m.abi.description),
            "path": .string(plugin.path), "base_url_template": .string(m.baseURLTemplate), "auth": auth(m.auth),
            "credential_fields": .array(m.credentialFields.map(field)),
            "headers": .array(m.headers.map(nameValue)),
            "rate_limit": rateLimit(m.rateLimit), "endpoints": .array(m.endpoints.map(endpoint)),
            "hooks": .array(m.hooks.names.map(JSONValue.string)), "serialize_hooks": .bool(m.serializeHooks),
        ])
    }

    /// An object from `members`, dropping absent (nil) values; `.null` is kept for
    /// fields that are always present.
    static func object(_ members: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        .object(JSONObject(members.compactMap { key, value in value.map { JSONMember(key: key, value: $0) } }))
    }

    /// Serialises `value` as compact JSON with sorted keys and a final newline.
    static func text(_ value: JSONValue) -> String {
        value.jsonString(options: JSONWriterOptions(sortedKeys: true)) + "\n"
    }

    private static func int(_ value: some BinaryInteger) -> JSONValue {
        .number(JSONNumber(Int64(value)))
    }

    private static func string(_ value: String?) -> JSONValue? {
        value.map(JSONValue.string)
    }

    private static func nameValue(_ pair: NameValue) -> JSONValue {
        object(["name": .string(pair.name), "value": .string(pair.value)])
    }

    private static func auth(_ a: AuthSpec) -> JSONValue {
        object(["kind": .string(a.kind.name), "username_template": string(a.usernameTemplate),
                "password_template": string(a.passwordTemplate), "header_name": string(a.headerName),
                "query_param": string(a.queryParam), "secret_template": string(a.secretTemplate),
                "token_url_template": string(a.tokenURLTemplate), "scope_template": string(a.scopeTemplate),
                "client_id_template": string(a.clientIDTemplate), "client_secret_template": string(a.clientSecretTemplate),
                "refresh_token_template": string(a.refreshTokenTemplate), "private_key_template": string(a.privateKeyTemplate),
                "audience_template": string(a.audienceTemplate),
                "client_auth": .string(a.clientAuthentication == .basic ? "basic" : "form"),
                "instance_url_pointer": string(a.instanceURLPointer)])
    }

    private static func field(_ f: CredentialField) -> JSONValue {
        object(["name": .string(f.name), "label": .string(f.label), "description": string(f.description),
                "default": string(f.defaultValue), "example": string(f.example), "required": .bool(f.isRequired),
                "secret": .bool(f.isSecret), "url": .bool(f.isURL), "multiline": .bool(f.isMultiline)])
    }

    private static func rateLimit(_ r: RateLimitSpec) -> JSONValue {
        object(["requests_per_second": JSONNumber(r.requestsPerSecond).map(JSONValue.number) ?? .null,
                "burst": int(r.burst), "max_concurrent": int(r.maxConcurrent),
                "throttle_statuses": .array(r.throttleStatuses.map(int)), "retry_after_header": string(r.retryAfterHeader),
                "remaining_header": string(r.remainingHeader), "limit_header": string(r.limitHeader),
                "reset_header": string(r.resetHeader), "usage_header": string(r.usageHeader)])
    }

    private static func endpoint(_ e: EndpointSpec) -> JSONValue {
        let p = e.pagination
        let pagination = object([
            "kind": .string(p.kind.name), "page_param": string(p.pageParam), "size_param": string(p.sizeParam),
            "default_page_size": int(p.defaultPageSize), "max_page_size": int(p.maxPageSize),
            "first_page": p.kind == .pageNumber ? int(p.firstPage) : nil, "next_pointer": string(p.nextPointer),
            "done_pointer": string(p.donePointer), "delta_pointer": string(p.deltaPointer), "total_header": string(p.totalHeader),
            "size_header": string(p.sizeHeader), "size_header_template": string(p.sizeHeaderTemplate)])
        return object([
            "name": .string(e.name), "description": string(e.description), "path": .string(e.path),
            "records_pointer": .string(e.recordsPointer), "primary_key": .string(e.primaryKey),
            "cursor_field": string(e.cursorField) ?? .null, "cursor_format": .string(e.cursorFormat.name),
            "incremental_param": string(e.incrementalParam), "incremental_template": string(e.incrementalTemplate),
            "pagination": pagination, "params": .array(e.params.map(nameValue)),
            "count_path": string(e.countPath), "count_pointer": string(e.countPointer),
            "canonical_table": string(e.canonicalTable) ?? .null, "deleted_marker": string(e.deletedMarker),
            "incremental": .bool(e.isIncremental), "range_filter": .bool(e.supportsRangeFilter),
            "deletes": .bool(e.reportsDeletes), "sequential": .bool(e.isSequential)])
    }
}
