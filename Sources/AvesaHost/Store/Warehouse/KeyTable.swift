/// One shard of `CurrentRowIndex`: a flat open-addressing table from key fingerprints to
/// the row-hash summaries of current rows (linear probing, 16 bytes a slot, at most 4/5
/// full, no per-key allocation, no rehashing through `Hasher` since fingerprints are
/// already uniformly mixed).
///
/// A slot holds the fingerprint's `low` word; the shard itself is chosen by the top byte of
/// `high`, so a key is told apart by 72 of its 128 bits. The value is
/// `CurrentRowIndex.summary(of:)` of the row hash, which is never zero, so a zero value
/// marks an empty slot.
///
/// Its size is any number of slots, not a power of two (a key's home slot is
/// `fingerprint.low × size >> 64`), so it can be sized to the keys expected and grow by a
/// quarter, not by doubling: it stays 64–80% full, ~22 bytes a key on average (a
/// power-of-two table at most 3/4 full averages ~28). It starts with no slots at all, so
/// an unused shard costs nothing. It never grows by itself: its owner (`CurrentRowIndex`)
/// decides, against a `KeyIndexBudget`.
struct KeyTable {
    /// One slot; empty when `summary == 0`.
    private struct Slot {
        var key: UInt64 = 0
        var summary: UInt64 = 0
    }

    private var slots: [Slot] = []
    /// Keys held.
    private(set) var count = 0
    /// Slots allocated (16 bytes each).
    var capacity: Int { slots.count }

    /// The home slot of a key word: uniform over `slots`.
    @inline(__always)
    private func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: key.multipliedFullWidth(by: UInt64(slots.count)).high) }

    /// The slot after `i`, wrapping around.
    @inline(__always)
    private func next(_ i: Int) -> Int { i + 1 == slots.count ? 0 : i + 1 }

    /// The slot holding `key`, or the empty slot where it would go (there is one: the table
    /// is never full).
    @inline(__always)
    private func probe(_ key: UInt64) -> (index: Int, found: Bool) {
        var i = home(key)
        while true {
            let slot = slots[i]
            if slot.summary == 0 { return (i, false) }
            if slot.key == key { return (i, true) }
            i = next(i)
        }
    }

    /// The slots that hold `keys` keys without further growth.
    static func size(for keys: Int) -> Int { keys * 5 / 4 + 1 }

    /// Whether one more key needs a bigger table (`grow(to: grownSize)`) first.
    var isFull: Bool { (count + 1) * 5 > slots.count * 4 }

    /// The size the table grows to when full: a quarter more.
    var grownSize: Int { max(8, slots.count + slots.count / 4) }

    /// Moves every key into a table of `size` slots (no smaller than now). The owner takes
    /// the slots from its budget first.
    mutating func grow(to size: Int) {
        guard size > slots.count else { return }
        let old = slots
        slots = Array(repeating: Slot(), count: size)
        for slot in old where slot.summary != 0 {
            var i = home(slot.key)
            while slots[i].summary != 0 { i = next(i) }
            slots[i] = slot
        }
    }

    /// The summary stored for a key fingerprint, or nil.
    @inline(__always)
    func summary(for key: RowHash) -> UInt64? {
        if slots.isEmpty { return nil }
        let (i, found) = probe(key.low)
        return found ? slots[i].summary : nil
    }

    /// Sets a key's summary (never zero). A new key needs room: `isFull` false.
    /// - Returns: the summary it replaced, if the key was present.
    @inline(__always)
    mutating func store(_ summary: UInt64, for key: RowHash) -> UInt64? {
        precondition(summary != 0, "a zero summary marks an empty slot")
        if slots.isEmpty { preconditionFailure("store into a table with no slots: grow it first") }
        let (i, found) = probe(key.low)
        precondition(found || (count + 1) * 5 <= slots.count * 4, "a new key in a full table: grow it first")
        if found {
            let previous = slots[i].summary
            slots[i].summary = summary
            return previous
        }
        slots[i] = Slot(key: key.low, summary: summary)
        count += 1
        return nil
    }

    /// Removes `key` (backward-shift deletion keeps probe chains intact); with
    /// `onlyIfSummary`, only when its slot holds that summary.
    mutating func remove(_ key: RowHash, onlyIfSummary expected: UInt64? = nil) {
        if slots.isEmpty { return }
        var (i, found) = probe(key.low)
        guard found, expected == nil || slots[i].summary == expected else { return }
        var j = i
        while true {
            slots[i] = Slot()
            while true {
                j = next(j)
                if slots[j].summary == 0 {
                    count -= 1
                    return
                }
                let k = home(slots[j].key)
                // Move slot j back to i unless its home lies cyclically in (i, j].
                let staysPut = i <= j ? (i < k && k <= j) : (i < k || k <= j)
                if !staysPut { break }
            }
            slots[i] = slots[j]
            i = j
        }
    }
}
