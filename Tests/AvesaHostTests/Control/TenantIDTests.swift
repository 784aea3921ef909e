@testable import AvesaHost
import XCTest

/// Tenant ids match ^[a-z0-9][a-z0-9_-]{0,62}$ before any use as a path or key.
final class TenantIDTests: XCTestCase {
    func testValidIDsAreAccepted() throws {
        for text in ["a", "acme", "0", "acme-corp_2", String(repeating: "a", count: 63)] {
            XCTAssertEqual(try TenantID(text).rawValue, text)
        }
    }

    func testTraversalCaseEmptyAndOverlongIDsAreRefused() {
        let bad = ["", "../x", "..", ".", "a/b", "/etc", "A", "Acme", "-acme", "_acme", "acme corp", "acme.corp",
                   "acmé", "a\u{0}b", String(repeating: "a", count: 64)]
        for text in bad {
            XCTAssertThrowsError(try TenantID(text), "accepted \(text.debugDescription)") { error in
                guard case .invalidTenantID(let given, _) = error as? ControlError else {
                    return XCTFail("unexpected \(error)")
                }
                XCTAssertEqual(given, text)
            }
        }
    }

    func testTheMessageNamesTheRule() {
        XCTAssertTrue("\(ControlError.invalidTenantID("", TenantID.problem(with: "")!))".contains("is empty"))
        XCTAssertTrue(TenantID.problem(with: String(repeating: "a", count: 64))!.contains("longer than 63"))
        XCTAssertTrue(TenantID.problem(with: "A")!.contains("lower-case"))
    }
}
