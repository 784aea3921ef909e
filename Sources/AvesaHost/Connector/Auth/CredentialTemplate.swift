/// Fills `{field}` placeholders of manifest templates with a tenant's credential values.
public enum CredentialTemplate {
    /// Renders `template`; a placeholder without a value is `missingCredential`. Values are
    /// inserted as they are, never scanned for placeholders themselves. `mayBeEmpty`
    /// names placeholders whose value may be "" (keyset paging's `{keyset}` on a first page).
    public static func render(_ template: String, values: [String: String],
                              mayBeEmpty: Set<String> = []) throws(ConnectorError) -> String {
        var output = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            output += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            guard let value = values[name], !value.isEmpty || mayBeEmpty.contains(name) else { throw .missingCredential(field: name) }
            output += value
            rest = rest[rest.index(after: close)...]
        }
        return output + rest
    }

    /// The field a template consists of, when it is exactly one placeholder (`{refresh_token}`):
    /// where a new value of what it renders can be stored.
    public static func soleField(_ template: String?) -> String? {
        guard let template, template.hasPrefix("{"), template.hasSuffix("}"), template.count > 2 else { return nil }
        let name = template.dropFirst().dropLast()
        return name.contains("{") || name.contains("}") ? nil : String(name)
    }

    /// Renders an optional template (nil stays nil).
    public static func renderOptional(_ template: String?, values: [String: String]) throws(ConnectorError) -> String? {
        guard let template else { return nil }
        return try render(template, values: values)
    }
}
