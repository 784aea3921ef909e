import Foundation

extension ControlStore {
    /// Starts a run (status `running`) and returns its id.
    public func createRun() throws(ControlError) -> Int64 {
        try sql { () throws(SQLiteError) in
            let insert = try database.prepare("INSERT INTO runs (started_at, status) VALUES (?1, 'running')")
            try insert.bind(ControlClock.timestamp(), at: 1)
            try insert.run()
            return database.lastInsertRowID
        }
    }

    /// Ends a run with `status` and an optional JSON summary.
    public func finishRun(_ id: Int64, status: RunStatus, summary: JSONValue? = nil) throws(ControlError) {
        try sql { () throws(SQLiteError) in
            let update = try database.prepare("UPDATE runs SET finished_at = ?1, status = ?2, summary = ?3 WHERE id = ?4")
            try update.bind(ControlClock.timestamp(), at: 1)
            try update.bind(status.rawValue, at: 2)
            if let summary { try update.bind(summary.jsonString(), at: 3) }
            try update.bind(id, at: 4)
            try update.run()
        }
    }

    /// A run's status, or `nil` when there is no such run.
    public func runStatus(_ id: Int64) throws(ControlError) -> RunStatus? {
        try sql { () throws(SQLiteError) in
            let select = try database.prepare("SELECT status FROM runs WHERE id = ?1")
            try select.bind(id, at: 1)
            return try select.step() ? select.text(0).flatMap(RunStatus.init(rawValue:)) : nil
        }
    }

    /// When run `id` started, or nil when there is no such run.
    public func runStartedAt(_ id: Int64) throws(ControlError) -> Date? {
        try sql { () throws(SQLiteError) in
            try withStatement("SELECT started_at FROM runs WHERE id = ?1") { (select) throws(SQLiteError) in
                try select.bind(id, at: 1)
                defer { select.reset() }
                return try select.step() ? select.text(0).flatMap(ControlClock.date) : nil
            }
        }
    }

    /// Inserts or replaces one table's outcome within a run.
    public func recordRunTable(_ record: RunTableRecord) throws(ControlError) {
        try sql { () throws(SQLiteError) in
            try withStatement("""
                INSERT OR REPLACE INTO run_tables (run_id, tenant_id, service, table_name, status, records, pages,
                    requests, retries, throttles, error, started_at, finished_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                """) { (upsert) throws(SQLiteError) in
                try upsert.bind(record.runID, at: 1)
                try upsert.bind(record.tenant.rawValue, at: 2)
                try upsert.bind(record.service, at: 3)
                try upsert.bind(record.table, at: 4)
                try upsert.bind(record.status.rawValue, at: 5)
                for (offset, value) in [record.records, record.pages, record.requests, record.retries, record.throttles].enumerated() {
                    try upsert.bind(value, at: Int32(6 + offset))
                }
                if let error = record.error { try upsert.bind(error, at: 11) }
                try upsert.bind(record.startedAt, at: 12)
                if let finished = record.finishedAt { try upsert.bind(finished, at: 13) }
                try upsert.run()
            }
        }
    }

    /// Records a table's outcome and, with `watermark`, advances the table's watermark to it
    /// when `isNewer(watermark, stored)` — in one transaction (one commit per table sync
    /// instead of two), so a table is never recorded done without its watermark, nor the
    /// reverse.
    public func finishTable(_ record: RunTableRecord, advancingWatermarkTo watermark: String?,
                            isNewer: (_ candidate: String, _ stored: String?) -> Bool) throws(ControlError) {
        try write {
            if let watermark {
                let stored = try self.watermark(tenant: record.tenant, service: record.service, table: record.table)
                if isNewer(watermark, stored) {
                    try setWatermark(watermark, tenant: record.tenant, service: record.service, table: record.table)
                }
            }
            try recordRunTable(record)
        }
    }

    /// The tables recorded for run `id`, ordered by tenant, service and table.
    public func runTables(_ id: Int64, tenant: TenantID? = nil) throws(ControlError) -> [RunTableRecord] {
        try sql { () throws(SQLiteError) in
            let select = try database.prepare(tenant == nil ? """
                SELECT tenant_id, service, table_name, status, records, pages, requests, retries, throttles,
                       error, started_at, finished_at
                FROM run_tables WHERE run_id = ?1 ORDER BY tenant_id, service, table_name
                """ : """
                SELECT tenant_id, service, table_name, status, records, pages, requests, retries, throttles,
                       error, started_at, finished_at
                FROM run_tables WHERE run_id = ?1 AND tenant_id = ?2 ORDER BY service, table_name
                """)
            try select.bind(id, at: 1)
            if let tenant { try select.bind(tenant.rawValue, at: 2) }
            var result: [RunTableRecord] = []
            while try select.step() {
                guard let tenant = try? TenantID(select.text(0) ?? ""),
                      let status = select.text(3).flatMap(RunStatus.init(rawValue:)) else { continue }
                var record = RunTableRecord(runID: id, tenant: tenant, service: select.text(1) ?? "",
                                            table: select.text(2) ?? "", status: status, startedAt: select.text(10) ?? "")
                record.records = select.int64(4)
                record.pages = select.int64(5)
                record.requests = select.int64(6)
                record.retries = select.int64(7)
                record.throttles = select.int64(8)
                record.error = select.text(9)
                record.finishedAt = select.text(11)
                result.append(record)
            }
            return result
        }
    }
}
