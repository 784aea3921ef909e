import Foundation

/// Severity of a plugin's log line (`avesa_log_level`).
public enum PluginLogLevel: Int32, Sendable, Comparable {
    case debug = 0, info, warning, error

    /// "debug", "info", "warning", "error".
    public var name: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    public static func < (lhs: PluginLogLevel, rhs: PluginLogLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where plugins' `log` lines go. Called on hook threads (or any thread a plugin logs
/// from); must be thread-safe and must not block for long.
public protocol PluginLogSink: Sendable {
    /// One line from the plugin serving `service` (the message is already copied).
    func log(service: String, level: PluginLogLevel, message: String)
}

/// Writes "[plugin <service>] <level>: <message>" to standard error.
public struct StandardErrorLogSink: PluginLogSink {
    public init() {}

    public func log(service: String, level: PluginLogLevel, message: String) {
        FileHandle.standardError.write(Data("[plugin \(service)] \(level.name): \(message)\n".utf8))
    }
}

/// Keeps every line in memory (tests, `plugins validate`).
public final class RecordingLogSink: PluginLogSink, @unchecked Sendable {
    /// One recorded line.
    public struct Line: Sendable, Equatable {
        public let service: String
        public let level: PluginLogLevel
        public let message: String
    }

    private let lock = NSLock()
    private var recorded: [Line] = []  // under lock

    public init() {}

    /// The lines so far, in order.
    public var lines: [Line] { lock.withLock { recorded } }

    public func log(service: String, level: PluginLogLevel, message: String) {
        lock.withLock { recorded.append(Line(service: service, level: level, message: message)) }
    }
}
