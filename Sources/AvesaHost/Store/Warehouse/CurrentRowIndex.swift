/// The in-memory index of each key's SCD2 state, so the mostly-unchanged pass never asks
/// SQLite: key fingerprint → a summary of the current row's hash, or the time the key was
/// deleted.
///
/// Current keys live in 256 `KeyTable` shards chosen by the fingerprint's top byte, 16
/// bytes a slot: the fingerprint's low word (72 bits of the key in all, with the shard)
/// and 63 bits of the row hash. Each shard grows on its own, by a quarter, so growing never
/// holds two copies of the whole index, and `reserve` sizes every shard to the keys
/// expected: ~21 bytes a key at millions of keys, 20–25 while a first load grows it (the
/// full 128-bit fingerprint and hash took 32-byte slots, ~42 bytes a key).
///
/// Deleted keys are few and kept exactly, by their whole 128-bit fingerprint, in a
/// dictionary: a deletion decides on its own that an older record is ignored, without
/// SQLite, so it must never be mistaken for another key.
///
/// What a shortened fingerprint or hash can and cannot do: two current keys share a
/// 72-bit fingerprint with probability ~n²/2⁷³ (≈2·10⁻⁹ for 4.6M keys), and a changed
/// record keeps its 63-bit summary with probability 2⁻⁶³. A record is skipped as unchanged
/// only when both its key and its hash match; every other path finds its row in SQLite by
/// the key columns compared one by one and takes that row's full hash, so a collision
/// costs an extra read or a rewrite with the same values, never attaches a row to another
/// key. A collision seen (two current rows under one slot at load, or a slot whose key has
/// no current row at merge) makes the index partial (`noteCollision`), so a key whose slot
/// the other key took is looked up in SQLite. One sequence stays unguarded: a deleted key
/// whose deletion was hidden at load behind a colliding current key, that key deleted
/// since, and then a record of the first key older than its deletion, which is inserted
/// as a reappearance instead of ignored (probability far below that of the collision).
///
/// Bounded: shards grow only with slots taken from a `KeyIndexBudget`. A key refused for
/// want of slots is not held, and the index says so (`isPartial`) for good: from then on
/// a key it does not hold may still have a current row, and the merge asks SQLite.
///
/// The index mirrors committed data: changes made inside a batch are logged and undone if
/// the batch's transaction rolls back.
struct CurrentRowIndex {
    /// A key's state.
    enum Entry: Equatable {
        /// A current row whose row hash has this `summary(of:)`.
        case currentSummary(UInt64)
        /// Every row of the key was closed, the last one at this time.
        case deleted(at: Int64)

        /// The entry of a current row with `hash`.
        static func current(_ hash: RowHash) -> Entry { .currentSummary(CurrentRowIndex.summary(of: hash)) }

        var isDeleted: Bool {
            if case .deleted = self { return true }
            return false
        }

        /// Whether this is a current row whose hash has the same summary as `hash`.
        @inline(__always)
        func isCurrent(withHash hash: RowHash) -> Bool { self == .currentSummary(CurrentRowIndex.summary(of: hash)) }
    }

    /// What the index keeps of a row hash: its first word with the lowest bit set, so it is
    /// never zero (zero marks an empty `KeyTable` slot).
    @inline(__always)
    static func summary(of hash: RowHash) -> UInt64 { hash.high | 1 }

    /// Where the shards' slots come from; the owner gives `capacity` back when it is done.
    let budget: KeyIndexBudget
    /// Current keys, by the fingerprint's top byte.
    private var shards = [KeyTable](repeating: KeyTable(), count: 256)
    /// Deleted keys, by their whole fingerprint.
    private var deleted: [RowHash: Int64] = [:]
    private var undoLog: [(key: RowHash, previous: Entry?)] = []

    /// Whether a current key was ever refused for want of slots: a key the index does not
    /// hold may then still have a current row.
    private(set) var isPartial = false

    /// An empty index whose shards take their slots from `budget`.
    init(budget: KeyIndexBudget = .unlimited) { self.budget = budget }

    /// Keys held, current and deleted.
    var count: Int { shards.reduce(0) { $0 + $1.count } + deleted.count }
    /// Slots allocated over all shards (16 bytes each).
    var capacity: Int { shards.reduce(0) { $0 + $1.capacity } }

