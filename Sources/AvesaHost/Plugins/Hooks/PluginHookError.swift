import PluginABI

/// A hook failed, or returned something the host cannot use. The message names the
/// plugin's service and the hook, then the plugin's own message (copied from
/// `*out_error`) or what the host found wrong.
public struct PluginHookError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The plugin's service name.
    public let plugin: String
    /// The hook's name as in the header: "init", "authenticate", "build_request", ...
    public let hook: String
    /// The status the hook returned (`AVESA_OK` when the hook succeeded but its result was unusable).
    public let status: Int32
    /// The plugin's message, or the host's finding.
    public let message: String

    /// Creates an error.
    public init(plugin: String, hook: String, status: Int32, message: String) {
        self.plugin = plugin
        self.hook = hook
        self.status = status
        self.message = message
    }

    /// `plugin "x": hook build_request failed (AVESA_ERR_FAILED): <message>`.
    public var description: String {
        let verb = status == AVESA_OK ? "returned an unusable result" : "failed (\(Self.statusName(status)))"
        return "plugin \"\(plugin)\": hook \(hook) \(verb): \(message)"
    }

    /// The `AVESA_*` name of a status.
    public static func statusName(_ status: Int32) -> String {
        switch status {
        case AVESA_OK: "AVESA_OK"
        case AVESA_ERR_INCOMPATIBLE: "AVESA_ERR_INCOMPATIBLE"
        case AVESA_ERR_INVALID_ARGUMENT: "AVESA_ERR_INVALID_ARGUMENT"
        case AVESA_ERR_FAILED: "AVESA_ERR_FAILED"
        case AVESA_ERR_NO_MEMORY: "AVESA_ERR_NO_MEMORY"
        case AVESA_ERR_HTTP: "AVESA_ERR_HTTP"
        case AVESA_ERR_UNSUPPORTED: "AVESA_ERR_UNSUPPORTED"
        case AVESA_ERR_AUTH: "AVESA_ERR_AUTH"
        default: "status \(status)"
        }
    }
}
