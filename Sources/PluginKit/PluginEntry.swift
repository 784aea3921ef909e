import PluginABI

/// Answers the host's `avesa_plugin_entry` call for a Swift plugin: records the ABI the
/// plugin was built against, refuses an incompatible host major, and hands out the
/// manifest. Call it from the plugin's `@_cdecl("avesa_plugin_entry")` function.
///
/// - Parameters:
///   - negotiation: host memory, valid during the call.
///   - output: where the manifest pointer goes (static plugin memory).
///   - manifest: the plugin's immortal manifest, built once by `ManifestBuilder`.
public func answerPluginEntry(
    _ negotiation: UnsafeMutablePointer<avesa_negotiation>?,
    _ output: UnsafeMutablePointer<UnsafePointer<avesa_plugin>?>?,
    manifest: UnsafePointer<avesa_plugin>
) -> avesa_status {
    guard let negotiation, let output else { return AVESA_ERR_INVALID_ARGUMENT }
    negotiation.pointee.plugin_abi_version = avesaABIVersion
    guard negotiation.pointee.host_abi_version >> 16 == avesaABIVersion >> 16 else {
        return AVESA_ERR_INCOMPATIBLE
    }
    output.pointee = manifest
    return AVESA_OK
}

/// The ABI version this plugin is compiled against (the header's AVESA_ABI_VERSION,
/// which Swift cannot import because it is a function-like macro).
public let avesaABIVersion: UInt32 = (UInt32(AVESA_ABI_VERSION_MAJOR) << 16) | UInt32(AVESA_ABI_VERSION_MINOR)
