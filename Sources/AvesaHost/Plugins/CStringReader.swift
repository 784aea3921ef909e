/// Reads C strings out of a plugin's manifest: UTF-8 validated, with required ones
/// refused when NULL or empty and the manifest field named in the error.
enum CStringReader {
    /// A required string: NULL, empty or invalid UTF-8 is a violation at `field`.
    static func required(_ pointer: UnsafePointer<CChar>?, field: String) throws -> String {
        guard let value = try optional(pointer, field: field), !value.isEmpty else {
            throw ManifestViolation(field: field, problem: pointer == nil ? "is required but NULL" : "is required but empty")
        }
        return value
    }

    /// An optional string: NULL and "" both read as nil.
    static func optional(_ pointer: UnsafePointer<CChar>?, field: String) throws -> String? {
        guard let pointer else { return nil }
        guard let value = String(validatingCString: pointer) else {
            throw ManifestViolation(field: field, problem: "is not valid UTF-8")
        }
        return value.isEmpty ? nil : value
    }

    /// A string that must be present but may be empty (e.g. a records pointer of "").
    static func present(_ pointer: UnsafePointer<CChar>?, field: String) throws -> String {
        guard pointer != nil else { throw ManifestViolation(field: field, problem: "is required but NULL") }
        return try optional(pointer, field: field) ?? ""
    }
}
