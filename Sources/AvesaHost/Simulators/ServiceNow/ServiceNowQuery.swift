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

    /// Positions in `table.rows` of the live rows that match, in the query's order. The selection without
    /// the sys_id bounds is cached in `instance`; keyset pages (`sys_id>LAST` in sys_id
    /// order) find their start in it by bisection, so a deep page costs what the first does.
    func select(_ table: SimTable, instance: inout SimInstance) -> ArraySlice<Int32> {
        let orderKey = order.map { "\($0.key)\($0.descending ? "-" : "+")" }.joined(separator: ",")
        let ordered = instance.cachedSelection("\(table.name)?\(times.conditions)&\(orderKey)") { orderedIndices(table) }
        var slice = ordered[...]
        var remaining = sysIDConditions
        if order.first.map({ $0.key == .sysID && !$0.descending }) ?? false {
            // Ascending sys_id: lower bounds are a starting point.
            for bound in sysIDConditions where bound.op == .greater || bound.op == .greaterOrEqual {
                slice = slice.fromFirst { bound.op.holds(ServiceNowRecords.sysID(table.rows[Int($0)]), bound.value) }
            }
            remaining.removeAll { $0.op == .greater || $0.op == .greaterOrEqual }
        }
        guard !remaining.isEmpty else { return slice }
        return slice.filter { position in
            let sysID = ServiceNowRecords.sysID(table.rows[Int(position)])
            return remaining.allSatisfy { $0.op.holds(sysID, $0.value) }
        }[...]
    }

    /// Positions of the live rows matching the time conditions, in the query's order.
    private func orderedIndices(_ table: SimTable) -> [Int32] {
        let matching = times.selectIndices(table)
        guard !order.isEmpty else { return matching }
        let sysIDs = order.contains { $0.key == .sysID } ? matching.map { ServiceNowRecords.sysID(table.rows[Int($0)]) } : []
        func value(_ position: Int, _ field: SimField) -> Int64 {
            let row = table.rows[Int(matching[position])]
            return field == .changed ? row.changedAt : row.createdAt
        }
        // Stable: ties keep key order.
        let sorted = matching.indices.sorted { a, b in
            for (key, descending) in order {
                switch key {
                case .sysID:
                    if sysIDs[a] != sysIDs[b] { return descending ? sysIDs[a] > sysIDs[b] : sysIDs[a] < sysIDs[b] }
                case .time(let field):
                    let x = value(a, field), y = value(b, field)
                    if x != y { return descending ? x > y : x < y }
                }
            }
            return a < b
        }
        return sorted.map { matching[$0] }
    }
}
