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
            let literal = value.number.map(\.literal) ?? value.string
            if let literal, let plain = DecimalText.normalized(literal), let decimal = CanonicalValue.decimal(normalizing: plain) {
                return decimal
            }
            throw failure("\(describe(value)) is not a decimal number (plain, or with an exponent of at most \(DecimalText.maxDigits) digits)")
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
/// `-?[0-9]+(\.[0-9]+)?` text, never through a binary floating point value where the source
/// gave digits, and never trapping on a value out of range.
enum DecimalText {
    /// Most digits a plain decimal may have once an exponent is expanded (`1e400` is refused,
    /// not written out as 401 digits).
    static let maxDigits = 60

    /// `literal` as plain decimal text: an exponent form (`1.5e3`, `-2E-4`) is expanded by
    /// moving the decimal point in its digits; nil when the expansion would pass `maxDigits`
    /// or the exponent is malformed. Text without an exponent is returned as it is.
    static func normalized(_ literal: String) -> String? {
        guard let e = literal.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return literal }
        guard let exponent = Int(literal[literal.index(after: e)...]), abs(exponent) <= maxDigits else { return nil }
        var mantissa = literal[..<e]
        var negative = false
        if mantissa.first == "-" || mantissa.first == "+" { negative = mantissa.first == "-"; mantissa = mantissa.dropFirst() }
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts.first.map(String.init) ?? "", fraction = parts.count > 1 ? String(parts[1]) : ""
        let digits = whole + fraction
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { return nil }
        // The decimal point sits after `point` digits (may fall outside them).
        let point = whole.count + exponent
        let expanded: String
        if point <= 0 {
            expanded = "0." + String(repeating: "0", count: -point) + digits
        } else if point >= digits.count {
            expanded = digits + String(repeating: "0", count: point - digits.count)
        } else {
            expanded = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
        }
        guard expanded.count <= maxDigits + 2 else { return nil }
        return (negative ? "-" : "") + expanded
    }

    /// `number` with at most `places` fraction digits, trailing zeros removed; nil when it
    /// is not finite or too large to write that way (beyond ±9×10^15).
    static func format(_ number: Double, places: Int) -> String? {
        guard number.isFinite, abs(number) < 9e15 else { return nil }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let whole = Int64(abs(number).rounded(.towardZero))
        let fractionPart = ((abs(number) - Double(whole)) * scale).rounded()
        var carried = whole
        var fractionValue = Int64(fractionPart)
        if Double(fractionValue) >= scale { carried += 1; fractionValue = 0 }  // .99999 rounded up
        var fraction = String(fractionValue)
        fraction = String(repeating: "0", count: max(0, places - fraction.count)) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let sign = number < 0 && (carried > 0 || !fraction.isEmpty) ? "-" : ""
        return sign + String(carried) + (fraction.isEmpty ? "" : "." + fraction)
    }
}
