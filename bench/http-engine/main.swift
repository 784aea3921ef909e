// bench/http-engine: pages of 1000 JSON records pulled from a fast local server (nginx)
// at 32 concurrent transfers, through (a) the raw CurlEngine (mode `raw`) or (b) the full
// ServiceClient path (limiter, auth, retries) plus record scanning (mode `client`).
// run.sh alternates mode `raw` with the C libcurl baseline (baseline.c) and `curl --parallel`.
//
// Usage: BenchHTTPEngine BASE_URL REQUESTS [CONCURRENCY [raw|client|both]]
// Prints one human line per mode and one "RESULT kind=... pages= seconds= bytes= records=" line.
import AvesaHost
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 3, let requests = Int(arguments[2]) else {
    print("usage: BenchHTTPEngine BASE_URL REQUESTS [CONCURRENCY [raw|client|both]]")
    exit(2)
}
let base = arguments[1]
let concurrency = arguments.count > 3 ? Int(arguments[3]) ?? 32 : 32
// BENCH_RAW_ONLY=1 (kept for profiling scripts) is the same as mode `raw`.
let mode = arguments.count > 4 ? arguments[4] : (ProcessInfo.processInfo.environment["BENCH_RAW_ONLY"] != nil ? "raw" : "both")
let recordsPerPage = 1000
// As avesa-host's main does; BENCH_DEFAULT_MALLOC=1 measures glibc's defaults instead.
if ProcessInfo.processInfo.environment["BENCH_DEFAULT_MALLOC"] == nil { MallocTuning.applyForLargeBodies() }
let engine = CurlEngine()

func seconds() -> Double { RateLimiter.monotonicSeconds() }

/// A page counts as complete (its `recordsPerPage` records) when the status is 200 and
/// the body ends with `]`, the same check as baseline.c.
@Sendable func isCompletePage(_ response: HTTPClientResponse) -> Bool {
    response.status == 200 && response.body.last == UInt8(ascii: "]")
}

/// Runs `requests` fetches with `concurrency` workers; returns (seconds, bytes, records).
func run(_ fetch: @escaping @Sendable (Int) async throws -> (Int, Int)) async throws -> (Double, Int, Int) {
    let start = seconds()
    let counter = Counter()
    try await withThrowingTaskGroup(of: (Int, Int).self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                var bytes = 0, records = 0
                while let index = counter.next(limit: requests) {
                    let (b, r) = try await fetch(index)
                    bytes += b
                    records += r
                }
                return (bytes, records)
            }
        }
        for try await (b, r) in group { counter.add(bytes: b, records: r) }
    }
    return (seconds() - start, counter.bytes, counter.records)
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var issued = 0
    var bytes = 0, records = 0
    func next(limit: Int) -> Int? { lock.withLock { guard issued < limit else { return nil }; issued += 1; return issued - 1 } }
    func add(bytes b: Int, records r: Int) { lock.withLock { bytes += b; records += r } }
}

func report(_ name: String, kind: String, _ result: (Double, Int, Int)) {
    let (time, bytes, records) = result
    print(name.padding(toLength: 34, withPad: " ", startingAt: 0)
          + String(format: " %8.0f pages/s %10.0f records/s %8.1f MB/s",
                 Double(requests) / time, Double(records) / time, Double(bytes) / time / 1e6))
    print("RESULT kind=\(kind) pages=\(requests) seconds=\(String(format: "%.6f", time)) bytes=\(bytes) records=\(records)")
}

if mode == "raw" || mode == "both" {
    let raw = try await run { index in
        let response = try await engine.execute(HTTPClientRequest(url: "\(base)/page.json?page=\(index)"))
        return (response.body.count, isCompletePage(response) ? recordsPerPage : 0)
    }
    report("engine (raw CurlEngine)", kind: "engine", raw)
}
if mode == "client" || mode == "both" {
    let client = ServiceClient(
        key: RateLimitKey(tenant: "bench", service: "bench"), engine: engine, authenticator: NoAuthentication(),
        limiter: RateLimiter(limit: RateLimit(requestsPerSecond: 1_000_000, burst: 1_000_000, maxConcurrent: concurrency)),
        signals: RateLimitSpec(requestsPerSecond: 1_000_000, burst: 1_000_000, maxConcurrent: UInt32(concurrency),
                               throttleStatuses: [429], retryAfterHeader: "Retry-After", remainingHeader: nil,
                               limitHeader: nil, resetHeader: nil, resetKind: .none, usageHeader: nil))
    let plan = try JSONFieldPlan(dotted: ["id", "_info.lastUpdated"])
    let full = try await run { index in
        let response = try await client.send(HTTPClientRequest(url: "\(base)/page.json?page=\(index)"))
        var scanner = JSONRecordScanner(bytes: response.body, recordsAt: JSONPointer(tokens: []), fields: plan)
        return (response.body.count, try scanner.allRecords().count)
    }
    report("service client + record scan", kind: "client", full)
}
engine.shutdown()
