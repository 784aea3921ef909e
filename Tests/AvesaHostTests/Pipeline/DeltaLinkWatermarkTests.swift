@testable import AvesaHost
import XCTest

/// Delta links are stored relative to the service's base URL, so they survive a change of
/// host (a national cloud, a proxy, a restarted simulator on another port).
final class DeltaLinkWatermarkTests: XCTestCase {
    func testDeltaLinksAreStoredRelativeToTheBaseURLAndResolvedAgainstTheCurrentOne() {
        let stored = PipelineRunner.storable("http://127.0.0.1:4001/v1.0/users/delta?$deltatoken=abc", baseURL: "http://127.0.0.1:4001/v1.0")
        XCTAssertEqual(stored, "{base_url}/users/delta?$deltatoken=abc")
        XCTAssertEqual(PipelineRunner.resolved(stored, baseURL: "http://127.0.0.1:5002/v1.0"),
                       "http://127.0.0.1:5002/v1.0/users/delta?$deltatoken=abc")
        // Links on another host, and times, are kept as they are.
        XCTAssertEqual(PipelineRunner.storable("https://other.example/x", baseURL: "https://graph.microsoft.com/v1.0"), "https://other.example/x")
        XCTAssertEqual(PipelineRunner.resolved("2026-11-02T12:00:00Z", baseURL: "https://h"), "2026-11-02T12:00:00Z")
    }
}