    @inline(__always)
    private static func shard(of key: RowHash) -> Int { Int(truncatingIfNeeded: key.high >> 56) }

    /// Makes room for about `keys` keys: each shard gets its share plus slack for the
    /// uneven spread (four standard deviations of a shard's count, so that rarely any shard
    /// of 256 has to grow). Reserves nothing when the budget cannot cover it all.
    /// Small tables reserve nothing: their shards grow from nothing as keys arrive (a
    /// reservation's fixed slack would cost every small tenant's table ~90 KB).
    mutating func reserve(_ keys: Int) {
        guard keys >= 16 * shards.count else { return }
        let share = keys / shards.count
        let size = KeyTable.size(for: share + 4 * Int(Double(share).squareRoot()) + 16)
        let added = shards.reduce(0) { $0 + max(0, size - $1.capacity) }
        guard budget.take(added) else { return }
        for index in shards.indices { shards[index].grow(to: size) }
    }

    /// The entry for a key fingerprint.
    @inline(__always)
    func entry(for key: RowHash) -> Entry? {
        if let summary = shards[Self.shard(of: key)].summary(for: key) { return .currentSummary(summary) }
        if deleted.isEmpty { return nil }
        return deleted[key].map { .deleted(at: $0) }
    }

    /// Stores `entry` (nil: forgets the key) without logging. A deletion with `closing`
    /// gives up the key's slot only if it still holds that hash's summary.
    @inline(__always)
    private mutating func put(_ entry: Entry?, for key: RowHash, closing: RowHash? = nil) {
        switch entry {
        case .currentSummary(let summary)?:
            if !deleted.isEmpty { deleted.removeValue(forKey: key) }
            let shard = Self.shard(of: key)
            if shards[shard].isFull && shards[shard].summary(for: key) == nil {
                // A new key and no room: grow by a quarter, with slots from the budget.
                let grown = shards[shard].grownSize
                guard budget.take(grown - shards[shard].capacity) else {
                    isPartial = true
                    return
                }
                shards[shard].grow(to: grown)
            }
            _ = shards[shard].store(summary, for: key)
        case .deleted(let closedAt)?:
            shards[Self.shard(of: key)].remove(key, onlyIfSummary: closing.map(Self.summary(of:)))
            deleted[key] = closedAt
        case nil:
            shards[Self.shard(of: key)].remove(key)
            if !deleted.isEmpty { deleted.removeValue(forKey: key) }
        }
    }

    /// Sets a key's entry, logging the previous one for `rollback()`.
    /// - Parameter closing: for a deletion, the hash of the current row it closes (as
    ///   SQLite holds it). The key's slot is given up only if it still holds that hash's
    ///   summary: a colliding key may have taken the slot over, and its entry must stay.
    @inline(__always)
    mutating func set(_ entry: Entry, for key: RowHash, closing: RowHash? = nil) {
        undoLog.append((key, self.entry(for: key)))
        put(entry, for: key, closing: closing)
    }

    /// Sets an entry while loading from disk (no undo logging). Current rows win over
    /// deletions; among deletions the latest close time wins. Two current rows under one
    /// slot are two keys (a key has one current row): a collision, see `noteCollision`.
    mutating func load(_ entry: Entry, for key: RowHash) {
        switch (self.entry(for: key), entry) {
        case (.currentSummary?, .currentSummary):
            if !deleted.isEmpty { deleted.removeValue(forKey: key) }  // this key is current
            noteCollision()
        case (.currentSummary?, _): return
        case (.deleted(let existing)?, .deleted(let closedAt)) where closedAt <= existing: return
        default: put(entry, for: key)
        }
    }

    /// Records that two keys were seen sharing a slot: from now on the index treats itself
    /// as partial, so a key it does not hold (the slot answers for one of them at a time)
    /// is looked up in SQLite instead of being taken as new.
    mutating func noteCollision() { isPartial = true }

    /// Forgets the undo log: the batch committed.
    mutating func commit() { undoLog.removeAll(keepingCapacity: true) }

    /// Restores the entries the batch changed: its transaction rolled back.
    mutating func rollback() {
        for (key, previous) in undoLog.reversed() { put(previous, for: key) }
        undoLog.removeAll(keepingCapacity: true)
    }
}
