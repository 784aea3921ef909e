import Foundation

/// Salesforce: OAuth2 client credentials at `/services/oauth2/token` and the REST query
/// API at `/services/data/vNN.0/query?q=SOQL` and `…/queryAll?q=SOQL` (see `SOQL`).
///
/// - Token: form POST (client id/secret in the body or Basic); answers `access_token`,
///   `instance_url` (this simulator), `id`, `token_type`, `issued_at`, `signature`; no
///   `expires_in` (sessions end server-side after `SimulatorOptions.tokenLifetime`).
///   Unknown client → 400 `invalid_client_id`, wrong secret → 400 `invalid_client`.
/// - Query: records with `attributes {type, url}`, batch size from
///   `Sforce-Query-Options: batchSize=N` (200–2000, default 2000), `nextRecordsUrl`
///   `/services/data/vNN.0/query/<cursorId>-<offset>` until `done: true`;
///   `SELECT COUNT() FROM X` → `totalSize`.
/// - Every API response carries `Sforce-Limit-Info: api-usage=used/limit`; past the
///   daily limit → 403 `REQUEST_LIMIT_EXCEEDED`. Bad or expired token → 401
///   `[{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"}]`.
/// - `queryAll` also returns deleted records (`IsDeleted: true`; `User` has no such field,
///   so selecting it there is `INVALID_FIELD`, as in a real org);
///   `sobjects/<Object>/deleted?start=&end=` lists deletions in a window.
/// - Throttling (injected): 503 `SERVER_UNAVAILABLE` with `Retry-After`.
public struct SalesforceSimulator: SimulatedService {
    public let name = "salesforce"

    public init() {}

    public var tableSpecs: [SimTableSpec] {
        [SimTableSpec("Account", 50), SimTableSpec("Contact", 150), SimTableSpec("Case", 500), SimTableSpec("CaseComment", 600),
         SimTableSpec("Opportunity", 60), SimTableSpec("OpportunityLineItem", 120), SimTableSpec("Lead", 80), SimTableSpec("User", 20),
         SimTableSpec("Task", 300), SimTableSpec("Event", 100), SimTableSpec("Contract", 30), SimTableSpec("Product2", 40),
         SimTableSpec("Pricebook2", 3, fixed: true), SimTableSpec("Asset", 100)]
    }

    public func makeSecrets(index: Int, random: inout SimRandom) -> [String: String] {
        ["client_id": "3MVG9" + random.hex(40), "client_secret": random.hex(32).uppercased(), "org_id": "00D5g00000" + String(index).leftPadded(5) + "AAA"]
    }

    public func credentialValues(secrets: [String: String], baseURL: String) -> [String: String] {
        ["login_url": baseURL, "client_id": secrets["client_id"]!, "client_secret": secrets["client_secret"]!, "api_version": "62.0"]
    }

    public func recordID(table: String, row: SimRow, instance: Int) -> String { SalesforceRecords.id(table, row.key, instance: instance) }

    static func errors(_ code: String, _ message: String) -> JSONValue { [["message": .string(message), "errorCode": .string(code)]] }

    public func throttleResponse(retryAfter: Double, instance: SimInstance) -> HTTPResponse {
        SimHTTP.json(Self.errors("SERVER_UNAVAILABLE", "Server is temporarily unavailable; retry later."), status: 503,
                     headers: [("Retry-After", SimHTTP.seconds(retryAfter))])
    }

    public func serverErrorResponse(status: Int) -> HTTPResponse {
        SimHTTP.json(Self.errors("UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you contact support: 1234567-89 (-1)"),
                     status: status)
    }

    public func register(on router: inout Router, simulator: Simulator) {
        router.post("/services/oauth2/token") { [unowned simulator] request in token(request, simulator: simulator) }
        router.get("/services/data/:version/query") { [unowned simulator] request in
            await query(request, simulator: simulator, locator: nil)
        }
        router.get("/services/data/:version/queryAll") { [unowned simulator] request in
            await query(request, simulator: simulator, locator: nil, includeDeleted: true)
        }
        router.get("/services/data/:version/queryAll/:locator") { [unowned simulator] request in
            await query(request, simulator: simulator, locator: request.pathParameter("locator"), includeDeleted: true)
        }
        router.get("/services/data/:version/sobjects/:object/deleted") { [unowned simulator] request in
            await deleted(request, simulator: simulator)
        }
        router.get("/services/data/:version/query/:locator") { [unowned simulator] request in
            await query(request, simulator: simulator, locator: request.pathParameter("locator"))
        }
    }

