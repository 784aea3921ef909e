import Foundation

/// Every mapping the pipeline runs with, loaded from a mappings folder and validated at
/// start-up: `canonical/*.json` (the canonical tables) and `services/<service>.json`.
/// The pipeline refuses to run on an invalid mapping; each error names the file and the
/// JSON pointer of the mistake.
public struct MappingCatalog: Sendable {
    /// Canonical tables by name.
    public let tables: [String: CanonicalTable]
    /// Compiled plans by service, then by source endpoint.
    public let plans: [String: [String: MappingPlan]]

    /// The canonical tables in a stable order (name order).
    public var orderedTables: [CanonicalTable] { tables.keys.sorted().compactMap { tables[$0] } }

    /// The plan mapping `service`'s `source` endpoint, if the mapping covers it.
    public func plan(service: String, source: String) -> MappingPlan? {
        plans[service]?[source]
    }

    /// Loads and validates `directory`. With `endpoints` (service → endpoint names from
    /// the loaded plugins), source tables are checked against what the plugin offers.
    public static func load(directory: String, endpoints: [String: Set<String>]? = nil) throws(MappingFileError) -> MappingCatalog {
        var tables: [String: CanonicalTable] = [:]
        for file in try jsonFiles(in: directory + "/canonical") {
            let table = try CanonicalSchemaFile.parse(try read(file), file: file)
            let expected = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            guard table.name == expected else {
                throw MappingFileError(file: file, pointer: "/table", message: "table \"\(table.name)\" must be declared in \(table.name).json")
            }
            tables[table.name] = table
        }
        guard !tables.isEmpty else {
            throw MappingFileError(file: directory + "/canonical", pointer: "", message: "no canonical tables found")
        }
        var plans: [String: [String: MappingPlan]] = [:]
        for file in try jsonFiles(in: directory + "/services") {
            let mapping = try ServiceMappingFile.parse(try read(file), file: file)
            let expected = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            guard mapping.service == expected else {
                throw MappingFileError(file: file, pointer: "/service", message: "service \"\(mapping.service)\" must be mapped in \(mapping.service).json")
            }
            plans[mapping.service] = try compile(mapping, tables: tables, endpoints: endpoints?[mapping.service])
        }
        return MappingCatalog(tables: tables, plans: plans)
    }

    /// Validates `mapping` against the canonical tables (and the plugin's endpoints) and
    /// compiles one plan per source table.
    static func compile(_ mapping: ServiceMapping, tables: [String: CanonicalTable],
                        endpoints: Set<String>?) throws(MappingFileError) -> [String: MappingPlan] {
        var result: [String: MappingPlan] = [:]
        for name in mapping.tables.keys.sorted() {
            let tableMapping = mapping.tables[name]!
            let pointer = "/tables/" + name
            func fail(_ at: String, _ message: String) -> MappingFileError {
                MappingFileError(file: mapping.file, pointer: at, message: message)
            }
            guard let table = tables[name] else {
                throw fail(pointer, "unknown canonical table \"\(name)\" (expected one of \(tables.keys.sorted().joined(separator: ", ")))")
            }
            guard let idColumn = table.columnIndex("id"), table.columns[idColumn].type == .string, table.keyColumns.contains("id") else {
                throw fail(pointer, "canonical table \(name) needs a string key column \"id\" for the mapping's id")
            }
            for column in tableMapping.columns.keys.sorted() {
                if column == "id" { throw fail(pointer + "/columns/id", "the id comes from \"id\" of the table mapping, not from columns") }
                guard let index = table.columnIndex(column) else {
                    throw fail(pointer + "/columns/" + column, "unknown canonical column \"\(column)\" of table \(name)")
                }
                try checkLiterals(of: tableMapping.columns[column]!, fit: table.columns[index], at: pointer + "/columns/" + column,
                                  file: mapping.file, table: name)
            }
            for column in table.columns where !column.nullable && column.name != "id" && tableMapping.columns[column.name] == nil {
                throw fail(pointer + "/columns", "required column \"\(column.name)\" of table \(name) is not mapped")
            }
            if let endpoints, !endpoints.contains(tableMapping.source) {
                throw fail(pointer + "/source", "unknown source table \"\(tableMapping.source)\" of service \(mapping.service) (it offers \(endpoints.sorted().joined(separator: ", ")))")
            }
            if result[tableMapping.source] != nil {
                throw fail(pointer + "/source", "source table \"\(tableMapping.source)\" already feeds another canonical table")
            }
            var plan: MappingPlan
            do { plan = try MappingPlan(service: mapping.service, mapping: tableMapping, table: table) } catch {
                throw fail(pointer, error.message)
            }
            result[tableMapping.source] = plan
        }
        return result
    }

    /// Checks the values a column's expression can produce by itself — a constant, a value
    /// map's targets and default — against the column's type, so a mapping that would reject
    /// every record (and so stop full syncs from closing anything) does not load. A
    /// `scope_id` makes text, so it needs a string column.
    private static func checkLiterals(of expression: ValueExpression, fit column: CanonicalColumn, at pointer: String,
                                      file: String, table: String) throws(MappingFileError) {
        func check(_ value: JSONValue, at location: String) throws(MappingFileError) {
            let converted: CanonicalValue
            do {
                converted = try MappingPlan.convert(value, to: column.type, column: column.name, table: table, sourceID: "")
            } catch {
                throw MappingFileError(file: file, pointer: location, message: "\(error.message) (column \(column.name) is \(column.type.rawValue))")
            }
            if converted == .null && !column.nullable {
                throw MappingFileError(file: file, pointer: location, message: "no value for required column \(column.name)")
            }
        }
        switch expression {
        case .guarded(let base, _, _):
            try checkLiterals(of: base, fit: column, at: pointer, file: file, table: table)
        case .firstOf(let candidates):
            for (index, candidate) in candidates.enumerated() {
                try checkLiterals(of: candidate, fit: column, at: "\(pointer)/first_of/\(index)", file: file, table: table)
            }
        case .constant(let constant):
            try check(constant.jsonValue, at: pointer + "/const")
        case .modified(_, let modifiers):
            if modifiers.contains(.scopeID), column.type != .string {
                throw MappingFileError(file: file, pointer: pointer + "/scope_id",
                                       message: "scope_id makes text, and column \(column.name) is \(column.type.rawValue)")
            }
            // The last value map decides the value, unless a later step rewrites it.
            guard case .valueMap(let targets, let unmapped)? = modifiers.last else { return }
            let reader = MappingDocumentReader(file: file)
            for key in targets.keys.sorted() { try check(.string(targets[key]!), at: reader.child(pointer + "/map", key)) }
            if case .replace(let fallback) = unmapped { try check(.string(fallback), at: pointer + "/default") }
        default:
            return
        }
    }

    private static func jsonFiles(in directory: String) throws(MappingFileError) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw MappingFileError(file: directory, pointer: "", message: "mapping folder does not exist or cannot be read")
        }
        return names.filter { $0.hasSuffix(".json") }.sorted().map { directory + "/" + $0 }
    }

    private static func read(_ file: String) throws(MappingFileError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw MappingFileError(file: file, pointer: "", message: "cannot be read")
        }
        return [UInt8](data)
    }
}
