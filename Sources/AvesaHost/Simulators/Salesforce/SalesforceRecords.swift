/// Salesforce sObject records: 18-character ids with the object's key prefix, booleans
/// and numbers as JSON types, datetimes `2026-11-01T10:00:00.000+0000`, dates `2026-11-01`.
enum SalesforceRecords {
    /// Key prefixes of the simulated objects.
    static let prefixes: [String: String] = [
        "Account": "001", "Contact": "003", "Case": "500", "CaseComment": "00a", "Opportunity": "006",
        "OpportunityLineItem": "00k", "Lead": "00Q", "User": "005", "Task": "00T", "Event": "00U", "Contract": "800",
        "Product2": "01t", "Pricebook2": "01s", "Asset": "02i",
    ]

    static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// The 18-character Id of `key` (ids sort like keys).
    static func id(_ object: String, _ key: Int, instance: Int) -> String {
        var digits = ""
        var n = key
        repeat {
            digits = String(base62[n % 62]) + digits
            n /= 62
        } while n > 0
        let org = String(base62[instance % 62])
        return (prefixes[object] ?? "a00") + "5g" + org + String(repeating: "0", count: max(0, 9 - digits.count)) + digits + "AAA"
    }

    struct Context {
        let dataset: SimDataset
        let instance: Int
        let version: String

        func ref(_ object: String, _ selector: UInt64) -> JSONValue {
            guard let row = dataset.reference(object, selector) else { return .null }
            return .string(SalesforceRecords.id(object, row.key, instance: instance))
        }
    }

