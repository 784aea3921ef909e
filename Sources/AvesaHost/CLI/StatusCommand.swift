/// `avesa-host status [--tenant-id ID] [--json]`: last runs, each table's watermark,
/// and chunks waiting to be resumed.
enum StatusCommand {
    static let usage = """
    Usage: avesa-host status [--tenant-id ID] [--json]

    Shows the last runs with their table results, every table's watermark and how many
    chunks a plain `run` would resume.

    """

    static func run(_ arguments: [String], options: GlobalOptions, context: CLIContext) throws(CLIError) {
        let parsed = try CommandArguments(arguments, command: "status", valueOptions: ["tenant-id"], flagOptions: ["json", "help", "h"])
        if parsed.flags.contains("help") || parsed.flags.contains("h") { context.writeOut(usage); return }
        guard parsed.positional.isEmpty else { throw .usage("status: unexpected argument \(parsed.positional[0])") }
        let tenant = try parsed.values["tenant-id"].map { (text) throws(CLIError) in try ControlCommandSupport.tenantID(text) }
        let store = try ControlCommandSupport.openStore(options)
        let (runs, tables, watermarks, pending) = try ControlCommandSupport.mapped { () throws(ControlError) in
            if let tenant { try store.requireTenant(tenant) }
            let runs = try store.recentRuns(limit: 5, tenant: tenant)
            var tables: [RunTableRecord] = []
            if let last = runs.first { tables = try store.runTables(last.id).filter { tenant == nil || $0.tenant == tenant } }
            return (runs, tables, try store.watermarks(tenant: tenant), try store.pendingChunkCount(tenant: tenant))
        }
        if parsed.flags.contains("json") {
            let object: JSONValue = .object([
                "runs": .array(runs.map { run in
                    .object(["id": .number(JSONNumber(run.id)), "status": .string(run.status.rawValue), "started_at": .string(run.startedAt),
                             "finished_at": run.finishedAt.map(JSONValue.string) ?? .null,
                             "summary": run.summary.flatMap { try? JSONParser.parse($0) } ?? .null])
                }),
                "last_run_tables": .array(tables.map { t in
                    .object(["tenant": .string(t.tenant.rawValue), "service": .string(t.service), "table": .string(t.table),
                             "status": .string(t.status.rawValue), "records": .number(JSONNumber(t.records)),
                             "error": t.error.map(JSONValue.string) ?? .null])
                }),
                "watermarks": .array(watermarks.map { w in
                    .object(["tenant": .string(w.tenant), "service": .string(w.service), "table": .string(w.table),
                             "cursor": .string(URLRedactor.redact(w.cursor)), "updated_at": .string(w.updatedAt)])
                }),
                "chunks_pending": .number(JSONNumber(Int64(pending))),
            ])
            context.writeOut(ControlCommandSupport.jsonText(object))
            return
        }
        var runTable = TextTable(header: ["RUN", "STATUS", "STARTED", "FINISHED"])
        for run in runs { runTable.rows.append([String(run.id), run.status.rawValue, run.startedAt, run.finishedAt ?? "-"]) }
        context.writeOut(runs.isEmpty ? "No runs yet.\n" : "Last runs:\n" + runTable.render())
        if !tables.isEmpty {
            var last = TextTable(header: ["TENANT", "SERVICE", "TABLE", "STATUS", "RECORDS", "ERROR"])
            for t in tables { last.rows.append([t.tenant.rawValue, t.service, t.table, t.status.rawValue, String(t.records), t.error ?? ""]) }
            context.writeOut("\nLast run's tables:\n" + last.render())
        }
        var marks = TextTable(header: ["TENANT", "SERVICE", "TABLE", "WATERMARK", "UPDATED"])
        for w in watermarks {
            // A delta link's query values are redacted, as everywhere a URL is shown.
            let cursor = URLRedactor.redact(w.cursor)
            marks.rows.append([w.tenant, w.service, w.table, cursor.count > 60 ? String(cursor.prefix(57)) + "..." : cursor, w.updatedAt])
        }
        context.writeOut(watermarks.isEmpty ? "\nNo watermarks yet.\n" : "\nWatermarks:\n" + marks.render())
        context.writeOut("\nChunks pending resume: \(pending)\n")
    }
}
