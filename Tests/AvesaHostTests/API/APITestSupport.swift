@testable import AvesaHost
import Foundation
import XCTest

/// A clock tests can move.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var micros: Int64
    init(_ iso: String) { micros = TimestampParser.microseconds(iso)! }
    var now: Int64 { lock.withLock { micros } }
    func advance(seconds: Int64) { lock.withLock { micros += seconds * 1_000_000 } }
}

func ts(_ iso: String) -> CanonicalValue { .timestamp(TimestampParser.microseconds(iso)!) }

/// A record of a default canonical table from named values.
func canonical(_ table: CanonicalTable, _ fields: [String: CanonicalValue]) -> CanonicalRecord {
    var values = [CanonicalValue](repeating: .null, count: table.columns.count)
    for (name, value) in fields { values[table.columnIndex(name)!] = value }
    guard case .string(let id) = fields["id"]! else { fatalError("id must be a string") }
    let service = String(id.split(separator: ":").first!)
    return CanonicalRecord(values: values, sourceService: service, sourceID: String(id.split(separator: ":").last!))
}

/// Two tenants (`acme`, `globex`) with known warehouse data and users, and an in-process
/// server with every API route. "Now" is 2026-03-31T12:00:00Z.
struct APIFixture {
    static let password = "correct horse battery staple"
    static let jwtSecret = Array("test-secret-0123456789abcdef0123456789abcdef".utf8)

    let root: String
    let context: APIContext
    let clock: TestClock
    let server: HTTPServer
    let users: SQLiteUserDirectory
    let refreshTokens: SQLiteRefreshTokenStore

