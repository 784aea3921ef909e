/// Resolves next-page links against the URL they came from: absolute URLs as given,
/// `/path` against the origin, anything else against the directory (RFC 3986 §5.2, the
/// cases APIs use).
public enum URLResolution {
    /// The scheme, host and port (nil: the scheme's default) of an absolute URL, lowercased
    /// (`text` is the prefix of the URL they were read from, `https://Host:8443`).
    public struct Origin: Equatable, Sendable {
        public let scheme: String
        public let host: String
        public let port: String?
        public let text: String

        public static func == (a: Origin, b: Origin) -> Bool {
            a.scheme == b.scheme && a.host == b.host && a.port == b.port
        }
    }

    /// The origin of absolute `url`; nil when it has no `scheme://`.
    public static func origin(of url: String) -> Origin? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let afterScheme = url[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        var authority = url[schemeEnd.upperBound..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = Substring(authority), port: String?
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            host = authority[..<colon]
            port = String(authority[authority.index(after: colon)...])
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") { port = nil }  // the default
        return Origin(scheme: scheme, host: host.lowercased(), port: port, text: String(url[..<authorityEnd]))
    }

    /// `reference` resolved against `base`.
    public static func resolve(_ reference: String, against base: String) -> String {
        if reference.hasPrefix("http://") || reference.hasPrefix("https://") { return reference }
        guard let schemeEnd = base.range(of: "://") else { return reference }
        let afterScheme = base[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? base.endIndex
        let origin = String(base[..<authorityEnd])
        if reference.hasPrefix("//") { return String(base[..<schemeEnd.lowerBound]) + ":" + reference }
        if reference.hasPrefix("/") { return origin + reference }
        if reference.hasPrefix("?") {
            let pathEnd = base[authorityEnd...].firstIndex { $0 == "?" || $0 == "#" } ?? base.endIndex
            return String(base[..<pathEnd]) + reference
        }
        let path = base[authorityEnd...].prefix { $0 != "?" && $0 != "#" }
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? "/"
        return origin + directory + reference
    }
}
