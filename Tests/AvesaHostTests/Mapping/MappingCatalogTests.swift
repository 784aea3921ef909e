@testable import AvesaHost
import Foundation
import XCTest

/// The shipped mappings load, validate against the real plugins and map realistic
/// records of every service; each kind of mistake is refused naming file and pointer.
final class MappingCatalogTests: XCTestCase {
    static let mappingsDirectory = TestPaths.repositoryRoot + "/mappings"

    static func endpoints() throws -> [String: Set<String>] {
        let catalog = try PluginCatalog.scan(directory: TestPaths.builtPluginsDirectory)
        return Dictionary(uniqueKeysWithValues: catalog.plugins.map { ($0.manifest.service, Set($0.manifest.endpoints.map(\.name))) })
    }

    /// Maps one record (JSON text) with `service`'s plan for `source`.
    static func map(_ json: String, service: String, source: String, catalog: MappingCatalog) throws -> CanonicalRecord {
        let plan = try XCTUnwrap(catalog.plan(service: service, source: source))
        var scanner = JSONRecordScanner(bytes: Array("[\(json)]".utf8), recordsAt: JSONPointer(tokens: []), fields: plan.fields)
        let record = try XCTUnwrap(try scanner.next())
        return try plan.map(record)
    }

    static func value(_ record: CanonicalRecord, _ column: String, in catalog: MappingCatalog, table: String) -> CanonicalValue {
        record.values[catalog.tables[table]!.columnIndex(column)!]
    }

    func testTheShippedMappingsValidateAgainstThePlugins() throws {
        let catalog = try MappingCatalog.load(directory: Self.mappingsDirectory, endpoints: try Self.endpoints())
        XCTAssertEqual(Set(catalog.tables.keys), ["companies", "contacts", "tickets", "time_entries"])
        XCTAssertEqual(Set(catalog.plans.keys), ["connectwise", "servicenow", "salesforce", "m365"])
        XCTAssertEqual(catalog.plan(service: "connectwise", source: "service/tickets")?.table.name, "tickets")
    }

    func testConnectWiseTicketMapsWithNestedPathsMapsAndScopedReferences() throws {
        let catalog = try MappingCatalog.load(directory: Self.mappingsDirectory)
        let record = try Self.map("""
        {"id": 1042, "summary": "Printer offline", "board": {"id": 1, "name": "Help Desk"},
         "status": {"id": 7, "name": "Waiting Customer"}, "company": {"id": 19, "identifier": "ACME", "name": "Acme"},
         "contact": {"id": 301, "name": "Ann"}, "priority": {"id": 2, "name": "Priority 2 - High"},
         "type": {"id": 3, "name": "Incident"}, "owner": {"id": 5, "identifier": "jsmith"},
         "dateEntered": "2026-11-01T08:00:00Z", "closedDate": null,
         "_info": {"lastUpdated": "2026-11-02T09:30:00Z", "dateEntered": "2026-11-01T08:00:00Z"}}
        """, service: "connectwise", source: "service/tickets", catalog: catalog)
        func v(_ c: String) -> CanonicalValue { Self.value(record, c, in: catalog, table: "tickets") }
        XCTAssertEqual(v("id"), .string("connectwise:1042"))
        XCTAssertEqual(v("company_id"), .string("connectwise:19"))
        XCTAssertEqual(v("status"), .string("Waiting Customer"))
        XCTAssertEqual(v("status_category"), .string("in_progress"))
        XCTAssertEqual(v("board"), .string("Help Desk"))
        XCTAssertEqual(v("assigned_to"), .string("jsmith"))
        XCTAssertEqual(v("created_at"), .timestamp(TimestampParser.microseconds("2026-11-01T08:00:00Z")!))
        XCTAssertEqual(v("closed_at"), .null)
        XCTAssertEqual(record.sourceID, "1042")
        XCTAssertEqual(record.changedAt, TimestampParser.microseconds("2026-11-02T09:30:00Z"))
    }

    func testConnectWiseContactPicksEmailFromCommunicationItemsAndInvertsInactive() throws {
        let catalog = try MappingCatalog.load(directory: Self.mappingsDirectory)
        let record = try Self.map("""
        {"id": 7, "firstName": "Ann", "lastName": "Lee", "company": {"id": 19}, "title": "CFO", "inactiveFlag": false,
         "communicationItems": [{"type": {"name": "Direct"}, "value": "555-0101", "communicationType": "Phone"},
                                {"type": {"name": "Email"}, "value": "ann@acme.test", "communicationType": "Email"}],
         "_info": {"lastUpdated": "2026-11-02T09:30:00Z"}}
        """, service: "connectwise", source: "company/contacts", catalog: catalog)
        func v(_ c: String) -> CanonicalValue { Self.value(record, c, in: catalog, table: "contacts") }
        XCTAssertEqual(v("email"), .string("ann@acme.test"))
        XCTAssertEqual(v("phone"), .string("555-0101"))
        XCTAssertEqual(v("active"), .boolean(true))
    }

