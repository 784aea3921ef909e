import XCTest

@testable import AvesaHost

final class JSONPointerTests: XCTestCase {
    /// The example document of RFC 6901 §5.
    private let rfcDocument = #"""
        {"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8}
        """#

    func testRFC6901ExamplesResolveInTheDOMAndInOnePass() throws {
        let doc = try JSONParser.parse(rfcDocument)
        let cases: [(String, JSONValue)] = [
            ("/foo", ["bar", "baz"]), ("/foo/0", "bar"), ("/", 0), ("/a~1b", 1), ("/c%d", 2), ("/e^f", 3),
            ("/g|h", 4), ("/i\\j", 5), ("/k\"l", 6), ("/ ", 7), ("/m~0n", 8),
        ]
        let pointers = try cases.map { try JSONPointer($0.0) }
        let streamed = try JSONParser.values(at: pointers, in: Array(rfcDocument.utf8))
        for (i, (text, expected)) in cases.enumerated() {
            XCTAssertEqual(doc.value(at: pointers[i]), expected, text)
            XCTAssertEqual(streamed[i], expected, text)
        }
        XCTAssertEqual(doc.value(at: try JSONPointer("")), doc)
    }

    func testPointerTextRoundTripsWithEscapes() throws {
        let pointer = try JSONPointer("/a~1b/m~0n/@odata.nextLink")
        XCTAssertEqual(pointer.tokens, ["a/b", "m~n", "@odata.nextLink"])
        XCTAssertEqual(pointer.description, "/a~1b/m~0n/@odata.nextLink")
    }

    func testMalformedPointersAreRejected() {
        XCTAssertThrowsError(try JSONPointer("result")) { XCTAssertEqual(($0 as? JSONError)?.kind, .invalidPath) }
        XCTAssertThrowsError(try JSONPointer("/a~2")) { XCTAssertEqual(($0 as? JSONError)?.offset, 2) }
        XCTAssertThrowsError(try JSONPointer("/a~"))
    }

    func testMissingPointersAndBadIndicesGiveNil() throws {
        let doc = Array(#"{"value": [10, 20], "done": false}"#.utf8)
        let values = try JSONParser.values(
            at: [try JSONPointer("/value/1"), try JSONPointer("/value/01"), try JSONPointer("/value/2"),
                 try JSONPointer("/done"), try JSONPointer("/nope"), try JSONPointer("/done/x")], in: doc)
        XCTAssertEqual(values, [20, nil, nil, false, nil, nil])
    }

    /// Found by the fuzzer: with the root pointer also requested, `/0` of `[]` came back as `.null`.
    func testIndexPastTheEndIsAbsentEvenWhenAnEnclosingValueIsAlsoRequested() throws {
        let values = try JSONParser.values(at: [try JSONPointer(""), try JSONPointer("/0")], in: Array(" [] ".utf8))
        XCTAssertEqual(values, [.array([]), nil])
    }

    func testPageLevelReadsStillValidateTheWholeDocument() {
        let broken = Array(#"{"@odata.nextLink": "https://x", "value": [1, 2,]}"#.utf8)
        XCTAssertThrowsError(try JSONParser.value(at: try JSONPointer("/@odata.nextLink"), in: broken))
    }
}
