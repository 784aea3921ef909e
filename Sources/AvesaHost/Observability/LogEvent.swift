import Foundation

/// One structured log line: a message plus the ids it concerns (run, tenant, service,
/// table, chunk). Rendered as readable text or as a JSON line (`--log-format json`).
/// Never put credentials in a message: URLs are redacted before they get here.
public struct LogEvent: Sendable {
    public enum Level: String, Sendable { case debug, info, warning, error }

    public var level: Level
    public var message: String
    public var run: String?
    public var tenant: String?
    public var service: String?
    public var table: String?
    public var chunk: Int64?
    public var time: Date

    /// An `info` event stamped now.
    public init(_ message: String, run: String? = nil, tenant: String? = nil, service: String? = nil,
                table: String? = nil, chunk: Int64? = nil) {
        self.init(.info, message, run: run, tenant: tenant, service: service, table: table, chunk: chunk)
    }

    /// Creates an event stamped now.
    public init(_ level: Level, _ message: String, run: String? = nil, tenant: String? = nil,
                service: String? = nil, table: String? = nil, chunk: Int64? = nil, time: Date = Date()) {
        self.level = level
        self.message = message
        self.run = run
        self.tenant = tenant
        self.service = service
        self.table = table
        self.chunk = chunk
        self.time = time
    }

    /// `2026-11-29T14:30:00Z info acme/connectwise/service/tickets: message`.
    public var text: String {
        let scope = [tenant, service, table].compactMap { $0 }.joined(separator: "/")
        return TimestampParser.iso8601(Int64(time.timeIntervalSince1970) * 1_000_000) + " " + level.rawValue + " "
            + (scope.isEmpty ? "" : scope + ": ") + message
    }

    /// One JSON object with `time`, `level`, `message` and the ids that are set.
    public var json: String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("time"); writer.string(TimestampParser.iso8601(Int64(time.timeIntervalSince1970 * 1000) * 1000))
        writer.key("level"); writer.string(level.rawValue)
        writer.key("message"); writer.string(message)
        for (key, value) in [("run", run), ("tenant", tenant), ("service", service), ("table", table)] {
            if let value { writer.key(key); writer.string(value) }
        }
        if let chunk { writer.key("chunk"); writer.int(chunk) }
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

/// How log lines are written.
public enum LogFormat: String, Sendable {
    case text, json
}
