@testable import AvesaHost
import XCTest

final class GraphSimulatorTests: XCTestCase {
    private func post(_ sim: Simulator, tenant: String, _ fields: [(String, String)]) async throws -> (Int, JSONValue?) {
        let r = try await SimulatorHarness.get(sim.baseURL + "/\(tenant)/oauth2/v2.0/token",
                                               headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded")],
                                               method: "POST", body: Array(URLQuery.form(fields).utf8))
        return (r.status, r.json)
    }

    private func token(_ sim: Simulator) async throws -> String {
        let c = sim.credentials()
        let (status, json) = try await post(sim, tenant: c["directory_tenant_id"]!, [("grant_type", "client_credentials"), ("client_id", c["client_id"]!),
                                                                                    ("client_secret", c["client_secret"]!), ("scope", c["scope"]!)])
        XCTAssertEqual(status, 200)
        return try XCTUnwrap(json?["access_token"]?.string)
    }

    private func get(_ url: String, token: String) async throws -> (status: Int, response: HTTPClientResponse, json: JSONValue?) {
        try await SimulatorHarness.get(url, headers: [(name: "Authorization", value: "Bearer " + token)])
    }

    func testTokenEndpointAnswersWithAADSTSErrors() async throws {
        let sim = try SimulatorHarness.start(GraphSimulator(), test: self)
        let c = sim.credentials()
        let tenant = c["directory_tenant_id"]!
        let good = [("grant_type", "client_credentials"), ("client_id", c["client_id"]!), ("client_secret", c["client_secret"]!), ("scope", c["scope"]!)]
        let (ok, body) = try await post(sim, tenant: tenant, good)
        XCTAssertEqual(ok, 200)
        XCTAssertEqual(body?["token_type"]?.string, "Bearer")
        XCTAssertEqual(body?["expires_in"]?.int64, 3600)
        let (unknown, u) = try await post(sim, tenant: "no-such-tenant", good)
        XCTAssertEqual(unknown, 400)
        XCTAssertEqual(u?["error"]?.string, "invalid_request")
        XCTAssertTrue(u?["error_description"]?.string?.hasPrefix("AADSTS90002:") ?? false)
        XCTAssertEqual(u?["error_codes"]?[0]?.int64, 90002)
        XCTAssertNotNil(u?["trace_id"]?.string)
        XCTAssertNotNil(u?["correlation_id"]?.string)
        let (secret, s) = try await post(sim, tenant: tenant, good.map { $0.0 == "client_secret" ? ($0.0, "wrong") : $0 })
        XCTAssertEqual(secret, 401)
        XCTAssertEqual(s?["error"]?.string, "invalid_client")
        XCTAssertEqual(s?["error_codes"]?[0]?.int64, 7000215)
        let (scope, sc) = try await post(sim, tenant: tenant, good.map { $0.0 == "scope" ? ($0.0, "User.Read") : $0 })
        XCTAssertEqual(scope, 400)
        XCTAssertEqual(sc?["error"]?.string, "invalid_scope")
        let (noAuth, _, graph) = try await SimulatorHarness.get(sim.baseURL + "/v1.0/users")
        XCTAssertEqual(noAuth, 401)
        XCTAssertEqual(graph?["error"]?["code"]?.string, "InvalidAuthenticationToken")
    }

    func testCollectionsPageWithOpaqueAbsoluteNextLinksAndSelect() async throws {
        let sim = try SimulatorHarness.start(GraphSimulator(), test: self)
        let token = try await token(sim)
        var url: String? = sim.baseURL + "/v1.0/devices?$top=25&$select=id,displayName"
        var ids: [String] = []
        var pages = 0
        while let next = url {
            let (status, _, json) = try await get(next, token: token)
            XCTAssertEqual(status, 200)
            pages += 1
            for item in json?["value"]?.array ?? [] {
                XCTAssertEqual(Set(item.object?.keys ?? []), ["id", "displayName"])
                ids.append(item["id"]!.string!)
            }
            url = json?["@odata.nextLink"]?.string
            if let url {
                XCTAssertTrue(url.hasPrefix(sim.baseURL + "/v1.0/devices?") && url.contains("%24skiptoken="), url)
            }
        }
        XCTAssertEqual(pages, 3)
        XCTAssertEqual(ids, sim.liveIDs("devices"))
        let (_, _, users) = try await get(sim.baseURL + "/v1.0/users?$top=1", token: token)
        XCTAssertEqual(Set(users?["value"]?[0]?.object?.keys ?? []), GraphRecords.defaultUserProperties)
        let (missing, _, error) = try await get(sim.baseURL + "/v1.0/nothing", token: token)
        XCTAssertEqual(missing, 404)
        XCTAssertEqual(error?["error"]?["code"]?.string, "Request_ResourceNotFound")
    }

