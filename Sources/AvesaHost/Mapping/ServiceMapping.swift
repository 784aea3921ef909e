/// A service's mapping file, parsed: for each canonical table it feeds, the source table
/// and how each column, the id, the change time and deletions are read.
public struct ServiceMapping: Sendable, Equatable {
    /// The service id (`connectwise`).
    public let service: String
    /// Where it was loaded from (for messages).
    public let file: String
    /// One entry per canonical table fed, keyed by canonical table name.
    public let tables: [String: TableMapping]
}

/// How one source table maps onto one canonical table.
public struct TableMapping: Sendable, Equatable {
    /// Canonical table name.
    public let canonicalTable: String
    /// Source table: the plugin endpoint's name (`service/tickets`).
    public let source: String
    /// Expression of the source id; the canonical id is `<service>:<source id>`.
    public let id: ValueExpression
    /// Expression of the source change time (the endpoint's cursor), if any.
    public let changedAt: ValueExpression?
    /// How a deleted record is recognised (Graph `@removed`, Salesforce `IsDeleted`), if the
    /// source reports deletions at all.
    public let deletedMarker: DeletionMarker?
    /// Expressions by canonical column name (columns not listed map to null).
    public let columns: [String: ValueExpression]
}

/// The field that marks a record as deleted: its presence (`"deleted": "@removed"`), or
/// one of some values (`"deleted": {"path": "IsDeleted", "in": [true]}`).
public struct DeletionMarker: Sendable, Equatable {
    /// Dotted path of the field.
    public let path: String
    /// The values (as text) that mean deleted; nil: any non-null value does.
    public let values: [String]?
}
