#if canImport(Glibc)
import Glibc
#endif

/// Parsing: turns buffered bytes into requests, applying route body limits and `Expect`.
/// Event-loop thread only, like the rest of `Connection`.
extension Connection {
    func processInput() {
        while phase == .receiving {
            if output.count - outputOffset > core.limits.outputHighWatermark { return }  // resumes once drained
            if shuttingDown && !parser.isMidMessage && currentHead == nil {
                if !hasPendingOutput { close() } else { phase = .closingAfterFlush }
                return
            }
            let event: HTTPRequestParser.Event?
            do {
                event = try parser.next()
            } catch {
                fail(HTTPError(error.status, code: error.code, message: "Malformed request: \(error.description)."))
                return
            }
            guard let event else { return }
            switch event {
            case .head(let head):
                headerStart = nil
                lastReadProgress = MonotonicClock.nanoseconds()
                bodyStart = lastReadProgress
                guard beginRequest(head) else { return }
            case .end(let body):
                bodyStart = nil
                guard var request = currentRequest else { return }
                request.body = body
                currentRequest = nil
                dispatch(request)
            }
        }
    }

    /// Validates the head against route limits and expectations; false when answered with an error.
    func beginRequest(_ head: HTTPRequestHead) -> Bool {
        let request: HTTPRequest
        do {
            request = try HTTPRequest(method: head.method, target: head.target, version: head.version, headers: head.headers)
        } catch {
            fail(error)
            return false
        }
        let limit = core.router.maxBodySize(head.method, request.pathSegments) ?? core.limits.maxBodySize
        parser.bodyLimit = limit
        if let length = head.contentLength, length > limit {
            fail(HTTPError(.payloadTooLarge, code: "body_too_large", message: "The request body exceeds \(limit) bytes."))
            return false
        }
        if head.headers.contains("Expect") {
            guard head.expectsContinue else {
                fail(HTTPError(.expectationFailed, code: "expectation_failed", message: "Only 100-continue is supported."))
                return false
            }
            if head.version == .http1_1 && head.hasBody && parser.bufferedByteCount == 0 {
                output.append(contentsOf: ResponseSerializer.continueResponse)
                flush()
            }
        }
        currentHead = head
        var withPeer = request
        withPeer.remoteAddress = peer
        currentRequest = withPeer
        return true
    }
}
