import Foundation

/// The encoded query of `sysparm_query`, the subset connectors use: conditions joined by
/// `^` (AND) with `= != < <= > >=` on `sys_updated_on`, `sys_created_on` (values as
/// `YYYY-MM-DD HH:MM:SS` or `javascript:gs.dateGenerate('YYYY-MM-DD','HH:MM:SS')`) and on
/// `sys_id` (compared as text, as keyset paging does: `sys_id>LAST`), and
/// `ORDERBYfield` / `ORDERBYDESCfield` on those fields. Rows are ordered by their real
/// sys_id, so a row keeps its place however often it is updated, and an inserted row
/// lands anywhere. Conditions on other fields are ignored, as an instance without strict
/// query validation does.
struct ServiceNowQuery {
    /// What a result may be ordered by.
    enum OrderKey: Equatable {
        case time(SimField)
        case sysID
    }

    /// The conditions on times (the query's order is applied here, not there).
    var times = SimQuery()
    /// The conditions on sys_id.
    var sysIDConditions: [(op: SimOperator, value: String)] = []
    /// ORDERBY terms in order; rows that tie on all of them stay in key order.
    var order: [(key: OrderKey, descending: Bool)] = []

    static func timeField(_ name: String) -> SimField? {
        switch name {
        case "sys_updated_on": .changed
        case "sys_created_on": .created
        default: nil
        }
    }

    static func orderKey(_ name: String) -> OrderKey? {
        name == "sys_id" ? .sysID : timeField(name).map(OrderKey.time)
    }

    static func parse(_ text: String?) -> Result<ServiceNowQuery, SimParseError> {
        var query = ServiceNowQuery()
        guard let text, !text.isEmpty else { return .success(query) }
        for part in text.split(separator: "^").map(String.init) where !part.isEmpty {
            if part.hasPrefix("ORDERBYDESC") {
                if let key = orderKey(String(part.dropFirst(11))) { query.order.append((key, true)) }
                continue
            }
            if part.hasPrefix("ORDERBY") {
                if let key = orderKey(String(part.dropFirst(7))) { query.order.append((key, false)) }
                continue
            }
            guard let opRange = part.firstIndex(where: { "<>=!".contains($0) }) else { continue }
            let name = String(part[..<opRange])
            let rest = part[opRange...]
            let opText = rest.prefix { "<>=!".contains($0) }
            guard let op = SimOperator(rawValue: String(opText)) else { return .failure(SimParseError("Invalid operator in \(part)")) }
            var value = String(rest.dropFirst(opText.count))
            if name == "sys_id" {
                query.sysIDConditions.append((op, value))
                continue
            }
            guard let field = timeField(name) else { continue }
            if value.hasPrefix("javascript:gs.dateGenerate(") {
                value = value.dropFirst(27).filter { $0 != "'" && $0 != ")" }.replacingOccurrences(of: ",", with: " ")
            }
            guard let seconds = SimTime.parse(value) else { return .failure(SimParseError("Invalid date in \(part)")) }
            query.times.conditions.append(SimCondition(field, op, seconds))
        }
        return .success(query)
    }

    /// The live rows of `table` that match, in the query's order.
    func select(_ table: SimTable) -> [SimRow] {
        var rows = times.select(table).map { (row: $0, sysID: ServiceNowRecords.sysID($0)) }
        if !sysIDConditions.isEmpty {
            rows.removeAll { entry in !sysIDConditions.allSatisfy { $0.op.holds(entry.sysID, $0.value) } }
        }
        guard !order.isEmpty else { return rows.map(\.row) }
        func value(_ entry: (row: SimRow, sysID: String), _ field: SimField) -> Int64 {
            field == .changed ? entry.row.changedAt : entry.row.createdAt
        }
        // Stable: ties keep key order.
        let sorted = rows.enumerated().sorted { a, b in
            for (key, descending) in order {
                switch key {
                case .sysID:
                    if a.element.sysID != b.element.sysID { return descending ? a.element.sysID > b.element.sysID : a.element.sysID < b.element.sysID }
                case .time(let field):
                    let x = value(a.element, field), y = value(b.element, field)
                    if x != y { return descending ? x > y : x < y }
                }
            }
            return a.offset < b.offset
        }
        return sorted.map(\.element.row)
    }
}
