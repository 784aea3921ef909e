/// A request's JSON object body with typed, length-limited field reads; every failure is a
/// 400 naming the field.
struct JSONBody {
    let object: JSONValue

    init(_ request: HTTPRequest) throws(HTTPError) {
        let bytes = try request.jsonBody()
        guard let value = try? JSONParser.parse(bytes), value.object != nil else {
            throw HTTPError(.badRequest, code: "invalid_json", message: "The body must be a JSON object.")
        }
        object = value
    }

    func string(_ name: String, maxLength: Int = 320) throws(HTTPError) -> String {
        guard let value = object[name]?.string, !value.isEmpty, value.utf8.count <= maxLength else {
            throw HTTPError(.badRequest, code: "invalid_field",
                            message: "Field '\(name)' must be a non-empty string of at most \(maxLength) bytes.")
        }
        return value
    }
}
