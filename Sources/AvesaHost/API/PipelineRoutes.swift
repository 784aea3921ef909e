/// The pipeline over the API, for admins of the caller's tenant: run history, table
/// status and starting a run. Everything is scoped to the token's tenant.
public enum PipelineRoutes {
    /// Adds `/api/pipeline/runs`, `/api/pipeline/status` and `POST /api/pipeline/run`.
    public static func register(on router: inout Router, context: APIContext, control: ControlWorker, pipeline: PipelineService) {
        router.get("/api/pipeline/runs", handler: context.protected(.admin) { request, principal in
            let limit = try QueryParameters(request, allowed: ["limit"]).int("limit", default: 20, range: 1...100)
            let tenant = try TenantID(principal.tenantID)
            let runs = try await context.readControl(control) { store -> [(RunSummaryRow, [RunTableRecord])] in
                try store.recentRuns(limit: limit, tenant: tenant).map { run in (run, try store.runTables(run.id, tenant: tenant)) }
            }
            return .json(.object(["data": .array(runs.map { run, tables in runJSON(run, tenantTables: tables) })]))
        })
        router.get("/api/pipeline/status", handler: context.protected(.admin) { request, principal in
            _ = try QueryParameters(request, allowed: [])
            let tenant = try TenantID(principal.tenantID)
            let (services, watermarks, pending, last) = try await context.readControl(control) { store in
                (try store.services(tenant: tenant), try store.watermarks(tenant: tenant), try store.pendingChunkCount(tenant: tenant),
                 try store.recentRuns(limit: 1, tenant: tenant).first.map { run in try store.runTables(run.id, tenant: tenant) } ?? [])
            }
            return .json(.object([
                "services": .array(services.map { service in
                    .object(["service": .string(service.service),
                             "tables": service.enabledTables.map { .array($0.map(JSONValue.string)) } ?? .string("all"),
                             "rate_limit": service.rateLimitOverride.map(JSONValue.string) ?? .null])
                }),
                "watermarks": .array(watermarks.map { mark in
                    .object(["service": .string(mark.service), "table": .string(mark.table), "cursor": .string(URLRedactor.redact(mark.cursor)),
                             "updated_at": .string(mark.updatedAt)])
                }),
                "last_run_tables": .array(last.map(tableJSON)),
                "chunks_pending": .number(JSONNumber(Int64(pending))),
            ]))
        })
        router.post("/api/pipeline/run", handler: context.protected(.admin) { request, principal in
            _ = try QueryParameters(request, allowed: [])
            do {
                let id = try await pipeline.start(tenants: [principal.tenantID])
                return .json(.object(["run_id": .number(JSONNumber(id)), "status": "running"]), status: .accepted)
            } catch PipelineService.StartError.alreadyRunning {
                throw HTTPError(.conflict, code: "run_in_progress", message: "A run for this tenant is already in progress.")
            } catch let error as PipelineError {
                // The tenant's set-up cannot be planned (a plugin no longer loaded, a table it
                // no longer has): the admin can fix that, so say what it is.
                throw HTTPError(.conflict, code: "run_not_possible", message: "The run cannot start: \(error).")
            }
        })
    }

    /// A run as one tenant sees it: a run may cover many tenants, and its own status and
    /// end time tell of all of them (a run is `failed` when any tenant's table failed). So
    /// status and end are the tenant's own: `failed` when one of its tables failed,
    /// `running` while the run goes on, else `done`; the end is its last table's.
    static func runJSON(_ run: RunSummaryRow, tenantTables tables: [RunTableRecord]) -> JSONValue {
        let status: RunStatus
        if tables.contains(where: { $0.status == .failed }) {
            status = .failed
        } else if run.status == .running || tables.contains(where: { $0.status == .running || $0.status == .pending }) {
            status = .running
        } else {
            status = .done
        }
        let finished = status == .running ? nil : tables.compactMap(\.finishedAt).max() ?? run.finishedAt
        return .object(["id": .number(JSONNumber(run.id)), "status": .string(status.rawValue), "started_at": .string(run.startedAt),
                        "finished_at": finished.map(JSONValue.string) ?? .null, "tables": .array(tables.map(tableJSON))])
    }

    static func tableJSON(_ table: RunTableRecord) -> JSONValue {
        .object(["service": .string(table.service), "table": .string(table.table), "status": .string(table.status.rawValue),
                 "records": .number(JSONNumber(table.records)), "pages": .number(JSONNumber(table.pages)),
                 "requests": .number(JSONNumber(table.requests)), "retries": .number(JSONNumber(table.retries)),
                 "throttles": .number(JSONNumber(table.throttles)), "error": table.error.map(JSONValue.string) ?? .null,
                 "started_at": .string(table.startedAt), "finished_at": table.finishedAt.map(JSONValue.string) ?? .null])
    }
}
