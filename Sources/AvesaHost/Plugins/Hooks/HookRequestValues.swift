import PluginABI

/// The Swift values of one `avesa_request_context`: which endpoint, chunk and page the
/// host is working on.
public struct HookRequestValues: Sendable, Equatable {
    /// The endpoint's name ("" when the call is not about one endpoint, e.g. authenticate).
    public var endpoint: String
    /// The resolved base URL.
    public var baseURL: String
    /// Lower bound of the chunk's range, nil for "from the start".
    public var since: String?
    /// Upper bound (exclusive), nil for "until now".
    public var until: String?
    /// The previous page's next token or URL, nil on the first page.
    public var pageToken: String?
    /// Records per page.
    public var pageSize: Int

    /// Creates the values.
    public init(endpoint: String, baseURL: String, since: String? = nil, until: String? = nil,
                pageToken: String? = nil, pageSize: Int = 0) {
        self.endpoint = endpoint
        self.baseURL = baseURL
        self.since = since
        self.until = until
        self.pageToken = pageToken
        self.pageSize = pageSize
    }
}

/// Builds an `avesa_request_context` in host memory for the duration of one hook call.
///
/// Ownership: the strings live in a `CStringArena` and the credential lookup object is
/// retained only for the call; both are released when `body` returns, so a plugin that
/// keeps a pointer past the call breaks the contract ("copy what you keep").
enum RequestContextScope {
    /// Calls `body` with a context for `values` whose `credential` looks up `credentials`.
    static func with<R>(_ values: HookRequestValues, credentials: [String: String], arena: CStringArena,
                        _ body: (UnsafePointer<avesa_request_context>) throws -> R) rethrows -> R {
        let lookup = CredentialLookup(values: credentials, arena: arena)
        return try withExtendedLifetime(lookup) {
            var context = avesa_request_context()
            context.struct_size = UInt32(MemoryLayout<avesa_request_context>.size)
            context.page_size = UInt32(clamping: values.pageSize)
            context.endpoint = arena.copy(values.endpoint)
            context.base_url = arena.copy(values.baseURL)
            context.since = arena.copy(values.since)
            context.until = arena.copy(values.until)
            context.page_token = arena.copy(values.pageToken)
            context.credential = credentialFunction
            context.host_data = Unmanaged.passUnretained(lookup).toOpaque()
            return try withUnsafePointer(to: &context) { try body($0) }
        }
    }

    /// `avesa_request_context.credential`: the field's value in host memory, or NULL.
    private static let credentialFunction: @convention(c) (UnsafePointer<avesa_request_context>?, UnsafePointer<CChar>?)
        -> UnsafePointer<CChar>? = { context, field in
            guard let data = context?.pointee.host_data, let field else { return nil }
            let lookup = Unmanaged<CredentialLookup>.fromOpaque(data).takeUnretainedValue()
            return lookup.value(String(cString: field))
        }
}

/// The credential values of one call (host_data of its request context).
private final class CredentialLookup: @unchecked Sendable {
    let values: [String: String]
    let arena: CStringArena

    init(values: [String: String], arena: CStringArena) {
        self.values = values
        self.arena = arena
    }

    /// A copy of the value that lives until the call's arena is released.
    func value(_ name: String) -> UnsafePointer<CChar>? {
        arena.copy(values[name])
    }
}
