import Foundation

/// A running simulated SaaS API: the HTTP server, K instances of seeded data, request
/// counters and fault injection. Start it in-process on port 0 for tests, or through
/// `avesa-host simulate`.
///
/// ```swift
/// let sim = Simulator(service: ConnectWiseSimulator(), options: SimulatorOptions(seed: 7))
/// let baseURL = try sim.start()                      // http://127.0.0.1:PORT
/// let creds = sim.credentials(instance: 0)           // manifest credential values
/// sim.advance(fraction: 0.1)                         // update / insert / delete rows
/// sim.setFaults({ var f = SimFaults(); f.throttleNext = 3; return f }())
/// print(sim.stats.requests(instance: 0))
/// await sim.shutdown()
/// ```
///
/// Invariant: `instances`, `faults`, `statistics`, `tokens`, `random` and `server` only under `lock`.
public final class Simulator: @unchecked Sendable {
    public let service: any SimulatedService
    public let options: SimulatorOptions
    private let lock = NSLock()
    private var instances: [SimInstance]
    private var faults = SimFaults()
    private var statistics = SimStats()
    private var random: SimRandom
    private var router = Router()
    private var server: HTTPServer?
    private var boundURL: String?
    /// Issued OAuth tokens: token → (instance, expiry UNIX seconds).
    private var tokens: [String: (instance: Int, expires: Double)] = [:]

    /// Generates the instances' data; nothing listens until `start`.
    public init(service: any SimulatedService, options: SimulatorOptions = SimulatorOptions()) {
        self.service = service
        self.options = options
        random = SimRandom(seed: options.seed, 0xFA17)
        var secretsRandom = SimRandom(seed: options.seed, SimRandom.label(service.name))
        instances = (0..<max(1, options.instances)).map { index in
            SimInstance(index: index, secrets: service.makeSecrets(index: index, random: &secretsRandom),
                        dataset: SimDataset(specs: service.tableSpecs, seed: SimRandom.mix(options.seed &+ UInt64(index) &* 7919),
                                            scale: options.scale, historyEnd: options.historyEnd))
        }
        var router = Router()
        service.register(on: &router, simulator: self)
        SimControlRoutes.register(on: &router, simulator: self)
        self.router = router
    }

    // MARK: Lifecycle

