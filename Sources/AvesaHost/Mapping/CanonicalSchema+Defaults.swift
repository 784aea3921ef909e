extension CanonicalTable {
    /// Every canonical id is scoped by service (`connectwise:123`), so ids from two
    /// services never collide.
    private static let idColumn = CanonicalColumn(
        name: "id", type: .string, nullable: false, description: "Canonical id scoped by service, e.g. connectwise:123")

    private static func column(_ name: String, _ type: CanonicalType, _ description: String) -> CanonicalColumn {
        CanonicalColumn(name: name, type: type, nullable: true, description: description)
    }

    /// Customer organisations.
    public static let companies = CanonicalTable(
        name: "companies",
        description: "Customer organisations of the MSP.",
        columns: [
            idColumn,
            column("name", .string, "Display name"),
            column("identifier", .string, "Short code used by the source system"),
            column("status", .string, "Source status, e.g. Active"),
            column("type", .string, "Source company type, e.g. Client"),
            column("phone", .string, "Main phone number"),
            column("website", .string, "Web site URL"),
            column("address", .string, "Street address"),
            column("city", .string, "City"),
            column("state", .string, "State or region"),
            column("country", .string, "Country"),
            column("created_at", .timestamp, "Created in the source"),
            column("updated_at", .timestamp, "Last changed in the source"),
        ],
        keyColumns: ["id"],
        changeTimeColumn: "updated_at",
        indexes: [CanonicalIndex(suffix: "name", columns: ["name"])])

    /// People at customer organisations.
    public static let contacts = CanonicalTable(
        name: "contacts",
        description: "People at customer organisations.",
        columns: [
            idColumn,
            column("company_id", .string, "Canonical id of the company"),
            column("first_name", .string, "Given name"),
            column("last_name", .string, "Family name"),
            column("email", .string, "Primary e-mail address"),
            column("phone", .string, "Primary phone number"),
            column("title", .string, "Job title"),
            column("active", .boolean, "Whether the contact is active"),
            column("updated_at", .timestamp, "Last changed in the source"),
        ],
        keyColumns: ["id"],
        changeTimeColumn: "updated_at",
        indexes: [CanonicalIndex(suffix: "company", columns: ["company_id"])])

    /// Service tickets (PSA / ITSM).
    public static let tickets = CanonicalTable(
        name: "tickets",
        description: "Service tickets from PSA and ITSM systems.",
        columns: [
            idColumn,
            column("company_id", .string, "Canonical id of the company"),
            column("contact_id", .string, "Canonical id of the contact"),
            column("summary", .string, "One-line summary"),
            column("status", .string, "Source status name"),
            column("status_category", .string, "open, in_progress, resolved or closed"),
            column("priority", .string, "Source priority name"),
            column("board", .string, "Board, queue or assignment group"),
            column("type", .string, "Ticket type"),
            column("assigned_to", .string, "Assigned member"),
            column("created_at", .timestamp, "Opened in the source"),
            column("updated_at", .timestamp, "Last changed in the source"),
            column("resolved_at", .timestamp, "Resolved in the source"),
            column("closed_at", .timestamp, "Closed in the source"),
        ],
        keyColumns: ["id"],
        changeTimeColumn: "updated_at",
        indexes: [
            CanonicalIndex(suffix: "status_created", columns: ["status_category", "created_at"]),
            // Current tickets by date range, the ticket list's default order (created_at, then
            // id: a page deep in the list skips entries of this index without reading table
            // rows) and, covering, the dashboard's created counts and active companies.
            CanonicalIndex(suffix: "current_created", columns: ["created_at", "id", "company_id"], currentOnly: true),
            // A company's tickets (company detail totals; a full scan of the table without it).
            CanonicalIndex(suffix: "company", columns: ["company_id"]),
            // The dashboard's window counts read only these covering current-row indexes
            // (bench/api: 1M tickets, 3M time entries).
            CanonicalIndex(suffix: "current_resolved", columns: ["resolved_at", "created_at"], currentOnly: true),
            CanonicalIndex(suffix: "current_closed", columns: ["closed_at"], currentOnly: true),
            // "Open now" counts ~60% of the current tickets: covering, it reads no table rows.
            CanonicalIndex(suffix: "current_status", columns: ["status_category"], currentOnly: true),
        ])

    /// Time logged against tickets.
    public static let timeEntries = CanonicalTable(
        name: "time_entries",
        description: "Time logged by members, usually against a ticket.",
        columns: [
            idColumn,
            column("ticket_id", .string, "Canonical id of the ticket"),
            column("company_id", .string, "Canonical id of the company"),
            column("member", .string, "Member who logged the time"),
            column("started_at", .timestamp, "Start of the work"),
            column("ended_at", .timestamp, "End of the work"),
            column("hours", .decimal, "Hours worked, exact decimal"),
            column("billable", .boolean, "Whether the time is billable"),
            column("notes", .string, "Notes"),
            column("updated_at", .timestamp, "Last changed in the source"),
        ],
        keyColumns: ["id"],
        changeTimeColumn: "updated_at",
        indexes: [
            CanonicalIndex(suffix: "ticket", columns: ["ticket_id"]),
            CanonicalIndex(suffix: "company_started", columns: ["company_id", "started_at"]),
            CanonicalIndex(suffix: "started", columns: ["started_at"]),
            // The dashboard's hours and active companies per window, covering (bench/api).
            CanonicalIndex(suffix: "current_started", columns: ["started_at", "company_id", "hours", "billable"], currentOnly: true),
        ])

    /// The four canonical tables, built in Swift. The mapping-file loader
    /// (`mappings/canonical/*.json`) must produce the same descriptions; tests use these.
    public static let defaultTables: [CanonicalTable] = [companies, contacts, tickets, timeEntries]
}
