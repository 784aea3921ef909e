/// The plaintext form of a tenant service's credentials before sealing: one compact JSON
/// object of strings with sorted keys.
enum CredentialCoding {
    /// `values` as JSON bytes.
    static func encode(_ values: [String: String]) -> [UInt8] {
        let object = JSONObject(values.keys.sorted().map { JSONMember(key: $0, value: .string(values[$0]!)) })
        return JSONValue.object(object).jsonBytes()
    }

    /// The object decoded from `bytes`.
    /// - Throws: `.corruptRecord` (without echoing the bytes) when they are not such an object.
    static func decode(_ bytes: [UInt8]) throws(ControlError) -> [String: String] {
        guard let object = (try? JSONParser.parse(bytes))?.object else {
            throw .corruptRecord("decrypted credentials are not a JSON object")
        }
        var values: [String: String] = [:]
        for member in object {
            guard let text = member.value.string else {
                throw .corruptRecord("decrypted credential field \"\(member.key)\" is not a string")
            }
            values[member.key] = text
        }
        return values
    }
}
