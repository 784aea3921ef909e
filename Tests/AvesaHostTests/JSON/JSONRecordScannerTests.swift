import XCTest

@testable import AvesaHost

/// On-demand extraction must agree with the DOM on realistic pages of the four services.
final class JSONRecordScannerTests: XCTestCase {
    // MARK: Small inline page generators (the benchmark has its own, larger ones)

    private func text(_ rng: inout SeededGenerator, _ base: String) -> JSONValue {
        let extras = ["", " \"quoted\"", " é", " 𝄞", "\n line", " \\ back", " \u{1}"]
        return .string(base + extras[rng.int(0...(extras.count - 1))])
    }

    private func connectWisePage(_ rng: inout SeededGenerator, count: Int) -> JSONValue {
        .array((0..<count).map { i in
            var o: JSONObject = [
                "id": .number(JSONNumber(Int64(1000 + i))), "summary": text(&rng, "Ticket \(i)"),
                "status": ["id": 5, "name": text(&rng, "New")],
                "company": ["id": 19, "identifier": "ACME", "name": text(&rng, "Acme Corp")],
                "budgetHours": .number(JSONNumber(literal: "1.50")!),
                "_info": ["lastUpdated": .string("2026-01-0\(i % 9 + 1)T10:00:00Z"), "updatedBy": "bot"],
            ]
            if rng.chance(30) { o["status"] = nil }  // missing field
            if rng.chance(20) { o["company"] = .null }  // null where an object is usual
            if rng.chance(10) { o.members.append(JSONMember(key: "summary", value: "duplicate wins")) }
            return .object(o)
        })
    }

    private func serviceNowPage(_ rng: inout SeededGenerator, count: Int) -> JSONValue {
        ["result": .array((0..<count).map { i in
            [
                "sys_id": .string("a1b2c3\(i)"), "number": .string("INC00\(i)"), "short_description": text(&rng, "Email down"),
                "state": "2", "priority": .string("\(rng.int(1...5))"),
                "assigned_to": rng.chance(50) ? "" : ["link": "https://x.service-now.com/api/now/table/sys_user/9", "value": "9"],
                "sys_updated_on": "2026-01-02 03:04:05",
            ]
        })]
    }

    private func salesforcePage(_ rng: inout SeededGenerator, count: Int) -> JSONValue {
        [
            "totalSize": .number(JSONNumber(Int64(count))), "done": false,
            "nextRecordsUrl": "/services/data/v59.0/query/01gD0000002HU6KIAW-2000",
            "records": .array((0..<count).map { i in
                [
                    "attributes": ["type": "Case", "url": .string("/services/data/v59.0/sobjects/Case/500\(i)")],
                    "Id": .string("500D000000\(i)"), "CaseNumber": .string("0000\(i)"), "Subject": text(&rng, "Login issue"),
                    "Status": "New", "Amount__c": .number(JSONNumber(literal: "\(i).10")!),
                    "Account": rng.chance(20) ? .null : ["attributes": ["type": "Account"], "Name": text(&rng, "Globex")],
                    "LastModifiedDate": "2026-01-02T03:04:05.000+0000",
                ]
            }),
        ]
    }

    private func graphPage(_ rng: inout SeededGenerator, count: Int) -> JSONValue {
        [
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
            "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=X%27abc%27",
            "value": .array((0..<count).map { i in
                [
                    "id": .string("00000000-0000-0000-0000-\(1000 + i)"), "displayName": text(&rng, "Adele Vance"),
                    "mail": .string("user\(i)@contoso.com"), "businessPhones": ["+1 425 555 0109"], "accountEnabled": .bool(i % 3 != 0),
                    "jobTitle": rng.chance(30) ? .null : "Engineer",
                ]
            }),
        ]
    }

    // MARK: Agreement with the DOM

