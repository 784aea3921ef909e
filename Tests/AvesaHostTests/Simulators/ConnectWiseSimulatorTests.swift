@testable import AvesaHost
import XCTest

final class ConnectWiseSimulatorTests: XCTestCase {
    private let root = ConnectWiseSimulator.apiRoot

    private func headers(_ sim: Simulator, instance: Int = 0) -> [(name: String, value: String)] {
        let c = sim.credentials(instance: instance)
        return [SimulatorHarness.basic("\(c["company_id"]!)+\(c["public_key"]!)", c["private_key"]!), (name: "clientId", value: c["client_id"]!)]
    }

    func testRefusesBadCredentialsWith401AndAMissingClientIdWith400() async throws {
        let sim = try SimulatorHarness.start(ConnectWiseSimulator(), test: self)
        let url = sim.baseURL + root + "/company/companies"
        let c = sim.credentials()
        for headers in [[], [SimulatorHarness.basic("\(c["company_id"]!)+\(c["public_key"]!)", "wrong"), (name: "clientId", value: c["client_id"]!)]] {
            let (status, _, json) = try await SimulatorHarness.get(url, headers: headers)
            XCTAssertEqual(status, 401)
            XCTAssertEqual(json?["code"]?.string, "Unauthorized")
            XCTAssertNotNil(json?["message"]?.string)
            XCTAssertNotNil(json?["errors"])
        }
        let (missingClient, _, body) = try await SimulatorHarness.get(url, headers: [SimulatorHarness.basic("\(c["company_id"]!)+\(c["public_key"]!)", c["private_key"]!)])
        XCTAssertEqual(missingClient, 400)
        XCTAssertTrue(body?["message"]?.string?.contains("clientId") ?? false)
        XCTAssertEqual(sim.stats.unauthorized, 3)
    }

    func testPagesWithLinkHeaderAndCountsRecords() async throws {
        let sim = try SimulatorHarness.start(ConnectWiseSimulator(), test: self)
        let h = headers(sim)
        let (status, response, json) = try await SimulatorHarness.get(sim.baseURL + root + "/company/companies?page=2&pageSize=10&orderBy=id%20asc", headers: h)
        XCTAssertEqual(status, 200)
        XCTAssertEqual(json?.array?.map { $0["id"]?.int64 }, (11...20).map { Int64($0) })
        let links = LinkHeader.parse(response.headerValues("Link"))
        XCTAssertEqual(Set(links.flatMap(\.relations)), ["first", "prev", "next", "last"])
        XCTAssertTrue(LinkHeader.target(relation: "last", in: response.headerValues("Link"))!.contains("page=5"))
        let (_, _, count) = try await SimulatorHarness.get(sim.baseURL + root + "/company/companies/count", headers: h)
        XCTAssertEqual(count?["count"]?.int64, 50)
        let (_, _, one) = try await SimulatorHarness.get(sim.baseURL + root + "/service/tickets/42", headers: h)
        XCTAssertEqual(one?["id"]?.int64, 42)
        let (gone, _, _) = try await SimulatorHarness.get(sim.baseURL + root + "/service/tickets/99999", headers: h)
        XCTAssertEqual(gone, 404)
        let (_, _, past) = try await SimulatorHarness.get(sim.baseURL + root + "/company/companies?page=9&pageSize=10", headers: h)
        XCTAssertEqual(past?.array?.count, 0)
        let (_, _, big) = try await SimulatorHarness.get(sim.baseURL + root + "/time/entries?pageSize=5000", headers: h)
        XCTAssertEqual(big?.array?.count, 1000, "pageSize is capped at 1000")
    }

