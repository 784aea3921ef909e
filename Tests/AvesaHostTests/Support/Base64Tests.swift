@testable import AvesaHost
import Foundation
import XCTest

/// base64url as JWTs use it: round trips, padding, and refusal of what is not base64url.
final class Base64Tests: XCTestCase {
    func testRoundTripsEveryLengthAndByteValue() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = Base64.encodeURL(bytes)
            XCTAssertFalse(encoded.contains("=") || encoded.contains("+") || encoded.contains("/"), encoded)
            XCTAssertEqual(Base64.decodeURL(encoded), bytes, encoded)
            XCTAssertEqual(Base64.decodeURL(Base64.encode(bytes).replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")), bytes, "padded form")
        }
        XCTAssertEqual(Base64.decodeURL("-_8"), [0xFB, 0xFF])
        XCTAssertEqual(Base64.decodeURL("QQ"), [0x41])
        XCTAssertEqual(Base64.decodeURL("QQ=="), [0x41])
        XCTAssertEqual(Base64.decodeURL("QUI="), [0x41, 0x42])
    }

    func testRefusesWhatIsNotBase64URL() {
        for text in ["a", "abcde", "ab+c", "ab/c", "ab c", "a=bc", "ab===", "é", "ab\u{0}c", "QUJD==", "QQQ==", "QR", "QUJ"] {
            XCTAssertNil(Base64.decodeURL(text), text)
        }
    }
}