    /// Listens on `host:port` (0 picks a free port) and returns the base URL `http://host:port`.
    @discardableResult
    public func start(host: String = "127.0.0.1", port: Int = 0) throws -> String {
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: host, port: port, eventLoopCount: 1,
                                                                       limits: Self.limits, serverName: "avesa-sim"),
                                router: router)
        let address = try server.start()
        let url = "http://\(host.contains(":") ? "[\(host)]" : host):\(address.port)"
        lock.withLock {
            self.server = server
            boundURL = url
        }
        return url
    }

    /// Stalled responses must outlive a client's timeout.
    private static let limits: ServerLimits = {
        var limits = ServerLimits()
        limits.writeTimeout = .seconds(120)
        return limits
    }()

    /// Stops the server (in-flight requests get `timeout`).
    public func shutdown(timeout: Duration = .seconds(2)) async {
        let server = lock.withLock { self.server }
        await server?.shutdown(timeout: timeout)
    }

    /// The base URL once started (`http://127.0.0.1:PORT`); in-process use before `start`
    /// sees `http://simulator.invalid`.
    public var baseURL: String { lock.withLock { boundURL } ?? "http://simulator.invalid" }

    /// Answers a request in-process, without sockets.
    public func respond(to request: HTTPRequest) async -> HTTPResponse { await router.respond(to: request) }

    // MARK: Public controls

    /// Number of instances.
    public var instanceCount: Int { lock.withLock { instances.count } }

    /// The manifest credential values of `instance` (base URLs pointing at this simulator).
    public func credentials(instance: Int = 0) -> [String: String] {
        let secrets = lock.withLock { instances[instance].secrets }
        return service.credentialValues(secrets: secrets, baseURL: baseURL)
    }

    /// A copy of an instance's data.
    public func dataset(instance: Int = 0) -> SimDataset { lock.withLock { instances[instance].dataset } }

    /// The ids of `table`'s live records of `instance` (as the API shows them), in key order.
    public func liveIDs(_ table: String, instance: Int = 0) -> [String] {
        let rows = dataset(instance: instance)[table]?.live ?? []
        return rows.map { service.recordID(table: table, row: $0, instance: instance) }
    }

    /// The ids of `table`'s rows of `instance` changed (updated, inserted or deleted) after `since`.
    public func changedIDs(_ table: String, instance: Int = 0, after since: Int64, includeDeleted: Bool = false) -> [String] {
        let rows = dataset(instance: instance)[table]?.rows ?? []
        return rows.filter { $0.changedAt > since && (includeDeleted || !$0.deleted) }
            .map { service.recordID(table: table, row: $0, instance: instance) }
    }

    /// Changes `fraction` of the records of one instance (all when nil); see `SimDataset.advance`.
    @discardableResult
    public func advance(fraction: Double, instance: Int? = nil) -> [Int: [String: SimChange]] {
        lock.withLock {
            var result: [Int: [String: SimChange]] = [:]
            for index in instances.indices where instance == nil || instance == index {
                result[index] = instances[index].dataset.advance(fraction: fraction)
            }
            return result
        }
    }

    /// Deletes the live records of `table` whose API ids are in `ids` (as a user deleting
    /// them while a sync runs would). Returns how many it deleted.
    @discardableResult
    public func delete(_ table: String, ids: Set<String>, instance: Int = 0) -> Int {
        lock.withLock {
            instances[instance].dataset.delete(from: table) { ids.contains(service.recordID(table: table, row: $0, instance: instance)) }
        }
    }

    /// Replaces the fault plan.
    public func setFaults(_ faults: SimFaults) { lock.withLock { self.faults = faults } }
    /// The current fault plan (counted faults decrease as they fire).
    public var currentFaults: SimFaults { lock.withLock { faults } }

    /// A snapshot of the counters.
    public var stats: SimStats { lock.withLock { statistics } }
    /// Zeroes the counters.
    public func resetStats() { lock.withLock { statistics = SimStats() } }

    /// Makes every issued token invalid (the next API call gets the service's 401).
    public func expireTokens() { lock.withLock { tokens.removeAll() } }

    /// Sets the API usage of an instance (Salesforce: reach the daily limit at once).
    public func setAPIUsage(_ usage: Int, instance: Int = 0) { lock.withLock { instances[instance].apiUsage = usage } }

    // MARK: For services

    /// Runs `body` on an instance under the lock.
    func withInstance<R>(_ index: Int, _ body: (inout SimInstance) throws -> R) rethrows -> R {
        try lock.withLock { try body(&instances[index]) }
    }

    /// The index of the instance whose secrets satisfy `predicate`.
    func instanceIndex(where predicate: ([String: String]) -> Bool) -> Int? {
        lock.withLock { instances.firstIndex { predicate($0.secrets) } }
    }

    /// Issues a token for `instance`; returns it.
    func issueToken(instance: Int, prefix: String) -> String {
        lock.withLock {
            let token = prefix + random.hex(40)
            tokens[token] = (instance, Date().timeIntervalSince1970 + options.tokenLifetime)
            return token
        }
    }

    /// The instance of a valid, unexpired token.
    func instance(forToken token: String) -> Int? {
        lock.withLock {
            guard let entry = tokens[token], entry.expires > Date().timeIntervalSince1970 else { return nil }
            return entry.instance
        }
    }

    /// Counts a request that failed authentication.
    func countUnauthorized(route: String) { lock.withLock { statistics.unauthorized += 1 } }

    /// Counts a request of `instance` without faults (token endpoints).
    func count(instance: Int, route: String) { lock.withLock { statistics.count(instance: instance, route: route) } }

    /// The data route pipeline for an authenticated request of `instance`: count, decide
    /// faults, build the response under the lock, then corrupt, delay or stall it.
    /// `body` returns the response and how many records of which table it carries.
    func serve(instance index: Int, route: String,
               _ body: (inout SimInstance) throws(SimResponseError) -> (HTTPResponse, table: String?, records: Int)) async -> HTTPResponse {
        let (response, delay): (HTTPResponse, Double) = lock.withLock {
            statistics.count(instance: index, route: route)
            let action = faults.decide(instance: index, random: &random)
            switch action.kind {
            case .throttle(let seconds):
                statistics.throttled += 1
                return (service.throttleResponse(retryAfter: seconds, instance: instances[index]), action.delay)
            case .serverError(let status):
                statistics.serverErrors += 1
                return (service.serverErrorResponse(status: status), action.delay)
            case .none:
                break
            }
            do throws(SimResponseError) {
                var (response, table, count) = try body(&instances[index])
                if let table { statistics.served(instance: index, table: table, records: count) }
                if action.malformed {
                    statistics.malformed += 1
                    let bytes = response.bodyBytes
                    response.body = .bytes(Array(bytes.prefix(max(1, bytes.count / 2))) + Array("<!-- truncated".utf8))
                }
                return (response, action.delay)
            } catch {
                return (error.response, action.delay)
            }
        }
        if delay > 0 { try? await Task.sleep(nanoseconds: UInt64(delay * 1e9)) }
        return response
    }
}

/// A response a service handler gives instead of data (bad query, unknown table…).
struct SimResponseError: Error {
    let response: HTTPResponse
    init(_ response: HTTPResponse) { self.response = response }
}

/// Why a query parameter could not be parsed.
struct SimParseError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// A paged query kept on the server (Salesforce query locators): the matching row keys
/// at query time, the selected fields and the batch size.
struct SimCursor: Sendable {
    var table: String
    var keys: [Int]
    var fields: [String]
    var batchSize: Int
}
