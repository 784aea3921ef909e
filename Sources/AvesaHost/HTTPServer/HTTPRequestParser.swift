/// An incremental HTTP/1.1 request parser (RFC 9112): a pure state machine over bytes,
/// with no sockets, clocks or allocations beyond its own buffer.
///
/// Feed bytes with `append(_:)`, then call `next()` until it returns nil (more bytes
/// needed). Each request yields `.head` then `.end(body:)`. Between the two the caller may
/// lower or raise `bodyLimit` (per-route limits). After an error the parser stays failed:
/// every later `next()` throws the same error, and the connection must be closed.
public struct HTTPRequestParser: Sendable {
    /// What the parser found.
    public enum Event: Sendable, Equatable {
        /// Request line and headers are complete and valid.
        case head(HTTPRequestHead)
        /// The body is complete (empty when the request has none); the next request may follow.
        case end(body: [UInt8])
    }

    private enum State: Sendable {
        case requestLine
        case headers
        case bodyStart
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case complete
        case failed(HTTPParseError)
    }

    /// Limits on line, header and (default) body sizes.
    public let limits: ServerLimits
    /// The body limit for the current request; reset to `limits.maxBodySize` for each request.
    public var bodyLimit: Int

    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// Bytes of the pending partial line (from `readIndex`) already scanned for its LF, so a
    /// line trickling in a byte per read is not rescanned from its start on every read (a
    /// 32 KiB header line cost ~5×10⁸ byte checks on the event loop).
    private var lineScanned = 0
    private var state: State = .requestLine
    private var head: HTTPRequestHead?
    private var method = HTTPMethod.get
    private var target = ""
    private var version = HTTPVersion.http1_1
    private var headers = HTTPHeaders()
    private var headerBytes = 0
    private var body: [UInt8] = []

    /// Creates a parser enforcing `limits`.
    public init(limits: ServerLimits = ServerLimits()) {
        self.limits = limits
        self.bodyLimit = limits.maxBodySize
    }

    /// Bytes received but not yet consumed.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// True once any byte of a request has arrived and the request is not finished
    /// (leading empty lines do not count).
    public var isMidMessage: Bool {
        switch state {
        case .requestLine:
            return buffer[readIndex...].contains { $0 != ASCII.cr && $0 != ASCII.lf }
        case .complete, .failed: return false
        default: return true
        }
    }