    /// Scans `page` and checks each record's byte range and extracted values against the DOM.
    private func assertAgreesWithDOM(_ page: JSONValue, records pointerText: String, paths: [String], pageFields: [String],
                                     rng: inout SeededGenerator, line: UInt = #line) throws {
        for bytes in [page.jsonBytes(), JSONTestSupport.sprinkleWhitespace(page.jsonBytes(), rng: &rng)] {
            let dom = try JSONParser.parse(bytes)
            let pointer = try JSONPointer(pointerText)
            let domRecords = try XCTUnwrap(dom.value(at: pointer)?.array, line: line)
            let plan = try JSONFieldPlan(dotted: paths)
            let pagePointers = try pageFields.map { try JSONPointer($0) }
            var scanner = JSONRecordScanner(bytes: bytes, recordsAt: pointer, fields: plan, pageFields: pagePointers)
            let records = try scanner.allRecords()
            XCTAssertEqual(records.count, domRecords.count, line: line)
            for (record, domRecord) in zip(records, domRecords) {
                XCTAssertEqual(try JSONParser.parse(Array(bytes[record.byteRange])), domRecord, line: line)
                for (slot, path) in plan.paths.enumerated() {
                    XCTAssertEqual(record[slot], domRecord.value(atPath: path), "\(path) in record \(record.index)", line: line)
                }
            }
            let pageValues = try JSONParser.values(at: pagePointers, in: bytes)
            XCTAssertEqual(pageValues, pagePointers.map { dom.value(at: $0) }, line: line)
            // The scanner captures page fields outside the records array in the same pass.
            let outside = pagePointers.map { p in
                !p.tokens.starts(with: pointer.tokens) && !pointer.tokens.starts(with: p.tokens)
            }
            XCTAssertEqual(scanner.pageValues, zip(pagePointers, outside).map { $1 ? dom.value(at: $0) : nil }, line: line)
        }
    }

    func testConnectWiseRootArrayAgreesWithDOM() throws {
        var rng = SeededGenerator(seed: 1)
        try assertAgreesWithDOM(connectWisePage(&rng, count: 40), records: "",
                                paths: ["id", "summary", "status", "status.id", "status.name", "company.id", "company.identifier",
                                        "company.name", "_info.lastUpdated", "budgetHours", "missing", "summary.x"],
                                pageFields: ["/0/id", "/1/status/name"], rng: &rng)
    }

    func testServiceNowResultAgreesWithDOM() throws {
        var rng = SeededGenerator(seed: 2)
        try assertAgreesWithDOM(serviceNowPage(&rng, count: 40), records: "/result",
                                paths: ["sys_id", "number", "short_description", "state", "priority", "assigned_to.value",
                                        "assigned_to.link", "sys_updated_on"],
                                pageFields: ["/result/0/number"], rng: &rng)
    }

    func testSalesforceRecordsAgreeWithDOM() throws {
        var rng = SeededGenerator(seed: 3)
        try assertAgreesWithDOM(salesforcePage(&rng, count: 40), records: "/records",
                                paths: ["attributes.type", "Id", "CaseNumber", "Subject", "Status", "Amount__c", "Account.Name",
                                        "LastModifiedDate", "Account"],
                                pageFields: ["/totalSize", "/done", "/nextRecordsUrl", "/records/0/Id", "", "/missing"], rng: &rng)
    }

    func testGraphValueAgreesWithDOM() throws {
        var rng = SeededGenerator(seed: 4)
        try assertAgreesWithDOM(graphPage(&rng, count: 40), records: "/value",
                                paths: ["id", "displayName", "mail", "businessPhones", "accountEnabled", "jobTitle"],
                                pageFields: ["/@odata.nextLink", "/@odata.deltaLink", "/@odata.context"], rng: &rng)
    }

    // MARK: Edge cases

