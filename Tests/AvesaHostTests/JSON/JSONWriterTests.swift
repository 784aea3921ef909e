import XCTest

@testable import AvesaHost

final class JSONWriterTests: XCTestCase {
    func testEscapesQuotesBackslashesAndControlCharacters() {
        let value: JSONValue = .string("q\" b\\ n\n r\r t\t b\u{8} f\u{C} nul\u{0} us\u{1F} del\u{7F} é / 𝄞")
        XCTAssertEqual(value.jsonString(), #""q\" b\\ n\n r\r t\t b\b f\f nul\u0000 us\u001f del\#u{7F} é / 𝄞""#)
    }

    func testForwardSlashIsEscapedOnlyWhenAsked() {
        let value: JSONValue = ["url": "/services/data"]
        XCTAssertEqual(value.jsonString(), #"{"url":"/services/data"}"#)
        XCTAssertEqual(value.jsonString(options: .init(escapeForwardSlash: true)), #"{"url":"\/services\/data"}"#)
    }

    func testNumbersAreWrittenFromTheirLiteralText() throws {
        let text = #"[0,-0,12.50,1E6,-9223372036854775808,123456789012345678901234567890,1e-999]"#
        XCTAssertEqual(try JSONParser.parse(text).jsonString(), text)
        XCTAssertEqual(JSONValue.number(JSONNumber(0.1)!).jsonString(), "0.1")
        XCTAssertEqual(JSONValue.number(JSONNumber(5.0)!).jsonString(), "5")
        XCTAssertNil(JSONNumber(Double.nan))
    }

    func testSortedKeysUseUTF8ByteOrderAndKeepNestedOrderDeterministic() throws {
        let value = try JSONParser.parse(#"{"b":1,"a":{"z":1,"y":2},"B":3,"é":4,"e":5}"#)
        XCTAssertEqual(value.jsonString(options: .init(sortedKeys: true)), #"{"B":3,"a":{"y":2,"z":1},"b":1,"e":5,"é":4}"#)
        XCTAssertEqual(value.jsonString(), #"{"b":1,"a":{"z":1,"y":2},"B":3,"é":4,"e":5}"#)
    }

    func testStreamingWriterInsertsCommasAndNests() {
        var w = JSONWriter()
        w.beginObject()
        w.key("id"); w.int(42)
        w.key("ok"); w.bool(true)
        w.key("none"); w.null()
        w.key("ratio"); w.double(0.25)
        w.key("tags"); w.beginArray(); w.string("a"); w.beginObject(); w.endObject(); w.beginArray(); w.endArray(); w.endArray()
        w.key("raw"); w.rawValue(Array(#"{"kept" : 1}"#.utf8))
        w.key("value"); w.value(["x": [1, .null]])
        w.endObject()
        XCTAssertEqual(w.jsonString, #"{"id":42,"ok":true,"none":null,"ratio":0.25,"tags":["a",{},[]],"raw":{"kept" : 1},"value":{"x":[1,null]}}"#)
        let taken = w.takeBytes()
        XCTAssertEqual(taken.first, UInt8(ascii: "{"))
        XCTAssertTrue(w.bytes.isEmpty)
    }

    func testStreamingWriterAppendsToAnExistingBuffer() {
        var w = JSONWriter(appendingTo: Array("prefix:".utf8))
        w.beginArray(); w.int(Int64.min); w.int(-7); w.int(0); w.int(9); w.endArray()
        XCTAssertEqual(w.jsonString, "prefix:[-9223372036854775808,-7,0,9]")
    }

    func testWriterOutputOfLargeArrayParsesBack() throws {
        var w = JSONWriter()
        w.beginArray()
        for i in 0..<1000 { w.beginObject(); w.key("i"); w.int(Int64(i)); w.key("s"); w.string("v\(i)\n"); w.endObject() }
        w.endArray()
        let parsed = try JSONParser.parse(w.bytes)
        XCTAssertEqual(parsed.array?.count, 1000)
        XCTAssertEqual(parsed[999]?["s"]?.string, "v999\n")
    }
}
