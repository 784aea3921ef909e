/// One record of a simulated table, before a service renders it: the identity, the
/// times the APIs filter on and the seed its field values come from.
public struct SimRow: Sendable, Equatable {
    /// 1-based sequence number within the table (ids are derived from it).
    public let key: Int
    /// Seed of the stable fields (names, relations).
    public let seed: UInt64
    /// Creation time, UNIX seconds.
    public let createdAt: Int64
    /// Last change time (update, insert or delete), UNIX seconds.
    public var changedAt: Int64
    /// 0 when generated; incremented by each update (mutable fields re-roll from it).
    public var version: Int
    /// A tombstone: deleted at `changedAt`, hidden from listings, reported by delta queries.
    public var deleted: Bool

    /// Random values of the stable fields.
    public var stable: SimRandom { SimRandom(seed: seed, 1) }
    /// Random values of the fields an update changes.
    public var mutable: SimRandom { SimRandom(seed: seed, 2, UInt64(version)) }
    /// A stable number choosing the row's `n`th reference (its company, its contact…).
    public func selector(_ n: UInt64) -> UInt64 {
        var r = SimRandom(seed: seed, 3, n)
        return r.next()
    }
}

/// One table: its rows in key order and the next key to hand out.
public struct SimTable: Sendable {
    /// The name the service's API uses (`company/companies`, `incident`, `Account`, `users`).
    public let name: String
    /// Rows in ascending key order, tombstones included.
    public internal(set) var rows: [SimRow]
    /// Rows that are not deleted.
    public var live: [SimRow] { rows.filter { !$0.deleted } }
    /// Rows that are deleted.
    public var tombstones: [SimRow] { rows.filter(\.deleted) }

    /// The row with `key`, if any.
    public func row(key: Int) -> SimRow? {
        guard key >= 1, key <= rows.count, rows[key - 1].key == key else { return rows.first { $0.key == key } }
        return rows[key - 1]
    }
}
