import XCTest
@testable import AvesaHost

final class CurrentRowIndexTests: XCTestCase {
    private func key(_ n: Int) -> RowHash { RowHash.ofKey([.integer(Int64(n))]) }
    private func summary(_ n: Int) -> UInt64 { CurrentRowIndex.summary(of: key(n)) }

    func testGrowsAndFindsEveryKey() {
        var index = CurrentRowIndex()
        for n in 0..<10_000 { index.set(.current(key(n + 1_000_000)), for: key(n)) }
        index.commit()
        XCTAssertEqual(index.count, 10_000)
        for n in 0..<10_000 { XCTAssertEqual(index.entry(for: key(n)), .current(key(n + 1_000_000))) }
        XCTAssertNil(index.entry(for: key(10_001)))
    }

    func testRollbackRestoresPreviousEntriesAndRemovesNewKeys() {
        var index = CurrentRowIndex()
        for n in 0..<100 { index.set(.current(key(n + 500)), for: key(n)) }
        index.commit()
        for n in 50..<3_000 { index.set(.deleted(at: Int64(n)), for: key(n)) }
        index.rollback()
        XCTAssertEqual(index.count, 100)
        for n in 0..<100 { XCTAssertEqual(index.entry(for: key(n)), .current(key(n + 500)), "\(n)") }
        for n in 100..<3_000 { XCTAssertNil(index.entry(for: key(n))) }
    }

    func testAShardIsSizedExactlyForItsKeysAndGrowsByAQuarter() {
        var table = KeyTable()
        XCTAssertEqual(table.capacity, 0, "an unused shard allocates nothing")
        XCTAssertNil(table.summary(for: key(1)))
        XCTAssertTrue(table.isFull)
        table.grow(to: KeyTable.size(for: 3_000))
        XCTAssertEqual(table.capacity, 3_751, "4/5 full at most, not rounded up to a power of two")
        for n in 0..<3_000 { XCTAssertNil(table.store(summary(n), for: key(n))) }
        XCTAssertTrue(table.isFull, "exactly the keys it was sized for")
        XCTAssertEqual(table.grownSize, 4_688, "grows by a quarter")
        table.grow(to: table.grownSize)
        XCTAssertNil(table.store(summary(3_000), for: key(3_000)))
        XCTAssertNil(table.store(summary(3_001), for: key(3_001)))
        XCTAssertEqual(table.count, 3_002)
        for n in 0...3_001 { XCTAssertEqual(table.summary(for: key(n)), summary(n)) }
    }

    func testAShardKeepsProbeChainsAcrossTheWrapAroundWhenKeysAreRemoved() {
        // A small shard of an odd size, nearly full: long chains that wrap past the end.
        var table = KeyTable()
        table.grow(to: KeyTable.size(for: 30))
        let capacity = table.capacity
        for n in 0..<30 { _ = table.store(summary(n), for: key(n)) }
        XCTAssertEqual(table.capacity, capacity)
        for n in stride(from: 1, to: 30, by: 2) { table.remove(key(n)) }
        XCTAssertEqual(table.count, 15)
        for n in 0..<30 {
            XCTAssertEqual(table.summary(for: key(n)), n % 2 == 0 ? summary(n) : nil, "\(n)")
        }
    }

    func testReservingSizesEveryShardSoTheLoadDoesNotGrow() {
        var index = CurrentRowIndex()
        index.reserve(100_000)
        let reserved = index.capacity
        XCTAssertLessThan(reserved * 16, 100_000 * 28, "at most ~28 bytes a key at this size (~21 at millions)")
        for n in 0..<100_000 { index.load(.current(key(n)), for: key(n)) }
        XCTAssertEqual(index.capacity, reserved, "no shard had to grow")
        XCTAssertEqual(index.count, 100_000)
        index.set(.deleted(at: 5), for: key(7))
        index.set(.current(key(1)), for: key(100_001))
        index.rollback()
        XCTAssertEqual(index.count, 100_000)
        XCTAssertEqual(index.entry(for: key(7)), .current(key(7)))
        XCTAssertNil(index.entry(for: key(100_001)))
    }

    func testASmallOrEmptyTableReservesNothing() {
        var index = CurrentRowIndex()
        index.reserve(0)
        index.reserve(1_000)
        XCTAssertEqual(index.capacity, 0, "no slots until keys arrive")
        index.set(.current(key(1)), for: key(1))
        XCTAssertEqual(index.capacity, 8, "one shard, grown for its first key")
    }

    func testLoadPrefersCurrentRowsThenTheLatestDeletion() {
        var index = CurrentRowIndex()
        index.load(.deleted(at: 5), for: key(1))
        index.load(.deleted(at: 9), for: key(1))
        index.load(.deleted(at: 7), for: key(1))
        XCTAssertEqual(index.entry(for: key(1)), .deleted(at: 9))
        index.load(.current(key(2)), for: key(1))
        index.load(.deleted(at: 99), for: key(1))
        XCTAssertEqual(index.entry(for: key(1)), .current(key(2)))
    }

    func testDeletedKeysAreKeptByTheirWholeFingerprint() {
        // Two keys alike in the 72 bits a shard slot keeps (top byte and low word).
        let a = RowHash(high: 0xAB00_0000_0000_0001, low: 42)
        let b = RowHash(high: 0xAB00_0000_0000_0002, low: 42)
        var index = CurrentRowIndex()
        index.set(.deleted(at: 100), for: a)
        index.commit()
        XCTAssertEqual(index.entry(for: a), .deleted(at: 100))
        XCTAssertNil(index.entry(for: b), "a deletion never answers for another key")
        index.set(.current(key(3)), for: b)
        XCTAssertEqual(index.entry(for: b), .current(key(3)))
        XCTAssertEqual(index.entry(for: a), .current(key(3)), "a collision reads as the other key's row; the merge settles it in SQLite")
    }

