/// Why a connector request or page loop failed. Messages carry redacted URLs and short
/// body snippets, never credentials.
public enum ConnectorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A template names a credential field that has no value.
    case missingCredential(field: String)
    /// The service refused the request with a non-retryable status.
    case httpStatus(status: Int, url: String, snippet: String)
    /// Authentication failed (token endpoint refused, or 401 after a refresh).
    case authentication(String)
    /// The service's quota is spent for this run (e.g. Salesforce REQUEST_LIMIT_EXCEEDED).
    case quotaExhausted(String)
    /// Every attempt failed, or the run's retry budget is spent; carries the last failure.
    case retriesExhausted(attempts: Int, last: String)
    /// The engine failed without a retry (too large, cancelled, stopped).
    case transport(HTTPClientError)
    /// The page loop cannot continue (a repeated next link, a malformed page).
    case pagination(String)

    public var description: String {
        switch self {
        case .missingCredential(let field): "credential field \"\(field)\" has no value"
        case .httpStatus(let status, let url, let snippet): "HTTP \(status) from \(url): \(snippet)"
        case .authentication(let message): "authentication failed: \(message)"
        case .quotaExhausted(let message): "API quota exhausted: \(message)"
        case .retriesExhausted(let attempts, let last): "gave up after \(attempts) attempts: \(last)"
        case .transport(let error): error.description
        case .pagination(let message): "pagination failed: \(message)"
        }
    }
}
