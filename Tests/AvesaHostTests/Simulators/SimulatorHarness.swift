@testable import AvesaHost
import Foundation
import XCTest

/// Drives a connector plugin's manifest against an in-process simulator through the real
/// runtime: AuthenticatorFactory, ServiceClient, PageStream.
enum SimulatorHarness {
    static let engine = CurlEngine()

    /// The built first-party plugins, loaded once.
    static let catalog: PluginCatalog = try! PluginCatalog.scan(directory: TestPaths.builtPluginsDirectory)

    static func manifest(_ service: String) throws -> PluginManifest {
        try XCTUnwrap(catalog.plugin(for: service)?.manifest, "plugin \(service) not found in \(TestPaths.builtPluginsDirectory)")
    }

    /// Starts `service` on 127.0.0.1:0 and stops it when the test ends.
    static func start(_ service: any SimulatedService, options: SimulatorOptions = SimulatorOptions(seed: 42, scale: 1, instances: 2),
                      test: XCTestCase) throws -> Simulator {
        let simulator = Simulator(service: service, options: options)
        try simulator.start()
        test.addTeardownBlock { await simulator.shutdown() }
        return simulator
    }

    /// A connection of one tenant: the manifest, rendered credentials, client and base URL.
    struct Connection {
        let manifest: PluginManifest
        let credentials: [String: String]
        let client: ServiceClient
        let authenticator: any RequestAuthenticator

        /// The endpoint query with the base URL resolved (Salesforce: after the token call).
        func query(since: String? = nil, pageSize: Int? = nil) async throws -> EndpointQuery {
            var values = credentials
            if let instanceURL = try await client.instanceURL() { values["instance_url"] = instanceURL }
            let base = try CredentialTemplate.render(manifest.baseURLTemplate, values: values)
            let headers = try manifest.headers.map { (name: $0.name, value: try CredentialTemplate.render($0.value, values: values)) }
            return EndpointQuery(baseURL: base, credentials: values, headers: headers, since: since, pageSize: pageSize)
        }
    }

    /// Connects to `simulator`'s `instance` with the plugin of `service`; `override`
    /// replaces credential values (bad secrets).
    static func connect(_ service: String, to simulator: Simulator, instance: Int = 0, override: [String: String] = [:],
                        policy: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: 0.01, maxDelay: 0.05)) throws -> Connection {
        let manifest = try manifest(service)
        var credentials: [String: String] = [:]
        for field in manifest.credentialFields { if let value = field.defaultValue { credentials[field.name] = value } }
        credentials.merge(simulator.credentials(instance: instance)) { $1 }
        credentials.merge(override) { $1 }
        let authenticator = try AuthenticatorFactory.make(auth: manifest.auth, credentials: credentials, engine: engine)
        let client = ServiceClient(key: RateLimitKey(tenant: "tenant\(instance)", service: service + UUID().uuidString),
                                   engine: engine, authenticator: authenticator,
                                   limiter: RateLimiter(limit: RateLimit(requestsPerSecond: 10_000, burst: 10_000, maxConcurrent: 8)),
                                   signals: manifest.rateLimit, policy: policy)
        return Connection(manifest: manifest, credentials: credentials, client: client, authenticator: authenticator)
    }

    /// What one extraction of an endpoint returned.
    struct Extraction {
        var ids: [String] = []
        var maxCursor: String?
        var pages = 0
        var watermark: String?
        var deleted: [String] = []
    }

    /// Reads every page of `endpoint` (from `start`) and collects ids and the max cursor.
    /// `afterPage` runs after each page with the pages and ids read so far (to change the
    /// service's data mid-sync).
    static func extract(_ endpoint: String, _ connection: Connection, since: String? = nil, pageSize: Int? = nil,
                        start: PagePosition = .start, afterPage: (Int, [String]) -> Void = { _, _ in }) async throws -> Extraction {
        let spec = try XCTUnwrap(connection.manifest.endpoint(named: endpoint), "no endpoint \(endpoint)")
        var paths = [spec.primaryKey]
        if let cursor = spec.cursorField { paths.append(cursor) }
        if let marker = spec.deletedMarker { paths.append(marker) }
        var stream = try PageStream(client: connection.client, endpoint: spec,
                                    query: try await connection.query(since: since, pageSize: pageSize),
                                    fields: try JSONFieldPlan(dotted: paths), startingAt: start)
        var result = Extraction()
        while let page = try await stream.next() {
            result.pages += 1
            for record in page.records {
                let id: String
                switch record[0] {
                case .number(let n): id = n.literal
                case .string(let s): id = s
                default: XCTFail("record without \(spec.primaryKey)"); continue
                }
                if spec.deletedMarker != nil, let removed = record[paths.count - 1], !removed.isNull {
                    result.deleted.append(id)
                    continue
                }
                result.ids.append(id)
                if spec.cursorField != nil, let cursor = record[1]?.string, cursor > (result.maxCursor ?? "") { result.maxCursor = cursor }
            }
            if case .finished(let watermark) = page.step { result.watermark = watermark }
            afterPage(result.pages, result.ids)
        }
        return result
    }

    /// Reads `endpoint` of `service` in pages of `pageSize`, deleting `deletions` records of
    /// the first page after the second one, and checks that every record was read once: a
    /// deletion must move no other record past the sync (as offsets and page numbers do).
    static func assertDeletionsMidSyncHideNoRecord(_ service: any SimulatedService, endpoint: String, pageSize: Int, deletions: Int,
                                                   records: Int? = nil, test: XCTestCase,
                                                   file: StaticString = #filePath, line: UInt = #line) async throws {
        let sim = try start(service, test: test)
        let connection = try connect(service.name, to: sim)
        let before = sim.liveIDs(endpoint)
        if let records { XCTAssertEqual(before.count, records, file: file, line: line) }
        let result = try await extract(endpoint, connection, pageSize: pageSize) { pages, ids in
            guard pages == 2 else { return }
            XCTAssertEqual(sim.delete(endpoint, ids: Set(ids.prefix(deletions))), deletions, "records of the first page", file: file, line: line)
        }
        XCTAssertEqual(Set(before).subtracting(result.ids), [], "every record, the deleted ones having been read first", file: file, line: line)
        XCTAssertEqual(result.ids.count, before.count, "none twice", file: file, line: line)
    }

    /// Every record of `endpoint` scanned with `fields` (e.g. a mapping plan's).
    static func records(_ endpoint: String, _ connection: Connection, fields: JSONFieldPlan, pageSize: Int? = nil) async throws -> [JSONRecord] {
        let spec = try XCTUnwrap(connection.manifest.endpoint(named: endpoint), "no endpoint \(endpoint)")
        var stream = try PageStream(client: connection.client, endpoint: spec, query: try await connection.query(pageSize: pageSize),
                                    fields: fields)
        var records: [JSONRecord] = []
        while let page = try await stream.next() { records += page.records }
        return records
    }

    /// Sends one raw request to the simulator and returns status, headers and parsed body.
    static func get(_ url: String, headers: [(name: String, value: String)] = [], method: String = "GET",
                    body: [UInt8]? = nil) async throws -> (status: Int, response: HTTPClientResponse, json: JSONValue?) {
        let response = try await engine.execute(HTTPClientRequest(method: method, url: url, headers: headers, body: body))
        return (response.status, response, try? JSONParser.parse(response.body))
    }

    static func basic(_ user: String, _ password: String) -> (name: String, value: String) {
        (name: "Authorization", value: "Basic " + Base64.encode(Array("\(user):\(password)".utf8)))
    }
}
