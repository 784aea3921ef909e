@testable import AvesaHost
import XCTest

/// Link headers, URL resolution and the paginator's stop rules, with no network.
final class PaginationUnitTests: XCTestCase {
    private func spec(_ kind: PaginationKind, stops: StopConditions = [.emptyPage], pageParam: String? = "page",
                      first: Int32 = 1) -> PaginationSpec {
        PaginationSpec(kind: kind, pageParam: pageParam, sizeParam: "size", defaultPageSize: 10, maxPageSize: 100,
                       firstPage: first, stopConditions: stops, nextPointer: "/next", donePointer: nil, deltaPointer: "/delta",
                       totalHeader: "X-Total-Count", sizeHeader: nil, sizeHeaderTemplate: nil)
    }

    func testParsesSeveralLinksWithQuotedParameters() {
        let header = #"<https://api/x?page=1>; rel="first", <https://api/x?page=3>; rel="next"; title="a, b; c", <https://api/x?page=9>; rel=last"#
        XCTAssertEqual(LinkHeader.target(relation: "next", in: [header]), "https://api/x?page=3")
        XCTAssertEqual(LinkHeader.target(relation: "last", in: [header]), "https://api/x?page=9")
        XCTAssertEqual(LinkHeader.parse([header])[1].parameters["title"], "a, b; c")
        XCTAssertNil(LinkHeader.target(relation: "prev", in: [header]))
        XCTAssertEqual(LinkHeader.target(relation: "next", in: ["<a>; rel=\"prev\"", "<b>; rel=\"next prefetch\""]), "b")
    }

    func testResolvesRelativeAndAbsoluteLinks() {
        let base = "https://na1.example.com/services/data/v62.0/query?q=x"
        XCTAssertEqual(URLResolution.resolve("/services/data/v62.0/query/01g-2000", against: base),
                       "https://na1.example.com/services/data/v62.0/query/01g-2000")
        XCTAssertEqual(URLResolution.resolve("https://other/x", against: base), "https://other/x")
        XCTAssertEqual(URLResolution.resolve("?page=2", against: base), "https://na1.example.com/services/data/v62.0/query?page=2")
        XCTAssertEqual(URLResolution.resolve("next", against: base), "https://na1.example.com/services/data/v62.0/next")
    }

    func testPageNumbersStopOnAnEmptyOrShortPage() throws {
        var paginator = Paginator(spec: spec(.pageNumber, stops: [.emptyPage, .shortPage]), pageSize: 10)
        XCTAssertEqual(paginator.parameters(for: .start).first?.1, "1")
        XCTAssertEqual(try paginator.step(after: .start, url: "u", summary: PageSummary(recordCount: 10)), .next(.page(2)))
        XCTAssertEqual(try paginator.step(after: .page(2), url: "u", summary: PageSummary(recordCount: 4)), .finished(watermark: nil))
        var zeroBased = Paginator(spec: spec(.pageNumber, first: 0), pageSize: 10)
        XCTAssertEqual(zeroBased.parameters(for: .start).first?.1, "0")
        XCTAssertEqual(try zeroBased.step(after: .start, url: "u", summary: PageSummary(recordCount: 10)), .next(.page(1)))
        XCTAssertEqual(try zeroBased.step(after: .page(1), url: "u", summary: PageSummary(recordCount: 0)), .finished(watermark: nil))
    }

    func testOffsetsStopAtTheTotal() throws {
        var paginator = Paginator(spec: spec(.offsetLimit, stops: [.emptyPage, .total], pageParam: "offset"), pageSize: 10)
        XCTAssertEqual(try paginator.step(after: .start, url: "u", summary: PageSummary(recordCount: 10, total: 20)), .next(.offset(10)))
        XCTAssertEqual(try paginator.step(after: .offset(10), url: "u", summary: PageSummary(recordCount: 10, total: 20)), .finished(watermark: nil))
    }

    /// A page emptied by access rules while the total says rows remain is stepped over; an
    /// empty page at or past the total still ends the table.
    func testAnEmptyOffsetPageBeforeTheTotalIsSteppedOver() throws {
        var paginator = Paginator(spec: spec(.offsetLimit, stops: [.emptyPage, .total], pageParam: "offset"), pageSize: 10)
        XCTAssertEqual(try paginator.step(after: .offset(10), url: "u", summary: PageSummary(recordCount: 0, total: 35)), .next(.offset(20)))
        XCTAssertEqual(try paginator.step(after: .offset(30), url: "u", summary: PageSummary(recordCount: 0, total: 35)), .finished(watermark: nil))
        var noTotal = Paginator(spec: spec(.offsetLimit, stops: [.emptyPage], pageParam: "offset"), pageSize: 10)
        XCTAssertEqual(try noTotal.step(after: .offset(10), url: "u", summary: PageSummary(recordCount: 0)), .finished(watermark: nil))
    }

    func testANextLinkSeenTwiceIsAnErrorNotAHang() throws {
        var paginator = Paginator(spec: spec(.nextURL), pageSize: 10)
        XCTAssertEqual(try paginator.step(after: .start, url: "http://h/a", summary: PageSummary(recordCount: 2, nextValue: "/b")), .next(.url("http://h/b")))
        XCTAssertThrowsError(try paginator.step(after: .url("http://h/b"), url: "http://h/b", summary: PageSummary(recordCount: 2, nextValue: "/b"))) { error in
            XCTAssertTrue("\(error)".contains("did not advance"), "\(error)")
        }
    }

    func testTheLastDeltaPageYieldsTheWatermark() throws {
        var paginator = Paginator(spec: spec(.deltaLink), pageSize: 10)
        XCTAssertEqual(try paginator.step(after: .start, url: "http://h/users/delta", summary: PageSummary(recordCount: 3, deltaLink: "http://h/users/delta?token=z")),
                       .finished(watermark: "http://h/users/delta?token=z"))
    }

    func testResumePositionsRoundTripThroughTheirStoredForm() {
        for position in [PagePosition.start, .page(3), .offset(200), .token("ab:c"), .url("https://h/x?y=1")] {
            XCTAssertEqual(PagePosition(stored: position.description), position)
        }
        XCTAssertNil(PagePosition(stored: "page:x"))
        XCTAssertNil(PagePosition(stored: "bogus"))
    }
}
