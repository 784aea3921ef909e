// bench/http-engine: pages of 1000 JSON records pulled from a fast local server (nginx)
// at 32 concurrent transfers, through (a) the raw CurlEngine, (b) the full ServiceClient
// path (limiter, auth, retries) plus record scanning; the run script compares both with
// `curl --parallel` fetching the same URLs.
import AvesaHost
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 3, let requests = Int(arguments[2]) else {
    print("usage: BenchHTTPEngine BASE_URL REQUESTS [CONCURRENCY]")
    exit(2)
}
let base = arguments[1]
let concurrency = arguments.count > 3 ? Int(arguments[3]) ?? 32 : 32
let engine = CurlEngine()

func seconds() -> Double { RateLimiter.monotonicSeconds() }

/// Runs `requests` fetches with `concurrency` workers; returns (seconds, bytes, records).
func run(_ fetch: @escaping @Sendable (Int) async throws -> (Int, Int)) async throws -> (Double, Int, Int) {
    let start = seconds()
    let counter = Counter()
    try await withThrowingTaskGroup(of: (Int, Int).self) { group in
        for worker in 0..<concurrency {
            group.addTask {
                var bytes = 0, records = 0
                while let index = counter.next(limit: requests) {
                    let (b, r) = try await fetch(index + worker * 0)
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

let client = ServiceClient(
    key: RateLimitKey(tenant: "bench", service: "bench"), engine: engine, authenticator: NoAuthentication(),
    limiter: RateLimiter(limit: RateLimit(requestsPerSecond: 1_000_000, burst: 1_000_000, maxConcurrent: concurrency)),
    signals: RateLimitSpec(requestsPerSecond: 1_000_000, burst: 1_000_000, maxConcurrent: UInt32(concurrency), throttleStatuses: [429],
                           retryAfterHeader: "Retry-After", remainingHeader: nil, limitHeader: nil, resetHeader: nil,
                           resetKind: .none, usageHeader: nil))
let plan = try JSONFieldPlan(dotted: ["id", "_info.lastUpdated"])

let raw = try await run { index in
    let response = try await engine.execute(HTTPClientRequest(url: "\(base)/page.json?page=\(index)"))
    return (response.body.count, 0)
}
// BENCH_RAW_ONLY=1 skips the client phase (for profiling the engine alone, e.g. under perf).
let rawOnly = ProcessInfo.processInfo.environment["BENCH_RAW_ONLY"] != nil
let full = rawOnly ? raw : try await run { index in
    let response = try await client.send(HTTPClientRequest(url: "\(base)/page.json?page=\(index)"))
    var scanner = JSONRecordScanner(bytes: response.body, recordsAt: JSONPointer(tokens: []), fields: plan)
    return (response.body.count, try scanner.allRecords().count)
}
func report(_ name: String, _ result: (Double, Int, Int)) {
    let (time, bytes, records) = result
    print(String(format: "%-34@ %8.0f pages/s %10.0f records/s %8.1f MB/s", name as NSString,
                 Double(requests) / time, Double(records) / time, Double(bytes) / time / 1e6))
}
report("engine (raw CurlEngine)", raw)
report("service client + record scan", full)
print(String(format: "RESULT raw_pages_per_s=%.1f client_pages_per_s=%.1f", Double(requests) / raw.0, Double(requests) / full.0))
engine.shutdown()
