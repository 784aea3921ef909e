import Foundation

/// Live progress of a run, updated by table syncs and read by the progress display:
/// tables done of total, records fetched, and the rate. Thread-safe.
public final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var totalTables = 0   // under lock
    private var doneTables = 0    // under lock
    private var failedTables = 0  // under lock
    private var chunkRecords: [Int64: Int] = [:]  // under lock: records fetched per chunk
    private let started = Date()

    public init() {}

    func setTotal(_ tables: Int) { lock.withLock { totalTables = tables } }
    func setRecords(_ count: Int, chunk: Int64) { lock.withLock { chunkRecords[chunk] = count } }
    func finishTable(failed: Bool) { lock.withLock { doneTables += 1; if failed { failedTables += 1 } } }

    /// "tables 12/40 (1 failed) · 48,210 records · 9,642 rec/s · ETA 14s".
    public var line: String {
        let (total, done, failed, count) = lock.withLock { (totalTables, doneTables, failedTables, chunkRecords.values.reduce(0, +)) }
        let elapsed = max(0.001, Date().timeIntervalSince(started))
        let rate = Double(count) / elapsed
        var text = "tables \(done)/\(total)" + (failed > 0 ? " (\(failed) failed)" : "") + " · \(count) records · \(Int(rate)) rec/s"
        if done > 0, done < total {
            let eta = elapsed / Double(done) * Double(total - done)
            text += " · ETA \(Int(eta))s"
        }
        return text
    }
}
