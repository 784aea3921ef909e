import PluginABI
import PluginKit

// ConnectWise Manage REST API (…/v4_6_release/apis/3.0). Fully declarative: Basic auth
// of "companyId+publicKey:privateKey" plus the clientId header, keyset paging by id
// (`conditions=id > LAST and …`, `orderBy=id asc`, pageSize),
// `conditions=lastUpdated > [ISO-8601] and lastUpdated <= [ISO-8601]` for incremental syncs and parallel range chunks, and `…/count` endpoints (same
// conditions) for chunk planning. ConnectWise publishes no rate limit, so the
// defaults are conservative and meant to be tuned per tenant.

/// Keyset paging on `id`: each page asks for the ids after the last one read, in id order.
/// - Page numbers shift: a record deleted, or updated out of a time-range chunk, during a
///   sync moves every later record back a place, and the one crossing a page boundary is
///   skipped (then closed as deleted by a full sync).
/// - ConnectWise's forward-only paging (`pagination-type: forward-only`, `pageId` links) does
///   not shift, but not every endpoint supports it (one that does not answers without a
///   Link header, which ended the table after its first page) and it refuses `orderBy`.
/// - `id > N` works in `conditions` on every endpoint, with any other condition; the host
///   builds each next request itself, so nothing depends on the Link header.
/// - Only an empty page ends the table: a server that caps or ignores `pageSize` (some
///   on-premises versions return 25) sends short pages while rows remain. It costs one
///   request per table sync.
private let keysetPaging = PaginationDeclaration(
    kind: AVESA_PAGINATION_KEYSET, sizeParam: "pageSize", defaultPageSize: 1000, maxPageSize: 1000,
    stopFlags: AVESA_STOP_ON_EMPTY_PAGE, keysetTemplate: "id > {after} and ")

/// One ConnectWise table: every endpoint shares the cursor, filter and paging rules.
private func table(_ name: String, _ description: String, canonical: String? = nil) -> EndpointDeclaration {
    EndpointDeclaration(
        name: name, description: description, path: "/\(name)", recordsPointer: "",
        primaryKey: "id", cursorField: "_info.lastUpdated", cursorFormat: AVESA_TIME_ISO8601,
        incrementalParam: "conditions", incrementalTemplate: "{keyset}lastUpdated > [{since}] and lastUpdated <= [{until}]",
        pagination: keysetPaging, params: [(name: "conditions", value: "{keyset}id > 0"), (name: "orderBy", value: "id asc")],
        countPath: "/\(name)/count", countPointer: "/count", canonicalTable: canonical,
        flags: AVESA_ENDPOINT_INCREMENTAL | AVESA_ENDPOINT_RANGE_FILTER)
}

private let service = ServiceDeclaration(
    name: "connectwise", displayName: "ConnectWise Manage", version: "1.1.0", vendor: "Avesa",
    description: "ConnectWise Manage (PSA): companies, contacts, service tickets, time entries, projects, agreements, finance and more.",
    baseURLTemplate: "{api_url}/v4_6_release/apis/3.0",
    auth: AuthDeclaration(kind: AVESA_AUTH_BASIC, username: "{company_id}+{public_key}", password: "{private_key}"),
    credentialFields: [
        FieldDeclaration("api_url", label: "API URL", flags: AVESA_FIELD_REQUIRED | AVESA_FIELD_URL,
                         description: "Your ConnectWise cloud's API host (na, eu, au, or your own server).",
                         defaultValue: "https://api-na.myconnectwise.net"),
        FieldDeclaration("company_id", label: "Company ID", flags: AVESA_FIELD_REQUIRED,
                         description: "The company id you log in with.", example: "sitetechnology"),
        FieldDeclaration("public_key", label: "Public key", flags: AVESA_FIELD_REQUIRED,
                         description: "API member's public key (System > Members > API Members)."),
        FieldDeclaration("private_key", label: "Private key", flags: AVESA_FIELD_REQUIRED | AVESA_FIELD_SECRET,
                         description: "API member's private key."),
        FieldDeclaration("client_id", label: "Client ID", flags: AVESA_FIELD_REQUIRED,
                         description: "Integration client id from developer.connectwise.com.",
                         example: "00000000-0000-0000-0000-000000000000"),
    ],
    // Keyset paging (`id > last id`) instead of page numbers: a deep page costs the server
    // what the first does, and no record is skipped when others move.
    headers: [(name: "clientId", value: "{client_id}"), (name: "Accept", value: "application/json")],
    rateLimit: RateLimitDeclaration(requestsPerSecond: 5, burst: 10, maxConcurrent: 4),
    endpoints: [
        table("company/companies", "Companies (customers, prospects, vendors)", canonical: "companies"),
        table("company/contacts", "Contacts of companies", canonical: "contacts"),
        table("service/tickets", "Service desk tickets", canonical: "tickets"),
        table("time/entries", "Time entries logged by members", canonical: "time_entries"),
        table("system/members", "Members (technicians and staff)"),
        table("project/projects", "Projects"),
        table("project/tickets", "Project tickets"),
        table("finance/agreements", "Agreements (contracts)"),
        table("company/configurations", "Configurations (managed assets)"),
        table("sales/opportunities", "Sales opportunities"),
        table("finance/invoices", "Invoices"),
        table("service/boards", "Service boards"),
        table("schedule/entries", "Schedule entries"),
        table("procurement/products", "Procurement products"),
    ])

/// The manifest, built once on first use (Swift globals initialise lazily and thread-safely).
nonisolated(unsafe) private let manifest = ManifestBuilder.build(service)

/// The plugin's only exported symbol; see `avesa_plugin_entry` in avesa_plugin.h.
@_cdecl("avesa_plugin_entry")
public func avesaPluginEntry(
    _ negotiation: UnsafeMutablePointer<avesa_negotiation>?,
    _ output: UnsafeMutablePointer<UnsafePointer<avesa_plugin>?>?
) -> avesa_status {
    answerPluginEntry(negotiation, output, manifest: manifest)
}
