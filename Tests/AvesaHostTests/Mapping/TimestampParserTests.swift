@testable import AvesaHost
import XCTest

/// Each service's timestamp format reads to the same instant.
final class TimestampParserTests: XCTestCase {
    func testEveryServiceFormatMeansTheSameInstant() {
        let expected: Int64 = 1_793_620_800_000_000  // 2026-11-02T12:00:00Z
        for text in ["2026-11-02T12:00:00Z", "2026-11-02T12:00:00.000+0000", "2026-11-02T13:00:00+01:00",
                     "2026-11-02 12:00:00", "2026-11-02T07:00:00-05:00", "2026-11-02T12:00:00.0000000Z"] {
            XCTAssertEqual(TimestampParser.microseconds(text), expected, text)
        }
    }

    func testKeepsFractionsAndFormatsBack() {
        let micros = TimestampParser.microseconds("2026-11-02T12:00:00.123456Z")!
        XCTAssertEqual(micros % 1_000_000, 123_456)
        XCTAssertEqual(TimestampParser.iso8601(micros), "2026-11-02T12:00:00.123456Z")
        XCTAssertEqual(TimestampParser.iso8601(0), "1970-01-01T00:00:00Z")
    }

    func testFormatsZeroPaddedFieldsAndTimesBefore1970() {
        XCTAssertEqual(TimestampParser.iso8601(5), "1970-01-01T00:00:00.000005Z")
        XCTAssertEqual(TimestampParser.iso8601(-1), "1969-12-31T23:59:59.999999Z")
        XCTAssertEqual(TimestampParser.iso8601(-86_400_000_000), "1969-12-31T00:00:00Z")
        for text in ["0001-01-01T00:00:00Z", "0999-02-03T04:05:06Z", "9999-12-31T23:59:59.9Z", "2024-02-29T07:08:09.010203Z"] {
            let micros = TimestampParser.microseconds(text)!
            let expected = text.hasSuffix(".9Z") ? "9999-12-31T23:59:59.900000Z" : text
            XCTAssertEqual(TimestampParser.iso8601(micros), expected, text)
        }
    }

    func testRejectsWhatIsNotATimestamp() {
        for text in ["", "yesterday", "2026-13-01T00:00:00Z", "2026-11-02T12:00:00Q", "2026-11-02T12:00", "2026-11-02T12:00:00+1"] {
            XCTAssertNil(TimestampParser.microseconds(text), text)
        }
        XCTAssertEqual(TimestampParser.days("1970-01-02"), 1)
        XCTAssertNil(TimestampParser.days("nope"))
    }

    /// Days that do not exist, seconds past a minute's end and offsets past a day are not
    /// times (they were taken as the next month's days or as an 99-hour shift).
    func testRejectsDaysAndOffsetsThatDoNotExist() {
        for text in ["2026-02-29T00:00:00Z", "2026-02-31 12:00:00", "2026-04-31T00:00:00Z", "2026-11-02T12:00:60Z",
                     "2026-11-02T12:00:00+99:99", "2026-11-02T12:00:00+24:00"] {
            XCTAssertNil(TimestampParser.microseconds(text), text)
        }
        XCTAssertNotNil(TimestampParser.microseconds("2024-02-29T00:00:00Z"), "a leap day")
        XCTAssertNotNil(TimestampParser.microseconds("2016-12-31T23:59:60Z"), "a leap second")
        XCTAssertNil(TimestampParser.days("2026-02-30"))
        XCTAssertNil(TimestampParser.days("2026-01-01garbage"))
        XCTAssertEqual(TimestampParser.days("2026-01-01T01:00:00+02:00"), TimestampParser.days("2025-12-31"), "the UTC date")
        XCTAssertEqual(TimestampParser.days("2026-10-30 12:00:00"), TimestampParser.days("2026-10-30"))
    }
}
