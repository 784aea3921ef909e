/// `avesa-host retransform --tenant-id T [--table X]`: rebuilds canonical history from
/// the raw zone alone, e.g. after a mapping change. No API is called.
enum RetransformCommand {
    static let usage = """
    Usage: avesa-host retransform --tenant-id ID [--table TABLE]

    Rebuilds the tenant's warehouse (or one canonical table: companies, contacts, tickets,
    time_entries) from its raw zone with the current mappings. No API is called.

    """

    static func run(_ arguments: [String], options: GlobalOptions, context: CLIContext) throws(CLIError) {
        let parsed = try CommandArguments(arguments, command: "retransform", valueOptions: ["tenant-id", "table"], flagOptions: ["help", "h"])
        if parsed.flags.contains("help") || parsed.flags.contains("h") { context.writeOut(usage); return }
        guard parsed.positional.isEmpty else { throw .usage("retransform: unexpected argument \(parsed.positional[0])") }
        guard let tenantText = parsed.values["tenant-id"] else { throw .usage("retransform: --tenant-id is required") }
        let tenant = try ControlCommandSupport.tenantID(tenantText)
        let setup = try PipelineSetup.load(options, context: context)
        _ = try ControlCommandSupport.mapped { () throws(ControlError) in try setup.store.requireTenant(tenant) }
        // The tenant's lock, like a run: a sync writing the warehouse meanwhile would race
        // the rebuild (and its bulk load, which drops and rebuilds indexes).
        let acquisition = try ControlCommandSupport.mapped { () throws(ControlError) in try setup.store.acquireLock(tenant: tenant) }
        if case .held(let holder) = acquisition {
            throw .failure("tenant \(tenant) is being synced by another run (pid \(holder.owner.pid) on \(holder.owner.host)); "
                           + "retransform it when that run ends")
        }
        let heartbeat = LockHeartbeat.start(dataDirectory: options.dataDirectory, tenant: tenant)
        defer {
            heartbeat.stop()
            _ = try? setup.store.releaseLock(tenant: tenant)
        }
        let outcomes: [String: Retransformer.Outcome]
        do {
            outcomes = try Retransformer(layout: DataLayout(root: options.dataDirectory), mappings: setup.mappings)
                .rebuild(tenant: tenant.rawValue, table: parsed.values["table"], lockLost: { heartbeat.isLost })
        } catch {
            throw .failure("retransform of \(tenant) failed: \(error)")
        }
        var table = TextTable(header: ["TABLE", "FILES", "RECORDS", "REJECTED", "ROWS WRITTEN"])
        for name in outcomes.keys.sorted() {
            let o = outcomes[name]!
            table.rows.append([name, String(o.files), String(o.records), String(o.rejected), String(o.merge.inserted + o.merge.updated + o.merge.deleted)])
        }
        context.writeOut(outcomes.isEmpty ? "No raw data for \(tenant).\n" : table.render())
    }
}
