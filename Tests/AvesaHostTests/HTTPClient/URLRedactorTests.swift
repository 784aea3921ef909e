@testable import AvesaHost
import XCTest

/// Secrets never survive into logged URLs.
final class URLRedactorTests: XCTestCase {
    func testRedactsQueryValuesAndUserInfo() {
        XCTAssertEqual(URLRedactor.redact("https://user:pw@api.example.com/v1/x?api_key=s3cret&page=2#frag"),
                       "https://REDACTED@api.example.com/v1/x?api_key=REDACTED&page=REDACTED#frag")
    }

    func testLeavesPlainURLsAlone() {
        XCTAssertEqual(URLRedactor.redact("https://api.example.com/v1/tickets"), "https://api.example.com/v1/tickets")
    }

    func testKeepsParameterNamesWithoutValues() {
        XCTAssertEqual(URLRedactor.redact("http://h/p?flag&token=abc"), "http://h/p?flag&token=REDACTED")
    }
}
