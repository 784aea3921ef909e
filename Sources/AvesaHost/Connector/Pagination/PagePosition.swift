/// Where a page loop stands: the position of the next page to fetch. Saved after each
/// committed page as the chunk's resume cursor, so a killed run continues from it.
public enum PagePosition: Sendable, Equatable, CustomStringConvertible {
    /// The first page.
    case start
    /// A page number (page-number paging).
    case page(Int)
    /// A record offset (offset/limit paging).
    case offset(Int)
    /// An opaque cursor token sent back as the page parameter.
    case token(String)
    /// A complete URL to fetch next (next links, Link headers, delta links).
    case url(String)
    /// Keyset paging: the keys after `key` (nil: from the first key), skipping `skip`
    /// matches (pages that access rules emptied entirely).
    case after(key: String?, skip: Int)

    /// The stored form: `start`, `page:N`, `offset:N`, `token:T`, `url:U`, `after:SKIP:KEY`.
    public var description: String {
        switch self {
        case .start: "start"
        case .page(let number): "page:\(number)"
        case .offset(let offset): "offset:\(offset)"
        case .token(let token): "token:\(token)"
        case .url(let url): "url:\(url)"
        case .after(let key, let skip): "after:\(skip):\(key ?? "")"
        }
    }

    /// The position for logs and messages: a URL's query values redacted (a next link can
    /// echo an API key or a signature), tokens shortened.
    public var loggable: String {
        switch self {
        case .url(let url): "url:" + URLRedactor.redact(url)
        case .token(let token): token.count > 12 ? "token:\(token.prefix(6))…" : "token:…"
        default: description
        }
    }

    /// Whether a paginator of `kind` can continue from this position (a cursor saved before
    /// the plugin changed how the endpoint pages cannot).
    public func suits(_ kind: PaginationKind) -> Bool {
        switch self {
        case .start: true
        case .page: kind == .pageNumber || kind == .linkHeader
        case .offset: kind == .offsetLimit
        case .token: kind == .cursor
        case .url: kind == .nextURL || kind == .deltaLink || kind == .linkHeader
        case .after: kind == .keyset
        }
    }

    /// Reads the stored form; nil when malformed.
    public init?(stored: String) {
        if stored == "start" { self = .start; return }
        guard let colon = stored.firstIndex(of: ":") else { return nil }
        let kind = stored[..<colon], value = String(stored[stored.index(after: colon)...])
        switch kind {
        case "page": guard let n = Int(value) else { return nil }; self = .page(n)
        case "offset": guard let n = Int(value) else { return nil }; self = .offset(n)
        case "token": self = .token(value)
        case "url": self = .url(value)
        case "after":
            guard let colon = value.firstIndex(of: ":"), let skip = Int(value[..<colon]), skip >= 0 else { return nil }
            let key = String(value[value.index(after: colon)...])
            self = .after(key: key.isEmpty ? nil : key, skip: skip)
        default: return nil
        }
    }
}
