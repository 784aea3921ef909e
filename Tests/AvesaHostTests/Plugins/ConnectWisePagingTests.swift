@testable import AvesaHost
import Foundation
import XCTest

/// The ConnectWise connector pages by id (`conditions=id > LAST`, `orderBy=id asc`): it
/// needs no forward-only support from the endpoint, and records deleted while it reads
/// hide no other record.
final class ConnectWisePagingTests: XCTestCase {
    /// With page numbers every later record moved back a place per deletion, and one per
    /// deletion was never read (a full sync then closed it as deleted).
    func testRecordsDeletedMidSyncHideNoOtherRecord() async throws {
        try await SimulatorHarness.assertDeletionsMidSyncHideNoRecord(ConnectWiseSimulator(), endpoint: "time/entries", pageSize: 100,
                                                                      deletions: 7, test: self)
    }

    /// A server that caps pageSize (some on-premises versions) answers short pages while
    /// rows remain: only an empty page ends the table.
    func testAServerThatCapsThePageSizeIsReadToTheEnd() async throws {
        var options = SimulatorOptions(seed: 3, scale: 1, instances: 1)
        options.connectWisePageCap = 25
        let sim = try SimulatorHarness.start(ConnectWiseSimulator(), options: options, test: self)
        let connection = try SimulatorHarness.connect("connectwise", to: sim)
        let result = try await SimulatorHarness.extract("service/tickets", connection, pageSize: 1000)
        XCTAssertEqual(result.ids, sim.liveIDs("service/tickets"), "every ticket, in pages of 25")
        XCTAssertEqual(result.pages, (sim.liveIDs("service/tickets").count + 24) / 25 + 1, "the last one empty")
    }

    /// Each next page is the host's own request, keyed by the last id: no Link header, no
    /// forward-only header (which some endpoints do not support and which refuses orderBy).
    func testEachPageAsksForTheIdsAfterTheLastOne() throws {
        let endpoint = try XCTUnwrap(try FirstPartyPluginsTests.loadManifest("connectwise").endpoint(named: "service/tickets"))
        let query = EndpointQuery(baseURL: "https://api-na.myconnectwise.net/v4_6_release/apis/3.0", credentials: [:], headers: [],
                                  since: "2026-11-01T00:00:00Z", until: "2026-11-02T00:00:00Z", pageSize: 500)
        let first = try query.firstURL(for: endpoint)
        let next = try query.firstURL(for: endpoint, afterKey: "1042")
        XCTAssertEqual(URLQuery.decode(Substring(first)).map { $0.contains("conditions=lastUpdated > [2026-11-01T00:00:00Z] and lastUpdated <= [2026-11-02T00:00:00Z]") }, true, first)
        XCTAssertEqual(URLQuery.decode(Substring(next)).map { $0.contains("conditions=id > 1042 and lastUpdated > [2026-11-01T00:00:00Z]") }, true, next)
        XCTAssertTrue(next.contains("orderBy=id%20asc"), next)
        let full = EndpointQuery(baseURL: "https://x", credentials: [:], headers: [], since: nil, until: nil, pageSize: nil)
        XCTAssertEqual(URLQuery.decode(Substring(try full.firstURL(for: endpoint, afterKey: "7"))).map { $0.contains("conditions=id > 7 and id > 0") }, true)
    }
}
