import Foundation

/// Parses `mappings/services/<service>.json`:
///
///     { "service": "connectwise",
///       "tables": { "tickets": { "source": "service/tickets", "id": "id",
///                                "changed_at": "_info.lastUpdated",
///                                "columns": { "summary": "summary",
///                                             "status": {"path": "status.name"},
///                                             "company_id": {"path": "company.id", "scope_id": true} } } } }
///
/// A column is a dotted path string or an expression object with exactly one of
/// `path`, `first_of` (paths or expressions), `const`, `concat` (expressions, with `separator`), plus
/// optional modifiers: `array` ({`where`: {key: value}, `take`: member}), `map` (+
/// `default`: a string, or null for no value), `scope_id`, `transform` (lowercase, uppercase, trim), `format`
/// (duration_hours, unix_seconds, unix_millis), and a guard `when` ({`path`, `in`: values}:
/// no value unless that field holds one of them). Type conversion follows the canonical
/// column's type.
public enum ServiceMappingFile {
    /// Parses `bytes` read from `file`.
    public static func parse(_ bytes: [UInt8], file: String) throws(MappingFileError) -> ServiceMapping {
        let reader = MappingDocumentReader(file: file)
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch { throw reader.fail("", "not valid JSON: \(error)") }
        try reader.refuseDuplicateKeys(in: document, at: "")
        let root = try reader.object(document, at: "")
        try reader.onlyKeys(root, ["service", "description", "tables"], at: "")
        let service = try reader.string(root["service"], at: "/service")
        let tablesObject = try reader.object(root["tables"], at: "/tables")
        var tables: [String: TableMapping] = [:]
        for member in tablesObject {
            let pointer = reader.child("/tables", member.key)
            tables[member.key] = try table(member.key, member.value, at: pointer, reader: reader)
        }
        return ServiceMapping(service: service, file: file, tables: tables)
    }

    private static func table(_ name: String, _ value: JSONValue, at pointer: String,
                              reader: MappingDocumentReader) throws(MappingFileError) -> TableMapping {
        let object = try reader.object(value, at: pointer)
        try reader.onlyKeys(object, ["source", "id", "changed_at", "deleted", "columns", "description"], at: pointer)
        let columnsObject = try reader.object(object["columns"], at: pointer + "/columns")
        var columns: [String: ValueExpression] = [:]
        for member in columnsObject {
            columns[member.key] = try expression(member.value, at: reader.child(pointer + "/columns", member.key), reader: reader)
        }
        return TableMapping(
            canonicalTable: name, source: try reader.string(object["source"], at: pointer + "/source"),
            id: try expression(object["id"] ?? .null, at: pointer + "/id", reader: reader, required: true),
            changedAt: try object["changed_at"].map { (v) throws(MappingFileError) in try expression(v, at: pointer + "/changed_at", reader: reader) },
            deletedMarker: try object["deleted"].map { (v) throws(MappingFileError) in try deletionMarker(v, at: pointer + "/deleted", reader: reader) },
            columns: columns)
    }

    static func expression(_ value: JSONValue, at pointer: String, reader: MappingDocumentReader,
                           required: Bool = false) throws(MappingFileError) -> ValueExpression {
        if value.isNull && required { throw reader.fail(pointer, "is required") }
        if value.string != nil { return .path(try reader.path(value, at: pointer)) }
        guard let object = value.object else {
            throw reader.fail(pointer, "must be a path string or an expression object")
        }
        try reader.onlyKeys(object, ["path", "first_of", "const", "concat", "separator", "array", "map", "default",
                                     "scope_id", "transform", "format", "when"], at: pointer)
        let sources = ["path", "first_of", "const", "concat"].filter { object[$0] != nil }
        guard sources.count == 1 else {
            throw reader.fail(pointer, "needs exactly one of path, first_of, const or concat (found \(sources.isEmpty ? "none" : sources.joined(separator: ", ")))")
        }
        var base: ValueExpression
        switch sources[0] {
        case "path":
            base = .path(try reader.path(object["path"], at: pointer + "/path"))
        case "first_of":
            guard let candidates = object["first_of"]?.array, !candidates.isEmpty else {
                throw reader.fail(pointer + "/first_of", "must be a non-empty array of paths or expressions")
            }
            var expressions: [ValueExpression] = []
            for (index, candidate) in candidates.enumerated() {
                expressions.append(try expression(candidate, at: "\(pointer)/first_of/\(index)", reader: reader, required: true))
            }
            base = .firstOf(expressions)
        case "const":
            base = .constant(try constant(object["const"]!, at: pointer + "/const", reader: reader))
        default:
            guard let parts = object["concat"]?.array, !parts.isEmpty else {
                throw reader.fail(pointer + "/concat", "must be a non-empty array of expressions")
            }
            var expressions: [ValueExpression] = []
            for (index, part) in parts.enumerated() {
                expressions.append(try expression(part, at: "\(pointer)/concat/\(index)", reader: reader))
            }
            base = .concat(expressions, separator: try reader.optionalString(object["separator"], at: pointer + "/separator") ?? "")
        }
        let modifiers = try modifiers(object, at: pointer, reader: reader)
        let expression: ValueExpression = modifiers.isEmpty ? base : .modified(base, modifiers)
        guard let condition = object["when"] else { return expression }
        // `"when": {"path": "chargeToType", "in": ["ServiceTicket", "ProjectTicket"]}`: the
        // value only when another field of the record holds one of those values.
        let (path, accepted) = try fieldCondition(condition, at: pointer + "/when", reader: reader)
        return .guarded(expression, path: path, accepted: accepted)
    }

