import AvesaHost

/// Deterministic API pages shaped like the four services, ~20 fields per record.
/// Built with `JSONWriter`, compact, as the services send them.
enum SamplePages {
    /// One page kind: its name, the records pointer, and the fields the mapping extracts.
    struct Kind: Sendable {
        let name: String
        let recordsPointer: String
        let fields: [String]
        let pageFields: [String]
        let build: @Sendable (Int) -> [UInt8]
    }

    static let all: [Kind] = [
        Kind(name: "ConnectWise tickets", recordsPointer: "", fields: [
            "id", "summary", "status.id", "status.name", "company.id", "company.identifier", "company.name",
            "priority.name", "board.name", "dateEntered", "closedFlag", "_info.lastUpdated",
        ], pageFields: [], build: connectWise),
        Kind(name: "ServiceNow incidents", recordsPointer: "/result", fields: [
            "sys_id", "number", "short_description", "state", "priority", "impact", "urgency", "assigned_to.value",
            "assignment_group.value", "caller_id.value", "opened_at", "sys_updated_on",
        ], pageFields: [], build: serviceNow),
        Kind(name: "Salesforce cases", recordsPointer: "/records", fields: [
            "Id", "CaseNumber", "Subject", "Status", "Priority", "Origin", "AccountId", "Account.Name", "OwnerId",
            "CreatedDate", "LastModifiedDate", "Amount__c",
        ], pageFields: ["/totalSize", "/done", "/nextRecordsUrl"], build: salesforce),
        Kind(name: "Graph users", recordsPointer: "/value", fields: [
            "id", "displayName", "givenName", "surname", "mail", "userPrincipalName", "jobTitle", "department",
            "officeLocation", "accountEnabled", "createdDateTime", "onPremisesSyncEnabled",
        ], pageFields: ["/@odata.nextLink", "/@odata.deltaLink"], build: graph),
    ]

    private static let words = ["printer", "offline", "email", "cannot", "login", "VPN", "slow", "café", "laptop", "reset",
                                "password", "urgent", "\"quoted\"", "server", "backup", "failed", "überprüfen", "license"]

    private static func sentence(_ i: Int, _ n: Int) -> String {
        (0..<n).map { words[(i &* 7 &+ $0 &* 13) % words.count] }.joined(separator: " ")
    }

    private static func timestamp(_ i: Int) -> String {
        "2026-\(10 + i % 3)-\(10 + i % 18)T\(10 + i % 14):\(10 + i % 50):\(10 + i % 49)Z"
    }

    private static func reference(_ w: inout JSONWriter, _ key: String, _ id: Int, _ name: String, _ href: String) {
        w.key(key); w.beginObject()
        w.key("id"); w.int(Int64(id)); w.key("name"); w.string(name)
        w.key("_info"); w.beginObject(); w.key(href); w.string("https://api.example.com/v4_6_release/apis/3.0/\(key)/\(id)"); w.endObject()
        w.endObject()
    }

