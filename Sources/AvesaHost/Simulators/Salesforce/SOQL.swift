/// The SOQL subset the simulator answers:
///
/// `SELECT field, field… | COUNT() FROM Object [WHERE cond [AND cond…]]
///  [ORDER BY field [ASC|DESC], …] [LIMIT n]`
///
/// with conditions `field op datetime` on SystemModstamp, LastModifiedDate and CreatedDate,
/// operators `= != < <= > >=`. Datetime literals take the forms SOQL documents, and only
/// those: `2026-01-01T00:00:00Z`, `…+02:00`, `…-05:00` (the `.000+0000` that records carry
/// is refused as a literal, as is an unencoded `+` that arrived as a space).
struct SOQL: Equatable {
    var fields: [String] = []
    var isCount = false
    var object = ""
    var query = SimQuery()
    var limit: Int?

    static func field(_ name: String) -> SimField? {
        switch name.lowercased() {
        case "systemmodstamp", "lastmodifieddate": .changed
        case "createddate": .created
        case "id": .key
        default: nil
        }
    }

    /// `YYYY-MM-DDThh:mm:ss` then `Z` or `±hh:mm`: the dateTime literal forms of SOQL's
    /// "Date Formats and Date Literals".
    static func isDateTimeLiteral(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { bytes[$0] >= 0x30 && bytes[$0] <= 0x39 } }
        guard bytes.count == 20 || bytes.count == 25, digits(0..<4), bytes[4] == 0x2D, digits(5..<7), bytes[7] == 0x2D,
              digits(8..<10), bytes[10] == 0x54, digits(11..<13), bytes[13] == 0x3A, digits(14..<16), bytes[16] == 0x3A,
              digits(17..<19) else { return false }
        if bytes.count == 20 { return bytes[19] == 0x5A }
        return (bytes[19] == 0x2B || bytes[19] == 0x2D) && digits(20..<22) && bytes[22] == 0x3A && digits(23..<25)
    }

    /// Parses `text`; the error carries Salesforce's MALFORMED_QUERY message.
    static func parse(_ text: String) -> Result<SOQL, SimParseError> {
        var tokens: [String] = []
        var current = ""
        for c in text {
            if c == " " || c == "\n" || c == "\t" || c == "," {
                if !current.isEmpty { tokens.append(current); current = "" }
                if c == "," { tokens.append(",") }
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        var i = 0
        func keyword(_ word: String) -> Bool {
            guard i < tokens.count, tokens[i].uppercased() == word else { return false }
            i += 1
            return true
        }
        func fail(_ message: String) -> Result<SOQL, SimParseError> { .failure(SimParseError(message)) }
        var soql = SOQL()
        guard keyword("SELECT") else { return fail("unexpected token: '\(tokens.first ?? "")'") }
        while i < tokens.count, tokens[i].uppercased() != "FROM" {
            if tokens[i] != "," {
                if tokens[i].uppercased() == "COUNT()" { soql.isCount = true } else { soql.fields.append(tokens[i]) }
            }
            i += 1
        }
        guard keyword("FROM"), i < tokens.count else { return fail("unexpected token: 'FROM' is missing") }
        soql.object = tokens[i]
        i += 1
        guard soql.isCount || !soql.fields.isEmpty else { return fail("SELECT needs at least one field") }
        if keyword("WHERE") {
            repeat {
                guard i + 2 < tokens.count + 0, let field = field(tokens[i]) else {
                    return fail("unexpected token in WHERE: '\(i < tokens.count ? tokens[i] : "")'")
                }
                guard let op = SimOperator(rawValue: tokens[i + 1]) else { return fail("unexpected operator '\(tokens[i + 1])'") }
                let valueText = tokens[i + 2]
                i += 3
                let value: Int64
                if field == .key {
                    guard let key = Int64(valueText.filter { $0 != "'" }) else { return fail("Id conditions need a key number in this simulator") }
                    value = key
                } else {
                    guard isDateTimeLiteral(valueText), let seconds = SimTime.parse(valueText) else {
                        return fail("value of filter criterion for field '\(tokens[i - 3])' must be of type dateTime and should not be enclosed in quotes")
                    }
                    value = seconds
                }
                soql.query.conditions.append(SimCondition(field, op, value))
            } while keyword("AND")
        }
        if keyword("ORDER") {
            guard keyword("BY") else { return fail("unexpected token: 'ORDER' without BY") }
            repeat {
                guard i < tokens.count, let field = field(tokens[i]) else { return fail("cannot order by '\(i < tokens.count ? tokens[i] : "")' in this simulator") }
                i += 1
                var descending = false
                if keyword("DESC") { descending = true } else { _ = keyword("ASC") }
                soql.query.order.append((field, descending))
            } while keyword(",")
        }
        if keyword("LIMIT") {
            guard i < tokens.count, let n = Int(tokens[i]), n >= 0 else { return fail("LIMIT needs a number") }
            soql.limit = n
            i += 1
        }
        guard i == tokens.count else { return fail("unexpected token: '\(tokens[i])'") }
        return .success(soql)
    }
}
