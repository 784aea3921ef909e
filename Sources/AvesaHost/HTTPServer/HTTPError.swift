/// An error a handler or middleware throws to answer with a given status and the uniform
/// JSON error body `{"error":{"code":…,"message":…}}`.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Response status.
    public var status: HTTPStatus
    /// Machine-readable code, e.g. `not_found`.
    public var code: String
    /// Human-readable message (never include secrets).
    public var message: String
    /// Extra headers for the error response (e.g. `Allow`).
    public var headers: HTTPHeaders

    /// Creates an error.
    public init(_ status: HTTPStatus, code: String, message: String, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    /// `"<status>: <code>: <message>"`.
    public var description: String { "\(status.code) \(code): \(message)" }

    /// The error as a JSON response.
    public var response: HTTPResponse {
        var response = HTTPResponse.jsonError(status, code: code, message: message)
        for field in headers { response.headers.add(name: field.name, value: field.value) }
        return response
    }
}
