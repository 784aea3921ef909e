@testable import AvesaHost
import Foundation

/// Builders for connector-runtime tests: endpoints, limits and clients pointed at the
/// shared scenario server.
enum ConnectorFixtures {
    static let engine = CurlEngine()
    static let server = ScenarioServer.shared

    /// Throttling signals like a typical REST API's.
    static let signals = RateLimitSpec(requestsPerSecond: 100, burst: 100, maxConcurrent: 8, throttleStatuses: [429, 503],
                                       retryAfterHeader: "Retry-After", remainingHeader: nil, limitHeader: nil,
                                       resetHeader: nil, resetKind: .none, usageHeader: nil)

    /// A fast retry policy so tests do not wait on real backoffs.
    static let fastRetries = RetryPolicy(maxAttempts: 3, baseDelay: 0.02, maxDelay: 0.1)

    static func client(_ name: String = UUID().uuidString, limit: RateLimit = RateLimit(requestsPerSecond: 1000, burst: 1000, maxConcurrent: 16),
                       authenticator: any RequestAuthenticator = NoAuthentication(),
                       policy: RetryPolicy = fastRetries, signals: RateLimitSpec = signals) -> ServiceClient {
        ServiceClient(key: RateLimitKey(tenant: "t", service: name), engine: engine, authenticator: authenticator,
                      limiter: RateLimiter(limit: limit), signals: signals, policy: policy)
    }

    static func pagination(_ kind: PaginationKind, pageParam: String? = nil, sizeParam: String? = nil, first: Int32 = 1,
                           stops: StopConditions = [.emptyPage], next: String? = nil, done: String? = nil, delta: String? = nil,
                           total: String? = nil, pageSize: UInt32 = 10) -> PaginationSpec {
        PaginationSpec(kind: kind, pageParam: pageParam, sizeParam: sizeParam, defaultPageSize: pageSize, maxPageSize: 1000,
                       firstPage: first, stopConditions: stops.union(.emptyPage), nextPointer: next, donePointer: done,
                       deltaPointer: delta, totalHeader: total, sizeHeader: nil, sizeHeaderTemplate: nil)
    }

    static func endpoint(path: String, records: String, pagination: PaginationSpec, params: [NameValue] = []) -> EndpointSpec {
        EndpointSpec(name: "test", description: nil, path: path, recordsPointer: records, primaryKey: "id", cursorField: nil,
                     cursorFormat: .none, incrementalParam: nil, incrementalTemplate: nil, pagination: pagination, params: params,
                     countPath: nil, countPointer: nil, canonicalTable: nil, deletedMarker: nil, isIncremental: false,
                     supportsRangeFilter: false, reportsDeletes: false, isSequential: false)
    }

    /// Fetches every page of `endpoint` and returns the ids in order plus the final step.
    static func fetchAll(_ endpoint: EndpointSpec, client: ServiceClient = client(), start: PagePosition = .start) async throws
        -> (ids: [Int64], pages: Int, watermark: String?) {
        var stream = try PageStream(client: client, endpoint: endpoint,
                                    query: EndpointQuery(baseURL: server.baseURL, credentials: [:]),
                                    fields: try JSONFieldPlan(dotted: ["id"]), startingAt: start)
        var ids: [Int64] = []
        var pages = 0
        var watermark: String?
        while let page = try await stream.next() {
            pages += 1
            ids += page.records.compactMap { $0[0]?.int64 }
            if case .finished(let mark) = page.step { watermark = mark }
        }
        return (ids, pages, watermark)
    }
}
