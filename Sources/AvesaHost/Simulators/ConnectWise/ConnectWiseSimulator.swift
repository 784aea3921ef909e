/// ConnectWise Manage REST API at `/v4_6_release/apis/3.0/<endpoint>` for every endpoint
/// of the ConnectWise plugin.
///
/// - Auth: Basic `companyId+publicKey:privateKey`, else 401
///   `{"code":"Unauthorized","message":…,"errors":null}`; plus a registered `clientId`
///   header, else 400 naming the clientId (as ConnectWise answers unregistered clients).
/// - Paging: `page` (from 1) and `pageSize` (default 25, at most 1000), `Link` header with
///   `first`/`prev`/`next`/`last`; a page past the end is `[]`. With the header
///   `pagination-type: forward-only` (ConnectWise's forward-only paging for large sets), `page`
///   is ignored, `pageId` acts as one more condition `id > pageId`, and the `Link` header
///   holds only `next`, carrying the last id of the page as `pageId`.
/// - `conditions` (see `ConnectWiseConditions`), `orderBy`, and `…/count` → `{"count": N}`.
/// - Throttling: 429 with `Retry-After` and `{"code":"TooManyRequests",…}`.
public struct ConnectWiseSimulator: SimulatedService {
    public static let apiRoot = "/v4_6_release/apis/3.0"
    public let name = "connectwise"

    public init() {}

    public var tableSpecs: [SimTableSpec] {
        [SimTableSpec("company/companies", 50), SimTableSpec("company/contacts", 150), SimTableSpec("service/tickets", 500),
         SimTableSpec("time/entries", 1500), SimTableSpec("system/members", 20), SimTableSpec("project/projects", 20),
         SimTableSpec("project/tickets", 60), SimTableSpec("finance/agreements", 40), SimTableSpec("company/configurations", 120),
         SimTableSpec("sales/opportunities", 30), SimTableSpec("finance/invoices", 80), SimTableSpec("service/boards", 4, fixed: true),
         SimTableSpec("schedule/entries", 60), SimTableSpec("procurement/products", 40)]
    }

    public func makeSecrets(index: Int, random: inout SimRandom) -> [String: String] {
        ["company_id": "simco\(index + 1)", "public_key": random.hex(16), "private_key": random.hex(16), "client_id": random.guid()]
    }

    public func credentialValues(secrets: [String: String], baseURL: String) -> [String: String] {
        secrets.merging(["api_url": baseURL]) { $1 }
    }

    public func recordID(table: String, row: SimRow, instance: Int) -> String { String(row.key) }

    public func throttleResponse(retryAfter: Double, instance: SimInstance) -> HTTPResponse {
        SimHTTP.json(error("TooManyRequests", "Request rate limit exceeded. Please retry after \(SimHTTP.seconds(retryAfter)) seconds."),
                     status: 429, headers: [("Retry-After", SimHTTP.seconds(retryAfter))])
    }

    public func serverErrorResponse(status: Int) -> HTTPResponse {
        SimHTTP.json(error("InternalServerError", "An unexpected error occurred."), status: status)
    }

    func error(_ code: String, _ message: String, errors: JSONValue = .null) -> JSONValue {
        ["code": .string(code), "message": .string(message), "errors": errors]
    }

    public func register(on router: inout Router, simulator: Simulator) {
        router.get(Self.apiRoot + "/*path") { [unowned simulator] request in
            await handle(request, simulator: simulator)
        }
    }

    /// The instance whose Basic credentials and clientId the request carries, or the 401.
    func authenticate(_ request: HTTPRequest, simulator: Simulator) -> Result<Int, SimResponseError> {
        guard let (user, password) = SimHTTP.basicCredentials(request),
              let index = simulator.instanceIndex(where: { "\($0["company_id"]!)+\($0["public_key"]!)" == user && $0["private_key"] == password })
        else {
            simulator.countUnauthorized(route: "auth")
            return .failure(SimResponseError(SimHTTP.json(error("Unauthorized", "Authorization has been denied for this request."), status: 401)))
        }
        guard let clientID = request.headers["clientId"], simulator.instanceIndex(where: { $0["client_id"] == clientID }) != nil else {
            simulator.countUnauthorized(route: "auth")
            return .failure(SimResponseError(SimHTTP.json(error("InvalidClientId", "A valid clientId header is required. Register one at https://developer.connectwise.com/ClientID."),
                                                          status: 400)))
        }
        return .success(index)
    }

