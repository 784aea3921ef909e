/// The indexes the warehouse keeps on a canonical table besides its current-key index.
extension CanonicalTable {
    /// Suffix of the key-history index (`ix_<table>_key_history`); reserved, a definition
    /// may not declare an index of its own under it.
    public static let keyHistoryIndexSuffix = "key_history"

    /// Every version of a key in validity order: the key columns, then `_valid_from`, over
    /// all rows. It serves `GET /api/<entity>/:id/history`, the `as_of` detail and the
    /// merge's look-ups of closed rows, which without it read the whole table (the
    /// current-key index holds current rows only). A change's closed copy enters it next to
    /// the revised current row, in the same leaf.
    public var keyHistoryIndex: CanonicalIndex {
        CanonicalIndex(suffix: Self.keyHistoryIndexSuffix, columns: keyColumns + ["_valid_from"])
    }

    /// The declared analytics indexes plus the key-history index: what the warehouse
    /// creates, defers during bulk loads and reconciles at open.
    public var storedIndexes: [CanonicalIndex] { indexes + [keyHistoryIndex] }
}
