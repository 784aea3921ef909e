extension HTTPResponse {
    /// A response carrying already-encoded JSON bytes with `Content-Type: application/json`.
    public static func json(_ body: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body)
    }

    /// A response carrying `value` encoded as compact JSON.
    public static func json(_ value: JSONValue, status: HTTPStatus = .ok) -> HTTPResponse {
        .json(value.jsonBytes(), status: status)
    }

    /// A plain-text response (`text/plain; charset=utf-8`).
    public static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }

    /// The uniform error body `{"error":{"code":…,"message":…}}`.
    public static func jsonError(_ status: HTTPStatus, code: String, message: String) -> HTTPResponse {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("error")
        writer.beginObject()
        writer.key("code"); writer.string(code)
        writer.key("message"); writer.string(message)
        writer.endObject()
        writer.endObject()
        return .json(writer.takeBytes(), status: status)
    }
}

extension HTTPRequest {
    /// The body, required to be JSON: throws 415 unless Content-Type is `application/json`
    /// (or `…+json`), and 400 when the body is empty. Parsing is the caller's job.
    public func jsonBody() throws(HTTPError) -> [UInt8] {
        let mediaType = (headers["Content-Type"] ?? "").split(separator: ";").first.map { $0.trimmingASCIIWhitespace().lowercased() } ?? ""
        guard mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json")) else {
            throw HTTPError(.unsupportedMediaType, code: "unsupported_media_type", message: "Expected Content-Type application/json.")
        }
        guard !body.isEmpty else {
            throw HTTPError(.badRequest, code: "empty_body", message: "A JSON body is required.")
        }
        return body
    }
}
