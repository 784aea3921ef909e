@testable import AvesaHost
import Foundation
import XCTest

/// The simulators produce exactly the fields the shipped mappings read, in each
/// service's formats: every record of every canonical source maps without an error, and
/// every mapped column has a value in at least one record.
final class SimulatorMappingTests: XCTestCase {
    static let catalog: MappingCatalog = try! MappingCatalog.load(directory: TestPaths.repositoryRoot + "/mappings")

    private func checkMappings(_ service: any SimulatedService, file: StaticString = #filePath, line: UInt = #line) async throws {
        let sim = try SimulatorHarness.start(service, options: SimulatorOptions(seed: 11, scale: 0.4, instances: 1), test: self)
        sim.advance(fraction: 0.1)  // updated and inserted records must map too
        let connection = try SimulatorHarness.connect(service.name, to: sim)
        let plans = try XCTUnwrap(Self.catalog.plans[service.name], file: file, line: line)
        XCTAssertFalse(plans.isEmpty)
        for (source, plan) in plans {
            let records = try await SimulatorHarness.records(source, connection, fields: plan.fields, pageSize: 200)
            var filled = Set<String>()
            var present = 0  // not deleted (Salesforce's queryAll also returns deleted records)
            for record in records {
                do {
                    let mapped = try plan.map(record)
                    if !mapped.isDeleted { present += 1 }
                    if plan.changedAt != nil {
                        XCTAssertNotNil(mapped.changedAt, "\(service.name) \(source) has a change time", file: file, line: line)
                    }
                    for (index, column) in plan.table.columns.enumerated() where mapped.values[index] != .null { filled.insert(column.name) }
                } catch {
                    XCTFail("\(service.name) \(source): \(error)", file: file, line: line)
                    return
                }
            }
            XCTAssertEqual(present, sim.liveIDs(source).count, "\(service.name) \(source)", file: file, line: line)
            let mapping = try XCTUnwrap(Self.mappedColumns(service: service.name, source: source))
            XCTAssertEqual(mapping.subtracting(filled), [], "\(service.name) \(source): columns never filled", file: file, line: line)
        }
    }

    /// The canonical columns the service's mapping file fills for `source`.
    static func mappedColumns(service: String, source: String) throws -> Set<String>? {
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: TestPaths.repositoryRoot + "/mappings/services/\(service).json")))
        let json = try JSONParser.parse(bytes)
        for member in json["tables"]?.object ?? [:] where member.value["source"]?.string == source {
            return Set(member.value["columns"]?.object?.keys ?? []).union(["id"])
        }
        return nil
    }

    func testConnectWiseRecordsMapOntoEveryCanonicalColumn() async throws { try await checkMappings(ConnectWiseSimulator()) }
    func testServiceNowRecordsMapOntoEveryCanonicalColumn() async throws { try await checkMappings(ServiceNowSimulator()) }
    func testSalesforceRecordsMapOntoEveryCanonicalColumn() async throws { try await checkMappings(SalesforceSimulator()) }
    func testGraphRecordsMapOntoEveryCanonicalColumn() async throws { try await checkMappings(GraphSimulator()) }
}
