@testable import AvesaHost
import Foundation
import XCTest

/// Retry decisions, backoff bounds and Retry-After parsing.
final class RetryTests: XCTestCase {
    private let policy = RetryPolicy(maxAttempts: 4, baseDelay: 0.5, maxDelay: 8)

    func testClassifiesStatuses() {
        XCTAssertEqual(policy.decide(status: 200, throttleStatuses: [429], retryAfter: nil), .accept)
        XCTAssertEqual(policy.decide(status: 429, throttleStatuses: [], retryAfter: 2), .throttled(retryAfter: 2))
        XCTAssertEqual(policy.decide(status: 503, throttleStatuses: [429, 503], retryAfter: nil), .throttled(retryAfter: nil))
        XCTAssertEqual(policy.decide(status: 503, throttleStatuses: [429], retryAfter: nil), .retry)
        XCTAssertEqual(policy.decide(status: 408, throttleStatuses: [], retryAfter: nil), .retry)
        XCTAssertEqual(policy.decide(status: 404, throttleStatuses: [], retryAfter: nil), .fail)
        XCTAssertEqual(policy.decide(status: 400, throttleStatuses: [], retryAfter: nil), .fail)
    }

    func testBackoffIsExponentialCappedAndFullyJittered() {
        XCTAssertEqual(policy.backoff(afterAttempt: 1) { $0 }, 0.5)
        XCTAssertEqual(policy.backoff(afterAttempt: 3) { $0 }, 2)
        XCTAssertEqual(policy.backoff(afterAttempt: 10) { $0 }, 8)
        XCTAssertEqual(policy.backoff(afterAttempt: 3) { _ in 0 }, 0)
        for _ in 0..<100 { XCTAssertLessThanOrEqual(policy.backoff(afterAttempt: 5), 8) }
    }

    func testRetryAfterReadsSecondsFractionsAndHTTPDates() {
        XCTAssertEqual(RetryAfter.seconds(from: "2"), 2)
        XCTAssertEqual(RetryAfter.seconds(from: "2.128"), 2.128)
        XCTAssertNil(RetryAfter.seconds(from: "0"))
        XCTAssertNil(RetryAfter.seconds(from: nil))
        XCTAssertNil(RetryAfter.seconds(from: "soon"))
        let now = Date(timeIntervalSince1970: 1_445_412_470)  // Wed, 21 Oct 2015 07:27:50 GMT
        XCTAssertEqual(RetryAfter.seconds(from: "Wed, 21 Oct 2015 07:28:00 GMT", now: now) ?? -1, 10, accuracy: 0.001)
    }

    func testTheRunBudgetRunsOut() {
        let budget = RetryBudget(retries: 2)
        XCTAssertTrue(budget.take())
        XCTAssertTrue(budget.take())
        XCTAssertFalse(budget.take())
        XCTAssertEqual(budget.left, 0)
    }
}
