// bench/api (issue 9): the REST API in-process (Router + HealthRoutes + APIRoutes behind
// RequestIDMiddleware + AuthenticationMiddleware, HTTPServer on port 0) over one tenant
// warehouse of 1M tickets and 3M time entries, loaded with `wrk` (64 connections, 10 s
// per endpoint, `--latency`) on the dashboard, a deep ticket list page, a company detail
// and /health. Prints requests/s, p50/p99 and errors side by side.
//
// The warehouse is built once through TenantWarehouse.merge (batches of 10,000) and
// reused by later runs unless --rebuild (or a different size) is given.
//
// Usage: BenchAPI [--tickets 1000000] [--entries 3000000] [--companies 5000] [--contacts 20000]
//                 [--connections 64] [--duration 10] [--threads 2] [--dir DIR] [--rebuild]
//        BenchAPI --explain   (EXPLAIN QUERY PLAN of the dashboard's and lists' SQL, then exit)
import AvesaHost
import Foundation

struct Config {
    var tickets = 1_000_000
    var entries = 3_000_000
    var companies = 5_000
    var contacts = 20_000
    var connections = 64
    var duration = 10
    var threads = 2
    var root = NSTemporaryDirectory() + "avesa-bench-api"
    var rebuild = false
}
let config: Config = {
    var config = Config()
    var rest = CommandLine.arguments.dropFirst()
    while let flag = rest.popFirst() {
        if flag == "--rebuild" { config.rebuild = true; continue }
        let value = rest.popFirst() ?? ""
        switch flag {
        case "--tickets": config.tickets = Int(value) ?? config.tickets
        case "--entries": config.entries = Int(value) ?? config.entries
        case "--companies": config.companies = Int(value) ?? config.companies
        case "--contacts": config.contacts = Int(value) ?? config.contacts
        case "--connections": config.connections = Int(value) ?? config.connections
        case "--duration": config.duration = Int(value) ?? config.duration
        case "--threads": config.threads = Int(value) ?? config.threads
        case "--dir": config.root = value
        default:
            print("usage: BenchAPI [--tickets N] [--entries N] [--companies N] [--contacts N] [--connections 64] [--duration 10] [--threads 2] [--dir DIR] [--rebuild]")
            exit(2)
        }
    }
    return config
}()

func now() -> Double { RateLimiter.monotonicSeconds() }
let benchStart = now()
func log(_ text: String) {
    FileHandle.standardError.write(Data("[\(String(format: "%7.1f", now() - benchStart))s] \(text)\n".utf8))
}
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

let tenant = "bench"
let layout = DataLayout(root: config.root)
let warehousePath = try layout.warehouse(tenant)
let sizeMarker = config.root + "/size.txt"
let sizeText = "\(config.tickets) \(config.entries) \(config.companies) \(config.contacts)"

// MARK: The warehouse

let hour: Int64 = 3_600_000_000
let day = 24 * hour
/// "Now" for the data: the wall clock, so the dashboard's 30-day window sees the newest ~1/24 of two years.
let dataNow = Int64(Date().timeIntervalSince1970) * 1_000_000
let span = 730 * day
let statuses = [("New", "open"), ("Assigned", "open"), ("In Progress", "in_progress"), ("Waiting Customer", "in_progress"),
                ("Resolved", "resolved"), ("Completed", "closed"), ("Closed", "closed")]
let priorities = ["Priority 1 - Emergency Response", "Priority 2 - Quick Response", "Priority 3 - Normal Response", "Priority 4 - Schedule Maintenance"]
let boards = ["Help Desk", "Professional Services", "Alerts", "Projects"]
let members = (0..<40).map { "tech\($0)@example.com" }
let problems = ["Printer not responding", "VPN drops every hour", "Outlook cannot connect", "New starter laptop",
                "Backup job failed", "Password reset", "Firewall firmware update", "Slow file share"]

