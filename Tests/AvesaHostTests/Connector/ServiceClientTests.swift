@testable import AvesaHost
import Foundation
import XCTest

/// The polite client against a real server: it never exceeds the rate or concurrency,
/// does not idle below them, pauses only the throttled key, retries what is transient
/// and fails fast on what is not.
final class ServiceClientTests: XCTestCase {
    typealias F = ConnectorFixtures

    private func unique() -> String { UUID().uuidString.prefix(8).lowercased() }

    func testStaysWithinRateAndConcurrencyWhileUsingThem() async throws {
        let key = unique()
        let client = F.client(limit: RateLimit(requestsPerSecond: 20, burst: 2, maxConcurrent: 3))
        let url = F.server.baseURL + "/limited?key=\(key)&rate=22&concurrency=3&latency_ms=20"
        let seconds = 20.0  // the window: a limiter that drifts shows over 20 s, not 3
        let deadline = RateLimiter.monotonicSeconds() + seconds
        let sent = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var count = 0
                    while RateLimiter.monotonicSeconds() < deadline {
                        _ = try await client.send(HTTPClientRequest(url: url))
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let stats = try await F.server.json("/stats?key=\(key)")
        XCTAssertLessThanOrEqual(stats["max_inflight"] as? Int ?? 99, 3, "never more than 3 in flight")
        XCTAssertEqual(stats["over"] as? Int, 0, "never above the rate")
        XCTAssertGreaterThanOrEqual(Double(sent), 0.9 * 20 * seconds, "at least 90% of R·t")
        let peak = await client.limiter.peakInFlight
        XCTAssertLessThanOrEqual(peak, 3)
    }

    func testA429WithRetryAfterPausesThatKeyOnly() async throws {
        let throttled = F.client(), other = F.client()
        let started = RateLimiter.monotonicSeconds()
        let url = F.server.baseURL + "/storm?key=\(unique())&count=1&retry_after=2"
        async let slow = throttled.send(HTTPClientRequest(url: url))
        try await Task.sleep(for: .milliseconds(300))
        _ = try await other.send(HTTPClientRequest(url: F.server.baseURL + "/echo"))
        let otherDone = RateLimiter.monotonicSeconds() - started
        let response = try await slow
        let throttledDone = RateLimiter.monotonicSeconds() - started
        XCTAssertEqual(response.status, 200)
        XCTAssertGreaterThanOrEqual(throttledDone, 1.9, "Retry-After: 2 is honoured")
        XCTAssertLessThan(otherDone, 1.5, "another key is not paused")
        XCTAssertEqual(throttled.metrics.snapshot.throttles, 1)
    }

    func testServerErrorsAreRetriedUntilTheySucceed() async throws {
        let client = F.client()
        let response = try await client.send(HTTPClientRequest(url: F.server.baseURL + "/flaky?key=\(unique())&fail=2"))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(client.metrics.snapshot.retries, 2)
    }

    func testPersistentServerErrorsFailWithTheLastOne() async throws {
        do {
            _ = try await F.client().send(HTTPClientRequest(url: F.server.baseURL + "/status?code=500"))
            XCTFail("expected failure")
        } catch let error as ConnectorError {
            guard case .retriesExhausted(let attempts, let last) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(attempts, 3)
            XCTAssertTrue(last.contains("HTTP 500"), last)
        }
    }

    func testAStalledEndpointTimesOutIsRetriedAndThenFails() async throws {
        var limits = HTTPClientLimits()
        limits.totalTimeoutMilliseconds = 300
        do {
            _ = try await F.client().send(HTTPClientRequest(url: F.server.baseURL + "/stall?seconds=3", limits: limits))
            XCTFail("expected failure")
        } catch let error as ConnectorError {
            XCTAssertTrue(error.description.contains("gave up after 3 attempts: timeout"), error.description)
        }
    }

    func testOtherClientErrorsFailAtOnceWithStatusURLAndSnippet() async throws {
        let key = unique()
        do {
            _ = try await F.client().send(HTTPClientRequest(url: F.server.baseURL + "/status?code=404&key=\(key)"))
            XCTFail("expected failure")
        } catch let error as ConnectorError {
            guard case .httpStatus(let status, let url, let snippet) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(status, 404)
            XCTAssertEqual(url, F.server.baseURL + "/status?code=REDACTED&key=REDACTED")
            XCTAssertTrue(snippet.contains("404"))
        }
        let count = try await F.server.json("/count?counter=status:\(key)")
        XCTAssertEqual(count["count"] as? Int, 1, "no retry for a 404")
    }

    func testAnExhaustedQuotaStopsWithoutRetries() async throws {
        let key = unique()
        do {
            _ = try await F.client().send(HTTPClientRequest(url: F.server.baseURL + "/status?code=403&sf_error=REQUEST_LIMIT_EXCEEDED&key=\(key)"))
            XCTFail("expected failure")
        } catch let error as ConnectorError {
            guard case .quotaExhausted = error else { return XCTFail("\(error)") }
        }
        let count = try await F.server.json("/count?counter=status:\(key)")
        XCTAssertEqual(count["count"] as? Int, 1)
    }

    /// Salesforce's limit on requests at once shares the daily quota's error code, but clears
    /// as other requests end: it is retried as throttling, not taken for a spent quota.
    func testAConcurrentRequestLimitIsRetriedNotTakenForTheDailyQuota() async throws {
        let key = unique()
        let message = "ConcurrentRequests%20(Concurrent%20API%20Requests)%20Limit%20exceeded."
        do {
            _ = try await F.client().send(HTTPClientRequest(
                url: F.server.baseURL + "/status?code=403&sf_error=REQUEST_LIMIT_EXCEEDED&sf_message=\(message)&key=\(key)"))
            XCTFail("expected failure")
        } catch let error as ConnectorError {
            guard case .retriesExhausted = error else { return XCTFail("\(error)") }
        }
        let count = try await F.server.json("/count?counter=status:\(key)")
        XCTAssertGreaterThan(count["count"] as? Int ?? 0, 1, "retried")
    }

    func testACappedRequestMakesOneAttemptAfterAnErrorAndSpendsNoRetryBudget() async throws {
        let budget = RetryBudget(retries: 5)
        let client = ServiceClient(key: RateLimitKey(tenant: "t", service: "capped"), engine: F.engine, authenticator: NoAuthentication(),
                                   limiter: RateLimiter(limit: RateLimit(requestsPerSecond: 100, burst: 100, maxConcurrent: 4)),
                                   signals: F.signals, policy: RetryPolicy(maxAttempts: 10, baseDelay: 0.01, maxDelay: 0.02),
                                   budget: budget)
        do {
            _ = try await client.send(HTTPClientRequest(url: F.server.baseURL + "/status?code=500"), attempts: 1)
            XCTFail("expected failure")
        } catch let error as ConnectorError {
            guard case .retriesExhausted(let attempts, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(attempts, 1)
        }
        XCTAssertEqual(client.metrics.snapshot.retries, 0)
        XCTAssertEqual(client.metrics.snapshot.requests, 1)
        XCTAssertTrue(budget.take(), "the run's retries are still there")
    }

    func testTheRunRetryBudgetCapsRetries() async throws {
        let client = ServiceClient(key: RateLimitKey(tenant: "t", service: "budget"), engine: F.engine, authenticator: NoAuthentication(),
                                   limiter: RateLimiter(limit: RateLimit(requestsPerSecond: 100, burst: 100, maxConcurrent: 4)),
                                   signals: F.signals, policy: RetryPolicy(maxAttempts: 10, baseDelay: 0.01, maxDelay: 0.02),
                                   budget: RetryBudget(retries: 1))
        do {
            _ = try await client.send(HTTPClientRequest(url: F.server.baseURL + "/status?code=502"))
            XCTFail("expected failure")
        } catch let error as ConnectorError {
            guard case .retriesExhausted(let attempts, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(attempts, 2, "one try plus the budget's single retry")
        }
    }

    /// Waiting out throttling spends nothing of the run's retry budget, which every
    /// tenant's failures draw on: one throttled tenant cannot leave the others without.
    func testThrottlingDoesNotSpendTheRunsRetryBudget() async throws {
        let budget = RetryBudget(retries: 0)
        let client = ServiceClient(key: RateLimitKey(tenant: "t", service: "storm"), engine: F.engine, authenticator: NoAuthentication(),
                                   limiter: RateLimiter(limit: RateLimit(requestsPerSecond: 100, burst: 100, maxConcurrent: 4)),
                                   signals: F.signals, policy: F.fastRetries, budget: budget)
        let response = try await client.send(HTTPClientRequest(url: F.server.baseURL + "/storm?key=\(unique())&count=3&retry_after=0"))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(client.metrics.snapshot.throttles, 3)
    }

    /// A 5xx that is not a throttle status but carries Retry-After (a node restarting)
    /// pauses the key for it rather than spending the attempts in a few seconds.
    func testAServerErrorsRetryAfterIsHonoured() async throws {
        let signals = RateLimitSpec(requestsPerSecond: 100, burst: 100, maxConcurrent: 8, throttleStatuses: [429],
                                    retryAfterHeader: "Retry-After", remainingHeader: nil, limitHeader: nil,
                                    resetHeader: nil, resetKind: .none, usageHeader: nil)
        let client = F.client(signals: signals)
        let started = RateLimiter.monotonicSeconds()
        let response = try await client.send(HTTPClientRequest(url: F.server.baseURL + "/flaky?key=\(unique())&fail=1&retry_after=1"))
        XCTAssertEqual(response.status, 200)
        XCTAssertGreaterThanOrEqual(RateLimiter.monotonicSeconds() - started, 0.95, "waited the Retry-After, not a 20 ms backoff")
        XCTAssertEqual(client.metrics.snapshot.retries, 1)
    }

    func testUsageHeadersAreReadAsAFraction() {
        XCTAssertEqual(ServiceClient.usageFraction("api-usage=18000/20000"), 0.9)
        XCTAssertNil(ServiceClient.usageFraction("garbage"))
    }
}
