import PluginABI

/// A plugin that passed negotiation and validation. Immutable after loading.
///
/// Ownership: `rawManifest` points into the plugin image, which is opened with
/// RTLD_NODELETE and never closed, so it stays valid for the life of the process; the
/// dlopen handle is kept only so the image is visibly owned by this object.
public final class LoadedPlugin: @unchecked Sendable {
    /// The file the plugin was loaded from.
    public let path: String
    /// The validated manifest.
    public let manifest: PluginManifest
    /// The C manifest in plugin memory (for hooks); never freed.
    let rawManifest: UnsafePointer<avesa_plugin>
    /// The dlopen handle; never closed (see PLATFORM_NOTES.md on dlclose).
    let handle: UnsafeMutableRawPointer

    init(path: String, manifest: PluginManifest, rawManifest: UnsafePointer<avesa_plugin>, handle: UnsafeMutableRawPointer) {
        self.path = path
        self.manifest = manifest
        self.rawManifest = rawManifest
        self.handle = handle
    }
}