    /// True when the head has been returned and the body is still being received.
    public var isReadingBody: Bool {
        switch state {
        case .bodyStart, .fixedBody, .chunkSize, .chunkData, .chunkDataEnd, .trailers: return true
        default: return false
        }
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Adds received bytes from raw memory.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Advances the state machine. Returns nil when more bytes are needed.
    public mutating func next() throws(HTTPParseError) -> Event? {
        do {
            return try step()
        } catch {
            state = .failed(error)
            throw error
        }
    }

    private mutating func step() throws(HTTPParseError) -> Event? {
        while true {
            switch state {
            case .failed(let error):
                throw error
            case .complete:
                let finished = body
                resetForNextMessage()
                return .end(body: finished)
            case .requestLine:
                guard let line = try nextLine(limit: limits.maxRequestLineLength, tooLong: .requestLineTooLong) else {
                    return nil
                }
                if line.isEmpty { continue }  // RFC 9112 §2.2: ignore empty lines before a request
                try parseRequestLine(line)
                state = .headers
            case .headers:
                let remaining = limits.maxHeaderBytes - headerBytes
                guard let line = try nextLine(limit: max(0, remaining - 2), tooLong: .headersTooLarge) else {
                    return nil
                }
                headerBytes += line.count + 2
                if line.isEmpty {
                    let head = try finishHead()
                    self.head = head
                    state = .bodyStart
                    return .head(head)
                }
                if headers.count >= limits.maxHeaderCount { throw .tooManyHeaders }
                headers.add(try Self.parseField(line))
            case .bodyStart:
                guard let head else { throw .invalidRequestLine }
                if head.isChunked {
                    state = .chunkSize
                } else if let length = head.contentLength, length > 0 {
                    if length > bodyLimit { throw .bodyTooLarge }
                    body.reserveCapacity(length)
                    state = .fixedBody(remaining: length)
                } else {
                    state = .complete
                }
            case .fixedBody(let remaining):
                let take = min(remaining, bufferedByteCount)
                if take == 0 { return nil }
                body.append(contentsOf: buffer[readIndex..<readIndex + take])
                readIndex += take
                state = remaining == take ? .complete : .fixedBody(remaining: remaining - take)
            case .chunkSize:
                guard let line = try nextLine(limit: 1024, tooLong: .invalidChunk) else { return nil }
                let size = try Self.parseChunkSize(line)
                if size == 0 {
                    headerBytes = 0
                    state = .trailers
                } else {
                    if size > bodyLimit - body.count { throw .bodyTooLarge }
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let take = min(remaining, bufferedByteCount)
                if take == 0 { return nil }
                body.append(contentsOf: buffer[readIndex..<readIndex + take])
                readIndex += take
                state = remaining == take ? .chunkDataEnd : .chunkData(remaining: remaining - take)
            case .chunkDataEnd:
                if bufferedByteCount < 2 {
                    if bufferedByteCount == 1 && buffer[readIndex] != ASCII.cr { throw .invalidChunk }
                    return nil
                }
                guard buffer[readIndex] == ASCII.cr, buffer[readIndex + 1] == ASCII.lf else { throw .invalidChunk }
                readIndex += 2
                state = .chunkSize
            case .trailers:
                let remaining = limits.maxHeaderBytes - headerBytes
                guard let line = try nextLine(limit: max(0, remaining - 2), tooLong: .headersTooLarge) else {
                    return nil
                }
                headerBytes += line.count + 2
                if line.isEmpty {
                    state = .complete
                } else {
                    _ = try Self.parseField(line)  // validated, then discarded
                }
            }
        }
    }

    // MARK: Lines

    /// Returns the next CRLF-terminated line without its CRLF, nil if incomplete.
    private mutating func nextLine(limit: Int, tooLong: HTTPParseError) throws(HTTPParseError) -> ArraySlice<UInt8>? {
        let end = buffer.count
        var i = readIndex + lineScanned
        let scanEnd = min(end, readIndex + limit + 2)
        while i < scanEnd {
            let b = buffer[i]
            if b == ASCII.lf {
                guard i > readIndex, buffer[i - 1] == ASCII.cr else { throw .invalidLineEnding }
                let line = buffer[readIndex..<(i - 1)]
                readIndex = i + 1
                lineScanned = 0
                if line.count > limit { throw tooLong }
                return line
            }
            // A stray CR counts only inside the scan window, so the verdict does not depend on
            // how the bytes were split into reads (found by the fuzzer).
            if b == ASCII.cr, i + 1 < scanEnd, buffer[i + 1] != ASCII.lf { throw .invalidLineEnding }
            i += 1
        }
        if end - readIndex > limit + 1 { throw tooLong }
        // The last byte is scanned again: a CR there is judged once its successor arrives.
        lineScanned = max(0, scanEnd - readIndex - 1)
        return nil
    }

    // MARK: Request line

    private mutating func parseRequestLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) {
        guard let firstSpace = line.firstIndex(of: ASCII.space) else { throw .invalidRequestLine }
        let methodBytes = line[line.startIndex..<firstSpace]
        let rest = line[(firstSpace + 1)...]
        guard let secondSpace = rest.firstIndex(of: ASCII.space) else { throw .invalidRequestLine }
        let targetBytes = rest[rest.startIndex..<secondSpace]
        let versionBytes = rest[(secondSpace + 1)...]

        guard !methodBytes.isEmpty, methodBytes.allSatisfy(ASCII.isTokenChar) else { throw .invalidRequestLine }
        guard !targetBytes.isEmpty, targetBytes.allSatisfy(ASCII.isVisible) else { throw .invalidRequestLine }
        let first = targetBytes.first!
        let isAsterisk = targetBytes.count == 1 && first == UInt8(ascii: "*")
        guard first == UInt8(ascii: "/") || isAsterisk || Self.isAbsoluteForm(targetBytes) else { throw .invalidRequestLine }

        let v = Array(versionBytes)
        guard v.count == 8, v[0] == 72, v[1] == 84, v[2] == 84, v[3] == 80, v[4] == 47, v[6] == 46,
              (0x30...0x39).contains(v[5]), (0x30...0x39).contains(v[7]) else { throw .invalidRequestLine }
        let parsed = HTTPVersion(major: Int(v[5] - 0x30), minor: Int(v[7] - 0x30))
        guard parsed == .http1_1 || parsed == .http1_0 else { throw .unsupportedVersion }

        method = HTTPMethod(rawValue: String(decoding: methodBytes, as: UTF8.self))
        if isAsterisk && method != .options { throw .invalidRequestLine }
        target = String(decoding: targetBytes, as: UTF8.self)
        version = parsed
    }

    /// `http://…` or `https://…` (absolute-form, RFC 9112 §3.2.2), compared case-insensitively.
    static func isAbsoluteForm(_ target: ArraySlice<UInt8>) -> Bool {
        let lowered = target.prefix(8).map(ASCII.lower)
        return lowered.starts(with: Array("http://".utf8)) || lowered.starts(with: Array("https://".utf8))
    }

    // MARK: Header fields

    static func parseField(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPHeaders.Field {
        guard let first = line.first else { throw .invalidHeader }
        if first == ASCII.space || first == ASCII.tab { throw .obsoleteLineFolding }
        guard let colon = line.firstIndex(of: ASCII.colon) else { throw .invalidHeader }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty, name.allSatisfy(ASCII.isTokenChar) else { throw .invalidHeader }
        var valueStart = colon + 1
        var valueEnd = line.endIndex
        while valueStart < valueEnd, line[valueStart] == ASCII.space || line[valueStart] == ASCII.tab { valueStart += 1 }
        while valueEnd > valueStart, line[valueEnd - 1] == ASCII.space || line[valueEnd - 1] == ASCII.tab { valueEnd -= 1 }
        let value = line[valueStart..<valueEnd]
        guard value.allSatisfy(ASCII.isFieldValueByte) else { throw .invalidHeader }
        return (name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
    }

    /// Validates framing (RFC 9112 §6.3) and Host, producing the head.
    private mutating func finishHead() throws(HTTPParseError) -> HTTPRequestHead {
        let hosts = headers.values(for: "Host")
        if hosts.count > 1 || (version == .http1_1 && hosts.isEmpty) { throw .invalidHost }

        let transferCodings = headers.values(for: "Transfer-Encoding")
        let lengths = headers.values(for: "Content-Length")
        var isChunked = false
        var contentLength: Int?
        if !transferCodings.isEmpty {
            if !lengths.isEmpty || version == .http1_0 { throw .conflictingFraming }
            let codings = headers.listValues(for: "Transfer-Encoding")
            guard codings.count == 1, HTTPHeaders.namesEqual(codings[0], "chunked") else {
                if codings.contains(where: { HTTPHeaders.namesEqual($0, "chunked") }) || codings.isEmpty {
                    throw .invalidChunk
                }
                throw .unsupportedTransferEncoding
            }
            isChunked = true
        } else if !lengths.isEmpty {
            for field in lengths {
                for item in field.split(separator: ",", omittingEmptySubsequences: false) {
                    let digits = item.trimmingASCIIWhitespace()
                    guard !digits.isEmpty, digits.count <= 18, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                          let value = Int(digits) else { throw .invalidContentLength }
                    if let existing = contentLength, existing != value { throw .invalidContentLength }
                    contentLength = value
                }
            }
        }
        return HTTPRequestHead(method: method, target: target, version: version, headers: headers,
                               contentLength: contentLength, isChunked: isChunked)
    }

    static func parseChunkSize(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> Int {
        var size = 0
        var digits = 0
        var i = line.startIndex
        while i < line.endIndex, let value = ASCII.hexValue(line[i]) {
            digits += 1
            if digits > 15 { throw .invalidChunk }
            size = size * 16 + value
            i += 1
        }
        guard digits > 0 else { throw .invalidChunk }
        // Optional chunk extensions: BWS ";" ...; ignored but must be visible text.
        while i < line.endIndex, line[i] == ASCII.space || line[i] == ASCII.tab { i += 1 }
        if i < line.endIndex {
            guard line[i] == UInt8(ascii: ";") else { throw .invalidChunk }
            guard line[i...].allSatisfy(ASCII.isFieldValueByte) else { throw .invalidChunk }
        }
        return size
    }

    // MARK: Buffer

    private mutating func resetForNextMessage() {
        state = .requestLine
        lineScanned = 0
        head = nil
        headers = HTTPHeaders()
        headerBytes = 0
        body = []
        target = ""
        bodyLimit = limits.maxBodySize
    }

    private mutating func compact() {
        if readIndex == 0 { return }
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 64 * 1024)
            readIndex = 0
        } else if readIndex >= 4096 && readIndex * 2 >= buffer.count {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }
}

extension HTTPHeaders {
    mutating func add(_ field: Field) { add(name: field.name, value: field.value) }
}
