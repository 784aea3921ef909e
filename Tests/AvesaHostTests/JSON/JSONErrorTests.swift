import XCTest

@testable import AvesaHost

final class JSONErrorTests: XCTestCase {
    func testMissingCommaReportsLineColumnAndOffset() throws {
        let text = "{\n  \"a\": 1,\n  \"b\": 2\n  \"c\": 3\n}"
        let error = try XCTUnwrap(parseError(text))
        XCTAssertEqual(error.kind, .unexpectedByte)
        XCTAssertEqual(error.offset, 23)
        XCTAssertEqual(error.line, 4)
        XCTAssertEqual(error.column, 3)
        XCTAssertEqual(error.description, #"JSON error at line 4, column 3 (byte 23): expected ',' or '}' after object member, found '"'"#)
    }

    func testDoubleCommaInArrayExpectsAValue() throws {
        let error = try XCTUnwrap(parseError("[1, 2,, 3]"))
        XCTAssertEqual(error.offset, 6)
        XCTAssertEqual(error.column, 7)
        XCTAssertEqual(error.message, "expected a value, found ','")
    }

    func testColumnCountsUnicodeScalarsNotBytes() throws {
        let error = try XCTUnwrap(parseError("[\"é\", x]"))
        XCTAssertEqual(error.offset, 7)
        XCTAssertEqual(error.column, 7)
        XCTAssertEqual(error.line, 1)
    }

    func testUnterminatedStringPointsAtItsOpeningQuote() throws {
        let error = try XCTUnwrap(parseError("{\"a\": \"abc"))
        XCTAssertEqual(error.kind, .unexpectedEnd)
        XCTAssertEqual(error.offset, 6)
        XCTAssertEqual(error.message, "unterminated string")
    }

    func testTruncatedDocumentReportsUnexpectedEnd() throws {
        let error = try XCTUnwrap(parseError("{\"a\": [1, 2"))
        XCTAssertEqual(error.kind, .unexpectedEnd)
        XCTAssertEqual(error.offset, 11)
        XCTAssertEqual(error.message, "unexpected end of input, expected ',' or ']' after array element")
    }

    func testRejectsOverlongUTF8() throws {
        let error = try XCTUnwrap(parseError([0x5B, 0x22, 0x61, 0xC0, 0xAF, 0x22, 0x5D]))
        XCTAssertEqual(error.kind, .invalidUTF8)
        XCTAssertEqual(error.offset, 3)
        XCTAssertTrue(error.message.contains("0xC0"), error.message)
        XCTAssertEqual(parseError([0x22, 0xE0, 0x80, 0xAF, 0x22])?.kind, .invalidUTF8)  // 3-byte overlong '/'
        XCTAssertEqual(parseError([0x22, 0xF0, 0x80, 0x80, 0xAF, 0x22])?.kind, .invalidUTF8)  // 4-byte overlong
    }

    func testRejectsUTF8EncodedSurrogates() throws {
        let error = try XCTUnwrap(parseError([0x22, 0xED, 0xA0, 0x80, 0x22]))
        XCTAssertEqual(error.kind, .invalidUTF8)
        XCTAssertEqual(error.offset, 2)
        XCTAssertTrue(error.message.contains("surrogate"), error.message)
    }

    func testRejectsInvalidAndTruncatedUTF8Bytes() throws {
        XCTAssertEqual(parseError([0x22, 0xFF, 0x22])?.kind, .invalidUTF8)
        XCTAssertEqual(parseError([0x22, 0x80, 0x22])?.kind, .invalidUTF8)
        XCTAssertEqual(parseError([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22])?.kind, .invalidUTF8)  // > U+10FFFF
        XCTAssertEqual(parseError([0x22, 0xE2, 0x82])?.kind, .invalidUTF8)  // truncated at end
        XCTAssertEqual(parseError([0x22, 0xE2, 0x22, 0x22])?.kind, .invalidUTF8)  // bad continuation
    }

    func testAcceptsEveryUTF8LengthIncludingAstralCharacters() throws {
        let text = "[\"a é € 𝄞 \u{10FFFF}\"]"
        XCTAssertEqual(try JSONParser.parse(text)[0]?.string, "a é € 𝄞 \u{10FFFF}")
    }

    func testRejectsLoneSurrogateEscapes() throws {
        XCTAssertEqual(parseError(#"["\uDC00"]"#)?.kind, .invalidEscape)
        XCTAssertEqual(parseError(#"["\uD800x"]"#)?.kind, .invalidEscape)
        XCTAssertEqual(parseError(#"["\uD800\u0041"]"#)?.kind, .invalidEscape)
        XCTAssertEqual(try JSONParser.parse(#"["\uD834\uDD1E"]"#)[0]?.string, "𝄞")
    }

    func testNumberGrammarErrors() throws {
        XCTAssertEqual(parseError("[01]")?.message, "leading zeros are not allowed in numbers")
        XCTAssertEqual(parseError("[1.]")?.kind, .invalidNumber)
        XCTAssertEqual(parseError("[-]")?.kind, .invalidNumber)
        XCTAssertEqual(parseError("[1e]")?.kind, .invalidNumber)
        XCTAssertEqual(parseError("[.5]")?.kind, .unexpectedByte)
        XCTAssertEqual(parseError("[+1]")?.kind, .unexpectedByte)
    }

    func testTrailingContentIsRejected() throws {
        let error = try XCTUnwrap(parseError("{} x"))
        XCTAssertEqual(error.kind, .trailingContent)
        XCTAssertEqual(error.offset, 3)
    }

    func testControlCharacterInStringIsRejected() throws {
        let error = try XCTUnwrap(parseError("[\"a\tb\"]"))
        XCTAssertEqual(error.offset, 3)
        XCTAssertTrue(error.message.contains("control character"), error.message)
    }

    func testDocumentSizeLimitIsEnforced() throws {
        let error = try XCTUnwrap(parseError("[1, 2, 3]", options: .init(maxDocumentSize: 4)))
        XCTAssertEqual(error.kind, .documentTooLarge)
        XCTAssertNoThrow(try JSONParser.parse("[1, 2, 3]", options: .init(maxDocumentSize: 9)))
    }

    func testEmptyAndWhitespaceOnlyInputAreRejected() throws {
        XCTAssertEqual(parseError("")?.kind, .unexpectedEnd)
        XCTAssertEqual(parseError(" \n ")?.line, 2)
    }
}
