/// One record of an API page, as produced by `JSONRecordScanner`.
public struct JSONRecord: Sendable {
    /// 0-based position of the record in the records array.
    public let index: Int
    /// The record's original bytes in the page (the value only, no surrounding whitespace or comma).
    public let byteRange: Range<Int>
    /// The extracted values in the order of `JSONFieldPlan.paths`; `nil` where a path is absent.
    public let values: [JSONValue?]

    /// Creates a record.
    public init(index: Int, byteRange: Range<Int>, values: [JSONValue?]) {
        self.index = index
        self.byteRange = byteRange
        self.values = values
    }

    /// The value extracted for the path at `slot` of the plan.
    public subscript(slot: Int) -> JSONValue? { values[slot] }
}
