@testable import AvesaHost
import Foundation
import XCTest

/// The per-snapshot result cache: hits, single flight, snapshot turnover, capacity, errors.
final class WarehouseResultCacheTests: XCTestCase {
    private func key(_ query: String, version: Int64, path: String = "/w/a", inode: UInt64 = 1) -> WarehouseResultCache.Key {
        WarehouseResultCache.Key(snapshot: WarehouseSnapshot(path: path, file: WarehouseFileIdentity(device: 1, inode: inode), version: version),
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
}
