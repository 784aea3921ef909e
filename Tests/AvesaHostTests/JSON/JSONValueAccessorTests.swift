import XCTest

@testable import AvesaHost

final class JSONValueAccessorTests: XCTestCase {
    private let ticket = #"""
        {"id": 9007199254740993, "amount": 1234.5600, "summary": "Printer \u00e9", "closed": false,
        "owner": null, "status": {"id": 5, "name": "New"}, "tags": ["a", "b"], "_info": {"lastUpdated": "2026-01-02T03:04:05Z"}}
        """#

    func testTypedAccessorsReturnPayloadsOrNil() throws {
        let v = try JSONParser.parse(ticket)
        XCTAssertEqual(v["id"]?.int64, 9_007_199_254_740_993)  // beyond Double's exact range
        XCTAssertEqual(v["amount"]?.decimalText, "1234.5600")
        XCTAssertEqual(v["amount"]?.double, 1234.56)
        XCTAssertNil(v["amount"]?.int64)
        XCTAssertEqual(v["summary"]?.string, "Printer é")
        XCTAssertEqual(v["closed"]?.bool, false)
        XCTAssertEqual(v["owner"]?.isNull, true)
        XCTAssertEqual(v["tags"]?[1]?.string, "b")
        XCTAssertNil(v["tags"]?[2])
        XCTAssertNil(v["summary"]?.int64)
        XCTAssertNil(v["missing"])
        XCTAssertNil(v[0])
    }

    func testDottedPathAndPointerLookups() throws {
        let v = try JSONParser.parse(ticket)
        XCTAssertEqual(v.value(atPath: "status.name"), "New")
        XCTAssertEqual(v.value(atPath: "_info.lastUpdated")?.string, "2026-01-02T03:04:05Z")
        XCTAssertNil(v.value(atPath: "status.name.x"))
        XCTAssertNil(v.value(atPath: "status..name"))
        XCTAssertEqual(v.value(at: try JSONPointer("/tags/0")), "a")
        XCTAssertEqual(v.value(atPath: try JSONFieldPath(components: ["status", "id"])), 5)
    }

    func testObjectSubscriptSetterAppendsReplacesAndRemoves() {
        var o: JSONObject = ["a": 1]
        o["b"] = 2
        o["a"] = 3
        XCTAssertEqual(JSONValue.object(o).jsonString(), #"{"a":3,"b":2}"#)
        o["a"] = nil
        XCTAssertEqual(o.keys, ["b"])
    }

    func testNumberLiteralValidation() {
        XCTAssertEqual(JSONNumber(literal: "-12.5e3")?.literal, "-12.5e3")
        XCTAssertEqual(JSONNumber(literal: "42")?.int64, 42)
        XCTAssertNil(JSONNumber(literal: "042"))
        XCTAssertNil(JSONNumber(literal: "1 "))
        XCTAssertNil(JSONNumber(literal: ""))
        XCTAssertNil(JSONNumber(literal: "NaN"))
    }
}
