import XCTest

@testable import AvesaHost

/// The public JSONTestSuite vectors (Tests/Fixtures/JSONTestSuite, MIT).
final class JSONTestSuiteTests: XCTestCase {
    func testAcceptsEveryYFile() throws {
        let files = try JSONTestSupport.fixtures("test_parsing").filter { $0.name.hasPrefix("y_") }
        XCTAssertEqual(files.count, 95)
        for file in files {
            XCTAssertNoThrow(try JSONParser.parse(file.bytes), file.name)
            XCTAssertNoThrow(try JSONParser.validate(file.bytes), file.name)
        }
    }

    func testRejectsEveryNFile() throws {
        let files = try JSONTestSupport.fixtures("test_parsing").filter { $0.name.hasPrefix("n_") }
        XCTAssertEqual(files.count, 188)
        for file in files {
            XCTAssertThrowsError(try JSONParser.parse(file.bytes), file.name)
            XCTAssertThrowsError(try JSONParser.validate(file.bytes), file.name)
        }
    }

    /// Implementation-defined files: numbers of any size are accepted (the literal is kept);
    /// every invalid-Unicode string or key, UTF-16 input and a BOM are rejected; 500 nested
    /// arrays are within the default depth limit of 512.
    func testImplementationDefinedFilesFollowTheDocumentedChoice() throws {
        let files = try JSONTestSupport.fixtures("test_parsing").filter { $0.name.hasPrefix("i_") }
        XCTAssertEqual(files.count, 35)
        for file in files {
            let accepted = (try? JSONParser.parse(file.bytes)) != nil
            let expectAccepted = file.name.hasPrefix("i_number_") || file.name == "i_structure_500_nested_arrays.json"
            XCTAssertEqual(accepted, expectAccepted, file.name)
            XCTAssertEqual((try? JSONParser.validate(file.bytes)) != nil, expectAccepted, file.name)
        }
    }

    func testByteOrderMarkIsAcceptedOnlyWhenAllowed() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{}".utf8)
        XCTAssertEqual(parseError(bytes)?.kind, .unexpectedByte)
        XCTAssertEqual(try JSONParser.parse(bytes, options: .init(allowByteOrderMark: true)), .object([:]))
    }

    func testHundredThousandOpeningArraysAreRejectedByTheDepthLimitWithoutStackOverflow() throws {
        let file = try XCTUnwrap(try JSONTestSupport.fixtures("test_parsing").first { $0.name == "n_structure_100000_opening_arrays.json" })
        XCTAssertEqual(parseError(file.bytes)?.kind, .depthLimitExceeded)
        // With the limit lifted the iterative parser still fails cleanly at the end of input.
        XCTAssertEqual(parseError(file.bytes, options: .init(maxDepth: 1_000_000))?.kind, .unexpectedEnd)
        XCTAssertThrowsError(try JSONParser.validate(file.bytes, options: .init(maxDepth: 1_000_000)))
    }

    // MARK: test_transform: the documented choice for each case

    private func transform(_ name: String) throws -> [UInt8] {
        try XCTUnwrap(try JSONTestSupport.fixtures("test_transform").first { $0.name == name }).bytes
    }

    /// Parses a one-element array and returns the element's number.
    private func transformNumber(_ name: String) throws -> JSONNumber {
        let value = try JSONParser.parse(try transform(name))
        return try XCTUnwrap(value[0]?.number, name)
    }

    func testTransformIntegersWithin64BitsAreExact() throws {
        XCTAssertEqual(try transformNumber("number_-9223372036854775808.json").int64, Int64.min)
        XCTAssertEqual(try transformNumber("number_9223372036854775807.json").int64, Int64.max)
        XCTAssertEqual(try transformNumber("number_1000000000000000.json").int64, 1_000_000_000_000_000)
    }

    func testTransformIntegersBeyond64BitsKeepTheirDigits() throws {
        for (name, literal) in [
            ("number_-9223372036854775809.json", "-9223372036854775809"),
            ("number_9223372036854775808.json", "9223372036854775808"),
            ("number_10000000000000000999.json", "10000000000000000999"),
        ] {
            let n = try transformNumber(name)
            XCTAssertNil(n.int64, name)
            XCTAssertEqual(n.literal, literal, name)
            XCTAssertEqual(JSONValue.array([.number(n)]).jsonString(), "[\(literal)]", name)
        }
    }

    func testTransformDecimalsAndExponentsKeepTheirLiteral() throws {
        for (name, literal, double) in [
            ("number_1.0.json", "1.0", 1.0),
            ("number_1.000000000000000005.json", "1.000000000000000005", 1.0),
            ("number_1e6.json", "1E6", 1e6),
            ("number_1e-999.json", "1E-999", 0.0),
        ] {
            let n = try transformNumber(name)
            XCTAssertNil(n.int64, name)
            XCTAssertEqual(n.literal, literal, name)
            XCTAssertEqual(n.double, double, name)
        }
    }

    func testTransformNFCAndNFDKeysStayDistinct() throws {
        for name in ["object_key_nfc_nfd.json", "object_key_nfd_nfc.json"] {
            let object = try XCTUnwrap(try JSONParser.parse(try transform(name)).object)
            XCTAssertEqual(object.count, 2)
            XCTAssertEqual(object["\u{E9}"], "NFC", name)
            XCTAssertEqual(object["e\u{301}"], "NFD", name)
        }
    }

    func testTransformDuplicateKeysAreKeptAndLookupReturnsTheLast() throws {
        let different = try XCTUnwrap(try JSONParser.parse(try transform("object_same_key_different_values.json")).object)
        XCTAssertEqual(different.count, 2)
        XCTAssertEqual(different["a"]?.int64, 2)
        let same = try XCTUnwrap(try JSONParser.parse(try transform("object_same_key_same_value.json")).object)
        XCTAssertEqual(same.count, 2)
        XCTAssertEqual(same["a"]?.int64, 1)
        let unclear = try XCTUnwrap(try JSONParser.parse(try transform("object_same_key_unclear_values.json")).object)
        XCTAssertEqual(unclear.members.map { $0.value.decimalText }, ["0", "-0"])
        XCTAssertEqual(unclear["a"]?.decimalText, "-0")
    }

    func testTransformInvalidCodePointsAreRejected() throws {
        for name in ["string_1_escaped_invalid_codepoint.json", "string_2_escaped_invalid_codepoints.json", "string_3_escaped_invalid_codepoints.json"] {
            XCTAssertEqual(parseError(try transform(name))?.kind, .invalidEscape, name)
        }
        for name in ["string_1_invalid_codepoint.json", "string_2_invalid_codepoints.json", "string_3_invalid_codepoints.json"] {
            XCTAssertEqual(parseError(try transform(name))?.kind, .invalidUTF8, name)
        }
    }

    func testTransformEscapedNULIsKeptAndWrittenBackEscaped() throws {
        let value = try JSONParser.parse(try transform("string_with_escaped_NULL.json"))
        XCTAssertEqual(value[0]?.string?.unicodeScalars.map(\.value), [0x41, 0, 0x42])
        XCTAssertEqual(value.jsonString(), #"["A\u0000B"]"#)
    }
}
