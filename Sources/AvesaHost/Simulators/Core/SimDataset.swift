/// How many rows a table starts with at scale 1, and whether its records change.
public struct SimTableSpec: Sendable {
    public var name: String
    public var count: Int
    /// Tables such as "organization" never grow or shrink.
    public var fixed: Bool

    public init(_ name: String, _ count: Int, fixed: Bool = false) {
        self.name = name
        self.count = count
        self.fixed = fixed
    }
}

/// What `advance` did, per table.
public struct SimChange: Sendable, Equatable {
    public var updated = 0
    public var inserted = 0
    public var deleted = 0
    public init() {}
}

/// The in-memory data of one simulated instance: every table, seeded and reproducible,
/// with change times the incremental filters read, and a clock that only moves forward.
///
/// Generated rows are created between 2025-01-01 and 2026-10-31 and last changed before
/// 2026-11-01; `advance` stamps its changes with the wall clock (at least one second after
/// the previous change), so an incremental query with `since` = the previous maximum
/// cursor returns exactly the advanced rows.
public struct SimDataset: Sendable {
    /// Start of the generated history (2025-01-01T00:00:00Z).
    public static let historyStart: Int64 = 1_735_689_600
    /// End of the generated history (2026-11-01T00:00:00Z).
    public static let historyEnd: Int64 = 1_793_491_200

    public private(set) var tables: [String: SimTable] = [:]
    /// Table names in declaration order.
    public let tableNames: [String]
    /// The latest change time handed out.
    public private(set) var clock: Int64
    /// Incremented by every `advance`: selections cached under an older generation are stale.
    public private(set) var generation = 0
    private var random: SimRandom
    private let seed: UInt64
    private let fixed: Set<String>
    /// Row counts as generated: references pick among these so inserts never re-point them.
    private var baseCounts: [String: Int] = [:]

    /// Generates every table of `specs` at `scale` (each count × scale, at least 1), with
    /// the history ending at `historyEnd` (UNIX seconds; the fixed default keeps tests
    /// deterministic, the demo passes today so its dashboards show recent activity).
    public init(specs: [SimTableSpec], seed: UInt64, scale: Double, historyEnd end: Int64 = SimDataset.historyEnd) {
        let start = end - (Self.historyEnd - Self.historyStart)
        self.seed = seed
        random = SimRandom(seed: seed, 0xADA)
        tableNames = specs.map(\.name)
        fixed = Set(specs.filter(\.fixed).map(\.name))
        clock = end
        for spec in specs {
            let count = spec.fixed ? spec.count : max(1, Int((Double(spec.count) * scale).rounded()))
            let tableSeed = SimRandom.mix(seed ^ SimRandom.label(spec.name))
            var rng = SimRandom(seed: tableSeed)
            var rows: [SimRow] = []
            rows.reserveCapacity(count)
            for key in 1...count {
                let created = start + Int64(rng.int(0...Int(end - start - 86_400 * 2)))
                let changed = min(end - 1, created + Int64(rng.int(0...86_400 * 60)))
                rows.append(SimRow(key: key, seed: SimRandom.mix(tableSeed &+ UInt64(key)), createdAt: created,
                                   changedAt: changed, version: 0, deleted: false))
            }
            tables[spec.name] = SimTable(name: spec.name, rows: rows)
            baseCounts[spec.name] = count
        }
    }

    /// The table called `name`.
    public subscript(name: String) -> SimTable? { tables[name] }

    /// The next change time: the wall clock, but always after the previous one.
    mutating func tick(now: Int64) -> Int64 {
        clock = max(now, clock + 1)
        return clock
    }

    /// Changes `fraction` of every table's live rows: that fraction is updated, half as
    /// many are inserted and a tenth as many deleted (tombstones). Returns what changed.
    @discardableResult
    public mutating func advance(fraction: Double, now: Int64 = SimTime.now()) -> [String: SimChange] {
        let stamp = tick(now: now)
        generation += 1
        var result: [String: SimChange] = [:]
        for name in tableNames where !fixed.contains(name) {
            guard var table = tables[name] else { continue }
            var change = SimChange()
            let liveIndices = table.rows.indices.filter { !table.rows[$0].deleted }
            let updates = Int((Double(liveIndices.count) * fraction).rounded())
            let deletes = fraction > 0 ? max(fraction >= 0.05 ? 1 : 0, Int((Double(updates) / 10).rounded())) : 0
            let inserts = fraction > 0 ? max(1, Int((Double(updates) / 2).rounded())) : 0
            var chosen = liveIndices
            for i in stride(from: chosen.count - 1, to: 0, by: -1) { chosen.swapAt(i, random.int(0...i)) }
            for index in chosen.prefix(updates) {
                table.rows[index].version += 1
                table.rows[index].changedAt = stamp
                change.updated += 1
            }
            for index in chosen.dropFirst(updates).prefix(min(deletes, max(0, chosen.count - updates - 1))) {
                table.rows[index].deleted = true
                table.rows[index].changedAt = stamp
                change.deleted += 1
            }
            let tableSeed = SimRandom.mix(seed ^ SimRandom.label(name))
            for _ in 0..<inserts {
                let key = table.rows.count + 1
                table.rows.append(SimRow(key: key, seed: SimRandom.mix(tableSeed &+ UInt64(key)), createdAt: stamp,
                                         changedAt: stamp, version: 0, deleted: false))
                change.inserted += 1
            }
            tables[name] = table
            result[name] = change
        }
        return result
    }

    /// Deletes (tombstones) the live rows of `table` that `matches` picks, stamped with the
    /// next change time. Returns how many it deleted.
    @discardableResult
    public mutating func delete(from table: String, now: Int64 = SimTime.now(), where matches: (SimRow) -> Bool) -> Int {
        guard var rows = tables[table]?.rows else { return 0 }
        let stamp = tick(now: now)
        generation += 1
        var deleted = 0
        for index in rows.indices where !rows[index].deleted && matches(rows[index]) {
            rows[index].deleted = true
            rows[index].changedAt = stamp
            deleted += 1
        }
        tables[table] = SimTable(name: table, rows: rows)
        return deleted
    }

    /// A live row of `table` picked by `selector` (a stable random number): used for
    /// references (a contact's company). Falls back to key 1 when the table is empty.
    public func reference(_ table: String, _ selector: UInt64) -> SimRow? {
        guard let rows = tables[table]?.rows, !rows.isEmpty else { return nil }
        let count = min(rows.count, baseCounts[table] ?? rows.count)
        return rows[Int(selector % UInt64(count))]
    }
}
