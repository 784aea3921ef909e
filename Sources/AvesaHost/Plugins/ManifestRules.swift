/// The naming and template rules of avesa_plugin.h, checked by `ManifestDecoder`.
enum ManifestRules {
    /// Canonical tables an endpoint may feed.
    static let canonicalTables: Set<String> = ["companies", "contacts", "tickets", "time_entries"]

    /// Service ids: `[a-z][a-z0-9_]{0,31}`.
    static func isServiceName(_ name: String) -> Bool {
        matches(name, maxLength: 32, first: { $0.isLowercaseASCIILetter }, rest: { $0.isLowercaseASCIILetter || $0.isASCIIDigit || $0 == "_" })
    }

    /// Credential field names: `[a-z][a-z0-9_]{0,63}`.
    static func isFieldName(_ name: String) -> Bool {
        matches(name, maxLength: 64, first: { $0.isLowercaseASCIILetter }, rest: { $0.isLowercaseASCIILetter || $0.isASCIIDigit || $0 == "_" })
    }

    /// Endpoint names: `[A-Za-z0-9_./-]{1,128}`, not starting with "." or "/".
    static func isEndpointName(_ name: String) -> Bool {
        let allowed: (Character) -> Bool = { $0.isASCIILetterOrDigit || "_./-".contains($0) }
        return matches(name, maxLength: 128, first: { $0.isASCIILetterOrDigit || $0 == "_" }, rest: allowed)
            && !name.contains("..")
    }

    /// A JSON pointer (RFC 6901): "" or "/"-prefixed with only ~0 / ~1 escapes.
    static func isJSONPointer(_ pointer: String) -> Bool {
        guard pointer.isEmpty || pointer.hasPrefix("/") else { return false }
        let scalars = Array(pointer)
        for (index, c) in scalars.enumerated() where c == "~" {
            guard index + 1 < scalars.count, scalars[index + 1] == "0" || scalars[index + 1] == "1" else { return false }
        }
        return true
    }

    /// The `{name}` placeholders of a template, or a violation for an unclosed brace.
    static func placeholders(in template: String, field: String) throws -> [String] {
        var names: [String] = []
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw ManifestViolation(field: field, problem: "template \"\(template)\" has an unclosed '{'")
            }
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// Checks that every placeholder of `template` is one of `allowed`.
    static func checkTemplate(_ template: String?, field: String, allowed: Set<String>) throws {
        guard let template else { return }
        for name in try placeholders(in: template, field: field) where !allowed.contains(name) {
            if name == "keyset" {
                throw ManifestViolation(field: field, problem: "template refers to {keyset}, which only keyset pagination fills")
            }
            throw ManifestViolation(field: field, problem: "template refers to {\(name)}, which is not a declared credential field")
        }
    }

    private static func matches(_ text: String, maxLength: Int, first: (Character) -> Bool,
                                rest: (Character) -> Bool) -> Bool {
        guard let head = text.first, text.count <= maxLength, first(head) else { return false }
        return text.dropFirst().allSatisfy(rest)
    }
}

extension Character {
    var isLowercaseASCIILetter: Bool { ("a"..."z").contains(self) }
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    var isASCIILetterOrDigit: Bool { isLowercaseASCIILetter || ("A"..."Z").contains(self) || isASCIIDigit }
}
