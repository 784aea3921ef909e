import Foundation

/// Runs the pipeline inside a long-lived process (`serve`, `demo`): on demand for one
/// tenant (the API's `POST /api/pipeline/run`) or for everyone on a schedule, never two
/// runs of one tenant at once.
public actor PipelineService {
    private let plugins: PluginCatalog
    private let mappings: MappingCatalog
    private let dataDirectory: String
    private let control: ControlWorker
    private let vault: CredentialVault
    private let engine: CurlEngine
    private let log: @Sendable (LogEvent) -> Void
    private let defaultOptions: PipelineOptions
    private var running: Set<String> = []

    /// The loaded plugins (for health and status).
    public nonisolated let pluginCount: Int

    /// Creates the service over its parts; the control worker is shared with readers.
    /// `defaultOptions` are those of the runs `start` begins (the configuration file's).
    public init(plugins: PluginCatalog, mappings: MappingCatalog, dataDirectory: String, control: ControlWorker,
                vault: CredentialVault, engine: CurlEngine, defaultOptions: PipelineOptions = PipelineOptions(),
                log: @escaping @Sendable (LogEvent) -> Void) {
        self.defaultOptions = defaultOptions
        self.plugins = plugins
        self.mappings = mappings
        self.dataDirectory = dataDirectory
        self.control = control
        self.vault = vault
        self.engine = engine
        self.log = log
        self.pluginCount = plugins.plugins.count
    }

    /// Why a run was not started.
    public enum StartError: Error, Sendable, Equatable {
        case alreadyRunning(String)
    }

    /// Starts a run of `tenants` (nil: all) in the background and returns its run id
    /// once the run exists; with the service's default options unless `base` is given.
    public func start(tenants: [String]?, options base: PipelineOptions? = nil) async throws -> Int64 {
        let key = tenants?.sorted().joined(separator: ",") ?? "*"
        guard !running.contains(key), !running.contains("*") else { throw StartError.alreadyRunning(key) }
        running.insert(key)
        var options = base ?? defaultOptions
        options.tenants = tenants
        let runner = PipelineRunner(plugins: plugins, mappings: mappings, dataDirectory: dataDirectory, control: control,
                                    vault: vault, engine: engine, options: options, log: log)
        let id = AsyncValue<Int64>()
        let log = self.log
        Task {
            do {
                let report = try await runner.run { await id.set($0) }
                log(LogEvent("run \(report.runID) finished: \(report.tables.count) tables, \(report.records) records, \(report.failed.count) failed"))
            } catch {
                log(LogEvent(.error, "run failed to start: \(error)"))
                await id.fail(error)
            }
            self.finished(key)
        }
        return try await id.value()
    }

    /// Runs every tenant now and waits for the report (the demo's first sync).
    public func runAll(options: PipelineOptions = PipelineOptions(), progress: (@Sendable (ProgressCounter) -> Void)? = nil) async throws -> RunReport {
        let runner = PipelineRunner(plugins: plugins, mappings: mappings, dataDirectory: dataDirectory, control: control,
                                    vault: vault, engine: engine, options: options, log: log)
        progress?(runner.progress)
        running.insert("*")
        defer { running.remove("*") }
        return try await runner.run()
    }

    private func finished(_ key: String) {
        running.remove(key)
    }
}

/// A value delivered once, awaited by others (a one-shot promise).
actor AsyncValue<T: Sendable> {
    private var result: Result<T, any Error>?
    private var waiters: [CheckedContinuation<T, any Error>] = []

    func set(_ value: T) { complete(.success(value)) }
    func fail(_ error: any Error) { complete(.failure(error)) }

    func value() async throws -> T {
        if let result { return try result.get() }
        return try await withCheckedThrowingContinuation { waiters.append($0) }
    }

    private func complete(_ value: Result<T, any Error>) {
        guard result == nil else { return }
        result = value
        for waiter in waiters { waiter.resume(with: value) }
        waiters.removeAll()
    }
}
