import Foundation

/// Runs the pipeline: every selected tenant × service × table in parallel, bounded by one
/// global budget (`PipelineOptions.concurrency`), by each (tenant, service) rate limit, and
/// by a window of tenants worked at once (`PipelineOptions.tenantsAtOnce`, admitted in id
/// order). A tenant is worked by one run at a time (its lock across processes,
/// `TenantClaims` within one); a failing tenant, service or table is recorded and never
/// stops the others. A table's watermark advances only after its chunk committed every
/// page; a killed run's chunks are resumed from their saved cursors by the next run.
public final class PipelineRunner: Sendable {
    let plugins: PluginCatalog
    let mappings: MappingCatalog
    let layout: DataLayout
    let control: ControlWorker
    let vault: CredentialVault
    let engine: CurlEngine
    let options: PipelineOptions
    let log: @Sendable (LogEvent) -> Void
    /// Live counters for a progress display.
    public let progress = ProgressCounter()

    /// Creates a runner; nothing runs until `run()`.
    public init(plugins: PluginCatalog, mappings: MappingCatalog, dataDirectory: String, control: ControlWorker,
                vault: CredentialVault, engine: CurlEngine, options: PipelineOptions,
                log: @escaping @Sendable (LogEvent) -> Void = { _ in }) {
        self.plugins = plugins
        self.mappings = mappings
        self.layout = DataLayout(root: dataDirectory)
        self.control = control
        self.vault = vault
        self.engine = engine
        self.options = options
        self.log = log
    }

    /// One table to sync.
    struct TableJob: Sendable {
        let tenant: TenantID
        let service: TenantService
        let endpoint: EndpointSpec
    }

