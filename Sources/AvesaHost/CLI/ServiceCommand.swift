/// `avesa-host service add|list|remove`: which services each tenant syncs, with which
/// credentials (stored encrypted; never shown), tables and rate limit.
enum ServiceCommand {
    static let usage = """
    Usage: avesa-host [--plugins DIR] [--data DIR] service add --tenant-id ID --service NAME
                      [--credentials-file FILE] [--tables A,B] [--rate-limit RATE]
           avesa-host [--data DIR] service list [--tenant-id ID] [--json]
           avesa-host [--data DIR] service remove --tenant-id ID --service NAME
           avesa-host [--plugins DIR] [--data DIR] service test --tenant-id ID --service NAME [--table T]

    add     configure a plugin's service for a tenant. Credential fields come from FILE
            (a JSON object keyed by the plugin's field names), else from environment
            variables SERVICE_FIELD (e.g. CONNECTWISE_PRIVATE_KEY), else a prompt on a
            terminal (secrets not echoed), else the plugin's defaults. They are encrypted
            with AES-256-GCM under AVESA_MASTER_KEY or <data>/master.key.
            --tables     endpoints to sync (default: all; see `plugins show NAME`)
            --rate-limit N/s, N/min or N/h with optional ,burst=B,concurrency=C
    list    services per tenant; credential field names only, never values
    remove  drop a service with its credentials and watermarks
    test    authenticate and fetch one page of one table, reporting the exact failure

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
        case "test": try ServiceTestCommand.run(Array(arguments.dropFirst()), options: options, context: context)
        case let other?: throw .usage("service: unknown subcommand \"\(other)\" (expected add, list, remove or test)")
        case nil: throw .usage("service: missing subcommand (add, list, remove or test)")
        }
    }

    private static func add(_ arguments: [String], options: GlobalOptions, context: CLIContext) throws(CLIError) {
        let command = "service add"
        let parsed = try CommandArguments(arguments, command: command,
                                          valueOptions: ["tenant-id", "service", "credentials-file", "tables", "rate-limit"],
                                          flagOptions: [])
        guard parsed.positional.isEmpty else { throw .usage("\(command): unexpected argument \(parsed.positional[0])") }
        let tenant = try ControlCommandSupport.tenantID(try parsed.required("tenant-id", command: command))
        let serviceName = try parsed.required("service", command: command)
        let tables = try parsed.values["tables"].map(tableList)
        let rateLimit = try parsed.values["rate-limit"].map(rateLimitText)

        let store = try ControlCommandSupport.openStore(options)
        try ControlCommandSupport.mapped { () throws(ControlError) in
            try store.requireTenant(tenant)
            if try store.service(tenant: tenant, service: serviceName) != nil {
                throw .duplicateTenantService(tenant: tenant.rawValue, service: serviceName)
            }
        }
        let manifest = try manifest(for: serviceName, options: options)
        if let tables {
            let valid = manifest.endpoints.map(\.name)
            let unknown = tables.filter { !valid.contains($0) }
            guard unknown.isEmpty else {
                throw .failure("\(serviceName) has no tables \(unknown.joined(separator: ", ")) (valid: \(valid.joined(separator: ", ")))")
            }
        }
        let collector = CredentialCollector(service: serviceName, fields: manifest.credentialFields)
        let credentials = try collector.collect(file: parsed.values["credentials-file"], environment: context.environment,
                                                terminal: context.terminal)
        try ControlCommandSupport.mapped { () throws(ControlError) in
            let vault = try CredentialVault(environment: context.environment, dataDirectory: options.dataDirectory)
            try store.addService(tenant: tenant, service: serviceName, enabledTables: tables, rateLimitOverride: rateLimit,
                                 credentials: credentials, vault: vault)
        }
        context.writeOut("Added service \(serviceName) to tenant \(tenant): credential fields \(ControlCommandSupport.list(credentials.keys.sorted())); tables \(tables?.joined(separator: ",") ?? "all"); rate limit \(rateLimit ?? "plugin default")\n")
    }

    private static func list(_ arguments: [String], options: GlobalOptions, context: CLIContext) throws(CLIError) {
        let parsed = try CommandArguments(arguments, command: "service list", valueOptions: ["tenant-id"], flagOptions: ["json"])
        guard parsed.positional.isEmpty else { throw .usage("usage: avesa-host service list [--tenant-id ID] [--json]") }
        let tenant = try parsed.values["tenant-id"].map(ControlCommandSupport.tenantID)
        let store = try ControlCommandSupport.openStore(options)
        let services = try ControlCommandSupport.mapped { () throws(ControlError) in
            if let tenant { try store.requireTenant(tenant) }
            return try store.services(tenant: tenant)
        }
        if parsed.flags.contains("json") {
            let rows: [JSONValue] = services.map { service in
                ["tenant_id": .string(service.tenant.rawValue), "service": .string(service.service),
                 "tables": service.enabledTables.map { .array($0.map(JSONValue.string)) } ?? .null,
                 "rate_limit": service.rateLimitOverride.map(JSONValue.string) ?? .null,
                 "credential_fields": .array(service.credentialFields.map(JSONValue.string)),
                 "created_at": .string(service.createdAt)]
            }
            context.writeOut(ControlCommandSupport.jsonText(.array(rows)))
            return
        }
        guard !services.isEmpty else {
            context.writeOut(tenant.map { "No services for tenant \($0)\n" } ?? "No services configured\n")
            return
        }
        var table = TextTable(header: ["TENANT", "SERVICE", "TABLES", "RATE LIMIT", "CREDENTIAL FIELDS", "CREATED"])
        for service in services {
            table.rows.append([service.tenant.rawValue, service.service, service.enabledTables?.joined(separator: ",") ?? "all",
                               service.rateLimitOverride ?? "default", service.credentialFields.joined(separator: ","),
                               service.createdAt])
        }
        context.writeOut(table.render())
    }

    private static func remove(_ arguments: [String], options: GlobalOptions, context: CLIContext) throws(CLIError) {
        let command = "service remove"
        let parsed = try CommandArguments(arguments, command: command, valueOptions: ["tenant-id", "service"], flagOptions: [])
        guard parsed.positional.isEmpty else { throw .usage("\(command): unexpected argument \(parsed.positional[0])") }
        let tenant = try ControlCommandSupport.tenantID(try parsed.required("tenant-id", command: command))
        let serviceName = try parsed.required("service", command: command)
        let store = try ControlCommandSupport.openStore(options)
        try ControlCommandSupport.mapped { () throws(ControlError) in
            try store.removeService(tenant: tenant, service: serviceName)
        }
        context.writeOut("Removed service \(serviceName) from tenant \(tenant)\n")
    }

    /// `a,b` → ["a", "b"]; an empty list is a usage error.
    private static func tableList(_ text: String) throws(CLIError) -> [String] {
        var names: [String] = []
        for part in text.split(separator: ",") {
            let name = String(part).trimmingWhitespace()
            if !name.isEmpty && !names.contains(name) { names.append(name) }
        }
        guard !names.isEmpty else { throw .usage("service add: --tables needs at least one table name") }
        return names
    }

    /// Checks RATE with `RateLimitOverride.parse`; the stored text is the trimmed input.
    private static func rateLimitText(_ text: String) throws(CLIError) -> String {
        do {
            _ = try RateLimitOverride.parse(text)
        } catch {
            throw .usage("service add: \(error)")
        }
        return text.trimmingWhitespace()
    }

    /// The manifest of the plugin providing `service`.
    private static func manifest(for service: String, options: GlobalOptions) throws(CLIError) -> PluginManifest {
        let catalog: PluginCatalog
        do {
            catalog = try PluginCatalog.scan(directory: options.pluginsDirectory)
        } catch {
            throw .failure(error.description)
        }
        guard let plugin = catalog.plugin(for: service) else {
            let known = catalog.plugins.map(\.manifest.service)
            throw .failure("unknown service \"\(service)\": no plugin provides it in \(options.pluginsDirectory) (loaded: \(ControlCommandSupport.list(known)))")
        }
        return plugin.manifest
    }
}
