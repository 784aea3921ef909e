import Foundation

/// `avesa-host simulate SERVICE [--host H] [--port P] [--seed N] [--scale X] [--instances K]`:
/// serves a simulated ConnectWise, ServiceNow, Salesforce or Microsoft Graph API with
/// seeded data until SIGTERM or SIGINT. Prints the bound URL and each instance's
/// credential values (the plugin's field names), one JSON object per line.
enum SimulateCommand {
    static let usage = """
    Usage: avesa-host simulate SERVICE [--host 127.0.0.1] [--port 8090] [--seed 1] [--scale 1]
                                       [--instances 1] [--token-lifetime SECONDS]
                                       [--daily-limit N] [--hourly-limit N]

    Serves a simulated SaaS API with deterministic data for demos and tests.
    SERVICE is connectwise, servicenow, salesforce or m365. --scale multiplies record
    counts (1: ~50 companies, 150 contacts, 500 tickets, 1500 time entries per instance);
    --instances K creates K independent customers, each with its own credentials.
    --token-lifetime ends OAuth sessions early (Salesforce, Graph); --daily-limit is the
    Salesforce org's API request limit (default 100000); --hourly-limit turns on a
    ServiceNow rate-limit rule.

    Control routes: POST /_sim/advance?fraction=0.1, GET|POST|DELETE /_sim/faults,
    GET /_sim/stats, POST /_sim/stats/reset, POST /_sim/tokens/expire, GET /_sim/instances.

    """

    struct Options: Equatable {
        var service = ""
        var host = "127.0.0.1"
        var port = 8090
        var seed: UInt64 = 1
        var scale = 1.0
        var instances = 1
        var tokenLifetime = 3600.0
        var dailyLimit: Int?
        var hourlyLimit: Int?
    }

    static func parse(_ arguments: [String]) throws(CLIError) -> Options? {
        var options = Options()
        var rest = arguments[...]
        func value(_ flag: String) throws(CLIError) -> String {
            guard let value = rest.popFirst(), !value.isEmpty else { throw .usage("simulate: \(flag) needs a value") }
            return value
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--help", "-h": return nil
            case "--host": options.host = try value(argument)
            case "--port":
                guard let port = Int(try value(argument)), (0...65535).contains(port) else { throw .usage("simulate: --port needs a number from 0 to 65535") }
                options.port = port
            case "--seed":
                guard let seed = UInt64(try value(argument)) else { throw .usage("simulate: --seed needs a non-negative integer") }
                options.seed = seed
            case "--scale":
                guard let scale = Double(try value(argument)), scale > 0, scale <= 10_000 else { throw .usage("simulate: --scale needs a positive number") }
                options.scale = scale
            case "--instances":
                guard let count = Int(try value(argument)), (1...1000).contains(count) else { throw .usage("simulate: --instances needs a number from 1 to 1000") }
                options.instances = count
            case "--daily-limit", "--hourly-limit":
                guard let limit = Int(try value(argument)), limit > 0 else { throw .usage("simulate: \(argument) needs a positive number") }
                if argument == "--daily-limit" { options.dailyLimit = limit } else { options.hourlyLimit = limit }
            case "--token-lifetime":
                guard let seconds = Double(try value(argument)), seconds > 0 else { throw .usage("simulate: --token-lifetime needs seconds") }
                options.tokenLifetime = seconds
            default:
                guard !argument.hasPrefix("-"), options.service.isEmpty else { throw .usage("simulate: unknown argument \(argument)") }
                options.service = argument
            }
        }
        guard !options.service.isEmpty else { throw .usage("simulate: name a service (connectwise, servicenow, salesforce, m365)") }
        guard SimulatedServices.service(named: options.service) != nil else { throw .usage("simulate: unknown service \"\(options.service)\"") }
        return options
    }

    static func run(_ arguments: [String], options global: GlobalOptions, context: CLIContext) throws(CLIError) {
        guard let options = try parse(arguments) else {
            context.writeOut(usage)
            return
        }
        var settings = SimulatorOptions(seed: options.seed, scale: options.scale, instances: options.instances)
        settings.tokenLifetime = options.tokenLifetime
        if let limit = options.dailyLimit { settings.dailyRequestLimit = limit }
        settings.hourlyRequestLimit = options.hourlyLimit
        let simulator = Simulator(service: SimulatedServices.service(named: options.service)!, options: settings)
        let url: String
        do { url = try simulator.start(host: options.host, port: options.port) } catch { throw .failure("cannot simulate: \(error)") }
        context.writeOut("avesa-host simulating \(simulator.service.name) on \(url)\n")
        for index in 0..<simulator.instanceCount {
            let values = JSONValue.object(JSONObject(simulator.credentials(instance: index).sorted { $0.key < $1.key }
                .map { JSONMember(key: $0.key, value: .string($0.value)) }))
            context.writeOut("instance \(index): \(values.jsonString())\n")
        }
        let stopped = DispatchSemaphore(value: 0)
        let signals = SimulatorSignals { stopped.signal() }
        stopped.wait()
        withExtendedLifetime(signals) {}
        let done = DispatchSemaphore(value: 0)
        Task {
            await simulator.shutdown()
            done.signal()
        }
        done.wait()
        context.writeOut("avesa-host simulator stopped\n")
    }
}

/// SIGTERM/SIGINT handlers that call `onSignal` once (the simulator then shuts down).
final class SimulatorSignals: @unchecked Sendable {
    // Invariant: `sources` are set once in init and only cancelled in deinit.
    private let sources: [DispatchSourceSignal]

    init(onSignal: @escaping @Sendable () -> Void) {
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: onSignal)
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