    func token(_ request: HTTPRequest, simulator: Simulator) -> HTTPResponse {
        let form = SimHTTP.form(request)
        var clientID = form["client_id"], secret = form["client_secret"]
        if let basic = SimHTTP.basicCredentials(request) {
            clientID = URLQuery.decode(Substring(basic.user)) ?? basic.user
            secret = URLQuery.decode(Substring(basic.password)) ?? basic.password
        }
        guard form["grant_type"] == "client_credentials" else {
            return SimHTTP.json(["error": "unsupported_grant_type", "error_description": "grant type not supported"], status: 400)
        }
        guard let index = simulator.instanceIndex(where: { $0["client_id"] == clientID }) else {
            simulator.countUnauthorized(route: "token")
            return SimHTTP.json(["error": "invalid_client_id", "error_description": "client identifier invalid"], status: 400)
        }
        let secrets = simulator.withInstance(index) { $0.secrets }
        guard secrets["client_secret"] == secret else {
            simulator.countUnauthorized(route: "token")
            return SimHTTP.json(["error": "invalid_client", "error_description": "invalid client credentials"], status: 400)
        }
        simulator.count(instance: index, route: "POST token")
        let orgID = secrets["org_id"]!
        let token = simulator.issueToken(instance: index, prefix: orgID + "!AQ")
        let issuedAt = String(Int64(Date().timeIntervalSince1970 * 1000))
        let base = simulator.baseURL
        return SimHTTP.json(["access_token": .string(token), "signature": .string(Base64.encode(Array((token + issuedAt).utf8.suffix(32)))),
                             "scope": "api", "instance_url": .string(base), "id": .string("\(base)/id/\(orgID)/0055g00000AbCdEAAZ"),
                             "token_type": "Bearer", "issued_at": .string(issuedAt)])
    }

    /// The instance of the request's session, or the 401.
    func session(_ request: HTTPRequest, simulator: Simulator) -> Result<Int, SimResponseError> {
        guard let token = SimHTTP.bearerToken(request), let index = simulator.instance(forToken: token) else {
            simulator.countUnauthorized(route: "api")
            return .failure(SimResponseError(SimHTTP.json(Self.errors("INVALID_SESSION_ID", "Session expired or invalid"), status: 401)))
        }
        return .success(index)
    }

    /// Counts an API call against the daily limit: the usage header, or the 403 past the limit.
    static func spend(_ instance: inout SimInstance, limit: Int) throws(SimResponseError) -> [(String, String)] {
        instance.apiUsage += 1
        let usage = [("Sforce-Limit-Info", "api-usage=\(instance.apiUsage)/\(limit)")]
        guard instance.apiUsage <= limit else {
            throw SimResponseError(SimHTTP.json(errors("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."), status: 403, headers: usage))
        }
        return usage
    }

    /// `GET …/sobjects/<Object>/deleted?start=…&end=…`: ids and deletion times of
    /// records deleted in the window (the tombstones of `advance`).
    func deleted(_ request: HTTPRequest, simulator: Simulator) async -> HTTPResponse {
        let index: Int
        switch session(request, simulator: simulator) {
        case .success(let i): index = i
        case .failure(let refusal): return refusal.response
        }
        let object = request.pathParameter("object") ?? ""
        let limit = simulator.options.dailyRequestLimit
        return await simulator.serve(instance: index, route: "GET \(object)/deleted") { instance throws(SimResponseError) in
            let usage = try Self.spend(&instance, limit: limit)
            guard let table = instance.dataset[object] else {
                throw SimResponseError(SimHTTP.json(Self.errors("NOT_FOUND", "The requested resource does not exist"), status: 404, headers: usage))
            }
            guard let start = request.queryParameter("start").flatMap(SimTime.parse), let end = request.queryParameter("end").flatMap(SimTime.parse),
                  start <= end else {
                throw SimResponseError(SimHTTP.json(Self.errors("INVALID_REPLICATION_DATE", "start and end must be valid dateTimes, start before end"),
                                                    status: 400, headers: usage))
            }
            let rows = table.tombstones.filter { $0.changedAt >= start && $0.changedAt <= end }
            let body: JSONValue = [
                "deletedRecords": .array(rows.map { ["id": .string(SalesforceRecords.id(object, $0.key, instance: instance.index)),
                                                     "deletedDate": .string(SimTime.salesforce($0.changedAt))] }),
                "earliestDateAvailable": .string(SimTime.salesforce(SimDataset.historyStart)),
                "latestDateCovered": .string(SimTime.salesforce(min(end, instance.dataset.clock))),
            ]
            return (SimHTTP.json(body, headers: usage), "\(object)/deleted", rows.count)
        }
    }

