import Glibc
import PluginABI

/// The `http` service: a hook's request, sent through the calling (tenant, service)'s
/// `ServiceClient` (rate limiter, authentication, retries) while the hook thread blocks.
extension HostServices {
    struct Failure: Error {
        let status: avesa_status
        let message: String
    }

    /// Runs `request` for the hook call in progress on this thread and returns a
    /// host-allocated response (released by `free_response`).
    ///
    /// Blocking happens only here, on a hook worker thread (`HookWorker.waitBlocking`):
    /// the request itself runs as a task, never blocking a Swift-concurrency thread.
    func perform(_ pointer: UnsafePointer<avesa_http_request>?) -> Result<UnsafeMutablePointer<avesa_http_response>, Failure> {
        guard let worker = HookWorker.current, let call = worker.currentCall else {
            return .failure(Failure(status: AVESA_ERR_INVALID_ARGUMENT,
                                    message: "http may only be called by a hook, on the thread the host called it on"))
        }
        guard let client = call.client else {
            return .failure(Failure(status: AVESA_ERR_HTTP, message: "no HTTP client is attached for \(call.key)"))
        }
        let request: HTTPClientRequest
        do {
            request = try Self.request(from: pointer, baseURL: call.baseURL)
        } catch {
            return .failure(Failure(status: AVESA_ERR_INVALID_ARGUMENT, message: "bad http request: \(error)"))
        }
        switch worker.waitBlocking({ try await client.send(request) }) {
        case .success(let response):
            return .success(Self.allocate(response))
        case .failure(let error as ConnectorError):
            if case .authentication = error { return .failure(Failure(status: AVESA_ERR_AUTH, message: error.description)) }
            return .failure(Failure(status: AVESA_ERR_HTTP, message: error.description))
        case .failure(let error):
            return .failure(Failure(status: AVESA_ERR_HTTP, message: "\(error)"))
        }
    }

    /// Copies a plugin's `avesa_http_request` (plugin memory, valid during the call); a
    /// relative URL is appended to `baseURL`.
    static func request(from pointer: UnsafePointer<avesa_http_request>?, baseURL: String) throws -> HTTPClientRequest {
        let c = try SizedStructReader.read(UnsafeRawPointer(pointer), as: avesa_http_request.self, field: "request")
        let url = try CStringReader.required(c.url, field: "request.url")
        let method = try CStringReader.optional(c.method, field: "request.method") ?? "GET"
        var headers: [(name: String, value: String)] = []
        if c.header_count > 0 {
            guard let base = c.headers else { throw ManifestViolation(field: "request.headers", problem: "is NULL but its count is \(c.header_count)") }
            for index in 0..<Int(c.header_count) {
                headers.append((name: try CStringReader.required(base[index].name, field: "request.headers[\(index)].name"),
                                value: try CStringReader.present(base[index].value, field: "request.headers[\(index)].value")))
            }
        }
        var body: [UInt8]?
        if c.body_length > 0 {
            guard let bytes = c.body else { throw ManifestViolation(field: "request.body", problem: "is NULL but its length is \(c.body_length)") }
            body = Array(UnsafeBufferPointer(start: bytes, count: c.body_length))
        }
        let absolute = url.hasPrefix("http://") || url.hasPrefix("https://")
        return HTTPClientRequest(method: method, url: absolute ? url : baseURL + url, headers: headers, body: body)
    }

    /// One `malloc` block: the struct, the header array, the body, then the header strings.
    static func allocate(_ response: HTTPClientResponse) -> UnsafeMutablePointer<avesa_http_response> {
        let headerOffset = MemoryLayout<avesa_http_response>.stride
        let bodyOffset = headerOffset + MemoryLayout<avesa_header>.stride * response.headers.count
        let stringsOffset = bodyOffset + response.body.count
        let stringsSize = response.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 2 }
        let raw = malloc(max(1, stringsOffset + stringsSize))!
        let headers = (raw + headerOffset).bindMemory(to: avesa_header.self, capacity: response.headers.count)
        var cursor = (raw + stringsOffset).assumingMemoryBound(to: CChar.self)
        func append(_ text: String) -> UnsafePointer<CChar> {
            let start = cursor
            for byte in text.utf8 {
                cursor.pointee = CChar(bitPattern: byte)
                cursor += 1
            }
            cursor.pointee = 0
            cursor += 1
            return UnsafePointer(start)
        }
        for (index, header) in response.headers.enumerated() {
            (headers + index).initialize(to: avesa_header(name: append(header.name), value: append(header.value)))
        }
        let body = (raw + bodyOffset).assumingMemoryBound(to: UInt8.self)
        response.body.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { body.update(from: base, count: source.count) }
        }
        let result = raw.bindMemory(to: avesa_http_response.self, capacity: 1)
        var value = avesa_http_response()
        value.struct_size = UInt32(MemoryLayout<avesa_http_response>.size)
        value.status = Int32(response.status)
        value.header_count = UInt32(response.headers.count)
        value.headers = response.headers.isEmpty ? nil : UnsafePointer(headers)
        value.body = UnsafePointer(body)
        value.body_length = response.body.count
        result.initialize(to: value)
        return result
    }
}
