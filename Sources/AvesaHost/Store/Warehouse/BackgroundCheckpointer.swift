import Foundation

/// Copies a warehouse's WAL back into the database file on a thread of its own, so the
/// merging thread does not stop for checkpoints. Checkpoints run inside the commit that
/// crosses the threshold otherwise: ~20% of the merge thread's time in bench/pipeline's
/// incremental run, where every change dirties random pages of a large file.
///
/// The writer's commit hook calls `walGrew(to:)` with the WAL's size in pages:
/// - from `startPages` on, it wakes the checkpoint thread, which runs a *passive*
///   checkpoint on its own connection: it copies what is committed without blocking the
///   writer, and the next write transaction starts the WAL over once all of it is copied;
/// - past `limitPages` (the thread fell behind), the writer checkpoints itself, as SQLite's
///   automatic checkpoint would, so the WAL never grows without bound.
///
/// Small warehouses never reach `startPages`: the thread and its connection are created
/// on the first wake-up. Thread rules: `walGrew` is called on the writer's thread; the
/// connection is confined to the checkpoint thread; `pending` and `worker` are guarded by
/// `lock`. `stop()` ends the thread (the connection closes with it).
final class BackgroundCheckpointer: @unchecked Sendable {
    /// WAL pages at which the checkpoint thread is woken.
    let startPages: Int
    /// WAL pages past which the writer checkpoints itself.
    let limitPages: Int
    private let path: String
    private let lock = NSLock()
    private var worker: BlockingWorker?  // under lock
    private var pending = false           // under lock: a checkpoint is queued or running
    private var stopped = false           // under lock
    private var connection: SQLiteDatabase?  // checkpoint thread only

    /// A checkpointer for the warehouse file at `path`.
    init(path: String, startPages: Int = 10_000, limitPages: Int = 100_000) {
        self.path = path
        self.startPages = startPages
        self.limitPages = max(limitPages, startPages)
    }

    /// Checkpoints run so far by the thread (for tests).
    private(set) var completed = 0  // checkpoint thread only; read after `stop`

    /// Called after each commit with the WAL's size in pages.
    /// - Returns: whether the writer must checkpoint itself now (the WAL is past `limitPages`).
    func walGrew(to pages: Int) -> Bool {
        if pages >= limitPages { return true }
        guard pages >= startPages else { return false }
        let worker: BlockingWorker? = lock.withLock {
            if pending || stopped { return nil }
            pending = true
            if self.worker == nil { self.worker = BlockingWorker(name: "avesa-checkpoint") }
            return self.worker
        }
        worker?.post { [self] in runCheckpoint() }
        return false
    }

    /// On the checkpoint thread: one passive checkpoint. A failure is not reported: the
    /// writer's own checkpoint at `limitPages`, and SQLite's at close, still come.
    private func runCheckpoint() {
        defer { lock.withLock { pending = false } }
        do {
            if connection == nil {
                // No journal-mode change (the file is in WAL mode already) and a full sync,
                // so a checkpoint is durable before the WAL restarts.
                connection = try SQLiteDatabase(path: path, options: SQLiteDatabase.Options(
                    writeAheadLog: false, synchronousNormal: false, foreignKeys: false, cacheSizeKiB: 1024))
            }
            try connection?.checkpointPassively()
            completed += 1
        } catch {
            connection = nil  // reopened at the next wake-up
        }
    }

    /// Waits for a checkpoint in progress, then ends the thread and closes its connection.
    /// Later calls do nothing.
    func stop() {
        let worker: BlockingWorker? = lock.withLock {
            stopped = true
            defer { self.worker = nil }
            return self.worker
        }
        guard let worker else { return }
        let done = DispatchSemaphore(value: 0)
        worker.post { [self] in
            connection = nil
            done.signal()
        }
        worker.stop()
        done.wait()
    }
}
