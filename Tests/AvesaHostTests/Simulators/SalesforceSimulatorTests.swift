@testable import AvesaHost
import XCTest

final class SalesforceSimulatorTests: XCTestCase {
    private func token(_ sim: Simulator, instance: Int = 0) async throws -> String {
        let c = sim.credentials(instance: instance)
        let body = URLQuery.form([("grant_type", "client_credentials"), ("client_id", c["client_id"]!), ("client_secret", c["client_secret"]!)])
        let (status, _, json) = try await SimulatorHarness.get(sim.baseURL + "/services/oauth2/token", headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded")],
                                                               method: "POST", body: Array(body.utf8))
        XCTAssertEqual(status, 200)
        return try XCTUnwrap(json?["access_token"]?.string)
    }

    private func query(_ sim: Simulator, _ soql: String, token: String, batch: Int? = nil) async throws -> (status: Int, response: HTTPClientResponse, json: JSONValue?) {
        var headers = [(name: "Authorization", value: "Bearer " + token)]
        if let batch { headers.append((name: "Sforce-Query-Options", value: "batchSize=\(batch)")) }
        return try await SimulatorHarness.get(sim.baseURL + "/services/data/v62.0/query?" + URLQuery.form([("q", soql)]), headers: headers)
    }

    func testTokenEndpointAnswersLikeSalesforce() async throws {
        let sim = try SimulatorHarness.start(SalesforceSimulator(), test: self)
        let c = sim.credentials()
        func post(_ fields: [(String, String)]) async throws -> (Int, JSONValue?) {
            let r = try await SimulatorHarness.get(sim.baseURL + "/services/oauth2/token", headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded")],
                                                   method: "POST", body: Array(URLQuery.form(fields).utf8))
            return (r.status, r.json)
        }
        let (ok, body) = try await post([("grant_type", "client_credentials"), ("client_id", c["client_id"]!), ("client_secret", c["client_secret"]!)])
        XCTAssertEqual(ok, 200)
        XCTAssertEqual(body?["instance_url"]?.string, sim.baseURL)
        XCTAssertEqual(body?["token_type"]?.string, "Bearer")
        for key in ["access_token", "issued_at", "signature", "id"] { XCTAssertNotNil(body?[key]?.string, key) }
        let (unknown, u) = try await post([("grant_type", "client_credentials"), ("client_id", "nobody"), ("client_secret", "x")])
        XCTAssertEqual(unknown, 400)
        XCTAssertEqual(u?["error"]?.string, "invalid_client_id")
        let (wrong, w) = try await post([("grant_type", "client_credentials"), ("client_id", c["client_id"]!), ("client_secret", "x")])
        XCTAssertEqual(wrong, 400)
        XCTAssertEqual(w?["error"]?.string, "invalid_client")
        XCTAssertNotNil(w?["error_description"]?.string)
        let (grant, g) = try await post([("grant_type", "password")])
        XCTAssertEqual(grant, 400)
        XCTAssertEqual(g?["error"]?.string, "unsupported_grant_type")
    }

    func testQueriesNeedAValidSession() async throws {
        let sim = try SimulatorHarness.start(SalesforceSimulator(), test: self)
        let (status, _, json) = try await query(sim, "SELECT Id FROM Account", token: "00Dbogus")
        XCTAssertEqual(status, 401)
        XCTAssertEqual(json?[0]?["errorCode"]?.string, "INVALID_SESSION_ID")
        XCTAssertEqual(json?[0]?["message"]?.string, "Session expired or invalid")
    }

    func testPagesWithNextRecordsUrlBatchSizeAndLimitInfo() async throws {
        let sim = try SimulatorHarness.start(SalesforceSimulator(), test: self)
        let token = try await token(sim)
        let (status, response, first) = try await query(sim, "SELECT Id, SystemModstamp, CaseNumber, Status FROM Case ORDER BY SystemModstamp, Id", token: token, batch: 200)
        XCTAssertEqual(status, 200)
        XCTAssertEqual(first?["totalSize"]?.int64, 500)
        XCTAssertEqual(first?["done"]?.bool, false)
        XCTAssertEqual(first?["records"]?.array?.count, 200)
        XCTAssertEqual(response.header("Sforce-Limit-Info"), "api-usage=1/100000")
        let record = try XCTUnwrap(first?["records"]?[0])
        XCTAssertEqual(record["attributes"]?["type"]?.string, "Case")
        XCTAssertTrue(record["attributes"]?["url"]?.string?.hasPrefix("/services/data/v62.0/sobjects/Case/500") ?? false)
        XCTAssertEqual(record.object?.keys, ["attributes", "Id", "SystemModstamp", "CaseNumber", "Status"])
        XCTAssertEqual(record["Id"]?.string?.count, 18)
        XCTAssertTrue(record["SystemModstamp"]?.string?.hasSuffix(".000+0000") ?? false)
        let next = try XCTUnwrap(first?["nextRecordsUrl"]?.string)
        XCTAssertTrue(next.hasPrefix("/services/data/v62.0/query/") && next.hasSuffix("-200"), next)
        var url: String? = next
        var total = 200
        var pages = 1
        while let path = url {
            let (_, response, page) = try await SimulatorHarness.get(sim.baseURL + path, headers: [(name: "Authorization", value: "Bearer " + token)])
            total += page?["records"]?.array?.count ?? 0
            pages += 1
            url = page?["nextRecordsUrl"]?.string
            XCTAssertEqual(page?["done"]?.bool, url == nil)
            XCTAssertEqual(response.header("Sforce-Limit-Info"), "api-usage=\(pages)/100000")
        }
        XCTAssertEqual(total, 500)
        XCTAssertEqual(pages, 3)
        let (_, _, big) = try await query(sim, "SELECT Id FROM CaseComment", token: token, batch: 50_000)
        XCTAssertEqual(big?["records"]?.array?.count, 600, "batch size is clamped to 2000")
    }

