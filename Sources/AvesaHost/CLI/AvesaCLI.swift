/// The `avesa-host` command line: global options, then a command. Exit status 0 on
/// success, 1 on failure, 2 on a usage error. `--help` works everywhere.
public enum AvesaCLI {
    /// The top-level usage text.
    static let usage = """
    Usage: avesa-host [--plugins DIR] [--data DIR] [--mappings DIR] COMMAND [ARGS]

    Avesa pulls every tenant's SaaS data through connector plugins into per-tenant
    SCD Type 2 warehouses and serves analytics over REST.

    Global options (before the command):
      --plugins DIR    folder of plugin shared libraries (env AVESA_PLUGINS; default: the executable's folder)
      --data DIR       data folder (env AVESA_DATA; default: ./avesa-data)
      --mappings DIR   mappings folder (env AVESA_MAPPINGS; default: ./mappings)
      --config FILE    run defaults: concurrency, rate limits per service and tenant, chunking, schedule (env AVESA_CONFIG)
      --log-format F   text (default) or json: one JSON object per log line
                       (credentials are encrypted under env AVESA_MASTER_KEY, else <data>/master.key)
      --version        print the version
      --help           show this help

    Commands:
      demo [--port 3001]               run everything against built-in simulators and serve the dashboard
      plugins list [--json]            list loaded plugins and refused files
      plugins show SERVICE [--json]    show a plugin's whole manifest
      plugins validate PATH            check one plugin file (exit 0 good, 1 refused)
      run [--tenant-id ID]... [--service S] [--table T] [--full] [--every D] [--rate-limit S=RATE]
                                       sync every enabled tenant, service and table
      backfill --tenant-id ID --service S [--table T] --since DATE [--until DATE]
                                       fetch a range of history again
      status [--tenant-id ID] [--json] last runs, watermarks, chunks pending resume
      retransform --tenant-id ID [--table T]
                                       rebuild canonical history from the raw zone (no API calls)
      serve [--host H] [--port P]      serve the REST API and dashboard until SIGTERM/SIGINT
      tenant add ID --name NAME        create a tenant
      tenant list [--json]             list tenants and their services
      tenant remove ID [--yes]         delete a tenant, its state and its data folder
      service add --tenant-id ID --service NAME [--credentials-file F] [--tables A,B] [--rate-limit RATE]
                                       configure a service for a tenant (credentials encrypted)
      service list [--tenant-id ID] [--json]
                                       list tenant services (credential field names only)
      service remove --tenant-id ID --service NAME
                                       drop a tenant's service with its credentials
      user add --tenant-id ID --email E --role R [--password-stdin]
                                       add a user who signs in to the API and dashboard
      user list --tenant-id ID [--json]
      simulate SERVICE [--port P] [--seed N] [--scale X] [--instances K]
                                       serve a simulated connectwise, servicenow, salesforce or m365 API

    Run `avesa-host COMMAND --help` for a command's options.

    """

    /// Runs the command line `arguments` (without the program name) and returns the exit status.
    public static func run(_ arguments: [String], context: CLIContext) -> Int32 {
        do {
            let (options, rest) = try GlobalOptions.parse(arguments, context: context)
            if options.wantsVersion {
                context.writeOut("avesa-host \(AvesaVersion.current) (plugin ABI \(ABIVersion.host))\n")
                return 0
            }
            guard let command = rest.first, !options.wantsHelp else {
                context.writeOut(usage)
                return options.wantsHelp ? 0 : 2
            }
            switch command {
            case "plugins":
                try PluginsCommand.run(Array(rest.dropFirst()), options: options, context: context)
            case "user":
                try UserCommand.run(Array(rest.dropFirst()), options: options, context: context)
            case "demo":
                try DemoCommand.run(Array(rest.dropFirst()), options: options, context: context)
            case "run":
                try RunCommand.run(Array(rest.dropFirst()), options: options, context: context)
            case "backfill":
                try BackfillCommand.run(Array(rest.dropFirst()), options: options, context: context)
            case "status":
                try StatusCommand.run(Array(rest.dropFirst()), options: options, context: context)
            case "retransform":
                try RetransformCommand.run(Array(rest.dropFirst()), options: options, context: context)
            case "serve":
                try ServeCommand.run(Array(rest.dropFirst()), options: options, context: context)
            case "tenant":
                try TenantCommand.run(Array(rest.dropFirst()), options: options, context: context)
            case "service":
                try ServiceCommand.run(Array(rest.dropFirst()), options: options, context: context)
            case "simulate":
                try SimulateCommand.run(Array(rest.dropFirst()), options: options, context: context)
            case "help":
                context.writeOut(usage)
            default:
                throw CLIError.usage("unknown command \"\(command)\"")
            }
            return 0
        } catch let error as CLIError {
            context.writeError("avesa-host: \(error)\n")
            if case .usage = error { context.writeError("Run `avesa-host --help` for usage.\n") }
            return error.exitStatus
        } catch {
            context.writeError("avesa-host: \(error)\n")
            return 1
        }
    }
}
