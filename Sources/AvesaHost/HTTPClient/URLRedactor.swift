/// Removes secrets from URLs before they reach logs, errors or metrics: user info
/// (`user:pass@`) and the values of every query parameter (API keys, tokens and
/// signatures travel there) are replaced by `REDACTED`, keeping names for diagnosis.
public enum URLRedactor {
    /// The redacted form of `url`.
    public static func redact(_ url: String) -> String {
        var result = url
        if let scheme = result.range(of: "://") {
            let authorityEnd = result[scheme.upperBound...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? result.endIndex
            if let at = result[scheme.upperBound..<authorityEnd].lastIndex(of: "@") {
                result.replaceSubrange(scheme.upperBound...at, with: "REDACTED@")
            }
        }
        guard let question = result.firstIndex(of: "?") else { return result }
        let fragmentStart = result[question...].firstIndex(of: "#") ?? result.endIndex
        let query = result[result.index(after: question)..<fragmentStart]
        let redacted = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            return pair[..<equals] + "=REDACTED"
        }.joined(separator: "&")
        return String(result[...question]) + redacted + String(result[fragmentStart...])
    }
}
