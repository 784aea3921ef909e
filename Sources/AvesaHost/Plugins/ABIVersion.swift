import PluginABI

/// A packed plugin ABI version (major << 16 | minor), as `avesa_plugin.h` defines it.
public struct ABIVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Incremented only when the contract breaks.
    public let major: UInt32
    /// Incremented when fields or functions are appended.
    public let minor: UInt32

    /// Creates a version from its parts.
    public init(major: UInt32, minor: UInt32) {
        self.major = major
        self.minor = minor
    }

    /// Unpacks a version as it travels through the ABI.
    public init(packed: UInt32) {
        self.init(major: packed >> 16, minor: packed & 0xFFFF)
    }

    /// The packed form sent through the ABI.
    public var packed: UInt32 { (major << 16) | (minor & 0xFFFF) }

    /// "1.0".
    public var description: String { "\(major).\(minor)" }

    public static func < (lhs: ABIVersion, rhs: ABIVersion) -> Bool { lhs.packed < rhs.packed }

    /// The ABI this host was built from (the header's AVESA_ABI_VERSION).
    public static let host = ABIVersion(major: UInt32(AVESA_ABI_VERSION_MAJOR), minor: UInt32(AVESA_ABI_VERSION_MINOR))
    /// The oldest plugin ABI this host loads.
    public static let minimumSupported = ABIVersion(major: UInt32(AVESA_ABI_VERSION_MAJOR), minor: 0)

    /// Whether the host may load a plugin built for `plugin`: same major, and a minor
    /// no newer than the host's (older minors keep loading).
    public static func hostAccepts(_ plugin: ABIVersion) -> Bool {
        plugin.major == host.major && plugin.minor <= host.minor && plugin >= minimumSupported
    }
}
