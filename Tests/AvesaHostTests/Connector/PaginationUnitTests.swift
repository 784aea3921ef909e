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

    /// Next and delta links carry the tenant's credentials: they are followed on the page's
    /// own origin only (a same-host http link, from a TLS-terminating proxy, is brought back
    /// to https), never to another host or port.
    func testNextLinksAreFollowedOnlyOnThePagesOwnOrigin() throws {
        let page = "https://acme.service-now.com/api/now/table/incident?sysparm_offset=0"
        XCTAssertEqual(try Paginator.followable("/api/now/table/incident?sysparm_offset=100", from: page, what: "next link"),
                       "https://acme.service-now.com/api/now/table/incident?sysparm_offset=100")
        XCTAssertEqual(try Paginator.followable("https://ACME.service-now.com:443/x?p=2", from: page, what: "next link"),
                       "https://ACME.service-now.com:443/x?p=2")
        XCTAssertEqual(try Paginator.followable("http://acme.service-now.com/x?p=2", from: page, what: "next link"),
                       "https://acme.service-now.com/x?p=2", "plain http on the same host is followed over https")
        for hostile in ["https://evil.example/x", "//evil.example/x", "https://acme.service-now.com:8443/x",
                        "http://acme.service-now.com:8080/x", "https://acme.service-now.com.evil.example/x"] {
            XCTAssertThrowsError(try Paginator.followable(hostile, from: page, what: "next link"), hostile) { error in
                XCTAssertTrue("\(error)".contains("credentials are sent only there"), "\(error)")
            }
        }
        var paginator = Paginator(spec: spec(.nextURL), pageSize: 10)
        XCTAssertThrowsError(try paginator.step(after: PagePosition.start, url: page,
                                                summary: PageSummary(recordCount: 10, nextValue: "https://evil.example/p2")))
        var delta = Paginator(spec: spec(.deltaLink), pageSize: 10)
        XCTAssertThrowsError(try delta.step(after: PagePosition.start, url: page, summary: PageSummary(recordCount: 1, deltaLink: "https://evil.example/d")),
                             "nor is a delta link kept as the next run's watermark")
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

    /// Positions are logged without the secrets a next link can echo.
    func testALoggedPositionHidesWhatANextLinkEchoes() {
        XCTAssertEqual(PagePosition.url("https://api.x/tickets?api_key=S3CRET&page=3").loggable,
                       "url:https://api.x/tickets?api_key=REDACTED&page=REDACTED")
        XCTAssertFalse(PagePosition.token("0123456789abcdefSECRET").loggable.contains("SECRET"))
        XCTAssertEqual(PagePosition.offset(200).loggable, "offset:200")
    }

    func testResumePositionsRoundTripThroughTheirStoredForm() {
        for position in [PagePosition.start, .page(3), .offset(200), .token("ab:c"), .url("https://h/x?y=1"),
                         .after(key: "a:b", skip: 0), .after(key: nil, skip: 40), .after(key: "9f", skip: 20)] {
            XCTAssertEqual(PagePosition(stored: position.description), position)
        }
        XCTAssertNil(PagePosition(stored: "page:x"))
        XCTAssertNil(PagePosition(stored: "bogus"))
        XCTAssertTrue(PagePosition.after(key: "k", skip: 0).suits(.keyset))
        XCTAssertFalse(PagePosition.offset(200).suits(.keyset), "a cursor saved before the plugin moved to keyset paging")
        XCTAssertTrue(PagePosition.start.suits(.keyset))
        XCTAssertNil(PagePosition(stored: "after:-1:k"))
        XCTAssertNil(PagePosition(stored: "after:k"))
    }

    /// Where the service never shortens a page while rows remain (ConnectWise), a short
    /// keyset page ends the table without one more request.
    func testAShortKeysetPageEndsTheTableWhereTheServiceSaysSo() throws {
        var short = Paginator(spec: spec(.keyset, stops: [.emptyPage, .shortPage], pageParam: nil), pageSize: 10)
        XCTAssertEqual(try short.step(after: .start, url: "u", summary: PageSummary(recordCount: 10, lastKey: "10")),
                       .next(.after(key: "10", skip: 0)))
        XCTAssertEqual(try short.step(after: .after(key: "10", skip: 0), url: "u", summary: PageSummary(recordCount: 4, lastKey: "14")),
                       .finished(watermark: nil))
        var long = Paginator(spec: spec(.keyset, stops: [.emptyPage], pageParam: nil), pageSize: 10)
        XCTAssertEqual(try long.step(after: .start, url: "u", summary: PageSummary(recordCount: 4, lastKey: "4")),
                       .next(.after(key: "4", skip: 0)), "without the flag (ServiceNow) a short page goes on")
    }

    private func keysetPaginator(total: Bool = true, offsetParam: String? = "offset") -> Paginator {
        Paginator(spec: spec(.keyset, stops: total ? [.emptyPage, .total] : [.emptyPage], pageParam: offsetParam), pageSize: 10)
    }

    /// Keyset paging goes on from each page's last key, and ends on an empty page or once a
    /// request covered the total of matches after its key.
    func testKeysetPagingContinuesFromTheLastKeyUntilEmptyOrCovered() throws {
        var paginator = keysetPaginator(total: false)
        XCTAssertEqual(paginator.parameters(for: .start).count, 0)
        XCTAssertEqual(try paginator.step(after: .start, url: "u", summary: PageSummary(recordCount: 10, lastKey: "0a")),
                       .next(.after(key: "0a", skip: 0)))
        XCTAssertEqual(try paginator.step(after: .after(key: "0a", skip: 0), url: "u", summary: PageSummary(recordCount: 3, lastKey: "7f")),
                       .next(.after(key: "7f", skip: 0)), "a short page is not the end (access rules shorten pages)")
        XCTAssertEqual(try paginator.step(after: .after(key: "7f", skip: 0), url: "u", summary: PageSummary(recordCount: 0)),
                       .finished(watermark: nil))
        var counted = keysetPaginator()
        XCTAssertEqual(try counted.step(after: .after(key: "0a", skip: 0), url: "u", summary: PageSummary(recordCount: 8, total: 10, lastKey: "3c")),
                       .next(.after(key: "3c", skip: 0)), "fewer came than asked: the rest is still to read")
        XCTAssertEqual(try counted.step(after: .after(key: "3c", skip: 0), url: "u", summary: PageSummary(recordCount: 2, total: 2, lastKey: "4d")),
                       .finished(watermark: nil), "every match after 3c came")
    }

    /// A page access rules emptied while the total says matches remain is stepped over by
    /// offset from the same key, and the next page with records resets the offset.
    func testKeysetPagingStepsOverAPageEmptiedByAccessRules() throws {
        var paginator = keysetPaginator()
        XCTAssertEqual(try paginator.step(after: .after(key: "0a", skip: 0), url: "u", summary: PageSummary(recordCount: 0, total: 25)),
                       .next(.after(key: "0a", skip: 10)))
        XCTAssertEqual(paginator.parameters(for: .after(key: "0a", skip: 10)).first?.1, "10")
        XCTAssertEqual(try paginator.step(after: .after(key: "0a", skip: 10), url: "u", summary: PageSummary(recordCount: 4, total: 25, lastKey: "5e")),
                       .next(.after(key: "5e", skip: 0)))
        XCTAssertEqual(try paginator.step(after: .start, url: "u", summary: PageSummary(recordCount: 0, total: 25)),
                       .next(.after(key: nil, skip: 10)), "from the start too")
        XCTAssertEqual(try paginator.step(after: .after(key: "0a", skip: 20), url: "u", summary: PageSummary(recordCount: 0, total: 25)),
                       .finished(watermark: nil), "past the total")
        var noOffset = keysetPaginator(offsetParam: nil)
        XCTAssertEqual(try noOffset.step(after: .after(key: "0a", skip: 0), url: "u", summary: PageSummary(recordCount: 0, total: 25)),
                       .finished(watermark: nil), "without an offset parameter there is no way over it")
    }

    func testKeysetPagingRefusesAPageWithoutAKeyOrOneThatDoesNotAdvance() throws {
        var paginator = keysetPaginator(total: false)
        XCTAssertThrowsError(try paginator.step(after: .start, url: "u", summary: PageSummary(recordCount: 5))) { error in
            XCTAssertTrue("\(error)".contains("primary key of the page's last record"), "\(error)")
        }
        _ = try paginator.step(after: .start, url: "u", summary: PageSummary(recordCount: 5, lastKey: "k"))
        XCTAssertThrowsError(try paginator.step(after: .after(key: "k", skip: 0), url: "u", summary: PageSummary(recordCount: 5, lastKey: "k"))) { error in
            XCTAssertTrue("\(error)".contains("did not advance"), "\(error)")
        }
    }

    /// The endpoint's `{keyset}` is empty on the first page and the rendered keyset template
    /// after it, in the filter and in the fixed parameters alike; the key is inserted as
    /// text, never read as a template.
    func testKeysetConditionIsRenderedIntoTheQueryTemplates() throws {
        var pagination = spec(.keyset, stops: [.emptyPage, .total], pageParam: "sysparm_offset")
        pagination.keysetTemplate = "sys_id>{after}^"
        let endpoint = EndpointSpec(
            name: "incident", description: nil, path: "/incident", recordsPointer: "/result", primaryKey: "sys_id",
            cursorField: "t", cursorFormat: .sqlUTC, incrementalParam: "q", incrementalTemplate: "t>{since}^{keyset}ORDERBYsys_id",
            pagination: pagination, params: [NameValue(name: "q", value: "{keyset}ORDERBYsys_id")], countPath: nil, countPointer: nil,
            canonicalTable: nil, deletedMarker: nil, isIncremental: true, supportsRangeFilter: false, reportsDeletes: false,
            isSequential: false)
        let full = EndpointQuery(baseURL: "https://h", credentials: [:])
        let requests = DeclarativePageRequests(endpoint: endpoint, query: full)
        let first = try requests.url(for: .start)
        XCTAssertTrue(first.contains("q=ORDERBYsys_id"), first)
        let second = try requests.url(for: .after(key: "{token}", skip: 0))
        XCTAssertTrue(second.contains("q=sys_id%3E%7Btoken%7D%5EORDERBYsys_id"), second)
        XCTAssertFalse(second.contains("sysparm_offset"), second)
        XCTAssertTrue(try requests.url(for: .after(key: "ab", skip: 20)).contains("sysparm_offset=20"))
        let incremental = DeclarativePageRequests(endpoint: endpoint, query: EndpointQuery(baseURL: "https://h", credentials: [:], since: "2026"))
        let changes = try incremental.url(for: .after(key: "ab", skip: 0))
        XCTAssertTrue(changes.contains("q=t%3E2026%5Esys_id%3Eab%5EORDERBYsys_id"), changes)
    }
}
