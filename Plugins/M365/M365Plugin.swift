import PluginABI
import PluginKit

// Microsoft Graph v1.0 for Microsoft 365. Declarative: OAuth2 client credentials at
// {authority_url}/{directory_tenant_id}/oauth2/v2.0/token with the `.default` scope,
// opaque `@odata.nextLink` URLs followed as given, and delta queries (users/delta,
// groups/delta) whose final `@odata.deltaLink` is the watermark and whose `@removed`
// entries are deletions. Page sizes as each resource takes them: `$top` where the
// collection supports it, `Prefer: odata.maxpagesize` on delta queries (which ignore
// `$top`), none where the resource supports no query options but `$select`
// (organization, domains, subscribedSkus, directoryRoles, healthOverviews: `$top` there is
// a 400). Throttling is 429 with Retry-After in (possibly fractional) seconds.

/// How a non-delta collection is sized: `$top`, or not at all.
private enum Sizing { case top, none }

/// Opaque next links in `@odata.nextLink`, page size via `$top` (at most 999).
private let topPaging = PaginationDeclaration(
    kind: AVESA_PAGINATION_NEXT_URL, sizeParam: "$top", defaultPageSize: 999, maxPageSize: 999,
    stopFlags: AVESA_STOP_ON_MISSING_NEXT, nextPointer: "/@odata.nextLink")

/// Opaque next links, the page size the service's own (no size option supported).
private let unsizedPaging = PaginationDeclaration(
    kind: AVESA_PAGINATION_NEXT_URL, defaultPageSize: 100, maxPageSize: 100,
    stopFlags: AVESA_STOP_ON_MISSING_NEXT, nextPointer: "/@odata.nextLink")

/// Delta queries: next links until the last page, which carries `@odata.deltaLink`; the
/// page size asked for with `Prefer: odata.maxpagesize`.
private let deltaPaging = PaginationDeclaration(
    kind: AVESA_PAGINATION_DELTA_LINK, defaultPageSize: 999, maxPageSize: 999,
    stopFlags: AVESA_STOP_ON_MISSING_NEXT, nextPointer: "/@odata.nextLink",
    deltaPointer: "/@odata.deltaLink", sizeHeader: "Prefer", sizeHeaderTemplate: "odata.maxpagesize={size}")

/// One Graph collection; `delta` ones sync through their delta function.
private func collection(_ name: String, _ description: String, path: String? = nil, delta: Bool = false,
                        sizing: Sizing = .top, select: String? = nil, canonical: String? = nil) -> EndpointDeclaration {
    EndpointDeclaration(
        name: name, description: description, path: path ?? "/\(name)", recordsPointer: "/value",
        primaryKey: "id",
        cursorFormat: delta ? AVESA_TIME_OPAQUE : AVESA_TIME_NONE,
        pagination: delta ? deltaPaging : sizing == .none ? unsizedPaging : topPaging,
        params: select.map { [(name: "$select", value: $0)] } ?? [],
        canonicalTable: canonical, deletedMarker: delta ? "@removed" : nil,
        flags: delta ? (AVESA_ENDPOINT_INCREMENTAL | AVESA_ENDPOINT_DELETES | AVESA_ENDPOINT_SEQUENTIAL) : 0)
}

private let service = ServiceDeclaration(
    name: "m365", displayName: "Microsoft 365", version: "1.1.0", vendor: "Avesa",
    description: "Microsoft 365 through Microsoft Graph v1.0: organization, users and groups (delta), devices, licences, roles, applications, Intune devices, security alerts and service health.",
    baseURLTemplate: "{graph_url}/v1.0",
    auth: AuthDeclaration(kind: AVESA_AUTH_OAUTH2_CLIENT_CREDENTIALS,
                          tokenURL: "{authority_url}/{directory_tenant_id}/oauth2/v2.0/token",
                          scope: "{scope}", clientID: "{client_id}", clientSecret: "{client_secret}"),
    credentialFields: [
        FieldDeclaration("authority_url", label: "Authority URL", flags: AVESA_FIELD_REQUIRED | AVESA_FIELD_URL,
                         description: "Microsoft identity platform host (national clouds have their own).",
                         defaultValue: "https://login.microsoftonline.com"),
        FieldDeclaration("graph_url", label: "Graph URL", flags: AVESA_FIELD_REQUIRED | AVESA_FIELD_URL,
                         description: "Microsoft Graph host.", defaultValue: "https://graph.microsoft.com"),
        FieldDeclaration("scope", label: "Scope", flags: AVESA_FIELD_REQUIRED,
                         description: "Token scope; national clouds use their own Graph host.",
                         defaultValue: "https://graph.microsoft.com/.default"),
        FieldDeclaration("directory_tenant_id", label: "Directory (tenant) ID", flags: AVESA_FIELD_REQUIRED,
                         description: "The customer's Entra ID tenant id.",
                         example: "00000000-0000-0000-0000-000000000000"),
        FieldDeclaration("client_id", label: "Application (client) ID", flags: AVESA_FIELD_REQUIRED,
                         description: "The app registration's client id."),
        FieldDeclaration("client_secret", label: "Client secret", flags: AVESA_FIELD_REQUIRED | AVESA_FIELD_SECRET,
                         description: "A client secret of the app registration."),
    ],
    headers: [(name: "Accept", value: "application/json")],
    rateLimit: RateLimitDeclaration(requestsPerSecond: 10, burst: 20, maxConcurrent: 4, throttleStatuses: [429, 503]),
    endpoints: [
        collection("organization", "The customer's organization", sizing: .none, canonical: "companies"),
        collection("users", "Users (delta query)", path: "/users/delta", delta: true,
                   select: "id,displayName,givenName,surname,mail,userPrincipalName,jobTitle,mobilePhone,businessPhones,accountEnabled,companyName",
                   canonical: "contacts"),
        collection("groups", "Groups (delta query)", path: "/groups/delta", delta: true),
        collection("devices", "Entra ID devices"),
        collection("domains", "Domains", sizing: .none),
        collection("subscribedSkus", "Licence subscriptions", sizing: .none),
        collection("directoryRoles", "Activated directory roles", sizing: .none),
        collection("applications", "App registrations"),
        collection("servicePrincipals", "Service principals"),
        collection("deviceManagement/managedDevices", "Intune managed devices"),
        collection("security/alerts_v2", "Security alerts", canonical: "tickets"),
        collection("admin/serviceAnnouncement/healthOverviews", "Service health overviews", sizing: .none),
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
