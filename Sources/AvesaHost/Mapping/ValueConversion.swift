/// Converts mapped JSON values into the canonical column's type, reading each
/// service's own formats (timestamps with Z or offsets, ServiceNow's strings for
/// everything, numbers as text). An empty string is a missing value.
extension MappingPlan {
    static func convert(_ value: JSONValue?, to type: CanonicalType, column: String, table: String,
                        sourceID: String) throws(RecordMappingError) -> CanonicalValue {
        func failure(_ message: String) -> RecordMappingError {
            RecordMappingError(table: table, column: column, sourceID: sourceID, message: message)
        }
        guard let value, !value.isNull, value.string != "" else { return .null }
        if value.array != nil || value.object != nil {
            throw failure("expected a single value, got \(value.array != nil ? "an array" : "an object")")
        }
        switch type {
        case .string:
            return .string(text(of: value) ?? "")
        case .integer:
            if let number = value.int64 { return .integer(number) }
            if let text = value.string, let number = Int64(text) { return .integer(number) }
            throw failure("\(describe(value)) is not an integer")
        case .decimal:
            let literal = value.number.map { DecimalText.normalized($0.literal) } ?? value.string.map(DecimalText.normalized)
            if let literal, let decimal = CanonicalValue.decimal(normalizing: literal) { return decimal }
            throw failure("\(describe(value)) is not a decimal number")
        case .boolean:
            if let flag = value.bool { return .boolean(flag) }
            switch text(of: value)?.lowercased() {
            case "true", "1", "yes": return .boolean(true)
            case "false", "0", "no": return .boolean(false)
            default: throw failure("\(describe(value)) is not a boolean")
            }
        case .timestamp:
            if let text = value.string, let micros = TimestampParser.microseconds(text) { return .timestamp(micros) }
            throw failure("\(describe(value)) is not a timestamp (ISO-8601 or YYYY-MM-DD HH:MM:SS)")
        case .date:
            if let text = value.string, let days = TimestampParser.days(text) { return .date(days) }
            throw failure("\(describe(value)) is not a date (YYYY-MM-DD)")
        }
    }

    private static func describe(_ value: JSONValue) -> String {
        let text = text(of: value) ?? "value"
        return "\"" + (text.count > 40 ? String(text.prefix(40)) + "…" : text) + "\""
    }
}

/// Decimal text helpers: numbers from JSON (possibly with exponents) to plain
/// `-?[0-9]+(\.[0-9]+)?` text.
enum DecimalText {
    /// `literal` as plain decimal text; exponent forms are expanded through Double.
    static func normalized(_ literal: String) -> String {
        guard literal.contains(where: { $0 == "e" || $0 == "E" }), let number = Double(literal) else { return literal }
        return format(number, places: 10)
    }

    /// `number` with at most `places` fraction digits, trailing zeros removed.
    static func format(_ number: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(number) * scale).rounded()
        let whole = Int64(scaled / scale)
        var fraction = String(Int64(scaled - Double(whole) * scale))
        fraction = String(repeating: "0", count: max(0, places - fraction.count)) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let sign = number < 0 && scaled > 0 ? "-" : ""
        return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }
}