    func testServiceNowStringsReferencesDurationsAndStates() throws {
        let catalog = try MappingCatalog.load(directory: Self.mappingsDirectory)
        let incident = try Self.map("""
        {"sys_id": "9d385017c611228701d22104cc95c371", "number": "INC0010001", "short_description": "VPN down",
         "state": "6", "priority": "2", "company": {"link": "https://x/api/now/table/core_company/31", "value": "31"},
         "caller_id": {"link": "https://x", "value": "77"}, "assignment_group": "", "assigned_to": "", "category": "network",
         "opened_at": "2026-10-30 12:00:00", "resolved_at": "2026-10-31 08:15:00", "closed_at": "",
         "sys_created_on": "2026-10-30 12:00:00", "sys_updated_on": "2026-10-31 08:15:00"}
        """, service: "servicenow", source: "incident", catalog: catalog)
        func v(_ c: String) -> CanonicalValue { Self.value(incident, c, in: catalog, table: "tickets") }
        XCTAssertEqual(v("status"), .string("Resolved"))
        XCTAssertEqual(v("status_category"), .string("resolved"))
        XCTAssertEqual(v("priority"), .string("2 - High"))
        XCTAssertEqual(v("company_id"), .string("servicenow:31"))
        XCTAssertEqual(v("board"), .null, "empty strings are missing values")
        XCTAssertEqual(v("closed_at"), .null)
        XCTAssertEqual(v("resolved_at"), .timestamp(TimestampParser.microseconds("2026-10-31T08:15:00Z")!))
        let worked = try Self.map("""
        {"sys_id": "a1", "task": {"link": "x", "value": "9d385017c611228701d22104cc95c371"}, "user": {"link": "x", "value": "u1"},
         "time_worked": "1970-01-01 01:30:00", "comments": "call", "sys_created_on": "2026-10-30 13:00:00", "sys_updated_on": "2026-10-30 13:00:00"}
        """, service: "servicenow", source: "task_time_worked", catalog: catalog)
        XCTAssertEqual(Self.value(worked, "hours", in: catalog, table: "time_entries"), .decimal("1.5"))
        XCTAssertEqual(Self.value(worked, "ticket_id", in: catalog, table: "time_entries"), .string("servicenow:9d385017c611228701d22104cc95c371"))
    }

