import CCurl
import Foundation

/// One in-flight libcurl transfer: borrows a `CURL *` easy handle from the engine's pool
/// (the engine takes it back, reset, when the transfer ends), and owns its header list,
/// error buffer and the bytes received so far.
///
/// Threading invariant: created on any thread, then touched only on the engine's event
/// loop thread (callbacks run there too) until it completes; the continuation is
/// resumed exactly once by the loop. Ownership: the engine's `active` table retains the
/// transfer while libcurl holds the easy handle; libcurl's callbacks receive it as an
/// unretained pointer (CURLOPT_WRITEDATA / HEADERDATA).
final class CurlTransfer: @unchecked Sendable {
    let id: UInt64
    let request: HTTPClientRequest
    /// The URL as errors may show it; computed only when a transfer fails.
    private(set) lazy var redactedURL: String = URLRedactor.redact(request.url)
    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var requestBody: [CChar]  // copied into libcurl by CURLOPT_COPYPOSTFIELDS
    var continuation: CheckedContinuation<HTTPClientResponse, any Error>?
    var body: [UInt8] = []
    var headers: [(name: String, value: String)] = []
    var exceededLimit = false
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init(id: UInt64, request: HTTPClientRequest, easy: UnsafeMutableRawPointer) {
        self.id = id
        self.request = request
        self.easy = easy
        self.requestBody = (request.body ?? []).map { CChar(bitPattern: $0) }
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        // The easy handle is not ours to clean up: the engine's pool owns it.
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Applies the request's options to the easy handle. `selfPointer` is the unretained
    /// pointer the callbacks receive.
    func configure() {
        let limits = request.limits
        let handle = easy
        _ = avesa_curl_setopt_string(handle, CURLOPT_URL, request.url)
        _ = avesa_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = avesa_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")
        _ = avesa_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, limits.connectTimeoutMilliseconds)
        _ = avesa_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, limits.totalTimeoutMilliseconds)
        _ = avesa_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, limits.lowSpeedBytesPerSecond)
        _ = avesa_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, limits.lowSpeedSeconds)
        _ = avesa_curl_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(limits.maxResponseBytes))
        _ = avesa_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, limits.verifyTLS ? 1 : 0)
        _ = avesa_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, limits.verifyTLS ? 2 : 0)
        _ = avesa_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1)
        _ = avesa_curl_setopt_long(handle, CURLOPT_BUFFERSIZE, 256 * 1024)  // fewer, larger body callbacks
        _ = avesa_curl_setopt_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        _ = avesa_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        for header in request.headers {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        // Disable libcurl's automatic "Expect: 100-continue" on POST bodies.
        headerList = curl_slist_append(headerList, "Expect:")
        _ = avesa_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, headerList)
        switch request.method {
        case "GET": _ = avesa_curl_setopt_long(handle, CURLOPT_HTTPGET, 1)
        case "HEAD": _ = avesa_curl_setopt_long(handle, CURLOPT_NOBODY, 1)
        default: _ = avesa_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
        }
        if request.body != nil {
            requestBody.withUnsafeMutableBufferPointer { buffer in
                _ = avesa_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, buffer.count)
                _ = avesa_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, buffer.baseAddress)  // libcurl copies
            }
        }
        let selfPointer = Unmanaged.passUnretained(self).toOpaque()
        _ = avesa_curl_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteBody)
        _ = avesa_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, selfPointer)
        _ = avesa_curl_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader)
        _ = avesa_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, selfPointer)
    }

    /// Builds the result once libcurl reports the transfer done with `code`.
    func result(code: CURLcode) -> Result<HTTPClientResponse, HTTPClientError> {
        if exceededLimit || code == CURLE_FILESIZE_EXCEEDED {
            return .failure(.responseTooLarge(limit: request.limits.maxResponseBytes, url: redactedURL))
        }
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            if code == CURLE_OPERATION_TIMEDOUT {
                return .failure(.timeout(message: message, url: redactedURL))
            }
            return .failure(.transport(code: Int(code.rawValue), message: message, url: redactedURL))
        }
        var status = 0
        _ = avesa_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        var seconds = 0.0
        _ = avesa_curl_getinfo_double(easy, CURLINFO_TOTAL_TIME, &seconds)
        return .success(HTTPClientResponse(status: status, headers: headers, body: body, totalSeconds: seconds))
    }

    /// Appends a received header line (raw bytes, CRLF included); a new status line starts
    /// a new header block (redirects, 100 Continue), so only the final response's headers
    /// remain. Works on bytes: Foundation's trimming and case-insensitive compare cost more
    /// than the rest of a small transfer.
    func receiveHeaderLine(_ line: UnsafeBufferPointer<UInt8>) {
        if line.starts(with: Self.statusLinePrefix) {
            headers.removeAll(keepingCapacity: true)
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = Self.trimmed(UnsafeBufferPointer(rebasing: line[..<colon]))
        let value = Self.trimmed(UnsafeBufferPointer(rebasing: line[(colon + 1)...]))
        headers.append((name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
        // Size the body buffer once from Content-Length (bounded by the response limit).
        if Self.equalsIgnoringASCIICase(name, Self.contentLength), let length = Self.decimal(value), length > 0 {
            body.reserveCapacity(min(length, request.limits.maxResponseBytes))
        }
    }

    private static let statusLinePrefix = Array("HTTP/".utf8)
    private static let contentLength = Array("content-length".utf8)

    /// `bytes` without leading and trailing spaces, tabs, CR and LF.
    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// Whether `bytes` equals the lower-case ASCII `lower`, ignoring ASCII case.
    private static func equalsIgnoringASCIICase(_ bytes: UnsafeBufferPointer<UInt8>, _ lower: [UInt8]) -> Bool {
        bytes.count == lower.count && zip(bytes, lower).allSatisfy { ($0 | 0x20) == $1 }
    }

    /// A non-negative decimal without sign or spaces, or nil (also on overflow).
    private static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }
}

/// libcurl body callback: appends to the transfer, aborting past the size limit.
private func curlWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                           _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    guard transfer.body.count + length <= transfer.request.limits.maxResponseBytes else {
        transfer.exceededLimit = true
        return 0
    }
    data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
        transfer.body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
    }
    return length
}

/// libcurl header callback: one header line per call.
private func curlWriteHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                             _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    data.withMemoryRebound(to: UInt8.self, capacity: length) {
        transfer.receiveHeaderLine(UnsafeBufferPointer(start: $0, count: length))
    }
    return length
}
