@testable import AvesaHost
import Foundation
import XCTest

/// The ServiceNow connector reads a table to its end when access rules hide rows: a page
/// shorter than `sysparm_limit` is not the last one.
final class ServiceNowPagingTests: XCTestCase {
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
