@testable import AvesaHost
import Foundation
import Glibc
import XCTest

/// The shared simulator core: seeded data, advance, faults, counters, `/_sim` controls,
/// instances and the `simulate` command.
final class SimulatorCoreTests: XCTestCase {
    func testSameSeedSameDataAndScaleMultipliesCounts() {
        let specs = ConnectWiseSimulator().tableSpecs
        let a = SimDataset(specs: specs, seed: 9, scale: 1)
        let b = SimDataset(specs: specs, seed: 9, scale: 1)
        let c = SimDataset(specs: specs, seed: 10, scale: 1)
        XCTAssertEqual(a["service/tickets"]!.rows, b["service/tickets"]!.rows)
        XCTAssertNotEqual(a["service/tickets"]!.rows, c["service/tickets"]!.rows)
        XCTAssertEqual(a["company/companies"]!.rows.count, 50)
        XCTAssertEqual(a["company/contacts"]!.rows.count, 150)
        XCTAssertEqual(a["time/entries"]!.rows.count, 1500)
        let big = SimDataset(specs: specs, seed: 9, scale: 2.5)
        XCTAssertEqual(big["service/tickets"]!.rows.count, 1250)
        XCTAssertEqual(big["service/boards"]!.rows.count, 4, "fixed tables do not scale")
        XCTAssertTrue(a["service/tickets"]!.rows.allSatisfy { $0.changedAt < SimDataset.historyEnd && $0.createdAt >= SimDataset.historyStart })
        let sim = Simulator(service: ConnectWiseSimulator(), options: SimulatorOptions(seed: 9, scale: 1, instances: 2))
        XCTAssertNotEqual(sim.dataset(instance: 0)["company/companies"]!.rows, sim.dataset(instance: 1)["company/companies"]!.rows,
                          "instances have their own data")
        XCTAssertNotEqual(sim.credentials(instance: 0)["private_key"], sim.credentials(instance: 1)["private_key"])
        let first = ConnectWiseRecords.render("service/tickets", a["service/tickets"]!.rows[0], a)
        XCTAssertEqual(first, ConnectWiseRecords.render("service/tickets", b["service/tickets"]!.rows[0], b))
    }

    func testAdvanceUpdatesInsertsAndDeletesWithAMonotonicClock() {
        var data = SimDataset(specs: [SimTableSpec("t", 100)], seed: 1, scale: 1)
        let before = data["t"]!.rows
        let now = SimTime.now()
        let change = data.advance(fraction: 0.2, now: now)["t"]!
        XCTAssertEqual(change, { var c = SimChange(); c.updated = 20; c.inserted = 10; c.deleted = 2; return c }())
        let rows = data["t"]!.rows
        XCTAssertEqual(rows.count, 110)
        XCTAssertEqual(rows.filter(\.deleted).count, 2)
        XCTAssertEqual(rows.filter { $0.changedAt == now }.count, 32)
        XCTAssertEqual(rows.filter { $0.version == 1 }.count, 20)
        XCTAssertEqual(Array(rows.prefix(100)).filter { $0.changedAt != now }, before.filter { row in rows[row.key - 1].changedAt != now })
        data.advance(fraction: 0.1, now: now)
        XCTAssertEqual(data.clock, now + 1, "a second advance in the same second still moves the clock")
        XCTAssertEqual(data["t"]!.rows.filter { $0.changedAt == now + 1 }.count, data["t"]!.rows.filter { $0.changedAt > now }.count)
    }

    func testTimeFormatsRoundTrip() {
        let t: Int64 = 1_793_527_200  // 2026-11-01T10:00:00Z
        XCTAssertEqual(SimTime.iso(t), "2026-11-01T10:00:00Z")
        XCTAssertEqual(SimTime.sql(t), "2026-11-01 10:00:00")
        XCTAssertEqual(SimTime.salesforce(t), "2026-11-01T10:00:00.000+0000")
        XCTAssertEqual(SimTime.duration(5400), "1970-01-01 01:30:00")
        for text in ["2026-11-01T10:00:00Z", "2026-11-01 10:00:00", "2026-11-01T10:00:00.000+0000", "2026-11-01T12:00:00+02:00",
                     "2026-11-01T10:00:00.000 0000"] {
            XCTAssertEqual(SimTime.parse(text), t, text)
        }
        XCTAssertNil(SimTime.parse("yesterday"))
    }