    func handle(_ request: HTTPRequest, simulator: Simulator) async -> HTTPResponse {
        let index: Int
        switch authenticate(request, simulator: simulator) {
        case .success(let i): index = i
        case .failure(let refusal): return refusal.response
        }
        var table = request.pathParameter("path") ?? ""
        let isCount = table.hasSuffix("/count")
        if isCount { table = String(table.dropLast(6)) }
        let baseURL = simulator.baseURL, pageCap = simulator.options.connectWisePageCap ?? 1000
        return await simulator.serve(instance: index, route: "GET \(table)\(isCount ? "/count" : "")") { instance throws(SimResponseError) in
            if instance.dataset[table] == nil, !isCount, let slash = table.lastIndex(of: "/"), let key = Int(table[table.index(after: slash)...]),
               let parent = instance.dataset[String(table[..<slash])] {
                // GET …/<endpoint>/<id>: one record.
                guard let row = parent.row(key: key), !row.deleted else {
                    throw SimResponseError(SimHTTP.json(error("NotFound", "Record with id \(key) was not found."), status: 404))
                }
                return (SimHTTP.json(ConnectWiseRecords.render(parent.name, row, instance.dataset)), parent.name, 1)
            }
            guard let data = instance.dataset[table] else {
                throw SimResponseError(SimHTTP.json(error("NotFound", "The requested resource '\(table)' was not found."), status: 404))
            }
            let query: SimQuery
            switch ConnectWiseConditions.parse(conditions: request.queryParameter("conditions"), orderBy: request.queryParameter("orderBy")) {
            case .success(let q): query = q
            case .failure(let failure):
                throw SimResponseError(SimHTTP.json(error("InvalidObject", "conditions is invalid", errors: [
                    ["code": "InvalidField", "message": .string(failure.message), "resource": .string(table), "field": "conditions"],
                ]), status: 400))
            }
            let rows = Self.rows(of: data, query: query, table: table, orderBy: request.queryParameter("orderBy"), instance: &instance)
            if isCount { return (SimHTTP.json(["count": SimHTTP.number(rows.count)]), nil, 0) }
            let pageSize = min(pageCap, 1000, max(1, Int(request.queryParameter("pageSize") ?? "") ?? 25))
            if request.headers["pagination-type"]?.lowercased() == "forward-only" {
                return Self.forwardOnlyPage(rows, of: data, table: table, pageSize: pageSize, request: request, baseURL: baseURL, dataset: instance.dataset)
            }
            let page = max(1, Int(request.queryParameter("page") ?? "") ?? 1)
            let start = (page - 1) * pageSize
            let first = rows.startIndex + start
            let slice = start < rows.count ? rows[first..<min(rows.endIndex, first + pageSize)].map { data.rows[Int($0)] } : []
            var writer = JSONWriter()
            writer.beginArray()
            for row in slice { writer.value(ConnectWiseRecords.render(table, row, instance.dataset)) }
            writer.endArray()
            let lastPage = max(1, (rows.count + pageSize - 1) / pageSize)
            func link(_ number: Int, _ rel: String) -> String {
                let parameters = SimHTTP.parameters(request, replacing: [("page", String(number)), ("pageSize", String(pageSize))])
                return "<\(baseURL)\(Self.apiRoot)/\(table)?\(SimHTTP.query(parameters))>; rel=\"\(rel)\""
            }
            var links: [String] = []
            if page > 1 { links += [link(1, "first"), link(min(page - 1, lastPage), "prev")] }
            if page < lastPage { links += [link(page + 1, "next"), link(lastPage, "last")] }
            return (SimHTTP.json(writer.takeBytes(), headers: links.isEmpty ? [] : [("Link", links.joined(separator: ", "))]),
                    table, slice.count)
        }
    }

    /// The rows `query` selects, in its order. Lower bounds on the id (`id > N`, keyset
    /// paging) are applied by bisection to the cached selection of the other conditions when
    /// rows come in id order, so each page of a large table costs what the first one does.
    private static func rows(of data: SimTable, query: SimQuery, table: String, orderBy: String?,
                             instance: inout SimInstance) -> ArraySlice<Int32> {
        var rest = query
        let lowerBounds = query.conditions.filter { $0.field == .key && ($0.op == .greater || $0.op == .greaterOrEqual) }
        let idOrder = query.order.isEmpty || (query.order.count == 1 && query.order[0].field == .key && !query.order[0].descending)
        guard idOrder, !lowerBounds.isEmpty else {
            return instance.selection(data, query: query, key: "\(table)?\(query.conditions)&\(orderBy ?? "")")[...]
        }
        rest.conditions.removeAll { lowerBounds.contains($0) }
        let rows = instance.selection(data, query: rest, key: "\(table)?\(rest.conditions)&\(orderBy ?? "")")
        let after = lowerBounds.map { $0.op == .greater ? $0.value : $0.value - 1 }.max() ?? Int64.min
        return rows[...].fromFirst { Int64(data.rows[Int($0)].key) > after }
    }

    /// One forward-only page: the first `pageSize` rows (in query order) whose id is above
    /// `pageId`, and a `next` link with this page's last id while more remain.
    private static func forwardOnlyPage(_ rows: ArraySlice<Int32>, of data: SimTable, table: String, pageSize: Int,
                                        request: HTTPRequest, baseURL: String, dataset: SimDataset) -> (HTTPResponse, String?, Int) {
        let after = Int(request.queryParameter("pageId") ?? "") ?? 0
        // Ordered by id (the default, or `orderBy=id asc`): find the first id above `pageId`
        // by bisection, so deep pages cost what the first one does.
        var start = rows.startIndex
        let orderBy = (request.queryParameter("orderBy") ?? "id asc").lowercased().split(separator: " ").joined(separator: " ")
        if orderBy == "id asc" || orderBy == "id" {
            start = rows.fromFirst { data.rows[Int($0)].key > after }.startIndex
        }
        var slice: [SimRow] = []
        var more = false
        for position in rows[start...] {
            let row = data.rows[Int(position)]
            guard row.key > after else { continue }
            if slice.count == pageSize { more = true; break }
            slice.append(row)
        }
        var writer = JSONWriter()
        writer.beginArray()
        for row in slice { writer.value(ConnectWiseRecords.render(table, row, dataset)) }
        writer.endArray()
        guard more, let last = slice.last else { return (SimHTTP.json(writer.takeBytes()), table, slice.count) }
        let parameters = SimHTTP.parameters(request, replacing: [("pageId", String(last.key)), ("pageSize", String(pageSize))])
            .filter { $0.0 != "page" }
        let next = "<\(baseURL)\(apiRoot)/\(table)?\(SimHTTP.query(parameters))>; rel=\"next\""
        return (SimHTTP.json(writer.takeBytes(), headers: [("Link", next)]), table, slice.count)
    }
}
