@testable import AvesaHost
import Foundation
import XCTest

/// The dedicated thread behind warehouses, raw-zone writes, the control store and
/// checkpoints.
final class BlockingWorkerTests: XCTestCase {
    func testJobsRunInOrderOnTheWorkerThread() async throws {
        let worker = BlockingWorker(name: "avesa-test-order")
        defer { worker.stop() }
        let order = LockedValues()
        for n in 0..<20 { worker.post { order.append(n) } }
        let last = try await worker.run { order.values }
        XCTAssertEqual(last, Array(0..<20))
    }

    func testTheThreadKeepsItsWorkerAliveUntilItEndsEvenWhenTheLastOwnerLetGo() {
        let gate = DispatchSemaphore(value: 0), ran = DispatchSemaphore(value: 0)
        var worker: BlockingWorker? = BlockingWorker(name: "avesa-test-lifetime")
        weak let released = worker
        worker?.post {
            gate.wait()
            ran.signal()
        }
        worker?.stop()
        worker = nil
        XCTAssertNotNil(released, "the thread, still in its job, holds the worker")
        gate.signal()
        ran.wait()
        let deadline = Date().addingTimeInterval(5)
        while released != nil && Date() < deadline { usleep(1_000) }
        XCTAssertNil(released, "released once the thread ended")
    }
}

/// Integers appended from the worker thread, read from the test.
private final class LockedValues: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Int] = []
    func append(_ value: Int) { lock.withLock { stored.append(value) } }
    var values: [Int] { lock.withLock { stored } }
}
