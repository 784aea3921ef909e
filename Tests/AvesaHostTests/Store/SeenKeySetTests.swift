@testable import AvesaHost
import XCTest

/// The keys a full sync saw: duplicates collapse, membership is exact, and unions add up.
final class SeenKeySetTests: XCTestCase {
    private func key(_ n: Int) -> RowHash { RowHash.ofKey([.string("connectwise:\(n)")]) }

    func testHoldsEachKeyOnceAndFindsExactlyThoseKeys() {
        var seen = SeenKeySet()
        for n in 0..<5_000 { seen.insert(key(n)) }
        for n in 0..<1_000 { seen.insert(key(n)) }  // a record fetched twice
        XCTAssertFalse(seen.isSealed)
        seen.seal()
        XCTAssertEqual(seen.count, 5_000)
        for n in 0..<5_000 { XCTAssertTrue(seen.contains(key(n)), "\(n)") }
        for n in 5_000..<6_000 { XCTAssertFalse(seen.contains(key(n)), "\(n)") }
        var visited = 0
        seen.forEach { _ in visited += 1 }
        XCTAssertEqual(visited, 5_000)
    }

    func testAUnionOfChunksIsTheUnionOfTheirKeys() {
        var first = SeenKeySet(), second = SeenKeySet()
        for n in 0..<300 { first.insert(key(n)) }
        for n in 200..<500 { second.insert(key(n)) }
        first.formUnion(second)
        first.seal()
        XCTAssertEqual(first.count, 500)
        XCTAssertTrue(first.contains(key(250)))
        XCTAssertEqual(SeenKeySet((0..<500).map(key)), first)
    }

    func testAnEmptySetIsSealedAndContainsNothing() {
        let empty = SeenKeySet()
        XCTAssertTrue(empty.isSealed)
        XCTAssertEqual(empty.count, 0)
        XCTAssertFalse(empty.contains(key(1)))
    }
}
