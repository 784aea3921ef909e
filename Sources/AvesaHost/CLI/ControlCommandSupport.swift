/// What the tenant and service commands share: opening the control database and
/// validating ids, with errors mapped to CLI exit statuses (invalid ids are usage errors,
/// everything else a failure).
enum ControlCommandSupport {
    /// Opens `<data>/control.sqlite`.
    static func openStore(_ options: GlobalOptions) throws(CLIError) -> ControlStore {
        try mapped { () throws(ControlError) in try ControlStore(dataDirectory: options.dataDirectory) }
    }

    /// Validates a tenant id given on the command line.
    static func tenantID(_ text: String) throws(CLIError) -> TenantID {
        try mapped { () throws(ControlError) in try TenantID(text) }
    }

    /// Runs `body`, turning a `ControlError` into the matching `CLIError`.
    @discardableResult
    static func mapped<T>(_ body: () throws(ControlError) -> T) throws(CLIError) -> T {
        do {
            return try body()
        } catch {
            if case .invalidTenantID = error { throw .usage(error.description) }
            throw .failure(error.description)
        }
    }

    /// A list for messages: `a, b, c`, or `none`.
    static func list(_ items: [String]) -> String {
        items.isEmpty ? "none" : items.joined(separator: ", ")
    }

    /// `rows` as one line of compact JSON.
    static func jsonText(_ value: JSONValue) -> String {
        value.jsonString() + "\n"
    }
}