/// A deterministic 64-bit mix of `n` (splitmix64).
func mix(_ n: Int, _ salt: UInt64) -> UInt64 {
    var z = UInt64(truncatingIfNeeded: n) &+ salt &* 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// Values in `table`'s column order from a name → value dictionary (missing: NULL).
func record(_ table: CanonicalTable, _ values: [String: CanonicalValue], id: Int) -> CanonicalRecord {
    CanonicalRecord(values: table.columns.map { values[$0.name] ?? .null }, sourceService: "connectwise", sourceID: String(id))
}

/// Ticket `n`'s creation time: tickets are spread evenly over the last two years, in id order.
func ticketCreated(_ n: Int) -> Int64 { dataNow - span + Int64(n) * (span / Int64(config.tickets)) }

func company(_ n: Int) -> CanonicalRecord {
    record(.companies, ["id": .string("connectwise:\(n)"), "name": .string("Company \(n) Ltd"), "identifier": .string("C\(n)"),
                        "status": .string(n % 10 == 0 ? "Inactive" : "Active"), "type": .string("Customer"),
                        "phone": .string("+1 555 \(1000 + n % 9000)"), "website": .string("www.c\(n).example"),
                        "address": .string("\(n % 999) Main St"), "city": .string("Springfield"), "state": .string("IL"),
                        "country": .string("United States"), "created_at": .timestamp(dataNow - span - day * Int64(n % 300)),
                        "updated_at": .timestamp(dataNow - span)], id: n)
}

func contact(_ n: Int) -> CanonicalRecord {
    record(.contacts, ["id": .string("connectwise:\(n)"), "company_id": .string("connectwise:\(Int(mix(n, 1) % UInt64(config.companies)) + 1)"),
                       "first_name": .string("First\(n % 300)"), "last_name": .string("Last\(n % 700)"),
                       "email": .string("person\(n)@example.com"), "phone": .string("+1 555 \(n % 10000)"),
                       "title": .string("Manager"), "active": .boolean(n % 9 != 0), "updated_at": .timestamp(dataNow - span)], id: n)
}

func ticket(_ n: Int) -> CanonicalRecord {
    let r = mix(n, 2)
    let (status, category) = statuses[Int(r % UInt64(statuses.count))]
    let created = ticketCreated(n)
    let resolvedAt: CanonicalValue = category == "resolved" || category == "closed" ? .timestamp(created + hour + Int64(r >> 20 % 120) * hour) : .null
    let closedAt: CanonicalValue = category == "closed" ? .timestamp(created + 2 * hour + Int64(r >> 20 % 120) * hour) : .null
    return record(.tickets, ["id": .string("connectwise:\(n)"), "company_id": .string("connectwise:\(Int((r >> 8) % UInt64(config.companies)) + 1)"),
                             "contact_id": .string("connectwise:\(Int((r >> 16) % UInt64(config.contacts)) + 1)"),
                             "summary": .string("\(problems[n % problems.count]) (#\(n))"), "status": .string(status),
                             "status_category": .string(category), "priority": .string(priorities[Int(r >> 24) % priorities.count]),
                             "board": .string(boards[Int(r >> 28) % boards.count]), "type": .string("Incident"),
                             "assigned_to": .string(members[Int(r >> 32) % members.count]), "created_at": .timestamp(created),
                             "updated_at": .timestamp(created + 3 * hour), "resolved_at": resolvedAt, "closed_at": closedAt], id: n)
}

func timeEntry(_ n: Int) -> CanonicalRecord {
    let r = mix(n, 3)
    // Three entries per ticket on average, each within a few days of its ticket.
    let ticketNumber = min(config.tickets, max(1, (n - 1) * config.tickets / max(1, config.entries) + 1))
    let ticketCompany = Int((mix(ticketNumber, 2) >> 8) % UInt64(config.companies)) + 1
    let started = ticketCreated(ticketNumber) + Int64(r % 96) * hour
    let quarters = Int64(r >> 8 % 16) + 1
    return record(.timeEntries, ["id": .string("connectwise:\(n)"), "ticket_id": .string("connectwise:\(ticketNumber)"),
                                 "company_id": .string("connectwise:\(ticketCompany)"), "member": .string(members[Int(r >> 16) % members.count]),
                                 "started_at": .timestamp(started), "ended_at": .timestamp(started + quarters * hour / 4),
                                 "hours": .decimal(String(format: "%.2f", Double(quarters) / 4)), "billable": .boolean(r >> 24 % 4 != 0),
                                 "notes": .string("Worked on \(problems[n % problems.count])"), "updated_at": .timestamp(started + quarters * hour / 4)],
                  id: n)
}

func buildWarehouse() throws {
    try? FileManager.default.removeItem(atPath: config.root)
    try FileManager.default.createDirectory(atPath: (warehousePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    let warehouse = try TenantWarehouse(path: warehousePath)
    let loadTime = dataNow
    for (table, count, make) in [("companies", config.companies, company), ("contacts", config.contacts, contact),
                                 ("tickets", config.tickets, ticket), ("time_entries", config.entries, timeEntry)]
        as [(String, Int, (Int) -> CanonicalRecord)] {
        let start = now()
        var n = 1
        while n <= count {
            let end = min(count, n + 9_999)
            _ = try warehouse.merge((n...end).map(make), into: table, runID: "bench", loadTime: loadTime)
            n = end + 1
        }
        log(String(format: "%@: %d rows in %.1f s", table, count, now() - start))
    }
    try sizeText.write(toFile: sizeMarker, atomically: true, encoding: .utf8)
}

let reuse = !config.rebuild && FileManager.default.fileExists(atPath: warehousePath)
    && (try? String(contentsOfFile: sizeMarker, encoding: .utf8)) == sizeText
if reuse {
    log("reusing \(warehousePath)")
} else {
    log("building the warehouse: \(sizeText) (tickets, entries, companies, contacts)")
    try buildWarehouse()
}
/// Brings the warehouse's indexes in line with the current canonical definitions (a
/// reused warehouse from before an index change gets the new ones), as a run would.
do {
    _ = try TenantWarehouse(path: warehousePath)
}

// MARK: Query plans

let explained: [(String, String)] = [
    ("dashboard: tickets created in window", "SELECT COUNT(*) FROM tickets WHERE _is_current = 1 AND created_at >= 0 AND created_at < 1"),
    ("dashboard: tickets resolved in window", "SELECT COUNT(*) FROM tickets WHERE _is_current = 1 AND resolved_at >= 0 AND resolved_at < 1"),
    ("dashboard: resolution times", "SELECT resolved_at - created_at FROM tickets WHERE _is_current = 1 AND resolved_at >= 0 AND resolved_at < 1 AND created_at IS NOT NULL AND resolved_at >= created_at ORDER BY 1"),
    ("dashboard: hours", "SELECT SUM(CAST(hours AS REAL)) FROM time_entries WHERE _is_current = 1 AND started_at >= 0 AND started_at < 1"),
    ("dashboard: open now", "SELECT COUNT(*) FROM tickets WHERE _is_current = 1 AND status_category IN ('open', 'in_progress')"),
    ("tickets list: count", "SELECT COUNT(*) FROM tickets WHERE _is_current = 1"),
    ("tickets list: page", "SELECT * FROM tickets WHERE _is_current = 1 ORDER BY created_at DESC NULLS LAST, id DESC LIMIT 50 OFFSET 2450"),
    ("company: tickets", "SELECT COUNT(*) FROM tickets WHERE company_id = 'x' AND _is_current = 1"),
    ("company: time entries", "SELECT COUNT(*) FROM time_entries WHERE company_id = 'x' AND _is_current = 1"),
    ("company: contacts", "SELECT COUNT(*) FROM contacts WHERE company_id = 'x' AND _is_current = 1"),
]
func explain() throws -> String {
    let db = try SQLiteDatabase(path: warehousePath)
    var text = ""
    for (name, sql) in explained {
        let statement = try db.prepare("EXPLAIN QUERY PLAN " + sql)
        var plan: [String] = []
        while try statement.step() { plan.append(statement.text(3) ?? "") }
        text += "- \(name): `\(plan.joined(separator: "; "))`\n"
    }
    return text
}
let plans = try explain()
if CommandLine.arguments.contains("--explain") {
    print(plans)
    exit(0)
}

// MARK: The server

let environment = ["AVESA_MASTER_KEY": String(repeating: "ab", count: 32)]
let api = try APIContext.open(dataDirectory: config.root, passwordIterations: 1000, environment: environment)
let email = "admin@bench.example", password = "bench-password"
if try api.users.user(tenantID: tenant, email: email) == nil {
    try api.users.add(UserRecord(id: UUID().uuidString.lowercased(), tenantID: tenant, email: email, role: .admin,
                                 passwordHash: try api.passwordHasher.hash(password), createdAt: Int64(Date().timeIntervalSince1970)))
}
var router = Router()
HealthRoutes.register(on: &router)
APIRoutes.register(on: &router, context: api)
let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), router: router,
                        middleware: [RequestIDMiddleware(), AuthenticationMiddleware(context: api)])
let address = try server.start()
let base = "http://127.0.0.1:\(address.port)"
log("serving on \(base)")
// The same API with its per-snapshot result cache off (AVESA_API_CACHE_MIB=0): what a
// request costs when the warehouse has just changed, or for a page nobody asked for yet.
var uncachedRouter = Router()
HealthRoutes.register(on: &uncachedRouter)
let uncachedAPI = try APIContext.open(dataDirectory: config.root, passwordIterations: 1000,
                                      environment: environment.merging(["AVESA_API_CACHE_MIB": "0"]) { $1 })
APIRoutes.register(on: &uncachedRouter, context: uncachedAPI)
let uncachedServer = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), router: uncachedRouter,
                                middleware: [RequestIDMiddleware(), AuthenticationMiddleware(context: uncachedAPI)])
