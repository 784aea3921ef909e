import PluginABI
import PluginKit

// ServiceNow Table API (/api/now/table/{table}). Fully declarative: Basic auth, keyset
// paging in sys_id order (`sys_id>LAST^ORDERBYsys_id`, sysparm_limit, X-Total-Count),
// `sysparm_query=sys_updated_on>YYYY-MM-DD HH:MM:SS^…` for incremental syncs, and the
// Aggregate API (/api/now/stats) for counts. Reference fields arrive as {link, value}.
// Rate limits are per-instance hourly rules: a throttled request gets 429 with Retry-After,
// and matched responses carry X-RateLimit-Limit / X-RateLimit-Reset (UNIX time); there is
// no Remaining header.

/// Keyset paging on `sys_id`: each page asks for the sys_ids after the last one read.
/// - Offset paging skipped a row whenever one was deleted mid-sync (every later row moved
///   back a place); by sys_id, a deletion, an insertion or an update moves no other row
///   across a page boundary, and an update leaves the row where it was (its new version is
///   read in place, or by the next run: the host caps the watermark at the sync's start).
/// - sys_id is unique and 32 hex digits, so `>` on it is exact and the key is literal in
///   an encoded query.
/// - Never stop on a short page: access rules and before-query business rules remove rows
///   from a page while more remain. A page they emptied entirely, while X-Total-Count says
///   rows remain, is stepped over with `sysparm_offset` from the same sys_id.
private let keysetPaging = PaginationDeclaration(
    kind: AVESA_PAGINATION_KEYSET, pageParam: "sysparm_offset", sizeParam: "sysparm_limit",
    defaultPageSize: 1000, maxPageSize: 10000, firstPage: 0,
    stopFlags: AVESA_STOP_ON_EMPTY_PAGE | AVESA_STOP_ON_TOTAL,
    totalHeader: "X-Total-Count", keysetTemplate: "sys_id>{after}^")

/// One ServiceNow table, incremental on sys_updated_on, paged by sys_id.
private func table(_ name: String, _ description: String, canonical: String? = nil) -> EndpointDeclaration {
    EndpointDeclaration(
        name: name, description: description, path: "/api/now/table/\(name)", recordsPointer: "/result",
        primaryKey: "sys_id", cursorField: "sys_updated_on", cursorFormat: AVESA_TIME_SQL_UTC,
        incrementalParam: "sysparm_query",
        incrementalTemplate: "sys_updated_on>{since}^sys_updated_on<={until}^{keyset}ORDERBYsys_id",
        pagination: keysetPaging,
        params: [(name: "sysparm_query", value: "{keyset}ORDERBYsys_id"),
                 (name: "sysparm_exclude_reference_link", value: "false")],
        countPath: "/api/now/stats/\(name)?sysparm_count=true", countPointer: "/result/stats/count",
        canonicalTable: canonical, flags: AVESA_ENDPOINT_INCREMENTAL | AVESA_ENDPOINT_RANGE_FILTER)
}

private let service = ServiceDeclaration(
    name: "servicenow", displayName: "ServiceNow", version: "1.2.0", vendor: "Avesa",
    description: "ServiceNow ITSM through the Table API: incidents, problems, changes, requests, time worked, users, companies, CMDB and knowledge.",
    baseURLTemplate: "{instance_url}",
    auth: AuthDeclaration(kind: AVESA_AUTH_BASIC, username: "{username}", password: "{password}"),
    credentialFields: [
        FieldDeclaration("instance_url", label: "Instance URL", flags: AVESA_FIELD_REQUIRED | AVESA_FIELD_URL,
                         description: "Your instance, e.g. https://acme.service-now.com.",
                         example: "https://acme.service-now.com"),
        FieldDeclaration("username", label: "User name", flags: AVESA_FIELD_REQUIRED,
                         description: "An integration user with the rest_api_explorer and itil roles."),
        FieldDeclaration("password", label: "Password", flags: AVESA_FIELD_REQUIRED | AVESA_FIELD_SECRET,
                         description: "The integration user's password."),
        FieldDeclaration("client_id", label: "OAuth client ID", flags: 0,
                         description: "Optional: OAuth application client id (password grant at /oauth_token.do)."),
        FieldDeclaration("client_secret", label: "OAuth client secret", flags: AVESA_FIELD_SECRET,
                         description: "Optional: OAuth application client secret."),
    ],
    headers: [(name: "Accept", value: "application/json")],
    rateLimit: RateLimitDeclaration(requestsPerSecond: 5, burst: 10, maxConcurrent: 4,
                                    throttleStatuses: [429], limitHeader: "X-RateLimit-Limit",
                                    resetHeader: "X-RateLimit-Reset", resetKind: AVESA_RESET_UNIX_TIME),
    endpoints: [
        table("core_company", "Companies", canonical: "companies"),
        table("sys_user", "Users: the customers' callers (an incident's caller_id) and the staff; CSM's customer contacts are users too",
              canonical: "contacts"),
        table("customer_contact", "Customer contacts (Customer Service Management only)"),
        table("incident", "Incidents", canonical: "tickets"),
        table("task_time_worked", "Time worked on tasks", canonical: "time_entries"),
        table("problem", "Problems"),
        table("change_request", "Change requests"),
        table("sc_request", "Service catalog requests"),
        table("sc_req_item", "Requested items"),
        table("time_card", "Time cards"),
        table("sys_user_group", "Groups"),
        table("customer_account", "Customer accounts"),
        table("cmdb_ci", "Configuration items"),
        table("kb_knowledge", "Knowledge articles"),
    ])

/// The manifest, built once on first use.
nonisolated(unsafe) private let manifest = ManifestBuilder.build(service)

/// The plugin's only exported symbol; see `avesa_plugin_entry` in avesa_plugin.h.
@_cdecl("avesa_plugin_entry")
public func avesaPluginEntry(
    _ negotiation: UnsafeMutablePointer<avesa_negotiation>?,
    _ output: UnsafeMutablePointer<UnsafePointer<avesa_plugin>?>?
) -> avesa_status {
    answerPluginEntry(negotiation, output, manifest: manifest)
}
