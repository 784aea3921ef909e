#if canImport(Glibc)
import Glibc
#endif

/// Who a peer address stands for when limiting clients: one IPv4 address, or one IPv6
/// /64 network (a single subscriber or host usually holds a whole /64 and can rotate
/// through it at will), with IPv4-mapped IPv6 taken as the IPv4 address.
extension SocketAddress {
    /// The key that per-client limits count under: `203.0.113.7`, `2001:db8:1:2::/64`.
    public var clientKey: String {
        var bytes = in6_addr()
        guard isIPv6, inet_pton(AF_INET6, host, &bytes) == 1 else { return host }
        let octets = withUnsafeBytes(of: bytes) { Array($0) }
        if octets[0..<10].allSatisfy({ $0 == 0 }) && octets[10] == 0xff && octets[11] == 0xff {
            return octets[12...].map(String.init).joined(separator: ".")
        }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(octets[$0]) << 8 | UInt16(octets[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }

    /// Whether the peer is on this host (127.0.0.0/8, ::1, or IPv4-mapped loopback).
    public var isLoopback: Bool {
        let key = clientKey
        return key.hasPrefix("127.") || host == "::1"
    }
}
