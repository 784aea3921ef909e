import PluginABI

extension ManifestDecoder {
    /// Decodes and checks one endpoint at `field` (e.g. "endpoints[2]"). With a
    /// `parse_page` hook (`parsesPages`) the hook finds the next token, so body pointers
    /// are optional. Keyset paging is the host's own, so it refuses a `build_request` hook
    /// (`buildsRequests`), which would not place the condition or the offset.
    func endpointSpec(_ c: avesa_endpoint, field: String, fields: Set<String>, parsesPages: Bool = false,
                      buildsRequests: Bool = false) throws -> EndpointSpec {
        let name = try CStringReader.required(c.name, field: "\(field).name")
        guard ManifestRules.isEndpointName(name) else {
            throw ManifestViolation(field: "\(field).name", problem: "\"\(name)\" must match [A-Za-z0-9_./-]{1,128} without '..'")
        }
        let path = try CStringReader.required(c.path, field: "\(field).path")
        guard path.hasPrefix("/") else {
            throw ManifestViolation(field: "\(field).path", problem: "\"\(path)\" must start with '/'")
        }
        try ManifestRules.checkTemplate(path, field: "\(field).path", allowed: fields)
        let records = try CStringReader.present(c.records_pointer, field: "\(field).records_pointer")
        guard ManifestRules.isJSONPointer(records) else {
            throw ManifestViolation(field: "\(field).records_pointer", problem: "\"\(records)\" is not a JSON pointer (RFC 6901)")
        }
        guard let format = TimeFormat(rawValue: c.cursor_format) else {
            throw ManifestViolation(field: "\(field).cursor_format", problem: "unknown time format \(c.cursor_format)")
        }
        let known = UInt32(AVESA_ENDPOINT_INCREMENTAL | AVESA_ENDPOINT_RANGE_FILTER | AVESA_ENDPOINT_DELETES | AVESA_ENDPOINT_SEQUENTIAL)
        guard c.flags & ~known == 0 else {
            throw ManifestViolation(field: "\(field).flags", problem: "unknown flag bits 0x\(String(c.flags & ~known, radix: 16))")
        }
        let pagination = try paginationSpec(c.pagination, field: "\(field).pagination", parsesPages: parsesPages)
        if pagination.kind == .keyset && buildsRequests {
            throw ManifestViolation(field: "\(field).pagination.kind",
                                    problem: "keyset pagination is built by the host; a plugin with a build_request hook pages with a cursor token instead")
        }
        let cursorField = try CStringReader.optional(c.cursor_field, field: "\(field).cursor_field")
        let incrementalParam = try CStringReader.optional(c.incremental_param, field: "\(field).incremental_param")
        let incrementalTemplate = try CStringReader.optional(c.incremental_template, field: "\(field).incremental_template")
        // {keyset} is where keyset paging puts its condition; no other kind may use it.
        let queryFields = pagination.kind == .keyset ? fields.union(["keyset"]) : fields
        try ManifestRules.checkTemplate(incrementalTemplate, field: "\(field).incremental_template",
                                        allowed: queryFields.union(["since", "until"]))
        let isIncremental = c.flags & UInt32(AVESA_ENDPOINT_INCREMENTAL) != 0
        if isIncremental && pagination.kind != .deltaLink {
            guard format != .none, format != .opaque, cursorField != nil else {
                throw ManifestViolation(field: "\(field).cursor_field", problem: "an incremental endpoint needs a cursor field and a time format")
            }
            guard incrementalParam != nil, let template = incrementalTemplate,
                  try ManifestRules.placeholders(in: template, field: field).contains("since") else {
                throw ManifestViolation(field: "\(field).incremental_template", problem: "an incremental endpoint needs incremental_param and a template using {since}")
            }
        }
        let rangeFilter = c.flags & UInt32(AVESA_ENDPOINT_RANGE_FILTER) != 0
        if rangeFilter, !(try ManifestRules.placeholders(in: incrementalTemplate ?? "", field: field).contains("until")) {
            throw ManifestViolation(field: "\(field).incremental_template", problem: "a range-filter endpoint's template must use {until}")
        }
        let params = try SizedStructReader.readArray(c.params, count: c.param_count, as: avesa_name_value.self, field: "\(field).params")
            .enumerated().map { try nameValue($1, field: "\(field).params[\($0)]", allowed: queryFields) }
        if pagination.kind == .keyset {
            // Range-filtered syncs use the filter too, incremental or not.
            try Self.checkKeysetPlacement(params: params, incrementalParam: incrementalParam,
                                          incrementalTemplate: isIncremental || rangeFilter ? incrementalTemplate : nil, field: field)
        }
        let countPath = try CStringReader.optional(c.count_path, field: "\(field).count_path")
        let countPointer = try pointer(c.count_pointer, field: "\(field).count_pointer")
        if countPath != nil && countPointer == nil {
            throw ManifestViolation(field: "\(field).count_pointer", problem: "is required when count_path is set")
        }
        let canonical = try CStringReader.optional(c.canonical_table, field: "\(field).canonical_table")
        if let canonical, !ManifestRules.canonicalTables.contains(canonical) {
            throw ManifestViolation(field: "\(field).canonical_table",
                                    problem: "unknown canonical table \"\(canonical)\" (expected one of \(ManifestRules.canonicalTables.sorted().joined(separator: ", ")))")
        }
        return EndpointSpec(
            name: name, description: try CStringReader.optional(c.description, field: "\(field).description"),
            path: path, recordsPointer: records,
            primaryKey: try CStringReader.required(c.primary_key, field: "\(field).primary_key"),
            cursorField: cursorField, cursorFormat: format, incrementalParam: incrementalParam,
            incrementalTemplate: incrementalTemplate, pagination: pagination, params: params,
            countPath: countPath, countPointer: countPointer, canonicalTable: canonical,
            deletedMarker: try CStringReader.optional(c.deleted_marker, field: "\(field).deleted_marker"),
            isIncremental: isIncremental, supportsRangeFilter: rangeFilter,
            reportsDeletes: c.flags & UInt32(AVESA_ENDPOINT_DELETES) != 0,
            isSequential: c.flags & UInt32(AVESA_ENDPOINT_SEQUENTIAL) != 0)
    }

