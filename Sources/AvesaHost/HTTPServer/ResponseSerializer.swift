/// Writes a response head (status line and fields) into an output buffer.
enum ResponseSerializer {
    /// How the body is framed on the wire.
    enum Framing {
        case contentLength(Int)
        case chunked
        case closeDelimited
        case none
    }

    /// Appends the head. Handler-set framing fields (Content-Length, Transfer-Encoding,
    /// Connection) are replaced by the server's own.
    static func appendHead(_ response: HTTPResponse, framing: Framing, keepAlive: Bool, requestVersion: HTTPVersion,
                           serverName: String, date: String, into out: inout [UInt8]) {
        out.append(contentsOf: "HTTP/1.1 \(response.status.code) \(response.status.reasonPhrase)\r\n".utf8)
        out.append(contentsOf: "Server: \(serverName)\r\nDate: \(date)\r\n".utf8)
        for field in response.headers {
            if HTTPHeaders.namesEqual(field.name, "Content-Length") || HTTPHeaders.namesEqual(field.name, "Transfer-Encoding")
                || HTTPHeaders.namesEqual(field.name, "Connection") { continue }
            appendField(field.name, field.value, into: &out)
        }
        switch framing {
        case .contentLength(let length): out.append(contentsOf: "Content-Length: \(length)\r\n".utf8)
        case .chunked: out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
        case .closeDelimited, .none: break
        }
        if !keepAlive {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if requestVersion == .http1_0 {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
    }

    /// Appends one field, replacing CR/LF in the value so a handler cannot inject headers.
    private static func appendField(_ name: String, _ value: String, into out: inout [UInt8]) {
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: ": ".utf8)
        for b in value.utf8 { out.append(b == ASCII.cr || b == ASCII.lf || b == 0 ? ASCII.space : b) }
        out.append(contentsOf: "\r\n".utf8)
    }

    /// Appends one chunk (`size CRLF data CRLF`).
    static func appendChunk(_ bytes: [UInt8], into out: inout [UInt8]) {
        out.append(contentsOf: String(bytes.count, radix: 16).utf8)
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: bytes)
        out.append(contentsOf: "\r\n".utf8)
    }

    /// The last chunk with no trailers.
    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)
    /// The interim response to `Expect: 100-continue`.
    static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
}
