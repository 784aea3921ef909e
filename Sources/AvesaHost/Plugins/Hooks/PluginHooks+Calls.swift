import Glibc
import PluginABI

/// The hooks as Swift async methods. Each runs on a hook thread, builds its arguments in
/// host memory for the call only, copies the result into Swift values and releases the
/// plugin's memory exactly once. A non-OK status throws `PluginHookError` naming the
/// plugin, the hook and the plugin's message.
extension PluginHooks {
    /// `authenticate`: the headers to add to a request of `call`.
    public func authenticate(_ values: HookRequestValues, for call: HookClientContext) async throws -> [(name: String, value: String)] {
        guard let hook = table.authenticate else { throw missing("authenticate") }
        let headers = try await perform("authenticate", for: call) { [self] state in
            try withContext(values, call) { context in
                var headers: UnsafeMutablePointer<avesa_header>?
                var count: UInt32 = 0
                var message: UnsafeMutablePointer<CChar>?
                let status = hook(state, context, &headers, &count, &message)
                let text = takeMessage(message, state: state)
                defer { release(headers, state: state) }
                try check(status, hook: "authenticate", message: text)
                guard count == 0 || headers != nil else { throw unusable("authenticate", "headers is NULL but the count is \(count)") }
                return try (0..<Int(count)).map { index in
                    guard let name = headers![index].name, let value = headers![index].value else {
                        throw unusable("authenticate", "header \(index) has a NULL name or value")
                    }
                    return HeaderPair(name: String(cString: name), value: String(cString: value))
                }
            }
        }
        return headers.map { (name: $0.name, value: $0.value) }
    }

    /// `build_request`: the request for one page (relative URLs resolved against the base URL).
    public func buildRequest(_ values: HookRequestValues, for call: HookClientContext) async throws -> HTTPClientRequest {
        guard let hook = table.build_request else { throw missing("build_request") }
        return try await perform("build_request", for: call) { [self] state in
            try withContext(values, call) { context in
                var request: UnsafeMutablePointer<avesa_http_request>?
                var message: UnsafeMutablePointer<CChar>?
                let status = hook(state, context, &request, &message)
                let text = takeMessage(message, state: state)
                defer { release(request, state: state) }
                try check(status, hook: "build_request", message: text)
                do {
                    return try HostServices.request(from: request, baseURL: values.baseURL)
                } catch let violation as ManifestViolation {
                    throw unusable("build_request", "\(violation.field) \(violation.problem)")
                }
            }
        }
    }

    /// `parse_page`: the records (NDJSON) and where to go next, for a response of `call`.
    public func parsePage(_ values: HookRequestValues, response: HTTPClientResponse, for call: HookClientContext) async throws -> HookPage {
        guard let hook = table.parse_page else { throw missing("parse_page") }
        return try await perform("parse_page", for: call) { [self] state in
            try withContext(values, call) { context in
                try withResponse(response) { cResponse in
                    var page: UnsafeMutablePointer<avesa_page>?
                    var message: UnsafeMutablePointer<CChar>?
                    let status = hook(state, context, cResponse, &page, &message)
                    let text = takeMessage(message, state: state)
                    defer { release(page, state: state) }
                    try check(status, hook: "parse_page", message: text)
                    let c: avesa_page
                    do {
                        c = try SizedStructReader.read(UnsafeRawPointer(page), as: avesa_page.self, field: "page")
                    } catch let violation as ManifestViolation {
                        throw unusable("parse_page", "\(violation.field) \(violation.problem)")
                    }
                    guard c.records_length == 0 || c.records_ndjson != nil else {
                        throw unusable("parse_page", "records_ndjson is NULL but records_length is \(c.records_length)")
                    }
                    let bytes = c.records_length == 0 ? [] : Array(UnsafeBufferPointer(start: c.records_ndjson, count: c.records_length))
                    return HookPage(ndjson: bytes, recordCount: Int(c.record_count),
                                    nextToken: c.next_token.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 },
                                    watermark: c.watermark.map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 })
                }
            }
        }
    }

    /// `plan_chunks`: `[since, until)` split into chunks; `count` is the measured record
    /// count or nil when unknown.
    public func planChunks(_ values: HookRequestValues, count: Int64?, for call: HookClientContext) async throws -> [HookChunk] {
        guard let hook = table.plan_chunks else { throw missing("plan_chunks") }
        return try await perform("plan_chunks", for: call) { [self] state in
            try withContext(values, call) { context in
                var plan: UnsafeMutablePointer<avesa_chunk_plan>?
                var message: UnsafeMutablePointer<CChar>?
                let status = hook(state, context, count ?? -1, &plan, &message)
                let text = takeMessage(message, state: state)
                defer { release(plan, state: state) }
                try check(status, hook: "plan_chunks", message: text)
                let c: avesa_chunk_plan
                do {
                    c = try SizedStructReader.read(UnsafeRawPointer(plan), as: avesa_chunk_plan.self, field: "plan")
                } catch let violation as ManifestViolation {
                    throw unusable("plan_chunks", "\(violation.field) \(violation.problem)")
                }
                guard c.chunk_count == 0 || c.chunks != nil else {
                    throw unusable("plan_chunks", "chunks is NULL but chunk_count is \(c.chunk_count)")
                }
                return (0..<Int(c.chunk_count)).map { index in
                    HookChunk(since: c.chunks[index].since.map { String(cString: $0) },
                              until: c.chunks[index].until.map { String(cString: $0) })
                }
            }
        }
    }

    /// Calls `body` with a request context for `values` and the credentials of `call`;
    /// the context's strings are freed when `body` returns.
    private func withContext<R>(_ values: HookRequestValues, _ call: HookClientContext,
                                _ body: (UnsafePointer<avesa_request_context>) throws -> R) throws -> R {
        let arena = CStringArena()
        defer { arena.releaseAll() }
        return try RequestContextScope.with(values, credentials: call.credentials, arena: arena, body)
    }

    /// Calls `body` with `response` as an `avesa_http_response` in host memory (valid during the call).
    private func withResponse<R>(_ response: HTTPClientResponse, _ body: (UnsafePointer<avesa_http_response>) throws -> R) throws -> R {
        let arena = CStringArena()
        defer { arena.releaseAll() }
        let headers = response.headers.map { avesa_header(name: arena.copy($0.name), value: arena.copy($0.value)) }
        return try headers.withUnsafeBufferPointer { headerBuffer in
            try response.body.withUnsafeBufferPointer { bodyBuffer in
                var c = avesa_http_response()
                c.struct_size = UInt32(MemoryLayout<avesa_http_response>.size)
                c.status = Int32(response.status)
                c.header_count = UInt32(headerBuffer.count)
                c.headers = headerBuffer.baseAddress
                c.body = bodyBuffer.baseAddress
                c.body_length = bodyBuffer.count
                return try withUnsafePointer(to: &c) { try body($0) }
            }
        }
    }
}

/// A header copied out of plugin memory (a Sendable stand-in for the tuple).
private struct HeaderPair: Sendable {
    let name: String
    let value: String
}