    func testSOQLCountWhereAndErrors() async throws {
        let sim = try SimulatorHarness.start(SalesforceSimulator(), test: self)
        let token = try await token(sim)
        let (_, _, count) = try await query(sim, "SELECT COUNT() FROM Contact", token: token)
        XCTAssertEqual(count?["totalSize"]?.int64, 150)
        XCTAssertEqual(count?["done"]?.bool, true)
        let rows = sim.dataset()["Case"]!.live
        let median = rows.map(\.changedAt).sorted()[rows.count / 2]
        let stamp = SimTime.iso(median)
        let (_, _, after) = try await query(sim, "SELECT COUNT() FROM Case WHERE SystemModstamp > \(stamp)", token: token)
        XCTAssertEqual(after?["totalSize"]?.int64, Int64(rows.filter { $0.changedAt > median }.count))
        let (_, _, both) = try await query(sim, "select count() from Case where LastModifiedDate >= \(stamp) and CreatedDate < \(SimTime.iso(median))", token: token)
        XCTAssertEqual(both?["totalSize"]?.int64, Int64(rows.filter { $0.changedAt >= median && $0.createdAt < median }.count))
        let (badField, _, field) = try await query(sim, "SELECT Id, Nope FROM Account", token: token)
        XCTAssertEqual(badField, 400)
        XCTAssertEqual(field?[0]?["errorCode"]?.string, "INVALID_FIELD")
        let (badType, _, type) = try await query(sim, "SELECT Id FROM Widget__c", token: token)
        XCTAssertEqual(badType, 400)
        XCTAssertEqual(type?[0]?["errorCode"]?.string, "INVALID_TYPE")
        let (malformed, _, syntax) = try await query(sim, "SELEKT Id FROM Account", token: token)
        XCTAssertEqual(malformed, 400)
        XCTAssertEqual(syntax?[0]?["errorCode"]?.string, "MALFORMED_QUERY")
        // Only the datetime literals SOQL documents: records' own `.000+0000` form, or a
        // "+" that arrived as a space (sent unencoded), is refused as Salesforce refuses it.
        for literal in [SimTime.salesforce(median), SimTime.salesforce(median).replacingOccurrences(of: "+", with: " "),
                        "2026-11-01T10:00:00.000Z", "2026-11-01", "'\(stamp)'"] {
            let (refused, _, _) = try await query(sim, "SELECT COUNT() FROM Case WHERE SystemModstamp > \(literal)", token: token)
            XCTAssertEqual(refused, 400, literal)
        }
        let (offset, _, _) = try await query(sim, "SELECT COUNT() FROM Case WHERE SystemModstamp > 2026-11-01T12:00:00+02:00", token: token)
        XCTAssertEqual(offset, 200)
    }

    func testDailyLimitIsA403ThatTheConnectorTreatsAsQuotaExhaustion() async throws {
        let sim = try SimulatorHarness.start(SalesforceSimulator(), test: self)
        sim.setAPIUsage(100_000)
        let token = try await token(sim)
        let (status, _, json) = try await query(sim, "SELECT Id FROM Account", token: token)
        XCTAssertEqual(status, 403)
        XCTAssertEqual(json?[0]?["errorCode"]?.string, "REQUEST_LIMIT_EXCEEDED")
        let connection = try SimulatorHarness.connect("salesforce", to: sim)
        do {
            _ = try await SimulatorHarness.extract("Account", connection)
            XCTFail("a spent daily limit must stop the extraction")
        } catch ConnectorError.quotaExhausted {}
    }

