import Foundation
import XCTest
@testable import AvesaHost

/// A fresh temporary directory, removed when the test ends.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("avesa-store-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// A warehouse file path inside a fresh temporary tenant directory.
func makeWarehousePath(_ test: XCTestCase) throws -> String {
    let dir = try makeTemporaryDirectory(test).appendingPathComponent("tenants/acme", isDirectory: true)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent("warehouse.sqlite").path
}

/// A small table for semantics tests: id, status, updated_at (the change time).
let itemsTable = CanonicalTable(
    name: "items",
    columns: [
        CanonicalColumn(name: "id", type: .string, nullable: false),
        CanonicalColumn(name: "status", type: .string),
        CanonicalColumn(name: "updated_at", type: .timestamp),
    ],
    keyColumns: ["id"],
    changeTimeColumn: "updated_at")

/// A record of `itemsTable`; `at == nil` leaves `updated_at` null (load time is used).
func item(_ id: String, _ status: String, at: Int64?, deleted: Bool = false) -> CanonicalRecord {
    CanonicalRecord(
        values: [.string(id), deleted ? .null : .string(status), at.map { .timestamp($0) } ?? .null],
        sourceService: "connectwise", sourceID: String(id.split(separator: ":").last ?? ""),
        changedAt: deleted ? at : nil, isDeleted: deleted)
}

/// A delete event for `itemsTable`.
func itemDeleted(_ id: String, at: Int64?) -> CanonicalRecord { item(id, "", at: at, deleted: true) }

/// A ticket of the default `tickets` table.
func ticket(_ number: Int, status: String, updatedAt: Int64) -> CanonicalRecord {
    var values = [CanonicalValue](repeating: .null, count: CanonicalTable.tickets.columns.count)
    values[0] = .string("connectwise:\(number)")
    values[CanonicalTable.tickets.columnIndex("summary")!] = .string("Ticket \(number)")
    values[CanonicalTable.tickets.columnIndex("status")!] = .string(status)
    values[CanonicalTable.tickets.columnIndex("status_category")!] = .string("open")
    values[CanonicalTable.tickets.columnIndex("updated_at")!] = .timestamp(updatedAt)
    return CanonicalRecord(values: values, sourceService: "connectwise", sourceID: "\(number)")
}

/// `(status, validFrom, validTo)` of every version of `id`, oldest first.
func versions(_ warehouse: TenantWarehouse, _ id: String, table: String = "items") throws
    -> [(status: String?, from: Int64, to: Int64?)]
{
    try warehouse.history(of: CanonicalKey(id), in: table).map { row in
        if case .string(let status) = row.values[1] { return (status, row.validFrom, row.validTo) }
        return (nil, row.validFrom, row.validTo)
    }
}

/// Names of the schema objects of `type` (`table`, `index`, `view`), only those on `table` when given.
func schemaNames(_ database: SQLiteDatabase, type: String, table: String? = nil) throws -> Set<String> {
    let query = try database.prepare("SELECT name FROM sqlite_master WHERE type = ?1 AND (?2 IS NULL OR tbl_name = ?2)")
    try query.bind(type, at: 1)
    if let table { try query.bind(table, at: 2) }
    var names = Set<String>()
    while try query.step() { names.insert(query.text(0) ?? "") }
    return names
}

/// What `PRAGMA integrity_check` says of `database` ("ok" when every index agrees with its table).
func integrityCheck(_ database: SQLiteDatabase) throws -> String? {
    let check = try database.prepare("PRAGMA integrity_check")
    guard try check.step() else { return nil }
    return check.text(0)
}

/// Every index a default-schema tickets table has: the current-key index and the analytics ones.
let allTicketIndexes: Set<String> = Set(["ux_tickets_current"] + CanonicalTable.tickets.storedIndexes.map { "ix_tickets_\($0.suffix)" })

/// The ticket indexes a heavy rewrite of a table that held rows keeps: the key constraint
/// and the current-only analytics indexes.
let currentTicketIndexes: Set<String> = Set(["ux_tickets_current"]
    + CanonicalTable.tickets.storedIndexes.filter(\.currentOnly).map { "ix_tickets_\($0.suffix)" })

