import Foundation

/// Small request/response helpers the service simulators share.
enum SimHTTP {
    /// `(user, password)` of an `Authorization: Basic` header.
    static func basicCredentials(_ request: HTTPRequest) -> (user: String, password: String)? {
        guard let header = request.headers["Authorization"], header.lowercased().hasPrefix("basic "),
              let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingASCIIWhitespace()),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    /// The token of an `Authorization: Bearer` header.
    static func bearerToken(_ request: HTTPRequest) -> String? {
        guard let header = request.headers["Authorization"], header.lowercased().hasPrefix("bearer ") else { return nil }
        return String(header.dropFirst(7)).trimmingASCIIWhitespace()
    }

    /// The fields of an `application/x-www-form-urlencoded` body.
    static func form(_ request: HTTPRequest) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: request.body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = URLQuery.decode(parts[0]) else { continue }
            fields[name] = parts.count > 1 ? URLQuery.decode(parts[1]) ?? "" : ""
        }
        return fields
    }

    /// A JSON response with extra headers.
    static func json(_ value: JSONValue, status: Int = 200, headers: [(String, String)] = []) -> HTTPResponse {
        json(value.jsonBytes(), status: status, headers: headers)
    }

    /// Already-encoded JSON with extra headers.
    static func json(_ bytes: [UInt8], status: Int = 200, headers: [(String, String)] = []) -> HTTPResponse {
        var h: HTTPHeaders = ["Content-Type": "application/json; charset=utf-8"]
        for (name, value) in headers { h.add(name: name, value: value) }
        return HTTPResponse(status: HTTPStatus(code: status), headers: h, body: bytes)
    }

    /// `Retry-After` seconds: whole numbers without a fraction.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// A query string of `parameters` (percent-encoded).
    static func query(_ parameters: [(String, String)]) -> String { URLQuery.form(parameters) }

    /// Query parameters of `request` with `overrides` replacing same-named ones (order kept, new ones last).
    static func parameters(_ request: HTTPRequest, replacing overrides: [(String, String)]) -> [(String, String)] {
        var result: [(String, String)] = []
        for (name, value) in request.queryParameters.map({ ($0.name, $0.value) }) {
            if let override = overrides.first(where: { $0.0 == name }) {
                if !result.contains(where: { $0.0 == name }) { result.append(override) }
            } else {
                result.append((name, value))
            }
        }
        for override in overrides where !result.contains(where: { $0.0 == override.0 }) { result.append(override) }
        return result
    }

    /// A JSON number.
    static func number(_ value: Int) -> JSONValue { .number(JSONNumber(Int64(value))) }
    /// A JSON number from a double.
    static func number(_ value: Double) -> JSONValue { .number(JSONNumber(value) ?? JSONNumber(0)) }
}
