/// Adds a credential to outgoing requests. One instance per (tenant, service); shared
/// by all of that key's concurrent requests.
///
/// Lifecycle: `authorize` before each attempt; when the service answers 401 to a request
/// it authorized, `invalidate` drops a cached token (once for all concurrent callers)
/// and says whether a retry can help.
public protocol RequestAuthenticator: Sendable {
    /// Adds the credential to `request` (headers or query), fetching a token if needed.
    func authorize(_ request: inout HTTPClientRequest) async throws
    /// Drops the token `request` was authorized with; true if a fresh one may succeed.
    func invalidate(after request: HTTPClientRequest) async -> Bool
    /// The API host the token endpoint named (Salesforce `instance_url`), if any.
    func instanceURL() async throws -> String?
}

extension RequestAuthenticator {
    public func invalidate(after request: HTTPClientRequest) async -> Bool { false }
    public func instanceURL() async throws -> String? { nil }
}

/// No authentication (`AVESA_AUTH_NONE`).
public struct NoAuthentication: RequestAuthenticator {
    public init() {}
    public func authorize(_ request: inout HTTPClientRequest) async throws {}
}

/// A fixed header on every request: HTTP Basic, an API key header or a static bearer.
public struct StaticHeaderAuthentication: RequestAuthenticator {
    let name: String
    let value: String

    /// `Authorization: Basic base64(username:password)`.
    public static func basic(username: String, password: String) -> StaticHeaderAuthentication {
        StaticHeaderAuthentication(name: "Authorization", value: "Basic " + Base64.encode(Array("\(username):\(password)".utf8)))
    }

    /// `Authorization: Bearer token` (or another header name).
    public static func bearer(token: String, header: String? = nil) -> StaticHeaderAuthentication {
        StaticHeaderAuthentication(name: header ?? "Authorization", value: "Bearer " + token)
    }

    /// Creates the header authenticator.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public func authorize(_ request: inout HTTPClientRequest) async throws {
        request.headers.append((name: name, value: value))
    }
}

/// An API key in a query parameter (`AVESA_AUTH_API_KEY_QUERY`).
public struct QueryKeyAuthentication: RequestAuthenticator {
    let parameter: String
    let value: String

    /// Creates the authenticator.
    public init(parameter: String, value: String) {
        self.parameter = parameter
        self.value = value
    }

    public func authorize(_ request: inout HTTPClientRequest) async throws {
        request.url = URLQuery.appending([(parameter, value)], to: request.url)
    }
}
