/// One typed record the mapper hands to the warehouse.
public struct CanonicalRecord: Sendable, Hashable {
    /// One value per column of the target `CanonicalTable`, in its column order.
    public var values: [CanonicalValue]
    /// The service the record came from (`connectwise`).
    public var sourceService: String
    /// The record's id in that service (`123`).
    public var sourceID: String
    /// The source's own change time (its cursor field), microseconds since the epoch.
    /// When `nil`, the table's `changeTimeColumn` value is used, then the load time.
    public var changedAt: Int64?
    /// The source reported the record deleted (e.g. a delta `@removed` entry). Only the
    /// key columns need values then.
    public var isDeleted: Bool
    /// Whether the record's source reports deletions itself (its mapping has a `deleted`
    /// marker). When it does not, its key can only have been deleted by a full sync that no
    /// longer saw it, and a record fetched after that close reopens the key even with an
    /// older change time (it is in the source after all); see `SCD2Transition`.
    public var sourceReportsDeletions: Bool

    /// Creates a record.
    public init(values: [CanonicalValue], sourceService: String, sourceID: String,
                changedAt: Int64? = nil, isDeleted: Bool = false, sourceReportsDeletions: Bool = true) {
        self.values = values
        self.sourceService = sourceService
        self.sourceID = sourceID
        self.changedAt = changedAt
        self.isDeleted = isDeleted
        self.sourceReportsDeletions = sourceReportsDeletions
    }
}

/// A natural key: the key column values in key order, compared value by value (so
/// `("a","bc")` and `("ab","c")` are different keys).
public struct CanonicalKey: Sendable, Hashable {
    /// The key values, in the table's key-column order.
    public var values: [CanonicalValue]

    /// Creates a key from its values.
    public init(_ values: [CanonicalValue]) { self.values = values }

    /// A single-column string key, the common case (`CanonicalKey("connectwise:1")`).
    public init(_ id: String) { self.values = [.string(id)] }
}