    /// Plans and runs everything selected; returns one record per table. `onStart` gets
    /// the run's id as soon as it exists (the API answers with it before the run ends).
    public func run(onStart: @Sendable (Int64) async -> Void = { _ in }) async throws -> RunReport {
        let jobs = try await plan()
        let runID = try await control.run { try $0.createRun() }
        await onStart(runID)
        let rawRunID = RunID()
        let limiter = AsyncLimiter(permits: options.concurrency)
        let budget = RetryBudget(retries: options.retryBudget)
        progress.setTotal(jobs.count)
        log(LogEvent("run \(runID) started: \(jobs.count) tables for \(Set(jobs.map(\.tenant)).count) tenants", run: rawRunID.value))
        let byTenant = Dictionary(grouping: jobs, by: \.tenant)
        // Tenants are admitted in id order through a window, each holding its place from its
        // lock to its last table (connecting, syncing, building deferred indexes): one slow
        // tenant takes one place, and only a window full of slow tenants holds the rest back.
        let window = AsyncLimiter(permits: options.tenantsAtOnce)
        let outcomes = await withTaskGroup(of: TenantOutcome.self) { group in
            for tenant in byTenant.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
                if Task.isCancelled { break }
                await window.acquire()
                group.addTask {
                    let outcome = await self.runTenant(tenant, jobs: byTenant[tenant]!, runID: runID, rawRunID: rawRunID,
                                                       limiter: limiter, budget: budget)
                    await window.release()
                    return outcome
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        var records = outcomes.flatMap(\.records)
        let skipped = outcomes.compactMap(\.skipped).sorted { $0.rawValue < $1.rawValue }
        // A cancelled run admits no more tenants: their tables are recorded as not synced.
        let worked = Set(records.map(\.tenant)).union(skipped)
        records += await failedRecords(jobs.filter { !worked.contains($0.tenant) }, runID: runID,
                                       message: "the run was cancelled before this tenant's turn")
        var report = RunReport(runID: runID, rawRunID: rawRunID, tables: records.sorted { ($0.tenant, $0.service, $0.table) < ($1.tenant, $1.service, $1.table) })
        report.skippedTenants = skipped
        let status: RunStatus = report.failed.isEmpty ? .done : .failed
        let summary: JSONValue = .object(["tables": .number(JSONNumber(Int64(report.tables.count))),
                                          "failed": .number(JSONNumber(Int64(report.failed.count))),
                                          "records": .number(JSONNumber(report.records)),
                                          "skipped_tenants": .array(skipped.map { .string($0.rawValue) })])
        try await control.run { try $0.finishRun(runID, status: status, summary: summary) }
        MetricsRegistry.shared.recordRun(status: status.rawValue, records: Int(report.records))
        // Key indexes, seen keys and page buffers are gone now; give their memory back.
        MallocTuning.releaseFreeMemory()
        return report
    }

    /// Resolves the selection into table jobs; unknown tenants or services are errors
    /// before anything runs.
    func plan() async throws -> [TableJob] {
        let options = self.options
        // A throttle for a service no plugin provides (a typo) would be ignored silently: on the
        // command line that is an error; in the configuration file (which outlives tenants and
        // plugins: a scheduled run must not stop for every tenant over one stale entry) a warning.
        let services = Set(plugins.plugins.map(\.manifest.service))
        for name in options.rateOverrides.keys.sorted() where !services.contains(name) {
            throw PipelineError.unknownService(name, known: services.sorted())
        }
        let configured = Set(options.serviceRateDefaults.keys).union(options.tenantRateOverrides.values.flatMap(\.keys))
        for name in configured.sorted() where !services.contains(name) {
            log(LogEvent(.warning, "the configuration's rate limit for service \"\(name)\" applies to nothing: no loaded plugin provides it"))
        }
        let selection = try await control.run { store -> [(TenantID, [TenantService])] in
            var tenants = try store.tenants().map(\.id)
            if let wanted = options.tenants {
                let ids = try wanted.map { (text) throws(ControlError) in try TenantID(text) }
                for id in ids where !tenants.contains(id) { throw ControlError.unknownTenant(id.rawValue) }
                tenants = ids
            }
            return try tenants.map { tenant in (tenant, try store.services(tenant: tenant)) }
        }
        var jobs: [TableJob] = []
        for (tenant, services) in selection {
            for service in services where options.service == nil || service.service == options.service {
                guard let plugin = plugins.plugin(for: service.service) else {
                    throw PipelineError.pluginMissing(service: service.service, tenant: tenant.rawValue)
                }
                let names = service.enabledTables ?? plugin.manifest.endpoints.map(\.name)
                for name in names where options.table == nil || name == options.table {
                    guard let endpoint = plugin.manifest.endpoint(named: name) else {
                        throw PipelineError.unknownTable(service: service.service, table: name)
                    }
                    jobs.append(TableJob(tenant: tenant, service: service, endpoint: endpoint))
                }
            }
        }
        let known = Set(selection.map(\.0.rawValue))
        for tenant in options.tenantRateOverrides.keys.sorted() where !known.contains(tenant) && options.tenants == nil {
            log(LogEvent(.warning, "the configuration's rate limits for tenant \"\(tenant)\" apply to nothing: there is no such tenant"))
        }
        if let service = options.service, !selection.contains(where: { $0.1.contains { $0.service == service } }) {
            throw PipelineError.serviceNotConfigured(service)
        }
        // A misspelt table would otherwise plan nothing and report success.
        if let table = options.table, jobs.isEmpty {
            throw PipelineError.unknownTable(service: options.service ?? "any selected service", table: table)
        }
        return jobs
    }

    /// A failed record, with `message`, for each of `jobs` (tables that never synced), saved
    /// with the run's other tables: a tenant's view of the run (`GET /api/pipeline/runs`,
    /// `status`) is built from them. Saving is best effort; the report has them anyway.
    private func failedRecords(_ jobs: [TableJob], runID: Int64, message: String) async -> [RunTableRecord] {
        let records = jobs.map { job in
            var record = RunTableRecord(runID: runID, tenant: job.tenant, service: job.service.service, table: job.endpoint.name,
                                        status: .failed)
            record.error = message
            record.finishedAt = ControlClock.timestamp()
            return record
        }
        if !records.isEmpty {
            _ = try? await control.run { store in try store.write { for record in records { try store.recordRunTable(record) } } }
        }
        return records
    }

    /// What working one tenant gave: its tables' records, or that it was left out (busy).
    private struct TenantOutcome: Sendable {
        var records: [RunTableRecord] = []
        var skipped: TenantID?
    }

    private func runTenant(_ tenant: TenantID, jobs: [TableJob], runID: Int64, rawRunID: RunID,
                           limiter: AsyncLimiter, budget: RetryBudget) async -> TenantOutcome {
        func failAll(_ message: String, _ subset: [TableJob]) async -> [RunTableRecord] {
            await failedRecords(subset, runID: runID, message: message)
        }
        /// Another run holds the tenant: left out on a schedule, its tables failed otherwise.
        func busy(_ message: String) async -> TenantOutcome {
            guard options.skipBusyTenants else { return TenantOutcome(records: await failAll(message, jobs)) }
            log(LogEvent(.warning, "skipped: \(message); the next run picks it up", run: rawRunID.value, tenant: tenant.rawValue))
            return TenantOutcome(skipped: tenant)
        }
        // Another run of this process (the lock below would let it through as our own).
        guard TenantClaims.shared.claim(tenant, in: layout.root) else {
            return await busy("tenant \(tenant) is being synced by another run of this process")
        }
        defer { TenantClaims.shared.release(tenant, in: layout.root) }
        do {
            let acquisition = try await control.run { try $0.acquireLock(tenant: tenant) }
            if case .held(let holder) = acquisition {
                return await busy("tenant \(tenant) is being synced by another run (pid \(holder.owner.pid) on \(holder.owner.host))")
            }
        } catch {
            return TenantOutcome(records: await failAll("cannot lock tenant \(tenant): \(error)", jobs))
        }
        var syncsPerTable: [String: Int] = [:]
        for job in jobs { if let table = canonicalTable(of: job) { syncsPerTable[table, default: 0] += 1 } }
        let storage = TenantStorage(tenant: tenant.rawValue, layout: layout, tables: mappings.orderedTables,
                                    bulkLoadThreshold: options.bulkLoadThreshold, syncsPerTable: syncsPerTable,
                                    keyIndexBudget: options.keyIndexBudget)
        let heartbeat = Task { [control, log, options] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(options.lockHeartbeatSeconds))
                if Task.isCancelled { break }
                // No row of ours to refresh: another process found the lock stale (this one
                // stalled past the limit) and took it. Stop writing, or two writers would meet.
                if let held = try? await control.run({ try $0.heartbeatLock(tenant: tenant) }), !held {
                    storage.lockWasTaken()
                    log(LogEvent(.error, "tenant \(tenant)'s lock was taken by another process; this run stops writing to it",
                                 run: rawRunID.value, tenant: tenant.rawValue))
                    break
                }
            }
        }
        var records: [RunTableRecord] = []
        let byService = Dictionary(grouping: jobs, by: { $0.service.service })
        await withTaskGroup(of: [RunTableRecord].self) { group in
            for (service, serviceJobs) in byService {
                group.addTask {
                    let connection: ServiceConnection
                    do {
                        connection = try await self.connect(tenant: tenant, service: serviceJobs[0].service, budget: budget)
                    } catch {
                        // Its tables end here: a canonical table they share with other services
                        // gets its deferred indexes back as soon as those end.
                        for job in serviceJobs { await self.syncEnded(job, storage: storage, rawRunID: rawRunID) }
                        return await failAll("\(service): \(error)", serviceJobs)
                    }
                    return await withTaskGroup(of: RunTableRecord.self) { tables in
                        for job in serviceJobs {
                            tables.addTask {
                                let record = await limiter.withPermit {
                                    await self.syncTable(job, connection: connection, storage: storage, runID: runID, rawRunID: rawRunID,
                                                         limiter: limiter)
                                }
                                await self.syncEnded(job, storage: storage, rawRunID: rawRunID)
                                return record
                            }
                        }
                        return await tables.reduce(into: []) { $0.append($1) }
                    }
                }
            }
            for await batch in group { records += batch }
        }
        // Deferred indexes of a bulk load are built before the lock is released (the
        // heartbeat keeps it fresh meanwhile).
        if let failure = await storage.close() {
            log(LogEvent(.warning, "building deferred indexes failed (they are built at the next open): \(failure)",
                         run: rawRunID.value, tenant: tenant.rawValue))
        }
        heartbeat.cancel()
        _ = try? await control.run { try $0.releaseLock(tenant: tenant) }
        return TenantOutcome(records: records)
    }

