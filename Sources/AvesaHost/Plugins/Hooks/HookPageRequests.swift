/// Page requests from the plugin's `build_request` hook (query languages such as SOQL):
/// the hook gets the endpoint, the chunk's range, the page size and the previous page's
/// token, and returns the request. The manifest's headers come first, then the hook's.
public struct HookPageRequests: PageRequestBuilding {
    let hooks: TenantHooks
    let endpoint: EndpointSpec
    let query: EndpointQuery

    /// Requests for `endpoint` built by `hooks`, with `query`'s range and page size.
    public init(hooks: TenantHooks, endpoint: EndpointSpec, query: EndpointQuery) {
        self.hooks = hooks
        self.endpoint = endpoint
        self.query = query
    }

    public func request(for position: PagePosition) async throws -> HTTPClientRequest {
        let values = HookRequestValues(endpoint: endpoint.name, baseURL: query.baseURL, since: query.since, until: query.until,
                                       pageToken: Self.token(position), pageSize: query.effectivePageSize(for: endpoint))
        var request = try await hooks.buildRequest(values)
        request.headers = query.requestHeaders(for: endpoint) + request.headers
        return request
    }

    /// The request context's page_token for `position` (nil on the first page).
    static func token(_ position: PagePosition) -> String? {
        switch position {
        case .start: nil
        case .page(let number): String(number)
        case .offset(let offset): String(offset)
        case .token(let token): token
        case .url(let url): url
        case .after(let key, _): key
        }
    }
}
