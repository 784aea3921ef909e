import PluginABI

/// Turns a `ServiceDeclaration` into the C manifest the ABI hands to the host. The
/// result and everything it points to is immortal (see `ImmortalMemory`); build it once,
/// in a global, and return the same pointer from every entry call.
public enum ManifestBuilder {
    /// Builds the immortal C manifest for `service`.
    public static func build(_ service: ServiceDeclaration) -> UnsafePointer<avesa_plugin> {
        var plugin = avesa_plugin()
        plugin.struct_size = UInt32(MemoryLayout<avesa_plugin>.size)
        plugin.abi_version = avesaABIVersion
        plugin.name = ImmortalMemory.string(service.name)
        plugin.display_name = ImmortalMemory.string(service.displayName)
        plugin.version = ImmortalMemory.string(service.version)
        plugin.vendor = ImmortalMemory.string(service.vendor)
        plugin.description = ImmortalMemory.string(service.description)
        plugin.base_url_template = ImmortalMemory.string(service.baseURLTemplate)
        plugin.auth = ImmortalMemory.value(cAuth(service.auth))
        plugin.credential_field_count = UInt32(service.credentialFields.count)
        plugin.credential_fields = ImmortalMemory.pointerArray(service.credentialFields.map(cField))
        plugin.header_count = UInt32(service.headers.count)
        plugin.headers = ImmortalMemory.pointerArray(service.headers.map(cNameValue))
        plugin.rate_limit = ImmortalMemory.value(cRateLimit(service.rateLimit))
        plugin.endpoint_count = UInt32(service.endpoints.count)
        plugin.endpoints = ImmortalMemory.pointerArray(service.endpoints.map(cEndpoint))
        plugin.hooks = service.hooks
        return ImmortalMemory.value(plugin)
    }

    private static func cField(_ field: FieldDeclaration) -> avesa_credential_field {
        var c = avesa_credential_field()
        c.struct_size = UInt32(MemoryLayout<avesa_credential_field>.size)
        c.flags = field.flags
        c.name = ImmortalMemory.string(field.name)
        c.label = ImmortalMemory.string(field.label)
        c.description = ImmortalMemory.optionalString(field.description)
        c.default_value = ImmortalMemory.optionalString(field.defaultValue)
        c.example = ImmortalMemory.optionalString(field.example)
        return c
    }

    private static func cNameValue(_ pair: (name: String, value: String)) -> avesa_name_value {
        var c = avesa_name_value()
        c.struct_size = UInt32(MemoryLayout<avesa_name_value>.size)
        c.name = ImmortalMemory.string(pair.name)
        c.value = ImmortalMemory.string(pair.value)
        return c
    }

    private static func cAuth(_ auth: AuthDeclaration) -> avesa_auth {
        var c = avesa_auth()
        c.struct_size = UInt32(MemoryLayout<avesa_auth>.size)
        c.kind = auth.kind
        c.username_template = ImmortalMemory.optionalString(auth.username)
        c.password_template = ImmortalMemory.optionalString(auth.password)
        c.header_name = ImmortalMemory.optionalString(auth.headerName)
        c.query_param = ImmortalMemory.optionalString(auth.queryParam)
        c.secret_template = ImmortalMemory.optionalString(auth.secret)
        c.token_url_template = ImmortalMemory.optionalString(auth.tokenURL)
        c.scope_template = ImmortalMemory.optionalString(auth.scope)
        c.client_id_template = ImmortalMemory.optionalString(auth.clientID)
        c.client_secret_template = ImmortalMemory.optionalString(auth.clientSecret)
        c.refresh_token_template = ImmortalMemory.optionalString(auth.refreshToken)
        c.private_key_template = ImmortalMemory.optionalString(auth.privateKey)
        c.audience_template = ImmortalMemory.optionalString(auth.audience)
        c.client_auth = auth.clientAuth
        c.instance_url_pointer = ImmortalMemory.optionalString(auth.instanceURLPointer)
        return c
    }

    private static func cRateLimit(_ limit: RateLimitDeclaration) -> avesa_rate_limit {
        var c = avesa_rate_limit()
        c.struct_size = UInt32(MemoryLayout<avesa_rate_limit>.size)
        c.requests_per_second = limit.requestsPerSecond
        c.burst = limit.burst
        c.max_concurrent = limit.maxConcurrent
        c.throttle_status_count = UInt32(limit.throttleStatuses.count)
        c.throttle_statuses = ImmortalMemory.array(limit.throttleStatuses)
        c.retry_after_header = ImmortalMemory.optionalString(limit.retryAfterHeader)
        c.remaining_header = ImmortalMemory.optionalString(limit.remainingHeader)
        c.limit_header = ImmortalMemory.optionalString(limit.limitHeader)
        c.reset_header = ImmortalMemory.optionalString(limit.resetHeader)
        c.reset_kind = limit.resetKind
        c.usage_header = ImmortalMemory.optionalString(limit.usageHeader)
        return c
    }

    private static func cPagination(_ page: PaginationDeclaration) -> avesa_pagination {
        var c = avesa_pagination()
        c.struct_size = UInt32(MemoryLayout<avesa_pagination>.size)
        c.kind = page.kind
        c.page_param = ImmortalMemory.optionalString(page.pageParam)
        c.size_param = ImmortalMemory.optionalString(page.sizeParam)
        c.default_page_size = page.defaultPageSize
        c.max_page_size = page.maxPageSize
        c.first_page = page.firstPage
        c.stop_flags = page.stopFlags
        c.next_pointer = ImmortalMemory.optionalString(page.nextPointer)
        c.done_pointer = ImmortalMemory.optionalString(page.donePointer)
        c.delta_pointer = ImmortalMemory.optionalString(page.deltaPointer)
        c.total_header = ImmortalMemory.optionalString(page.totalHeader)
        c.size_header = ImmortalMemory.optionalString(page.sizeHeader)
        c.size_header_template = ImmortalMemory.optionalString(page.sizeHeaderTemplate)
        c.keyset_template = ImmortalMemory.optionalString(page.keysetTemplate)
        return c
    }

    private static func cEndpoint(_ endpoint: EndpointDeclaration) -> avesa_endpoint {
        var c = avesa_endpoint()
        c.struct_size = UInt32(MemoryLayout<avesa_endpoint>.size)
        c.flags = endpoint.flags
        c.name = ImmortalMemory.string(endpoint.name)
        c.description = ImmortalMemory.optionalString(endpoint.description)
        c.path = ImmortalMemory.string(endpoint.path)
        c.records_pointer = ImmortalMemory.string(endpoint.recordsPointer)
        c.primary_key = ImmortalMemory.string(endpoint.primaryKey)
        c.cursor_field = ImmortalMemory.optionalString(endpoint.cursorField)
        c.cursor_format = endpoint.cursorFormat
        c.incremental_param = ImmortalMemory.optionalString(endpoint.incrementalParam)
        c.incremental_template = ImmortalMemory.optionalString(endpoint.incrementalTemplate)
        c.pagination = ImmortalMemory.value(cPagination(endpoint.pagination))
        c.param_count = UInt32(endpoint.params.count)
        c.params = ImmortalMemory.pointerArray(endpoint.params.map(cNameValue))
        c.count_path = ImmortalMemory.optionalString(endpoint.countPath)
        c.count_pointer = ImmortalMemory.optionalString(endpoint.countPointer)
        c.canonical_table = ImmortalMemory.optionalString(endpoint.canonicalTable)
        c.deleted_marker = ImmortalMemory.optionalString(endpoint.deletedMarker)
        return c
    }
}
