import CSQLite

extension SQLiteDatabase {
    /// Calls `handler` after every commit of this connection that wrote to the WAL, with
    /// the WAL's size in pages (`sqlite3_wal_hook`). Replaces SQLite's automatic checkpoint
    /// (`PRAGMA wal_autocheckpoint`), which uses the same hook: the handler decides when to
    /// checkpoint (`checkpointPassively()`).
    ///
    /// The handler runs on the committing thread, inside `sqlite3_step` of the `COMMIT`;
    /// it may call `checkpointPassively` on this connection but must not run other statements.
    /// The connection keeps the handler until it closes or the hook is set again.
    func setWALCommitHandler(_ handler: @escaping (_ walPages: Int) -> Void) {
        let box = WALHookBox(handler)
        walHook = box  // keeps the context alive as long as the connection
        sqlite3_wal_hook(handle, { context, _, _, pages in
            guard let context else { return SQLITE_OK }
            Unmanaged<WALHookBox>.fromOpaque(context).takeUnretainedValue().handler(Int(pages))
            return SQLITE_OK
        }, Unmanaged.passUnretained(box).toOpaque())
    }

    /// A passive checkpoint: copies committed WAL pages back into the database file
    /// without waiting for readers or the writer.
    /// - Returns: the WAL's size in pages and how many of them are now in the file.
    @discardableResult
    func checkpointPassively() throws(SQLiteError) -> (walPages: Int, copied: Int) {
        var log: Int32 = 0, copied: Int32 = 0
        let rc = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied)
        // BUSY: another connection is checkpointing, or readers or the writer held it back;
        // what could be copied was copied.
        if rc != SQLITE_BUSY { try SQLiteError.check(rc, db: handle, operation: "checkpoint", sql: nil) }
        return (Int(log), Int(copied))
    }
}

/// The Swift closure behind a connection's WAL hook, kept alive by the connection.
final class WALHookBox {
    let handler: (Int) -> Void
    init(_ handler: @escaping (Int) -> Void) { self.handler = handler }
}
