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
        try ControlCommandSupport.mapped { () throws(ControlError) in try store.removeTenant(id) }
        guard FileManager.default.fileExists(atPath: folder) else {
            context.writeOut("Removed tenant \(id) (it had no data folder)\n")
            return
        }
        do {
            try FileManager.default.removeItem(atPath: folder)
        } catch {
            throw .failure("tenant \"\(id)\" removed from the control database, but its data folder \(folder) could not be deleted: \(error.localizedDescription)")
        }
        context.writeOut("Removed tenant \(id) and its data folder \(folder)\n")
    }
}