    /// The canonical table a job feeds, if any.
    private func canonicalTable(of job: TableJob) -> String? {
        guard job.endpoint.canonicalTable != nil else { return nil }
        return mappings.plan(service: job.service.service, source: job.endpoint.name)?.table.name
    }

    /// Tells the tenant's storage that a sync ended, so the last one of a canonical table
    /// builds that table's deferred indexes while other tables go on.
    private func syncEnded(_ job: TableJob, storage: TenantStorage, rawRunID: RunID) async {
        guard let table = canonicalTable(of: job) else { return }
        do {
            try await storage.syncEnded(feeding: table)
        } catch {
            log(LogEvent(.warning, "building the deferred indexes of \(table) failed (retried when the run ends): \(error)",
                         run: rawRunID.value, tenant: job.tenant.rawValue, service: job.service.service, table: job.endpoint.name))
        }
    }

    private func connect(tenant: TenantID, service: TenantService, budget: RetryBudget) async throws -> ServiceConnection {
        guard let plugin = plugins.plugin(for: service.service) else { throw PipelineError.pluginMissing(service: service.service, tenant: tenant.rawValue) }
        let vault = self.vault
        let credentials = try await control.run { try $0.loadCredentials(tenant: tenant, service: service.service, vault: vault) }
        var override = try service.rateLimitOverride.map { (text) throws(RateLimitSyntaxError) in try RateLimitOverride.parse(text) }
            ?? options.serviceRateDefaults[service.service]
        if let configured = options.tenantRateOverrides[tenant.rawValue]?[service.service] { override = configured }
        if let commandLine = options.rateOverrides[service.service] { override = commandLine }
        // A rotated credential (an OAuth refresh token the provider replaced) is stored at
        // once: the spent one would fail the next run. The value is never logged.
        let control = self.control, log = self.log, name = service.service
        let save: @Sendable (String, String) async -> Void = { field, value in
            do {
                try await control.run { try $0.replaceCredential(field, with: value, tenant: tenant, service: name, vault: vault) }
                log(LogEvent("stored the \(field) the provider rotated", tenant: tenant.rawValue, service: name))
            } catch {
                log(LogEvent(.error, "could not store the \(field) the provider rotated; the next run may need new credentials: \(error)",
                             tenant: tenant.rawValue, service: name))
            }
        }
        do {
            return try await ServiceConnection.open(tenant: tenant.rawValue, manifest: plugin.manifest, credentials: credentials,
                                                    override: override, engine: engine, options: options, budget: budget,
                                                    pluginHooks: try PluginHooksRegistry.shared.hooks(for: plugin), saveCredential: save)
        } catch {
            // A token endpoint's answer can echo a secret; the message is stored and logged.
            throw ScrubbedError(ServiceConnection.scrub("\(error)", secrets: ServiceConnection.secretValues(of: plugin.manifest, in: credentials)))
        }
    }
}

