extension ControlStore {
    /// Plans a chunk (status `pending`) and returns it with its id.
    public func createChunk(runID: Int64, tenant: TenantID, service: String, table: String,
                            since: String?, until: String?) throws(ControlError) -> Chunk {
        let now = ControlClock.timestamp()
        let id = try sql { () throws(SQLiteError) in
            try withStatement("""
                INSERT INTO chunks (run_id, tenant_id, service, table_name, since, until, status, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7)
                """) { (insert) throws(SQLiteError) in
                try insert.bind(runID, at: 1)
                try insert.bind(tenant.rawValue, at: 2)
                try insert.bind(service, at: 3)
                try insert.bind(table, at: 4)
                if let since { try insert.bind(since, at: 5) }
                if let until { try insert.bind(until, at: 6) }
                try insert.bind(now, at: 7)
                try insert.run()
                return database.lastInsertRowID
            }
        }
        return Chunk(id: id, runID: runID, tenant: tenant, service: service, table: table, since: since, until: until,
                     status: .pending, resumeCursor: nil, records: 0, error: nil, updatedAt: now)
    }

    /// Marks a chunk failed with `error`, keeping its resume cursor and record count, so the
    /// next run resumes it where its last committed page left off (a delta round resumed
    /// from its start would lose the deletions the round had still to report).
    /// - Throws: `.corruptRecord` when there is no chunk `id`.
    public func failChunk(_ id: Int64, error: String) throws(ControlError) {
        let changed = try sql { () throws(SQLiteError) in
            try withStatement("UPDATE chunks SET status = 'failed', error = ?1, updated_at = ?2 WHERE id = ?3") { (update) throws(SQLiteError) in
                try update.bind(error, at: 1)
                try update.bind(ControlClock.timestamp(), at: 2)
                try update.bind(id, at: 3)
                try update.run()
                return database.changes
            }
        }
        if changed == 0 { throw .corruptRecord("no chunk with id \(id)") }
    }

    /// Ends unfinished chunks that a full sync makes moot: marked done, with `note` as their
    /// error, so no later run resumes them.
    public func supersedeChunks(_ ids: [Int64], note: String) throws(ControlError) {
        guard !ids.isEmpty else { return }
        let now = ControlClock.timestamp()
        try write {
            try withStatement("UPDATE chunks SET status = 'done', error = ?1, updated_at = ?2 WHERE id = ?3") { (update) throws(SQLiteError) in
                for id in ids {
                    try update.bind(note, at: 1)
                    try update.bind(now, at: 2)
                    try update.bind(id, at: 3)
                    try update.run()
                }
            }
        }
    }

    /// Records a chunk's progress: its status, resume cursor, record count and error.
    /// - Throws: `.corruptRecord` when there is no chunk `id`.
    public func updateChunk(_ id: Int64, status: RunStatus, resumeCursor: String? = nil, records: Int64,
                            error: String? = nil) throws(ControlError) {
        let changed = try sql { () throws(SQLiteError) in
            try withStatement("""
                UPDATE chunks SET status = ?1, resume_cursor = ?2, records = ?3, error = ?4, updated_at = ?5 WHERE id = ?6
                """) { (update) throws(SQLiteError) in
                try update.bind(status.rawValue, at: 1)
                if let resumeCursor { try update.bind(resumeCursor, at: 2) }
                try update.bind(records, at: 3)
                if let error { try update.bind(error, at: 4) }
                try update.bind(ControlClock.timestamp(), at: 5)
                try update.bind(id, at: 6)
                try update.run()
                return database.changes
            }
        }
        if changed == 0 { throw .corruptRecord("no chunk with id \(id)") }
    }

    /// The chunk with `id`, or `nil`.
    public func chunk(_ id: Int64) throws(ControlError) -> Chunk? {
        try chunks(where: "id = ?1") { (statement) throws(SQLiteError) in try statement.bind(id, at: 1) }.first
    }

    /// The chunks of run `runID`, in creation order.
    public func chunks(runID: Int64) throws(ControlError) -> [Chunk] {
        try chunks(where: "run_id = ?1") { (statement) throws(SQLiteError) in try statement.bind(runID, at: 1) }
    }

    /// The chunks of a tenant's service table not yet done (pending, running or failed),
    /// in creation order: what a resumed run picks up.
    public func unfinishedChunks(tenant: TenantID, service: String, table: String) throws(ControlError) -> [Chunk] {
        try chunks(where: "tenant_id = ?1 AND service = ?2 AND table_name = ?3 AND status != 'done'") {
            (statement) throws(SQLiteError) in
            try statement.bind(tenant.rawValue, at: 1)
            try statement.bind(service, at: 2)
            try statement.bind(table, at: 3)
        }
    }

    private func chunks(where condition: StaticString,
                        bind: (SQLiteStatement) throws(SQLiteError) -> Void) throws(ControlError) -> [Chunk] {
        try sql { () throws(SQLiteError) in
            try withStatement("""
                SELECT id, run_id, tenant_id, service, table_name, since, until, status, resume_cursor, records,
                       error, updated_at
                FROM chunks WHERE \(condition) ORDER BY id
                """) { (select) throws(SQLiteError) in
                try bind(select)
                var result: [Chunk] = []
                while try select.step() {
                    guard let tenant = try? TenantID(select.text(2) ?? ""),
                          let status = select.text(7).flatMap(RunStatus.init(rawValue:)) else { continue }
                    result.append(Chunk(id: select.int64(0), runID: select.int64(1), tenant: tenant,
                                        service: select.text(3) ?? "", table: select.text(4) ?? "",
                                        since: select.text(5), until: select.text(6), status: status,
                                        resumeCursor: select.text(8), records: select.int64(9), error: select.text(10),
                                        updatedAt: select.text(11) ?? ""))
                }
                return result
            }
        }
    }
}
