/// Options that come before the command: where plugins, data and mappings live.
/// Each falls back to an environment variable, then to a default.
public struct GlobalOptions: Equatable, Sendable {
    /// Folder scanned for plugin shared libraries (`--plugins`, `AVESA_PLUGINS`, else the executable's folder).
    public var pluginsDirectory: String
    /// Data folder (`--data`, `AVESA_DATA`, else `./avesa-data`).
    public var dataDirectory: String
    /// Mappings folder (`--mappings`, `AVESA_MAPPINGS`, else `./mappings`).
    public var mappingsDirectory: String
    /// Run defaults (`--config FILE`, env `AVESA_CONFIG`): concurrency, limits, chunking, schedule.
    public var configFile: String?
    /// How log lines are written (`--log-format text|json`).
    public var logFormat: LogFormat = .text
    /// `--help` was given before any command.
    public var wantsHelp = false
    /// `--version` was given.
    public var wantsVersion = false

    /// Parses the leading global options of `arguments`; returns them and the rest
    /// (the command and its own arguments).
    static func parse(_ arguments: [String], context: CLIContext) throws(CLIError) -> (GlobalOptions, [String]) {
        var options = GlobalOptions(
            pluginsDirectory: context.environment["AVESA_PLUGINS"] ?? context.executableDirectory,
            dataDirectory: context.environment["AVESA_DATA"] ?? "./avesa-data",
            mappingsDirectory: context.environment["AVESA_MAPPINGS"] ?? "./mappings",
            configFile: context.environment["AVESA_CONFIG"])
        var rest = arguments[...]
        while let first = rest.first, first.hasPrefix("-") {
            rest = rest.dropFirst()
            switch first {
            case "--help", "-h": options.wantsHelp = true
            case "--version": options.wantsVersion = true
            case "--config":
                guard let value = rest.first, !value.isEmpty else { throw .usage("--config needs a file") }
                rest = rest.dropFirst()
                options.configFile = value
            case "--log-format":
                guard let value = rest.first, let format = LogFormat(rawValue: value) else {
                    throw .usage("--log-format needs text or json")
                }
                rest = rest.dropFirst()
                options.logFormat = format
            case "--plugins", "--data", "--mappings":
                guard let value = rest.first, !value.isEmpty else { throw .usage("\(first) needs a directory") }
                rest = rest.dropFirst()
                switch first {
                case "--plugins": options.pluginsDirectory = value
                case "--data": options.dataDirectory = value
                default: options.mappingsDirectory = value
                }
            default:
                throw .usage("unknown global option \(first)")
            }
        }
        return (options, Array(rest))
    }
}
