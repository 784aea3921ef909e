import Glibc
import PluginABI

/// Loads one plugin file: `dlopen` (RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE), resolve
/// `avesa_plugin_entry`, negotiate the ABI version, then decode and validate the
/// manifest. Runs no hook. Every failure names the file and the reason.
public enum PluginLoader {
    /// The host's name as told to plugins during negotiation.
    public static let hostName = "avesa-host \(AvesaVersion.current)"

    /// Loads and validates the plugin at `path`.
    public static func load(path: String) throws(PluginLoadError) -> LoadedPlugin {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown dlopen error"
            throw PluginLoadError(.notLoadable, path: path, reason: "not a loadable shared library: \(reason)")
        }
        do {
            return try loadOpened(handle: handle, path: path)
        } catch {
            dlclose(handle)  // Harmless with RTLD_NODELETE; drops our reference on failure.
            throw error
        }
    }

    private static func loadOpened(handle: UnsafeMutableRawPointer, path: String) throws(PluginLoadError) -> LoadedPlugin {
        _ = dlerror()
        guard let symbol = dlsym(handle, AVESA_PLUGIN_ENTRY_SYMBOL) else {
            throw PluginLoadError(.missingEntry, path: path,
                                  reason: "not an Avesa plugin: it does not export \(AVESA_PLUGIN_ENTRY_SYMBOL)")
        }
        let entry = unsafeBitCast(symbol, to: avesa_plugin_entry_fn.self)
        let manifestPointer = try negotiate(entry, path: path)
        let manifest: PluginManifest
        do {
            manifest = try ManifestDecoder.decode(manifestPointer)
        } catch let violation as ManifestViolation {
            throw PluginLoadError(.invalidManifest, path: path, reason: violation.message)
        } catch {
            throw PluginLoadError(.invalidManifest, path: path, reason: "invalid manifest: \(error)")
        }
        guard manifest.abi.major == ABIVersion.host.major else {
            throw PluginLoadError(.incompatibleABI, path: path,
                                  reason: "manifest declares ABI \(manifest.abi), this host speaks ABI \(ABIVersion.host)")
        }
        return LoadedPlugin(path: path, manifest: manifest, rawManifest: manifestPointer, handle: handle)
    }

    /// Calls the entry function and applies the host's decision: same major, no newer minor.
    private static func negotiate(_ entry: avesa_plugin_entry_fn, path: String) throws(PluginLoadError) -> UnsafePointer<avesa_plugin> {
        var output: UnsafePointer<avesa_plugin>?
        var negotiation = avesa_negotiation()
        negotiation.struct_size = UInt32(MemoryLayout<avesa_negotiation>.size)
        negotiation.host_abi_version = ABIVersion.host.packed
        negotiation.host_min_abi_version = ABIVersion.minimumSupported.packed
        let status = hostName.withCString { name in
            negotiation.host_name = name
            defer { negotiation.host_name = nil }
            return entry(&negotiation, &output)
        }
        let pluginABI = ABIVersion(packed: negotiation.plugin_abi_version)
        guard status != AVESA_ERR_INCOMPATIBLE, ABIVersion.hostAccepts(pluginABI) else {
            throw PluginLoadError(.incompatibleABI, path: path,
                                  reason: "incompatible ABI: plugin built for ABI \(pluginABI), this host speaks ABI \(ABIVersion.host) (same major and a minor no newer than the host's required)")
        }
        guard status == AVESA_OK else {
            throw PluginLoadError(.entryFailed, path: path, reason: "\(AVESA_PLUGIN_ENTRY_SYMBOL) failed with status \(status)")
        }
        guard let output else {
            throw PluginLoadError(.entryFailed, path: path, reason: "\(AVESA_PLUGIN_ENTRY_SYMBOL) returned no manifest (NULL)")
        }
        return output
    }
}
