/// Output switches for `JSONWriter`. Output is always compact (no insignificant whitespace).
public struct JSONWriterOptions: Sendable, Equatable {
    /// Write object members sorted by the UTF-8 bytes of their keys (stable for duplicates),
    /// for deterministic output such as SCD2 row hashing. Applies to `JSONValue` objects.
    public var sortedKeys: Bool
    /// Escape `/` as `\/` (for embedding in HTML `<script>`). Default `false`.
    public var escapeForwardSlash: Bool

    /// Creates options; both default to `false`.
    public init(sortedKeys: Bool = false, escapeForwardSlash: Bool = false) {
        self.sortedKeys = sortedKeys
        self.escapeForwardSlash = escapeForwardSlash
    }
}
