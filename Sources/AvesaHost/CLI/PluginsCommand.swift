/// `avesa-host plugins list|show|validate`: what plugins are installed and whether a
/// plugin file is acceptable. Reading manifests runs no hook.
enum PluginsCommand {
    static let usage = """
    Usage: avesa-host [--plugins DIR] plugins list [--json]
           avesa-host [--plugins DIR] plugins show SERVICE [--json]
           avesa-host plugins validate PATH

    list      one row per plugin (service, version, ABI, auth, rate limit, endpoints)
              and every refused file with its reason
    show      a plugin's whole manifest: auth, credential fields, limits, endpoints
    validate  load one plugin file and report whether it is acceptable (exit 0 or 1)

    """

    static func run(_ arguments: [String], options: GlobalOptions, context: CLIContext) throws(CLIError) {
        let json = arguments.contains("--json")
        if arguments.contains("--help") || arguments.contains("-h") {
            context.writeOut(usage)
            return
        }
        let positional = arguments.filter { $0 != "--json" }
        if let unknown = positional.first(where: { $0.hasPrefix("-") }) {
            throw .usage("plugins: unknown option \(unknown)")
        }
        switch positional.first {
        case "list":
            try expectArguments(positional, count: 1, usage: "plugins list [--json]")
            try list(directory: options.pluginsDirectory, json: json, context: context)
        case "show":
            try expectArguments(positional, count: 2, usage: "plugins show SERVICE [--json]")
            try show(service: positional[1], directory: options.pluginsDirectory, json: json, context: context)
        case "validate":
            try expectArguments(positional, count: 2, usage: "plugins validate PATH")
            try validate(path: positional[1], json: json, context: context)
        case let other?:
            throw .usage("plugins: unknown subcommand \"\(other)\" (expected list, show or validate)")
        case nil:
            throw .usage("plugins: missing subcommand (list, show or validate)")
        }
    }

    private static func expectArguments(_ arguments: [String], count: Int, usage: String) throws(CLIError) {
        guard arguments.count == count else { throw .usage("usage: avesa-host \(usage)") }
    }

    private static func scan(_ directory: String) throws(CLIError) -> PluginCatalog {
        do {
            return try PluginCatalog.scan(directory: directory)
        } catch {
            throw .failure(error.description)
        }
    }

    private static func list(directory: String, json: Bool, context: CLIContext) throws(CLIError) {
        let catalog = try scan(directory)
        if json {
            let rows = catalog.plugins.map(ManifestJSON.listRow) + catalog.refused.map(ManifestJSON.refusedRow)
            context.writeOut(ManifestJSON.text(.array(rows)))
            return
        }
        var table = TextTable(header: ["SERVICE", "VERSION", "ABI", "AUTH", "RATE LIMIT", "ENDPOINTS", "PATH"])
        for plugin in catalog.plugins {
            let m = plugin.manifest
            table.rows.append([m.service, m.version, m.abi.description, m.auth.kind.name,
                               m.rateLimit.summary, String(m.endpoints.count), plugin.path])
        }
        context.writeOut(catalog.plugins.isEmpty ? "No plugins loaded from \(directory)\n" : table.render())
        for refused in catalog.refused {
            context.writeOut("refused \(refused.path): \(refused.reason)\n")
        }
    }

    private static func show(service: String, directory: String, json: Bool, context: CLIContext) throws(CLIError) {
        let catalog = try scan(directory)
        guard let plugin = catalog.plugin(for: service) else {
            let known = catalog.plugins.map(\.manifest.service).joined(separator: ", ")
            throw .failure("no plugin provides service \"\(service)\" in \(directory) (loaded: \(known.isEmpty ? "none" : known))")
        }
        context.writeOut(json ? ManifestJSON.text(ManifestJSON.manifest(plugin)) : ManifestText.render(plugin))
    }

    private static func validate(path: String, json: Bool, context: CLIContext) throws(CLIError) {
        let plugin: LoadedPlugin
        do {
            plugin = try PluginLoader.load(path: path)
        } catch {
            if json {
                context.writeOut(ManifestJSON.text(ManifestJSON.object(["valid": false, "path": .string(path), "error": .string(error.reason)])))
            }
            throw .failure(error.description)
        }
        let m = plugin.manifest
        if json {
            context.writeOut(ManifestJSON.text(ManifestJSON.object([
                "valid": true, "path": .string(path), "service": .string(m.service), "version": .string(m.version),
                "abi": .string(m.abi.description), "endpoints": .number(JSONNumber(Int64(m.endpoints.count)))])))
        } else {
            context.writeOut("OK \(path): \(m.service) \(m.version) (\(m.displayName)), ABI \(m.abi), auth \(m.auth.kind.name), \(m.credentialFields.count) credential fields, \(m.endpoints.count) endpoints, hooks: \(m.hooks.names.isEmpty ? "none" : m.hooks.names.joined(separator: ", "))\n")
        }
    }
}
