/// The in-memory index of each key's SCD2 state, so the mostly-unchanged pass never asks
/// SQLite: key fingerprint → current row hash, or the time the key was deleted.
///
/// Keys are held as 128-bit fingerprints of their canonical length-prefixed encoding
/// (`RowHash.ofKey`) in one flat open-addressing table (linear probing, 32 bytes a slot,
/// at most 3/4 full, no per-key allocation, no rehashing through `Hasher` since the
/// fingerprint is already uniformly mixed). The table's size is any number of slots, not
/// a power of two (a key's home slot is `fingerprint × size >> 64`), so `reserve` sizes it
/// to the keys expected and growth is by half: 3.2M keys take 4.3M slots (136 MB), where
/// a power-of-two table would jump to 8.4M (268 MB). Two distinct keys share a fingerprint with
/// probability ~n²/2¹²⁹ (≈10⁻²⁶ for 10⁶ keys). Every write still finds its row in SQLite by
/// the key columns compared one by one, so a collision could only make one record look
/// unchanged or deleted; it cannot attach a row to another key.
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

    /// One slot; empty when `keyHigh == 0` (fingerprints never have `high == 0`).
    private struct Slot {
        var keyHigh: UInt64 = 0
        var keyLow: UInt64 = 0
        var entry = Entry(high: 0, low: 0)
    }

    private var slots: [Slot] = Array(repeating: Slot(), count: 16)
    private(set) var count = 0
    /// Slots allocated (32 bytes each).
    var capacity: Int { slots.count }
    private var undoLog: [(key: RowHash, previous: Entry?)] = []

    @inline(__always)
    private func home(_ key: RowHash) -> Int { home(low: key.low) }

    /// The home slot of a fingerprint whose low word is `low`: uniform over `slots`.
    @inline(__always)
    private func home(low: UInt64) -> Int { Int(truncatingIfNeeded: low.multipliedFullWidth(by: UInt64(slots.count)).high) }

    /// The slot after `i`, wrapping around.
    @inline(__always)
    private func next(_ i: Int) -> Int { i + 1 == slots.count ? 0 : i + 1 }

    /// The slot holding `key`, or the empty slot where it would go.
    @inline(__always)
    private func probe(_ key: RowHash) -> (index: Int, found: Bool) {
        var i = home(key)
        while true {
            let slot = slots[i]
            if slot.keyHigh == 0 { return (i, false) }
            if slot.keyHigh == key.high && slot.keyLow == key.low { return (i, true) }
            i = next(i)
        }
    }

    /// Makes room for `capacity` keys without further growth.
    mutating func reserve(_ capacity: Int) {
        let size = capacity * 4 / 3 + 1
        if size > slots.count { rehash(to: size) }
    }

    private mutating func rehash(to size: Int) {
        let old = slots
        slots = Array(repeating: Slot(), count: size)
        for slot in old where slot.keyHigh != 0 {
            var i = home(low: slot.keyLow)
            while slots[i].keyHigh != 0 { i = next(i) }
            slots[i] = slot
        }
    }

    /// The entry for a key fingerprint.
    @inline(__always)
    func entry(for key: RowHash) -> Entry? {
        let (i, found) = probe(key)
        return found ? slots[i].entry : nil
    }

    @inline(__always)
    private mutating func store(_ entry: Entry, for key: RowHash) -> Entry? {
        var (i, found) = probe(key)
        if found {
            let previous = slots[i].entry
            slots[i].entry = entry
            return previous
        }
        if (count + 1) * 4 > slots.count * 3 {
            rehash(to: slots.count + slots.count / 2)
            i = probe(key).index
        }
        slots[i] = Slot(keyHigh: key.high, keyLow: key.low, entry: entry)
        count += 1
        return nil
    }

    /// Removes `key` (backward-shift deletion keeps probe chains intact).
    private mutating func remove(_ key: RowHash) {
        var (i, found) = probe(key)
        guard found else { return }
        var j = i
        while true {
            slots[i] = Slot()
            while true {
                j = next(j)
                if slots[j].keyHigh == 0 {
                    count -= 1
                    return
                }
                let k = home(low: slots[j].keyLow)
                // Move slot j back to i unless its home lies cyclically in (i, j].
                let staysPut = i <= j ? (i < k && k <= j) : (i < k || k <= j)
                if !staysPut { break }
            }
            slots[i] = slots[j]
            i = j
        }
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
