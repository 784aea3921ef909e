/// Reads a JSON mapping document with errors that name the file and the JSON pointer of
/// the offending key. Shared by the canonical and service mapping file readers.
struct MappingDocumentReader {
    let file: String

    func fail(_ pointer: String, _ message: String) -> MappingFileError {
        MappingFileError(file: file, pointer: pointer, message: message)
    }

    /// Pointer of `key` under `pointer` (RFC 6901 escaping).
    func child(_ pointer: String, _ key: String) -> String {
        pointer + "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    func object(_ value: JSONValue?, at pointer: String) throws(MappingFileError) -> JSONObject {
        guard let object = value?.object else { throw fail(pointer, value == nil ? "is required" : "must be an object") }
        return object
    }

    func string(_ value: JSONValue?, at pointer: String) throws(MappingFileError) -> String {
        guard let text = value?.string, !text.isEmpty else {
            throw fail(pointer, value == nil ? "is required" : "must be a non-empty string")
        }
        return text
    }

    func optionalString(_ value: JSONValue?, at pointer: String) throws(MappingFileError) -> String? {
        guard let value, !value.isNull else { return nil }
        return try string(value, at: pointer)
    }

    func strings(_ value: JSONValue?, at pointer: String) throws(MappingFileError) -> [String] {
        guard let array = value?.array, !array.isEmpty else {
            throw fail(pointer, value == nil ? "is required" : "must be a non-empty array of strings")
        }
        var result: [String] = []
        for (index, element) in array.enumerated() { result.append(try string(element, at: "\(pointer)/\(index)")) }
        return result
    }

    func bool(_ value: JSONValue?, at pointer: String, default fallback: Bool) throws(MappingFileError) -> Bool {
        guard let value else { return fallback }
        guard let flag = value.bool else { throw fail(pointer, "must be true or false") }
        return flag
    }

    /// Refuses keys of `object` outside `allowed` (typos must not pass silently).
    func onlyKeys(_ object: JSONObject, _ allowed: Set<String>, at pointer: String) throws(MappingFileError) {
        for key in object.keys where !allowed.contains(key) {
            throw fail(child(pointer, key), "unknown key \"\(key)\" (expected one of \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    /// Refuses an object anywhere in `value` that names a key twice: JSON parsers keep one
    /// of the two silently, so a column mapped twice or a value map listing a state twice
    /// would otherwise load with one of them ignored.
    func refuseDuplicateKeys(in value: JSONValue, at pointer: String) throws(MappingFileError) {
        if let object = value.object {
            var seen = Set<String>()
            for member in object.members {
                guard seen.insert(member.key).inserted else { throw fail(child(pointer, member.key), "is given twice") }
                try refuseDuplicateKeys(in: member.value, at: child(pointer, member.key))
            }
        } else if let array = value.array {
            for (index, element) in array.enumerated() { try refuseDuplicateKeys(in: element, at: "\(pointer)/\(index)") }
        }
    }

    /// A dotted path: non-empty components.
    func path(_ value: JSONValue?, at pointer: String) throws(MappingFileError) -> String {
        let text = try string(value, at: pointer)
        do { _ = try JSONFieldPath(text) } catch { throw fail(pointer, "bad path syntax \"\(text)\": \(error)") }
        return text
    }
}
