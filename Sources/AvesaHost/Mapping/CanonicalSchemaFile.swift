/// Parses `mappings/canonical/<table>.json` into a validated `CanonicalTable`:
///
///     { "table": "tickets", "description": "...", "key": ["id"],
///       "change_time_column": "updated_at",
///       "columns": [ {"name": "id", "type": "string", "nullable": false, "description": "..."} ],
///       "indexes": [ {"name": "created", "columns": ["created_at"]} ] }
public enum CanonicalSchemaFile {
    /// Parses `bytes` read from `file`.
    public static func parse(_ bytes: [UInt8], file: String) throws(MappingFileError) -> CanonicalTable {
        let reader = MappingDocumentReader(file: file)
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch { throw reader.fail("", "not valid JSON: \(error)") }
        try reader.refuseDuplicateKeys(in: document, at: "")
        let root = try reader.object(document, at: "")
        try reader.onlyKeys(root, ["table", "description", "key", "change_time_column", "columns", "indexes"], at: "")
        guard let columnValues = root["columns"]?.array, !columnValues.isEmpty else {
            throw reader.fail("/columns", "must be a non-empty array of columns")
        }
        var columns: [CanonicalColumn] = []
        for (index, value) in columnValues.enumerated() {
            let pointer = "/columns/\(index)"
            let object = try reader.object(value, at: pointer)
            try reader.onlyKeys(object, ["name", "type", "nullable", "description"], at: pointer)
            let typeName = try reader.string(object["type"], at: pointer + "/type")
            guard let type = CanonicalType(rawValue: typeName) else {
                throw reader.fail(pointer + "/type", "unknown type \"\(typeName)\" (expected \(CanonicalType.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            columns.append(CanonicalColumn(name: try reader.string(object["name"], at: pointer + "/name"), type: type,
                                           nullable: try reader.bool(object["nullable"], at: pointer + "/nullable", default: true),
                                           description: try reader.optionalString(object["description"], at: pointer + "/description") ?? ""))
        }
        var indexes: [CanonicalIndex] = []
        for (index, value) in (root["indexes"]?.array ?? []).enumerated() {
            let pointer = "/indexes/\(index)"
            let object = try reader.object(value, at: pointer)
            try reader.onlyKeys(object, ["name", "columns", "current_only"], at: pointer)
            indexes.append(CanonicalIndex(suffix: try reader.string(object["name"], at: pointer + "/name"),
                                          columns: try reader.strings(object["columns"], at: pointer + "/columns"),
                                          currentOnly: try reader.bool(object["current_only"], at: pointer + "/current_only", default: false)))
        }
        let table = CanonicalTable(
            name: try reader.string(root["table"], at: "/table"),
            description: try reader.optionalString(root["description"], at: "/description") ?? "",
            columns: columns, keyColumns: try reader.strings(root["key"], at: "/key"),
            changeTimeColumn: try reader.optionalString(root["change_time_column"], at: "/change_time_column"),
            indexes: indexes)
        do { try table.validate() } catch { throw reader.fail(error.pointer, error.description) }
        return table
    }
}
