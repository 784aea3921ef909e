import XCTest

@testable import AvesaHost

final class JSONFieldPlanTests: XCTestCase {
    func testDottedPathsSplitOnEveryDotAndRejectEmptyComponents() throws {
        XCTAssertEqual(try JSONFieldPath("_info.lastUpdated").components, ["_info", "lastUpdated"])
        for bad in ["", ".a", "a.", "a..b"] {
            XCTAssertThrowsError(try JSONFieldPath(bad), bad) { XCTAssertEqual(($0 as? JSONError)?.kind, .invalidPath) }
        }
        XCTAssertThrowsError(try JSONFieldPlan(dotted: ["id", "status..name"]))
        XCTAssertThrowsError(try JSONFieldPath(components: []))
    }

    func testKeysContainingDotsAreReachedThroughComponents() throws {
        let odataType = try JSONFieldPath(components: ["@odata.type"])
        let ab = try JSONFieldPath("a.b")
        let plan = JSONFieldPlan([odataType, ab])
        let page: [UInt8] = Array(##"[{"@odata.type": "#user", "a": {"b": 1}}]"##.utf8)
        var scanner = JSONRecordScanner(bytes: page, fields: plan)
        XCTAssertEqual(try scanner.next()?.values, ["#user", 1])
        XCTAssertEqual(plan.index(of: try JSONFieldPath("a.b")), 1)
        XCTAssertNil(plan.index(of: try JSONFieldPath("a")))
    }

    func testTheSamePathTwiceFillsBothSlots() throws {
        var scanner = JSONRecordScanner(bytes: Array(#"[{"s": {"n": "x"}}]"#.utf8), fields: try .init(dotted: ["s.n", "s", "s.n"]))
        XCTAssertEqual(try scanner.next()?.values, ["x", ["n": "x"], "x"])
    }

    func testScannerHonoursTheDocumentSizeLimit() throws {
        var scanner = JSONRecordScanner(bytes: Array("[1, 2, 3]".utf8), fields: JSONFieldPlan([]), options: .init(maxDocumentSize: 5))
        XCTAssertThrowsError(try scanner.next()) { XCTAssertEqual(($0 as? JSONError)?.kind, .documentTooLarge) }
    }

    func testRecordsCanBeCopiedVerbatimIntoAStreamedResponse() throws {
        let page = Array(#"{"value": [ {"id": "a", "x": [1, 2]} , {"id": "b"} ]}"#.utf8)
        var scanner = JSONRecordScanner(bytes: page, recordsAt: try JSONPointer("/value"), fields: try .init(dotted: ["id"]))
        var w = JSONWriter()
        w.beginArray()
        while let record = try scanner.next() { w.rawValue(page[record.byteRange]) }
        w.endArray()
        XCTAssertEqual(w.jsonString, #"[{"id": "a", "x": [1, 2]},{"id": "b"}]"#)
    }
}
