/// Resolves next-page links against the URL they came from: absolute URLs as given,
/// `/path` against the origin, anything else against the directory (RFC 3986 §5.2, the
/// cases APIs use).
public enum URLResolution {
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
