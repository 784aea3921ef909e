/// The key fingerprints (`RowHash.ofKey`) a full sync saw, for
/// `TenantWarehouse.closeMissing`.
///
/// 16 bytes a key in 256 append-only arrays chosen by the fingerprint's top byte, sorted
/// and deduplicated once by `seal()`: no hash table, so no slack of a quarter or more and
/// no moment where the whole set exists twice while it grows (a `Set<RowHash>` of 3.45M
/// keys jumps from 4.2M to 8.4M buckets, 201 MB for that moment). Insert while the sync
/// runs; `seal` before asking `contains` or `count`.
///
/// **Bounded memory.** Past `memoryLimit` keys in memory, `needsSpill` asks the owner to
/// move them to disk (`spill(into:)`, a `SeenKeySpill` of per-shard files), so a full
/// re-sync of a table of any size holds at most `memoryLimit` keys (16 MiB by default). A
/// spilled set is read back in groups of shards (`shardGroups`, `group(_:)`), each at most
/// `memoryLimit` keys; only a set that never spilled answers `contains` directly.
public struct SeenKeySet: Sendable, Equatable {
    /// Shards: the fingerprint's top byte.
    static let shardCount = 256
    /// Keys held in memory before `needsSpill`: 1 Mi keys, 16 MiB.
    public static let defaultMemoryLimit = 1 << 20

    private var shards = [[RowHash]](repeating: [], count: SeenKeySet.shardCount)
    private var spills: [SeenKeySpill] = []
    /// Keys in memory (duplicates included until `seal`).
    public private(set) var inMemoryCount = 0
    /// Keys held in memory before `needsSpill` says to move them to disk.
    public let memoryLimit: Int
    /// Sorted and free of duplicates (an empty set is).
    public private(set) var isSealed = true

    /// An empty set holding at most `memoryLimit` keys in memory.
    public init(memoryLimit: Int = SeenKeySet.defaultMemoryLimit) {
        self.memoryLimit = max(1, memoryLimit)
    }

    /// A sealed set of `keys`.
    public init<S: Sequence>(_ keys: S) where S.Element == RowHash {
        self.init()
        for key in keys { insert(key) }
        seal()
    }

    /// Equal when they hold the same keys in memory, in the same order, and refer to the
    /// same spill folders (spilled keys are compared by folder identity, not read back).
    public static func == (lhs: SeenKeySet, rhs: SeenKeySet) -> Bool {
        lhs.shards == rhs.shards && lhs.spills.map(ObjectIdentifier.init) == rhs.spills.map(ObjectIdentifier.init)
    }

    /// The shard of `key`: its top byte (`shardCount` is 256).
    @inline(__always)
    static func shard(of key: RowHash) -> Int { Int(truncatingIfNeeded: key.high >> 56) }

    /// Adds a key (duplicates are removed by `seal`).
    public mutating func insert(_ key: RowHash) {
        shards[Self.shard(of: key)].append(key)
        inMemoryCount += 1
        isSealed = false
    }

    /// Adds every key of `other` (its spilled keys by reference to its files).
    public mutating func formUnion(_ other: SeenKeySet) {
        for index in shards.indices where !other.shards[index].isEmpty {
            shards[index] += other.shards[index]
            isSealed = false
        }
        inMemoryCount += other.inMemoryCount
        spills += other.spills
    }

    /// Whether some keys live on disk (then `contains` and `count` are not available; read
    /// the set back with `shardGroups` and `group(_:)`).
    public var isSpilled: Bool { !spills.isEmpty }

    /// The folders holding this set's spilled keys (for their owner to remove once done).
    public var spillDirectories: [String] { spills.map(\.directory) }

    /// Whether the keys in memory reached `memoryLimit` and should move to disk.
    public var needsSpill: Bool { inMemoryCount >= memoryLimit }

    /// Moves every key in memory to a spill folder under `parent` (file I/O: call it from a
    /// blocking thread). On failure every key stays in memory. The folder's owner removes it (`SeenKeySpill`).
    public mutating func spill(into parent: String) throws {
        guard inMemoryCount > 0 else { return }
        let spill = try SeenKeySpill(parent: parent)
        for index in shards.indices where !shards[index].isEmpty {
            try spill.append(shards[index], shard: index)
        }
        // Only once every shard is on disk: a failed spill keeps all keys in memory.
        for index in shards.indices { shards[index] = [] }
        spills.append(spill)
        inMemoryCount = 0
    }

    /// Consecutive ranges of shards covering all 256, each holding at most `memoryLimit`
    /// keys (in memory and on disk, duplicates counted) unless one shard alone holds more.
    /// One range for a set that never spilled.
    public func shardGroups() -> [ClosedRange<Int>] {
        guard isSpilled else { return [0...(Self.shardCount - 1)] }
        var groups: [ClosedRange<Int>] = []
        var start = 0, held = 0
        for index in 0..<Self.shardCount {
            let keys = shards[index].count + spills.reduce(0) { $0 + $1.counts[index] }
            if index > start && held + keys > memoryLimit {
                groups.append(start...(index - 1))
                start = index
                held = 0
            }
            held += keys
        }
        groups.append(start...(Self.shardCount - 1))
        return groups
    }

    /// The keys of the shards in `range`, read back from disk and memory, as a sealed set
    /// that never spilled (file I/O when this set spilled: call it from a blocking thread).
    public func group(_ range: ClosedRange<Int>) throws -> SeenKeySet {
        if !isSpilled && range == 0...(Self.shardCount - 1) {
            var whole = self
            whole.seal()
            return whole
        }
        var part = SeenKeySet(memoryLimit: .max)
        for index in range {
            part.shards[index] = shards[index]
            for spill in spills { part.shards[index] += try spill.keys(shard: index) }
            part.inMemoryCount += part.shards[index].count
        }
        part.isSealed = part.inMemoryCount == 0  // so that `seal` sorts and deduplicates what was read
        part.seal()
        return part
    }

    /// Sorts each shard and removes duplicates, in place.
    public mutating func seal() {
        if isSealed { return }
        for index in shards.indices {
            shards[index].sort { ($0.high, $0.low) < ($1.high, $1.low) }
            let kept = shards[index].withUnsafeMutableBufferPointer { keys -> Int in
                var kept = 0
                for position in keys.indices where kept == 0 || keys[position] != keys[kept - 1] {
                    keys[kept] = keys[position]
                    kept += 1
                }
                return kept
            }
            shards[index].removeLast(shards[index].count - kept)
        }
        inMemoryCount = shards.reduce(0) { $0 + $1.count }
        isSealed = true
    }

    /// Distinct keys held. Requires a sealed set that never spilled.
    public var count: Int {
        precondition(isSealed && !isSpilled, "SeenKeySet.count before seal() or after spill(into:)")
        return shards.reduce(0) { $0 + $1.count }
    }

    /// Whether `key` was seen (binary search in its shard). Requires a sealed set that
    /// never spilled.
    public func contains(_ key: RowHash) -> Bool {
        precondition(isSealed && !isSpilled, "SeenKeySet.contains before seal() or after spill(into:)")
        let keys = shards[Self.shard(of: key)]
        var low = 0, high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if (keys[middle].high, keys[middle].low) < (key.high, key.low) { low = middle + 1 } else { high = middle }
        }
        return low < keys.count && keys[low] == key
    }

    /// Calls `body` with every distinct key. Requires a sealed set that never spilled.
    public func forEach(_ body: (RowHash) throws -> Void) rethrows {
        precondition(isSealed && !isSpilled, "SeenKeySet.forEach before seal() or after spill(into:)")
        for shard in shards { for key in shard { try body(key) } }
    }
}
