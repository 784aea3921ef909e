/// Why a request produced no response. URLs in messages are always redacted
/// (`URLRedactor`): no credential or token ever appears.
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Connecting, sending or receiving failed (DNS, refused, reset, TLS, ...).
    case transport(code: Int, message: String, url: String)
    /// A connect, total or low-speed timeout fired.
    case timeout(message: String, url: String)
    /// The response body exceeded the request's `maxResponseBytes`.
    case responseTooLarge(limit: Int, url: String)
    /// The calling task was cancelled; the transfer was removed.
    case cancelled(url: String)
    /// The engine was shut down.
    case engineStopped

    /// Whether retrying the same request may succeed.
    public var isRetryable: Bool {
        switch self {
        case .transport, .timeout: true
        case .responseTooLarge, .cancelled, .engineStopped: false
        }
    }

    public var description: String {
        switch self {
        case .transport(let code, let message, let url): "transport error \(code) for \(url): \(message)"
        case .timeout(let message, let url): "timeout for \(url): \(message)"
        case .responseTooLarge(let limit, let url): "response from \(url) is larger than \(limit) bytes"
        case .cancelled(let url): "request to \(url) was cancelled"
        case .engineStopped: "the HTTP engine was stopped"
        }
    }
}
