// libFuzzer entry point over HTTPRequestParser. Built by run.sh from the parser's source
// files only (no sockets, no Foundation). Each input is fed twice: whole, and split at
// a data-derived point, and both runs must agree; the parser must never crash, hang or
// exceed its limits.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var limits = ServerLimits()
    limits.maxRequestLineLength = 256
    limits.maxHeaderBytes = 1024
    limits.maxHeaderCount = 16
    limits.maxBodySize = 4096

    let whole = run(bytes, pieces: [bytes.count], limits: limits)
    let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    let parts = run(bytes, pieces: [split, bytes.count - split], limits: limits)
    let single = run(bytes, pieces: Array(repeating: 1, count: min(bytes.count, 512)) + [max(0, bytes.count - 512)], limits: limits)
    precondition(whole == parts && whole == single, "feeding pattern changed the result")
    return 0
}

private struct Outcome: Equatable {
    var events: [HTTPRequestParser.Event] = []
    var error: HTTPParseError?
}

private func run(_ bytes: [UInt8], pieces: [Int], limits: ServerLimits) -> Outcome {
    var parser = HTTPRequestParser(limits: limits)
    var outcome = Outcome()
    var offset = 0
    for length in pieces where length > 0 {
        parser.append(bytes[offset..<offset + length])
        offset += length
        do {
            while let event = try parser.next() {
                if case .head(let head) = event {
                    precondition(head.headers.count <= limits.maxHeaderCount)
                    precondition(!(head.isChunked && head.contentLength != nil))
                }
                if case .end(let body) = event { precondition(body.count <= limits.maxBodySize) }
                outcome.events.append(event)
            }
        } catch {
            outcome.error = error
            return outcome
        }
    }
    return outcome
}
