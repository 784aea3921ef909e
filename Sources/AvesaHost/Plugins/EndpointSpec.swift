/// The pagination kinds of the ABI (`AVESA_PAGINATION_*`).
public enum PaginationKind: Int32, Sendable, CaseIterable {
    case none = 0, pageNumber, offsetLimit, nextURL, cursor, linkHeader, deltaLink, keyset

    /// The name shown by `plugins show` and in JSON.
    public var name: String {
        switch self {
        case .none: "none"
        case .pageNumber: "page_number"
        case .offsetLimit: "offset_limit"
        case .nextURL: "next_url"
        case .cursor: "cursor"
        case .linkHeader: "link_header"
        case .deltaLink: "delta_link"
        case .keyset: "keyset"
        }
    }
}

/// The cursor formats of the ABI (`AVESA_TIME_*`).
public enum TimeFormat: Int32, Sendable, CaseIterable {
    case none = 0, iso8601, iso8601Offset, sqlUTC, unixSeconds, unixMillis, opaque

    /// The name shown by `plugins show` and in JSON.
    public var name: String {
        switch self {
        case .none: "none"
        case .iso8601: "iso8601"
        case .iso8601Offset: "iso8601_offset"
        case .sqlUTC: "sql_utc"
        case .unixSeconds: "unix_seconds"
        case .unixMillis: "unix_millis"
        case .opaque: "opaque"
        }
    }
}

/// Stop conditions for page-number and offset paging (`AVESA_STOP_*`).
public struct StopConditions: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let emptyPage = StopConditions(rawValue: 0x1)
    public static let shortPage = StopConditions(rawValue: 0x2)
    public static let missingNext = StopConditions(rawValue: 0x4)
    public static let total = StopConditions(rawValue: 0x8)
    /// Every flag this host knows.
    public static let known: StopConditions = [.emptyPage, .shortPage, .missingNext, .total]
}

/// How an endpoint pages (`avesa_pagination`).
public struct PaginationSpec: Sendable, Equatable {
    public let kind: PaginationKind
    public let pageParam: String?
    public let sizeParam: String?
    public let defaultPageSize: UInt32
    public let maxPageSize: UInt32
    public let firstPage: Int32
    public let stopConditions: StopConditions
    public let nextPointer: String?
    public let donePointer: String?
    public let deltaPointer: String?
    public let totalHeader: String?
    public let sizeHeader: String?
    public let sizeHeaderTemplate: String?
    /// KEYSET: the condition for keys after `{after}`, rendered into the endpoint's `{keyset}`.
    public var keysetTemplate: String? = nil
}

/// One table a service offers (`avesa_endpoint`).
public struct EndpointSpec: Sendable, Equatable {
    public let name: String
    public let description: String?
    public let path: String
    /// JSON pointer to the records; "" when the body is the array.
    public let recordsPointer: String
    /// Dotted path of the primary key.
    public let primaryKey: String
    /// Dotted path of the change-time cursor.
    public let cursorField: String?
    public let cursorFormat: TimeFormat
    public let incrementalParam: String?
    public let incrementalTemplate: String?
    public let pagination: PaginationSpec
    /// Fixed query parameters.
    public let params: [NameValue]
    public let countPath: String?
    public let countPointer: String?
    /// Canonical table fed: companies, contacts, tickets or time_entries.
    public let canonicalTable: String?
    /// Dotted path of a field marking deleted records (Graph "@removed").
    public let deletedMarker: String?
    /// Filters by cursor (incremental syncs).
    public let isIncremental: Bool
    /// Filters by a range (parallel chunks).
    public let supportsRangeFilter: Bool
    /// Reports deletions.
    public let reportsDeletes: Bool
    /// Must be fetched sequentially.
    public let isSequential: Bool
}
