import Foundation

/// Microsoft Graph v1.0 with the Microsoft identity platform's token endpoint.
///
/// - Token: `POST /{tenant}/oauth2/v2.0/token` (client credentials, `scope` ending in
///   `/.default`); errors are AADSTS bodies `{error, error_description, error_codes,
///   timestamp, trace_id, correlation_id}`; `expires_in` = `SimulatorOptions.tokenLifetime`.
/// - Collections: `/v1.0/<collection>` with `$top` (default 100, max 999), `$select`, and
///   an absolute `@odata.nextLink` carrying an opaque `$skiptoken`. Resources that support
///   no query option but `$select` (organization, domains, subscribedSkus, directoryRoles,
///   healthOverviews) answer `$top` with 400 `Request_UnsupportedQuery`.
/// - Delta queries ignore `$top`; their page size is `Prefer: odata.maxpagesize=N`
///   (answered with `Preference-Applied`).
/// - Delta: `/v1.0/users/delta`, `/v1.0/groups/delta`: pages by `@odata.nextLink`, the last
///   page has `@odata.deltaLink` whose `$deltatoken` encodes the snapshot time; using it
///   later returns only what changed since, deletions as `{"id", "@removed": {"reason":
///   "deleted"}}`. Unknown tokens and tokens older than `deltaTokenLifetime` (7 days by
///   default, as for identity resources) → 410 Gone with code `syncStateNotFound`.
/// - 401 `InvalidAuthenticationToken`; throttling 429 `TooManyRequests` with a
///   (possibly fractional) `Retry-After`.
public struct GraphSimulator: SimulatedService {
    public let name = "m365"
    static let deltaCollections: Set<String> = ["users", "groups"]
    /// Resources whose list supports no OData query option but `$select`.
    static let selectOnlyCollections: Set<String> = ["organization", "domains", "subscribedSkus", "directoryRoles",
                                                     "admin/serviceAnnouncement/healthOverviews"]

    public init() {}

    public var tableSpecs: [SimTableSpec] {
        [SimTableSpec("organization", 1, fixed: true), SimTableSpec("users", 150), SimTableSpec("groups", 20),
         SimTableSpec("devices", 60), SimTableSpec("domains", 2, fixed: true), SimTableSpec("subscribedSkus", 4, fixed: true),
         SimTableSpec("directoryRoles", 8, fixed: true), SimTableSpec("applications", 15), SimTableSpec("servicePrincipals", 40),
         SimTableSpec("deviceManagement/managedDevices", 80), SimTableSpec("security/alerts_v2", 500),
         SimTableSpec("admin/serviceAnnouncement/healthOverviews", 12, fixed: true)]
    }

    static func domain(_ instance: Int) -> String { "tenant\(instance + 1).onmicrosoft.example" }

    public func makeSecrets(index: Int, random: inout SimRandom) -> [String: String] {
        ["directory_tenant_id": random.guid(), "client_id": random.guid(), "client_secret": "sim~" + random.hex(36)]
    }

    public func credentialValues(secrets: [String: String], baseURL: String) -> [String: String] {
        secrets.merging(["authority_url": baseURL, "graph_url": baseURL, "scope": "\(baseURL)/.default"]) { $1 }
    }

    public func recordID(table: String, row: SimRow, instance: Int) -> String {
        switch table {
        case "security/alerts_v2":
            var s = row.stable
            return "da" + s.hex(16)
        case "domains":
            return row.key == 1 ? Self.domain(instance) : "sub\(row.key).\(Self.domain(instance))"
        default:
            return GraphRecords.id(row)
        }
    }

    static func graphError(_ code: String, _ message: String) -> JSONValue {
        ["error": ["code": .string(code), "message": .string(message),
                   "innerError": ["date": .string(SimTime.iso(SimTime.now())), "request-id": "00000000-0000-0000-0000-000000000000",
                                  "client-request-id": "00000000-0000-0000-0000-000000000000"]]]
    }

    public func throttleResponse(retryAfter: Double, instance: SimInstance) -> HTTPResponse {
        SimHTTP.json(Self.graphError("TooManyRequests", "Too many requests. Please try again later."), status: 429,
                     headers: [("Retry-After", SimHTTP.seconds(retryAfter))])
    }

    public func serverErrorResponse(status: Int) -> HTTPResponse {
        SimHTTP.json(Self.graphError(status == 503 ? "serviceNotAvailable" : "generalException", "The service encountered an error."), status: status)
    }

    public func register(on router: inout Router, simulator: Simulator) {
        router.post("/:tenant/oauth2/v2.0/token") { [unowned simulator] request in token(request, simulator: simulator) }
        router.get("/v1.0/*path") { [unowned simulator] request in await api(request, simulator: simulator) }
    }

