import Foundation
import XCTest
@testable import AvesaHost
#if canImport(Glibc)
import Glibc
#endif

/// A parsed response as seen by the test client.
struct TestResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
}

struct TestClientError: Error, CustomStringConvertible {
    let description: String
}

/// A small blocking HTTP/1.1 client over a Glibc socket with receive/send timeouts.
final class TestClient {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, host: String = "127.0.0.1", timeout: Double = 3) throws {
        let address = SocketAddress(host: host, port: port)
        guard let (storage, length) = address.storage() else { throw TestClientError(description: "bad address") }
        fd = socket(Int32(storage.ss_family), Int32(SOCK_STREAM.rawValue), 0)
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = storage
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) } }
        if rc != 0 {
            let e = errno
            Glibc.close(fd)
            throw TestClientError(description: "connect failed: \(e)")
        }
    }

    deinit { Glibc.close(fd) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { throw TestClientError(description: "send failed: \(errno)") }
            offset += n
        }
    }

    /// Reads more bytes; returns false on EOF/reset, throws on timeout.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
        if n == 0 { return false }
        if errno == EAGAIN || errno == EWOULDBLOCK { throw TestClientError(description: "timeout") }
        return false
    }

    private func readLine() throws -> String {
        while true {
            if let i = buffer.firstIndex(of: 10) {
                let line = buffer[0..<i]
                buffer.removeFirst(i + 1)
                return String(decoding: line.last == 13 ? line.dropLast() : line, as: UTF8.self)
            }
            guard try fill() else { throw TestClientError(description: "closed while reading line") }
        }
    }

    private func readExactly(_ count: Int) throws -> [UInt8] {
        while buffer.count < count {
            guard try fill() else { throw TestClientError(description: "closed while reading body") }
        }
        let out = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return out
    }

    /// Reads one response; `head` suppresses the body (HEAD requests, 1xx).
    func readResponse(head: Bool = false) throws -> TestResponse {
        let statusLine = try readLine()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw TestClientError(description: "bad status line \(statusLine)") }
        var headers: [(String, String)] = []
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { throw TestClientError(description: "bad header \(line)") }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var response = TestResponse(status: status, headers: headers, body: [])
        if head || status < 200 || status == 204 || status == 304 { return response }
        if let length = response.header("Content-Length").flatMap(Int.init) {
            response.body = try readExactly(length)
        } else if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            while true {
                let sizeLine = try readLine()
                guard let size = Int(sizeLine, radix: 16) else { throw TestClientError(description: "bad chunk \(sizeLine)") }
                if size == 0 {
                    _ = try readLine()
                    break
                }
                response.body += try readExactly(size)
                _ = try readLine()
            }
        } else {
            response.body = readToEnd()
        }
        return response
    }

    /// Reads until the server closes (or timeout).
    func readToEnd() -> [UInt8] {
        while (try? fill()) == true {}
        let out = buffer
        buffer = []
        return out
    }

    /// True when the server has closed the connection (EOF or reset) within the receive timeout.
    func isClosedByServer() -> Bool {
        do {
            while try fill() {}
            return true
        } catch {
            return false
        }
    }
}

/// Starts a server on port 0 and tears it down after `body`.
final class TestServer: @unchecked Sendable {  // immutable after init
    let server: HTTPServer
    let address: SocketAddress
    var port: Int { address.port }

    init(host: String = "127.0.0.1", limits: ServerLimits = ServerLimits(), router: Router = TestServer.defaultRouter(),
         middleware: [any Middleware] = [], loops: Int = 2) throws {
        server = HTTPServer(configuration: HTTPServerConfiguration(host: host, port: 0, eventLoopCount: loops, limits: limits),
                            router: router, middleware: middleware)
        address = try server.start()
    }

    /// Synchronous graceful shutdown (tests are synchronous so the test thread never blocks the Swift pool).
    func stop(timeout: Duration = .seconds(2)) {
        let done = DispatchSemaphore(value: 0)
        let server = self.server
        Task {
            await server.shutdown(timeout: timeout)
            done.signal()
        }
        done.wait()
    }

    static func defaultRouter() -> Router {
        var router = Router()
        router.get("/hello") { _ in .text("hello") }
        router.get("/json") { _ in .json(Array(#"{"ok":true}"#.utf8)) }
        router.post("/echo") { request in HTTPResponse(status: .ok, headers: ["Content-Type": "application/octet-stream"], body: request.body) }
        router.post("/big-upload", maxBodySize: 4096) { request in .text("\(request.body.count)") }
        router.get("/api/companies/:id") { request in .text("company \(request.pathParameter("id") ?? "?")") }
        router.delete("/api/companies/:id") { _ in HTTPResponse(status: .noContent) }
        router.get("/slow") { request in
            let ms = Int(request.queryParameter("ms") ?? "200") ?? 200
            try await Task.sleep(for: .milliseconds(ms))
            return .text("slow done")
        }
        router.get("/large") { request in
            let size = Int(request.queryParameter("size") ?? "") ?? 4 << 20
            return HTTPResponse(status: .ok, body: [UInt8](repeating: UInt8(ascii: "x"), count: size))
        }
        router.get("/stream") { _ in
            HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"]) { writer in
                for i in 0..<5 { try await writer.write(Array("part\(i);".utf8)) }
            }
        }
        router.get("/endless") { _ in
            HTTPResponse(status: .ok) { writer in
                let chunk = [UInt8](repeating: 65, count: 64 * 1024)
                while true { try await writer.write(chunk) }
            }
        }
        router.get("/fail") { _ in throw HTTPError(.tooManyRequests, code: "slow_down", message: "Too \"many\"") }
        router.get("/crash") { _ in throw CocoaError(.fileNoSuchFile) }
        return router
    }
}

/// Number of open descriptors of this process.
func openDescriptorCount() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
}
