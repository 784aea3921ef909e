import XCTest
@testable import AvesaHost

/// WAL checkpoints run on their own thread, and the WAL stays bounded either way.
final class BackgroundCheckpointerTests: XCTestCase {
    private func walSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
    }

    func testTheCheckpointThreadCopiesTheWALBackSoItStartsOverInsteadOfGrowing() throws {
        let path = try makeWarehousePath(self)
        var options = TenantWarehouse.defaultOptions
        options.walAutocheckpointPages = 40
        let warehouse = try TenantWarehouse(path: path, tables: [itemsTable], options: options, keyIndexBudget: .unlimited)
        let checkpointer = try XCTUnwrap(warehouse.checkpointer)
        var largest = 0
        for batch in 0..<60 {
            let records = (0..<400).map { item("connectwise:\(batch * 400 + $0)", "open", at: 10) }
            try warehouse.merge(records, into: "items", runID: "r", loadTime: 1)
            largest = max(largest, walSize(path))
            usleep(2_000)  // room for the checkpoint thread between commits, as fetching gives it
        }
        checkpointer.stop()
        XCTAssertGreaterThan(checkpointer.completed, 0, "the thread ran checkpoints")
        XCTAssertLessThan(largest, 400 * 4096 * 2, "the WAL started over instead of holding every page written")
        XCTAssertEqual(try integrityCheck(warehouse.database), "ok")
        let count = try warehouse.database.prepare("SELECT COUNT(*) FROM items")
        XCTAssertTrue(try count.step())
        XCTAssertEqual(count.int64(0), 24_000)
    }

    func testPastItsLimitTheWriterCheckpointsItselfAndBelowItsStartNothingRuns() {
        let checkpointer = BackgroundCheckpointer(path: "/nonexistent/warehouse.sqlite", startPages: 100, limitPages: 1_000)
        XCTAssertFalse(checkpointer.walGrew(to: 99))
        XCTAssertTrue(checkpointer.walGrew(to: 1_000), "the writer must checkpoint")
        checkpointer.stop()
        XCTAssertEqual(checkpointer.completed, 0, "no thread was started below the start size")
    }

    func testAFailedCheckpointIsNotFatalAndTheThreadStops() {
        // The file cannot be opened: the checkpoint fails quietly; the writer's own
        // checkpoint at the limit still bounds the WAL.
        let checkpointer = BackgroundCheckpointer(path: "/nonexistent/dir/warehouse.sqlite", startPages: 1, limitPages: 10)
        XCTAssertFalse(checkpointer.walGrew(to: 5))
        checkpointer.stop()
        XCTAssertEqual(checkpointer.completed, 0)
    }
}