    static func aadError(_ status: Int, _ error: String, _ code: Int, _ description: String) -> HTTPResponse {
        SimHTTP.json(["error": .string(error), "error_description": .string("AADSTS\(code): \(description)"),
                      "error_codes": [SimHTTP.number(code)], "timestamp": .string(SimTime.sql(SimTime.now()) + "Z"),
                      "trace_id": "11111111-1111-1111-1111-111111111111", "correlation_id": "22222222-2222-2222-2222-222222222222",
                      "error_uri": .string("https://login.microsoftonline.com/error?code=\(code)")], status: status)
    }

    func token(_ request: HTTPRequest, simulator: Simulator) -> HTTPResponse {
        let tenant = request.pathParameter("tenant") ?? ""
        let form = SimHTTP.form(request)
        guard let index = simulator.instanceIndex(where: { $0["directory_tenant_id"] == tenant }) else {
            simulator.countUnauthorized(route: "token")
            return Self.aadError(400, "invalid_request", 90002, "Tenant '\(tenant)' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.")
        }
        guard form["grant_type"] == "client_credentials" else {
            return Self.aadError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '\(form["grant_type"] ?? "")'.")
        }
        let secrets = simulator.withInstance(index) { $0.secrets }
        guard form["client_id"] == secrets["client_id"] else {
            simulator.countUnauthorized(route: "token")
            return Self.aadError(400, "unauthorized_client", 700016, "Application with identifier '\(form["client_id"] ?? "")' was not found in the directory '\(tenant)'.")
        }
        guard form["client_secret"] == secrets["client_secret"] else {
            simulator.countUnauthorized(route: "token")
            return Self.aadError(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '\(form["client_id"] ?? "")'.")
        }
        guard let scope = form["scope"], scope.hasSuffix("/.default") else {
            return Self.aadError(400, "invalid_scope", 1002012, "The provided value for scope \(form["scope"] ?? "") is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")
        }
        simulator.count(instance: index, route: "POST token")
        let lifetime = Int(simulator.options.tokenLifetime)
        let token = simulator.issueToken(instance: index, prefix: "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.")
        return SimHTTP.json(["token_type": "Bearer", "expires_in": SimHTTP.number(lifetime), "ext_expires_in": SimHTTP.number(lifetime),
                             "access_token": .string(token)])
    }

    /// The state a `$skiptoken` or `$deltatoken` carries.
    struct PageToken: Equatable {
        var instance: Int
        /// Changes after this time (delta rounds; -1 for an initial round or a plain collection).
        var since: Int64
        /// Changes up to this time (the round's snapshot).
        var snapshot: Int64
        var offset: Int
        /// When a delta link was issued (for expiry).
        var issued: Int64

        var encoded: String { Base64.encodeURL(Array("v1|\(instance)|\(since)|\(snapshot)|\(offset)|\(issued)".utf8)) }

        init(instance: Int, since: Int64, snapshot: Int64, offset: Int, issued: Int64) {
            self.instance = instance
            self.since = since
            self.snapshot = snapshot
            self.offset = offset
            self.issued = issued
        }

        init?(_ text: String) {
            guard let bytes = Base64.decodeURL(text), let plain = String(validating: bytes, as: UTF8.self) else { return nil }
            let parts = plain.split(separator: "|").map(String.init)
            guard parts.count == 6, parts[0] == "v1", let instance = Int(parts[1]), let since = Int64(parts[2]),
                  let snapshot = Int64(parts[3]), let offset = Int(parts[4]), let issued = Int64(parts[5]) else { return nil }
            self.init(instance: instance, since: since, snapshot: snapshot, offset: offset, issued: issued)
        }
    }

    func api(_ request: HTTPRequest, simulator: Simulator) async -> HTTPResponse {
        guard let bearer = SimHTTP.bearerToken(request), !bearer.isEmpty else {
            simulator.countUnauthorized(route: "api")
            return SimHTTP.json(Self.graphError("InvalidAuthenticationToken", "Access token is empty."), status: 401)
        }
        guard let index = simulator.instance(forToken: bearer) else {
            simulator.countUnauthorized(route: "api")
            return SimHTTP.json(Self.graphError("InvalidAuthenticationToken", "Lifetime validation failed, the token is expired."), status: 401)
        }
        var path = request.pathParameter("path") ?? ""
        let isDelta = path.hasSuffix("/delta")
        if isDelta { path = String(path.dropLast(6)) }
        let collection = path
        let baseURL = simulator.baseURL
        let tokenLifetime = Int64(simulator.options.deltaTokenLifetime)
        return await simulator.serve(instance: index, route: "GET \(collection)\(isDelta ? "/delta" : "")") { instance throws(SimResponseError) in
            guard let table = instance.dataset[collection], !isDelta || Self.deltaCollections.contains(collection) else {
                throw SimResponseError(SimHTTP.json(Self.graphError("Request_ResourceNotFound",
                                                                    "Resource '\(collection)' does not exist or one of its queried reference-property objects are not present."),
                                                    status: 404))
            }
            if request.queryParameter("$top") != nil, !isDelta, Self.selectOnlyCollections.contains(collection) {
                throw SimResponseError(SimHTTP.json(Self.graphError("Request_UnsupportedQuery", "Unsupported Query."), status: 400))
            }
            let preferred = Self.maxPageSize(request.headers["Prefer"])
            let top = min(999, max(1, (isDelta ? preferred : Int(request.queryParameter("$top") ?? "")) ?? 100))
            let select = request.queryParameter("$select").map { Set($0.split(separator: ",").map { String($0).simTrimmingSpaces() }).union(["id"]) }
            let now = SimTime.now()
            var state: PageToken
            if let skip = request.queryParameter("$skiptoken") {
                guard let decoded = PageToken(skip), decoded.instance == instance.index else {
                    throw SimResponseError(SimHTTP.json(Self.graphError("BadRequest", "Invalid $skiptoken."), status: 400))
                }
                state = decoded
            } else if let delta = request.queryParameter("$deltatoken") {
                guard isDelta, let decoded = PageToken(delta), decoded.instance == instance.index, decoded.offset == 0 else {
                    throw SimResponseError(SimHTTP.json(Self.graphError("syncStateNotFound", "The sync state generation is not found. Restart the sync from the beginning."),
                                                        status: 410))
                }
                guard now - decoded.issued <= tokenLifetime else {
                    throw SimResponseError(SimHTTP.json(Self.graphError("syncStateNotFound", "The sync state generation is not found. The delta token is expired and data must be synchronized again."),
                                                        status: 410))
                }
                state = PageToken(instance: instance.index, since: decoded.snapshot, snapshot: instance.dataset.clock, offset: 0, issued: now)
            } else {
                state = PageToken(instance: instance.index, since: -1, snapshot: instance.dataset.clock, offset: 0, issued: now)
            }
            let rows: [SimRow]
            if isDelta && state.since >= 0 {
                rows = table.rows.filter { $0.changedAt > state.since && $0.changedAt <= state.snapshot }
            } else {
                rows = table.rows.filter { !$0.deleted && (!isDelta || $0.changedAt <= state.snapshot) }
            }
            let end = min(rows.count, state.offset + top)
            let page = state.offset < end ? rows[state.offset..<end] : []
            let defaultSelect = collection == "users" ? GraphRecords.defaultUserProperties : nil
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("@odata.context")
            writer.string("\(baseURL)/v1.0/$metadata#\(collection)\(select == nil ? "" : "(\(select!.sorted().joined(separator: ",")))")")
            writer.key("value")
            writer.beginArray()
            for row in page {
                if row.deleted {
                    writer.value(["id": .string(recordID(table: collection, row: row, instance: instance.index)), "@removed": ["reason": "deleted"]])
                    continue
                }
                let all = GraphRecords.render(collection, row, domain: Self.domain(instance.index))
                if collection == "domains" {
                    writer.value(.object(all))
                    continue
                }
                let keep = select ?? defaultSelect
                writer.value(.object(keep.map { keys in JSONObject(all.members.filter { keys.contains($0.key) }) } ?? all))
            }
            writer.endArray()
            var link = [(String, String)]()
            if let selectText = request.queryParameter("$select") { link.append(("$select", selectText)) }
            if request.queryParameter("$top") != nil, !isDelta { link.append(("$top", String(top))) }
            let root = "\(baseURL)/v1.0/\(collection)\(isDelta ? "/delta" : "")"
            if end < rows.count {
                var next = state
                next.offset = end
                writer.key("@odata.nextLink")
                writer.string(root + "?" + SimHTTP.query(link + [("$skiptoken", next.encoded)]))
            } else if isDelta {
                let delta = PageToken(instance: instance.index, since: state.since, snapshot: state.snapshot, offset: 0, issued: now)
                writer.key("@odata.deltaLink")
                writer.string(root + "?" + SimHTTP.query(link.filter { $0.0 != "$top" } + [("$deltatoken", delta.encoded)]))
            }
            writer.endObject()
            let applied = isDelta && preferred != nil ? [("Preference-Applied", "odata.maxpagesize=\(top)")] : []
            return (SimHTTP.json(writer.takeBytes(), headers: applied), collection, page.count)
        }
    }

    /// N of a `Prefer: odata.maxpagesize=N` header (among other preferences), if any.
    static func maxPageSize(_ header: String?) -> Int? {
        guard let header else { return nil }
        for preference in header.split(separator: ",") {
            let parts = preference.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0].lowercased() == "odata.maxpagesize", let size = Int(parts[1]), size > 0 { return size }
        }
        return nil
    }
}
