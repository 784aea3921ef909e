/// What the API exposes of one canonical table: its URL name, sortable columns (a
/// whitelist mapping sort names to SQL expressions), text-search columns, equality
/// filters and the column `from`/`to` apply to.
struct EntityDefinition: Sendable {
    /// URL segment, e.g. `time-entries`.
    let path: String
    /// Singular noun for messages.
    let noun: String
    let table: CanonicalTable
    /// Sort name → SQL expression over validated column names.
    let sortable: [(name: String, expression: String)]
    let defaultSort: String
    let searchColumns: [String]
    /// Query parameter → column, compared for equality.
    let filters: [(parameter: String, column: String)]
    /// Boolean filters: parameter → column.
    let booleanFilters: [(parameter: String, column: String)]
    /// Column `from` (inclusive) and `to` (exclusive) bound.
    let dateColumn: String
    /// Whether `/:id/history` exists.
    let hasHistory: Bool

    static func quote(_ name: String) -> String { "\"\(name)\"" }

    static let companies = EntityDefinition(
        path: "companies", noun: "company", table: .companies,
        sortable: ["id", "name", "identifier", "status", "type", "city", "country", "created_at", "updated_at"].map { ($0, quote($0)) },
        defaultSort: "name", searchColumns: ["name", "identifier", "id"],
        filters: [("status", "status"), ("type", "type"), ("source_service", "source_service")],
        booleanFilters: [], dateColumn: "created_at", hasHistory: true)

    static let contacts = EntityDefinition(
        path: "contacts", noun: "contact", table: .contacts,
        sortable: ["id", "first_name", "last_name", "email", "company_id", "title", "updated_at"].map { ($0, quote($0)) },
        defaultSort: "last_name", searchColumns: ["first_name", "last_name", "email"],
        filters: [("company_id", "company_id"), ("source_service", "source_service")],
        booleanFilters: [("active", "active")], dateColumn: "updated_at", hasHistory: true)

    static let tickets = EntityDefinition(
        path: "tickets", noun: "ticket", table: .tickets,
        sortable: ["id", "summary", "status", "status_category", "priority", "company_id", "board", "assigned_to",
                   "created_at", "updated_at", "resolved_at", "closed_at"].map { ($0, quote($0)) },
        defaultSort: "-created_at", searchColumns: ["summary", "id"],
        filters: [("company_id", "company_id"), ("contact_id", "contact_id"), ("status", "status"),
                  ("status_category", "status_category"), ("priority", "priority"), ("board", "board"),
                  ("assigned_to", "assigned_to"), ("source_service", "source_service")],
        booleanFilters: [], dateColumn: "created_at", hasHistory: true)

    static let timeEntries = EntityDefinition(
        path: "time-entries", noun: "time entry", table: .timeEntries,
        sortable: [("id", quote("id")), ("started_at", quote("started_at")), ("ended_at", quote("ended_at")),
                   ("hours", "CAST(\"hours\" AS REAL)"), ("member", quote("member")), ("company_id", quote("company_id")),
                   ("ticket_id", quote("ticket_id")), ("updated_at", quote("updated_at"))],
        defaultSort: "-started_at", searchColumns: ["notes", "member"],
        filters: [("company_id", "company_id"), ("ticket_id", "ticket_id"), ("member", "member"),
                  ("source_service", "source_service")],
        booleanFilters: [("billable", "billable")], dateColumn: "started_at", hasHistory: false)

    static let all = [companies, contacts, tickets, timeEntries]

    /// Query parameters the list endpoint accepts.
    var listParameters: Set<String> {
        Set(["page", "limit", "sort", "q", "from", "to", "as_of"] + filters.map(\.parameter) + booleanFilters.map(\.parameter))
    }

    /// `SELECT` list: canonical columns then source and validity bookkeeping.
    var selectColumns: String {
        (table.columns.map { Self.quote($0.name) }
            + ["\"source_service\"", "\"source_id\"", "\"_valid_from\"", "\"_valid_to\"", "\"_is_current\""])
            .joined(separator: ", ")
    }

    /// The row at the statement's cursor as a JSON object (validity fields when `withValidity`).
    func render(_ row: SQLiteStatement, withValidity: Bool, asOf: Int64? = nil) -> JSONValue {
        // Column names are unique (validated canonical names plus the bookkeeping ones), so
        // members are appended without the per-key lookup of `JSONObject`'s subscript.
        var members: [JSONMember] = []
        members.reserveCapacity(table.columns.count + 5)
        for (index, column) in table.columns.enumerated() {
            members.append(JSONMember(key: column.name, value: row.canonicalValue(Int32(index), as: column.type).json))
        }
        let n = Int32(table.columns.count)
        members.append(JSONMember(key: "source_service", value: .string(row.text(n) ?? "")))
        members.append(JSONMember(key: "source_id", value: .string(row.text(n + 1) ?? "")))
        members.append(JSONMember(key: "valid_from", value: .string(TimestampParser.iso8601(row.int64(n + 2)))))
        if withValidity {
            // As of a time, the history ends there: a version still valid then is shown
            // open and current, as it was, not with the end it got later.
            let validTo: Int64? = row.isNull(n + 3) ? nil : row.int64(n + 3)
            let openAtAsOf = asOf.map { asOf in validTo.map { $0 > asOf } ?? true } ?? false
            members.append(JSONMember(key: "valid_to", value: openAtAsOf ? .null : validTo.map { .string(TimestampParser.iso8601($0)) } ?? .null))
            members.append(JSONMember(key: "is_current", value: .bool(openAtAsOf || (asOf == nil && row.int64(n + 4) == 1))))
        }
        return .object(JSONObject(members))
    }

    /// The row-version condition: current rows, or the versions valid at `asOf`.
    static func validity(_ asOf: Int64?, prefix: String = "") -> (String, [SQLValue]) {
        guard let asOf else { return ("\(prefix)\"_is_current\" = 1", []) }
        return ("\(prefix)\"_valid_from\" <= ? AND (\(prefix)\"_valid_to\" IS NULL OR \(prefix)\"_valid_to\" > ?)",
                [.integer(asOf), .integer(asOf)])
    }
}

/// `LIKE` pattern for a substring search, with `%`, `_` and `\` escaped (use `ESCAPE '\'`).
func likePattern(_ text: String) -> String {
    var escaped = ""
    for character in text {
        if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
        escaped.append(character)
    }
    return "%" + escaped + "%"
}
