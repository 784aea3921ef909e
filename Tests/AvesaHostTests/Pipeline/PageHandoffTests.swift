@testable import AvesaHost
import XCTest

/// The bounded hand-off between a chunk's fetch side and its commit side.
final class PageHandoffTests: XCTestCase {
    private struct Failure: Error, Equatable {}

    func testDeliversEveryElementInOrderAndBatchesWhatIsWaiting() async throws {
        let handoff = PageHandoff<Int>(capacity: 3)
        for value in 1...3 { _ = await handoff.put(value) }
        let first = try await handoff.take(limit: 2)
        XCTAssertEqual(first, [1, 2], "at most `limit`, oldest first")
        _ = await handoff.put(4)
        await handoff.finish()
        let second = try await handoff.take(limit: 10)
        XCTAssertEqual(second, [3, 4])
        let end = try await handoff.take(limit: 10)
        XCTAssertEqual(end, [], "empty once finished and drained")
    }

    func testAProducerWaitsWhileTheHandoffIsFull() async throws {
        let handoff = PageHandoff<Int>(capacity: 2)
        let producer = Task {
            for value in 1...6 { _ = await handoff.put(value) }
            await handoff.finish()
        }
        var received: [Int] = []
        while true {
            // Give the producer time to run ahead: it must stop at the capacity.
            try await Task.sleep(nanoseconds: 20_000_000)
            let taken = try await handoff.take(limit: 10)
            if taken.isEmpty { break }
            XCTAssertLessThanOrEqual(taken.count, 2, "never more than the capacity waiting")
            received += taken
        }
        await producer.value
        XCTAssertEqual(received, [1, 2, 3, 4, 5, 6])
    }

    func testAFailureArrivesOnlyAfterEverythingPutBeforeIt() async throws {
        let handoff = PageHandoff<Int>(capacity: 4)
        _ = await handoff.put(1)
        _ = await handoff.put(2)
        await handoff.finish(throwing: Failure())
        let taken = try await handoff.take(limit: 1)
        XCTAssertEqual(taken, [1])
        let more = try await handoff.take(limit: 1)
        XCTAssertEqual(more, [2])
        do {
            _ = try await handoff.take(limit: 1)
            XCTFail("the producer's failure must reach the consumer")
        } catch {
            XCTAssertTrue(error is Failure, "\(error)")
        }
    }

    func testClosingReleasesAWaitingProducer() async throws {
        let handoff = PageHandoff<Int>(capacity: 1)
        _ = await handoff.put(1)
        let blocked = Task { await handoff.put(2) }
        try await Task.sleep(nanoseconds: 20_000_000)
        await handoff.close()
        let accepted = await blocked.value
        XCTAssertFalse(accepted, "a put after the consumer closed is refused")
        let wantsMore = await handoff.wantsMore
        XCTAssertFalse(wantsMore)
    }

    func testClosingReleasesAWaitingConsumer() async throws {
        let handoff = PageHandoff<Int>(capacity: 2)
        let waiting = Task { try await handoff.take(limit: 5) }
        try await Task.sleep(nanoseconds: 20_000_000)
        await handoff.close()
        let taken = try await waiting.value
        XCTAssertEqual(taken, [], "a take waiting on a closed hand-off gets nothing")
        let accepted = await handoff.put(1)
        XCTAssertFalse(accepted)
    }

    func testStoppingProductionKeepsWhatWasAlreadyProduced() async throws {
        let handoff = PageHandoff<Int>(capacity: 4)
        _ = await handoff.put(1)
        await handoff.stopProducing()
        let wantsMore = await handoff.wantsMore
        XCTAssertFalse(wantsMore, "the producer is asked to stop")
        let accepted = await handoff.put(2)
        XCTAssertTrue(accepted, "the element in production still counts")
        await handoff.finish()
        let taken = try await handoff.take(limit: 10)
        XCTAssertEqual(taken, [1, 2])
    }
}