    init(_ test: XCTestCase, maxFailures: Int = 5, maxClientFailures: Int = 50, maxWaitingPasswordChecks: Int = 32,
         tenantReads: TenantReadGate = TenantReadGate()) throws {
        root = try makeTemporaryDirectory(test).path
        clock = TestClock("2026-03-31T12:00:00Z")
        let layout = DataLayout(root: root)
        try Self.loadAcme(layout)
        try Self.loadGlobex(layout)
        let control = SerializedDatabase(try SQLiteDatabase(path: layout.controlDatabase))
        users = SQLiteUserDirectory(control: control)
        try users.createSchemaIfNeeded()
        refreshTokens = SQLiteRefreshTokenStore(control: control)
        try refreshTokens.createSchemaIfNeeded()
        let hasher = PasswordHasher(iterations: 1_000)
        let created = clock.now
        for (id, tenant, email, role) in [("u-acme-admin", "acme", "admin@acme.test", Role.admin),
                                          ("u-acme-analyst", "acme", "analyst@acme.test", .analyst),
                                          ("u-acme-viewer", "acme", "viewer@acme.test", .viewer),
                                          ("u-acme-shared", "acme", "shared@example.test", .viewer),
                                          ("u-globex-admin", "globex", "admin@globex.test", .admin),
                                          ("u-globex-shared", "globex", "shared@example.test", .admin)] {
            try users.add(UserRecord(id: id, tenantID: tenant, email: email, role: role,
                                     passwordHash: try hasher.hash(Self.password), createdAt: created))
        }
        let clock = self.clock
        var context = APIContext(layout: layout, users: users, refreshTokens: refreshTokens,
                             signer: AccessTokenSigner(secret: Self.jwtSecret), passwordHasher: hasher,
                             loginLimiter: LoginRateLimiter(maxFailures: maxFailures, maxClientFailures: maxClientFailures,
                                                            windowSeconds: 900),
                             clock: { clock.now })
        context.maxWaitingPasswordChecks = maxWaitingPasswordChecks
        context.tenantReads = tenantReads
        self.context = context
        var router = Router()
        HealthRoutes.register(on: &router)
        APIRoutes.register(on: &router, context: context)
        server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), router: router,
                            middleware: [RequestIDMiddleware(), AuthenticationMiddleware(context: context)])
    }

    static func loadAcme(_ layout: DataLayout) throws {
        let path = try layout.warehouse("acme")
        try FileManager.default.createDirectory(atPath: try layout.tenantDirectory("acme"), withIntermediateDirectories: true)
        let warehouse = try TenantWarehouse(path: path)
        let load = TimestampParser.microseconds("2026-03-31T00:00:00Z")!
        try warehouse.merge([
            canonical(.companies, ["id": .string("connectwise:100"), "name": .string("Acme Corporation"), "identifier": .string("ACME"),
                                   "status": .string("Active"), "created_at": ts("2025-01-01T00:00:00Z"), "updated_at": ts("2025-01-01T00:00:00Z")]),
            canonical(.companies, ["id": .string("connectwise:200"), "name": .string("Beta LLC"), "identifier": .string("BETA"),
                                   "status": .string("Active"), "created_at": ts("2025-06-01T00:00:00Z"), "updated_at": ts("2025-06-01T00:00:00Z")]),
            canonical(.companies, ["id": .string("servicenow:300"), "name": .string("Gamma"), "identifier": .string("GAM"),
                                   "status": .string("Inactive"), "created_at": ts("2025-09-01T00:00:00Z"), "updated_at": ts("2025-09-01T00:00:00Z")]),
        ], into: "companies", runID: "run-1", loadTime: load)
        try warehouse.merge([
            canonical(.companies, ["id": .string("connectwise:100"), "name": .string("Acme Corp"), "identifier": .string("ACME"),
                                   "status": .string("Active"), "created_at": ts("2025-01-01T00:00:00Z"), "updated_at": ts("2026-03-01T00:00:00Z")]),
        ], into: "companies", runID: "run-2", loadTime: load)
        try warehouse.merge([
            canonical(.contacts, ["id": .string("connectwise:k1"), "company_id": .string("connectwise:100"), "first_name": .string("Alice"),
                                  "last_name": .string("Smith"), "email": .string("alice@acme.test"), "active": .boolean(true),
                                  "updated_at": ts("2026-01-01T00:00:00Z")]),
            canonical(.contacts, ["id": .string("connectwise:k2"), "company_id": .string("connectwise:200"), "first_name": .string("Bob"),
                                  "last_name": .string("Jones"), "email": .string("bob@beta.test"), "active": .boolean(false),
                                  "updated_at": ts("2026-02-01T00:00:00Z")]),
        ], into: "contacts", runID: "run-1", loadTime: load)
        func ticket(_ n: String, company: String, summary: String, status: String, category: String, priority: String,
                    created: String, updated: String, resolved: String? = nil, closed: String? = nil) -> CanonicalRecord {
            var fields: [String: CanonicalValue] = [
                "id": .string(n), "company_id": .string(company), "summary": .string(summary), "status": .string(status),
                "status_category": .string(category), "priority": .string(priority), "created_at": ts(created), "updated_at": ts(updated)]
            if let resolved { fields["resolved_at"] = ts(resolved) }
            if let closed { fields["closed_at"] = ts(closed) }
            return canonical(.tickets, fields)
        }
        try warehouse.merge([
            ticket("connectwise:1", company: "connectwise:100", summary: "Printer on fire", status: "Closed", category: "closed",
                   priority: "High", created: "2026-03-10T09:00:00Z", updated: "2026-03-11T09:00:00Z",
                   resolved: "2026-03-10T13:00:00Z", closed: "2026-03-11T09:00:00Z"),
            ticket("connectwise:2", company: "connectwise:100", summary: "VPN down", status: "New", category: "open",
                   priority: "Medium", created: "2026-03-15T08:00:00Z", updated: "2026-03-15T08:00:00Z"),
            ticket("connectwise:3", company: "connectwise:200", summary: "Email 100% broken_now", status: "New", category: "open",
                   priority: "High", created: "2026-03-20T10:00:00Z", updated: "2026-03-20T10:00:00Z"),
            ticket("connectwise:4", company: "connectwise:200", summary: "Laptop setup", status: "In Progress", category: "in_progress",
                   priority: "Low", created: "2026-03-25T10:00:00Z", updated: "2026-03-25T10:00:00Z"),
            ticket("connectwise:5", company: "connectwise:100", summary: "Old outage", status: "Closed", category: "closed",
                   priority: "Medium", created: "2026-02-10T10:00:00Z", updated: "2026-02-11T10:00:00Z",
                   resolved: "2026-02-10T12:00:00Z", closed: "2026-02-11T10:00:00Z"),
            ticket("servicenow:6", company: "servicenow:300", summary: "Ancient request", status: "New", category: "open",
                   priority: "Medium", created: "2026-01-05T10:00:00Z", updated: "2026-01-05T10:00:00Z"),
        ], into: "tickets", runID: "run-1", loadTime: load)
        try warehouse.merge([
            ticket("connectwise:2", company: "connectwise:100", summary: "VPN down", status: "Resolved", category: "resolved",
                   priority: "Medium", created: "2026-03-15T08:00:00Z", updated: "2026-03-16T08:00:00Z", resolved: "2026-03-16T08:00:00Z"),
        ], into: "tickets", runID: "run-2", loadTime: load)
        func entry(_ id: String, ticket: String, company: String, started: String, hours: String, billable: Bool) -> CanonicalRecord {
            canonical(.timeEntries, ["id": .string(id), "ticket_id": .string(ticket), "company_id": .string(company),
                                     "member": .string("jdoe"), "started_at": ts(started), "hours": .decimal(hours),
                                     "billable": .boolean(billable), "notes": .string("work on \(ticket)"), "updated_at": ts(started)])
        }
        try warehouse.merge([
            entry("connectwise:e1", ticket: "connectwise:1", company: "connectwise:100", started: "2026-03-10T09:00:00Z", hours: "1.5", billable: true),
            entry("connectwise:e2", ticket: "connectwise:2", company: "connectwise:100", started: "2026-03-15T09:00:00Z", hours: "2.25", billable: true),
            entry("connectwise:e3", ticket: "connectwise:3", company: "connectwise:200", started: "2026-03-20T11:00:00Z", hours: "1", billable: false),
            entry("connectwise:e4", ticket: "connectwise:5", company: "connectwise:100", started: "2026-02-10T10:30:00Z", hours: "3", billable: true),
        ], into: "time_entries", runID: "run-1", loadTime: load)
    }

    static func loadGlobex(_ layout: DataLayout) throws {
        try FileManager.default.createDirectory(atPath: try layout.tenantDirectory("globex"), withIntermediateDirectories: true)
        let warehouse = try TenantWarehouse(path: try layout.warehouse("globex"))
        let load = TimestampParser.microseconds("2026-03-31T00:00:00Z")!
        try warehouse.merge([canonical(.companies, ["id": .string("servicenow:900"), "name": .string("Globex Inc"),
                                                    "updated_at": ts("2025-01-01T00:00:00Z")])],
                            into: "companies", runID: "g", loadTime: load)
        try warehouse.merge([canonical(.contacts, ["id": .string("servicenow:903"), "company_id": .string("servicenow:900"),
                                                   "first_name": .string("Globex"), "last_name": .string("Spy"),
                                                   "updated_at": ts("2025-01-01T00:00:00Z")])],
                            into: "contacts", runID: "g", loadTime: load)
        try warehouse.merge([canonical(.tickets, ["id": .string("servicenow:901"), "company_id": .string("servicenow:900"),
                                                  "summary": .string("Globex secret ticket"), "status": .string("New"),
                                                  "status_category": .string("open"), "priority": .string("High"),
                                                  "created_at": ts("2026-03-20T00:00:00Z"), "updated_at": ts("2026-03-20T00:00:00Z")])],
                            into: "tickets", runID: "g", loadTime: load)
        try warehouse.merge([canonical(.timeEntries, ["id": .string("servicenow:902"), "ticket_id": .string("servicenow:901"),
                                                      "company_id": .string("servicenow:900"), "started_at": ts("2026-03-20T01:00:00Z"),
                                                      "hours": .decimal("5"), "billable": .boolean(true),
                                                      "updated_at": ts("2026-03-20T01:00:00Z")])],
                            into: "time_entries", runID: "g", loadTime: load)
    }

    /// An access token for `userID` issued now (no login round trip).
    func token(_ userID: String, tenant: String, role: Role) throws -> String {
        try context.signer.issue(userID: userID, tenantID: tenant, role: role, now: clock.now / 1_000_000).token
    }

    var acmeViewer: String { get throws { try token("u-acme-viewer", tenant: "acme", role: .viewer) } }
    var acmeAdmin: String { get throws { try token("u-acme-admin", tenant: "acme", role: .admin) } }
    var globexAdmin: String { get throws { try token("u-globex-admin", tenant: "globex", role: .admin) } }

    /// Sends a request in-process and returns status, headers and parsed JSON body (nil when empty).
    func send(_ method: HTTPMethod = .get, _ target: String, token: String? = nil, json: String? = nil,
              headers extra: [(String, String)] = [], remote: String? = nil) async throws -> APIResult {
        var headers = HTTPHeaders()
        if let token { headers.add(name: "Authorization", value: "Bearer " + token) }
        if json != nil { headers.add(name: "Content-Type", value: "application/json") }
        for (name, value) in extra { headers.add(name: name, value: value) }
        let response: HTTPResponse
        do {
            var request = try HTTPRequest(method: method, target: target, headers: headers, body: Array((json ?? "").utf8))
            if let remote { request.remoteAddress = SocketAddress(host: remote, port: 40000) }
            response = await server.respond(to: request)
        } catch {
            response = error.response  // what the server answers for a target it cannot parse
        }
        let bytes = response.bodyBytes
        return APIResult(status: response.status.code, headers: response.headers, raw: bytes,
                         body: bytes.isEmpty ? nil : try JSONParser.parse(bytes))
    }

    func get(_ target: String, token: String?) async throws -> APIResult { try await send(.get, target, token: token) }
}

struct APIResult {
    let status: Int
    let headers: HTTPHeaders
    let raw: [UInt8]
    let body: JSONValue?
    var text: String { String(decoding: raw, as: UTF8.self) }
    var data: JSONValue? { body?["data"] }
    var ids: [String] { data?.array?.compactMap { $0["id"]?.string } ?? [] }
    var errorCode: String? { body?["error"]?["code"]?.string }
    var errorMessage: String { body?["error"]?["message"]?.string ?? "" }
}
