import Foundation

/// ServiceNow Table API (`/api/now/table/<table>`) and Aggregate API
/// (`/api/now/stats/<table>?sysparm_count=true`) for the ServiceNow plugin's tables.
///
/// - Auth: Basic; otherwise 401 `{"error":{"message","detail"},"status":"failure"}`.
/// - Paging: `sysparm_limit` (default 10000) / `sysparm_offset`, `X-Total-Count` and a
///   `Link` header with first/prev/next/last (prev/next only when they exist; no Link
///   header when one page holds everything).
/// - `sysparm_query` (see `ServiceNowQuery`), `sysparm_fields`, `sysparm_exclude_reference_link`.
/// - Rate limits: with `SimulatorOptions.hourlyRequestLimit`, every matched request carries
///   `X-RateLimit-Limit`, `X-RateLimit-Reset` (UNIX time) and `X-RateLimit-Rule`, and
///   requests past the limit get 429 with `Retry-After`. There is no Remaining header.
public struct ServiceNowSimulator: SimulatedService {
    public let name = "servicenow"
    /// sys_id of the simulated rate-limit rule.
    static let ruleID = "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5"

    public init() {}

    public var tableSpecs: [SimTableSpec] {
        [SimTableSpec("core_company", 50), SimTableSpec("customer_contact", 150), SimTableSpec("incident", 500),
         SimTableSpec("task_time_worked", 1500), SimTableSpec("problem", 40), SimTableSpec("change_request", 60),
         SimTableSpec("sc_request", 60), SimTableSpec("sc_req_item", 90), SimTableSpec("time_card", 120),
         SimTableSpec("sys_user", 180), SimTableSpec("sys_user_group", 8), SimTableSpec("customer_account", 50),
         SimTableSpec("cmdb_ci", 200), SimTableSpec("kb_knowledge", 40)]
    }

    public func makeSecrets(index: Int, random: inout SimRandom) -> [String: String] {
        ["username": "avesa.integration\(index + 1)", "password": random.hex(20)]
    }

    public func credentialValues(secrets: [String: String], baseURL: String) -> [String: String] {
        secrets.merging(["instance_url": baseURL]) { $1 }
    }

    public func recordID(table: String, row: SimRow, instance: Int) -> String { ServiceNowRecords.sysID(row) }

    static func error(_ message: String, _ detail: String?) -> JSONValue {
        ["error": ["message": .string(message), "detail": detail.map(JSONValue.string) ?? .null], "status": "failure"]
    }

    /// The rate-limit headers of a matched request.
    static func rateHeaders(limit: Int, reset: Int64) -> [(String, String)] {
        [("X-RateLimit-Limit", String(limit)), ("X-RateLimit-Reset", String(reset)), ("X-RateLimit-Rule", ruleID)]
    }

    public func throttleResponse(retryAfter: Double, instance: SimInstance) -> HTTPResponse {
        let seconds = max(1, Int(retryAfter.rounded(.up)))
        return SimHTTP.json(Self.error("User Exceeded rate limit", "Rate limit of requests per hour exceeded; retry after \(seconds) seconds"),
                            status: 429, headers: [("Retry-After", String(seconds))]
                                + Self.rateHeaders(limit: 1000, reset: SimTime.now() + Int64(seconds)))
    }

    public func serverErrorResponse(status: Int) -> HTTPResponse {
        SimHTTP.json(Self.error("Internal Server Error", "The server encountered an error"), status: status)
    }

    public func register(on router: inout Router, simulator: Simulator) {
        router.get("/api/now/table/:table") { [unowned simulator] request in
            await handle(request, simulator: simulator, stats: false)
        }
        router.get("/api/now/table/:table/:sys_id") { [unowned simulator] request in
            await record(request, simulator: simulator)
        }
        router.get("/api/now/stats/:table") { [unowned simulator] request in
            await handle(request, simulator: simulator, stats: true)
        }
    }

    func authenticate(_ request: HTTPRequest, simulator: Simulator) -> Result<Int, SimResponseError> {
        guard let (user, password) = SimHTTP.basicCredentials(request) else {
            simulator.countUnauthorized(route: "auth")
            return .failure(SimResponseError(SimHTTP.json(Self.error("User Not Authenticated", "Required to provide Auth information"), status: 401)))
        }
        guard let index = simulator.instanceIndex(where: { $0["username"] == user && $0["password"] == password }) else {
            simulator.countUnauthorized(route: "auth")
            return .failure(SimResponseError(SimHTTP.json(Self.error("User is not authenticated", "Required to provide Auth information"), status: 401)))
        }
        return .success(index)
    }

