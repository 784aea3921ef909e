@testable import AvesaHost
import Foundation
import XCTest

/// Every kind of mapping mistake is refused at load time with the file and the JSON
/// pointer of the mistake.
final class MappingValidationTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = TestPaths.makeTemporaryDirectory("mappings")
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory + "/services", withIntermediateDirectories: true)
        try fm.copyItem(atPath: MappingCatalogTests.mappingsDirectory + "/canonical", toPath: directory + "/canonical")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func service(_ json: String) throws -> String {
        let file = directory + "/services/connectwise.json"
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    private func assertRefused(_ tables: String, pointer: String, mentioning needle: String,
                               endpoints: [String: Set<String>]? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try service(#"{"service": "connectwise", "tables": {"# + tables + "}}")
        XCTAssertThrowsError(try MappingCatalog.load(directory: directory, endpoints: endpoints), file: file, line: line) { error in
            guard let error = error as? MappingFileError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertEqual(error.file, path, file: file, line: line)
            XCTAssertEqual(error.pointer, pointer, "\(error)", file: file, line: line)
            XCTAssertTrue(error.message.contains(needle), "\(error)", file: file, line: line)
        }
    }

    func testUnknownCanonicalColumn() throws {
        try assertRefused(#""tickets": {"source": "service/tickets", "id": "id", "columns": {"priorty": "priority.name"}}"#,
                          pointer: "/tables/tickets/columns/priorty", mentioning: "unknown canonical column \"priorty\"")
    }

    func testUnknownCanonicalTable() throws {
        try assertRefused(#""invoices": {"source": "finance/invoices", "id": "id", "columns": {}}"#,
                          pointer: "/tables/invoices", mentioning: "unknown canonical table")
    }

    func testBadPathSyntax() throws {
        try assertRefused(#""tickets": {"source": "service/tickets", "id": "id", "columns": {"summary": "a..b"}}"#,
                          pointer: "/tables/tickets/columns/summary", mentioning: "bad path syntax")
    }

    func testMissingKeyAndMisspelledKeys() throws {
        try assertRefused(#""tickets": {"source": "service/tickets", "columns": {}}"#, pointer: "/tables/tickets/id", mentioning: "is required")
        try assertRefused(#""tickets": {"sorce": "service/tickets", "id": "id", "columns": {}}"#,
                          pointer: "/tables/tickets/sorce", mentioning: "unknown key \"sorce\"")
    }

    func testExpressionsNeedExactlyOneSource() throws {
        try assertRefused(#""tickets": {"source": "service/tickets", "id": "id", "columns": {"summary": {"path": "a", "const": "b"}}}"#,
                          pointer: "/tables/tickets/columns/summary", mentioning: "exactly one of path, first_of, const or concat")
        try assertRefused(#""tickets": {"source": "service/tickets", "id": "id", "columns": {"summary": {"path": "a", "transform": "reverse"}}}"#,
                          pointer: "/tables/tickets/columns/summary/transform", mentioning: "unknown transform")
    }

    func testUnknownSourceTableOfThePlugin() throws {
        try assertRefused(#""tickets": {"source": "service/tikets", "id": "id", "columns": {}}"#,
                          pointer: "/tables/tickets/source", mentioning: "unknown source table \"service/tikets\"",
                          endpoints: ["connectwise": ["service/tickets", "company/companies"]])
    }

    func testInvalidJSONGivesItsPosition() throws {
        _ = try service("{\"service\": \"connectwise\",\n \"tables\": {,}}")
        XCTAssertThrowsError(try MappingCatalog.load(directory: directory)) { error in
            XCTAssertTrue("\(error)".contains("line 2"), "\(error)")
        }
    }

    func testWrongCanonicalColumnTypeIsNamed() throws {
        let file = directory + "/canonical/tickets.json"
        var text = try String(contentsOfFile: file, encoding: .utf8)
        text = text.replacingOccurrences(of: #""type": "timestamp""#, with: #""type": "money""#)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try MappingCatalog.load(directory: directory)) { error in
            guard let error = error as? MappingFileError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.file, file)
            XCTAssertTrue(error.pointer.hasPrefix("/columns/"), error.pointer)
            XCTAssertTrue(error.message.contains("unknown type \"money\""), error.message)
        }
    }

    /// A key given twice is refused where it is: JSON parsers silently keep one of the two.
    func testAKeyGivenTwiceIsRefused() throws {
        try assertRefused(#""tickets": {"source": "service/tickets", "id": "id", "columns": {"summary": "a", "summary": "b"}}"#,
                          pointer: "/tables/tickets/columns/summary", mentioning: "is given twice")
        try assertRefused(#""tickets": {"source": "service/tickets", "id": "id", "columns": {"status_category": {"path": "s", "map": {"New": "open", "New": "closed"}}}}"#,
                          pointer: "/tables/tickets/columns/status_category/map/New", mentioning: "is given twice")
    }

    /// Constants, value-map targets and defaults must fit their column's type: otherwise
    /// every record would be rejected at run time.
    func testConstantsAndMapTargetsOfTheWrongTypeAreRefused() throws {
        try assertRefused(#""tickets": {"source": "service/tickets", "id": "id", "columns": {"created_at": {"const": "soon"}}}"#,
                          pointer: "/tables/tickets/columns/created_at/const", mentioning: "is not a timestamp")
        try assertRefused(#""time_entries": {"source": "time/entries", "id": "id", "columns": {"billable": {"path": "b", "map": {"Billable": "yes", "NoCharge": "maybe"}}}}"#,
                          pointer: "/tables/time_entries/columns/billable/map/NoCharge", mentioning: "is not a boolean")
        try assertRefused(#""time_entries": {"source": "time/entries", "id": "id", "columns": {"hours": {"path": "h", "map": {"a": "1"}, "default": "many"}}}"#,
                          pointer: "/tables/time_entries/columns/hours/default", mentioning: "is not a decimal")
        try assertRefused(#""time_entries": {"source": "time/entries", "id": "id", "columns": {"hours": {"path": "h", "scope_id": true}}}"#,
                          pointer: "/tables/time_entries/columns/hours/scope_id", mentioning: "scope_id makes text")
    }

    /// A canonical file's mistakes are located too, not only named.
    func testACanonicalMistakeGivesItsPointer() throws {
        let file = directory + "/canonical/contacts.json"
        let text = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "\"id\"\n  ],", with: "\"id\", \"nope\"\n  ],")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try MappingCatalog.load(directory: directory)) { error in
            guard let error = error as? MappingFileError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.file, file)
            XCTAssertEqual(error.pointer, "/key/1", "\(error)")
            XCTAssertTrue(error.message.contains("key column 'nope' is not a column"), error.message)
        }
    }

    /// A `first_of` of expressions is checked element by element, literals included.
    func testAFirstOfOfExpressionsIsCheckedElementByElement() throws {
        try assertRefused(#""tickets": {"source": "service/tickets", "id": "id", "columns": {"status_category": {"first_of": []}}}"#,
                          pointer: "/tables/tickets/columns/status_category/first_of", mentioning: "non-empty array")
        try assertRefused(#""tickets": {"source": "service/tickets", "id": "id", "columns": {"status_category": {"first_of": ["a", {"path": "b", "map": {}, "defualt": null}]}}}"#,
                          pointer: "/tables/tickets/columns/status_category/first_of/1/defualt", mentioning: "unknown key")
        try assertRefused(#""tickets": {"source": "service/tickets", "id": "id", "columns": {"created_at": {"first_of": ["a", {"const": "soon"}]}}}"#,
                          pointer: "/tables/tickets/columns/created_at/first_of/1/const", mentioning: "is not a timestamp")
        try assertRefused(#""time_entries": {"source": "time/entries", "id": "id", "columns": {"billable": {"first_of": [{"path": "b", "map": {"x": "maybe"}, "default": null}]}}}"#,
                          pointer: "/tables/time_entries/columns/billable/first_of/0/map/x", mentioning: "is not a boolean")
        try assertRefused(#""tickets": {"source": "service/tickets", "id": "id", "columns": {"status": {"path": "s", "map": {}, "default": 7}}}"#,
                          pointer: "/tables/tickets/columns/status/default", mentioning: "must be a non-empty string")
    }

    func testADeletionMarkerIsAPathOrAFieldCondition() throws {
        try assertRefused(#""tickets": {"source": "service/tickets", "id": "id", "deleted": {"path": "gone"}, "columns": {}}"#,
                          pointer: "/tables/tickets/deleted/in", mentioning: "is required")
        try assertRefused(#""tickets": {"source": "service/tickets", "id": "id", "deleted": {"path": "gone", "in": [true], "is": 1}, "columns": {}}"#,
                          pointer: "/tables/tickets/deleted/is", mentioning: "unknown key")
        try assertRefused(#""tickets": {"source": "service/tickets", "id": "id", "deleted": 7, "columns": {}}"#,
                          pointer: "/tables/tickets/deleted", mentioning: "must be a path string")
    }

    func testAGuardNeedsAPathAndValues() throws {
        try assertRefused(#""time_entries": {"source": "time/entries", "id": "id", "columns": {"ticket_id": {"path": "t", "when": {"path": "k"}}}}"#,
                          pointer: "/tables/time_entries/columns/ticket_id/when/in", mentioning: "is required")
        try assertRefused(#""time_entries": {"source": "time/entries", "id": "id", "columns": {"ticket_id": {"path": "t", "when": {"path": "k", "in": [{}]}}}}"#,
                          pointer: "/tables/time_entries/columns/ticket_id/when/in/0", mentioning: "must be a string, number or boolean")
    }

    func testACanonicalTableWithoutKeyIsRefused() throws {
        let file = directory + "/canonical/contacts.json"
        let text = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: #""key": ["#, with: #""keys": ["#)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try MappingCatalog.load(directory: directory)) { error in
            XCTAssertTrue("\(error)".contains("unknown key \"keys\""), "\(error)")
        }
    }
}