    func query(_ request: HTTPRequest, simulator: Simulator, locator: String?, includeDeleted: Bool = false) async -> HTTPResponse {
        let index: Int
        switch session(request, simulator: simulator) {
        case .success(let i): index = i
        case .failure(let refusal): return refusal.response
        }
        let version = request.pathParameter("version") ?? "v62.0"
        let limit = simulator.options.dailyRequestLimit
        let batchSize = Self.batchSize(request.headers["Sforce-Query-Options"])
        let resource = includeDeleted ? "queryAll" : "query"
        return await simulator.serve(instance: index, route: locator == nil ? "GET \(resource)" : "GET \(resource)/more") { instance throws(SimResponseError) in
            let usage = try Self.spend(&instance, limit: limit)
            func fail(_ code: String, _ message: String, _ status: Int = 400) -> SimResponseError {
                SimResponseError(SimHTTP.json(Self.errors(code, message), status: status, headers: usage))
            }
            var cursor: SimCursor
            var offset = 0
            var cursorID: String
            if let locator {
                guard let dash = locator.lastIndex(of: "-"), let at = Int(locator[locator.index(after: dash)...]),
                      let stored = instance.cursors[String(locator[..<dash])] else {
                    throw fail("INVALID_QUERY_LOCATOR", "invalid query locator")
                }
                cursor = stored
                offset = at
                cursorID = String(locator[..<dash])
            } else {
                guard let text = request.queryParameter("q"), !text.isEmpty else { throw fail("MALFORMED_QUERY", "A query string has to be specified") }
                let soql: SOQL
                switch SOQL.parse(text) {
                case .success(let parsed): soql = parsed
                case .failure(let failure): throw fail("MALFORMED_QUERY", failure.message)
                }
                guard let table = instance.dataset[soql.object] else {
                    throw fail("INVALID_TYPE", "\n\(text)\n^\nERROR at Row:1:Column:1\nsObject type '\(soql.object)' is not supported.")
                }
                var keys = soql.query.select(table, includeDeleted: includeDeleted).map(\.key)
                if let max = soql.limit { keys = Array(keys.prefix(max)) }
                if soql.isCount {
                    return (SimHTTP.json(["totalSize": SimHTTP.number(keys.count), "done": true, "records": []], headers: usage), nil, 0)
                }
                let sample = table.rows.first.map { SalesforceRecords.render(soql.object, $0, SalesforceRecords.Context(dataset: instance.dataset, instance: instance.index, version: version)) } ?? []
                var canonical: [String] = []
                for field in soql.fields {
                    guard let name = sample.first(where: { $0.0.lowercased() == field.lowercased() && $0.0 != "attributes" })?.0 else {
                        throw fail("INVALID_FIELD", "\n\(text)\n^\nERROR at Row:1:Column:8\nNo such column '\(field)' on entity '\(soql.object)'.")
                    }
                    canonical.append(name)
                }
                cursor = SimCursor(table: soql.object, keys: keys, fields: canonical, batchSize: batchSize)
                cursorID = ""
            }
            let end = min(cursor.keys.count, offset + cursor.batchSize)
            let context = SalesforceRecords.Context(dataset: instance.dataset, instance: instance.index, version: version)
            let table = instance.dataset[cursor.table]!
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("totalSize"); writer.int(Int64(cursor.keys.count))
            writer.key("done"); writer.bool(end >= cursor.keys.count)
            if end < cursor.keys.count {
                if cursorID.isEmpty { cursorID = instance.store(cursor) }
                writer.key("nextRecordsUrl"); writer.string("/services/data/\(version)/\(resource)/\(cursorID)-\(end)")
            }
            writer.key("records")
            writer.beginArray()
            var served = 0
            for key in cursor.keys[min(offset, end)..<end] {
                guard let row = table.row(key: key) else { continue }
                let all = SalesforceRecords.render(cursor.table, row, context)
                writer.beginObject()
                writer.key("attributes"); writer.value(all[0].1)
                for field in cursor.fields {
                    writer.key(field)
                    writer.value(all.first { $0.0 == field }?.1 ?? .null)
                }
                writer.endObject()
                served += 1
            }
            writer.endArray()
            writer.endObject()
            return (SimHTTP.json(writer.takeBytes(), headers: usage), cursor.table, served)
        }
    }

    /// `batchSize=N` of `Sforce-Query-Options`, clamped to 200…2000 (default 2000).
    static func batchSize(_ header: String?) -> Int {
        guard let header, let range = header.range(of: "batchSize=") else { return 2000 }
        let digits = header[range.upperBound...].prefix { $0.isNumber }
        return min(2000, max(200, Int(digits) ?? 2000))
    }
}
