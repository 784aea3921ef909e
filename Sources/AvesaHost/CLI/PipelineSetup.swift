/// What `run`, `backfill`, `status` and `retransform` need: plugins, validated mappings,
/// the control store and the credential vault, with errors named for the CLI.
struct PipelineSetup {
    let plugins: PluginCatalog
    let mappings: MappingCatalog
    let store: ControlStore
    let vault: CredentialVault

    /// Loads everything; an invalid mapping stops here, before any work.
    static func load(_ options: GlobalOptions, context: CLIContext) throws(CLIError) -> PipelineSetup {
        let plugins: PluginCatalog
        do { plugins = try PluginCatalog.scan(directory: options.pluginsDirectory) } catch { throw .failure(error.description) }
        for refused in plugins.refused { context.writeError("warning: plugin refused: \(refused)\n") }
        let endpoints = Dictionary(uniqueKeysWithValues: plugins.plugins.map { ($0.manifest.service, Set($0.manifest.endpoints.map(\.name))) })
        let mappings: MappingCatalog
        do {
            mappings = try MappingCatalog.load(directory: options.mappingsDirectory, endpoints: endpoints)
        } catch {
            throw .failure("invalid mapping, refusing to run: \(error)")
        }
        let store = try ControlCommandSupport.openStore(options)
        let vault = try ControlCommandSupport.mapped { () throws(ControlError) in
            try CredentialVault(environment: context.environment, dataDirectory: options.dataDirectory)
        }
        return PipelineSetup(plugins: plugins, mappings: mappings, store: store, vault: vault)
    }
}