    static func connectWise(_ count: Int) -> [UInt8] {
        var w = JSONWriter()
        w.beginArray()
        for i in 0..<count {
            w.beginObject()
            w.key("id"); w.int(Int64(250_000 + i))
            w.key("summary"); w.string(sentence(i, 6))
            w.key("recordType"); w.string("ServiceTicket")
            reference(&w, "board", 1 + i % 4, "Service Desk", "board_href")
            reference(&w, "status", 10 + i % 6, ["New", "In Progress", "Waiting", "Closed"][i % 4], "status_href")
            w.key("company"); w.beginObject()
            w.key("id"); w.int(Int64(19_000 + i % 97)); w.key("identifier"); w.string("CUST\(i % 97)"); w.key("name"); w.string("Customer \(i % 97) GmbH")
            w.key("_info"); w.beginObject(); w.key("company_href"); w.string("https://api.example.com/company/companies/\(i % 97)"); w.endObject()
            w.endObject()
            reference(&w, "priority", 1 + i % 5, "Priority \(1 + i % 5) - Normal", "priority_href")
            w.key("severity"); w.string("Medium")
            w.key("impact"); w.string("Low")
            w.key("closedFlag"); w.bool(i % 4 == 3)
            w.key("actualHours"); w.number(JSONNumber(literal: "\(i % 40).\(i % 100)")!)
            w.key("approved"); w.bool(true)
            w.key("dateEntered"); w.string(timestamp(i))
            w.key("enteredBy"); w.string("Zapier")
            w.key("customerUpdatedFlag"); w.bool(false)
            w.key("automaticEmailContactFlag"); w.bool(false)
            w.key("initialDescription"); w.string(sentence(i + 3, 25))
            w.key("_info"); w.beginObject()
            w.key("lastUpdated"); w.string(timestamp(i + 1)); w.key("updatedBy"); w.string("template1")
            w.key("dateEntered"); w.string(timestamp(i)); w.key("enteredBy"); w.string("Zapier")
            w.endObject()
            w.endObject()
        }
        w.endArray()
        return w.takeBytes()
    }

    private static func link(_ w: inout JSONWriter, _ key: String, _ table: String, _ id: Int) {
        w.key(key); w.beginObject()
        w.key("link"); w.string("https://dev12345.service-now.com/api/now/table/\(table)/\(String(id, radix: 16))6f2b1a0b3c")
        w.key("value"); w.string("\(String(id, radix: 16))6f2b1a0b3c")
        w.endObject()
    }

