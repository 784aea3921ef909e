/// Related totals shown on a company or ticket, from the same moment (`as_of`) as the entity.
enum EntityTotals {
    static func totals(for entity: EntityDefinition, id: String, asOf: Int64?, _ db: SQLiteDatabase) throws -> JSONValue? {
        let (validity, bindings) = EntityDefinition.validity(asOf)
        switch entity.path {
        case "companies":
            let tickets = try db.prepare(SQLQuery(
                "SELECT COUNT(*), COALESCE(SUM(\"status_category\" IN ('open', 'in_progress')), 0) FROM \"tickets\" WHERE \"company_id\" = ? AND \(validity)",
                [.text(id)] + bindings))
            _ = try tickets.step()
            let (hours, billable, entries) = try hourTotals(column: "company_id", id: id, validity: validity, bindings: bindings, db)
            let contacts = try db.scalarInt(SQLQuery(
                "SELECT COUNT(*) FROM \"contacts\" WHERE \"company_id\" = ? AND \(validity)", [.text(id)] + bindings))
            return ["tickets": .number(JSONNumber(tickets.int64(0))), "open_tickets": .number(JSONNumber(tickets.int64(1))),
                    "contacts": .number(JSONNumber(contacts)), "time_entries": .number(JSONNumber(entries)),
                    "hours": .number(JSONNumber(rounded(hours)) ?? JSONNumber(0)),
                    "billable_hours": .number(JSONNumber(rounded(billable)) ?? JSONNumber(0))]
        case "tickets":
            let (hours, billable, entries) = try hourTotals(column: "ticket_id", id: id, validity: validity, bindings: bindings, db)
            return ["time_entries": .number(JSONNumber(entries)),
                    "hours": .number(JSONNumber(rounded(hours)) ?? JSONNumber(0)),
                    "billable_hours": .number(JSONNumber(rounded(billable)) ?? JSONNumber(0))]
        default:
            return nil
        }
    }

    /// (hours, billable hours, entry count) of time entries whose `column` is `id`.
    static func hourTotals(column: String, id: String, validity: String, bindings: [SQLValue],
                           _ db: SQLiteDatabase) throws -> (Double, Double, Int64) {
        let statement = try db.prepare(SQLQuery(
            "SELECT COALESCE(SUM(CAST(\"hours\" AS REAL)), 0), COALESCE(SUM(CASE WHEN \"billable\" = 1 THEN CAST(\"hours\" AS REAL) ELSE 0 END), 0), COUNT(*) "
                + "FROM \"time_entries\" WHERE \(EntityDefinition.quote(column)) = ? AND \(validity)",
            [.text(id)] + bindings))
        _ = try statement.step()
        return (statement.double(0), statement.double(1), statement.int64(2))
    }
}

extension SQLiteDatabase {
    /// Prepares `query` with its bindings.
    func prepare(_ query: SQLQuery) throws -> SQLiteStatement { try query.prepare(self) }
}
