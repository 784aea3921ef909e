@testable import AvesaHost
import XCTest

/// The token bucket's arithmetic and the RATE syntax, with no clock and no network.
final class RateLimitingTests: XCTestCase {
    func testABucketAllowsItsBurstThenSpacesRequestsAtTheRate() {
        var bucket = TokenBucket(rate: 10, burst: 3, now: 0)
        XCTAssertEqual([bucket.reserve(now: 0), bucket.reserve(now: 0), bucket.reserve(now: 0)], [0, 0, 0])
        XCTAssertEqual(bucket.reserve(now: 0), 0.1, accuracy: 1e-9)
        XCTAssertEqual(bucket.reserve(now: 0), 0.2, accuracy: 1e-9)
        // After a quiet second the bucket is full again, never fuller than its burst.
        _ = bucket.reserve(now: 5)
        XCTAssertEqual(bucket.tokens, 2, accuracy: 1e-9)
    }

    /// A pause empties the bucket and it does not refill meanwhile: requests that waited
    /// out a 429 go at the rate afterwards, not as a burst.
    func testAHeldBucketStartsEmptyWhenThePauseEnds() {
        var bucket = TokenBucket(rate: 10, burst: 20, now: 0)
        bucket.hold(until: 5, now: 0)
        XCTAssertEqual(bucket.reserve(now: 5), 0.1, accuracy: 1e-9)
        XCTAssertEqual(bucket.reserve(now: 5), 0.2, accuracy: 1e-9)
        var quiet = TokenBucket(rate: 10, burst: 20, now: 0)
        quiet.hold(until: 5, now: 0)
        XCTAssertEqual(quiet.reserve(now: 6), 0, "it refills from the pause's end on")
        XCTAssertEqual(quiet.tokens, 9, accuracy: 1e-9)
    }

    /// A token reserved by a request that then waited out a pause goes back, so its second
    /// reservation does not leave the bucket one token further in debt.
    func testARefundedTokenIsNotChargedTwice() {
        var bucket = TokenBucket(rate: 10, burst: 1, now: 0)
        XCTAssertEqual(bucket.reserve(now: 0), 0)
        XCTAssertEqual(bucket.reserve(now: 0), 0.1, accuracy: 1e-9)
        bucket.refund()
        XCTAssertEqual(bucket.reserve(now: 0), 0.1, accuracy: 1e-9, "the refunded reservation is not counted twice")
    }

    func testLoweringTheRateSpacesLaterRequestsWider() {
        var bucket = TokenBucket(rate: 10, burst: 1, now: 0)
        _ = bucket.reserve(now: 0)
        bucket.setRate(1, now: 0)
        XCTAssertEqual(bucket.reserve(now: 0), 1, accuracy: 1e-9)
    }

    func testParsesRatesPerSecondMinuteAndHourWithSettings() throws {
        XCTAssertEqual(try RateLimitOverride.parse("10/s,burst=20,concurrency=4"),
                       RateLimitOverride(requestsPerSecond: 10, burst: 20, maxConcurrent: 4))
        XCTAssertEqual(try RateLimitOverride.parse("120/min").requestsPerSecond, 2)
        XCTAssertEqual(try RateLimitOverride.parse("3600/h").requestsPerSecond, 1)
        XCTAssertEqual(try RateLimitOverride.parse("concurrency=2"), RateLimitOverride(maxConcurrent: 2))
    }

    func testRejectsMalformedRatesNamingThePart() {
        // Exponents, hex floats and infinities are refused, as are rates past the bounds (1e19/s
        // stopped every later run in an integer conversion).
        let cases = ["", "10", "10/day", "-1/s", "10/s,burst=0", "10/s,speed=3", "abc/s", "10/s,burst=x",
                     "1e19/s", "0x1p70/s", "inf/s", "nan/s", "2000000/s", "0.5/h", "0/s"]
        for text in cases {
            XCTAssertThrowsError(try RateLimitOverride.parse(text), text) { error in
                XCTAssertTrue("\(error)".contains("invalid rate limit"), "\(error)")
            }
        }
    }

    func testOverridesReplaceOnlyWhatTheyName() {
        let base = RateLimit(requestsPerSecond: 10, burst: 20, maxConcurrent: 4)
        XCTAssertEqual(base.applying(RateLimitOverride(maxConcurrent: 1)), RateLimit(requestsPerSecond: 10, burst: 20, maxConcurrent: 1))
        XCTAssertEqual(base.applying(RateLimitOverride(requestsPerSecond: 2)), RateLimit(requestsPerSecond: 2, burst: 2, maxConcurrent: 4))
        XCTAssertEqual(base.applying(nil), base)
    }
}