    /// Every field of `row` (canonical names), `attributes` first.
    static func render(_ object: String, _ row: SimRow, _ c: Context) -> [(String, JSONValue)] {
        var s = row.stable
        var m = row.mutable
        let id = id(object, row.key, instance: c.instance)
        var fields: [(String, JSONValue)] = [
            ("attributes", ["type": .string(object), "url": .string("/services/data/\(c.version)/sobjects/\(object)/\(id)")]),
            ("Id", .string(id)), ("SystemModstamp", .string(SimTime.salesforce(row.changedAt))),
            ("CreatedDate", .string(SimTime.salesforce(row.createdAt))), ("LastModifiedDate", .string(SimTime.salesforce(row.changedAt))),
        ]
        // Users are deactivated, never deleted: the User object has no IsDeleted field.
        if object != "User" { fields.append(("IsDeleted", .bool(row.deleted))) }
        let owner = c.ref("User", row.selector(9))
        switch object {
        case "Account":
            let name = SimNames.company(&s, key: row.key)
            let (city, state) = s.pick(SimNames.cities)
            fields += [("Name", .string(name)), ("AccountNumber", .string("CD\(600_000 + row.key)")),
                       ("Type", .string(s.pick(["Customer - Direct", "Customer - Channel", "Prospect", "Partner"]))),
                       ("Industry", .string(s.pick(["Healthcare", "Legal", "Manufacturing", "Finance", "Education"]))),
                       ("Phone", .string(SimNames.phone(&m))), ("Website", .string("www.\(SimNames.slug(name).lowercased()).example")),
                       ("BillingStreet", .string("\(s.int(1...9999)) \(s.pick(SimNames.streets))")), ("BillingCity", .string(city)),
                       ("BillingState", .string(state)), ("BillingCountry", "USA"), ("OwnerId", owner)]
        case "Contact", "Lead":
            let first = s.pick(SimNames.firstNames), last = s.pick(SimNames.lastNames)
            fields += [("FirstName", .string(first)), ("LastName", .string(last)), ("Name", .string("\(first) \(last)")),
                       ("Email", .string("\(first.lowercased()).\(last.lowercased())\(row.key)@example.com")),
                       ("Phone", .string(SimNames.phone(&m))), ("Title", .string(m.pick(SimNames.titles))), ("OwnerId", owner)]
            if object == "Contact" {
                fields.append(("AccountId", c.ref("Account", row.selector(1))))
            } else {
                fields += [("Company", .string(SimNames.company(&s, key: row.key))),
                           ("Status", .string(m.pick(["Open - Not Contacted", "Working - Contacted", "Closed - Converted"])))]
            }
        case "Case":
            let status = m.pick(["New", "Working", "Escalated", "On Hold", "Closed"])
            fields += [("CaseNumber", .string(String(1000 + row.key).leftPadded(8))),
                       ("AccountId", c.ref("Account", row.selector(1))), ("ContactId", c.ref("Contact", row.selector(2))),
                       ("Subject", .string(s.pick(SimNames.problems))), ("Status", .string(status)),
                       ("Priority", .string(m.pick(["High", "Medium", "Low"]))), ("Origin", .string(s.pick(["Phone", "Email", "Web"]))),
                       ("Type", .string(s.pick(["Problem", "Question", "Feature Request"]))), ("OwnerId", owner),
                       ("IsClosed", .bool(status == "Closed")),
                       ("ClosedDate", status == "Closed" ? .string(SimTime.salesforce(row.changedAt)) : .null)]
        case "CaseComment":
            fields += [("ParentId", c.ref("Case", row.selector(1))), ("CommentBody", .string("Update: \(m.pick(SimNames.problems))")),
                       ("IsPublished", .bool(m.chance(0.5)))]
        case "Opportunity":
            fields += [("AccountId", c.ref("Account", row.selector(1))), ("Name", .string("Managed services renewal \(row.key)")),
                       ("StageName", .string(m.pick(["Prospecting", "Qualification", "Proposal", "Closed Won", "Closed Lost"]))),
                       ("Amount", SimHTTP.number(Double(m.int(10...500)) * 100)), ("CloseDate", .string(SimTime.day(row.createdAt + 86_400 * 60))),
                       ("OwnerId", owner)]
        case "OpportunityLineItem":
            let quantity = m.int(1...20), price = s.int(5...300)
            fields += [("OpportunityId", c.ref("Opportunity", row.selector(1))), ("Product2Id", c.ref("Product2", row.selector(2))),
                       ("Quantity", SimHTTP.number(quantity)), ("UnitPrice", SimHTTP.number(price)), ("TotalPrice", SimHTTP.number(quantity * price))]
        case "User":
            let first = s.pick(SimNames.firstNames), last = s.pick(SimNames.lastNames)
            fields += [("Name", .string("\(first) \(last)")), ("Email", .string("\(first.lowercased())\(row.key)@msp.example")),
                       ("IsActive", .bool(m.chance(0.95)))]
        case "Task", "Event":
            fields += [("WhatId", c.ref("Account", row.selector(1))), ("WhoId", c.ref("Contact", row.selector(2))),
                       ("Subject", .string(s.pick(["Call", "Email", "Meeting", "Follow up"]))), ("OwnerId", owner)]
            if object == "Task" {
                fields += [("Status", .string(m.pick(["Not Started", "In Progress", "Completed"]))), ("ActivityDate", .string(SimTime.day(row.createdAt)))]
            } else {
                fields += [("StartDateTime", .string(SimTime.salesforce(row.createdAt))), ("EndDateTime", .string(SimTime.salesforce(row.createdAt + 3600)))]
            }
        case "Contract":
            fields += [("AccountId", c.ref("Account", row.selector(1))), ("ContractNumber", .string(String(row.key).leftPadded(8))),
                       ("Status", .string(m.pick(["Draft", "Activated"]))), ("StartDate", .string(SimTime.day(row.createdAt))),
                       ("EndDate", .string(SimTime.day(row.createdAt + 86_400 * 365)))]
        case "Product2", "Pricebook2":
            fields += [("Name", .string(object == "Product2" ? "Managed \(s.pick(["Endpoint", "Server", "Firewall", "Backup"])) \(row.key)" : "Price Book \(row.key)")),
                       ("IsActive", .bool(m.chance(0.9)))]
            fields.append(object == "Product2" ? ("ProductCode", .string("MS-\(row.key)")) : ("IsStandard", .bool(row.key == 1)))
        default:
            fields += [("AccountId", c.ref("Account", row.selector(1))), ("Name", .string("\(object) \(row.key)")),
                       ("SerialNumber", .string("SN\(s.hex(10).uppercased())")), ("Status", .string(m.pick(["Installed", "Registered", "Obsolete"]))),
                       ("InstallDate", .string(SimTime.day(row.createdAt)))]
        }
        return fields
    }
}