    static func serviceNow(_ count: Int) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject(); w.key("result"); w.beginArray()
        for i in 0..<count {
            w.beginObject()
            w.key("sys_id"); w.string("\(String(0x46d4_4a_5e + i, radix: 16))a9fe198101e06fd1a2c1c1")
            w.key("number"); w.string("INC00\(10_000 + i)")
            w.key("short_description"); w.string(sentence(i, 5))
            w.key("description"); w.string(sentence(i + 1, 20))
            w.key("state"); w.string("\(1 + i % 7)")
            w.key("priority"); w.string("\(1 + i % 5)")
            w.key("impact"); w.string("\(1 + i % 3)")
            w.key("urgency"); w.string("\(1 + i % 3)")
            w.key("category"); w.string("network")
            w.key("active"); w.string(i % 5 == 0 ? "false" : "true")
            link(&w, "assigned_to", "sys_user", 1000 + i % 50)
            link(&w, "assignment_group", "sys_user_group", 200 + i % 9)
            link(&w, "caller_id", "sys_user", 5000 + i)
            w.key("opened_at"); w.string("2026-01-\(10 + i % 18) 08:\(10 + i % 50):00")
            w.key("sys_updated_on"); w.string("2026-02-\(10 + i % 18) 09:\(10 + i % 50):00")
            w.key("sys_updated_by"); w.string("admin")
            w.key("reassignment_count"); w.string("\(i % 4)")
            w.key("close_notes"); w.string("")
            w.key("sys_mod_count"); w.string("\(i % 30)")
            w.key("made_sla"); w.string("true")
            w.endObject()
        }
        w.endArray(); w.endObject()
        return w.takeBytes()
    }

    static func salesforce(_ count: Int) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key("totalSize"); w.int(Int64(count * 7))
        w.key("done"); w.bool(false)
        w.key("nextRecordsUrl"); w.string("/services/data/v59.0/query/01gD0000002HU6KIAW-2000")
        w.key("records"); w.beginArray()
        for i in 0..<count {
            let id = "500D0000\(String(0x7A3B1 + i, radix: 36).uppercased())AAQ"
            w.beginObject()
            w.key("attributes"); w.beginObject(); w.key("type"); w.string("Case"); w.key("url"); w.string("/services/data/v59.0/sobjects/Case/\(id)"); w.endObject()
            w.key("Id"); w.string(id)
            w.key("CaseNumber"); w.string("000\(31_000 + i)")
            w.key("Subject"); w.string(sentence(i, 6))
            w.key("Description"); w.string(sentence(i + 2, 22))
            w.key("Status"); w.string(["New", "Working", "Escalated", "Closed"][i % 4])
            w.key("Priority"); w.string(["High", "Medium", "Low"][i % 3])
            w.key("Origin"); w.string(["Phone", "Email", "Web"][i % 3])
            w.key("Type"); w.string("Problem")
            w.key("Reason"); w.null()
            w.key("AccountId"); w.string("001D000000IqhSL\(i % 10)AA")
            w.key("Account"); w.beginObject()
            w.key("attributes"); w.beginObject(); w.key("type"); w.string("Account"); w.key("url"); w.string("/services/data/v59.0/sobjects/Account/001D000000IqhSLIAZ"); w.endObject()
            w.key("Name"); w.string("Edge Communications \(i % 10)")
            w.endObject()
            w.key("ContactId"); w.string("003D000000QOsAc\(i % 10)AA")
            w.key("OwnerId"); w.string("005D0000001AbCd\(i % 10)AA")
            w.key("IsClosed"); w.bool(i % 4 == 3)
            w.key("IsEscalated"); w.bool(i % 4 == 2)
            w.key("CreatedDate"); w.string("2026-01-\(10 + i % 18)T08:15:00.000+0000")
            w.key("LastModifiedDate"); w.string("2026-02-\(10 + i % 18)T09:30:00.000+0000")
            w.key("SystemModstamp"); w.string("2026-02-\(10 + i % 18)T09:30:00.000+0000")
            w.key("Amount__c"); w.number(JSONNumber(literal: "\(100 + i * 3).\(10 + i % 90)")!)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.takeBytes()
    }

    static func graph(_ count: Int) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key("@odata.context"); w.string("https://graph.microsoft.com/v1.0/$metadata#users(id,displayName,mail)")
        w.key("@odata.nextLink"); w.string("https://graph.microsoft.com/v1.0/users?$top=1000&$skiptoken=RFNwdAIAAQAAAD8")
        w.key("value"); w.beginArray()
        for i in 0..<count {
            let given = ["Adele", "Alex", "Diego", "Grady", "Isaiah", "Johanna", "Lee", "Megan", "Zoë"][i % 9]
            let surname = ["Vance", "Wilber", "Siciliani", "Archie", "Langer", "Lorenz", "Gu", "Bowen", "Müller"][i % 9]
            w.beginObject()
            w.key("id"); w.string("87d349ed-44d7-43e1-9a83-\(String(0x5f2f9f7e + i, radix: 16))0000")
            w.key("businessPhones"); w.beginArray(); w.string("+1 425 555 \(1000 + i % 9000)"); w.endArray()
            w.key("displayName"); w.string("\(given) \(surname)")
            w.key("givenName"); w.string(given)
            w.key("surname"); w.string(surname)
            w.key("jobTitle"); if i % 5 == 0 { w.null() } else { w.string("Product Manager") }
            w.key("mail"); w.string("\(given).\(surname)\(i)@contoso.onmicrosoft.com")
            w.key("mobilePhone"); w.null()
            w.key("officeLocation"); w.string("18/\(2000 + i % 100)")
            w.key("preferredLanguage"); w.string("en-US")
            w.key("userPrincipalName"); w.string("\(given).\(surname)\(i)@contoso.onmicrosoft.com")
            w.key("accountEnabled"); w.bool(i % 7 != 0)
            w.key("department"); w.string(["Sales", "Engineering", "Legal", "HR"][i % 4])
            w.key("companyName"); w.string("Contoso")
            w.key("createdDateTime"); w.string(timestamp(i))
            w.key("usageLocation"); w.string("US")
            w.key("onPremisesSyncEnabled"); w.bool(i % 2 == 0)
            w.key("employeeId"); w.string("E\(100_000 + i)")
            w.key("city"); w.string("Redmond")
            w.key("country"); w.string("United States")
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.takeBytes()
    }
}
