/// A request's query parameters checked against what an endpoint accepts. Every problem
/// is a 400 `invalid_parameter` whose message names the parameter: unknown names,
/// repeated names, malformed or out-of-range values.
struct QueryParameters {
    private var values: [String: String] = [:]

    init(_ request: HTTPRequest, allowed: Set<String>) throws(HTTPError) {
        for (name, value) in request.queryParameters {
            guard allowed.contains(name) else { throw Self.invalid(Self.printable(name), "is not supported by this endpoint") }
            guard values.updateValue(value, forKey: name) == nil else { throw Self.invalid(name, "is given more than once") }
        }
    }

    static func invalid(_ name: String, _ problem: String) -> HTTPError {
        HTTPError(.badRequest, code: "invalid_parameter", message: "Parameter '\(name)' \(problem).")
    }

    /// A parameter name safe to echo: at most 40 characters of `[A-Za-z0-9_.-]`, else `?`.
    static func printable(_ name: String) -> String {
        let ok = !name.isEmpty && name.utf8.count <= 40 && name.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2D || $0 == 0x2E
        }
        return ok ? name : "?"
    }

    /// The raw value, nil when absent or empty.
    func string(_ name: String, maxLength: Int = 200) throws(HTTPError) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        guard value.utf8.count <= maxLength else { throw Self.invalid(name, "is longer than \(maxLength) bytes") }
        guard !value.utf8.contains(0) else { throw Self.invalid(name, "contains a NUL byte") }
        return value
    }

    /// An integer within `range`, `defaultValue` when absent.
    func int(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws(HTTPError) -> Int {
        guard let text = try string(name, maxLength: 20) else { return defaultValue }
        guard text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(text), range.contains(value) else {
            throw Self.invalid(name, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// One of `choices`, `defaultValue` when absent.
    func choice(_ name: String, _ choices: [String], default defaultValue: String? = nil) throws(HTTPError) -> String? {
        guard let value = try string(name, maxLength: 64) else { return defaultValue }
        guard choices.contains(value) else { throw Self.invalid(name, "must be one of \(choices.joined(separator: ", "))") }
        return value
    }

    /// `true`/`false`, nil when absent.
    func bool(_ name: String) throws(HTTPError) -> Bool? {
        guard let value = try string(name, maxLength: 8) else { return nil }
        switch value {
        case "true", "1": return true
        case "false", "0": return false
        default: throw Self.invalid(name, "must be true or false")
        }
    }

    /// An ISO-8601 timestamp (`2026-03-01T12:00:00Z`, offsets and fractions allowed) or a
    /// date (`2026-03-01`, midnight UTC; with `dateMeansEndOfDay` the following midnight),
    /// in microseconds since the epoch.
    func timestamp(_ name: String, dateMeansEndOfDay: Bool = false) throws(HTTPError) -> Int64? {
        guard let text = try string(name, maxLength: 40) else { return nil }
        let value: Int64?
        if text.utf8.count == 10, let days = TimestampParser.days(text), TimestampParser.iso8601(Int64(days) * Self.day).hasPrefix(text) {
            value = (Int64(days) + (dateMeansEndOfDay ? 1 : 0)) * Self.day
        } else {
            value = TimestampParser.microseconds(text)
        }
        guard let value, value >= 0, value < 253_402_300_800_000_000 else {
            throw Self.invalid(name, "must be an ISO-8601 timestamp such as 2026-03-01T12:00:00Z or a date such as 2026-03-01")
        }
        return value
    }

    static let day: Int64 = 86_400_000_000
}
