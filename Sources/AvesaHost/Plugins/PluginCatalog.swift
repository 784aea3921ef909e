import Foundation

/// Every plugin found in a plugins directory: those that loaded, and the files that
/// were refused with their reasons. A refused file never stops the others from loading.
public struct PluginCatalog: Sendable {
    /// Plugins that loaded, in file-name order.
    public let plugins: [LoadedPlugin]
    /// Files that were refused, with the reason.
    public let refused: [PluginLoadError]

    /// File name endings treated as plugins when scanning a directory.
    static let libraryExtensions = [".so", ".dylib"]

    /// Scans `directory` for shared libraries and loads each one. Duplicate service
    /// names are refused (the first file in name order keeps the service).
    public static func scan(directory: String) throws(PluginLoadError) -> PluginCatalog {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PluginLoadError(.missingDirectory, path: directory, reason: "plugin directory does not exist or is not a directory")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw PluginLoadError(.missingDirectory, path: directory, reason: "cannot read plugin directory: \(error.localizedDescription)")
        }
        let paths = names.filter { name in libraryExtensions.contains { name.hasSuffix($0) } }
            .sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
        return load(paths: paths)
    }

    /// Loads the given files, refusing failures and duplicate service names.
    public static func load(paths: [String]) -> PluginCatalog {
        var plugins: [LoadedPlugin] = []
        var refused: [PluginLoadError] = []
        var owners: [String: String] = [:]
        for path in paths {
            do {
                let plugin = try PluginLoader.load(path: path)
                if let owner = owners[plugin.manifest.service] {
                    refused.append(PluginLoadError(.duplicateService, path: path,
                                                   reason: "duplicate service name \"\(plugin.manifest.service)\": already provided by \(owner)"))
                    continue
                }
                owners[plugin.manifest.service] = path
                plugins.append(plugin)
            } catch {
                refused.append(error)
            }
        }
        return PluginCatalog(plugins: plugins, refused: refused)
    }

    /// The plugin providing `service`, if loaded.
    public func plugin(for service: String) -> LoadedPlugin? {
        plugins.first { $0.manifest.service == service }
    }
}
