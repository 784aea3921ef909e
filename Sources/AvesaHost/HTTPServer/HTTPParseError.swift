/// Why a request could not be parsed. Each case maps to the status the server answers
/// with before closing the connection.
public enum HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Request line is not `method SP target SP HTTP/x.y CRLF`.
    case invalidRequestLine
    /// Request line longer than `ServerLimits.maxRequestLineLength`.
    case requestLineTooLong
    /// A version other than HTTP/1.0 or HTTP/1.1.
    case unsupportedVersion
    /// A header line with bad syntax (space before colon, bad name, control byte in value).
    case invalidHeader
    /// A header line starting with whitespace (obs-fold, rejected per RFC 9112 §5.2).
    case obsoleteLineFolding
    /// A line ending in LF without CR, or a stray CR.
    case invalidLineEnding
    /// Header block larger than `ServerLimits.maxHeaderBytes`.
    case headersTooLarge
    /// More fields than `ServerLimits.maxHeaderCount`.
    case tooManyHeaders
    /// HTTP/1.1 request without exactly one Host field.
    case invalidHost
    /// Content-Length not a decimal number, or several different values.
    case invalidContentLength
    /// Transfer-Encoding together with Content-Length, or Transfer-Encoding on HTTP/1.0 (smuggling).
    case conflictingFraming
    /// A transfer coding other than a single final `chunked`.
    case unsupportedTransferEncoding
    /// Malformed chunk size line, chunk terminator or trailer.
    case invalidChunk
    /// Body larger than the limit in force.
    case bodyTooLarge

    /// The status the server replies with.
    public var status: HTTPStatus {
        switch self {
        case .requestLineTooLong: .uriTooLong
        case .headersTooLarge, .tooManyHeaders: .requestHeaderFieldsTooLarge
        case .bodyTooLarge: .payloadTooLarge
        case .unsupportedVersion: .httpVersionNotSupported
        case .unsupportedTransferEncoding: .notImplemented
        default: .badRequest
        }
    }

    /// A short machine-readable code used in the JSON error body.
    public var code: String {
        switch self {
        case .invalidRequestLine: "invalid_request_line"
        case .requestLineTooLong: "request_line_too_long"
        case .unsupportedVersion: "unsupported_version"
        case .invalidHeader: "invalid_header"
        case .obsoleteLineFolding: "obsolete_line_folding"
        case .invalidLineEnding: "invalid_line_ending"
        case .headersTooLarge: "headers_too_large"
        case .tooManyHeaders: "too_many_headers"
        case .invalidHost: "invalid_host"
        case .invalidContentLength: "invalid_content_length"
        case .conflictingFraming: "conflicting_framing"
        case .unsupportedTransferEncoding: "unsupported_transfer_encoding"
        case .invalidChunk: "invalid_chunk"
        case .bodyTooLarge: "body_too_large"
        }
    }

    /// Human-readable description.
    public var description: String { String(code.map { $0 == "_" ? " " : $0 }) }
}