    func testControlRoutesAdvanceSetFaultsAndReportStats() async throws {
        let sim = try SimulatorHarness.start(ServiceNowSimulator(), test: self)
        let engine = SimulatorHarness.engine
        let c = sim.credentials(instance: 1)
        let auth = [SimulatorHarness.basic(c["username"]!, c["password"]!)]
        _ = try await SimulatorHarness.get(sim.baseURL + "/api/now/table/incident?sysparm_limit=5", headers: auth)
        let (_, _, stats) = try await SimulatorHarness.get(sim.baseURL + "/_sim/stats")
        XCTAssertEqual(stats?["requests"]?["1"]?["GET incident"]?.int64, 1)
        XCTAssertEqual(stats?["records"]?["1"]?["incident"]?.int64, 5)
        let (status, _, advanced) = try await SimulatorHarness.get(sim.baseURL + "/_sim/advance?fraction=0.1&instance=1", method: "POST", body: [])
        XCTAssertEqual(status, 200)
        XCTAssertEqual(advanced?["1"]?["incident"]?["updated"]?.int64, 50)
        XCTAssertNil(advanced?["0"], "only instance 1 advanced")
        let faults = Array(#"{"throttleNext": 1, "retryAfter": 3}"#.utf8)
        let set = try await engine.execute(HTTPClientRequest(method: "POST", url: sim.baseURL + "/_sim/faults",
                                                             headers: [(name: "Content-Type", value: "application/json")], body: faults))
        XCTAssertEqual(set.status, 200)
        XCTAssertEqual(sim.currentFaults.throttleNext, 1)
        let (throttled, response, _) = try await SimulatorHarness.get(sim.baseURL + "/api/now/table/incident", headers: auth)
        XCTAssertEqual(throttled, 429)
        XCTAssertEqual(response.header("Retry-After"), "3")
        let (badStatus, _, _) = try await SimulatorHarness.get(sim.baseURL + "/_sim/faults", method: "POST", body: Array(#"{"bogus": 1}"#.utf8))
        XCTAssertEqual(badStatus, 400)
        let (_, _, instances) = try await SimulatorHarness.get(sim.baseURL + "/_sim/instances")
        XCTAssertEqual(instances?.array?.count, 2)
        XCTAssertEqual(instances?[1]?["username"]?.string, c["username"])
        XCTAssertNotEqual(instances?[0]?["password"]?.string, c["password"], "instances have their own credentials")
        _ = try await SimulatorHarness.get(sim.baseURL + "/_sim/stats/reset", method: "POST", body: [])
        XCTAssertEqual(sim.stats, SimStats())
    }

    func testInProcessRespondNeedsNoSocket() async throws {
        let sim = Simulator(service: ConnectWiseSimulator(), options: SimulatorOptions(seed: 1))
        let c = sim.credentials()
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Basic " + Base64.encode(Array("\(c["company_id"]!)+\(c["public_key"]!):\(c["private_key"]!)".utf8)))
        headers.add(name: "clientId", value: c["client_id"]!)
        let response = await sim.respond(to: try HTTPRequest(method: .get, target: ConnectWiseSimulator.apiRoot + "/company/companies/count", headers: headers))
        XCTAssertEqual(response.status.code, 200)
        XCTAssertEqual(try JSONParser.parse(response.bodyBytes)["count"]?.int64, 50)
    }

    func testSlowAndStalledResponsesAndErrorRates() async throws {
        let sim = try SimulatorHarness.start(ConnectWiseSimulator(), test: self)
        let c = sim.credentials()
        let headers = [SimulatorHarness.basic("\(c["company_id"]!)+\(c["public_key"]!)", c["private_key"]!), (name: "clientId", value: c["client_id"]!)]
        var faults = SimFaults()
        faults.delayMilliseconds = 150
        faults.stallNext = 1
        faults.stallSeconds = 1.2
        sim.setFaults(faults)
        var limits = HTTPClientLimits()
        limits.totalTimeoutMilliseconds = 400
        do {
            _ = try await SimulatorHarness.engine.execute(HTTPClientRequest(url: sim.baseURL + ConnectWiseSimulator.apiRoot + "/service/boards",
                                                                           headers: headers, limits: limits))
            XCTFail("a stalled response must time out")
        } catch is HTTPClientError {}
        let started = ContinuousClock.now
        let (status, _, _) = try await SimulatorHarness.get(sim.baseURL + ConnectWiseSimulator.apiRoot + "/service/boards", headers: headers)
        XCTAssertEqual(status, 200)
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(140))
        faults = SimFaults()
        faults.errorRate = 1
        faults.errorStatus = 502
        faults.instance = 1
        sim.setFaults(faults)
        let (ok, _, _) = try await SimulatorHarness.get(sim.baseURL + ConnectWiseSimulator.apiRoot + "/service/boards", headers: headers)
        XCTAssertEqual(ok, 200, "faults aimed at instance 1 spare instance 0")
    }

    func testSimulateCommandParsesOptionsAndServesUntilSIGTERM() async throws {
        let cli = RecordingCLI()
        XCTAssertEqual(cli.run(["simulate", "nosuch"]), 2)
        XCTAssertTrue(cli.standardError.contains("unknown service"))
        XCTAssertEqual(try SimulateCommand.parse(["salesforce", "--port", "0", "--seed", "7", "--scale", "0.5", "--instances", "3"]),
                       SimulateCommand.Options(service: "salesforce", host: "127.0.0.1", port: 0, seed: 7, scale: 0.5, instances: 3))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.builtPluginsDirectory + "/avesa-host")
        process.arguments = ["simulate", "connectwise", "--port", "0", "--seed", "3", "--scale", "0.2", "--instances", "2"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var text = ""
        while text.components(separatedBy: "\n").count < 4 {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let lines = text.split(separator: "\n").map(String.init)
        let url = try XCTUnwrap(lines.first?.components(separatedBy: " on ").last)
        XCTAssertTrue(lines[1].hasPrefix("instance 0: {"), text)
        let credentials = try JSONParser.parse(String(lines[1].dropFirst("instance 0: ".count)))
        XCTAssertEqual(credentials["api_url"]?.string, url)
        let user = "\(credentials["company_id"]!.string!)+\(credentials["public_key"]!.string!)"
        let (status, _, count) = try await SimulatorHarness.get(url + ConnectWiseSimulator.apiRoot + "/service/tickets/count",
                                                                headers: [SimulatorHarness.basic(user, credentials["private_key"]!.string!),
                                                                          (name: "clientId", value: credentials["client_id"]!.string!)])
        XCTAssertEqual(status, 200)
        XCTAssertEqual(count?["count"]?.int64, 100, "scale 0.2 of 500 tickets")
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        XCTAssertFalse(process.isRunning, "simulate must stop on SIGTERM")
        XCTAssertEqual(process.terminationStatus, 0)
    }
}
