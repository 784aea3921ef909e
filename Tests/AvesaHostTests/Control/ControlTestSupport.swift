@testable import AvesaHost
import Foundation
import XCTest

/// Temporary data folders and fixed keys for control-database tests.
enum ControlTestSupport {
    /// A fixed 32-byte key as 64 hex characters.
    static let hexKey = String(repeating: "0123456789abcdef", count: 4)
    /// A different fixed key.
    static let otherHexKey = String(repeating: "fedcba9876543210", count: 4)

    /// A vault with `hex` as its key.
    static func vault(_ hex: String = hexKey) throws -> CredentialVault {
        CredentialVault(key: try MasterKey.parse(hex, source: "test"))
    }
}

extension XCTestCase {
    /// A new temporary data folder removed after the test.
    func makeDataDirectory(_ label: String = "control") -> String {
        let path = TestPaths.makeTemporaryDirectory(label)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// A tenant id known to be valid.
    func tenantID(_ text: String) -> TenantID {
        try! TenantID(text)
    }
}
