/// The in-memory index of each key's SCD2 state, so the mostly-unchanged pass never asks
/// SQLite: key fingerprint → current row hash, or the time the key was deleted.
///
/// Keys are held as 128-bit fingerprints of their canonical length-prefixed encoding
/// (`RowHash.ofKey`) in 256 `KeyTable` shards chosen by the fingerprint's top byte. Each
/// shard grows on its own, by a quarter, so growing never holds two copies of the whole index
/// (a single table growing from 2.7M to 4.1M keys held 292 MB at that moment; a shard
/// holds 1/256 of it), and `reserve` sizes every shard to the keys expected: ~42 bytes a
/// key at millions of keys; 40–50 while a first load grows it. Two distinct keys share a fingerprint with probability ~n²/2¹²⁹ (≈10⁻²⁶
/// for 10⁶ keys). Every write still finds its row in SQLite by the key columns compared one
/// by one, so a collision could only make one record look unchanged or deleted; it cannot
/// attach a row to another key.
///
/// The index mirrors committed data: changes made inside a batch are logged and undone if
/// the batch's transaction rolls back.
struct CurrentRowIndex {
    /// A key's state packed in 16 bytes: a real row hash never has `high == 0`, so
    /// `high == 0` marks a deletion with `low` holding the close time.
    struct Entry: Equatable {
        var high: UInt64
        var low: UInt64

        static func current(_ hash: RowHash) -> Entry { Entry(high: hash.high, low: hash.low) }
        static func deleted(at closedAt: Int64) -> Entry { Entry(high: 0, low: UInt64(bitPattern: closedAt)) }

        var isDeleted: Bool { high == 0 }
        var hash: RowHash { RowHash(high: high, low: low) }
        var closedAt: Int64 { Int64(bitPattern: low) }
    }

    /// Shards, by the fingerprint's top byte.
    private var shards = [KeyTable](repeating: KeyTable(), count: 256)
    private var undoLog: [(key: RowHash, previous: Entry?)] = []

    /// Keys held.
    private(set) var count = 0
    /// Slots allocated over all shards (32 bytes each).
    var capacity: Int { shards.reduce(0) { $0 + $1.capacity } }

    @inline(__always)
    private static func shard(of key: RowHash) -> Int { Int(truncatingIfNeeded: key.high >> 56) }

    /// Makes room for about `keys` keys: each shard gets its share plus slack for the
    /// uneven spread (four standard deviations of a shard's count, so that rarely any shard
    /// of 256 has to grow).
    /// Small tables reserve nothing: their shards grow from nothing as keys arrive (a
    /// reservation's fixed slack would cost every small tenant's table ~180 KB).
    mutating func reserve(_ keys: Int) {
        guard keys >= 16 * shards.count else { return }
        let share = keys / shards.count
        let perShard = share + 4 * Int(Double(share).squareRoot()) + 16
        for index in shards.indices { shards[index].reserve(perShard) }
    }

    /// The entry for a key fingerprint.
    @inline(__always)
    func entry(for key: RowHash) -> Entry? {
        shards[Self.shard(of: key)].entry(for: key)
    }

    @inline(__always)
    private mutating func store(_ entry: Entry, for key: RowHash) -> Entry? {
        let previous = shards[Self.shard(of: key)].store(entry, for: key)
        if previous == nil { count += 1 }
        return previous
    }

    private mutating func remove(_ key: RowHash) {
        let shard = Self.shard(of: key)
        let before = shards[shard].count
        shards[shard].remove(key)
        count -= before - shards[shard].count
    }

    /// Sets a key's entry, logging the previous one for `rollback()`.
    @inline(__always)
    mutating func set(_ entry: Entry, for key: RowHash) {
        let previous = store(entry, for: key)
        undoLog.append((key, previous))
    }

    /// Sets an entry while loading from disk (no undo logging). Current rows win over
    /// deletions; among deletions the latest close time wins.
    mutating func load(_ entry: Entry, for key: RowHash) {
        if let existing = self.entry(for: key) {
            if !existing.isDeleted { return }
            if entry.isDeleted && entry.closedAt <= existing.closedAt { return }
        }
        _ = store(entry, for: key)
    }

    /// Forgets the undo log: the batch committed.
    mutating func commit() { undoLog.removeAll(keepingCapacity: true) }

    /// Restores the entries the batch changed: its transaction rolled back.
    mutating func rollback() {
        for (key, previous) in undoLog.reversed() {
            if let previous { _ = store(previous, for: key) } else { remove(key) }
        }
        undoLog.removeAll(keepingCapacity: true)
    }
}