    /// `GET /api/now/table/<table>/<sys_id>`: one record as `{"result": {…}}` (the target of reference links).
    func record(_ request: HTTPRequest, simulator: Simulator) async -> HTTPResponse {
        let index: Int
        switch authenticate(request, simulator: simulator) {
        case .success(let i): index = i
        case .failure(let refusal): return refusal.response
        }
        let table = request.pathParameter("table") ?? "", id = request.pathParameter("sys_id") ?? ""
        let baseURL = simulator.baseURL
        return await simulator.serve(instance: index, route: "GET \(table)/record") { instance throws(SimResponseError) in
            guard let data = instance.dataset[table] else {
                throw SimResponseError(SimHTTP.json(Self.error("Invalid table \(table)", nil), status: 400))
            }
            guard let row = data.live.first(where: { ServiceNowRecords.sysID($0) == id }) else {
                throw SimResponseError(SimHTTP.json(Self.error("No Record found", "Record doesn't exist or ACL restricts the record retrieval"), status: 404))
            }
            let context = ServiceNowRecords.Context(dataset: instance.dataset, baseURL: baseURL, excludeLinks: false)
            return (SimHTTP.json(["result": ServiceNowRecords.render(table, row, context)]), table, 1)
        }
    }

    func handle(_ request: HTTPRequest, simulator: Simulator, stats: Bool) async -> HTTPResponse {
        let index: Int
        switch authenticate(request, simulator: simulator) {
        case .success(let i): index = i
        case .failure(let refusal): return refusal.response
        }
        let table = request.pathParameter("table") ?? ""
        let baseURL = simulator.baseURL
        let hourly = simulator.options.hourlyRequestLimit
        let hiddenEvery = simulator.options.serviceNowHiddenEvery
        return await simulator.serve(instance: index, route: stats ? "GET stats/\(table)" : "GET \(table)") { instance throws(SimResponseError) in
            var rateHeaders: [(String, String)] = []
            if let hourly {
                let now = SimTime.now()
                if now >= instance.windowStart + 3600 {
                    instance.windowStart = now - now % 3600
                    instance.windowRequests = 0
                }
                instance.windowRequests += 1
                let reset = instance.windowStart + 3600
                rateHeaders = Self.rateHeaders(limit: hourly, reset: reset)
                if instance.windowRequests > hourly {
                    throw SimResponseError(SimHTTP.json(Self.error("User Exceeded rate limit", "Rate limit of \(hourly) requests per hour exceeded"),
                                                        status: 429, headers: [("Retry-After", String(reset - now))] + rateHeaders))
                }
            }
            guard let data = instance.dataset[table] else {
                throw SimResponseError(SimHTTP.json(Self.error("Invalid table \(table)", nil), status: 400, headers: rateHeaders))
            }
            let query: ServiceNowQuery
            switch ServiceNowQuery.parse(request.queryParameter("sysparm_query")) {
            case .success(let q): query = q
            case .failure(let failure):
                throw SimResponseError(SimHTTP.json(Self.error(failure.message, nil), status: 400, headers: rateHeaders))
            }
            let rows = query.select(data, instance: &instance)
            if stats {
                return (SimHTTP.json(["result": ["stats": ["count": .string(String(rows.count))]]], headers: rateHeaders), nil, 0)
            }
            let limit = max(1, Int(request.queryParameter("sysparm_limit") ?? "") ?? 10_000)
            let offset = max(0, Int(request.queryParameter("sysparm_offset") ?? "") ?? 0)
            let first = rows.startIndex + offset
            var slice = offset < rows.count ? rows[first..<min(rows.endIndex, first + limit)].map { data.rows[Int($0)] } : []
            // Rows an access rule hides are filtered out of the page after paging.
            if let hiddenEvery { slice.removeAll { Int($0.key) % hiddenEvery == 0 } }
            let fields = request.queryParameter("sysparm_fields").map { Set($0.split(separator: ",").map { String($0).simTrimmingSpaces() }) }
            let context = ServiceNowRecords.Context(dataset: instance.dataset, baseURL: baseURL,
                                                    excludeLinks: request.queryParameter("sysparm_exclude_reference_link") == "true")
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("result")
            writer.beginArray()
            for row in slice {
                var record = ServiceNowRecords.render(table, row, context)
                if let fields, case .object(let object) = record {
                    record = .object(JSONObject(object.members.filter { fields.contains($0.key) }))
                }
                writer.value(record)
            }
            writer.endArray()
            writer.endObject()
            func link(_ at: Int, _ rel: String) -> String {
                let parameters = SimHTTP.parameters(request, replacing: [("sysparm_limit", String(limit)), ("sysparm_offset", String(at))])
                return "<\(baseURL)/api/now/table/\(table)?\(SimHTTP.query(parameters))>;rel=\"\(rel)\""
            }
            let lastOffset = rows.isEmpty ? 0 : ((rows.count - 1) / limit) * limit
            var links = [link(0, "first")]
            if offset > 0 { links.append(link(max(0, offset - limit), "prev")) }
            if offset + limit < rows.count { links.append(link(offset + limit, "next")) }
            links.append(link(lastOffset, "last"))
            // As ServiceNow: no Link header at all when everything fits on one page.
            let linkHeader = lastOffset > 0 ? [("Link", links.joined(separator: ","))] : []
            return (SimHTTP.json(writer.takeBytes(), headers: [("X-Total-Count", String(rows.count))] + linkHeader + rateHeaders),
                    table, slice.count)
        }
    }
}