    /// Page sizes as Graph takes them: `$top` is refused by resources that support only
    /// `$select`, ignored by delta queries, whose size is `Prefer: odata.maxpagesize`.
    func testPageSizesFollowEachResourcesQueryOptions() async throws {
        let sim = try SimulatorHarness.start(GraphSimulator(), test: self)
        let token = try await token(sim)
        for resource in ["organization", "subscribedSkus", "directoryRoles", "domains", "admin/serviceAnnouncement/healthOverviews"] {
            let (status, _, json) = try await get(sim.baseURL + "/v1.0/\(resource)?$top=999", token: token)
            XCTAssertEqual(status, 400, resource)
            XCTAssertEqual(json?["error"]?["code"]?.string, "Request_UnsupportedQuery", resource)
            let (plain, _, _) = try await get(sim.baseURL + "/v1.0/\(resource)", token: token)
            XCTAssertEqual(plain, 200, resource)
        }
        let (_, _, ignored) = try await get(sim.baseURL + "/v1.0/users/delta?$top=5", token: token)
        XCTAssertEqual(ignored?["value"]?.array?.count, 100, "delta ignores $top (default page 100)")
        let sized = try await SimulatorHarness.get(sim.baseURL + "/v1.0/users/delta",
                                                   headers: [(name: "Authorization", value: "Bearer " + token),
                                                             (name: "Prefer", value: "return=minimal, odata.maxpagesize=7")])
        XCTAssertEqual(sized.json?["value"]?.array?.count, 7)
        XCTAssertEqual(sized.response.header("Preference-Applied"), "odata.maxpagesize=7")
    }

    func testDeltaReturnsOnlyChangesAndRemovalsThen410ForUnknownTokens() async throws {
        let sim = try SimulatorHarness.start(GraphSimulator(), test: self)
        let token = try await token(sim)
        func round(_ start: String) async throws -> (ids: [String], removed: [String], deltaLink: String) {
            var url: String? = start
            var ids: [String] = [], removed: [String] = []
            var deltaLink: String?
            while let next = url {
                let (status, _, json) = try await get(next, token: token)
                XCTAssertEqual(status, 200)
                for item in json?["value"]?.array ?? [] {
                    if let reason = item["@removed"]?["reason"]?.string {
                        XCTAssertEqual(reason, "deleted")
                        removed.append(item["id"]!.string!)
                    } else {
                        ids.append(item["id"]!.string!)
                    }
                }
                url = json?["@odata.nextLink"]?.string
                deltaLink = json?["@odata.deltaLink"]?.string
                XCTAssertFalse(url != nil && deltaLink != nil, "a page has a next link or a delta link, not both")
            }
            return (ids, removed, try XCTUnwrap(deltaLink))
        }
        let initial = try await round(sim.baseURL + "/v1.0/users/delta?$select=id,displayName&$top=50")
        XCTAssertEqual(initial.ids, sim.liveIDs("users"))
        XCTAssertTrue(initial.deltaLink.contains("%24deltatoken="))
        let snapshot = sim.dataset().clock
        sim.advance(fraction: 0.1)
        let changes = try await round(initial.deltaLink)
        XCTAssertEqual(changes.ids, sim.changedIDs("users", after: snapshot))
        let removed = Set(sim.changedIDs("users", after: snapshot, includeDeleted: true)).subtracting(changes.ids)
        XCTAssertEqual(Set(changes.removed), removed)
        XCTAssertFalse(removed.isEmpty)
        let quiet = try await round(changes.deltaLink)
        XCTAssertEqual(quiet.ids + quiet.removed, [])
        let (gone, _, error) = try await get(sim.baseURL + "/v1.0/users/delta?$deltatoken=garbage", token: token)
        XCTAssertEqual(gone, 410)
        XCTAssertEqual(error?["error"]?["code"]?.string, "syncStateNotFound")
    }