/// Why a run could not be planned.
public enum PipelineError: Error, Sendable, Equatable, CustomStringConvertible {
    case pluginMissing(service: String, tenant: String)
    case unknownTable(service: String, table: String)
    case serviceNotConfigured(String)
    /// A rate limit names a service no loaded plugin provides.
    case unknownService(String, known: [String])
    case notBackfillable(service: String, table: String)
    /// Another process took the tenant's lock while this run held it (its heartbeat stalled).
    case lockLost(tenant: String)

    public var description: String {
        switch self {
        case .pluginMissing(let service, let tenant): "tenant \(tenant) uses service \(service), but no loaded plugin provides it"
        case .unknownTable(let service, let table): "service \(service) has no table \"\(table)\""
        case .serviceNotConfigured(let service): "no selected tenant has service \(service) configured"
        case .unknownService(let service, let known): "a rate limit names service \"\(service)\", which no loaded plugin provides (loaded: \(known.joined(separator: ", ")))"
        case .notBackfillable(let service, let table): "\(service)/\(table) cannot filter by time, so it cannot be backfilled (run --full instead)"
        case .lockLost(let tenant): "tenant \(tenant)'s lock was taken by another process while this run held it; nothing more was written"
        }
    }
}

/// An error's message with the tenant's secret credential values removed.
struct ScrubbedError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
