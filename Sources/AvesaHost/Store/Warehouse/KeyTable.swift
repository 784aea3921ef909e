/// One shard of `CurrentRowIndex`: a flat open-addressing table from 128-bit key
/// fingerprints to entries (linear probing, 32 bytes a slot, at most 4/5 full, no per-key
/// allocation, no rehashing through `Hasher` since fingerprints are already uniformly
/// mixed).
///
/// Its size is any number of slots, not a power of two (a key's home slot is
/// `fingerprint.low × size >> 64`), so `reserve` sizes it to the keys expected and it grows
/// by a quarter, not by doubling: it stays 64–80% full, ~44 bytes a key on average (a
/// power-of-two table at most 3/4 full averages ~57). It starts with no slots at all, so
/// an unused shard costs nothing.
struct KeyTable {
    /// One slot; empty when `keyHigh == 0` (fingerprints never have `high == 0`).
    private struct Slot {
        var keyHigh: UInt64 = 0
        var keyLow: UInt64 = 0
        var entry = CurrentRowIndex.Entry(high: 0, low: 0)
    }

    private var slots: [Slot] = []
    /// Keys held.
    private(set) var count = 0
    /// Slots allocated (32 bytes each).
    var capacity: Int { slots.count }

    /// The home slot of a fingerprint whose low word is `low`: uniform over `slots`.
    @inline(__always)
    private func home(low: UInt64) -> Int { Int(truncatingIfNeeded: low.multipliedFullWidth(by: UInt64(slots.count)).high) }

    /// The slot after `i`, wrapping around.
    @inline(__always)
    private func next(_ i: Int) -> Int { i + 1 == slots.count ? 0 : i + 1 }

    /// The slot holding `key`, or the empty slot where it would go (there is one: the table
    /// is never full).
    @inline(__always)
    private func probe(_ key: RowHash) -> (index: Int, found: Bool) {
        var i = home(low: key.low)
        while true {
            let slot = slots[i]
            if slot.keyHigh == 0 { return (i, false) }
            if slot.keyHigh == key.high && slot.keyLow == key.low { return (i, true) }
            i = next(i)
        }
    }

    /// Makes room for `keys` keys without further growth.
    mutating func reserve(_ keys: Int) {
        let size = keys * 5 / 4 + 1
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
    func entry(for key: RowHash) -> CurrentRowIndex.Entry? {
        if slots.isEmpty { return nil }
        let (i, found) = probe(key)
        return found ? slots[i].entry : nil
    }

    /// Sets a key's entry.
    /// - Returns: the entry it replaced, if the key was present.
    @inline(__always)
    mutating func store(_ entry: CurrentRowIndex.Entry, for key: RowHash) -> CurrentRowIndex.Entry? {
        if (count + 1) * 5 > slots.count * 4 { rehash(to: max(8, slots.count + slots.count / 4)) }
        let (i, found) = probe(key)
        if found {
            let previous = slots[i].entry
            slots[i].entry = entry
            return previous
        }
        slots[i] = Slot(keyHigh: key.high, keyLow: key.low, entry: entry)
        count += 1
        return nil
    }

    /// Removes `key` (backward-shift deletion keeps probe chains intact).
    mutating func remove(_ key: RowHash) {
        if slots.isEmpty { return }
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
}