let uncachedBase = "http://127.0.0.1:\(try uncachedServer.start().port)"

let engine = CurlEngine()
let login = try await engine.execute(HTTPClientRequest(
    method: "POST", url: base + "/auth/login", headers: [(name: "Content-Type", value: "application/json")],
    body: Array("{\"tenant_id\":\"\(tenant)\",\"email\":\"\(email)\",\"password\":\"\(password)\"}".utf8)))
guard login.status == 200, let token = try JSONParser.parse(login.body)["access_token"]?.string else {
    throw BenchError("login failed: HTTP \(login.status) \(login.bodySnippet())")
}
let authorization = "Authorization: Bearer \(token)"

let companyID = "connectwise:\(config.companies / 2)"
let endpoints: [(name: String, path: String, base: String)] = [
    ("dashboard (30d)", "/api/analytics/dashboard?period=30d", base),
    ("tickets list page 50", "/api/tickets?page=50&limit=50", base),
    ("company detail", "/api/companies/\(companyID)", base),
    ("health", "/health", base),
    ("uncached: dashboard (30d)", "/api/analytics/dashboard?period=30d", uncachedBase),
    ("uncached: tickets list page 50", "/api/tickets?page=50&limit=50", uncachedBase),
    ("uncached: company detail", "/api/companies/\(companyID)", uncachedBase),
]

