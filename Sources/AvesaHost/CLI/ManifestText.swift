/// The human-readable form of `plugins show`: identity, auth, credential fields,
/// limits, then one block per endpoint.
enum ManifestText {
    static func render(_ plugin: LoadedPlugin) -> String {
        let m = plugin.manifest
        var lines = [
            "\(m.displayName) (\(m.service)) \(m.version) by \(m.vendor), ABI \(m.abi)",
            "File: \(plugin.path)",
        ]
        if !m.description.isEmpty { lines.append(m.description) }
        lines.append("Base URL: \(m.baseURLTemplate)")
        lines.append("Auth: \(m.auth.kind.name)" + (m.auth.tokenURLTemplate.map { " via \($0)" } ?? ""))
        lines.append("Rate limit: \(m.rateLimit.summary); throttled by \(m.rateLimit.throttleStatuses.map(String.init).joined(separator: ", "))")
        lines.append("Credential fields:")
        for f in m.credentialFields {
            let traits = [f.isRequired ? "required" : "optional", f.isSecret ? "secret" : nil, f.isURL ? "url" : nil]
                .compactMap { $0 }.joined(separator: ", ")
            let defaultText = f.defaultValue.map { " (default \($0))" } ?? ""
            lines.append("  \(f.name): \(f.label) [\(traits)]\(defaultText)")
        }
        lines.append("Endpoints (\(m.endpoints.count)):")
        for e in m.endpoints {
            let canonical = e.canonicalTable.map { " -> \($0)" } ?? ""
            lines.append("  \(e.name)\(canonical)")
            lines.append("    GET \(e.path)  records \(e.recordsPointer.isEmpty ? "(root array)" : e.recordsPointer)  key \(e.primaryKey)")
            lines.append("    pagination \(e.pagination.kind.name), page size \(e.pagination.defaultPageSize) (max \(e.pagination.maxPageSize))")
            if let cursor = e.cursorField {
                lines.append("    incremental on \(cursor) (\(e.cursorFormat.name))" + (e.incrementalTemplate.map { ": \(e.incrementalParam ?? "")=\($0)" } ?? ""))
            } else if e.isIncremental {
                lines.append("    incremental by delta link")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
