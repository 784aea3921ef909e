@testable import AvesaHost
import Foundation
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

    func testASpilledSetReadsBackTheSameKeysInGroupsWithinItsLimit() throws {
        let scratch = TestPaths.makeTemporaryDirectory("seen-spill")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var spilled = SeenKeySet(memoryLimit: 700)
        for n in 0..<5_000 {
            spilled.insert(key(n))
            if n % 7 == 0 { spilled.insert(key(n / 2)) }  // records fetched twice, across spills
            if spilled.needsSpill { try spilled.spill(into: scratch) }
        }
        XCTAssertTrue(spilled.isSpilled)
        XCTAssertLessThan(spilled.inMemoryCount, 700)
        var other = SeenKeySet(memoryLimit: 700)  // a second chunk of the same table
        for n in 4_000..<6_000 { other.insert(key(n)) }
        try other.spill(into: scratch)
        spilled.formUnion(other)
        spilled.seal()
        let groups = spilled.shardGroups()
        XCTAssertGreaterThan(groups.count, 5, "6,000 keys at most ~700 a group")
        XCTAssertEqual(groups.first?.lowerBound, 0)
        XCTAssertEqual(groups.last?.upperBound, 255)
        for (earlier, later) in zip(groups, groups.dropFirst()) { XCTAssertEqual(earlier.upperBound + 1, later.lowerBound) }
        var found = 0
        for shards in groups {
            let part = try spilled.group(shards)
            XCTAssertLessThanOrEqual(part.count, 700 + 200, "about one limit per group (whole shards)")
            found += part.count
            for n in 0..<6_000 where shards.contains(SeenKeySet.shard(of: key(n))) {
                XCTAssertTrue(part.contains(key(n)), "\(n)")
            }
            XCTAssertFalse(part.contains(key(7_000)) && shards.contains(SeenKeySet.shard(of: key(7_000))))
        }
        XCTAssertEqual(found, 6_000, "each key once, in exactly one group")
    }

    func testASetThatNeverSpilledIsOneGroupOfItself() throws {
        var seen = SeenKeySet(memoryLimit: 100)
        for n in 0..<50 { seen.insert(key(n)) }
        XCTAssertFalse(seen.needsSpill)
        XCTAssertEqual(seen.shardGroups(), [0...255])
        XCTAssertEqual(try seen.group(0...255).count, 50)
    }

    func testSpillFailuresNameTheFileAndLoseNoKeysSilently() throws {
        var seen = SeenKeySet(memoryLimit: 10)
        for n in 0..<20 { seen.insert(key(n)) }
        XCTAssertThrowsError(try seen.spill(into: "/proc/avesa-no-such-folder")) { error in
            XCTAssertTrue("\(error)".contains("/proc/avesa-no-such-folder"), "\(error)")
        }
        XCTAssertEqual(seen.inMemoryCount, 20, "a failed spill keeps the keys in memory")
        let scratch = TestPaths.makeTemporaryDirectory("seen-truncated")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try seen.spill(into: scratch)
        // A spill file cut short (disk trouble, someone else's cleanup) is an error, not fewer keys.
        let folder = try FileManager.default.contentsOfDirectory(atPath: scratch)[0]
        let shardFile = try FileManager.default.contentsOfDirectory(atPath: scratch + "/" + folder)[0]
        XCTAssertEqual(truncate(scratch + "/" + folder + "/" + shardFile, 8), 0)
        seen.seal()
        XCTAssertThrowsError(try seen.shardGroups().map { try seen.group($0) }) { error in
            XCTAssertTrue("\(error)".contains("seen-key spill read failed for"), "\(error)")
        }
    }
}
