#if canImport(Glibc)
import Glibc
#endif

/// Handlers: runs each request as a Task and writes its response (in memory or streamed) in order.
/// Event-loop thread only, like the rest of `Connection`.
extension Connection {
    func dispatch(_ request: HTTPRequest) {
        phase = .processing
        let handler = core.handler
        let loop = self.loop
        Task { [self] in
            let response: HTTPResponse
            do {
                response = try await handler(request)
            } catch {
                response = Router.errorResponse(error)
            }
            loop.execute { self.responseReady(response) }
        }
    }

    func responseReady(_ response: HTTPResponse) {
        guard phase == .processing, let head = currentHead else { return }
        var keepAlive = head.keepAlive && !shuttingDown
        let isHead = head.method == .head
        let date = loop.dateCache.current()
        switch response.body {
        case .bytes(let bytes):
            let sendsBody = response.status.allowsBody
            var length = bytes.count
            if isHead && bytes.isEmpty, let declared = response.headers["Content-Length"].flatMap(Int.init) {
                length = declared  // a HEAD-aware handler announced the GET length without producing the body
            }
            ResponseSerializer.appendHead(response, framing: sendsBody ? .contentLength(length) : .none,
                                          keepAlive: keepAlive, requestVersion: head.version,
                                          serverName: core.serverName, date: date, into: &output)
            if sendsBody && !isHead { output.append(contentsOf: bytes) }
            completeResponse(keepAlive: keepAlive)
        case .stream(let writer):
            if isHead || !response.status.allowsBody {
                ResponseSerializer.appendHead(response, framing: .none, keepAlive: keepAlive, requestVersion: head.version,
                                              serverName: core.serverName, date: date, into: &output)
                completeResponse(keepAlive: keepAlive)
                return
            }
            streamChunked = head.version == .http1_1
            if !streamChunked { keepAlive = false }
            streamKeepAlive = keepAlive
            ResponseSerializer.appendHead(response, framing: streamChunked ? .chunked : .closeDelimited,
                                          keepAlive: keepAlive, requestVersion: head.version,
                                          serverName: core.serverName, date: date, into: &output)
            phase = .streaming
            flush()
            startStream(writer)
        }
    }

    func startStream(_ produce: @escaping @Sendable (ResponseBodyWriter) async throws -> Void) {
        let loop = self.loop
        let writer = ResponseBodyWriter { [self] bytes in
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if !loop.execute({ self.enqueueStreamChunk(bytes, continuation) }) {
                    continuation.resume(throwing: ConnectionClosedError())
                }
            }
        }
        Task { [self] in
            var failed = false
            do { try await produce(writer) } catch { failed = true }
            let failedCopy = failed
            loop.execute { self.streamFinished(failed: failedCopy) }
        }
    }

    func enqueueStreamChunk(_ bytes: [UInt8], _ continuation: CheckedContinuation<Void, any Error>) {
        guard phase == .streaming else {
            continuation.resume(throwing: ConnectionClosedError())
            return
        }
        if streamChunked {
            ResponseSerializer.appendChunk(bytes, into: &output)
        } else {
            output.append(contentsOf: bytes)
        }
        flush()
        if phase == .closed {
            continuation.resume(throwing: ConnectionClosedError())
        } else if output.count - outputOffset <= core.limits.outputHighWatermark {
            continuation.resume()
        } else {
            writeWaiters.append(continuation)
        }
    }

    func streamFinished(failed: Bool) {
        guard phase == .streaming else { return }
        if failed {
            close()  // the body cannot be completed correctly; the client sees a truncated response
            return
        }
        if streamChunked { output.append(contentsOf: ResponseSerializer.lastChunk) }
        completeResponse(keepAlive: streamKeepAlive)
    }

    func completeResponse(keepAlive: Bool) {
        currentHead = nil
        if !keepAlive || peerClosedInput {
            phase = .closingAfterFlush
            flush()
            return
        }
        phase = .receiving
        idleSince = MonotonicClock.nanoseconds()
        headerStart = nil
        flush()
        if phase == .receiving {
            if parser.isMidMessage { headerStart = idleSince }
            processInput()
            updateInterest()
        }
    }
}
