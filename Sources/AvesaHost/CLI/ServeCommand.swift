import Foundation

/// `avesa-host serve [--host H] [--port P]`: runs the HTTP server until SIGTERM or
/// SIGINT, then shuts down gracefully (in-flight requests get up to 10 s).
enum ServeCommand {
    static let usage = """
    Usage: avesa-host serve [--host 127.0.0.1] [--port 3001]

    Serves the REST API, /openapi.json, /metrics and the dashboard (./dashboard or
    AVESA_DASHBOARD) until SIGTERM or SIGINT. Port 0 picks a free port; the bound address
    is printed on start-up. CORS origins come from AVESA_CORS_ORIGINS (comma-separated).

    """

    /// Where to listen.
    struct Options: Equatable {
        var host = "127.0.0.1"
        var port = 3001
    }

    /// The dashboard folder: `AVESA_DASHBOARD`, else `./dashboard` when it exists.
    static func dashboardDirectory(_ context: CLIContext) -> String? {
        let candidate = context.environment["AVESA_DASHBOARD"] ?? "./dashboard"
        return FileManager.default.fileExists(atPath: candidate + "/index.html") ? candidate : nil
    }

    static func parse(_ arguments: [String]) throws(CLIError) -> Options? {
        var options = Options()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--help", "-h":
                return nil
            case "--host":
                guard let value = rest.popFirst(), !value.isEmpty else { throw .usage("serve: --host needs an address") }
                options.host = value
            case "--port":
                guard let value = rest.popFirst(), let port = Int(value), (0...65535).contains(port) else {
                    throw .usage("serve: --port needs a number from 0 to 65535")
                }
                options.port = port
            default:
                throw .usage("serve: unknown argument \(argument)")
            }
        }
        return options
    }

    static func run(_ arguments: [String], options global: GlobalOptions, context: CLIContext) throws(CLIError) {
        guard let options = try parse(arguments) else {
            context.writeOut(usage)
            return
        }
        // Runs started through the API honour the configuration file too.
        var pipelineOptions = PipelineOptions()
        _ = try RunCommand.applyConfiguration(global, to: &pipelineOptions)
        let assembly: ServerAssembly
        do {
            var sources = ServerAssembly.Sources(dataDirectory: global.dataDirectory, pluginsDirectory: global.pluginsDirectory,
                                                 mappingsDirectory: global.mappingsDirectory,
                                                 dashboardDirectory: Self.dashboardDirectory(context), environment: context.environment)
            sources.pipelineOptions = pipelineOptions
            if let origins = context.environment["AVESA_CORS_ORIGINS"] {
                sources.corsOrigins = Set(origins.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            }
            let format = global.logFormat
            assembly = try ServerAssembly.build(sources) { event in context.writeError((format == .json ? event.json : event.text) + "\n") }
        } catch {
            throw .failure("cannot start: \(error)")
        }
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: options.host, port: options.port),
                                router: assembly.router, middleware: assembly.middleware)
        let address: SocketAddress
        do { address = try server.start() } catch { throw .failure("cannot serve: \(error)") }
        context.writeOut("avesa-host \(AvesaVersion.current) listening on http://\(address)\n")
        let stopped = DispatchSemaphore(value: 0)
        let signals = ShutdownSignals(server: server) { stopped.signal() }
        stopped.wait()
        withExtendedLifetime(signals) {}
        context.writeOut("avesa-host stopped\n")
    }
}
