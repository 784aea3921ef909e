#if canImport(Glibc)
import Glibc
#endif

/// Timers and shutdown: header/body/idle/write timeouts and graceful shutdown.
/// Event-loop thread only, like the rest of `Connection`.
extension Connection {
    func tick(now: Int64) {
        let limits = core.limits
        switch phase {
        case .closed:
            return
        case .lingering:
            if now > lingerDeadline { close() }
            return
        default:
            break
        }
        if hasPendingOutput {
            let tooLong = outputPendingSince.map { now - $0 > limits.maxResponseDuration.nanoseconds } ?? false
            if now - lastWriteProgress > limits.writeTimeout.nanoseconds || tooLong { close() }
            return
        }
        guard phase == .receiving else { return }
        if parser.isReadingBody {
            let tooLong = bodyStart.map { now - $0 > limits.maxBodyDuration.nanoseconds } ?? false
            if now - lastReadProgress > limits.bodyTimeout.nanoseconds || tooLong {
                fail(HTTPError(.requestTimeout, code: "request_timeout", message: "The request body did not arrive in time."))
            }
        } else if let start = headerStart {
            if now - start > limits.headerTimeout.nanoseconds {
                if parser.isMidMessage {
                    fail(HTTPError(.requestTimeout, code: "request_timeout", message: "The request headers did not arrive in time."))
                } else {
                    close()
                }
            }
        } else if now - idleSince > limits.idleTimeout.nanoseconds {
            close()
        }
    }

    /// Graceful shutdown: idle connections close now; busy ones close after their current response.
    func beginShutdown() {
        shuttingDown = true
        if phase == .receiving && !parser.isMidMessage && currentHead == nil {
            if hasPendingOutput { phase = .closingAfterFlush } else { close() }
        }
    }
}
