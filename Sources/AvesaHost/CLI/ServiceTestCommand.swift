/// `avesa-host service test --tenant-id ID --service NAME [--table T]`: authenticates and
/// fetches one page of one table (the first canonical one unless named), reporting
/// success with the record count, or the exact failure.
enum ServiceTestCommand {
    static func run(_ arguments: [String], options: GlobalOptions, context: CLIContext) throws(CLIError) {
        let parsed = try CommandArguments(arguments, command: "service test", valueOptions: ["tenant-id", "service", "table"],
                                          flagOptions: ["help", "h"])
        if parsed.flags.contains("help") || parsed.flags.contains("h") {
            context.writeOut("Usage: avesa-host service test --tenant-id ID --service NAME [--table T]\n")
            return
        }
        guard let tenantText = parsed.values["tenant-id"], let service = parsed.values["service"] else {
            throw .usage("service test: --tenant-id and --service are required")
        }
        let tenant = try ControlCommandSupport.tenantID(tenantText)
        let setup = try PipelineSetup.load(options, context: context)
        guard let plugin = setup.plugins.plugin(for: service) else { throw .failure("no plugin provides service \"\(service)\"") }
        let manifest = plugin.manifest
        let endpoint: EndpointSpec
        if let name = parsed.values["table"] {
            guard let found = manifest.endpoint(named: name) else {
                throw .failure("service \(service) has no table \"\(name)\" (tables: \(manifest.endpoints.map(\.name).joined(separator: ", ")))")
            }
            endpoint = found
        } else {
            endpoint = manifest.endpoints.first { $0.canonicalTable != nil } ?? manifest.endpoints[0]
        }
        let credentials = try ControlCommandSupport.mapped { () throws(ControlError) in
            try setup.store.requireTenant(tenant)
            guard try setup.store.service(tenant: tenant, service: service) != nil else {
                throw ControlError.unknownTenantService(tenant: tenant.rawValue, service: service)
            }
            return try setup.store.loadCredentials(tenant: tenant, service: service, vault: setup.vault)
        }
        let engine = CurlEngine()
        defer { engine.shutdown() }
        // A refresh token the provider rotates while testing replaces the stored one (the
        // spent one would fail every later run).
        let dataDirectory = options.dataDirectory, vault = setup.vault
        let save: @Sendable (String, String) async -> Void = { [context] field, value in
            do {
                try ControlStore(dataDirectory: dataDirectory).replaceCredential(field, with: value, tenant: tenant, service: service, vault: vault)
            } catch {
                context.writeError("warning: the provider rotated the \(field) and it could not be stored (\(error)); add the service's credentials again before the next run\n")
            }
        }
        do {
            let records = try AsyncBridge.wait { () async throws -> Int in
                var pipelineOptions = PipelineOptions()
                pipelineOptions.retryPolicy = RetryPolicy(maxAttempts: 2, baseDelay: 0.5, maxDelay: 2)
                let connection = try await ServiceConnection.open(tenant: tenant.rawValue, manifest: manifest, credentials: credentials,
                                                                  override: nil, engine: engine, options: pipelineOptions,
                                                                  budget: RetryBudget(retries: 3),
                                                                  pluginHooks: try PluginHooksRegistry.shared.hooks(for: plugin),
                                                                  saveCredential: save)
                var stream = try PageStream(client: connection.client, endpoint: endpoint, query: connection.query,
                                            fields: JSONFieldPlan([try JSONFieldPath(endpoint.primaryKey)]), hooks: connection.hooks)
                return try await stream.next()?.records.count ?? 0
            }
            context.writeOut("OK \(tenant)/\(service): authenticated and fetched one page of \(endpoint.name) (\(records) records)\n")
        } catch {
            let message = ServiceConnection.scrub("\(error)", secrets: ServiceConnection.secretValues(of: manifest, in: credentials))
            throw .failure("\(tenant)/\(service) test failed on \(endpoint.name): \(message)")
        }
    }
}
