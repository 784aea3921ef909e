/// Limits and switches for reading JSON.
public struct JSONParserOptions: Sendable, Equatable {
    /// Maximum container nesting: `[]` is depth 1, a top-level scalar depth 0. Default 512.
    /// Parsing is iterative at any depth, but Swift releases a nested `JSONValue` recursively,
    /// so keep this in the low thousands when values are materialised.
    public var maxDepth: Int
    /// Maximum input size in bytes. Default 256 MiB.
    public var maxDocumentSize: Int
    /// Skip a leading UTF-8 byte-order mark (EF BB BF) instead of rejecting it. Default `false`
    /// (RFC 8259 §8.1: senders must not add one).
    public var allowByteOrderMark: Bool

    /// Creates options; every parameter has the documented default.
    public init(maxDepth: Int = 512, maxDocumentSize: Int = 256 << 20, allowByteOrderMark: Bool = false) {
        self.maxDepth = maxDepth
        self.maxDocumentSize = maxDocumentSize
        self.allowByteOrderMark = allowByteOrderMark
    }
}
