/// Everything needed to build an endpoint's requests for one tenant and one chunk: the
/// resolved base URL, the credential values for templates, the plugin's headers, the
/// chunk's range and the page size.
public struct EndpointQuery: Sendable {
    /// API root after authentication (templates filled, instance URL applied).
    public var baseURL: String
    /// Credential values by field name (defaults applied), for path and filter templates.
    public var credentials: [String: String]
    /// Headers sent on every request (the plugin's, rendered).
    public var headers: [(name: String, value: String)]
    /// Lower bound of the range in the endpoint's cursor format, or nil for a full sync.
    public var since: String?
    /// Upper bound (exclusive), or nil for "until now".
    public var until: String?
    /// Records per page; nil for the manifest's default.
    public var pageSize: Int?

    /// Creates a query.
    public init(baseURL: String, credentials: [String: String], headers: [(name: String, value: String)] = [],
                since: String? = nil, until: String? = nil, pageSize: Int? = nil) {
        self.baseURL = baseURL
        self.credentials = credentials
        self.headers = headers
        self.since = since
        self.until = until
        self.pageSize = pageSize
    }

    /// The page size to request for `endpoint`, clamped to its maximum.
    public func effectivePageSize(for endpoint: EndpointSpec) -> Int {
        min(Int(endpoint.pagination.maxPageSize), max(1, pageSize ?? Int(endpoint.pagination.defaultPageSize)))
    }

    /// The first page's URL: base + path, fixed parameters (the incremental filter
    /// replacing a fixed parameter of the same name) and the page size parameter. With
    /// keyset paging, `afterKey` is the previous page's last key (nil on the first page).
    public func firstURL(for endpoint: EndpointSpec, afterKey: String? = nil) throws(ConnectorError) -> String {
        var parameters: [(String, String)] = []
        let values = try queryValues(for: endpoint, afterKey: afterKey)
        let filter = try filterParameter(for: endpoint, values: values)
        for parameter in endpoint.params {
            if let filter, filter.0 == parameter.name { continue }
            parameters.append((parameter.name, try CredentialTemplate.render(parameter.value, values: values, mayBeEmpty: ["keyset"])))
        }
        if let filter { parameters.append(filter) }
        if let sizeParam = endpoint.pagination.sizeParam {
            parameters.append((sizeParam, String(effectivePageSize(for: endpoint))))
        }
        let path = try CredentialTemplate.render(endpoint.path, values: credentials)
        return URLQuery.appending(parameters, to: baseURL + path)
    }

    /// The count endpoint's URL with the same filter as the pages, or nil when the
    /// endpoint has no count endpoint.
    public func countURL(for endpoint: EndpointSpec) throws(ConnectorError) -> String? {
        guard let countPath = endpoint.countPath else { return nil }
        var parameters: [(String, String)] = []
        if let filter = try filterParameter(for: endpoint, values: try queryValues(for: endpoint, afterKey: nil)) {
            parameters.append(filter)
        }
        return URLQuery.appending(parameters, to: baseURL + (try CredentialTemplate.render(countPath, values: credentials)))
    }

    /// The values of the query templates: the credentials, plus `{keyset}` for keyset
    /// paging ("" before the first key, else the keyset template with `{after}`).
    func queryValues(for endpoint: EndpointSpec, afterKey: String?) throws(ConnectorError) -> [String: String] {
        guard endpoint.pagination.kind == .keyset else { return credentials }
        var values = credentials
        values["keyset"] = try afterKey.map { (key) throws(ConnectorError) in
            try CredentialTemplate.render(endpoint.pagination.keysetTemplate ?? "", values: ["after": key])
        } ?? ""
        return values
    }

    /// The incremental filter parameter for this query's range, or nil for a full sync.
    func filterParameter(for endpoint: EndpointSpec, values: [String: String]) throws(ConnectorError) -> (String, String)? {
        guard let since, !since.isEmpty, let name = endpoint.incrementalParam, let template = endpoint.incrementalTemplate else { return nil }
        var values = values
        values["since"] = since
        // A range template without an upper bound means "until the end of time".
        values["until"] = until ?? CursorTime.format(CursorTime.endOfTime, as: endpoint.cursorFormat)
        return (name, try CredentialTemplate.render(template, values: values, mayBeEmpty: ["keyset"]))
    }

    /// Headers of every page request: the plugin's plus the page-size header if any.
    public func requestHeaders(for endpoint: EndpointSpec) -> [(name: String, value: String)] {
        var result = headers
        if let name = endpoint.pagination.sizeHeader, let template = endpoint.pagination.sizeHeaderTemplate {
            result.append((name: name, value: template.replacingOccurrences(of: "{size}", with: String(effectivePageSize(for: endpoint)))))
        }
        return result
    }
}
