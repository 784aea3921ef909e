// BenchSCD2: merge N ticket records into an empty warehouse, then the same set with 10%
// changed, through the public TenantWarehouse API. Prints rows/s for both passes and the
// process's peak resident memory (VmHWM).
//
// Usage: BenchSCD2 [records=1000000] [batch=1000] [dir=/tmp/avesa-bench-scd2]
// The default batch is one fetched page (1000 records), the unit the pipeline merges.
// Diagnostics (not needed for the standard run): AVESA_CACHE_KIB, AVESA_WAL_PAGES,
// AVESA_PAGE_SIZE, AVESA_SYNC_NORMAL, AVESA_NO_INDEXES, AVESA_INDEXES=a,b, AVESA_CHANGE_EVERY,
// AVESA_MAINTAIN_INDEXES (do not defer the analytics indexes of the first load).
import AvesaHost
import Foundation

let arguments = CommandLine.arguments
let total = arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000
let batchSize = arguments.count > 2 ? Int(arguments[2]) ?? 1_000 : 1_000
let directory = arguments.count > 3 ? arguments[3] : NSTemporaryDirectory() + "avesa-bench-scd2"
let path = directory + "/warehouse.sqlite"
try? FileManager.default.removeItem(atPath: directory)
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

let table: CanonicalTable = {
    var table = CanonicalTable.tickets
    if ProcessInfo.processInfo.environment["AVESA_NO_INDEXES"] != nil { table.indexes = [] }
    if let keep = ProcessInfo.processInfo.environment["AVESA_INDEXES"] {
        table.indexes = table.indexes.filter { keep.split(separator: ",").contains(Substring($0.suffix)) }
    }
    return table
}()
let statuses = ["New", "In Progress", "Waiting on Customer", "Resolved", "Closed"]
let categories = ["open", "in_progress", "open", "resolved", "closed"]
let priorities = ["P1 - Critical", "P2 - High", "P3 - Medium", "P4 - Low"]
let boards = ["Service Desk", "Projects", "Alerts", "Onboarding"]
let members = (0..<50).map { "tech\($0)@example.com" }
let baseTime: Int64 = 1_700_000_000_000_000
let hour: Int64 = 3_600_000_000

/// Ticket `n`; `version` 1 differs in status and updated_at.
func makeTicket(_ n: Int, version: Int) -> CanonicalRecord {
    let s = (n + version) % statuses.count
    let created = baseTime + Int64(n) * 1_000_000
    let updated = created + hour * Int64(1 + version)
    let values: [CanonicalValue] = [
        .string("connectwise:\(n)"),
        .string("connectwise:c\(n % 5_000)"),
        .string("connectwise:p\(n % 40_000)"),
        .string("Printer on floor \(n % 17) not responding (\(n))"),
        .string(statuses[s]),
        .string(categories[s]),
        .string(priorities[n % priorities.count]),
        .string(boards[n % boards.count]),
        .string("Incident"),
        .string(members[n % members.count]),
        .timestamp(created),
        .timestamp(updated),
        s >= 3 ? .timestamp(updated) : .null,
        s == 4 ? .timestamp(updated) : .null,
    ]
    return CanonicalRecord(values: values, sourceService: "connectwise", sourceID: String(n))
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// User + system CPU seconds of this process so far (the machine is shared, so wall time
/// alone is a noisy measure).
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func peakResidentMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kib = line.split(separator: " ").compactMap { Double($0) }.first ?? -1
        return kib / 1024
    }
    return -1
}

struct PassResult {
    var summary = MergeSummary()
    var mergeSeconds = 0.0
    var wallSeconds = 0.0
    var openSeconds = 0.0
    var indexSeconds = 0.0
    var mergeCPUSeconds = 0.0
}

