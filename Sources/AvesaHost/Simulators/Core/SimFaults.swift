/// Faults the simulator injects into data requests (never into `/_sim` control routes):
/// counted ones hit the next N requests, rates hit each request with that probability
/// (drawn from the simulator's seeded generator).
public struct SimFaults: Sendable, Equatable {
    /// The next N requests are throttled (the service's 429, or Salesforce's 503).
    public var throttleNext = 0
    /// Probability that a request is throttled.
    public var throttleRate = 0.0
    /// `Retry-After` of throttled responses, in seconds (fractions kept for Graph).
    public var retryAfter = 1.0
    /// The next N requests fail with a 5xx.
    public var errorNext = 0
    /// Probability that a request fails with a 5xx.
    public var errorRate = 0.0
    /// The 5xx status used (500, 502, 503 or 504).
    public var errorStatus = 500
    /// Every response waits this long before it is sent.
    public var delayMilliseconds = 0
    /// The next N requests stall for `stallSeconds` before answering (past a client's timeout).
    public var stallNext = 0
    /// How long a stalled response waits.
    public var stallSeconds = 30.0
    /// The next N pages have a truncated, invalid JSON body (status 200).
    public var malformedNext = 0
    /// Probability that a page is malformed.
    public var malformedRate = 0.0
    /// Only requests of this instance are affected (nil: all instances).
    public var instance: Int?

    public init() {}

    /// No faults at all.
    public static let none = SimFaults()

    /// Reads the JSON form used by `POST /_sim/faults`: the property names above
    /// (`{"throttleNext": 5, "retryAfter": 0.5}`); unknown keys are an error.
    public init(json: JSONValue) throws(SimulatorError) {
        guard let object = json.object else { throw .badRequest("faults must be a JSON object") }
        for member in object.members {
            let v = member.value
            func int() throws(SimulatorError) -> Int {
                guard let n = v.int64, n >= 0 else { throw .badRequest("\(member.key) must be a non-negative integer") }
                return Int(n)
            }
            func double() throws(SimulatorError) -> Double {
                guard let n = v.double, n >= 0 else { throw .badRequest("\(member.key) must be a non-negative number") }
                return n
            }
            switch member.key {
            case "throttleNext": throttleNext = try int()
            case "throttleRate": throttleRate = try double()
            case "retryAfter": retryAfter = try double()
            case "errorNext": errorNext = try int()
            case "errorRate": errorRate = try double()
            case "errorStatus": errorStatus = try int()
            case "delayMilliseconds": delayMilliseconds = try int()
            case "stallNext": stallNext = try int()
            case "stallSeconds": stallSeconds = try double()
            case "malformedNext": malformedNext = try int()
            case "malformedRate": malformedRate = try double()
            case "instance": instance = v.isNull ? nil : try int()
            default: throw .badRequest("unknown fault \(member.key)")
            }
        }
    }

    /// The JSON form.
    public var json: JSONValue {
        var o: JSONObject = [
            "throttleNext": .number(JSONNumber(Int64(throttleNext))), "throttleRate": .number(JSONNumber(throttleRate)!),
            "retryAfter": .number(JSONNumber(retryAfter)!), "errorNext": .number(JSONNumber(Int64(errorNext))),
            "errorRate": .number(JSONNumber(errorRate)!), "errorStatus": .number(JSONNumber(Int64(errorStatus))),
            "delayMilliseconds": .number(JSONNumber(Int64(delayMilliseconds))),
            "stallNext": .number(JSONNumber(Int64(stallNext))), "stallSeconds": .number(JSONNumber(stallSeconds)!),
            "malformedNext": .number(JSONNumber(Int64(malformedNext))), "malformedRate": .number(JSONNumber(malformedRate)!),
        ]
        o["instance"] = instance.map { .number(JSONNumber(Int64($0))) } ?? .null
        return .object(o)
    }

    /// What happens to one request; consumes counted faults.
    mutating func decide(instance index: Int, random: inout SimRandom) -> SimFaultAction {
        if let instance, instance != index { return SimFaultAction() }
        var action = SimFaultAction()
        action.delay = Double(delayMilliseconds) / 1000
        if stallNext > 0 { stallNext -= 1; action.delay += stallSeconds }
        if throttleNext > 0 { throttleNext -= 1; action.kind = .throttle(retryAfter) }
        else if throttleRate > 0, random.chance(throttleRate) { action.kind = .throttle(retryAfter) }
        else if errorNext > 0 { errorNext -= 1; action.kind = .serverError(errorStatus) }
        else if errorRate > 0, random.chance(errorRate) { action.kind = .serverError(errorStatus) }
        else if malformedNext > 0 { malformedNext -= 1; action.malformed = true }
        else if malformedRate > 0, random.chance(malformedRate) { action.malformed = true }
        return action
    }
}

/// The fault chosen for one request.
struct SimFaultAction: Sendable {
    enum Kind: Sendable { case none, throttle(Double), serverError(Int) }
    var kind = Kind.none
    var delay = 0.0
    var malformed = false
}

/// A request the simulator refuses (control routes, option parsing).
public enum SimulatorError: Error, Sendable, CustomStringConvertible {
    case badRequest(String)
    case startFailed(String)

    public var description: String {
        switch self {
        case .badRequest(let message): message
        case .startFailed(let message): message
        }
    }
}
