/// ServiceNow Table API record shapes: every value a string, references as
/// `{"link": …/api/now/table/<table>/<sys_id>, "value": <sys_id>}` (or `""` when empty),
/// times `YYYY-MM-DD HH:MM:SS` in UTC and durations `1970-01-01 HH:MM:SS`.
enum ServiceNowRecords {
    static let categories = ["inquiry", "software", "hardware", "network", "database"]

    /// The 32-hex-digit sys_id of a row (unique per instance and table).
    static func sysID(_ row: SimRow) -> String {
        var r = SimRandom(seed: row.seed, 4)
        return r.hex(32)
    }

    static func system(_ row: SimRow, _ table: String) -> [(String, JSONValue)] {
        [("sys_id", .string(sysID(row))), ("sys_created_on", .string(SimTime.sql(row.createdAt))),
         ("sys_created_by", "admin"), ("sys_updated_on", .string(SimTime.sql(row.changedAt))),
         ("sys_updated_by", "avesa.integration"), ("sys_mod_count", .string(String(row.version))),
         ("sys_class_name", .string(table)), ("sys_tags", "")]
    }

    struct Context {
        let dataset: SimDataset
        let baseURL: String
        let excludeLinks: Bool

        func reference(_ table: String, _ row: SimRow?) -> JSONValue {
            guard let row else { return "" }
            let id = sysID(row)
            if excludeLinks { return .string(id) }
            return ["link": .string("\(baseURL)/api/now/table/\(table)/\(id)"), "value": .string(id)]
        }

        func reference(_ table: String, selector: UInt64) -> JSONValue {
            reference(table, dataset.reference(table, selector))
        }
    }

    static func object(_ pairs: [(String, JSONValue)]) -> JSONValue {
        .object(JSONObject(pairs.map { JSONMember(key: $0.0, value: $0.1) }))
    }

    static func person(_ r: inout SimRandom) -> (String, String) { (r.pick(SimNames.firstNames), r.pick(SimNames.lastNames)) }

    /// The record of `row` in `table`.
    static func render(_ table: String, _ row: SimRow, _ context: Context) -> JSONValue {
        var s = row.stable
        var m = row.mutable
        var fields: [(String, JSONValue)]
        switch table {
        case "core_company":
            let name = SimNames.company(&s, key: row.key)
            let (city, state) = s.pick(SimNames.cities)
            fields = [("name", .string(name)), ("customer", .string(s.chance(0.85) ? "true" : "false")),
                      ("vendor", "false"), ("phone", .string(SimNames.phone(&m))),
                      ("website", .string("https://www.\(SimNames.slug(name).lowercased()).example")),
                      ("street", .string("\(s.int(1...9999)) \(s.pick(SimNames.streets))")), ("city", .string(city)),
                      ("state", .string(state)), ("zip", .string(String(s.int(10000...99999)))), ("country", "USA"),
                      ("notes", .string(m.chance(0.5) ? "Managed since \(SimTime.day(row.createdAt))" : ""))]
        case "customer_contact":
            let (first, last) = person(&s)
            fields = [("first_name", .string(first)), ("last_name", .string(last)), ("name", .string("\(first) \(last)")),
                      ("email", .string("\(first.lowercased()).\(last.lowercased())\(row.key)@customer.example")),
                      ("phone", m.chance(0.7) ? .string(SimNames.phone(&m)) : ""), ("mobile_phone", .string(SimNames.phone(&m))),
                      ("title", .string(m.pick(SimNames.titles))), ("active", .string(m.chance(0.92) ? "true" : "false")),
                      ("company", context.reference("core_company", selector: row.selector(1)))]
        case "incident":
            let state = m.pick(["1", "2", "3", "6", "7", "8"])
            let resolved = row.createdAt + Int64(m.int(3600...86_400 * 4))
            fields = [("number", .string("INC" + String(10_000 + row.key).leftPadded(7))),
                      ("short_description", .string(s.pick(SimNames.problems))), ("description", .string("Reported via portal.")),
                      ("state", .string(state)), ("incident_state", .string(state)), ("priority", .string(String(m.int(1...5)))),
                      ("urgency", .string(String(m.int(1...3)))), ("impact", .string(String(m.int(1...3)))),
                      ("category", .string(s.pick(categories))),
                      ("company", context.reference("core_company", selector: row.selector(1))),
                      ("caller_id", context.reference("sys_user", selector: row.selector(2))),
                      ("assignment_group", context.reference("sys_user_group", selector: row.selector(3))),
                      ("assigned_to", state == "1" ? "" : context.reference("sys_user", selector: m.next())),
                      ("opened_at", .string(SimTime.sql(row.createdAt))),
                      ("resolved_at", ["6", "7"].contains(state) ? .string(SimTime.sql(resolved)) : ""),
                      ("closed_at", state == "7" ? .string(SimTime.sql(resolved + 86_400)) : ""),
                      ("active", .string(["6", "7", "8"].contains(state) ? "false" : "true"))]
        case "task_time_worked":
            fields = [("task", context.reference("incident", selector: row.selector(1))),
                      ("user", context.reference("sys_user", selector: row.selector(2))),
                      ("time_worked", .string(SimTime.duration(Int64(m.int(1...16) * 900)))),
                      ("comments", .string("Worked on: \(s.pick(SimNames.problems))")), ("time_in_seconds", "0")]
        case "sys_user":
            // Every user, the customers' callers and the MSP's technicians alike (on an ITSM
            // instance an incident's caller_id is a sys_user).
            let (first, last) = person(&s)
            fields = [("user_name", .string("\(first.lowercased()).\(last.lowercased())\(row.key)")),
                      ("first_name", .string(first)), ("last_name", .string(last)), ("name", .string("\(first) \(last)")),
                      ("email", .string("\(first.lowercased()).\(last.lowercased())\(row.key)@customer.example")),
                      ("phone", m.chance(0.7) ? .string(SimNames.phone(&m)) : ""), ("mobile_phone", .string(SimNames.phone(&m))),
                      ("title", .string(m.pick(SimNames.titles))), ("active", .string(m.chance(0.95) ? "true" : "false")),
                      ("company", context.reference("core_company", selector: row.selector(1)))]
        case "sys_user_group":
            fields = [("name", .string(["Service Desk", "Network", "Field Services", "Database", "Security"][row.key % 5] + " \(row.key)")),
                      ("active", "true")]
        default:
            fields = [("number", .string(table.prefix(3).uppercased() + String(10_000 + row.key).leftPadded(7))),
                      ("name", .string("\(table) \(row.key)")), ("short_description", .string(s.pick(SimNames.problems))),
                      ("state", .string(String(m.int(1...4)))),
                      ("company", context.reference("core_company", selector: row.selector(1)))]
        }
        return object(system(row, table) + fields)
    }
}

extension String {
    /// Left-padded with zeros to `width`.
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
