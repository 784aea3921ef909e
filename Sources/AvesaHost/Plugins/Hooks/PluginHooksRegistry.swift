import Foundation

/// One hooks bridge per loaded plugin for the whole process, so a plugin's `init` hook
/// runs once however many runs a long-lived process (serve, demo) starts. Thread-safe.
public final class PluginHooksRegistry: @unchecked Sendable {
    /// The registry of this process.
    public static let shared = PluginHooksRegistry()

    private let lock = NSLock()
    private var bridges: [String: PluginHooks?] = [:]  // under lock, by plugin path

    public init() {}

    /// The bridge of `plugin`, created on first use; nil when the plugin has no hooks.
    public func hooks(for plugin: LoadedPlugin) throws -> PluginHooks? {
        try lock.withLock {
            if let known = bridges[plugin.path] { return known }
            let bridge = try PluginHooks(plugin: plugin)
            bridges[plugin.path] = .some(bridge)
            return bridge
        }
    }
}