    func testForwardOnlyPagesByIdWithOnlyANextLink() async throws {
        let sim = try SimulatorHarness.start(ConnectWiseSimulator(), test: self)
        let h = headers(sim) + [(name: "pagination-type", value: "forward-only")]
        var url: String? = sim.baseURL + root + "/company/companies?pageSize=20&orderBy=id%20asc&page=7"
        var ids: [Int64] = []
        var requests = 0
        while let next = url {
            let (status, response, json) = try await SimulatorHarness.get(next, headers: h)
            XCTAssertEqual(status, 200)
            ids += json?.array?.compactMap { $0["id"]?.int64 } ?? []
            let links = LinkHeader.parse(response.headerValues("Link"))
            XCTAssertTrue(links.allSatisfy { $0.relations == ["next"] }, "forward-only answers only next")
            url = LinkHeader.target(relation: "next", in: response.headerValues("Link"))
            if let url {
                XCTAssertTrue(url.contains("pageId=\(ids.last!)"), url)
                XCTAssertFalse(url.contains("page="), "page is not used: \(url)")
            }
            requests += 1
        }
        XCTAssertEqual(ids, (1...50).map { Int64($0) }, "every record once, in id order, whatever page= said")
        XCTAssertEqual(requests, 3)
        let (_, _, conditioned) = try await SimulatorHarness.get(
            sim.baseURL + root + "/company/companies?pageSize=5&pageId=40&conditions=id%3E%3D10", headers: h)
        XCTAssertEqual(conditioned?.array?.map { $0["id"]?.int64 }, (41...45).map { Int64($0) }, "pageId adds id > pageId to the conditions")
    }

    func testRecordsCarryTheFieldsTheMappingReads() async throws {
        let sim = try SimulatorHarness.start(ConnectWiseSimulator(), test: self)
        let h = headers(sim)
        let (_, _, contacts) = try await SimulatorHarness.get(sim.baseURL + root + "/company/contacts?pageSize=1", headers: h)
        let contact = try XCTUnwrap(contacts?[0])
        XCTAssertNotNil(contact.value(atPath: "company.id")?.int64)
        XCTAssertEqual(contact["communicationItems"]?.array?.compactMap { $0["communicationType"]?.string }, ["Email", "Phone"])
        XCTAssertNotNil(SimTime.parse(contact.value(atPath: "_info.lastUpdated")?.string ?? ""))
        let (_, _, tickets) = try await SimulatorHarness.get(sim.baseURL + root + "/service/tickets?pageSize=1", headers: h)
        let ticket = try XCTUnwrap(tickets?[0])
        for path in ["board.name", "status.name", "priority.name", "company.id", "contact.id", "owner.identifier", "_info.lastUpdated"] {
            XCTAssertNotNil(ticket.value(atPath: path), path)
        }
        let (_, _, entries) = try await SimulatorHarness.get(sim.baseURL + root + "/time/entries?pageSize=1", headers: h)
        let entry = try XCTUnwrap(entries?[0])
        for path in ["chargeToId", "chargeToType", "member.identifier", "timeStart", "timeEnd", "actualHours", "billableOption"] {
            XCTAssertNotNil(entry.value(atPath: path), path)
        }
    }

    func testConditionsFilterOnLastUpdatedAndId() async throws {
        let sim = try SimulatorHarness.start(ConnectWiseSimulator(), test: self)
        let h = headers(sim)
        let rows = sim.dataset()["service/tickets"]!.live
        let median = rows.map(\.changedAt).sorted()[rows.count / 2]
        func count(_ conditions: String) async throws -> Int64? {
            let url = sim.baseURL + root + "/service/tickets/count?" + URLQuery.form([("conditions", conditions)])
            return try await SimulatorHarness.get(url, headers: h).json?["count"]?.int64
        }
        let stamp = SimTime.iso(median)
        let after = try await count("lastUpdated > [\(stamp)]")
        XCTAssertEqual(after, Int64(rows.filter { $0.changedAt > median }.count))
        let atOrAfter = try await count("lastUpdated >= [\(stamp)]")
        XCTAssertEqual(atOrAfter, Int64(rows.filter { $0.changedAt >= median }.count))
        let before = try await count("lastUpdated < [\(stamp)] and id > 100")
        XCTAssertEqual(before, Int64(rows.filter { $0.changedAt < median && $0.key > 100 }.count))
        let (status, _, json) = try await SimulatorHarness.get(sim.baseURL + root + "/service/tickets?conditions=nonsense", headers: h)
        XCTAssertEqual(status, 400)
        XCTAssertEqual(json?["code"]?.string, "InvalidObject")
    }

