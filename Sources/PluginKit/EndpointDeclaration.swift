import PluginABI

/// How an endpoint pages (`avesa_pagination`).
public struct PaginationDeclaration: Sendable {
    public var kind: avesa_pagination_kind
    public var pageParam: String?
    public var sizeParam: String?
    public var defaultPageSize: UInt32
    public var maxPageSize: UInt32
    public var firstPage: Int32
    public var stopFlags: avesa_stop_flags
    public var nextPointer: String?
    public var donePointer: String?
    public var deltaPointer: String?
    public var totalHeader: String?
    public var sizeHeader: String?
    public var sizeHeaderTemplate: String?
    /// KEYSET (ABI 1.1): the condition for keys after `{after}`, e.g. `"sys_id>{after}^"`.
    public var keysetTemplate: String?

    /// Creates a pagination declaration of `kind`.
    public init(kind: avesa_pagination_kind, pageParam: String? = nil, sizeParam: String? = nil,
                defaultPageSize: UInt32, maxPageSize: UInt32, firstPage: Int32 = 1,
                stopFlags: avesa_stop_flags = AVESA_STOP_ON_EMPTY_PAGE, nextPointer: String? = nil,
                donePointer: String? = nil, deltaPointer: String? = nil, totalHeader: String? = nil,
                sizeHeader: String? = nil, sizeHeaderTemplate: String? = nil, keysetTemplate: String? = nil) {
        self.kind = kind; self.pageParam = pageParam; self.sizeParam = sizeParam
        self.defaultPageSize = defaultPageSize; self.maxPageSize = maxPageSize
        self.firstPage = firstPage; self.stopFlags = stopFlags; self.nextPointer = nextPointer
        self.donePointer = donePointer; self.deltaPointer = deltaPointer
        self.totalHeader = totalHeader; self.sizeHeader = sizeHeader
        self.sizeHeaderTemplate = sizeHeaderTemplate; self.keysetTemplate = keysetTemplate
    }
}

/// One table a service offers (`avesa_endpoint`).
public struct EndpointDeclaration: Sendable {
    public var name: String
    public var description: String?
    public var path: String
    public var recordsPointer: String
    public var primaryKey: String
    public var cursorField: String?
    public var cursorFormat: avesa_time_format
    public var incrementalParam: String?
    public var incrementalTemplate: String?
    public var pagination: PaginationDeclaration
    public var params: [(name: String, value: String)]
    public var countPath: String?
    public var countPointer: String?
    public var canonicalTable: String?
    public var deletedMarker: String?
    public var flags: avesa_endpoint_flags

    /// Creates an endpoint; `flags` are `AVESA_ENDPOINT_*` bits.
    public init(name: String, description: String? = nil, path: String, recordsPointer: String,
                primaryKey: String, cursorField: String? = nil,
                cursorFormat: avesa_time_format = AVESA_TIME_NONE, incrementalParam: String? = nil,
                incrementalTemplate: String? = nil, pagination: PaginationDeclaration,
                params: [(name: String, value: String)] = [], countPath: String? = nil,
                countPointer: String? = nil, canonicalTable: String? = nil,
                deletedMarker: String? = nil, flags: avesa_endpoint_flags = 0) {
        self.name = name; self.description = description; self.path = path
        self.recordsPointer = recordsPointer; self.primaryKey = primaryKey
        self.cursorField = cursorField; self.cursorFormat = cursorFormat
        self.incrementalParam = incrementalParam; self.incrementalTemplate = incrementalTemplate
        self.pagination = pagination; self.params = params; self.countPath = countPath
        self.countPointer = countPointer; self.canonicalTable = canonicalTable
        self.deletedMarker = deletedMarker; self.flags = flags
    }
}