    func testByteRangeIsTheRecordsOriginalBytes() throws {
        let page = Array(#"{"records": [ {"a" : 1} ,  [2] , "x\n" ], "done": true}"#.utf8)
        var scanner = JSONRecordScanner(bytes: page, recordsAt: try JSONPointer("/records"), fields: try .init(dotted: ["a"]))
        let records = try scanner.allRecords()
        XCTAssertEqual(records.map { String(decoding: page[$0.byteRange], as: UTF8.self) }, [#"{"a" : 1}"#, "[2]", #""x\n""#])
        XCTAssertEqual(records.map { $0[0] }, [1, nil, nil])
    }

    func testEscapedKeysMatchAndDuplicateKeysLastWinsLikeTheDOM() throws {
        let page = Array(#"[{"st\u0061tus": {"name": "A"}, "status": {"id": 2}}, {"status": {"name": "B"}, "st\u0061tus": {"name": "C"}}]"#.utf8)
        var scanner = JSONRecordScanner(bytes: page, fields: try .init(dotted: ["status.name", "status.id"]))
        let records = try scanner.allRecords()
        XCTAssertEqual(records.map(\.values), [[nil, 2], ["C", nil]])
    }

    func testPageFieldsBeforeAndAfterNestedRecordsAreCapturedInOnePass() throws {
        let page = Array(#"{"meta": {"next": "n1", "skip": [1, {"x": 2}]}, "data": {"items": [{"id": 1}], "cursor": {"after": "c9"}}, "end": true, "meta2": 5}"#.utf8)
        let pointers = try ["/meta/next", "/data/cursor/after", "/end", "/data/items", "/meta/skip/1/x", "/nope"].map { try JSONPointer($0) }
        var scanner = JSONRecordScanner(bytes: page, recordsAt: try JSONPointer("/data/items"), fields: try .init(dotted: ["id"]), pageFields: pointers)
        XCTAssertEqual(try scanner.next()?.values, [1])
        XCTAssertEqual(scanner.pageValues, ["n1", nil, nil, nil, 2, nil])
        XCTAssertNil(try scanner.next())
        XCTAssertEqual(scanner.pageValues, ["n1", "c9", true, nil, 2, nil])
    }

    func testEmptyRecordsArrayAndEmptyPlan() throws {
        var empty = JSONRecordScanner(bytes: Array(#"{"value": [], "@odata.deltaLink": "d"}"#.utf8), recordsAt: try JSONPointer("/value"),
                                      fields: JSONFieldPlan([]))
        XCTAssertNil(try empty.next())
        XCTAssertNil(try empty.next())
        var noFields = JSONRecordScanner(bytes: Array("[1, {\"a\": 2}]".utf8), fields: JSONFieldPlan([]))
        XCTAssertEqual(try noFields.allRecords().map(\.values), [[], []])
    }

    func testMissingOrNonArrayRecordsPointerIsReported() throws {
        var missing = JSONRecordScanner(bytes: Array(#"{"result": []}"#.utf8), recordsAt: try JSONPointer("/records"), fields: JSONFieldPlan([]))
        XCTAssertThrowsError(try missing.next()) { XCTAssertEqual(($0 as? JSONError)?.kind, .pathNotFound) }
        var notArray = JSONRecordScanner(bytes: Array(#"{"records": {}}"#.utf8), recordsAt: try JSONPointer("/records"), fields: JSONFieldPlan([]))
        XCTAssertThrowsError(try notArray.next()) { XCTAssertEqual(($0 as? JSONError)?.kind, .typeMismatch) }
    }

    func testSyntaxErrorsAfterAndAroundRecordsAreThrown() throws {
        for text in [#"{"records": [{"a": 1}, {"a": 2,}]}"#, #"{"records": [{"a": 1}] "done": true}"#,
                     #"{"records": [{"a": 1}], "done": tru}"#, #"{"records": [{"a": 1}]} x"#, #"{"records": [{"a": 1} {"a": 2}]}"#] {
            var scanner = JSONRecordScanner(bytes: Array(text.utf8), recordsAt: try JSONPointer("/records"), fields: try .init(dotted: ["a"]))
            XCTAssertThrowsError(try scanner.allRecords(), text)
            XCTAssertNil(try scanner.next(), "a failed scanner stays finished")
        }
    }

    func testInvalidUTF8InASkippedFieldIsStillRejected() throws {
        var page = Array(#"[{"a": 1, "skipped": "xx"}]"#.utf8)
        page[page.count - 5] = 0xC0
        var scanner = JSONRecordScanner(bytes: page, fields: try .init(dotted: ["a"]))
        XCTAssertThrowsError(try scanner.allRecords()) { XCTAssertEqual(($0 as? JSONError)?.kind, .invalidUTF8) }
    }
}
