import Foundation

/// `avesa-host demo [--port 3001] [--host H] [--sync-every DURATION] [--scale X]`: the
/// product running against its own simulators. Starts the four simulators on loopback,
/// creates three tenants with users, runs the first sync with a progress display, serves
/// the API and the dashboard, and keeps syncing while the simulators change data. Ctrl-C
/// stops everything; running it again reuses the data folder (`--data`).
enum DemoCommand {
    static let usage = """
    Usage: avesa-host [--data DIR] demo [--port 3001] [--host 127.0.0.1] [--sync-every 3m] [--scale 1]

    Runs Avesa end to end against built-in simulators of ConnectWise, ServiceNow,
    Salesforce and Microsoft 365, then serves the dashboard and API at http://HOST:PORT.
    Sign in as admin@sitetechnology.com / demo123 (tenant sitetechnology).

    """

    struct Options {
        var host = "127.0.0.1"
        var port = 3001
        var syncEvery: Double = 180
        var scale = 1.0
    }

    static func parse(_ arguments: [String]) throws(CLIError) -> Options? {
        let parsed = try CommandArguments(arguments, command: "demo", valueOptions: ["port", "host", "sync-every", "scale"],
                                          flagOptions: ["help", "h"])
        if parsed.flags.contains("help") || parsed.flags.contains("h") { return nil }
        guard parsed.positional.isEmpty else { throw .usage("demo: unexpected argument \(parsed.positional[0])") }
        var options = Options()
        if let text = parsed.values["port"] {
            guard let port = Int(text), (0...65535).contains(port) else { throw .usage("demo: --port needs 0 to 65535") }
            options.port = port
        }
        if let host = parsed.values["host"] { options.host = host }
        if let text = parsed.values["sync-every"] {
            guard let seconds = RunCommand.duration(text) else { throw .usage("demo: --sync-every needs a duration like 3m") }
            options.syncEvery = seconds
        }
        if let text = parsed.values["scale"] {
            guard let scale = Double(text), scale > 0, scale <= 1000 else { throw .usage("demo: --scale needs a number above 0") }
            options.scale = scale
        }
        return options
    }

    static func run(_ arguments: [String], options global: GlobalOptions, context: CLIContext) throws(CLIError) {
        guard let options = try parse(arguments) else { context.writeOut(usage); return }
        let format = global.logFormat
        let log: @Sendable (LogEvent) -> Void = { event in context.writeError((format == .json ? event.json : event.text) + "\n") }
        context.writeOut("Avesa \(AvesaVersion.current) demo — data in \(global.dataDirectory)\n")
        do {
            try AsyncBridge.wait {
                try await runDemo(options, global: global, context: context, log: log)
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw .failure("demo failed: \(error)")
        }
    }

    private static func runDemo(_ options: Options, global: GlobalOptions, context: CLIContext,
                                log: @escaping @Sendable (LogEvent) -> Void) async throws {
        var simulators: [Simulator] = []
        for name in SimulatedServices.names {
            guard let service = SimulatedServices.service(named: name) else { continue }
            var simOptions = SimulatorOptions(seed: 42, scale: options.scale, instances: DemoSetup.tenants.count)
            // History up to the start of today (UTC): dashboards show recent activity, and
            // every demo start on one day generates the same data.
            let now = Int64(Date().timeIntervalSince1970)
            simOptions.historyEnd = now - now % 86_400
            let sim = Simulator(service: service, options: simOptions)
            let url = try sim.start()
            context.writeOut("  simulator \(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(url)\n")
            simulators.append(sim)
        }
        var sources = ServerAssembly.Sources(dataDirectory: global.dataDirectory, pluginsDirectory: global.pluginsDirectory,
                                             mappingsDirectory: global.mappingsDirectory,
                                             dashboardDirectory: ServeCommand.dashboardDirectory(context), environment: context.environment)
        if let iterations = context.environment["AVESA_PBKDF2_ITERATIONS"].flatMap(Int.init), iterations >= 1000 {
            sources.passwordIterations = iterations
        }
        let assembly = try ServerAssembly.build(sources, log: log)
        let vault = try CredentialVault(environment: context.environment, dataDirectory: global.dataDirectory)
        try await DemoSetup.configureTenants(control: assembly.control, vault: vault, simulators: simulators)
        try DemoSetup.createUsers(api: assembly.api)
        context.writeOut("Tenants \(DemoSetup.tenants.map(\.id).joined(separator: ", ")) configured with all four services.\n")
        context.writeOut("First sync…\n")
        let interactive = context.terminal.isInteractive && global.logFormat == .text
        let first = try await assembly.pipeline.runAll(progress: { counter in
            let display = ProgressDisplay(counter: counter, interactive: interactive, write: context.writeError)
            display.start()
            DemoProgress.current.set(display)
        })
        DemoProgress.current.stop()
        context.writeOut("First sync: \(first.tables.count) tables, \(first.records) records, \(first.failed.count) failed.\n")
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: options.host, port: options.port),
                                router: assembly.router, middleware: assembly.middleware)
        let address = try server.start()
        let url = "http://\(address.isIPv6 ? "[\(options.host)]" : options.host == "0.0.0.0" ? "localhost" : options.host):\(address.port)"
        context.writeOut("""

        Avesa is running at \(url)
          Sign in: tenant sitetechnology, admin@sitetechnology.com / \(DemoSetup.password)
                   (also analyst@… and viewer@…; tenants northwind and contoso likewise)
          API:     \(url)/openapi.json    Metrics: \(url)/metrics
          Syncing every \(Int(options.syncEvery)) s while the simulators change data. Ctrl-C to stop.
        LISTENING \(url)

        """)
        let stop = AsyncValue<Bool>()
        let signals = ShutdownSignals(server: server) { Task { await stop.set(true) } }
        let syncing = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(options.syncEvery))
                if Task.isCancelled { break }
                for sim in simulators { _ = sim.advance(fraction: 0.05) }
                var scheduled = PipelineOptions()
                scheduled.skipBusyTenants = true  // an API-started run of a tenant may be under way
                _ = try? await assembly.pipeline.runAll(options: scheduled)
            }
        }
        _ = try await stop.value()
        syncing.cancel()
        withExtendedLifetime(signals) {}
        for sim in simulators { await sim.shutdown() }
        assembly.engine.shutdown()
        context.writeOut("Avesa demo stopped.\n")
    }
}

/// Holds the first sync's progress display so it can be stopped when the sync ends.
final class DemoProgress: @unchecked Sendable {
    static let current = DemoProgress()
    private let lock = NSLock()
    private var display: ProgressDisplay?  // under lock

    func set(_ display: ProgressDisplay) { lock.withLock { self.display = display } }
    func stop() { lock.withLock { display?.stop(); display = nil } }
}