/// One pass over all tickets with a fresh warehouse instance (as a new run would).
func pass(changedEvery: Int?) throws -> PassResult {
    var result = PassResult()
    let wallStart = now()
    var options = TenantWarehouse.defaultOptions
    let env = ProcessInfo.processInfo.environment
    if let kib = env["AVESA_CACHE_KIB"].flatMap(Int.init) { options.cacheSizeKiB = kib }
    if let pages = env["AVESA_WAL_PAGES"].flatMap(Int.init) { options.walAutocheckpointPages = pages }
    if env["AVESA_SYNC_NORMAL"] != nil { options.synchronousNormal = true }
    if let size = env["AVESA_PAGE_SIZE"].flatMap(Int.init) { options.pageSize = size }
    let warehouse = try TenantWarehouse(path: path, tables: [table], options: options)
    // Load the key index now so it is timed on its own (merge would do it on first use).
    let openStart = now()
    let openCPU = cpuSeconds()
    _ = try warehouse.merge([], into: table.name, runID: "bench", loadTime: baseTime)
    // A first load into an empty table defers its analytics indexes, as the pipeline does
    // (AVESA_MAINTAIN_INDEXES=1 keeps them maintained row by row instead).
    if env["AVESA_MAINTAIN_INDEXES"] == nil { try warehouse.beginBulkLoad() }
    result.openSeconds = Double(now() - openStart) / 1e9
    result.mergeCPUSeconds += cpuSeconds() - openCPU
    var batch: [CanonicalRecord] = []
    batch.reserveCapacity(batchSize)
    var n = 0
    while n < total {
        batch.removeAll(keepingCapacity: true)
        let end = min(n + batchSize, total)
        for i in n..<end {
            // Uniform by default (every 10th ticket: the worst case, it dirties every table
            // page); AVESA_CLUSTERED=1 changes the newest 10% instead, as real ticket churn is.
            let changed = changedEvery.map { clustered ? i >= total - total / $0 : i % $0 == 0 } ?? false
            batch.append(makeTicket(i, version: changed ? 1 : 0))
        }
        let start = now()
        let startCPU = cpuSeconds()
        result.summary += try warehouse.merge(batch, into: table.name, runID: "bench", loadTime: baseTime)
        result.mergeSeconds += Double(now() - start) / 1e9
        result.mergeCPUSeconds += cpuSeconds() - startCPU
        n = end
    }
    // Building the deferred indexes is part of the load.
    let buildStart = now()
    let buildCPU = cpuSeconds()
    try warehouse.endBulkLoad()
    result.indexSeconds = Double(now() - buildStart) / 1e9
    result.mergeSeconds += result.indexSeconds
    result.mergeCPUSeconds += cpuSeconds() - buildCPU
    result.mergeSeconds += result.openSeconds
    result.wallSeconds = Double(now() - wallStart) / 1e9
    return result
}

func report(_ name: String, _ r: PassResult) {
    let merge = Double(total) / r.mergeSeconds
    let wall = Double(total) / r.wallSeconds
    print(String(format: "%@: %.0f records/s merge (%.2f s, incl. %.2f s key-index load and %.2f s building deferred indexes), %.0f records/s incl. record generation (%.2f s)",
                 name, merge, r.mergeSeconds, r.openSeconds, r.indexSeconds, wall, r.wallSeconds))
    print(String(format: "  merge CPU time %.2f s (%.0f records per CPU-second)", r.mergeCPUSeconds,
                 Double(total) / r.mergeCPUSeconds))
    print("  \(r.summary)")
}

print("BenchSCD2: \(total) tickets, batch \(batchSize), \(path)")
let first = try pass(changedEvery: nil)
report("first load (empty warehouse)", first)
let clustered = ProcessInfo.processInfo.environment["AVESA_CLUSTERED"] != nil
let changeEvery = ProcessInfo.processInfo.environment["AVESA_CHANGE_EVERY"].flatMap(Int.init) ?? 10
let second = try pass(changedEvery: changeEvery)
report(clustered ? "second pass (newest 10% changed)" : "second pass (every 10th changed)", second)
let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
print(String(format: "peak memory (VmHWM): %.1f MiB; warehouse file %.1f MiB", peakResidentMiB(), Double(size) / 1_048_576))
let ok = Double(total) / first.mergeSeconds >= 250_000 && Double(total) / second.mergeSeconds >= 400_000
    && peakResidentMiB() < 200
print(ok ? "targets met (>=250k/s first, >=400k/s second, <200 MiB)" : "targets NOT met (>=250k/s first, >=400k/s second, <200 MiB)")