    func testClosingAKeyKeepsASlotThatACollidingKeyTookOver() {
        let a = RowHash(high: 0xCD00_0000_0000_0001, low: 7)
        let b = RowHash(high: 0xCD00_0000_0000_0002, low: 7)
        var index = CurrentRowIndex()
        index.set(.current(key(1)), for: a)
        index.set(.current(key(2)), for: b)  // same slot: b's summary replaces a's
        index.set(.deleted(at: 50), for: a, closing: key(1))
        index.commit()
        XCTAssertEqual(index.entry(for: b), .current(key(2)), "b is still current")
        index.set(.deleted(at: 60), for: b, closing: key(2))
        XCTAssertEqual(index.entry(for: b), .deleted(at: 60))
        XCTAssertEqual(index.entry(for: a), .deleted(at: 50))
        index.rollback()
        XCTAssertEqual(index.entry(for: b), .current(key(2)))
    }

    func testRollbackUndoesMovesBetweenCurrentAndDeleted() {
        var index = CurrentRowIndex()
        index.set(.current(key(10)), for: key(1))
        index.set(.deleted(at: 5), for: key(2))
        index.commit()
        index.set(.deleted(at: 7), for: key(1))
        index.set(.current(key(20)), for: key(2))
        index.set(.deleted(at: 8), for: key(1))
        index.set(.current(key(30)), for: key(3))
        XCTAssertEqual(index.entry(for: key(1)), .deleted(at: 8))
        XCTAssertEqual(index.entry(for: key(2)), .current(key(20)))
        index.rollback()
        XCTAssertEqual(index.entry(for: key(1)), .current(key(10)))
        XCTAssertEqual(index.entry(for: key(2)), .deleted(at: 5))
        XCTAssertNil(index.entry(for: key(3)))
        XCTAssertEqual(index.count, 2)
    }

    func testAnEntryMatchesOnlyTheSummaryOfItsOwnHash() {
        let entry = CurrentRowIndex.Entry.current(key(1))
        XCTAssertTrue(entry.isCurrent(withHash: key(1)))
        XCTAssertFalse(entry.isCurrent(withHash: key(2)))
        XCTAssertFalse(CurrentRowIndex.Entry.deleted(at: 1).isCurrent(withHash: key(1)))
        XCTAssertNotEqual(CurrentRowIndex.summary(of: RowHash(high: 0, low: 0)), 0, "a summary is never the empty marker")
    }

    func testTheIndexGrowsOnlyWithSlotsFromItsBudgetAndThenSaysItIsPartial() {
        let budget = KeyIndexBudget(slots: 3_000)
        var index = CurrentRowIndex(budget: budget)
        for n in 0..<10_000 { index.set(.current(key(n)), for: key(n)) }
        index.commit()
        XCTAssertTrue(index.isPartial)
        XCTAssertLessThanOrEqual(index.capacity, 3_000)
        XCTAssertEqual(budget.slotsInUse, index.capacity, "every slot came from the budget")
        let held = (0..<10_000).filter { index.entry(for: key($0)) != nil }
        XCTAssertEqual(held.count, index.count)
        XCTAssertGreaterThan(held.count, 1_000, "it fills what the budget allows")
        for n in held { XCTAssertEqual(index.entry(for: key(n)), .current(key(n))) }
        // A held key still changes and is deleted in place; deletions need no slots.
        index.set(.current(key(-1)), for: key(held[0]))
        XCTAssertEqual(index.entry(for: key(held[0])), .current(key(-1)))
        let notHeld = (0..<10_000).first { index.entry(for: key($0)) == nil }!
        index.set(.deleted(at: 3), for: key(notHeld))
        XCTAssertEqual(index.entry(for: key(notHeld)), .deleted(at: 3))
    }

    func testReservingBeyondTheBudgetReservesNothing() {
        let budget = KeyIndexBudget(slots: 50_000)
        var index = CurrentRowIndex(budget: budget)
        index.reserve(100_000)
        XCTAssertEqual(index.capacity, 0)
        XCTAssertEqual(budget.slotsInUse, 0)
        XCTAssertFalse(index.isPartial, "nothing was refused yet")
    }

    func testTwoCurrentKeysUnderOneSlotAtLoadMakeTheIndexPartial() {
        let a = RowHash(high: 0xEF00_0000_0000_0001, low: 9)
        let b = RowHash(high: 0xEF00_0000_0000_0002, low: 9)
        var index = CurrentRowIndex()
        index.load(.deleted(at: 5), for: b)  // b's closed history, met before its current row
        index.load(.current(key(1)), for: a)
        XCTAssertFalse(index.isPartial)
        index.load(.current(key(2)), for: b)
        XCTAssertTrue(index.isPartial, "a collision seen: keys the index lacks go to SQLite")
        XCTAssertNotEqual(index.entry(for: b), .deleted(at: 5), "b is current, its old deletion must not speak for it")
        index.set(.deleted(at: 7), for: a, closing: key(1))
        XCTAssertNotEqual(index.entry(for: b), .deleted(at: 5))
    }
}