// One request each first: 200, and its single-request latency (no load).
var single: [String: Double] = [:]
for endpoint in endpoints {
    var best = Double.infinity
    for _ in 0..<3 {
        let start = now()
        let response = try await engine.execute(HTTPClientRequest(url: endpoint.base + endpoint.path, headers: [(name: "Authorization", value: "Bearer \(token)")]))
        guard response.status == 200 else { throw BenchError("\(endpoint.path): HTTP \(response.status) \(response.bodySnippet())") }
        best = min(best, now() - start)
    }
    single[endpoint.name] = best * 1000
    log(String(format: "%@: 200, %.1f ms unloaded", endpoint.name, best * 1000))
}

/// Waits until the requests wrk left in flight are answered (one more request of `path`
/// queues behind them), so each endpoint is measured on an idle server.
func drain(_ url: String) async throws {
    _ = try await engine.execute(HTTPClientRequest(url: url, headers: [(name: "Authorization", value: "Bearer \(token)")],
                                                   limits: { var l = HTTPClientLimits(); l.totalTimeoutMilliseconds = 600_000; l.lowSpeedSeconds = 600; return l }()))
}

// MARK: wrk

struct WrkResult {
    var requestsPerSecond = 0.0
    var p50 = "", p99 = "", max = ""
    var requests = 0
    var errors = ""
}

