import XCTest
@testable import AvesaHost

final class HTTPRequestParserTests: XCTestCase {
    /// Feeds `input` (whole or byte by byte) and collects events until the parser wants more or fails.
    private func parse(_ input: String, limits: ServerLimits = ServerLimits(), byteByByte: Bool = false) throws -> [HTTPRequestParser.Event] {
        try parse(Array(input.utf8), limits: limits, byteByByte: byteByByte)
    }

    private func parse(_ bytes: [UInt8], limits: ServerLimits = ServerLimits(), byteByByte: Bool = false) throws -> [HTTPRequestParser.Event] {
        var parser = HTTPRequestParser(limits: limits)
        var events: [HTTPRequestParser.Event] = []
        let pieces: [[UInt8]] = byteByByte ? bytes.map { [$0] } : [bytes]
        for piece in pieces {
            parser.append(piece)
            while let event = try parser.next() { events.append(event) }
        }
        return events
    }

    private func assertFails(_ input: String, _ expected: HTTPParseError, limits: ServerLimits = ServerLimits(),
                             file: StaticString = #filePath, line: UInt = #line) {
        for byteByByte in [false, true] {
            XCTAssertThrowsError(try parse(input, limits: limits, byteByByte: byteByByte), file: file, line: line) { error in
                XCTAssertEqual(error as? HTTPParseError, expected, "byteByByte=\(byteByByte)", file: file, line: line)
            }
        }
    }

    private func head(_ events: [HTTPRequestParser.Event], _ index: Int = 0) -> HTTPRequestHead? {
        let heads = events.compactMap { if case .head(let h) = $0 { h } else { nil } }
        return index < heads.count ? heads[index] : nil
    }

    private func bodies(_ events: [HTTPRequestParser.Event]) -> [String] {
        events.compactMap { if case .end(let b) = $0 { String(decoding: b, as: UTF8.self) } else { nil } }
    }

    func testParsesSimpleGetWholeAndByteByByte() throws {
        let input = "GET /a/b?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n"
        for byteByByte in [false, true] {
            let events = try parse(input, byteByByte: byteByByte)
            XCTAssertEqual(events.count, 2)
            let h = try XCTUnwrap(head(events))
            XCTAssertEqual(h.method, .get)
            XCTAssertEqual(h.target, "/a/b?x=1")
            XCTAssertEqual(h.version, .http1_1)
            XCTAssertEqual(h.headers["host"], "example.com")
            XCTAssertEqual(bodies(events), [""])
        }
    }

    func testHeaderNamesAreCaseInsensitiveAndRepeatsKept() throws {
        let events = try parse("GET / HTTP/1.1\r\nHOST: h\r\nX-A: 1\r\nx-a: 2\r\nX-B:   padded \t\r\n\r\n")
        let h = try XCTUnwrap(head(events))
        XCTAssertEqual(h.headers.values(for: "x-A"), ["1", "2"])
        XCTAssertEqual(h.headers["x-b"], "padded")
    }

    func testContentLengthBodyByteByByte() throws {
        let events = try parse("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello", byteByByte: true)
        XCTAssertEqual(head(events)?.contentLength, 5)
        XCTAssertEqual(bodies(events), ["hello"])
    }

    func testChunkedBodyWithExtensionsAndTrailers() throws {
        let input = "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Trailer: t\r\n\r\n"
        for byteByByte in [false, true] {
            let events = try parse(input, byteByByte: byteByByte)
            XCTAssertEqual(head(events)?.isChunked, true)
            XCTAssertEqual(bodies(events), ["hello, world!!!"])
        }
    }

    func testPipelinedRequestsComeOutInOrder() throws {
        let input = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nPOST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nokGET /3 HTTP/1.1\r\nHost: h\r\n\r\n"
        let events = try parse(input)
        XCTAssertEqual([head(events, 0)?.target, head(events, 1)?.target, head(events, 2)?.target], ["/1", "/2", "/3"])
        XCTAssertEqual(bodies(events), ["", "ok", ""])
    }

