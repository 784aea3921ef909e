import XCTest
@testable import AvesaHost

final class CurrentRowIndexTests: XCTestCase {
    private func key(_ n: Int) -> RowHash { RowHash.ofKey([.integer(Int64(n))]) }

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

    func testReservesExactlyWhatTheKeysNeedAndGrowsByHalf() {
        var index = CurrentRowIndex()
        index.reserve(3_000)
        XCTAssertEqual(index.capacity, 4_001, "3/4 full at most, not rounded up to a power of two")
        for n in 0..<3_000 { index.set(.current(key(n)), for: key(n)) }
        index.commit()
        XCTAssertEqual(index.capacity, 4_001, "no growth within the reservation")
        index.set(.current(key(3_000)), for: key(3_000))
        index.set(.current(key(3_001)), for: key(3_001))
        XCTAssertEqual(index.capacity, 6_001, "grows by half")
        for n in 0...3_001 { XCTAssertEqual(index.entry(for: key(n)), .current(key(n))) }
    }

    func testRemovalKeepsProbeChainsAcrossTheWrapAround() {
        // A small table of an odd size, nearly full: long chains that wrap past the end.
        var index = CurrentRowIndex()
        index.reserve(30)
        let capacity = index.capacity
        for n in 0..<20 { index.set(.current(key(n)), for: key(n)) }
        index.commit()
        for n in 20..<30 { index.set(.current(key(n)), for: key(n)) }
        XCTAssertEqual(index.capacity, capacity)
        index.rollback()  // removes keys 20..<30 from the middle of the chains
        XCTAssertEqual(index.count, 20)
        for n in 0..<20 { XCTAssertEqual(index.entry(for: key(n)), .current(key(n)), "\(n)") }
        for n in 20..<30 { XCTAssertNil(index.entry(for: key(n)), "\(n)") }
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
}
