@testable import AvesaHost
import XCTest

/// Server settings from the environment: a bad value is refused with its name, a good one used.
final class APIContextTests: XCTestCase {
    private let secret = ["AVESA_JWT_SECRET": String(repeating: "k", count: 40)]

    func testAnInvalidCacheSizeIsRefusedByName() throws {
        let root = try makeTemporaryDirectory(self).path
        for bad in ["lots", "-1", "4097", ""] {
            XCTAssertThrowsError(try APIContext.open(dataDirectory: root, passwordIterations: 1000,
                                                     environment: secret.merging(["AVESA_API_CACHE_MIB": bad]) { $1 })) { error in
                XCTAssertTrue("\(error)".contains("AVESA_API_CACHE_MIB"), "\(error)")
                XCTAssertTrue("\(error)".contains("'\(bad)'"), "\(error)")
            }
        }
    }

    func testTheCacheSizeComesFromTheEnvironment() throws {
        let root = try makeTemporaryDirectory(self).path
        let sized = try APIContext.open(dataDirectory: root, passwordIterations: 1000,
                                        environment: secret.merging(["AVESA_API_CACHE_MIB": "3"]) { $1 })
        XCTAssertEqual(sized.warehouseResults.maxBytes, 3 << 20)
        let standard = try APIContext.open(dataDirectory: root, passwordIterations: 1000, environment: secret)
        XCTAssertEqual(standard.warehouseResults.maxBytes, 64 << 20)
    }
}
