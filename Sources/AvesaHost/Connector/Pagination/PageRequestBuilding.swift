/// Where a page's request comes from: the declarative manifest (`DeclarativePageRequests`)
/// or the plugin's `build_request` hook (`HookPageRequests`). `PageStream` asks once per page.
public protocol PageRequestBuilding: Sendable {
    /// The request that fetches the page at `position`.
    func request(for position: PagePosition) async throws -> HTTPClientRequest
}

/// The manifest's way: base URL, path, fixed parameters, incremental filter and paging
/// parameters; positions that are URLs are fetched as they are.
public struct DeclarativePageRequests: PageRequestBuilding {
    let endpoint: EndpointSpec
    let query: EndpointQuery
    let paginator: Paginator

    /// Requests for `endpoint` with `query`'s base URL, credentials, range and page size.
    public init(endpoint: EndpointSpec, query: EndpointQuery) {
        self.endpoint = endpoint
        self.query = query
        paginator = Paginator(spec: endpoint.pagination, pageSize: query.effectivePageSize(for: endpoint))
    }

    /// The URL of the page at `position`.
    public func url(for position: PagePosition) throws(ConnectorError) -> String {
        var afterKey: String?
        switch position {
        case .url(let url): return url
        case .after(let key, _): afterKey = key
        default: break
        }
        return URLQuery.appending(paginator.parameters(for: position), to: try query.firstURL(for: endpoint, afterKey: afterKey))
    }

    public func request(for position: PagePosition) async throws -> HTTPClientRequest {
        HTTPClientRequest(url: try url(for: position), headers: query.requestHeaders(for: endpoint))
    }
}