    func testConnectorExtractsObjectsThenOnlyChangesAfterAdvance() async throws {
        let sim = try SimulatorHarness.start(SalesforceSimulator(), test: self)
        let connection = try SimulatorHarness.connect("salesforce", to: sim, instance: 1)
        let objects = ["Account", "Contact", "Case", "CaseComment", "Opportunity", "Task"]
        var cursors: [String: String] = [:]
        for object in objects {
            let full = try await SimulatorHarness.extract(object, connection, pageSize: 200)
            XCTAssertEqual(Set(full.ids), Set(sim.liveIDs(object, instance: 1)), object)
            XCTAssertEqual(full.ids.count, sim.liveIDs(object, instance: 1).count, object)
            // As the pipeline writes a watermark into the filter: a SOQL datetime literal.
            cursors[object] = full.maxCursor.flatMap { TimestampParser.microseconds($0) }.map { CursorTime.format($0, as: .iso8601Offset) }
        }
        XCTAssertEqual(sim.stats.requests(instance: 1, route: "GET queryAll/more"), 2 + 2 + 1, "Case 500, CaseComment 600, Task 300 in batches of 200")
        sim.advance(fraction: 0.1)
        sim.resetStats()
        for object in objects {
            let since = try XCTUnwrap(cursors[object])
            let delta = try await SimulatorHarness.extract(object, connection, since: since)
            // queryAll: deletions arrive too (IsDeleted), as changes.
            let expected = sim.changedIDs(object, instance: 1, after: SimTime.parse(since)!, includeDeleted: true)
            XCTAssertEqual(delta.ids, expected, object)
            XCTAssertFalse(expected.isEmpty, object)
            XCTAssertEqual(sim.stats.records(instance: 1, table: object), expected.count, object)
        }
        XCTAssertEqual(sim.stats.requests(instance: 1, route: "POST token"), 0, "the cached token is reused")
    }

    func testExpiredSessionIsRefreshedOnceAndThrottlingIsWaitedOut() async throws {
        let sim = try SimulatorHarness.start(SalesforceSimulator(), test: self)
        let connection = try SimulatorHarness.connect("salesforce", to: sim)
        _ = try await SimulatorHarness.extract("Account", connection)
        sim.expireTokens()
        var faults = SimFaults()
        faults.throttleNext = 2
        faults.retryAfter = 0.05
        sim.setFaults(faults)
        let again = try await SimulatorHarness.extract("Contact", connection, pageSize: 200)
        XCTAssertEqual(again.ids.count, 150)
        XCTAssertEqual(sim.stats.requests(route: "POST token"), 2)
        XCTAssertEqual(sim.stats.unauthorized, 1)
        XCTAssertEqual(sim.stats.throttled, 2)
        let tokenRequests = await (connection.authenticator as! OAuth2Authenticator).tokenRequests
        XCTAssertEqual(tokenRequests, 2)
        let bad = try SimulatorHarness.connect("salesforce", to: sim, override: ["client_secret": "wrong"])
        do {
            _ = try await SimulatorHarness.extract("Account", bad)
            XCTFail("a wrong secret must fail")
        } catch ConnectorError.authentication(let message) {
            XCTAssertTrue(message.contains("invalid_client"), message)
        }
    }

    func testQueryAllAndDeletedListTombstones() async throws {
        let sim = try SimulatorHarness.start(SalesforceSimulator(), test: self)
        let before = sim.dataset().clock
        sim.advance(fraction: 0.2)
        let token = try await token(sim)
        let tombstones = sim.dataset()["Account"]!.tombstones
        XCTAssertFalse(tombstones.isEmpty)
        let auth = [(name: "Authorization", value: "Bearer " + token)]
        let (_, _, live) = try await query(sim, "SELECT COUNT() FROM Account", token: token)
        let (_, _, all) = try await SimulatorHarness.get(sim.baseURL + "/services/data/v62.0/queryAll?" + URLQuery.form([("q", "SELECT Id, IsDeleted FROM Account")]), headers: auth)
        XCTAssertEqual(all?["totalSize"]?.int64, (live?["totalSize"]?.int64 ?? 0) + Int64(tombstones.count))
        XCTAssertEqual(all?["records"]?.array?.filter { $0["IsDeleted"]?.bool == true }.count, tombstones.count)
        let (users, _, _) = try await SimulatorHarness.get(sim.baseURL + "/services/data/v62.0/queryAll?" + URLQuery.form([("q", "SELECT Id, IsDeleted FROM User")]), headers: auth)
        XCTAssertEqual(users, 400, "User has no IsDeleted field")
        let window = URLQuery.form([("start", SimTime.salesforce(before)), ("end", SimTime.salesforce(SimTime.now() + 60))])
        let (status, _, deleted) = try await SimulatorHarness.get(sim.baseURL + "/services/data/v62.0/sobjects/Account/deleted/?" + window, headers: auth)
        XCTAssertEqual(status, 200)
        XCTAssertEqual(Set(deleted?["deletedRecords"]?.array?.compactMap { $0["id"]?.string } ?? []),
                       Set(tombstones.map { SalesforceRecords.id("Account", $0.key, instance: 0) }))
        XCTAssertNotNil(deleted?["latestDateCovered"]?.string)
    }
}
