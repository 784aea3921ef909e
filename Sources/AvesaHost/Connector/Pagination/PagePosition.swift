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

    /// The stored form: `start`, `page:N`, `offset:N`, `token:T`, `url:U`.
    public var description: String {
        switch self {
        case .start: "start"
        case .page(let number): "page:\(number)"
        case .offset(let offset): "offset:\(offset)"
        case .token(let token): "token:\(token)"
        case .url(let url): "url:\(url)"
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
        default: return nil
        }
    }
}
