import Foundation

/// The encoded query of `sysparm_query`, the subset connectors use: conditions joined by
/// `^` (AND) with `= != < <= > >=` on `sys_updated_on`, `sys_created_on`, values as
/// `YYYY-MM-DD HH:MM:SS` or `javascript:gs.dateGenerate('YYYY-MM-DD','HH:MM:SS')`, and
/// `ORDERBYfield` / `ORDERBYDESCfield` on those and on `sys_id` (the simulator orders by its
/// row key, an order as fixed as `sys_id`'s: what the connector relies on is that rows keep
/// their places while it pages). Conditions on other fields are ignored, as an instance
/// without strict query validation does.
enum ServiceNowQuery {
    static func field(_ name: String) -> SimField? {
        switch name {
        case "sys_updated_on": .changed
        case "sys_created_on": .created
        default: nil
        }
    }

    /// A field that may only order the results.
    static func orderField(_ name: String) -> SimField? { name == "sys_id" ? .key : field(name) }

    static func parse(_ text: String?) -> Result<SimQuery, SimParseError> {
        var query = SimQuery()
        guard let text, !text.isEmpty else { return .success(query) }
        for part in text.split(separator: "^").map(String.init) where !part.isEmpty {
            if part.hasPrefix("ORDERBYDESC") {
                if let f = orderField(String(part.dropFirst(11))) { query.order.append((f, true)) }
                continue
            }
            if part.hasPrefix("ORDERBY") {
                if let f = orderField(String(part.dropFirst(7))) { query.order.append((f, false)) }
                continue
            }
            guard let opRange = part.firstIndex(where: { "<>=!".contains($0) }) else { continue }
            let name = String(part[..<opRange])
            let rest = part[opRange...]
            let opText = rest.prefix { "<>=!".contains($0) }
            guard let op = SimOperator(rawValue: String(opText)) else { return .failure(SimParseError("Invalid operator in \(part)")) }
            guard let f = field(name) else { continue }
            var value = String(rest.dropFirst(opText.count))
            if value.hasPrefix("javascript:gs.dateGenerate(") {
                value = value.dropFirst(27).filter { $0 != "'" && $0 != ")" }.replacingOccurrences(of: ",", with: " ")
            }
            guard let seconds = SimTime.parse(value) else { return .failure(SimParseError("Invalid date in \(part)")) }
            query.conditions.append(SimCondition(f, op, seconds))
        }
        return .success(query)
    }
}
