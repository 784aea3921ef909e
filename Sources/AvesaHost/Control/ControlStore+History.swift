/// A finished or running run, for `status` and the pipeline endpoints.
public struct RunSummaryRow: Sendable, Equatable {
    public let id: Int64
    public let startedAt: String
    public let finishedAt: String?
    public let status: RunStatus
    /// The JSON summary written when the run ended (tables, failed, records), if any.
    public let summary: String?
}

/// A table's watermark, for `status`.
public struct WatermarkRow: Sendable, Equatable {
    public let tenant: String
    public let service: String
    public let table: String
    public let cursor: String
    public let updatedAt: String
}

extension ControlStore {
    /// The newest runs first, at most `limit`; with `tenant`, only runs that touched it
    /// (found through `run_tables_by_tenant`).
    public func recentRuns(limit: Int, tenant: TenantID? = nil) throws(ControlError) -> [RunSummaryRow] {
        try sql { () throws(SQLiteError) in
            let select = try database.prepare(tenant == nil ? """
                SELECT id, started_at, finished_at, status, summary FROM runs ORDER BY id DESC LIMIT ?1
                """ : """
                SELECT id, started_at, finished_at, status, summary FROM runs
                WHERE id IN (SELECT run_id FROM run_tables WHERE tenant_id = ?2) ORDER BY id DESC LIMIT ?1
                """)
            try select.bind(Int64(limit), at: 1)
            if let tenant { try select.bind(tenant.rawValue, at: 2) }
            var rows: [RunSummaryRow] = []
            while try select.step() {
                rows.append(RunSummaryRow(id: select.int64(0), startedAt: select.text(1) ?? "", finishedAt: select.text(2),
                                          status: select.text(3).flatMap(RunStatus.init(rawValue:)) ?? .failed, summary: select.text(4)))
            }
            return rows
        }
    }

    /// Every watermark, or one tenant's, ordered by tenant, service and table.
    public func watermarks(tenant: TenantID? = nil) throws(ControlError) -> [WatermarkRow] {
        try sql { () throws(SQLiteError) in
            let select = try database.prepare("""
                SELECT tenant_id, service, table_name, cursor, updated_at FROM watermarks
                WHERE ?1 IS NULL OR tenant_id = ?1 ORDER BY tenant_id, service, table_name
                """)
            if let tenant { try select.bind(tenant.rawValue, at: 1) }
            var rows: [WatermarkRow] = []
            while try select.step() {
                rows.append(WatermarkRow(tenant: select.text(0) ?? "", service: select.text(1) ?? "", table: select.text(2) ?? "",
                                         cursor: select.text(3) ?? "", updatedAt: select.text(4) ?? ""))
            }
            return rows
        }
    }

    /// Chunks not yet done (pending, running or failed in their last run) — work a plain `run` resumes.
    public func pendingChunkCount(tenant: TenantID? = nil) throws(ControlError) -> Int {
        try sql { () throws(SQLiteError) in
            // Two statements, so the tenant's count reads its entries of chunks_by_table only.
            let select = try database.prepare(tenant == nil ? """
                SELECT count(*) FROM chunks WHERE status IN ('pending', 'running')
                """ : """
                SELECT count(*) FROM chunks WHERE tenant_id = ?1 AND status IN ('pending', 'running')
                """)
            if let tenant { try select.bind(tenant.rawValue, at: 1) }
            _ = try select.step()
            return Int(select.int64(0))
        }
    }
}
