/// The time window an analytics request covers, from `period` (`7d`, `30d`, `90d`,
/// `365d`; default `30d`) and optional `from`/`to`.
///
/// Without `from`/`to` a period is the last N whole UTC days including today:
/// `[midnight(today) + 1 day − N days, midnight(today) + 1 day)`. `from` alone runs to the
/// end of today; `to` alone goes back one period. Dates mean midnight UTC, and a `to` date
/// includes that whole day. Windows are limited to 731 days. The previous period is the
/// window of the same length just before.
struct AnalyticsWindow: Sendable, Equatable {
    static let day: Int64 = 86_400_000_000
    static let periods: [String: Int64] = ["7d": 7, "30d": 30, "90d": 90, "365d": 365]
    static let periodNames = ["7d", "30d", "90d", "365d"]
    static let maximumDays: Int64 = 731

    /// `7d`… or `custom`.
    var name: String
    /// Inclusive start, microseconds.
    var from: Int64
    /// Exclusive end, microseconds.
    var to: Int64

    var length: Int64 { to - from }
    var previous: AnalyticsWindow { AnalyticsWindow(name: name, from: from - length, to: from) }

    init(name: String, from: Int64, to: Int64) {
        self.name = name
        self.from = from
        self.to = to
    }

    init(_ params: QueryParameters, now: Int64) throws(HTTPError) {
        let chosen = try params.choice("period", Self.periodNames)
        let period = chosen ?? "30d"
        let days = Self.periods[period] ?? 30
        let endOfToday = (now / Self.day + 1) * Self.day
        let from = try params.timestamp("from")
        // With `from` the window is custom: a period would be silently ignored.
        if chosen != nil, from != nil { throw QueryParameters.invalid("period", "cannot be combined with 'from' (give 'from' and 'to', or 'period' and optionally 'to')") }
        let to = try params.timestamp("to", dateMeansEndOfDay: true)
        switch (from, to) {
        case (nil, nil): self.init(name: period, from: endOfToday - days * Self.day, to: endOfToday)
        case (let from?, nil): self.init(name: "custom", from: from, to: max(endOfToday, from + Self.day))
        case (nil, let to?): self.init(name: "custom", from: to - days * Self.day, to: to)
        case (let from?, let to?): self.init(name: "custom", from: from, to: to)
        }
        guard self.to > self.from else { throw QueryParameters.invalid("to", "must be after 'from'") }
        guard self.length <= Self.maximumDays * Self.day else {
            throw QueryParameters.invalid("from", "must be at most \(Self.maximumDays) days before 'to'")
        }
    }

    var json: JSONValue {
        ["name": .string(name), "from": .string(TimestampParser.iso8601(from)), "to": .string(TimestampParser.iso8601(to)),
         "days": .number(JSONNumber(rounded(Double(length) / Double(Self.day), 3)) ?? JSONNumber(0))]
    }

    /// Everything that shapes a result computed over this window, for cache keys.
    var cacheKey: String { "\(name)|\(from)|\(to)" }

    /// Bindings for `column >= ? AND column < ?`.
    var bounds: [SQLValue] { [.integer(from), .integer(to)] }
}
