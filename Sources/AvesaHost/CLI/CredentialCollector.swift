import Foundation

/// Gathers a tenant service's credential values for `service add`, field by field from
/// the first source that has one:
///
/// 1. the `--credentials-file` JSON object, keyed by the manifest's field names (a name
///    the plugin does not declare is an error naming it);
/// 2. the environment variable `SERVICE_FIELD`, upper-cased, other characters as `_`
///    (e.g. `CONNECTWISE_PRIVATE_KEY`);
/// 3. a prompt, only on a terminal (secret fields without echo; empty keeps the default);
/// 4. the manifest's default.
///
/// Then every required field must have a value (the error names the missing ones) and URL
/// fields must be http(s). Messages name fields, never values.
struct CredentialCollector {
    /// The plugin's service id.
    let service: String
    /// The fields the plugin declares.
    let fields: [CredentialField]

    /// The environment variable read for `field`.
    func environmentName(_ field: CredentialField) -> String {
        let raw = "\(service)_\(field.name)".uppercased()
        return String(raw.unicodeScalars.map { scalar -> Character in
            (scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar))) ? Character(scalar) : "_"
        })
    }

    /// Collects the values (empty values are dropped).
    func collect(file: String?, environment: [String: String], terminal: CLITerminal) throws(CLIError) -> [String: String] {
        var values = try file.map(readFile) ?? [:]
        for field in fields where values[field.name] == nil {
            if let value = environment[environmentName(field)], !value.isEmpty {
                values[field.name] = value
            }
        }
        if terminal.isInteractive {
            for field in fields where values[field.name] == nil {
                let hint = field.defaultValue.map { " [\($0)]" } ?? (field.isRequired ? "" : " (optional)")
                let answer = terminal.readLine("\(field.label) (\(field.name))\(hint): ", field.isSecret) ?? ""
                if !answer.isEmpty { values[field.name] = answer }
            }
        }
        for field in fields where values[field.name] == nil {
            if let value = field.defaultValue, !value.isEmpty { values[field.name] = value }
        }
        let missing = fields.filter { $0.isRequired && values[$0.name] == nil }
        guard missing.isEmpty else {
            let names = missing.map(\.name).joined(separator: ", ")
            let variables = missing.map(environmentName).joined(separator: ", ")
            throw .failure("missing required credential fields for \(service): \(names) (give them in --credentials-file, as environment variables \(variables), or at the prompt on a terminal)")
        }
        for field in fields where field.isURL {
            if let value = values[field.name], !Self.isHTTPURL(value) {
                throw .failure("credential field \(field.name) of \(service) must be an http:// or https:// URL with a host")
            }
        }
        return values
    }

    /// Reads the credentials JSON file: an object of field name → string.
    private func readFile(_ path: String) throws(CLIError) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .failure("cannot read credentials file \(path)")
        }
        let object: JSONObject
        do {
            guard let parsed = try JSONParser.parse([UInt8](data)).object else {
                throw CLIError.failure("credentials file \(path) must hold a JSON object of field names to values")
            }
            object = parsed
        } catch let error as CLIError {
            throw error
        } catch let error as JSONError {
            // Only the position: the parser's message may quote a byte of a secret.
            throw .failure("credentials file \(path) is not valid JSON (line \(error.line), column \(error.column))")
        } catch {
            throw .failure("credentials file \(path) is not valid JSON")
        }
        var named = Set<String>()
        for key in object.keys where !named.insert(key).inserted {
            throw .failure("credentials file \(path) gives field \"\(key)\" twice")
        }
        let known = Set(fields.map(\.name))
        let unknown = object.keys.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw .failure("credentials file \(path) has fields \(service) does not declare: \(unknown.joined(separator: ", ")) (expected: \(fields.map(\.name).joined(separator: ", ")))")
        }
        var values: [String: String] = [:]
        for member in object {
            guard let text = member.value.string else {
                throw .failure("credentials file \(path): field \(member.key) must be a string")
            }
            if !text.isEmpty { values[member.key] = text }
        }
        return values
    }

    /// Whether `text` is an absolute http or https URL with a host.
    static func isHTTPURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else { return false }
        return true
    }
}