/// "12.34ms" / "1.02s" / "850.00us" as milliseconds.
func milliseconds(_ text: String) -> Double? {
    for (suffix, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where text.hasSuffix(suffix) {
        return Double(text.dropLast(suffix.count)).map { $0 * factor }
    }
    return nil
}

func wrk(_ url: String) throws -> (WrkResult, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
    // --timeout 30s: a slow response counts in the latency figures instead of vanishing as a timeout.
    process.arguments = ["-t\(config.threads)", "-c\(config.connections)", "-d\(config.duration)s", "--timeout", "30s", "--latency",
                         "-H", authorization, url]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    var result = WrkResult()
    var errors: [String] = []
    for line in output.split(separator: "\n") {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = words.first else { continue }
        if first == "Requests/sec:", words.count > 1 { result.requestsPerSecond = Double(words[1]) ?? 0 }
        if first == "50%", words.count > 1 { result.p50 = words[1] }
        if first == "99%", words.count > 1 { result.p99 = words[1] }
        if first == "Latency", words.count > 3 { result.max = words[3] }
        if line.contains("requests in"), let n = Int(first) { result.requests = n }
        if line.contains("Non-2xx") || line.contains("Socket errors") { errors.append(line.trimmingCharacters(in: .whitespaces)) }
    }
    result.errors = errors.isEmpty ? "none" : errors.joined(separator: "; ")
    return (result, output)
}

print("BenchAPI: \(config.tickets) tickets, \(config.entries) time entries, \(config.companies) companies, \(config.contacts) contacts; "
      + "wrk -t\(config.threads) -c\(config.connections) -d\(config.duration)s")
var rows: [String] = []
var targets: [String] = []
for endpoint in endpoints {
    log("wrk \(endpoint.path)")
    let (result, output) = try wrk(endpoint.base + endpoint.path)
    try await drain(endpoint.base + endpoint.path)
    if result.requests == 0 { print(output) }
    rows.append(String(format: "| %@ | `%@` | %.1f | %@ | %@ | %@ | %.1f | %@ |", endpoint.name, endpoint.path, result.requestsPerSecond,
                       result.p50, result.p99, result.max, single[endpoint.name] ?? 0, result.errors))
    let p99 = result.requests == 0 ? .infinity : milliseconds(result.p99) ?? .infinity
    // The targets apply to the server as configured (cache on); the uncached rows are reported as they are.
    let limit: Double? = endpoint.name.hasPrefix("uncached") || endpoint.name == "health" ? nil
        : endpoint.name.hasPrefix("dashboard") ? 50 : 20
    if let limit {
        targets.append("\(endpoint.name) p99 < \(Int(limit)) ms: \(p99 < limit ? "met" : "NOT met") (\(result.requests == 0 ? "no request completed" : result.p99))")
    }
    if result.errors != "none" { targets.append("\(endpoint.name): errors: \(result.errors)") }
}
print("""

| endpoint | path | requests/s | p50 | p99 | max | unloaded ms | errors |
|---|---|---:|---:|---:|---:|---:|---|
\(rows.joined(separator: "\n"))

Query plans:
\(plans)
Targets:
\(targets.map { "- " + $0 }.joined(separator: "\n"))
""")
engine.shutdown()
await server.shutdown(timeout: .seconds(2))
