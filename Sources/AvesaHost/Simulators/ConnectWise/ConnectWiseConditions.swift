/// ConnectWise's `conditions` and `orderBy` parameters, the subset the connector uses:
/// `lastUpdated > [2026-01-01T00:00:00Z] and id >= 10`, operators `= != < <= > >=`,
/// fields `lastUpdated`, `_info/lastUpdated`, `dateEntered`, `_info/dateEntered`, `id`;
/// `orderBy=id asc` (or `lastUpdated desc`).
enum ConnectWiseConditions {
    static func field(_ name: String) -> SimField? {
        switch name.lowercased() {
        case "lastupdated", "_info/lastupdated", "_info.lastupdated": .changed
        case "dateentered", "_info/dateentered", "_info.dateentered": .created
        case "id": .key
        default: nil
        }
    }

    /// The query of `conditions` and `orderBy`; the message when either is invalid.
    static func parse(conditions: String?, orderBy: String?) -> Result<SimQuery, SimParseError> {
        var query = SimQuery()
        if var text = conditions?.simTrimmingSpaces(), !text.isEmpty {
            while text.hasPrefix("("), text.hasSuffix(")") { text = String(text.dropFirst().dropLast()).simTrimmingSpaces() }
            for clause in split(text) {
                guard let condition = parseClause(clause) else { return .failure(SimParseError("Unable to parse condition \"\(clause)\".")) }
                query.conditions.append(condition)
            }
        }
        if let orderBy, !orderBy.isEmpty {
            for part in orderBy.split(separator: ",") {
                let words = part.split(separator: " ")
                guard let first = words.first, let field = field(String(first)) else {
                    return .failure(SimParseError("Unable to order by \"\(part)\"."))
                }
                query.order.append((field, words.count > 1 && words[1].lowercased() == "desc"))
            }
        }
        return .success(query)
    }

    /// Splits on ` and ` (any case) outside brackets.
    static func split(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "[" { depth += 1 } else if c == "]" { depth -= 1 }
            if depth == 0, c == " ", text[i...].lowercased().hasPrefix(" and ") {
                parts.append(current.simTrimmingSpaces())
                current = ""
                i = text.index(i, offsetBy: 5)
                continue
            }
            current.append(c)
            i = text.index(after: i)
        }
        parts.append(current.simTrimmingSpaces())
        return parts.filter { !$0.isEmpty }
    }

    static func parseClause(_ clause: String) -> SimCondition? {
        for op in [SimOperator.greaterOrEqual, .lessOrEqual, .notEqual, .greater, .less, .equal] {
            guard let range = clause.range(of: op.rawValue) else { continue }
            guard let field = field(String(clause[..<range.lowerBound]).simTrimmingSpaces()) else { return nil }
            var value = String(clause[range.upperBound...]).simTrimmingSpaces()
            if field == .key {
                guard let number = Int64(value) else { return nil }
                return SimCondition(field, op, number)
            }
            guard value.hasPrefix("["), value.hasSuffix("]") else { return nil }
            value = String(value.dropFirst().dropLast())
            guard let seconds = SimTime.parse(value) else { return nil }
            return SimCondition(field, op, seconds)
        }
        return nil
    }
}
