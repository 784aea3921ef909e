import Foundation

/// The JSON shapes of `plugins list --json` and `plugins show --json`: plain
/// dictionaries that mirror the manifest field by field (snake_case, as in the header).
enum ManifestJSON {
    /// One row of `plugins list --json`.
    static func listRow(_ plugin: LoadedPlugin) -> [String: Any] {
        let m = plugin.manifest
        return ["service": m.service, "display_name": m.displayName, "version": m.version,
                "abi": m.abi.description, "path": plugin.path, "auth": m.auth.kind.name,
                "rate_limit": rateLimit(m.rateLimit), "endpoints": m.endpoints.count]
    }

    /// One refused file in `plugins list --json`.
    static func refusedRow(_ error: PluginLoadError) -> [String: Any] {
        ["path": error.path, "error": error.reason]
    }

    /// The whole manifest for `plugins show --json`.
    static func manifest(_ plugin: LoadedPlugin) -> [String: Any] {
        let m = plugin.manifest
        return [
            "service": m.service, "display_name": m.displayName, "version": m.version, "vendor": m.vendor,
            "description": m.description, "abi": m.abi.description, "path": plugin.path,
            "base_url_template": m.baseURLTemplate, "auth": auth(m.auth),
            "credential_fields": m.credentialFields.map(field),
            "headers": m.headers.map { ["name": $0.name, "value": $0.value] },
            "rate_limit": rateLimit(m.rateLimit), "endpoints": m.endpoints.map(endpoint),
            "hooks": m.hooks.names, "serialize_hooks": m.serializeHooks,
        ]
    }

    /// Serialises `object` as pretty-printed JSON with sorted keys and a final newline.
    static func text(_ object: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func auth(_ a: AuthSpec) -> [String: Any] {
        compact(["kind": a.kind.name, "username_template": a.usernameTemplate,
                 "password_template": a.passwordTemplate, "header_name": a.headerName,
                 "query_param": a.queryParam, "secret_template": a.secretTemplate,
                 "token_url_template": a.tokenURLTemplate, "scope_template": a.scopeTemplate,
                 "client_id_template": a.clientIDTemplate, "client_secret_template": a.clientSecretTemplate,
                 "refresh_token_template": a.refreshTokenTemplate, "private_key_template": a.privateKeyTemplate,
                 "audience_template": a.audienceTemplate,
                 "client_auth": a.clientAuthentication == .basic ? "basic" : "form",
                 "instance_url_pointer": a.instanceURLPointer])
    }

    private static func field(_ f: CredentialField) -> [String: Any] {
        compact(["name": f.name, "label": f.label, "description": f.description,
                 "default": f.defaultValue, "example": f.example, "required": f.isRequired,
                 "secret": f.isSecret, "url": f.isURL, "multiline": f.isMultiline])
    }

    private static func rateLimit(_ r: RateLimitSpec) -> [String: Any] {
        compact(["requests_per_second": r.requestsPerSecond, "burst": r.burst, "max_concurrent": r.maxConcurrent,
                 "throttle_statuses": r.throttleStatuses, "retry_after_header": r.retryAfterHeader,
                 "remaining_header": r.remainingHeader, "limit_header": r.limitHeader,
                 "reset_header": r.resetHeader, "usage_header": r.usageHeader])
    }

    private static func endpoint(_ e: EndpointSpec) -> [String: Any] {
        let p = e.pagination
        let pagination = compact([
            "kind": p.kind.name, "page_param": p.pageParam, "size_param": p.sizeParam,
            "default_page_size": p.defaultPageSize, "max_page_size": p.maxPageSize,
            "first_page": p.kind == .pageNumber ? p.firstPage : nil, "next_pointer": p.nextPointer,
            "done_pointer": p.donePointer, "delta_pointer": p.deltaPointer, "total_header": p.totalHeader,
            "size_header": p.sizeHeader, "size_header_template": p.sizeHeaderTemplate])
        return compact([
            "name": e.name, "description": e.description, "path": e.path, "records_pointer": e.recordsPointer,
            "primary_key": e.primaryKey, "cursor_field": e.cursorField ?? NSNull(), "cursor_format": e.cursorFormat.name,
            "incremental_param": e.incrementalParam, "incremental_template": e.incrementalTemplate,
            "pagination": pagination, "params": e.params.map { ["name": $0.name, "value": $0.value] },
            "count_path": e.countPath, "count_pointer": e.countPointer,
            "canonical_table": e.canonicalTable ?? NSNull(), "deleted_marker": e.deletedMarker,
            "incremental": e.isIncremental, "range_filter": e.supportsRangeFilter,
            "deletes": e.reportsDeletes, "sequential": e.isSequential])
    }

    /// Drops nil values (kept: NSNull for fields that are always present).
    private static func compact(_ dictionary: [String: Any?]) -> [String: Any] {
        dictionary.compactMapValues { $0 }
    }
}
