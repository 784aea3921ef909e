/// The threads that write and fsync raw-zone files, shared by every tenant of the process.
/// A chunk's file is always handled by the same thread (chosen from its path), so its
/// pages stay in order, while the chunks of one tenant sync their files in parallel. With
/// one thread per tenant, a tenant's chunks waited for each other's fsyncs: on storage
/// whose flush takes 2 ms (network block storage), bench/pipeline's 200-tenant run took
/// 21 s, nearly every fsync of the run one after another.
///
/// The threads live as long as the process (idle, they wait on a condition).
public final class RawZoneThreads: Sendable {
    /// The process's threads.
    public static let shared = RawZoneThreads(count: 8)

    private let workers: [BlockingWorker]

    /// `count` threads (at least one), named `avesa-raw-io-<n>`.
    public init(count: Int) {
        workers = (0..<max(1, count)).map { BlockingWorker(name: "avesa-raw-io-\($0)") }
    }

    /// The thread that handles the file at `path` (always the same one within a process).
    public func worker(for path: String) -> BlockingWorker {
        workers[Int(UInt(bitPattern: path.hashValue) % UInt(workers.count))]
    }
}
