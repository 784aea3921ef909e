import Foundation

/// OAuth2 for one (tenant, service): fetches an access token from the token endpoint,
/// caches it until shortly before it expires, and adds `Authorization: Bearer` to each
/// request. Concurrent requests share one fetch (single flight), and a 401 on the cached
/// token triggers exactly one refresh for everyone who saw it. A token endpoint that is
/// unreachable, times out or answers 408, 429 or 5xx is retried under the retry policy
/// (waiting at least its Retry-After): only its refusal (400/401) is an authentication
/// failure. A provider that rotates refresh tokens (a new `refresh_token` in the
/// response, the old one spent) has the new one used from then on and handed to
/// `onRefreshTokenRotated`, which stores it, so the next run does not present a spent one.
public actor OAuth2Authenticator: RequestAuthenticator {
    private var settings: OAuth2Settings
    private let engine: CurlEngine
    private let policy: RetryPolicy
    private let onRefreshTokenRotated: (@Sendable (String) async -> Void)?
    private let clock: @Sendable () -> Double
    private var token: OAuth2Token?
    private var pending: Task<OAuth2Token, any Error>?

    /// Number of token requests made (for tests and metrics).
    public private(set) var tokenRequests = 0

    /// Creates the authenticator; no request is made until the first `authorize`.
    public init(settings: OAuth2Settings, engine: CurlEngine, policy: RetryPolicy = RetryPolicy(),
                onRefreshTokenRotated: (@Sendable (String) async -> Void)? = nil,
                clock: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds) {
        self.settings = settings
        self.engine = engine
        self.policy = policy
        self.onRefreshTokenRotated = onRefreshTokenRotated
        self.clock = clock
    }

    public func authorize(_ request: inout HTTPClientRequest) async throws {
        let token = try await currentToken()
        request.headers.removeAll { $0.name.caseInsensitiveCompare("Authorization") == .orderedSame }
        request.headers.append((name: "Authorization", value: "Bearer " + token.accessToken))
    }

    public func invalidate(after request: HTTPClientRequest) async -> Bool {
        // Only the first caller that saw the current token drops it; the others find a
        // newer token (or the pending refresh) and simply retry.
        if let token, request.header("Authorization") == "Bearer " + token.accessToken {
            self.token = nil
        }
        return true
    }

    public func instanceURL() async throws -> String? {
        try await currentToken().instanceURL
    }

    private func currentToken() async throws -> OAuth2Token {
        if let token, clock() < token.refreshAt { return token }
        if let pending { return try await pending.value }
        let task = Task { [settings, engine, policy, clock] in
            try await Self.fetchToken(settings: settings, engine: engine, policy: policy, clock: clock)
        }
        pending = task
        tokenRequests += 1
        defer { pending = nil }
        let fresh = try await task.value
        token = fresh
        if case .refreshToken(let spent) = settings.grant, let next = fresh.refreshToken, !next.isEmpty, next != spent {
            settings.grant = .refreshToken(next)
            await onRefreshTokenRotated?(next)
        }
        return fresh
    }

    /// Posts the grant to the token endpoint and reads the token response.
    static func fetchToken(settings: OAuth2Settings, engine: CurlEngine, policy: RetryPolicy,
                           clock: @Sendable () -> Double) async throws -> OAuth2Token {
        var form: [(String, String)] = []
        var headers: [(name: String, value: String)] = [
            (name: "Content-Type", value: "application/x-www-form-urlencoded"), (name: "Accept", value: "application/json"),
        ]
        switch settings.grant {
        case .clientCredentials:
            form.append(("grant_type", "client_credentials"))
        case .refreshToken(let refresh):
            form += [("grant_type", "refresh_token"), ("refresh_token", refresh)]
        case .password(let username, let password):
            form += [("grant_type", "password"), ("username", username), ("password", password)]
        case .jwtBearer(let username, let pem, let audience):
            var claims = JSONWriter()
            claims.beginObject()
            claims.key("iss"); claims.string(settings.clientID)
            claims.key("sub"); claims.string(username)
            claims.key("aud"); claims.string(audience)
            claims.key("exp"); claims.int(Int64(Date().timeIntervalSince1970) + 180)
            claims.endObject()
            let assertion = try JWTSigner.signRS256(claimsJSON: claims.bytes, privateKeyPEM: pem)
            form += [("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion)]
        }
        if case .jwtBearer = settings.grant {
            // The assertion identifies the client; no client secret is sent.
        } else if settings.clientAuthentication == .basic {
            let pair = "\(URLQuery.encode(settings.clientID)):\(URLQuery.encode(settings.clientSecret ?? ""))"
            headers.append((name: "Authorization", value: "Basic " + Base64.encode(Array(pair.utf8))))
        } else {
            form.append(("client_id", settings.clientID))
            if let secret = settings.clientSecret { form.append(("client_secret", secret)) }
        }
        if let scope = settings.scope { form.append(("scope", scope)) }
        let request = HTTPClientRequest(method: "POST", url: settings.tokenURL, headers: headers, body: Array(URLQuery.form(form).utf8))
        let url = URLRedactor.redact(settings.tokenURL)
        var attempt = 0
        while true {
            attempt += 1
            let started = clock()
            let failure: String
            var wait: Double?
            do {
                let response = try await engine.execute(request)
                let retryAfter = RetryAfter.seconds(from: response.header("Retry-After"))
                switch policy.decide(status: response.status, throttleStatuses: [503], retryAfter: retryAfter) {
                case .throttled, .retry:
                    failure = "HTTP \(response.status)"
                    wait = retryAfter.map { min($0, 60) }
                default:
                    return try parse(response, settings: settings, requestedAt: started)
                }
            } catch let error as HTTPClientError where error.isRetryable {
                failure = "\(error)"
            } catch let error as HTTPClientError {
                throw ConnectorError.authentication("token endpoint \(url) unreachable: \(error)")
            }
            guard attempt < policy.maxAttempts else {
                // Transient: the credentials were never judged, so this is no authentication failure.
                throw ConnectorError.retriesExhausted(attempts: attempt, last: "token endpoint \(url): \(failure)")
            }
            try await Task.sleep(nanoseconds: UInt64(max(wait ?? 0, policy.backoff(afterAttempt: attempt)) * 1e9))
        }
    }

    /// Reads `access_token`, `expires_in` and the instance URL from a token response.
    static func parse(_ response: HTTPClientResponse, settings: OAuth2Settings, requestedAt: Double) throws(ConnectorError) -> OAuth2Token {
        let url = URLRedactor.redact(settings.tokenURL)
        guard let body = try? JSONParser.parse(response.body) else {
            throw .authentication("token endpoint \(url) answered \(response.status) with a body that is not JSON")
        }
        guard response.status == 200 else {
            let reason = [body["error"]?.string, body["error_description"]?.string].compactMap { $0 }.joined(separator: ": ")
            throw .authentication("token endpoint \(url) refused the credentials (HTTP \(response.status)\(reason.isEmpty ? "" : ", \(reason)"))")
        }
        guard let accessToken = body["access_token"]?.string, !accessToken.isEmpty else {
            throw .authentication("token endpoint \(url) returned no access_token")
        }
        // Salesforce omits expires_in (sessions last hours); assume one hour then.
        let lifetime = body["expires_in"]?.double ?? body["expires_in"]?.string.flatMap(Double.init) ?? 3600
        let margin = min(60, lifetime * 0.1)
        var instanceURL: String?
        if let pointerText = settings.instanceURLPointer, let pointer = try? JSONPointer(pointerText) {
            instanceURL = body.value(at: pointer)?.string
            guard instanceURL != nil else { throw .authentication("token response has no \(pointerText)") }
        }
        return OAuth2Token(accessToken: accessToken, refreshAt: requestedAt + lifetime - margin, instanceURL: instanceURL,
                           refreshToken: body["refresh_token"]?.string)
    }
}