    /// A keyset endpoint must say where its condition goes: in a fixed parameter for full
    /// syncs, and in the filter (or a fixed parameter the filter does not replace) for
    /// incremental ones. Otherwise every page would repeat the first.
    private static func checkKeysetPlacement(params: [NameValue], incrementalParam: String?, incrementalTemplate: String?,
                                             field: String) throws {
        func uses(_ template: String) -> Bool { template.contains("{keyset}") }
        guard params.contains(where: { uses($0.value) }) else {
            throw ManifestViolation(field: "\(field).params",
                                    problem: "keyset pagination needs {keyset} in a fixed parameter (where the condition for the next page goes)")
        }
        guard let incrementalTemplate else { return }
        let kept = params.filter { $0.name != incrementalParam }
        guard uses(incrementalTemplate) || kept.contains(where: { uses($0.value) }) else {
            throw ManifestViolation(field: "\(field).incremental_template",
                                    problem: "keyset pagination needs {keyset} in the filter, which replaces the parameter that holds it")
        }
    }

    private func paginationSpec(_ p: UnsafePointer<avesa_pagination>?, field: String, parsesPages: Bool) throws -> PaginationSpec {
        let c = try SizedStructReader.read(UnsafeRawPointer(p), as: avesa_pagination.self, field: field)
        guard let kind = PaginationKind(rawValue: c.kind) else {
            throw ManifestViolation(field: "\(field).kind", problem: "unknown pagination kind \(c.kind)")
        }
        guard c.default_page_size >= 1, c.max_page_size >= c.default_page_size, c.max_page_size <= 1_000_000 else {
            throw ManifestViolation(field: "\(field).default_page_size",
                                    problem: "need 1 <= default_page_size (\(c.default_page_size)) <= max_page_size (\(c.max_page_size)) <= 1000000")
        }
        let stops = StopConditions(rawValue: c.stop_flags)
        guard stops.subtracting(.known).isEmpty else {
            throw ManifestViolation(field: "\(field).stop_flags", problem: "unknown flag bits 0x\(String(stops.subtracting(.known).rawValue, radix: 16))")
        }
        if kind == .pageNumber && !(0...1).contains(c.first_page) {
            throw ManifestViolation(field: "\(field).first_page", problem: "must be 0 or 1, got \(c.first_page)")
        }
        let needsPageParam: Set<PaginationKind> = [.pageNumber, .offsetLimit, .cursor]
        let pageParam = needsPageParam.contains(kind)
            ? try CStringReader.required(c.page_param, field: "\(field).page_param")
            : try CStringReader.optional(c.page_param, field: "\(field).page_param")
        let needsNext: Set<PaginationKind> = [.nextURL, .cursor, .deltaLink]
        let next = try pointer(c.next_pointer, field: "\(field).next_pointer")
        if needsNext.contains(kind) && next == nil && !parsesPages {
            throw ManifestViolation(field: "\(field).next_pointer", problem: "is required for \(kind.name) pagination")
        }
        let keysetTemplate = try CStringReader.optional(c.keyset_template, field: "\(field).keyset_template")
        if kind == .keyset {
            guard let keysetTemplate, try ManifestRules.placeholders(in: keysetTemplate, field: "\(field).keyset_template") == ["after"] else {
                throw ManifestViolation(field: "\(field).keyset_template",
                                        problem: "keyset pagination needs a template using {after} once and no other placeholder, e.g. \"sys_id>{after}^\"")
            }
        } else if keysetTemplate != nil {
            throw ManifestViolation(field: "\(field).keyset_template", problem: "is only for keyset pagination, not \(kind.name)")
        }
        if kind == .keyset, pageParam != nil {
            // Access rules that empty whole pages shorten others too: a short page is no end.
            guard !stops.contains(.shortPage) else {
                throw ManifestViolation(field: "\(field).stop_flags",
                                        problem: "keyset pagination with an offset parameter (pages access rules shorten) cannot stop on a short page")
            }
            // Stepping over a page access rules emptied moves by the page size from the same
            // key, up to the total: that needs both, or rows after the page would be skipped.
            guard try CStringReader.optional(c.total_header, field: "\(field).total_header") != nil, stops.contains(.total) else {
                throw ManifestViolation(field: "\(field).total_header",
                                        problem: "keyset pagination with an offset parameter needs total_header and AVESA_STOP_ON_TOTAL")
            }
            guard try CStringReader.optional(c.size_param, field: "\(field).size_param") != nil
                    || CStringReader.optional(c.size_header, field: "\(field).size_header") != nil else {
                throw ManifestViolation(field: "\(field).size_param",
                                        problem: "keyset pagination with an offset parameter needs size_param or size_header (it steps by the page size)")
            }
        }
        let delta = try pointer(c.delta_pointer, field: "\(field).delta_pointer")
        if kind == .deltaLink && delta == nil && !parsesPages {
            throw ManifestViolation(field: "\(field).delta_pointer", problem: "is required for delta_link pagination")
        }
        return PaginationSpec(
            kind: kind, pageParam: pageParam,
            sizeParam: try CStringReader.optional(c.size_param, field: "\(field).size_param"),
            defaultPageSize: c.default_page_size, maxPageSize: c.max_page_size, firstPage: c.first_page,
            stopConditions: stops.union(.emptyPage), nextPointer: next,
            donePointer: try pointer(c.done_pointer, field: "\(field).done_pointer"), deltaPointer: delta,
            totalHeader: try CStringReader.optional(c.total_header, field: "\(field).total_header"),
            sizeHeader: try CStringReader.optional(c.size_header, field: "\(field).size_header"),
            sizeHeaderTemplate: try CStringReader.optional(c.size_header_template, field: "\(field).size_header_template"),
            keysetTemplate: keysetTemplate)
    }

    /// A JSON pointer field: nil when absent, a violation when malformed.
    func pointer(_ p: UnsafePointer<CChar>?, field: String) throws -> String? {
        guard let value = try CStringReader.optional(p, field: field) else { return nil }
        guard ManifestRules.isJSONPointer(value) else {
            throw ManifestViolation(field: field, problem: "\"\(value)\" is not a JSON pointer (RFC 6901)")
        }
        return value
    }
}
