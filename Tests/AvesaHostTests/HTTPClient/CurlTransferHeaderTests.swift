@testable import AvesaHost
import XCTest

/// Header-line parsing of a transfer, fed the raw lines libcurl's header callback passes.
final class CurlTransferHeaderTests: XCTestCase {
    private func transfer() -> CurlTransfer {
        // The easy handle is never touched by header parsing; a placeholder pointer will do.
        CurlTransfer(id: 1, request: HTTPClientRequest(url: "http://example.test/?key=secret"),
                     easy: UnsafeMutableRawPointer(bitPattern: 0x10)!)
    }

    private func feed(_ transfer: CurlTransfer, _ lines: [String]) {
        for line in lines {
            Array(line.utf8).withUnsafeBufferPointer { transfer.receiveHeaderLine($0) }
        }
    }

    func testKeepsOnlyTheFinalBlockTrimmedAndInOrder() {
        let transfer = transfer()
        feed(transfer, ["HTTP/1.1 100 Continue\r\n", "X-Interim: 1\r\n", "\r\n", "HTTP/1.1 200 OK\r\n",
                        "Content-Type: \t application/json \r\n", "X-Empty:\r\n", "Link: <a?b=c:d>; rel=next\r\n",
                        "not a header\r\n", "\r\n"])
        XCTAssertEqual(transfer.headers.map(\.name), ["Content-Type", "X-Empty", "Link"])
        XCTAssertEqual(transfer.headers.map(\.value), ["application/json", "", "<a?b=c:d>; rel=next"])
    }

    func testContentLengthPresizesTheBodyWithinTheLimit() {
        let small = transfer()
        feed(small, ["HTTP/1.1 200 OK\r\n", "content-LENGTH: 5000\r\n"])
        XCTAssertGreaterThanOrEqual(small.body.capacity, 5000)
        let huge = transfer()
        feed(huge, ["HTTP/1.1 200 OK\r\n", "Content-Length: 99999999999999999999\r\n", "Content-Length: -4\r\n"])
        XCTAssertEqual(huge.body.capacity, 0)
        XCTAssertEqual(huge.headers.count, 2)
    }

    func testRedactsTheURLOnlyWhenAsked() {
        XCTAssertEqual(transfer().redactedURL, "http://example.test/?key=REDACTED")
    }
}
