import Foundation

/// `avesa-host tenant add|list|remove`: the tenants in the control database.
enum TenantCommand {
    static let usage = """
    Usage: avesa-host [--data DIR] tenant add ID --name NAME
           avesa-host [--data DIR] tenant list [--json]
           avesa-host [--data DIR] tenant remove ID [--yes]

    add     create a tenant; ID matches ^[a-z0-9][a-z0-9_-]{0,62}$
    list    one row per tenant with its services
    remove  delete the tenant, its services, credentials and run state, and its data
            folder <data>/tenants/ID; asks for confirmation on a terminal, otherwise
            needs --yes

    """

    static func run(_ arguments: [String], options: GlobalOptions, context: CLIContext) throws(CLIError) {
        if CommandArguments.wantsHelp(arguments) {
            context.writeOut(usage)
            return
        }
        switch arguments.first {
        case "add": try add(Array(arguments.dropFirst()), options: options, context: context)
        case "list": try list(Array(arguments.dropFirst()), options: options, context: context)
        case "remove": try remove(Array(arguments.dropFirst()), options: options, context: context)
        case let other?: throw .usage("tenant: unknown subcommand \"\(other)\" (expected add, list or remove)")
        case nil: throw .usage("tenant: missing subcommand (add, list or remove)")
        }
    }

    private static func add(_ arguments: [String], options: GlobalOptions, context: CLIContext) throws(CLIError) {
        let parsed = try CommandArguments(arguments, command: "tenant add", valueOptions: ["name"], flagOptions: [])
        guard parsed.positional.count == 1 else { throw .usage("usage: avesa-host tenant add ID --name NAME") }
        let id = try ControlCommandSupport.tenantID(parsed.positional[0])
        let name = try parsed.required("name", command: "tenant add")
        let store = try ControlCommandSupport.openStore(options)
        // A folder left by a removed tenant of the same id (its deletion failed) would hand
        // that tenant's warehouse and raw zone to this one.
        let folder = store.tenantDirectory(id)
        if FileManager.default.fileExists(atPath: folder), try ControlCommandSupport.mapped({ () throws(ControlError) in try store.tenant(id) }) == nil {
            throw .failure("a data folder for tenant \"\(id)\" is left from an earlier tenant of that id: \(folder); remove it (or move it away) first")
        }
        try ControlCommandSupport.mapped { () throws(ControlError) in try store.addTenant(id, name: name) }
        context.writeOut("Added tenant \(id) (\(name))\n")
    }

    private static func list(_ arguments: [String], options: GlobalOptions, context: CLIContext) throws(CLIError) {
        let parsed = try CommandArguments(arguments, command: "tenant list", valueOptions: [], flagOptions: ["json"])
        guard parsed.positional.isEmpty else { throw .usage("usage: avesa-host tenant list [--json]") }
        let store = try ControlCommandSupport.openStore(options)
        let (tenants, services) = try ControlCommandSupport.mapped { () throws(ControlError) in
            (try store.tenants(), try store.services())
        }
        let servicesByTenant = Dictionary(grouping: services, by: \.tenant)
        if parsed.flags.contains("json") {
            let rows: [JSONValue] = tenants.map { tenant in
                ["id": .string(tenant.id.rawValue), "name": .string(tenant.name), "created_at": .string(tenant.createdAt),
                 "services": .array((servicesByTenant[tenant.id] ?? []).map { .string($0.service) })]
            }
            context.writeOut(ControlCommandSupport.jsonText(.array(rows)))
            return
        }
        guard !tenants.isEmpty else {
            context.writeOut("No tenants in \(options.dataDirectory)\n")
            return
        }
        var table = TextTable(header: ["ID", "NAME", "SERVICES", "CREATED"])
        for tenant in tenants {
            let names = (servicesByTenant[tenant.id] ?? []).map(\.service)
            table.rows.append([tenant.id.rawValue, tenant.name, names.isEmpty ? "-" : names.joined(separator: ","),
                               tenant.createdAt])
        }
        context.writeOut(table.render())
    }

    private static func remove(_ arguments: [String], options: GlobalOptions, context: CLIContext) throws(CLIError) {
        let parsed = try CommandArguments(arguments, command: "tenant remove", valueOptions: [], flagOptions: ["yes", "y"])
        guard parsed.positional.count == 1 else { throw .usage("usage: avesa-host tenant remove ID [--yes]") }
        let id = try ControlCommandSupport.tenantID(parsed.positional[0])
        let store = try ControlCommandSupport.openStore(options)
        let (tenant, lock) = try ControlCommandSupport.mapped { () throws(ControlError) in
            (try store.requireTenant(id), try store.lock(tenant: id))
        }
        if let lock, !LockStalenessPolicy().isStale(lock, now: Date()) {
            throw .failure("tenant \"\(id)\" is being synced by \(lock.owner); remove it when that run ends")
        }
        let folder = store.tenantDirectory(id)
        if !parsed.flags.contains("yes") && !parsed.flags.contains("y") {
            guard context.terminal.isInteractive else {
                throw .failure("refusing to remove tenant \"\(id)\" without confirmation: no terminal to ask on; pass --yes")
            }
            let answer = context.terminal.readLine(
                "Remove tenant \(id) (\(tenant.name)) with its services, credentials, run state and data folder \(folder)?\nType the tenant id to confirm: ",
                false)
            guard answer?.trimmingCharacters(in: .whitespaces) == id.rawValue else {
                throw .failure("tenant \"\(id)\" not removed: confirmation did not match")
            }
        }
        // Held from here on, so no run starts on the tenant between the check above (or the
        // question) and the deletion; the row's removal releases it.
        switch try ControlCommandSupport.mapped({ () throws(ControlError) in try store.acquireLock(tenant: id) }) {
        case .held(let holder): throw .failure("tenant \"\(id)\" is being synced by \(holder.owner); remove it when that run ends")
        case .acquired, .recovered: break
        }
        // The folder is first renamed out of the way (atomic), so no later `tenant add` of the
        // same id can find this tenant's data, whatever happens to its deletion.
        let hasFolder = FileManager.default.fileExists(atPath: folder)
        let removed = folder + ".removed-\(Int(Date().timeIntervalSince1970))"
        if hasFolder, rename(folder, removed) != 0 {
            let reason = String(cString: strerror(errno))
            _ = try? store.releaseLock(tenant: id)
            throw .failure("tenant \"\(id)\" not removed: its data folder \(folder) could not be moved aside: \(reason)")
        }
        do {
            try store.removeTenant(id)
        } catch {
            if hasFolder { _ = rename(removed, folder) }
            _ = try? store.releaseLock(tenant: id)
            throw .failure("tenant \"\(id)\" not removed: \(error)")
        }
        guard hasFolder else {
            context.writeOut("Removed tenant \(id) (it had no data folder)\n")
            return
        }
        do {
            try FileManager.default.removeItem(atPath: removed)
        } catch {
            throw .failure("tenant \"\(id)\" removed; its data, moved to \(removed), could not be deleted: \(error.localizedDescription)")
        }
        context.writeOut("Removed tenant \(id) and its data folder \(folder)\n")
    }
}
