/// A mistake in a mapping or canonical file, naming the file and the JSON pointer of the
/// offending key (e.g. `mappings/services/connectwise.json: /tables/tickets/columns/priorty:
/// unknown canonical column "priorty" of table tickets`).
public struct MappingFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file.
    public let file: String
    /// JSON pointer of the mistake inside the file ("" for the whole document).
    public let pointer: String
    /// What is wrong.
    public let message: String

    /// Creates an error.
    public init(file: String, pointer: String, message: String) {
        self.file = file
        self.pointer = pointer
        self.message = message
    }

    public var description: String { "\(file): \(pointer.isEmpty ? "/" : pointer): \(message)" }
}

/// A source record that cannot be mapped (a value of the wrong shape or format). The
/// record stays in the raw zone; fixing the mapping and running `retransform` maps it.
public struct RecordMappingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Canonical table.
    public let table: String
    /// Canonical column, or "id" for the key.
    public let column: String
    /// The record's source id when known.
    public let sourceID: String?
    /// What is wrong, e.g. `"yesterday" is not a timestamp`.
    public let message: String

    public var description: String {
        "\(table).\(column)\(sourceID.map { " (source id \($0))" } ?? ""): \(message)"
    }
}
