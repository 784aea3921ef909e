/// The key fingerprints (`RowHash.ofKey`) a full sync saw, for
/// `TenantWarehouse.closeMissing`.
///
/// 16 bytes a key in 256 append-only arrays chosen by the fingerprint's top byte, sorted
/// and deduplicated once by `seal()`: no hash table, so no slack of a quarter or more and
/// no moment where the whole set exists twice while it grows (a `Set<RowHash>` of 3.45M
/// keys jumps from 4.2M to 8.4M buckets, 201 MB for that moment). Insert while the sync
/// runs; `seal` before asking `contains` or `count`.
public struct SeenKeySet: Sendable, Equatable {
    private var shards = [[RowHash]](repeating: [], count: 256)
    /// Sorted and free of duplicates (an empty set is).
    public private(set) var isSealed = true

    /// An empty set.
    public init() {}

    /// A sealed set of `keys`.
    public init<S: Sequence>(_ keys: S) where S.Element == RowHash {
        for key in keys { insert(key) }
        seal()
    }

    @inline(__always)
    private static func shard(of key: RowHash) -> Int { Int(truncatingIfNeeded: key.high >> 56) }

    /// Adds a key (duplicates are removed by `seal`).
    public mutating func insert(_ key: RowHash) {
        shards[Self.shard(of: key)].append(key)
        isSealed = false
    }

    /// Adds every key of `other`.
    public mutating func formUnion(_ other: SeenKeySet) {
        for index in shards.indices where !other.shards[index].isEmpty {
            shards[index] += other.shards[index]
            isSealed = false
        }
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
        isSealed = true
    }

    /// Distinct keys held. Requires a sealed set.
    public var count: Int {
        precondition(isSealed, "SeenKeySet.count before seal()")
        return shards.reduce(0) { $0 + $1.count }
    }

    /// Whether `key` was seen (binary search in its shard). Requires a sealed set.
    public func contains(_ key: RowHash) -> Bool {
        precondition(isSealed, "SeenKeySet.contains before seal()")
        let keys = shards[Self.shard(of: key)]
        var low = 0, high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if (keys[middle].high, keys[middle].low) < (key.high, key.low) { low = middle + 1 } else { high = middle }
        }
        return low < keys.count && keys[low] == key
    }

    /// Calls `body` with every distinct key. Requires a sealed set.
    public func forEach(_ body: (RowHash) throws -> Void) rethrows {
        precondition(isSealed, "SeenKeySet.forEach before seal()")
        for shard in shards { for key in shard { try body(key) } }
    }
}
