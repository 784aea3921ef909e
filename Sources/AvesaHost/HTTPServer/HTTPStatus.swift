/// An HTTP status code with its reason phrase.
public struct HTTPStatus: Hashable, Sendable, CustomStringConvertible {
    /// The three-digit code.
    public let code: Int
    /// The reason phrase written on the status line.
    public let reasonPhrase: String

    /// Creates a status; the reason phrase defaults to the standard one for known codes.
    public init(code: Int, reasonPhrase: String? = nil) {
        self.code = code
        self.reasonPhrase = reasonPhrase ?? HTTPStatus.standardPhrase(code)
    }

    /// `"<code> <reason>"`.
    public var description: String { "\(code) \(reasonPhrase)" }

    /// Statuses that never carry a body (1xx, 204, 304).
    public var allowsBody: Bool { !(code < 200 || code == 204 || code == 304) }

    /// 100
    public static let `continue` = HTTPStatus(code: 100)
    /// 200
    public static let ok = HTTPStatus(code: 200)
    /// 201
    public static let created = HTTPStatus(code: 201)
    /// 202 Accepted: the work started and goes on after the response.
    public static let accepted = HTTPStatus(code: 202)
    /// 204
    public static let noContent = HTTPStatus(code: 204)
    /// 304
    public static let notModified = HTTPStatus(code: 304)
    /// 400
    public static let badRequest = HTTPStatus(code: 400)
    /// 401
    public static let unauthorized = HTTPStatus(code: 401)
    /// 403
    public static let forbidden = HTTPStatus(code: 403)
    /// 404
    public static let notFound = HTTPStatus(code: 404)
    /// 405
    public static let methodNotAllowed = HTTPStatus(code: 405)
    /// 408
    public static let requestTimeout = HTTPStatus(code: 408)
    /// 409 Conflict: the request clashes with the resource's current state.
    public static let conflict = HTTPStatus(code: 409)
    /// 413
    public static let payloadTooLarge = HTTPStatus(code: 413)
    /// 414
    public static let uriTooLong = HTTPStatus(code: 414)
    /// 415
    public static let unsupportedMediaType = HTTPStatus(code: 415)
    /// 417
    public static let expectationFailed = HTTPStatus(code: 417)
    /// 429
    public static let tooManyRequests = HTTPStatus(code: 429)
    /// 431
    public static let requestHeaderFieldsTooLarge = HTTPStatus(code: 431)
    /// 500
    public static let internalServerError = HTTPStatus(code: 500)
    /// 501
    public static let notImplemented = HTTPStatus(code: 501)
    /// 503
    public static let serviceUnavailable = HTTPStatus(code: 503)
    /// 505
    public static let httpVersionNotSupported = HTTPStatus(code: 505)

    static func standardPhrase(_ code: Int) -> String {
        switch code {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status \(code)"
        }
    }
}
