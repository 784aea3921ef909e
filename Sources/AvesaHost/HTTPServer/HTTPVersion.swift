/// The protocol version from a request line; only 1.0 and 1.1 are accepted by the parser.
public struct HTTPVersion: Hashable, Sendable, CustomStringConvertible {
    /// Major version digit.
    public let major: Int
    /// Minor version digit.
    public let minor: Int

    /// Creates a version.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// `HTTP/1.0`
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    /// `HTTP/1.1`
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// The version as written on the wire, e.g. `HTTP/1.1`.
    public var description: String { "HTTP/\(major).\(minor)" }
}
