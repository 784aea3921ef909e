@testable import AvesaHost
import XCTest

/// Every pagination kind against a real loopback server: all records, in order, once.
final class PageStreamTests: XCTestCase {
    typealias F = ConnectorFixtures

    func testPageNumbersFromOneStopOnAShortPage() async throws {
        let endpoint = F.endpoint(path: "/pages/page?total=25", records: "",
                                  pagination: F.pagination(.pageNumber, pageParam: "page", sizeParam: "size", stops: [.shortPage]))
        let result = try await F.fetchAll(endpoint)
        XCTAssertEqual(result.ids, Array(0..<25))
        XCTAssertEqual(result.pages, 3)
    }

    func testPageNumbersFromZeroStopOnAnEmptyPage() async throws {
        let endpoint = F.endpoint(path: "/pages/page0?total=20", records: "/items",
                                  pagination: F.pagination(.pageNumber, pageParam: "page", sizeParam: "size", first: 0))
        let result = try await F.fetchAll(endpoint)
        XCTAssertEqual(result.ids, Array(0..<20))
        XCTAssertEqual(result.pages, 3, "two full pages, then the empty one that ends the loop")
    }

    func testOffsetLimitStopsAtTheTotalHeader() async throws {
        let endpoint = F.endpoint(path: "/pages/offset?total=30", records: "/result",
                                  pagination: F.pagination(.offsetLimit, pageParam: "offset", sizeParam: "limit", stops: [.total], total: "X-Total-Count"))
        let result = try await F.fetchAll(endpoint)
        XCTAssertEqual(result.ids, Array(0..<30))
        XCTAssertEqual(result.pages, 3, "the total ends the loop without an extra empty page")
    }

    func testRelativeNextURLsAreFollowedUntilDone() async throws {
        let endpoint = F.endpoint(path: "/pages/nexturl?total=35&size=10", records: "/records",
                                  pagination: F.pagination(.nextURL, next: "/nextRecordsUrl", done: "/done"))
        let result = try await F.fetchAll(endpoint)
        XCTAssertEqual(result.ids, Array(0..<35))
        XCTAssertEqual(result.pages, 4)
    }

    func testCursorTokensAreSentBack() async throws {
        let endpoint = F.endpoint(path: "/pages/cursor?total=23", records: "/data",
                                  pagination: F.pagination(.cursor, pageParam: "cursor", sizeParam: "limit", next: "/meta/next_cursor"))
        let result = try await F.fetchAll(endpoint)
        XCTAssertEqual(result.ids, Array(0..<23))
    }

    func testLinkHeadersAreFollowed() async throws {
        let endpoint = F.endpoint(path: "/pages/link?total=42", records: "",
                                  pagination: F.pagination(.linkHeader, pageParam: "page", sizeParam: "pageSize"))
        let result = try await F.fetchAll(endpoint)
        XCTAssertEqual(result.ids, Array(0..<42))
        XCTAssertEqual(result.pages, 5)
    }

    func testDeltaQueriesEndWithTheDeltaLinkAsWatermark() async throws {
        let endpoint = F.endpoint(path: "/pages/delta?total=15&size=10", records: "/value",
                                  pagination: F.pagination(.deltaLink, next: "/@odata.nextLink", delta: "/@odata.deltaLink"))
        let result = try await F.fetchAll(endpoint)
        XCTAssertEqual(result.ids, Array(0..<15))
        XCTAssertEqual(result.watermark, F.server.baseURL + "/pages/delta?deltatoken=abc15")
    }

    func testANonAdvancingNextLinkFailsInsteadOfLooping() async throws {
        let endpoint = F.endpoint(path: "/pages/stuck?total=5", records: "/records", pagination: F.pagination(.nextURL, next: "/next"))
        do {
            _ = try await F.fetchAll(endpoint)
            XCTFail("expected a pagination error")
        } catch let error as ConnectorError {
            XCTAssertTrue(error.description.contains("did not advance"), error.description)
        }
    }

    func testAMalformedPageNamesTheURLAndTheEndpoint() async throws {
        let endpoint = F.endpoint(path: "/bytes?n=20", records: "", pagination: F.pagination(.none))
        do {
            _ = try await F.fetchAll(endpoint)
            XCTFail("expected a malformed-page error")
        } catch let error as ConnectorError {
            guard case .pagination(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("malformed page from \(F.server.baseURL)/bytes?n=REDACTED (test)"), message)
        }
    }

    func testResumingFromASavedPositionFetchesOnlyTheRest() async throws {
        let endpoint = F.endpoint(path: "/pages/page?total=25", records: "",
                                  pagination: F.pagination(.pageNumber, pageParam: "page", sizeParam: "size", stops: [.shortPage]))
        let result = try await F.fetchAll(endpoint, start: .page(2))
        XCTAssertEqual(result.ids, Array(10..<25))
    }
}
