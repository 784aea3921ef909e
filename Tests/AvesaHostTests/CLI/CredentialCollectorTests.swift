@testable import AvesaHost
import XCTest

/// Credential sources and checks of `service add`, without the CLI around them.
final class CredentialCollectorTests: XCTestCase {
    private func field(_ name: String, required: Bool = true, secret: Bool = false, url: Bool = false,
                       default value: String? = nil) -> CredentialField {
        CredentialField(name: name, label: name, description: nil, defaultValue: value, example: nil,
                        isRequired: required, isSecret: secret, isURL: url, isMultiline: false)
    }

    func testEnvironmentNamesAreUpperCasedWithOtherCharactersAsUnderscores() {
        let collector = CredentialCollector(service: "my-svc.v2", fields: [])
        XCTAssertEqual(collector.environmentName(field("client_secret")), "MY_SVC_V2_CLIENT_SECRET")
    }

    func testEnvironmentValuesFillFieldsAndOptionalOnesMayStayEmpty() throws {
        let collector = CredentialCollector(service: "svc", fields: [field("token", secret: true), field("scope", required: false)])
        XCTAssertEqual(try collector.collect(file: nil, environment: ["SVC_TOKEN": "t"], terminal: .none), ["token": "t"])
    }

    func testOnlyAbsoluteHTTPURLsPass() {
        for good in ["https://api.example.com", "http://localhost:8080/x", "HTTPS://EXAMPLE.COM"] {
            XCTAssertTrue(CredentialCollector.isHTTPURL(good), good)
        }
        for bad in ["ftp://x", "example.com", "https://", "file:///etc/passwd", "", "javascript:alert(1)"] {
            XCTAssertFalse(CredentialCollector.isHTTPURL(bad), bad)
        }
    }

    func testAURLFieldFailureNamesTheFieldNotTheValue() {
        let collector = CredentialCollector(service: "svc", fields: [field("base", secret: true, url: true)])
        XCTAssertThrowsError(try collector.collect(file: nil, environment: ["SVC_BASE": "gopher://hidden"], terminal: .none)) {
            XCTAssertTrue("\($0)".contains("base"))
            XCTAssertFalse("\($0)".contains("hidden"))
        }
    }
}
