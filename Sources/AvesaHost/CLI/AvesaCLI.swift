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
      --version        print the version
      --help           show this help

    Commands:
      plugins list [--json]            list loaded plugins and refused files
      plugins show SERVICE [--json]    show a plugin's whole manifest
      plugins validate PATH            check one plugin file (exit 0 good, 1 refused)
      serve [--host H] [--port P]      serve the REST API (GET /health) until SIGTERM/SIGINT
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
            case "serve":
                try ServeCommand.run(Array(rest.dropFirst()), options: options, context: context)
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
