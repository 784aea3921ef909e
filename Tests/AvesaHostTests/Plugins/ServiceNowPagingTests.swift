@testable import AvesaHost
import Foundation
import XCTest

/// The ServiceNow connector reads a table to its end when access rules hide rows (a page
/// shorter than `sysparm_limit` is not the last one) and when records are deleted while it
/// reads (keyset paging by sys_id).
final class ServiceNowPagingTests: XCTestCase {
    /// Deleting records already read moves no other record past the sync. With offset
    /// paging every later record moved back a place, and one per deletion was never read
    /// (a full sync would then have closed it as deleted).
    func testRecordsDeletedMidSyncHideNoOtherRecord() async throws {
        try await SimulatorHarness.assertDeletionsMidSyncHideNoRecord(ServiceNowSimulator(), endpoint: "incident", pageSize: 50,
                                                                      deletions: 5, records: 500, test: self)
    }

    /// Access rules that hide whole pages are stepped over by offset from the last sys_id.
    func testPagesEmptiedByAccessRulesAreSteppedOver() async throws {
        var options = SimulatorOptions(seed: 5, scale: 1, instances: 1)
        options.serviceNowHiddenEvery = 2
        let sim = try SimulatorHarness.start(ServiceNowSimulator(), options: options, test: self)
        let connection = try SimulatorHarness.connect("servicenow", to: sim)
        let visible = sim.liveIDs("incident").enumerated().filter { ($0.offset + 1) % 2 != 0 }.map(\.element)
        let result = try await SimulatorHarness.extract("incident", connection, pageSize: 1)
        XCTAssertEqual(Set(visible).subtracting(result.ids), [], "every visible incident, past each page of one hidden row")
        XCTAssertEqual(result.ids.count, visible.count)
    }

    func testPagesShortenedByAccessRulesDoNotEndTheSync() async throws {
        var options = SimulatorOptions(seed: 5, scale: 1, instances: 1)
        options.serviceNowHiddenEvery = 7
        let sim = Simulator(service: ServiceNowSimulator(), options: options)
        _ = try sim.start()
        let estate = try SimulatedTenant("servicenow-paging", simulator: sim, tables: ["incident"])
        defer { estate.remove() }
        let report = try await estate.run { $0.pageSize = 50 }
        // What the integration user can see: one page holding the whole table.
        let credentials = sim.credentials(instance: 0)
        let auth = "Basic " + Data("\(credentials["username"]!):\(credentials["password"]!)".utf8).base64EncodedString()
        let engine = CurlEngine()
        let everything = try await engine.execute(HTTPClientRequest(
            url: sim.baseURL + "/api/now/table/incident?sysparm_limit=100000", headers: [(name: "Authorization", value: auth)]))
        engine.shutdown()
        await sim.shutdown()
        XCTAssertEqual(report.failed.count, 0, "\(report.failed)")
        let visible = try XCTUnwrap(try JSONParser.parse(everything.body)["result"]?.array).count
        XCTAssertEqual(visible, 500 - 500 / 7, "every 7th of the 500 incidents hidden")
        let warehouse = try SQLiteDatabase(path: estate.data + "/tenants/acme/warehouse.sqlite")
        XCTAssertEqual(try warehouse.scalarInt(SQLQuery("SELECT COUNT(*) FROM current_tickets")), Int64(visible),
                       "every visible incident, past the first short page")
    }
}