    /// `{"path": P, "in": [values]}`: the path and the values as text.
    private static func fieldCondition(_ value: JSONValue, at pointer: String,
                                       reader: MappingDocumentReader) throws(MappingFileError) -> (path: String, accepted: [String]) {
        let spec = try reader.object(value, at: pointer)
        try reader.onlyKeys(spec, ["path", "in"], at: pointer)
        let path = try reader.path(spec["path"], at: pointer + "/path")
        guard let list = spec["in"]?.array, !list.isEmpty else {
            throw reader.fail(pointer + "/in", spec["in"] == nil ? "is required" : "must be a non-empty array of values")
        }
        var accepted: [String] = []
        for (index, element) in list.enumerated() {
            guard let text = element.isNull ? nil : MappingPlan.text(of: element) else {
                throw reader.fail("\(pointer)/in/\(index)", "must be a string, number or boolean")
            }
            accepted.append(text)
        }
        return (path, accepted)
    }

    /// `"deleted"`: a path whose presence marks a deletion (Graph `@removed`), or a field
    /// condition (`{"path": "IsDeleted", "in": [true]}`, for sources that send the flag on
    /// every record).
    private static func deletionMarker(_ value: JSONValue, at pointer: String,
                                       reader: MappingDocumentReader) throws(MappingFileError) -> DeletionMarker {
        if value.string != nil { return DeletionMarker(path: try reader.path(value, at: pointer), values: nil) }
        guard value.object != nil else { throw reader.fail(pointer, "must be a path string or {\"path\", \"in\"}") }
        let (path, accepted) = try fieldCondition(value, at: pointer, reader: reader)
        return DeletionMarker(path: path, values: accepted)
    }

    private static func modifiers(_ object: JSONObject, at pointer: String,
                                  reader: MappingDocumentReader) throws(MappingFileError) -> [ValueModifier] {
        var result: [ValueModifier] = []
        if let array = object["array"] {
            let spec = try reader.object(array, at: pointer + "/array")
            try reader.onlyKeys(spec, ["where", "take"], at: pointer + "/array")
            var key: String?, equals: String?
            if let condition = spec["where"] {
                let whereObject = try reader.object(condition, at: pointer + "/array/where")
                guard whereObject.count == 1, let member = whereObject.first, let text = member.value.string else {
                    throw reader.fail(pointer + "/array/where", "must hold exactly one key with a string value")
                }
                (key, equals) = (member.key, text)
            }
            result.append(.arrayElement(whereKey: key, equals: equals, take: try reader.optionalString(spec["take"], at: pointer + "/array/take")))
        }
        if let map = object["map"] {
            let table = try reader.object(map, at: pointer + "/map")
            var entries: [String: String] = [:]
            for member in table {
                entries[member.key] = try reader.string(member.value, at: reader.child(pointer + "/map", member.key))
            }
            // No `default`: unmapped values stay as they are; `"default": null`: they become
            // no value; a string: they (and missing values) become it.
            let unmapped: UnmappedValue
            switch object["default"] {
            case nil: unmapped = .keep
            case .null?: unmapped = .drop
            case let fallback?: unmapped = .replace(try reader.string(fallback, at: pointer + "/default"))
            }
            result.append(.valueMap(entries, unmapped: unmapped))
        } else if object["default"] != nil {
            throw reader.fail(pointer + "/default", "is only allowed with map")
        }
        if try reader.bool(object["scope_id"], at: pointer + "/scope_id", default: false) { result.append(.scopeID) }
        if let transform = try reader.optionalString(object["transform"], at: pointer + "/transform") {
            switch transform {
            case "lowercase": result.append(.lowercase)
            case "uppercase": result.append(.uppercase)
            case "trim": result.append(.trim)
            default: throw reader.fail(pointer + "/transform", "unknown transform \"\(transform)\" (expected lowercase, uppercase or trim)")
            }
        }
        if let format = try reader.optionalString(object["format"], at: pointer + "/format") {
            switch format {
            case "duration_hours": result.append(.durationToHours)
            case "unix_seconds": result.append(.unixSeconds)
            case "unix_millis": result.append(.unixMillis)
            default: throw reader.fail(pointer + "/format", "unknown format \"\(format)\" (expected duration_hours, unix_seconds or unix_millis)")
            }
        }
        return result
    }

    private static func constant(_ value: JSONValue, at pointer: String, reader: MappingDocumentReader) throws(MappingFileError) -> ConstantValue {
        switch value {
        case .null: return .null
        case .string(let text): return .string(text)
        case .bool(let flag): return .boolean(flag)
        case .number(let number): return .number(number.literal)
        default: throw reader.fail(pointer, "must be a string, number, boolean or null")
        }
    }
}
