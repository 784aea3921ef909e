import PluginABI
import PluginKit

// ServiceNow Table API (/api/now/table/{table}). Fully declarative: Basic auth,
// sysparm_limit/sysparm_offset paging that stops at X-Total-Count or an empty page,
// `sysparm_query=sys_updated_on>YYYY-MM-DD HH:MM:SS^ORDERBYsys_id` for incremental syncs, and
// the Aggregate API (/api/now/stats) for counts. Reference fields arrive as
// {link, value}. Rate limits are per-instance hourly rules: a throttled request gets 429
// with Retry-After, and matched responses carry X-RateLimit-Limit / X-RateLimit-Reset
// (UNIX time); there is no Remaining header.

/// Offset paging: `sysparm_offset` / `sysparm_limit`, stop on the total or an empty page.
/// Never on a short page: ServiceNow returns fewer rows than `sysparm_limit` while more
/// remain when access rules or before-query business rules filter some of a page out, and
/// stopping there would leave the rest unread (and a full sync would close it as deleted).
private let offsetPaging = PaginationDeclaration(
    kind: AVESA_PAGINATION_OFFSET_LIMIT, pageParam: "sysparm_offset", sizeParam: "sysparm_limit",
    defaultPageSize: 1000, maxPageSize: 10000, firstPage: 0,
    stopFlags: AVESA_STOP_ON_EMPTY_PAGE | AVESA_STOP_ON_TOTAL,
    totalHeader: "X-Total-Count")

/// One ServiceNow table, incremental on sys_updated_on, paged in `sys_id` order. Offset paging
/// needs an order that is unique and that rows keep while the sync reads them:
/// - by `sys_updated_on`, a row updated during the sync moved to the end, every row after its
///   old place moved back one, and the row at the next page boundary was never read; and
///   rows that tie (a bulk update gives thousands the same second) have no fixed order from
///   one request to the next;
/// - `sys_id` is unique and never changes, so an update leaves every row where it was (its
///   new version is read in place, or by the next run: the host caps the watermark at the
///   sync's start, so reading out of time order loses nothing). A row deleted mid-sync still
///   moves the later ones back one; only keyset paging would avoid that.
private func table(_ name: String, _ description: String, canonical: String? = nil) -> EndpointDeclaration {
    EndpointDeclaration(
        name: name, description: description, path: "/api/now/table/\(name)", recordsPointer: "/result",
        primaryKey: "sys_id", cursorField: "sys_updated_on", cursorFormat: AVESA_TIME_SQL_UTC,
        incrementalParam: "sysparm_query",
        incrementalTemplate: "sys_updated_on>{since}^sys_updated_on<={until}^ORDERBYsys_id",
        pagination: offsetPaging,
        params: [(name: "sysparm_query", value: "ORDERBYsys_id"),
                 (name: "sysparm_exclude_reference_link", value: "false")],
        countPath: "/api/now/stats/\(name)?sysparm_count=true", countPointer: "/result/stats/count",
        canonicalTable: canonical, flags: AVESA_ENDPOINT_INCREMENTAL | AVESA_ENDPOINT_RANGE_FILTER)
}

private let service = ServiceDeclaration(
    name: "servicenow", displayName: "ServiceNow", version: "1.0.0", vendor: "Avesa",
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
        table("customer_contact", "Customer contacts", canonical: "contacts"),
        table("incident", "Incidents", canonical: "tickets"),
        table("task_time_worked", "Time worked on tasks", canonical: "time_entries"),
        table("problem", "Problems"),
        table("change_request", "Change requests"),
        table("sc_request", "Service catalog requests"),
        table("sc_req_item", "Requested items"),
        table("time_card", "Time cards"),
        table("sys_user", "Users"),
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
