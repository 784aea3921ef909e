import Foundation

/// The process's metrics, rendered in the Prometheus text format for `GET /metrics`:
/// per (tenant, service) connector counters (registered by the pipeline as it opens
/// connections) and run counters. Thread-safe.
public final class MetricsRegistry: @unchecked Sendable {
    /// The registry of this process.
    public static let shared = MetricsRegistry()

    private let lock = NSLock()
    private var connectors: [RateLimitKey: ConnectorMetrics] = [:]  // under lock
    private var runs: [String: Int] = [:]                           // under lock, by status
    private var records = 0                                          // under lock

    public init() {}

    /// The counters of `key`, created on first use; the pipeline's clients share them.
    public func connector(_ key: RateLimitKey) -> ConnectorMetrics {
        lock.withLock {
            if let existing = connectors[key] { return existing }
            let metrics = ConnectorMetrics()
            connectors[key] = metrics
            return metrics
        }
    }

    /// Counts a finished run.
    public func recordRun(status: String, records count: Int) {
        lock.withLock {
            runs[status, default: 0] += 1
            records += count
        }
    }

    /// The Prometheus exposition text.
    /// - Parameter tenant: only this tenant's series, for a tenant's admin; the
    ///   process-wide run counters, which add up every tenant's runs, are left out too.
    ///   `nil` (a scraper on loopback, i.e. the operator) renders everything.
    public func render(onlyTenant tenant: String? = nil) -> String {
        var (connectors, runs, records) = lock.withLock { (self.connectors, self.runs, self.records) }
        if let tenant { connectors = connectors.filter { $0.key.tenant == tenant } }
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        let keys = connectors.keys.sorted { ($0.tenant, $0.service) < ($1.tenant, $1.service) }
        let snapshots = keys.map { ($0, connectors[$0]!.snapshot) }
        func labels(_ key: RateLimitKey, _ extra: String = "") -> String {
            "{tenant=\"\(escape(key.tenant))\",service=\"\(escape(key.service))\"\(extra)}"
        }
        family("avesa_connector_requests_total", "counter", "HTTP requests sent to services.")
        for (key, s) in snapshots { out += "avesa_connector_requests_total\(labels(key)) \(s.requests)\n" }
        family("avesa_connector_response_bytes_total", "counter", "Response bytes received from services.")
        for (key, s) in snapshots { out += "avesa_connector_response_bytes_total\(labels(key)) \(s.bytes)\n" }
        family("avesa_connector_retries_total", "counter", "Requests retried after a transient failure or throttling.")
        for (key, s) in snapshots { out += "avesa_connector_retries_total\(labels(key)) \(s.retries)\n" }
        family("avesa_connector_throttled_total", "counter", "Responses that signalled throttling (429 and the like).")
        for (key, s) in snapshots { out += "avesa_connector_throttled_total\(labels(key)) \(s.throttles)\n" }
        family("avesa_connector_errors_total", "counter", "Failed requests by kind.")
        for (key, s) in snapshots {
            for kind in s.errors.keys.sorted() { out += "avesa_connector_errors_total\(labels(key, ",kind=\"\(escape(kind))\"")) \(s.errors[kind]!)\n" }
        }
        family("avesa_connector_request_seconds", "histogram", "Service response latency.")
        for (key, s) in snapshots {
            for (index, bound) in ConnectorMetrics.latencyBuckets.enumerated() {
                out += "avesa_connector_request_seconds_bucket\(labels(key, ",le=\"\(bound)\"")) \(s.latencyCounts[index])\n"
            }
            out += "avesa_connector_request_seconds_bucket\(labels(key, ",le=\"+Inf\"")) \(s.latencyCounts.last ?? 0)\n"
            out += "avesa_connector_request_seconds_sum\(labels(key)) \(s.latencySum)\n"
            out += "avesa_connector_request_seconds_count\(labels(key)) \(s.latencyCounts.last ?? 0)\n"
        }
        if tenant != nil { return out }
        family("avesa_pipeline_runs_total", "counter", "Pipeline runs by outcome.")
        for status in runs.keys.sorted() { out += "avesa_pipeline_runs_total{status=\"\(escape(status))\"} \(runs[status]!)\n" }
        family("avesa_pipeline_records_total", "counter", "Records fetched by pipeline runs.")
        out += "avesa_pipeline_records_total \(records)\n"
        return out
    }

    private func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
