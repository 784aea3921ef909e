import Foundation

/// `avesa-host serve [--host H] [--port P]`: runs the HTTP server until SIGTERM or
/// SIGINT, then shuts down gracefully (in-flight requests get up to 10 s).
enum ServeCommand {
    static let usage = """
    Usage: avesa-host serve [--host 127.0.0.1] [--port 3001]

    Serves the REST API (GET /health today) until SIGTERM or SIGINT. Port 0 picks a free
    port; the bound address is printed on start-up.

    """

    /// Where to listen.
    struct Options: Equatable {
        var host = "127.0.0.1"
        var port = 3001
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
        var router = Router()
        HealthRoutes.register(on: &router)
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: options.host, port: options.port),
                                router: router, middleware: [RequestIDMiddleware()])
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