    func testSalesforceOffsetsAndGraphDeletions() throws {
        let catalog = try MappingCatalog.load(directory: Self.mappingsDirectory)
        let sfCase = try Self.map("""
        {"attributes": {"type": "Case", "url": "/services/data/v62.0/sobjects/Case/500A"}, "Id": "500A", "CaseNumber": "00001001",
         "AccountId": "001A", "ContactId": null, "Subject": "Login issue", "Status": "Working", "Priority": "High",
         "Origin": "Email", "Type": "Problem", "OwnerId": "005A", "IsClosed": false,
         "CreatedDate": "2026-11-01T10:00:00.000+0000", "ClosedDate": null, "LastModifiedDate": "2026-11-01T11:00:00.000+0000",
         "SystemModstamp": "2026-11-01T11:00:00.000+0000"}
        """, service: "salesforce", source: "Case", catalog: catalog)
        XCTAssertEqual(Self.value(sfCase, "status_category", in: catalog, table: "tickets"), .string("in_progress"))
        XCTAssertEqual(Self.value(sfCase, "contact_id", in: catalog, table: "tickets"), .null)
        XCTAssertEqual(sfCase.changedAt, TimestampParser.microseconds("2026-11-01T11:00:00Z"))
        XCTAssertFalse(sfCase.isDeleted, "IsDeleted is absent")
        for (flag, deleted) in [("false", false), ("true", true)] {
            let flagged = try Self.map(#"{"Id": "500B", "IsDeleted": \#(flag), "Status": "New", "SystemModstamp": "2026-11-01T12:00:00.000+0000"}"#,
                                       service: "salesforce", source: "Case", catalog: catalog)
            XCTAssertEqual(flagged.isDeleted, deleted, "IsDeleted: \(flag)")
            XCTAssertTrue(flagged.sourceReportsDeletions)
        }
        let removed = try Self.map(#"{"id": "u-9", "@removed": {"reason": "deleted"}}"#, service: "m365", source: "users", catalog: catalog)
        XCTAssertTrue(removed.isDeleted)
        XCTAssertEqual(Self.value(removed, "id", in: catalog, table: "contacts"), .string("m365:u-9"))
        let user = try Self.map(#"{"id": "u-1", "givenName": "Ann", "surname": "Lee", "mail": null, "userPrincipalName": "ann@acme.test", "accountEnabled": true}"#,
                                service: "m365", source: "users", catalog: catalog)
        XCTAssertFalse(user.isDeleted)
        XCTAssertEqual(Self.value(user, "email", in: catalog, table: "contacts"), .string("ann@acme.test"))
    }

    /// A status the value map does not know (a board's custom status) takes its category
    /// from the record's closed flag, and is open only when the source says it is not closed.
    func testAnUnknownStatusTakesItsCategoryFromTheClosedFlag() throws {
        let catalog = try MappingCatalog.load(directory: Self.mappingsDirectory)
        func category(_ json: String, _ service: String, _ source: String) throws -> CanonicalValue {
            Self.value(try Self.map(json, service: service, source: source, catalog: catalog), "status_category", in: catalog, table: "tickets")
        }
        func connectWise(_ status: String, closed: Bool?) throws -> CanonicalValue {
            let flag = closed.map { #", "closedFlag": \#($0)"# } ?? ""
            return try category(#"{"id": 1, "status": {"id": 9, "name": "\#(status)"}\#(flag), "_info": {"lastUpdated": "2026-11-02T09:30:00Z"}}"#,
                                "connectwise", "service/tickets")
        }
        XCTAssertEqual(try connectWise("Awaiting Parts", closed: false), .string("open"))
        XCTAssertEqual(try connectWise("Closed - Duplicate", closed: true), .string("closed"))
        XCTAssertEqual(try connectWise("Awaiting Parts", closed: nil), .string("open"))
        XCTAssertEqual(try connectWise("Resolved", closed: true), .string("resolved"), "a known status keeps its own category")
        XCTAssertEqual(try connectWise("In Progress", closed: false), .string("in_progress"))
        func salesforce(_ status: String, closed: Bool) throws -> CanonicalValue {
            try category(#"{"Id": "500A", "Status": "\#(status)", "IsClosed": \#(closed), "LastModifiedDate": "2026-11-01T11:00:00.000+0000"}"#,
                         "salesforce", "Case")
        }
        XCTAssertEqual(try salesforce("Closed - Not Reproducible", closed: true), .string("closed"))
        XCTAssertEqual(try salesforce("Awaiting Vendor", closed: false), .string("open"))
        XCTAssertEqual(try salesforce("Working", closed: false), .string("in_progress"))
        func serviceNow(_ state: String, active: String) throws -> CanonicalValue {
            try category(#"{"sys_id": "i1", "state": "\#(state)", "active": "\#(active)", "sys_updated_on": "2026-10-30 13:00:00"}"#,
                         "servicenow", "incident")
        }
        XCTAssertEqual(try serviceNow("-5", active: "false"), .string("closed"))
        XCTAssertEqual(try serviceNow("-5", active: "true"), .string("open"))
        XCTAssertEqual(try serviceNow("6", active: "false"), .string("resolved"))
    }

    /// A value map's `"default": null` gives no value for what it does not know, where no
    /// default keeps the value and a text default replaces it (missing values too).
    func testAValueMapsDefaultKeepsReplacesOrDropsUnmappedValues() throws {
        var compiler = ExpressionCompiler()
        let map = ["a": "mapped"]
        let keep = compiler.compile(.modified(.path("s"), [.valueMap(map, unmapped: .keep)]))
        let replace = compiler.compile(.modified(.path("s"), [.valueMap(map, unmapped: .replace("other"))]))
        let drop = compiler.compile(.modified(.path("s"), [.valueMap(map, unmapped: .drop)]))
        let chain = compiler.compile(.firstOf([.modified(.path("s"), [.valueMap(map, unmapped: .drop)]), .path("t"), .constant(.string("last"))]))
        XCTAssertEqual(compiler.paths, ["s", "t"])
        func evaluate(_ expression: CompiledExpression, _ s: JSONValue?, _ t: JSONValue? = nil) -> JSONValue? {
            expression.evaluate([s, t], service: "x")
        }
        XCTAssertEqual(evaluate(keep, .string("a")), .string("mapped"))
        XCTAssertEqual(evaluate(keep, .string("b")), .string("b"))
        XCTAssertNil(evaluate(keep, nil))
        XCTAssertEqual(evaluate(replace, .string("b")), .string("other"))
        XCTAssertEqual(evaluate(replace, nil), .string("other"))
        XCTAssertNil(evaluate(drop, .string("b")))
        XCTAssertNil(evaluate(drop, nil))
        XCTAssertEqual(evaluate(chain, .string("a"), .string("t")), .string("mapped"))
        XCTAssertEqual(evaluate(chain, .string("b"), .string("t")), .string("t"))
        XCTAssertEqual(evaluate(chain, .string("b"), .string("")), .string("last"))
    }

    /// ServiceNow sends "" for an empty field: a first_of passes over it to the next path.
    func testAnEmptyStringDoesNotWinAFirstOf() throws {
        let catalog = try MappingCatalog.load(directory: Self.mappingsDirectory)
        let contact = try Self.map(#"{"sys_id": "c1", "first_name": "Ann", "last_name": "Lee", "phone": "", "mobile_phone": "+1 555 0100", "sys_updated_on": "2026-10-30 13:00:00"}"#,
                                   service: "servicenow", source: "sys_user", catalog: catalog)
        XCTAssertEqual(Self.value(contact, "phone", in: catalog, table: "contacts"), .string("+1 555 0100"))
    }

    /// Numbers in exponent form are expanded digit by digit (no binary rounding), and one
    /// too large to write out rejects its record instead of stopping the process.
    func testExponentNumbersExpandExactlyAndHugeOnesRejectTheRecord() throws {
        let catalog = try MappingCatalog.load(directory: Self.mappingsDirectory)
        func hours(_ literal: String) throws -> CanonicalValue {
            let entry = try Self.map(#"{"id": 7, "actualHours": "# + literal + #", "_info": {"lastUpdated": "2026-11-01T10:00:00Z"}}"#,
                                     service: "connectwise", source: "time/entries", catalog: catalog)
            return Self.value(entry, "hours", in: catalog, table: "time_entries")
        }
        XCTAssertEqual(try hours("1.25e1"), .decimal("12.5"))
        XCTAssertEqual(try hours("1.23456789123456789e8"), .decimal("123456789.123456789"))
        XCTAssertEqual(try hours("1e-11"), .decimal("0.00000000001"))
        XCTAssertEqual(try hours("1e19"), .decimal("10000000000000000000"))
        XCTAssertThrowsError(try hours("1e400")) { XCTAssertTrue("\($0)".contains("is not a decimal number"), "\($0)") }
        XCTAssertThrowsError(try hours(#""1e999999999999""#)) { XCTAssertTrue("\($0)".contains("is not a decimal number"), "\($0)") }
        XCTAssertNil(DecimalText.format(.infinity, places: 4))
        XCTAssertNil(DecimalText.format(1e19, places: 4))
        XCTAssertEqual(DecimalText.format(-1.99999, places: 4), "-2")
        XCTAssertEqual(DecimalText.format(1.5, places: 4), "1.5")
    }

    /// A ConnectWise time entry links a ticket only when it was charged to one: one charged
    /// to a charge code or an activity carries that thing's id in `chargeToId`, which would
    /// otherwise point at an unrelated ticket.
    func testAConnectWiseTimeEntryLinksATicketOnlyWhenChargedToOne() throws {
        let catalog = try MappingCatalog.load(directory: Self.mappingsDirectory)
        func ticket(_ type: String) throws -> CanonicalValue {
            let entry = try Self.map(#"{"id": 9, "chargeToId": 77, "chargeToType": ""# + type + #"", "actualHours": 1, "_info": {"lastUpdated": "2026-11-01T10:00:00Z"}}"#,
                                     service: "connectwise", source: "time/entries", catalog: catalog)
            return Self.value(entry, "ticket_id", in: catalog, table: "time_entries")
        }
        XCTAssertEqual(try ticket("ServiceTicket"), .string("connectwise:77"))
        XCTAssertEqual(try ticket("ProjectTicket"), .string("connectwise:77"))
        XCTAssertEqual(try ticket("ChargeCode"), .null)
        XCTAssertEqual(try ticket("Activity"), .null)
    }

    func testABadValueNamesTableColumnAndSourceID() throws {
        let catalog = try MappingCatalog.load(directory: Self.mappingsDirectory)
        XCTAssertThrowsError(try Self.map(#"{"id": 5, "summary": "x", "dateEntered": "yesterday", "_info": {}}"#,
                                          service: "connectwise", source: "service/tickets", catalog: catalog)) { error in
            XCTAssertEqual("\(error)", #"tickets.created_at (source id 5): "yesterday" is not a timestamp (ISO-8601 or YYYY-MM-DD HH:MM:SS)"#)
        }
        XCTAssertThrowsError(try Self.map(#"{"summary": "no id"}"#, service: "connectwise", source: "service/tickets", catalog: catalog)) { error in
            XCTAssertTrue("\(error)".contains("has no id"))
        }
    }
}
