import Foundation

/// Operations endpoints: `GET /metrics` (Prometheus text; a client on loopback, the
/// operator's scraper, sees every tenant; an admin token only its own tenant's series)
/// and `GET /health/detailed` (admin: databases, plugins, last run per service of the
/// caller's tenant).
public enum OperationsRoutes {
    /// Adds the operations routes.
    public static func register(on router: inout Router, context: APIContext, control: ControlWorker, pluginCount: Int) {
        router.get("/metrics", handler: { request in
            // A scraper on loopback is the operator's and sees every tenant; a token is a
            // tenant's admin, who sees that tenant's series only.
            let loopback = request.remoteAddress?.isLoopback ?? false
            var tenant: String?
            if !loopback {
                let principal = try await context.authenticate(request)
                guard principal.role == .admin else {
                    throw HTTPError(.forbidden, code: "forbidden", message: "This action needs the admin role.")
                }
                tenant = principal.tenantID
            }
            return HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
                                body: Array(MetricsRegistry.shared.render(onlyTenant: tenant).utf8))
        })
        router.get("/health/detailed", handler: context.protected(.admin) { request, principal in
            _ = try QueryParameters(request, allowed: [])
            let tenant = try TenantID(principal.tenantID)
            let warehouse = try context.layout.warehouse(principal.tenantID)
            let (schema, last) = try await context.readControl(control) { store in
                (try store.schemaVersion, try store.recentRuns(limit: 1, tenant: tenant).first.map { try store.runTables($0.id, tenant: tenant) } ?? [])
            }
            var perService: [String: RunTableRecord] = [:]
            for table in last where perService[table.service] == nil || table.status == .failed { perService[table.service] = table }
            return .json(.object([
                "status": "ok", "version": .string(AvesaVersion.current),
                "databases": .object(["control": .object(["ok": true, "schema_version": .number(JSONNumber(Int64(schema)))]),
                                      "warehouse": .object(["ok": .bool(FileManager.default.fileExists(atPath: warehouse))])]),
                "plugins_loaded": .number(JSONNumber(Int64(pluginCount))),
                "last_run": .object(JSONObject(perService.keys.sorted().map { service in
                    let table = perService[service]!
                    return JSONMember(key: service, value: .object(["status": .string(table.status.rawValue),
                                                                    "finished_at": table.finishedAt.map(JSONValue.string) ?? .null,
                                                                    "error": table.error.map(JSONValue.string) ?? .null]))
                })),
            ]))
        })
    }
}
