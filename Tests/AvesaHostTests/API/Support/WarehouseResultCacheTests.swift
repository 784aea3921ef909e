@testable import AvesaHost
import Foundation
import XCTest

/// The per-snapshot result cache: hits, single flight, snapshot turnover, capacity, errors.
final class WarehouseResultCacheTests: XCTestCase {
    private func key(_ query: String, version: Int64, path: String = "/w/a", inode: UInt8 = 1) -> WarehouseResultCache.Key {
        WarehouseResultCache.Key(snapshot: WarehouseSnapshot(path: path, fileID: [UInt8](repeating: inode, count: 16), version: version),
                                 query: query)
    }

    func testSameSnapshotIsComputedOnceAndANewVersionRecomputes() throws {
        let cache = WarehouseResultCache()
        var computed = 0
        for _ in 0..<3 { XCTAssertEqual(try cache.value(for: key("q", version: 1)) { computed += 1; return 1 }, 1) }
        XCTAssertEqual(computed, 1)
        XCTAssertEqual(try cache.value(for: key("q", version: 2)) { computed += 1; return 2 }, 2)
        XCTAssertEqual(computed, 2)
        XCTAssertEqual(cache.count, 1, "entries of the older snapshot are dropped when a newer one is stored")
    }

    func testAReplacedFileIsANewSnapshotEvenAtTheSameVersion() throws {
        let cache = WarehouseResultCache()
        XCTAssertEqual(try cache.value(for: key("q", version: 5, inode: 1)) { 1 }, 1)
        XCTAssertEqual(try cache.value(for: key("q", version: 5, inode: 2)) { 2 }, 2)
    }

    func testAResultComputedAtAnOlderVersionIsNotStoredOverANewerOne() throws {
        let cache = WarehouseResultCache()
        _ = try cache.value(for: key("a", version: 3)) { 3 }
        _ = try cache.value(for: key("b", version: 2)) { 2 }  // a slow request that began before the change
        XCTAssertEqual(try cache.value(for: key("a", version: 3)) { XCTFail("dropped"); return 0 }, 3)
        var recomputed = false
        _ = try cache.value(for: key("b", version: 2)) { recomputed = true; return 2 }
        XCTAssertTrue(recomputed)
    }

    func testErrorsAreNotCached() throws {
        struct Boom: Error {}
        let cache = WarehouseResultCache()
        XCTAssertThrowsError(try cache.value(for: key("q", version: 1)) { throw Boom() })
        XCTAssertEqual(try cache.value(for: key("q", version: 1)) { 7 }, 7)
    }

    func testCapacityEvictsTheLeastRecentlyUsed() throws {
        let cache = WarehouseResultCache(capacity: 2)
        _ = try cache.value(for: key("a", version: 1)) { 1 }
        _ = try cache.value(for: key("b", version: 1)) { 2 }
        _ = try cache.value(for: key("a", version: 1)) { 0 }  // touch a
        _ = try cache.value(for: key("c", version: 1)) { 3 }  // evicts b
        XCTAssertEqual(cache.count, 2)
        XCTAssertEqual(try cache.value(for: key("a", version: 1)) { 0 }, 1)
        XCTAssertEqual(try cache.value(for: key("b", version: 1)) { 9 }, 9)
    }

    func testBodiesAreStoredEncodedWithinTheByteBudget() throws {
        let cache = WarehouseResultCache(capacity: 100, maxBytes: 8 * 1024)
        let big = JSONValue.string(String(repeating: "x", count: 900))
        XCTAssertEqual(try cache.body(for: key("a", version: 1)) { big }, big.jsonBytes())
        XCTAssertEqual(try cache.body(for: key("a", version: 1)) { XCTFail("cached"); return .null }, big.jsonBytes())
        for n in 0..<20 { _ = try cache.body(for: key("p\(n)", version: 1)) { big } }
        XCTAssertLessThanOrEqual(cache.heldBytes, 8 * 1024)
        XCTAssertLessThan(cache.count, 20, "least recently used bodies were evicted to stay within the budget")
        let huge = JSONValue.string(String(repeating: "y", count: 4096))
        _ = try cache.body(for: key("huge", version: 1)) { huge }
        var recomputed = false
        _ = try cache.body(for: key("huge", version: 1)) { recomputed = true; return huge }
        XCTAssertTrue(recomputed, "a result over an eighth of the budget is not kept")
    }

    func testConcurrentMissesComputeOnce() throws {
        let cache = WarehouseResultCache()
        let computations = LockedCounter()
        let slow = key("slow", version: 1)
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            let value = try? cache.value(for: slow) {
                computations.increment()
                Thread.sleep(forTimeInterval: 0.2)
                return 42
            }
            XCTAssertEqual(value, 42)
        }
        XCTAssertEqual(computations.value, 1)
        XCTAssertEqual(cache.hits + cache.misses, 16)
    }

    func testConcurrentMissesShareAResultTooLargeToKeep() throws {
        for (maxBytes, expected) in [(1_000, 1), (0, 8)] {
            let cache = WarehouseResultCache(maxBytes: maxBytes)
            let computations = LockedCounter()
            let big = key("big", version: 1)
            let text = JSONValue.string(String(repeating: "z", count: 500))
            // Eight threads at once (concurrentPerform would run only as many as there are cores).
            let done = DispatchGroup()
            for _ in 0..<8 {
                done.enter()
                Thread.detachNewThread {
                    let body = try? cache.body(for: big) {
                        computations.increment()
                        // Keep the flight open until the seven others joined it (a slow machine
                        // may start threads late); with the cache off there is nothing to join.
                        let deadline = Date().addingTimeInterval(10)
                        while maxBytes > 0, cache.hits < 7, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
                        return text
                    }
                    XCTAssertEqual(body, text.jsonBytes())
                    done.leave()
                }
            }
            done.wait()
            XCTAssertEqual(computations.value, expected, "maxBytes \(maxBytes): over an eighth of the budget, shared but not kept; 0: off")
            XCTAssertEqual(cache.count, 0)
        }
    }
}
