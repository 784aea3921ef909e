#if canImport(Glibc)
import Glibc
#endif

/// A numeric IPv4 or IPv6 address and port.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The numeric host, e.g. `127.0.0.1` or `::1`.
    public let host: String
    /// The port.
    public let port: Int
    /// Whether this is an IPv6 address.
    public let isIPv6: Bool

    /// Creates an address from parts (not validated; `resolve()` validates).
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
        self.isIPv6 = host.contains(":")
    }

    /// `host:port`, with brackets around IPv6 hosts.
    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The address as a `sockaddr_storage`, or nil when the host is not a numeric address
    /// (`localhost` is accepted as 127.0.0.1).
    func storage() -> (sockaddr_storage, socklen_t)? {
        var storage = sockaddr_storage()
        let host = self.host == "localhost" ? "127.0.0.1" : self.host
        guard (0...65535).contains(port) else { return nil }
        if host.contains(":") {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET6, host, &sin6.sin6_addr) == 1 else { return nil }
            withUnsafeMutableBytes(of: &storage) { dst in withUnsafeBytes(of: sin6) { dst.copyMemory(from: $0) } }
            return (storage, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &sin.sin_addr) == 1 else { return nil }
        withUnsafeMutableBytes(of: &storage) { dst in withUnsafeBytes(of: sin) { dst.copyMemory(from: $0) } }
        return (storage, socklen_t(MemoryLayout<sockaddr_in>.size))
    }

    private static func string(fromCString buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Reads an address out of a `sockaddr_storage`.
    init?(_ storage: sockaddr_storage) {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        var storage = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            let sin = withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in.self) }
            var addr = sin.sin_addr
            guard inet_ntop(AF_INET, &addr, &buffer, socklen_t(buffer.count)) != nil else { return nil }
            self.init(host: Self.string(fromCString: buffer), port: Int(UInt16(bigEndian: sin.sin_port)))
        case AF_INET6:
            let sin6 = withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in6.self) }
            var addr = sin6.sin6_addr
            guard inet_ntop(AF_INET6, &addr, &buffer, socklen_t(buffer.count)) != nil else { return nil }
            self.init(host: Self.string(fromCString: buffer), port: Int(UInt16(bigEndian: sin6.sin6_port)))
        default:
            return nil
        }
    }
}
