/// Why a plugin file was refused. The message always names the file; `detail` names the
/// manifest field (e.g. `endpoints[2].pagination.kind`) when one is at fault.
public struct PluginLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem it was, for callers and tests that branch on it.
    public enum Kind: Sendable, Equatable {
        /// The directory to scan does not exist or cannot be read.
        case missingDirectory
        /// `dlopen` refused the file (not a shared library, missing dependency, ...).
        case notLoadable
        /// The library has no `avesa_plugin_entry` symbol.
        case missingEntry
        /// The ABI versions are incompatible.
        case incompatibleABI
        /// The entry function failed or returned no manifest.
        case entryFailed
        /// The manifest breaks a rule of the ABI.
        case invalidManifest
        /// Another plugin already provides the service name.
        case duplicateService
    }

    /// The kind of failure.
    public let kind: Kind
    /// The file (or directory) concerned.
    public let path: String
    /// What exactly was wrong.
    public let reason: String

    /// Creates an error about `path`.
    public init(_ kind: Kind, path: String, reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    /// "<path>: <reason>".
    public var description: String { "\(path): \(reason)" }
}

/// A manifest rule broken at `field` (a path into the manifest such as
/// `endpoints[3].primary_key`). Converted into a `PluginLoadError` naming the file.
struct ManifestViolation: Error {
    let field: String
    let problem: String

    var message: String { "invalid manifest: \(field): \(problem)" }
}