    func testThrottlingIsA429WithRetryAfter() async throws {
        let sim = try SimulatorHarness.start(ConnectWiseSimulator(), test: self)
        var faults = SimFaults()
        faults.throttleNext = 1
        faults.retryAfter = 2
        sim.setFaults(faults)
        let (status, response, json) = try await SimulatorHarness.get(sim.baseURL + root + "/company/companies", headers: headers(sim))
        XCTAssertEqual(status, 429)
        XCTAssertEqual(response.header("Retry-After"), "2")
        XCTAssertEqual(json?["code"]?.string, "TooManyRequests")
        let (next, _, _) = try await SimulatorHarness.get(sim.baseURL + root + "/company/companies", headers: headers(sim))
        XCTAssertEqual(next, 200)
    }

    func testConnectorExtractsEveryEndpointThenOnlyChangesAfterAdvance() async throws {
        let sim = try SimulatorHarness.start(ConnectWiseSimulator(), test: self)
        let connection = try SimulatorHarness.connect("connectwise", to: sim)
        let tables = ["company/companies", "company/contacts", "service/tickets", "time/entries", "system/members", "finance/agreements"]
        var cursors: [String: String] = [:]
        for table in tables {
            let full = try await SimulatorHarness.extract(table, connection, pageSize: 250)
            XCTAssertEqual(full.ids, sim.liveIDs(table), table)
            cursors[table] = full.maxCursor
        }
        XCTAssertEqual(sim.stats.requests(route: "GET time/entries"), 7, "1500 entries in six full pages of 250, then an empty one past the last id")
        sim.advance(fraction: 0.1)
        sim.resetStats()
        for table in tables {
            let since = try XCTUnwrap(cursors[table])
            let delta = try await SimulatorHarness.extract(table, connection, since: since, pageSize: 250)
            let expected = sim.changedIDs(table, after: SimTime.parse(since)!)
            XCTAssertEqual(delta.ids, expected, table)
            XCTAssertFalse(expected.isEmpty, table)
            XCTAssertEqual(sim.stats.records(table: table), expected.count, table)
        }
        XCTAssertEqual(sim.stats.requests(instance: 1), 0, "instance 1 was never called")
    }

    func testConnectorSurvivesThrottlingAndServerErrorsButNotBadKeys() async throws {
        let sim = try SimulatorHarness.start(ConnectWiseSimulator(), test: self)
        // Throttled attempts count toward the client's attempts, so allow enough of them.
        let connection = try SimulatorHarness.connect("connectwise", to: sim, instance: 1,
                                                      policy: RetryPolicy(maxAttempts: 8, baseDelay: 0.01, maxDelay: 0.05))
        var faults = SimFaults()
        faults.throttleNext = 3
        faults.errorNext = 2
        faults.retryAfter = 0.05
        sim.setFaults(faults)
        let result = try await SimulatorHarness.extract("service/tickets", connection, pageSize: 100)
        XCTAssertEqual(result.ids, sim.liveIDs("service/tickets", instance: 1))
        XCTAssertEqual(sim.stats.throttled, 3)
        XCTAssertEqual(sim.stats.serverErrors, 2)

        let bad = try SimulatorHarness.connect("connectwise", to: sim, override: ["private_key": "nope"])
        do {
            _ = try await SimulatorHarness.extract("company/companies", bad)
            XCTFail("bad keys must fail")
        } catch ConnectorError.authentication(let message) {
            XCTAssertTrue(message.contains("401"), message)
        }
    }

    func testMalformedPageFailsThePageStream() async throws {
        let sim = try SimulatorHarness.start(ConnectWiseSimulator(), test: self)
        let connection = try SimulatorHarness.connect("connectwise", to: sim)
        var faults = SimFaults()
        faults.malformedNext = 1
        sim.setFaults(faults)
        do {
            _ = try await SimulatorHarness.extract("company/companies", connection)
            XCTFail("a malformed page must fail")
        } catch ConnectorError.pagination(let message) {
            XCTAssertTrue(message.contains("malformed"), message)
        }
    }
}