    func testExpiredDeltaTokenAndFractionalRetryAfter() async throws {
        var options = SimulatorOptions(seed: 5)
        options.deltaTokenLifetime = -1
        let sim = try SimulatorHarness.start(GraphSimulator(), options: options, test: self)
        let token = try await token(sim)
        let (_, _, first) = try await get(sim.baseURL + "/v1.0/groups/delta", token: token)
        let deltaLink = try XCTUnwrap(first?["@odata.deltaLink"]?.string)
        let (gone, _, error) = try await get(deltaLink, token: token)
        XCTAssertEqual(gone, 410)
        XCTAssertEqual(error?["error"]?["code"]?.string, "syncStateNotFound")
        XCTAssertTrue(error?["error"]?["message"]?.string?.contains("expired") ?? false)
        var faults = SimFaults()
        faults.throttleNext = 1
        faults.retryAfter = 0.25
        sim.setFaults(faults)
        let (status, response, body) = try await get(sim.baseURL + "/v1.0/users", token: token)
        XCTAssertEqual(status, 429)
        XCTAssertEqual(response.header("Retry-After"), "0.25")
        XCTAssertEqual(body?["error"]?["code"]?.string, "TooManyRequests")
    }

    func testConnectorExtractsCollectionsAndFollowsDeltaLinks() async throws {
        let sim = try SimulatorHarness.start(GraphSimulator(), test: self)
        let connection = try SimulatorHarness.connect("m365", to: sim, instance: 1)
        var watermarks: [String: String] = [:]
        for collection in ["organization", "users", "groups", "devices", "subscribedSkus", "security/alerts_v2", "deviceManagement/managedDevices"] {
            let full = try await SimulatorHarness.extract(collection, connection, pageSize: 100)
            XCTAssertEqual(full.ids, sim.liveIDs(collection, instance: 1), collection)
            if let watermark = full.watermark { watermarks[collection] = watermark }
        }
        XCTAssertEqual(Set(watermarks.keys), ["users", "groups"])
        let snapshot = sim.dataset(instance: 1).clock
        sim.advance(fraction: 0.2, instance: 1)
        sim.resetStats()
        for collection in ["users", "groups"] {
            let delta = try await SimulatorHarness.extract(collection, connection, start: .url(watermarks[collection]!))
            XCTAssertEqual(delta.ids, sim.changedIDs(collection, instance: 1, after: snapshot), collection)
            let all = sim.changedIDs(collection, instance: 1, after: snapshot, includeDeleted: true)
            XCTAssertEqual(Set(delta.deleted), Set(all).subtracting(delta.ids), collection)
            XCTAssertFalse(delta.deleted.isEmpty, collection)
            XCTAssertNotNil(delta.watermark, collection)
            XCTAssertEqual(sim.stats.records(instance: 1, table: collection), all.count, collection)
        }
    }

    func testConnectorWaitsOutThrottlingAndRefusesBadSecrets() async throws {
        let sim = try SimulatorHarness.start(GraphSimulator(), test: self)
        let connection = try SimulatorHarness.connect("m365", to: sim)
        var faults = SimFaults()
        faults.throttleNext = 3
        faults.retryAfter = 0.05
        sim.setFaults(faults)
        let result = try await SimulatorHarness.extract("users", connection, pageSize: 40)
        XCTAssertEqual(result.ids, sim.liveIDs("users"))
        XCTAssertEqual(sim.stats.throttled, 3)
        sim.expireTokens()
        let again = try await SimulatorHarness.extract("organization", connection)
        XCTAssertEqual(again.ids.count, 1)
        XCTAssertEqual(sim.stats.requests(route: "POST token"), 2, "the 401 after expiry triggered one refresh")
        let bad = try SimulatorHarness.connect("m365", to: sim, override: ["client_secret": "wrong"])
        do {
            _ = try await SimulatorHarness.extract("users", bad)
            XCTFail("a wrong secret must fail")
        } catch ConnectorError.authentication(let message) {
            XCTAssertTrue(message.contains("invalid_client"), message)
        }
    }
}
