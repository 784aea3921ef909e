/// A row attribute the simulated query languages filter and sort on.
public enum SimField: Sendable, Equatable {
    /// The change time (`lastUpdated`, `sys_updated_on`, `SystemModstamp`).
    case changed
    /// The creation time.
    case created
    /// The row key (numeric ids, or ids that sort with it).
    case key
}

/// A comparison operator of the simulated query languages.
public enum SimOperator: String, Sendable {
    case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "=", notEqual = "!="

    func holds<Value: Comparable>(_ lhs: Value, _ rhs: Value) -> Bool {
        switch self {
        case .less: lhs < rhs
        case .lessOrEqual: lhs <= rhs
        case .greater: lhs > rhs
        case .greaterOrEqual: lhs >= rhs
        case .equal: lhs == rhs
        case .notEqual: lhs != rhs
        }
    }
}

/// One `field op value` condition.
public struct SimCondition: Sendable, Equatable {
    public var field: SimField
    public var op: SimOperator
    public var value: Int64

    public init(_ field: SimField, _ op: SimOperator, _ value: Int64) {
        self.field = field
        self.op = op
        self.value = value
    }

    func matches(_ row: SimRow) -> Bool {
        switch field {
        case .changed: op.holds(row.changedAt, value)
        case .created: op.holds(row.createdAt, value)
        case .key: op.holds(Int64(row.key), value)
        }
    }
}

/// A parsed query: conditions ANDed, then an ordering (the key breaks ties).
public struct SimQuery: Sendable, Equatable {
    public var conditions: [SimCondition] = []
    public var order: [(field: SimField, descending: Bool)] = []

    public init() {}

    public static func == (a: SimQuery, b: SimQuery) -> Bool {
        a.conditions == b.conditions && a.order.count == b.order.count
            && zip(a.order, b.order).allSatisfy { $0.field == $1.field && $0.descending == $1.descending }
    }

    /// The matching rows of `table` in order; tombstones only when `includeDeleted`.
    public func select(_ table: SimTable, includeDeleted: Bool = false) -> [SimRow] {
        selectIndices(table, includeDeleted: includeDeleted).map { table.rows[Int($0)] }
    }

    /// The positions in `table.rows` of the matching rows, in order (4 bytes a row, so a
    /// large table's selection can be kept between page requests).
    public func selectIndices(_ table: SimTable, includeDeleted: Bool = false) -> [Int32] {
        let rows = table.rows
        var indices: [Int32] = []
        for i in rows.indices where (includeDeleted || !rows[i].deleted) && conditions.allSatisfy({ $0.matches(rows[i]) }) {
            indices.append(Int32(i))
        }
        guard !order.isEmpty else { return indices }
        return indices.sorted { i, j in
            let a = rows[Int(i)], b = rows[Int(j)]
            for (field, descending) in order {
                let x = Self.value(a, field), y = Self.value(b, field)
                if x != y { return descending ? x > y : x < y }
            }
            return a.key < b.key
        }
    }

    static func value(_ row: SimRow, _ field: SimField) -> Int64 {
        switch field {
        case .changed: row.changedAt
        case .created: row.createdAt
        case .key: Int64(row.key)
        }
    }
}
