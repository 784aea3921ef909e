#if canImport(Glibc)
import Glibc
#endif

/// Output: error answers, non-blocking writes, epoll interest, and the lingering close.
/// Event-loop thread only, like the rest of `Connection`.
extension Connection {
    /// Answers with a JSON error and closes the connection after it is sent.
    func fail(_ error: HTTPError) {
        let version = currentHead?.version ?? .http1_1
        currentHead = nil
        currentRequest = nil
        let response = error.response
        ResponseSerializer.appendHead(response, framing: .contentLength(response.bodyBytes.count), keepAlive: false,
                                      requestVersion: version, serverName: core.serverName,
                                      date: loop.dateCache.current(), into: &output)
        output.append(contentsOf: response.bodyBytes)
        phase = .closingAfterFlush
        flush()
    }

    func flush() {
        if hasPendingOutput && outputPendingSince == nil { outputPendingSince = MonotonicClock.nanoseconds() }
        while hasPendingOutput {
            let sent: Int?
            do {
                sent = try output.withUnsafeBytes { raw throws(SystemError) in
                    try Syscall.nonBlocking("send") {
                        send(fd, raw.baseAddress! + outputOffset, raw.count - outputOffset, Int32(MSG_NOSIGNAL))
                    }
                }
            } catch {
                close()  // EPIPE / ECONNRESET: the client went away mid-response
                return
            }
            guard let sent else { break }
            outputOffset += sent
            lastWriteProgress = MonotonicClock.nanoseconds()
        }
        if !hasPendingOutput {
            outputPendingSince = nil
            if output.capacity > 1 << 20 { output = [] } else { output.removeAll(keepingCapacity: true) }
            outputOffset = 0
        } else if outputOffset > 1 << 20 {
            output.removeSubrange(0..<outputOffset)
            outputOffset = 0
        }
        if !writeWaiters.isEmpty && output.count - outputOffset <= core.limits.outputHighWatermark {
            let waiters = writeWaiters
            writeWaiters = []
            for waiter in waiters { waiter.resume() }
        }
        if phase == .closingAfterFlush && !hasPendingOutput {
            startLinger()
            return
        }
        updateInterest()
    }

    /// Half-closes and drains input briefly so the client reads the response instead of a reset.
    func startLinger() {
        if peerClosedInput {
            close()
            return
        }
        _ = shutdown(fd, Int32(SHUT_WR))
        phase = .lingering
        releaseSlot()  // the exchange is over; lingering must not hold back new clients or shutdown
        lingerDeadline = MonotonicClock.nanoseconds() + min(1_000_000_000, core.limits.idleTimeout.nanoseconds)
        updateInterest()
        drainForLinger()
    }

    func updateInterest() {
        guard phase != .closed else { return }
        var wanted: UInt32 = 0
        // Unparsed input is bounded: while a handler runs or responses back up, stop reading.
        if !peerClosedInput && (phase == .lingering || parser.bufferedByteCount <= readPauseThreshold) { wanted |= EpollMask.input }
        if hasPendingOutput { wanted |= EpollMask.output }
        if wanted != interest {
            interest = wanted
            loop.modify(fd: fd, events: wanted)
        }
    }
}
