/// Counters of a simulator, per instance: requests per route (e.g. `GET company/companies`,
/// `POST token`, `GET count`), records served per table, throttled and failed requests.
public struct SimStats: Sendable, Equatable {
    /// Requests by instance, then route label.
    public var requests: [Int: [String: Int]] = [:]
    /// Records returned by instance, then table.
    public var records: [Int: [String: Int]] = [:]
    /// Requests answered with an injected throttle.
    public var throttled = 0
    /// Requests answered with an injected 5xx.
    public var serverErrors = 0
    /// Pages sent malformed.
    public var malformed = 0
    /// Requests refused for bad credentials (no instance known).
    public var unauthorized = 0

    public init() {}

    /// Requests of `instance` on `route` (all routes when nil).
    public func requests(instance: Int = 0, route: String? = nil) -> Int {
        guard let byRoute = requests[instance] else { return 0 }
        if let route { return byRoute[route] ?? 0 }
        return byRoute.values.reduce(0, +)
    }

    /// Records of `table` served to `instance`.
    public func records(instance: Int = 0, table: String) -> Int { records[instance]?[table] ?? 0 }

    mutating func count(instance: Int, route: String) { requests[instance, default: [:]][route, default: 0] += 1 }
    mutating func served(instance: Int, table: String, records count: Int) { records[instance, default: [:]][table, default: 0] += count }

    /// The JSON form of `GET /_sim/stats`.
    public var json: JSONValue {
        func map(_ m: [Int: [String: Int]]) -> JSONValue {
            .object(JSONObject(m.keys.sorted().map { instance in
                JSONMember(key: String(instance), value: .object(JSONObject(m[instance]!.keys.sorted().map {
                    JSONMember(key: $0, value: .number(JSONNumber(Int64(m[instance]![$0]!))))
                })))
            }))
        }
        return [
            "requests": map(requests), "records": map(records),
            "throttled": .number(JSONNumber(Int64(throttled))), "serverErrors": .number(JSONNumber(Int64(serverErrors))),
            "malformed": .number(JSONNumber(Int64(malformed))), "unauthorized": .number(JSONNumber(Int64(unauthorized))),
        ]
    }
}