    func testLeadingEmptyLinesAreIgnored() throws {
        XCTAssertEqual(head(try parse("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"))?.target, "/")
    }

    func testHTTP10WithoutHostIsAcceptedAndNotKeptAlive() throws {
        let h = try XCTUnwrap(head(try parse("GET / HTTP/1.0\r\n\r\n")))
        XCTAssertEqual(h.version, .http1_0)
        XCTAssertFalse(h.keepAlive)
        XCTAssertTrue(try XCTUnwrap(head(try parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"))).keepAlive)
        XCTAssertFalse(try XCTUnwrap(head(try parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"))).keepAlive)
    }

    func testAsteriskFormOnlyForOptions() throws {
        XCTAssertEqual(head(try parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"))?.target, "*")
        assertFails("GET * HTTP/1.1\r\nHost: h\r\n\r\n", .invalidRequestLine)
    }

    func testRejectsBadRequestLines() {
        assertFails("GET\r\n\r\n", .invalidRequestLine)
        assertFails("GET /\r\n\r\n", .invalidRequestLine)
        assertFails("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", .invalidRequestLine)
        assertFails("GET / HTTP/1.1 \r\nHost: h\r\n\r\n", .invalidRequestLine)
        assertFails("G(T / HTTP/1.1\r\nHost: h\r\n\r\n", .invalidRequestLine)
        assertFails("GET relative HTTP/1.1\r\nHost: h\r\n\r\n", .invalidRequestLine)
        assertFails("GET / HTTX/1.1\r\nHost: h\r\n\r\n", .invalidRequestLine)
        assertFails("GET / HTTP/1.10\r\nHost: h\r\n\r\n", .invalidRequestLine)
        assertFails("GET / HTTP/2.0\r\nHost: h\r\n\r\n", .unsupportedVersion)
        assertFails("GET /\u{7F} HTTP/1.1\r\nHost: h\r\n\r\n", .invalidRequestLine)
    }

    func testRejectsNULAndNonASCIIInRequestLineAndNames() {
        assertFails("GET /a\0b HTTP/1.1\r\nHost: h\r\n\r\n", .invalidRequestLine)
        assertFails("GET /caf\u{E9} HTTP/1.1\r\nHost: h\r\n\r\n", .invalidRequestLine)
        assertFails("GÉT / HTTP/1.1\r\nHost: h\r\n\r\n", .invalidRequestLine)
        assertFails("GET / HTTP/1.1\r\nHost: h\r\nX-\u{E9}: v\r\n\r\n", .invalidHeader)
        assertFails("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\0b\r\n\r\n", .invalidHeader)
    }

    func testAcceptsObsTextInHeaderValues() throws {
        XCTAssertEqual(head(try parse("GET / HTTP/1.1\r\nHost: h\r\nX-Name: café\r\n\r\n"))?.headers["X-Name"], "café")
    }

    func testRejectsBadHeaderSyntax() {
        assertFails("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", .invalidHeader)
        assertFails("GET / HTTP/1.1\r\nHost: h\r\nX-A : v\r\n\r\n", .invalidHeader)
        assertFails("GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n", .invalidHeader)
        assertFails("GET / HTTP/1.1\r\nHost: h\r\nX[A]: v\r\n\r\n", .invalidHeader)
        assertFails("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u{01}b\r\n\r\n", .invalidHeader)
    }

    func testRejectsObsFold() {
        assertFails("GET / HTTP/1.1\r\nHost: h\r\nX-A: one\r\n two\r\n\r\n", .obsoleteLineFolding)
        assertFails("GET / HTTP/1.1\r\nHost: h\r\nX-A: one\r\n\ttwo\r\n\r\n", .obsoleteLineFolding)
    }

    func testRejectsBareLFAndStrayCR() {
        assertFails("GET / HTTP/1.1\nHost: h\r\n\r\n", .invalidLineEnding)
        assertFails("GET / HTTP/1.1\r\nHost: h\n\r\n", .invalidLineEnding)
        assertFails("GET / HTTP/1.1\r\nHost: h\rX\r\n\r\n", .invalidLineEnding)
    }

    /// A long header line arriving a byte at a time is scanned once, not from its start on
    /// every read, and parses exactly as when it comes whole (stray CRs included).
    func testALongLineFedAByteAtATimeParsesAsWhole() throws {
        let value = String(repeating: "v", count: 16_000)
        let input = "GET / HTTP/1.1\r\nHost: h\r\nX-Long: \(value)\r\n\r\n"
        for byteByByte in [false, true] {
            XCTAssertEqual(head(try parse(input, byteByByte: byteByByte))?.headers["x-long"], value)
        }
        assertFails("GET / HTTP/1.1\r\nHost: h\r\nX-Long: \(value)\rX\r\n\r\n", .invalidLineEnding)
    }

    func testHostMustAppearExactlyOnceInHTTP11() {
        assertFails("GET / HTTP/1.1\r\n\r\n", .invalidHost)
        assertFails("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .invalidHost)
    }

    func testContentLengthValidation() throws {
        assertFails("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", .invalidContentLength)
        assertFails("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 6\r\n\r\n", .invalidContentLength)
        assertFails("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", .invalidContentLength)
        assertFails("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\n", .invalidContentLength)
        assertFails("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0x10\r\n\r\n", .invalidContentLength)
        assertFails("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n", .invalidContentLength)
        assertFails("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \r\n\r\n", .invalidContentLength)
        // Identical duplicates are allowed (RFC 9112 §6.3).
        let events = try parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 2, 2\r\n\r\nok")
        XCTAssertEqual(bodies(events), ["ok"])
    }

    func testTransferEncodingWithContentLengthIsRejected() {
        assertFails("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .conflictingFraming)
        assertFails("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", .conflictingFraming)
        assertFails("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .conflictingFraming)
    }

    func testUnsupportedOrMalformedTransferCodings() {
        assertFails("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", .unsupportedTransferEncoding)
        assertFails("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .invalidChunk)
        assertFails("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", .invalidChunk)
        assertFails("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", .invalidChunk)
    }

    func testRejectsInvalidChunks() {
        let prefix = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        assertFails(prefix + "g\r\n", .invalidChunk)
        assertFails(prefix + "\r\n", .invalidChunk)
        assertFails(prefix + "-1\r\n", .invalidChunk)
        assertFails(prefix + "5 x\r\nhello\r\n0\r\n\r\n", .invalidChunk)
        assertFails(prefix + "5\r\nhelloXX0\r\n\r\n", .invalidChunk)
        assertFails(prefix + "1000000000000000\r\n", .invalidChunk)
        assertFails(prefix + String(repeating: "0", count: 2000) + "1\r\n", .invalidChunk)
    }

    func testRequestLineLimit() {
        var limits = ServerLimits()
        limits.maxRequestLineLength = 64
        assertFails("GET /" + String(repeating: "a", count: 100) + " HTTP/1.1\r\nHost: h\r\n\r\n", .requestLineTooLong, limits: limits)
        assertFails("GET /" + String(repeating: "a", count: 100), .requestLineTooLong, limits: limits)  // no CRLF yet
    }

    func testVerdictDoesNotDependOnReadBoundaries() {
        // Fuzzer regression: a CR just past the line limit gave 414 fed whole but 400 fed byte by byte.
        var limits = ServerLimits()
        limits.maxRequestLineLength = 16
        assertFails("GET /" + String(repeating: "a", count: 12) + "\rX HTTP/1.1\r\n\r\n", .requestLineTooLong, limits: limits)
        assertFails("GET /aaaa\rX HTTP/1.1\r\n\r\n", .invalidLineEnding, limits: limits)
    }

    func testHeaderBlockAndCountLimits() {
        var limits = ServerLimits()
        limits.maxHeaderBytes = 256
        limits.maxHeaderCount = 5
        assertFails("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + String(repeating: "v", count: 300) + "\r\n\r\n", .headersTooLarge, limits: limits)
        assertFails("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + String(repeating: "v", count: 300), .headersTooLarge, limits: limits)
        let many = (0..<6).map { "X-\($0): v\r\n" }.joined()
        assertFails("GET / HTTP/1.1\r\nHost: h\r\n" + many + "\r\n", .tooManyHeaders, limits: limits)
    }

    func testBodyLimitForContentLengthAndChunked() {
        var limits = ServerLimits()
        limits.maxBodySize = 4
        assertFails("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello", .bodyTooLarge, limits: limits)
        assertFails("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n", .bodyTooLarge, limits: limits)
    }

    func testBodyLimitCanBeRaisedAfterHead() throws {
        var limits = ServerLimits()
        limits.maxBodySize = 2
        var parser = HTTPRequestParser(limits: limits)
        parser.append(Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello".utf8))
        guard case .head = try parser.next() else { return XCTFail("expected head") }
        parser.bodyLimit = 10
        XCTAssertEqual(try parser.next(), .end(body: Array("hello".utf8)))
        XCTAssertEqual(parser.bodyLimit, 2, "limit resets for the next request")
    }

    func testParserStaysFailedAfterError() {
        var parser = HTTPRequestParser()
        parser.append(Array("BAD\r\n".utf8))
        XCTAssertThrowsError(try parser.next())
        parser.append(Array("GET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
        XCTAssertThrowsError(try parser.next())
    }

    func testMidMessageTracking() throws {
        var parser = HTTPRequestParser()
        XCTAssertFalse(parser.isMidMessage)
        parser.append(Array("\r\n".utf8))
        _ = try parser.next()
        XCTAssertFalse(parser.isMidMessage)
        parser.append(Array("GE".utf8))
        _ = try parser.next()
        XCTAssertTrue(parser.isMidMessage)
    }

    func testTargetDecoding() throws {
        let request = try HTTPRequest(method: .get, target: "/api/a%20b/c%2Fd?x=1&y=a+b&y=%26&flag")
        XCTAssertEqual(request.path, "/api/a b/c/d")
        XCTAssertEqual(request.pathSegments, ["api", "a b", "c/d"])
        XCTAssertEqual(request.queryParameter("x"), "1")
        XCTAssertEqual(request.queryParameters.filter { $0.name == "y" }.map(\.value), ["a b", "&"])
        XCTAssertEqual(request.queryParameter("flag"), "")
        XCTAssertThrowsError(try HTTPRequest(method: .get, target: "/a%zz"))
        XCTAssertThrowsError(try HTTPRequest(method: .get, target: "/a%00b"))
        XCTAssertThrowsError(try HTTPRequest(method: .get, target: "/a%ff"))
    }

    func testAbsoluteFormTargetIsAcceptedAndReducedToPath() throws {
        let h = try XCTUnwrap(head(try parse("GET http://example.com/a/b?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n")))
        let request = try HTTPRequest(method: h.method, target: h.target)
        XCTAssertEqual(request.path, "/a/b")
        XCTAssertEqual(request.queryParameter("q"), "1")
        XCTAssertEqual(try HTTPRequest(method: .get, target: "HTTPS://example.com").path, "/")
        assertFails("GET ftp://example.com/ HTTP/1.1\r\nHost: h\r\n\r\n", .invalidRequestLine)
    }

    func testErrorBodiesEscapeTheirMessage() {
        let response = HTTPResponse.jsonError(.badRequest, code: "bad", message: "a\"b\\c\n\u{01}é")
        XCTAssertEqual(String(decoding: response.bodyBytes, as: UTF8.self),
                       "{\"error\":{\"code\":\"bad\",\"message\":\"a\\\"b\\\\c\\n\\u0001é\"}}")
    }
}
