import Foundation

/// Counters for one (tenant, service): requests, bytes, retries, throttles, errors by
/// kind and a latency histogram, read by the metrics endpoint. Thread-safe.
public final class ConnectorMetrics: @unchecked Sendable {
    /// Upper bounds (seconds) of the latency histogram's buckets; the last is +Inf.
    public static let latencyBuckets: [Double] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// A copy of the counters at one moment.
    public struct Snapshot: Sendable, Equatable {
        public var requests = 0
        public var bytes = 0
        public var retries = 0
        public var throttles = 0
        public var errors: [String: Int] = [:]
        /// Cumulative counts per bucket of `latencyBuckets`, plus +Inf last.
        public var latencyCounts = [Int](repeating: 0, count: ConnectorMetrics.latencyBuckets.count + 1)
        public var latencySum = 0.0
    }

    private let lock = NSLock()
    private var data = Snapshot()  // under lock

    public init() {}

    /// Records one completed HTTP exchange.
    func recordResponse(bytes: Int, seconds: Double) {
        lock.withLock {
            data.requests += 1
            data.bytes += bytes
            data.latencySum += seconds
            for (index, bound) in Self.latencyBuckets.enumerated() where seconds <= bound {
                data.latencyCounts[index] += 1
            }
            data.latencyCounts[Self.latencyBuckets.count] += 1
        }
    }

    func recordRetry() { lock.withLock { data.retries += 1 } }
    func recordThrottle() { lock.withLock { data.throttles += 1 } }
    func recordError(_ kind: String) { lock.withLock { data.errors[kind, default: 0] += 1 } }

    /// The counters now.
    public var snapshot: Snapshot { lock.withLock { data } }
}
