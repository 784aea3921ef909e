/// ConnectWise Manage record shapes (`…/apis/3.0`): integer ids, nested references
/// `{id, identifier|name, _info}`, ISO-8601 UTC times and `_info.lastUpdated`.
enum ConnectWiseRecords {
    static let statuses = ["New", "Assigned", "In Progress", "Waiting Customer", "Scheduled", "Escalated", "Resolved",
                           "Completed", ">Closed"]
    static let priorities = ["Priority 1 - Emergency Response", "Priority 2 - Quick Response", "Priority 3 - Normal Response",
                             "Priority 4 - Schedule Maintenance"]
    static let boards = ["Help Desk", "Professional Services", "Alerts", "Projects"]
    static let billable = ["Billable", "DoNotBill", "NoCharge", "NoDefault"]

    static func info(_ row: SimRow) -> JSONValue {
        ["lastUpdated": .string(SimTime.iso(row.changedAt)), "updatedBy": "ApiMember",
         "dateEntered": .string(SimTime.iso(row.createdAt)), "enteredBy": "ApiMember"]
    }

    static func ref(_ id: Int, name: String, key: String = "name") -> JSONValue {
        .object(JSONObject([JSONMember(key: "id", value: SimHTTP.number(id)), JSONMember(key: key, value: .string(name)),
                            JSONMember(key: "_info", value: [:])]))
    }

    static func companyName(_ row: SimRow) -> String {
        var r = row.stable
        return SimNames.company(&r, key: row.key)
    }

    static func companyRef(_ dataset: SimDataset, _ selector: UInt64) -> JSONValue {
        guard let company = dataset.reference("company/companies", selector) else { return .null }
        let name = companyName(company)
        return ["id": SimHTTP.number(company.key), "identifier": .string(SimNames.slug(name)), "name": .string(name)]
    }

    static func memberRef(_ r: inout SimRandom) -> JSONValue {
        let index = r.int(0...9)
        let first = SimNames.firstNames[index], last = SimNames.lastNames[index]
        return ["id": SimHTTP.number(index + 100), "identifier": .string((first.prefix(1) + last).lowercased()),
                "name": .string("\(first) \(last)")]
    }

    /// The record of `row` in `table`.
    static func render(_ table: String, _ row: SimRow, _ dataset: SimDataset) -> JSONValue {
        var s = row.stable
        var m = row.mutable
        switch table {
        case "company/companies":
            let name = companyName(row)
            let (city, state) = s.pick(SimNames.cities)
            return ["id": SimHTTP.number(row.key), "identifier": .string(SimNames.slug(name)), "name": .string(name),
                    "status": ref(m.chance(0.9) ? 1 : 2, name: m.chance(0.9) ? "Active" : "Inactive"),
                    "types": [ref(1, name: s.chance(0.8) ? "Customer" : "Prospect")],
                    "addressLine1": .string("\(s.int(1...9999)) \(s.pick(SimNames.streets))"),
                    "addressLine2": s.chance(0.3) ? .string("Suite \(s.int(100...900))") : .null,
                    "city": .string(city), "state": .string(state), "zip": .string(String(s.int(10000...99999))),
                    "country": ref(1, name: "United States"), "phoneNumber": .string(SimNames.phone(&m)),
                    "website": .string("www.\(SimNames.slug(name).lowercased()).example"),
                    "territory": ref(1, name: "Main"), "deletedFlag": false, "dateEntered": .string(SimTime.iso(row.createdAt)),
                    "_info": info(row)]
        case "company/contacts":
            let first = s.pick(SimNames.firstNames), last = s.pick(SimNames.lastNames)
            let company = companyRef(dataset, row.selector(1))
            let domain = SimNames.slug(company["name"]?.string ?? "example").lowercased()
            return ["id": SimHTTP.number(row.key), "firstName": .string(first), "lastName": .string(last),
                    "company": company, "title": .string(m.pick(SimNames.titles)), "inactiveFlag": .bool(m.chance(0.1)),
                    "communicationItems": [
                        ["id": SimHTTP.number(row.key * 2), "type": ref(1, name: "Email"),
                         "value": .string("\(first.lowercased()).\(last.lowercased())\(row.key)@\(domain).example"),
                         "defaultFlag": true, "communicationType": "Email"],
                        ["id": SimHTTP.number(row.key * 2 + 1), "type": ref(2, name: "Direct"),
                         "value": .string(SimNames.phone(&m)), "defaultFlag": true, "communicationType": "Phone"],
                    ],
                    "_info": info(row)]
        case "service/tickets":
            let status = m.pick(statuses)
            let closed = status == ">Closed" || status == "Completed"
            let resolvedAt = row.createdAt + Int64(m.int(3600...86_400 * 5))
            let contact = dataset.reference("company/contacts", row.selector(2))
            return ["id": SimHTTP.number(row.key), "summary": .string(s.pick(SimNames.problems)), "recordType": "ServiceTicket",
                    "board": ref(s.int(1...4), name: s.pick(boards)), "status": ref(statuses.firstIndex(of: status)! + 1, name: status),
                    "company": companyRef(dataset, row.selector(1)),
                    "contact": contact.map { c -> JSONValue in
                        var cs = c.stable
                        return ["id": SimHTTP.number(c.key), "name": .string("\(cs.pick(SimNames.firstNames)) \(cs.pick(SimNames.lastNames))")]
                    } ?? .null,
                    "type": ref(s.int(1...3), name: s.pick(["Incident", "Service Request", "Problem"])),
                    "priority": ref(m.int(1...4), name: m.pick(priorities)),
                    "owner": memberRef(&m), "severity": "Medium", "impact": "Medium", "closedFlag": .bool(closed),
                    "dateResolved": closed ? .string(SimTime.iso(resolvedAt)) : .null,
                    "closedDate": closed ? .string(SimTime.iso(resolvedAt + 600)) : .null,
                    "_info": info(row)]
        case "time/entries":
            let ticket = dataset.reference("service/tickets", row.selector(1))
            let start = row.createdAt - Int64(s.int(900...14_400))
            let hours = Double(m.int(1...16)) / 4
            return ["id": SimHTTP.number(row.key), "company": companyRef(dataset, ticket?.selector(1) ?? 0),
                    "chargeToId": SimHTTP.number(ticket?.key ?? 1), "chargeToType": "ServiceTicket",
                    "member": memberRef(&s), "timeStart": .string(SimTime.iso(start)),
                    "timeEnd": .string(SimTime.iso(start + Int64(hours * 3600))), "actualHours": SimHTTP.number(hours),
                    "billableOption": .string(m.pick(billable)), "notes": .string("Worked on: \(s.pick(SimNames.problems))"),
                    "workType": ref(1, name: "Remote Support"), "_info": info(row)]
        default:
            return ["id": SimHTTP.number(row.key), "name": .string("\(table.split(separator: "/").last ?? "item") \(row.key)"),
                    "description": .string(s.pick(SimNames.problems)), "company": companyRef(dataset, row.selector(1)),
                    "status": ref(1, name: m.chance(0.8) ? "Active" : "Inactive"), "_info": info(row)]
        }
    }
}
