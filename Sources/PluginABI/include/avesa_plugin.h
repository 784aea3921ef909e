/*
 * avesa_plugin.h — the Avesa connector plugin ABI, version 1.0.
 *
 * This header is the whole contract between the Avesa host (`avesa-host`) and a
 * connector plugin. A plugin is a shared library (.so) that exports exactly one
 * function, `avesa_plugin_entry`, and describes its service declaratively: identity,
 * authentication, credential fields, rate limits and endpoints (tables). The host does
 * the HTTP, paging, throttling, retries and storage. Optional hooks cover what data
 * cannot express (odd auth, query languages, page formats, chunk planning).
 *
 * Plain C99; usable from C, C++, Rust, Zig and Swift. Only C types cross the boundary.
 *
 * ------------------------------------------------------------------------------------
 * A minimal plugin (a REST API with an API key and page-number paging):
 *
 *     #include "avesa_plugin.h"
 *
 *     static const avesa_credential_field api_url = {
 *         sizeof(avesa_credential_field), AVESA_FIELD_REQUIRED | AVESA_FIELD_URL,
 *         "api_url", "API URL", "Root of the API", "https://api.example.com", NULL };
 *     static const avesa_credential_field api_key = {
 *         sizeof(avesa_credential_field), AVESA_FIELD_REQUIRED | AVESA_FIELD_SECRET,
 *         "api_key", "API key", "Key from the admin console", NULL, NULL };
 *     static const avesa_credential_field *const fields[] = { &api_url, &api_key };
 *     static const avesa_auth auth = { .struct_size = sizeof(avesa_auth),
 *         .kind = AVESA_AUTH_API_KEY_HEADER, .header_name = "X-Api-Key",
 *         .secret_template = "{api_key}" };
 *     static const avesa_rate_limit limits = { .struct_size = sizeof(avesa_rate_limit),
 *         .requests_per_second = 5, .burst = 10, .max_concurrent = 4 };
 *     static const avesa_pagination pages = { .struct_size = sizeof(avesa_pagination),
 *         .kind = AVESA_PAGINATION_PAGE_NUMBER, .page_param = "page",
 *         .size_param = "per_page", .first_page = 1,
 *         .default_page_size = 100, .max_page_size = 500,
 *         .stop_flags = AVESA_STOP_ON_SHORT_PAGE };
 *     static const avesa_endpoint tickets = { .struct_size = sizeof(avesa_endpoint),
 *         .name = "tickets", .path = "/v1/tickets", .records_pointer = "/data",
 *         .primary_key = "id", .cursor_field = "updated_at",
 *         .cursor_format = AVESA_TIME_ISO8601, .pagination = &pages,
 *         .canonical_table = "tickets" };
 *     static const avesa_endpoint *const endpoints[] = { &tickets };
 *     static const avesa_plugin plugin = { .struct_size = sizeof(avesa_plugin),
 *         .abi_version = AVESA_ABI_VERSION, .name = "example",
 *         .display_name = "Example", .version = "1.0.0", .vendor = "Example Inc.",
 *         .description = "Tickets from Example", .base_url_template = "{api_url}",
 *         .auth = &auth, .credential_fields = fields, .credential_field_count = 2,
 *         .rate_limit = &limits, .endpoints = endpoints, .endpoint_count = 1 };
 *
 *     AVESA_EXPORT avesa_status avesa_plugin_entry(avesa_negotiation *n,
 *                                                  const avesa_plugin **out) {
 *         n->plugin_abi_version = AVESA_ABI_VERSION;
 *         if (AVESA_ABI_MAJOR(n->host_abi_version) != AVESA_ABI_VERSION_MAJOR)
 *             return AVESA_ERR_INCOMPATIBLE;
 *         *out = &plugin;
 *         return AVESA_OK;
 *     }
 *
 * Build: cc -shared -fPIC -I<avesa>/Sources/PluginABI/include example.c -o libExample.so
 * Check: avesa-host plugins validate ./libExample.so
 * ------------------------------------------------------------------------------------
 *
 * RULES THAT HOLD EVERYWHERE
 *
 * Versioning. AVESA_ABI_VERSION packs major << 16 | minor. The host and the plugin
 *   negotiate once, in avesa_plugin_entry (see avesa_negotiation). The host decides:
 *   the majors must be equal, and the plugin's minor must not be newer than the host's.
 *   A plugin built for an older minor keeps loading in a newer host.
 *
 * Sized structs. Every struct that crosses the boundary starts with `struct_size`,
 *   set to sizeof(the struct) as the plugin was compiled. The host copies
 *   min(struct_size, its own sizeof) bytes into zeroed memory, so fields added in a
 *   later minor read as zero/NULL from older plugins, and it refuses a struct larger
 *   than it knows. Arrays are arrays of POINTERS to sized structs, never arrays of
 *   structs, so that elements can grow.
 *
 * WARNING: structs and function tables are APPEND-ONLY. Never reorder, resize or
 *   remove a field. A retired field keeps its slot and is documented as
 *   "was X, ABI 1.n". Every addition carries a "since ABI 1.n" comment.
 *
 * Strings are UTF-8 and NUL-terminated. "Optional" string fields may be NULL (an empty
 *   string means the same as NULL unless the field says otherwise).
 *
 * Ownership. The manifest (avesa_plugin and everything it points to) is static plugin
 *   memory that lives as long as the process: the host never frees or writes it and
 *   never unloads a plugin (it loads with RTLD_NODELETE). Anything a hook returns is
 *   allocated by the plugin and released by the host with the plugin's
 *   avesa_hooks.free. Anything the host passes to a hook is host memory, valid only
 *   for the duration of the call; copy what you keep.
 *
 * Threads. avesa_plugin_entry may be called more than once, from any thread, and
 *   must return the same manifest each time. Hooks may be called from several threads
 *   at once unless the manifest sets AVESA_PLUGIN_SERIALIZE_HOOKS. Hooks are called on
 *   host worker threads, never on the HTTP event loop, so they may block (for example
 *   in avesa_host_services.http).
 *
 * Errors. Functions return avesa_status. A hook that fails may set *out_error to a
 *   message allocated by the plugin (freed with avesa_hooks.free). No function may
 *   exit(), abort(), throw a C++ exception, panic across the boundary or longjmp out.
 *
 * Listing. Reading a plugin's manifest (`avesa-host plugins list`) calls only
 *   avesa_plugin_entry: no hook runs, nothing is initialised.
 */
#ifndef AVESA_PLUGIN_H
#define AVESA_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================== versions */

/*
 * ABI changelog (append a line for every minor):
 *   1.0  first release.
 *   1.1  AVESA_PAGINATION_KEYSET and avesa_pagination.keyset_template (in a reserved
 *        slot: no struct changed size).
 */

/** Major ABI version: changes only when the contract breaks. */
#define AVESA_ABI_VERSION_MAJOR 1
/** Minor ABI version: grows when fields or functions are appended. */
#define AVESA_ABI_VERSION_MINOR 1
/** Packs a major and minor version into one uint32_t. */
#define AVESA_MAKE_ABI_VERSION(major, minor) ((((uint32_t)(major)) << 16) | ((uint32_t)(minor) & 0xFFFFu))
/** The major part of a packed version. */
#define AVESA_ABI_MAJOR(version) ((uint32_t)(version) >> 16)
/** The minor part of a packed version. */
#define AVESA_ABI_MINOR(version) ((uint32_t)(version) & 0xFFFFu)
/** The version this header describes. */
#define AVESA_ABI_VERSION AVESA_MAKE_ABI_VERSION(AVESA_ABI_VERSION_MAJOR, AVESA_ABI_VERSION_MINOR)
/** The oldest plugin ABI a host built from this header accepts. */
#define AVESA_ABI_MIN_SUPPORTED AVESA_MAKE_ABI_VERSION(1, 0)

/** The name of the one symbol every plugin exports. */
#define AVESA_PLUGIN_ENTRY_SYMBOL "avesa_plugin_entry"

/** Marks the entry function as exported (default visibility). */
#if defined(_WIN32)
#define AVESA_EXPORT __declspec(dllexport)
#else
#define AVESA_EXPORT __attribute__((visibility("default")))
#endif

/* ========================================================================= status */

/** Result of every ABI function. Values are fixed forever; new ones may be appended. */
typedef int32_t avesa_status;
/** Success. */
#define AVESA_OK 0
/** The other side speaks an ABI this side cannot work with. */
#define AVESA_ERR_INCOMPATIBLE 1
/** An argument was NULL, malformed or out of range. */
#define AVESA_ERR_INVALID_ARGUMENT 2
/** The operation failed; *out_error (when offered) says why. */
#define AVESA_ERR_FAILED 3
/** An allocation failed. */
#define AVESA_ERR_NO_MEMORY 4
/** An HTTP call made through the host failed (transport error or refused status). */
#define AVESA_ERR_HTTP 5
/** The plugin does not support what was asked (for example an unknown endpoint). */
#define AVESA_ERR_UNSUPPORTED 6
/** Authentication was refused by the service. */
#define AVESA_ERR_AUTH 7

/* ==================================================================== negotiation */

/**
 * Version negotiation, filled in by both sides during avesa_plugin_entry.
 * Memory: owned by the host, valid only during the call.
 */
typedef struct avesa_negotiation {
    /** sizeof(avesa_negotiation) as the HOST was compiled. Read it before newer fields. */
    uint32_t struct_size;
    /** In: the newest ABI version the host speaks (AVESA_ABI_VERSION of the host). */
    uint32_t host_abi_version;
    /** In: the oldest plugin ABI version the host accepts. */
    uint32_t host_min_abi_version;
    /** Out: the ABI version the plugin was built against. Always set it, even on failure. */
    uint32_t plugin_abi_version;
    /** In: the host's name and version, e.g. "avesa-host 0.1.0". Host memory. */
    const char *host_name;
} avesa_negotiation;

/* ====================================================================== enums */

/** How the service authenticates. Values are fixed; unknown values are refused. */
typedef int32_t avesa_auth_kind;
/** No authentication. */
#define AVESA_AUTH_NONE 0
/** HTTP Basic with username_template / password_template. */
#define AVESA_AUTH_BASIC 1
/** An API key sent in the header header_name (value from secret_template). */
#define AVESA_AUTH_API_KEY_HEADER 2
/** An API key sent as the query parameter query_param (value from secret_template). */
#define AVESA_AUTH_API_KEY_QUERY 3
/** A static bearer token: "Authorization: Bearer <secret_template>". */
#define AVESA_AUTH_BEARER 4
/** OAuth2 client credentials grant at token_url_template. */
#define AVESA_AUTH_OAUTH2_CLIENT_CREDENTIALS 5
/** OAuth2 refresh token grant at token_url_template. */
#define AVESA_AUTH_OAUTH2_REFRESH_TOKEN 6
/** OAuth2 resource-owner password grant at token_url_template. */
#define AVESA_AUTH_OAUTH2_PASSWORD 7
/** OAuth2 JWT bearer assertion (RFC 7523), RS256-signed with private_key_template. */
#define AVESA_AUTH_OAUTH2_JWT_BEARER 8
/** The plugin's avesa_hooks.authenticate decorates each request. */
#define AVESA_AUTH_CUSTOM 9

/** How a client secret is presented at an OAuth2 token endpoint. */
typedef int32_t avesa_client_auth;
/** client_id and client_secret in the form body (the default). */
#define AVESA_CLIENT_AUTH_FORM 0
/** client_id:client_secret as HTTP Basic. */
#define AVESA_CLIENT_AUTH_BASIC 1

/** How an endpoint pages. Values are fixed; unknown values are refused. */
typedef int32_t avesa_pagination_kind;
/** One request returns everything. */
#define AVESA_PAGINATION_NONE 0
/** page_param counts pages from first_page (0 or 1); size_param sets the page size. */
#define AVESA_PAGINATION_PAGE_NUMBER 1
/** page_param carries a record offset; size_param the limit. */
#define AVESA_PAGINATION_OFFSET_LIMIT 2
/** The body holds the next page's URL at next_pointer (relative or absolute). */
#define AVESA_PAGINATION_NEXT_URL 3
/** The body holds an opaque token at next_pointer, sent back as page_param. */
#define AVESA_PAGINATION_CURSOR 4
/** The response's Link header (RFC 8288) carries rel="next". */
#define AVESA_PAGINATION_LINK_HEADER 5
/** Like NEXT_URL; the last page carries a delta link at delta_pointer: the new watermark. */
#define AVESA_PAGINATION_DELTA_LINK 6
/**
 * Since ABI 1.1. Keyset ("seek") paging in primary-key order: each page after the first
 * asks for the keys after the previous page's last primary key. The endpoint's query
 * templates place {keyset} where the condition goes; the host renders it as "" on the
 * first page and as keyset_template with {after} = that key afterwards. Rows deleted or
 * inserted mid-sync move no other row across a page boundary, as they do with offsets.
 * Stops on an empty page, or (with AVESA_STOP_ON_TOTAL) once the records received reach
 * total_header's count, or (with AVESA_STOP_ON_SHORT_PAGE, refused together with
 * page_param) on a page shorter than asked: only for services that never shorten a page
 * while rows remain.
 * With page_param (an offset parameter; then total_header, AVESA_STOP_ON_TOTAL and a
 * size parameter are required), an empty page while the total says rows remain (access
 * rules hid a whole page) is stepped over by offset from the same key: only while it
 * steps can a deletion move a row past it. The primary key's values must be literal in
 * the query language (e.g. hex sys_ids), and the query must order by that key.
 * Not for plugins with a build_request hook (they page with CURSOR tokens).
 */
#define AVESA_PAGINATION_KEYSET 7

/** Stop conditions for page-number, offset and keyset paging (bit flags). */
typedef uint32_t avesa_stop_flags;
/** Stop when a page holds no records. Always applied. */
#define AVESA_STOP_ON_EMPTY_PAGE 0x1u
/** Stop when a page holds fewer records than requested. */
#define AVESA_STOP_ON_SHORT_PAGE 0x2u
/** Stop when the response has no next link / next token. */
#define AVESA_STOP_ON_MISSING_NEXT 0x4u
/** Stop when the offset reaches the total from total_header. */
#define AVESA_STOP_ON_TOTAL 0x8u

/** The text format of a cursor (timestamp) field, used to read and to write filters. */
typedef int32_t avesa_time_format;
/** No cursor: the endpoint only supports full syncs. */
#define AVESA_TIME_NONE 0
/** ISO-8601 / RFC 3339, e.g. 2026-01-31T12:00:00Z (written with Z). */
#define AVESA_TIME_ISO8601 1
/** ISO-8601 with a numeric offset and milliseconds in records, e.g. 2026-01-31T12:00:00.000+0000
 *  (Salesforce); {since}/{until} are written 2026-01-31T12:00:00Z, the literal SOQL documents. */
#define AVESA_TIME_ISO8601_OFFSET 2
/** "YYYY-MM-DD HH:MM:SS" in UTC (ServiceNow). */
#define AVESA_TIME_SQL_UTC 3
/** Seconds since the UNIX epoch, as a number. */
#define AVESA_TIME_UNIX_SECONDS 4
/** Milliseconds since the UNIX epoch, as a number. */
#define AVESA_TIME_UNIX_MILLIS 5
/** The cursor is an opaque token (for example a delta link), not a time. */
#define AVESA_TIME_OPAQUE 6

/** How a service states when a rate limit window resets (reset_header). */
typedef int32_t avesa_reset_kind;
/** No reset header. */
#define AVESA_RESET_NONE 0
/** Seconds until the window resets. */
#define AVESA_RESET_SECONDS 1
/** UNIX time (seconds) at which the window resets. */
#define AVESA_RESET_UNIX_TIME 2

/** Log levels for avesa_host_services.log. */
typedef int32_t avesa_log_level;
#define AVESA_LOG_DEBUG 0
#define AVESA_LOG_INFO 1
#define AVESA_LOG_WARNING 2
#define AVESA_LOG_ERROR 3

/* ============================================================== credential fields */

/** Flags of a credential or configuration field (bit flags). */
typedef uint32_t avesa_field_flags;
/** The field must have a value (from the user or default_value). */
#define AVESA_FIELD_REQUIRED 0x1u
/** The value is a secret: encrypted at rest, never printed, logged or returned. */
#define AVESA_FIELD_SECRET 0x2u
/** The value is a base URL (API root, token endpoint host); validated as http(s). */
#define AVESA_FIELD_URL 0x4u
/** The value is multi-line text (for example a PEM private key). */
#define AVESA_FIELD_MULTILINE 0x8u

/**
 * One value the user supplies when configuring the service for a tenant: a secret, an
 * identifier or a base URL. Templates elsewhere in the manifest refer to it as {name}.
 * Memory: static plugin memory.
 */
typedef struct avesa_credential_field {
    /** sizeof(avesa_credential_field) as the plugin was compiled. */
    uint32_t struct_size;
    /** AVESA_FIELD_* flags. */
    avesa_field_flags flags;
    /** Required. Identifier [a-z][a-z0-9_]{0,63}; also names the env var SERVICE_NAME. */
    const char *name;
    /** Required. Short human label, e.g. "Private key". */
    const char *label;
    /** Optional. One sentence on where to find the value. */
    const char *description;
    /** Optional. Used when the user gives none (real service defaults for URLs). */
    const char *default_value;
    /** Optional. An example value for documentation (never a real secret). */
    const char *example;
} avesa_credential_field;

/** A name/value pair; the value may contain {field} templates. Static plugin memory. */
typedef struct avesa_name_value {
    /** sizeof(avesa_name_value) as the plugin was compiled. */
    uint32_t struct_size;
    /** Required. Header or query parameter name. */
    const char *name;
    /** Required. Value template, e.g. "{client_id}" or "id asc". */
    const char *value;
} avesa_name_value;

/* =========================================================================== auth */

/**
 * How requests are authenticated. Templates may use {field} for any credential field.
 * Only the members the kind needs are read; leave the others NULL.
 * Memory: static plugin memory.
 */
typedef struct avesa_auth {
    /** sizeof(avesa_auth) as the plugin was compiled. */
    uint32_t struct_size;
    /** AVESA_AUTH_* kind. */
    avesa_auth_kind kind;
    /** BASIC: user name template, e.g. "{company_id}+{public_key}". PASSWORD grant: username. */
    const char *username_template;
    /** BASIC and PASSWORD grant: password template, e.g. "{private_key}". */
    const char *password_template;
    /** API_KEY_HEADER: header name. Optional for BEARER (default "Authorization"). */
    const char *header_name;
    /** API_KEY_QUERY: query parameter name. */
    const char *query_param;
    /** API_KEY_*, BEARER: the secret's template, e.g. "{api_key}". */
    const char *secret_template;
    /** OAUTH2_*: token endpoint URL template, e.g. "{login_url}/services/oauth2/token". */
    const char *token_url_template;
    /** OAUTH2_*: scope template; optional. */
    const char *scope_template;
    /** OAUTH2_*: client id template, e.g. "{client_id}". */
    const char *client_id_template;
    /** OAUTH2_*: client secret template; optional for JWT bearer. */
    const char *client_secret_template;
    /** OAUTH2_REFRESH_TOKEN: refresh token template. */
    const char *refresh_token_template;
    /** OAUTH2_JWT_BEARER: PEM private key template (RS256). */
    const char *private_key_template;
    /** OAUTH2_JWT_BEARER: the assertion's "aud" template, e.g. "{login_url}". */
    const char *audience_template;
    /** OAUTH2_*: how the client authenticates at the token endpoint. */
    avesa_client_auth client_auth;
    /** Reserved; set to 0. */
    int32_t reserved0;
    /**
     * OAUTH2_*: optional JSON pointer into the token response whose value replaces
     * {instance_url} in base_url_template (Salesforce returns "/instance_url").
     */
    const char *instance_url_pointer;
    /** Reserved for growth; set to NULL. */
    const void *reserved[4];
} avesa_auth;

/* ==================================================================== rate limits */

/**
 * The service's published limits per credential, and how it signals throttling.
 * Users may override rate, burst and concurrency per service and per tenant.
 * Memory: static plugin memory.
 */
typedef struct avesa_rate_limit {
    /** sizeof(avesa_rate_limit) as the plugin was compiled. */
    uint32_t struct_size;
    /** Maximum in-flight requests per credential (>= 1). */
    uint32_t max_concurrent;
    /** Sustained requests per second per credential (> 0). */
    double requests_per_second;
    /** Token-bucket burst size (>= 1). */
    uint32_t burst;
    /** Number of entries in throttle_statuses. */
    uint32_t throttle_status_count;
    /** Status codes that mean "slow down" (for example 429 and 503). Static memory. */
    const int32_t *throttle_statuses;
    /** Optional. Header giving the wait in seconds or an HTTP date (usually "Retry-After"). */
    const char *retry_after_header;
    /** Optional. Header giving the requests left in the window (e.g. "X-RateLimit-Remaining"). */
    const char *remaining_header;
    /** Optional. Header giving the window's limit (e.g. "X-RateLimit-Limit"). */
    const char *limit_header;
    /** Optional. Header giving when the window resets; see reset_kind. */
    const char *reset_header;
    /** How reset_header is expressed (AVESA_RESET_*). */
    avesa_reset_kind reset_kind;
    /** Reserved; set to 0. */
    int32_t reserved0;
    /** Optional. Header carrying "name=used/limit" usage (Salesforce "Sforce-Limit-Info"). */
    const char *usage_header;
    /** Reserved for growth; set to NULL. */
    const void *reserved[4];
} avesa_rate_limit;

/* ===================================================================== pagination */

/**
 * How an endpoint pages. Only the members the kind needs are read.
 * Memory: static plugin memory; one struct may be shared by many endpoints.
 */
typedef struct avesa_pagination {
    /** sizeof(avesa_pagination) as the plugin was compiled. */
    uint32_t struct_size;
    /** AVESA_PAGINATION_* kind. */
    avesa_pagination_kind kind;
    /** Query parameter for the page number, offset or cursor token ("page", "sysparm_offset");
     *  KEYSET: optional offset parameter for stepping over pages access rules emptied. */
    const char *page_param;
    /** Query parameter for the page size ("pageSize", "sysparm_limit", "$top"); optional. */
    const char *size_param;
    /** Page size used when the user sets none (>= 1). */
    uint32_t default_page_size;
    /** Largest page size the service accepts (>= default_page_size). */
    uint32_t max_page_size;
    /** PAGE_NUMBER: the first page's number, 0 or 1. */
    int32_t first_page;
    /** AVESA_STOP_* flags (PAGE_NUMBER, OFFSET_LIMIT). */
    avesa_stop_flags stop_flags;
    /** NEXT_URL, DELTA_LINK: JSON pointer to the next URL; CURSOR: to the token.
     *  Optional when the plugin has parse_page (its next_token is used instead). */
    const char *next_pointer;
    /** Optional. JSON pointer to a boolean that is true on the last page ("/done"). */
    const char *done_pointer;
    /** DELTA_LINK: JSON pointer to the final delta link ("/@odata.deltaLink"); optional with parse_page. */
    const char *delta_pointer;
    /** Optional. Response header holding the total record count ("X-Total-Count"). */
    const char *total_header;
    /**
     * Optional. A request header that sets the page size instead of size_param, and its
     * value template using {size}: e.g. "Sforce-Query-Options" / "batchSize={size}".
     */
    const char *size_header;
    /** Value template for size_header. */
    const char *size_header_template;
    /**
     * Since ABI 1.1. KEYSET: the condition selecting keys after {after}, rendered into the
     * endpoint's {keyset} placeholders, e.g. "sys_id>{after}^". NULL for other kinds.
     */
    const char *keyset_template;
    /** Reserved for growth; set to NULL. */
    const void *reserved[3];
} avesa_pagination;

/* ====================================================================== endpoints */

/** Endpoint capabilities (bit flags). */
typedef uint32_t avesa_endpoint_flags;
/** The endpoint can filter by cursor, so incremental runs fetch only changes. */
#define AVESA_ENDPOINT_INCREMENTAL 0x1u
/** The filter also takes an upper bound ({until}), so a range splits into parallel chunks. */
#define AVESA_ENDPOINT_RANGE_FILTER 0x2u
/** The endpoint reports deletions (delta "@removed" entries or a deleted-records call). */
#define AVESA_ENDPOINT_DELETES 0x4u
/** The endpoint must be fetched sequentially (no parallel chunks even with a range filter). */
#define AVESA_ENDPOINT_SEQUENTIAL 0x8u

/**
 * One table the service offers. Templates in path and the filter may use {field}
 * credential fields; the filter also uses {since} and {until}, written in cursor_format.
 * With KEYSET pagination the filter and the fixed params use {keyset} (since ABI 1.1).
 * Memory: static plugin memory.
 */
typedef struct avesa_endpoint {
    /** sizeof(avesa_endpoint) as the plugin was compiled. */
    uint32_t struct_size;
    /** AVESA_ENDPOINT_* flags. */
    avesa_endpoint_flags flags;
    /** Required. Unique within the plugin: [A-Za-z0-9_./-]{1,128}, e.g. "service/tickets". */
    const char *name;
    /** Optional. One line for `plugins show`. */
    const char *description;
    /** Required. Path template appended to the plugin's base URL, e.g. "/service/tickets". */
    const char *path;
    /** Required. JSON pointer to the records array; "" when the body is the array. */
    const char *records_pointer;
    /** Required. Dotted path of the primary key inside a record, e.g. "id" or "sys_id". */
    const char *primary_key;
    /** Optional. Dotted path of the change-time cursor, e.g. "_info.lastUpdated". */
    const char *cursor_field;
    /** Format of cursor_field and of {since}/{until} (AVESA_TIME_*; ISO8601_OFFSET bounds are written with Z). */
    avesa_time_format cursor_format;
    /** Reserved; set to 0. */
    int32_t reserved0;
    /** Optional. Query parameter carrying the incremental filter, e.g. "conditions". */
    const char *incremental_param;
    /** Optional. Filter template, e.g. "lastUpdated > [{since}]" or "sys_updated_on>{since}". */
    const char *incremental_template;
    /** Required. How the endpoint pages. */
    const avesa_pagination *pagination;
    /** Number of entries in params. */
    uint32_t param_count;
    /** Reserved; set to 0. */
    uint32_t reserved1;
    /** Optional. Fixed query parameters sent on every request (orderBy, fields, ...). */
    const avesa_name_value *const *params;
    /** Optional. Path template of a count endpoint taking the same filter (chunk planning). */
    const char *count_path;
    /** Optional. JSON pointer to the count in count_path's response, e.g. "/count". */
    const char *count_pointer;
    /** Optional. Canonical table this endpoint feeds: companies, contacts, tickets or time_entries. */
    const char *canonical_table;
    /** Optional. Dotted path of a field marking a record as deleted (Graph "@removed"). */
    const char *deleted_marker;
    /** Reserved for growth; set to NULL. */
    const void *reserved[4];
} avesa_endpoint;

/* ================================================================== host services */

/** One HTTP header, host or plugin memory as stated by the containing struct. */
typedef struct avesa_header {
    /** Header name. */
    const char *name;
    /** Header value. */
    const char *value;
} avesa_header;

/**
 * An HTTP request a hook asks the host to perform, or that build_request returns.
 * Memory: owned by whoever built it (the plugin for build_request results, freed with
 * avesa_hooks.free; the caller for avesa_host_services.http arguments).
 */
typedef struct avesa_http_request {
    /** sizeof(avesa_http_request) as its builder was compiled. */
    uint32_t struct_size;
    /** Number of entries in headers. */
    uint32_t header_count;
    /** Method: "GET", "POST", ... (NULL means GET). */
    const char *method;
    /** Absolute URL, or a path relative to the plugin's base URL. */
    const char *url;
    /** Extra request headers (authentication is added by the host unless the kind is CUSTOM). */
    const avesa_header *headers;
    /** Optional request body. */
    const uint8_t *body;
    /** Length of body in bytes. */
    size_t body_length;
} avesa_http_request;

/**
 * A response the host hands to a hook (host memory, valid during the call) or returns
 * from avesa_host_services.http (released with avesa_host_services.free_response).
 */
typedef struct avesa_http_response {
    /** sizeof(avesa_http_response) as the host was compiled. */
    uint32_t struct_size;
    /** HTTP status code. */
    int32_t status;
    /** Number of entries in headers. */
    uint32_t header_count;
    /** Reserved; 0. */
    uint32_t reserved0;
    /** Response headers in arrival order. */
    const avesa_header *headers;
    /** The body (decoded from gzip if the service compressed it); not NUL-terminated. */
    const uint8_t *body;
    /** Length of body in bytes. */
    size_t body_length;
} avesa_http_response;

/**
 * Services the host offers to hooks: a function table in host memory, valid for the
 * life of the process. Plugins never link host symbols; they call through this table.
 * NULL-check any slot newer than the ABI you were built for (compare struct_size).
 * Every function is thread-safe.
 */
typedef struct avesa_host_services {
    /** sizeof(avesa_host_services) as the host was compiled. */
    uint32_t struct_size;
    /** The host's ABI version. */
    uint32_t abi_version;
    /** Opaque host context: pass it back as the first argument of every call. */
    void *host_context;
    /**
     * Writes one log line attributed to the plugin. `message` is copied; never pass
     * secrets. Never blocks for long.
     */
    void (*log)(void *host_context, avesa_log_level level, const char *message);
    /**
     * Performs an HTTP request through the host's engine, rate limiter and retries for
     * the calling (tenant, service). Blocks the calling hook thread until done. On
     * AVESA_OK, *out_response is set and must be released with free_response. On failure
     * *out_error may be set to a host-allocated message released with free_string.
     */
    avesa_status (*http)(void *host_context, const avesa_http_request *request,
                         avesa_http_response **out_response, char **out_error);
    /** Releases a response returned by http. NULL is ignored. */
    void (*free_response)(void *host_context, avesa_http_response *response);
    /** Releases a string the host returned. NULL is ignored. */
    void (*free_string)(void *host_context, char *string);
    /** Current UTC time in milliseconds since the UNIX epoch (a test clock in tests). */
    int64_t (*now_unix_ms)(void *host_context);
    /** Reserved for growth; NULL. */
    const void *reserved[8];
} avesa_host_services;

/* ========================================================================== hooks */

/**
 * Context of one request the host is about to send (host memory, valid during the call).
 */
typedef struct avesa_request_context {
    /** sizeof(avesa_request_context) as the host was compiled. */
    uint32_t struct_size;
    /** Page size the host wants. */
    uint32_t page_size;
    /** The endpoint's name. */
    const char *endpoint;
    /** The resolved base URL (API root after authentication). */
    const char *base_url;
    /** Lower bound of the chunk's range in cursor_format, or NULL for "from the start". */
    const char *since;
    /** Upper bound (exclusive) in cursor_format, or NULL for "until now". */
    const char *until;
    /** The next-page token/URL from the previous page, or NULL for the first page. */
    const char *page_token;
    /** Looks up a credential field's value (host memory, valid during the call) or NULL. */
    const char *(*credential)(const struct avesa_request_context *context, const char *field);
    /** Opaque host data used by credential. */
    void *host_data;
} avesa_request_context;

/**
 * What parse_page returns: the page's records as NDJSON (one JSON object per line) and
 * where to go next. Plugin memory, released with avesa_hooks.free.
 */
typedef struct avesa_page {
    /** sizeof(avesa_page) as the plugin was compiled. */
    uint32_t struct_size;
    /** Number of records in records_ndjson. */
    uint32_t record_count;
    /** The records, one JSON object per line (not NUL-terminated). */
    const uint8_t *records_ndjson;
    /** Length of records_ndjson in bytes. */
    size_t records_length;
    /** Next page's URL or token; NULL when this was the last page. */
    const char *next_token;
    /** A new watermark (for example a delta link) when this was the last page; else NULL. */
    const char *watermark;
} avesa_page;

/** One chunk of a table's range, bounds written in the endpoint's cursor_format. */
typedef struct avesa_chunk {
    /** Inclusive lower bound or NULL (open). */
    const char *since;
    /** Exclusive upper bound or NULL (open). */
    const char *until;
} avesa_chunk;

/** A chunk plan returned by plan_chunks. Plugin memory, released with avesa_hooks.free. */
typedef struct avesa_chunk_plan {
    /** sizeof(avesa_chunk_plan) as the plugin was compiled. */
    uint32_t struct_size;
    /** Number of entries in chunks. */
    uint32_t chunk_count;
    /** The chunks, in order. */
    const avesa_chunk *chunks;
} avesa_chunk_plan;

/**
 * Optional callbacks for what the declarative manifest cannot express. Every member
 * may be NULL. Memory: static plugin memory. Thread rules: see the header comment.
 */
typedef struct avesa_hooks {
    /** sizeof(avesa_hooks) as the plugin was compiled. */
    uint32_t struct_size;
    /** Reserved; 0. */
    uint32_t reserved0;
    /**
     * Optional. Called once before the first hook, with the host's services table (valid
     * for the life of the process). *out_state is passed to every other hook.
     */
    avesa_status (*init)(const avesa_host_services *host, void **out_state, char **out_error);
    /**
     * Required when any hook returns memory. Releases anything a hook returned
     * (requests, pages, plans, error strings). NULL is ignored.
     */
    void (*free)(void *state, void *pointer);
    /**
     * Optional; required for AVESA_AUTH_CUSTOM. Adds authentication to a request the host
     * is about to send: returns the headers to add (an array of *out_count entries, freed
     * with free; names and values may live in the same allocation).
     */
    avesa_status (*authenticate)(void *state, const avesa_request_context *context,
                                 avesa_header **out_headers, uint32_t *out_count,
                                 char **out_error);
    /**
     * Optional. Builds the request for one page instead of the declarative path, filter
     * and paging (for query languages such as SOQL). Returns a plugin-allocated request.
     */
    avesa_status (*build_request)(void *state, const avesa_request_context *context,
                                  avesa_http_request **out_request, char **out_error);
    /** Optional. Parses a page the declarative records_pointer cannot. */
    avesa_status (*parse_page)(void *state, const avesa_request_context *context,
                               const avesa_http_response *response,
                               avesa_page **out_page, char **out_error);
    /**
     * Optional. Splits [since, until) into chunks; count is the record count the host
     * measured for the range, or -1 when unknown.
     */
    avesa_status (*plan_chunks)(void *state, const avesa_request_context *context,
                                int64_t count, avesa_chunk_plan **out_plan,
                                char **out_error);
    /** Reserved for growth; NULL. */
    const void *reserved[8];
} avesa_hooks;

/* ======================================================================= manifest */

/** Plugin-wide flags (bit flags). */
typedef uint32_t avesa_plugin_flags;
/** The host must never call two hooks of this plugin at the same time. */
#define AVESA_PLUGIN_SERIALIZE_HOOKS 0x1u

/**
 * The plugin's manifest: who it is and everything it offers.
 * Memory: static plugin memory for the life of the process (never freed by the host).
 */
typedef struct avesa_plugin {
    /** sizeof(avesa_plugin) as the plugin was compiled. */
    uint32_t struct_size;
    /** The ABI version the manifest follows (AVESA_ABI_VERSION at build time). */
    uint32_t abi_version;
    /** Required. Service id, unique across plugins: [a-z][a-z0-9_]{0,31}, e.g. "connectwise". */
    const char *name;
    /** Required. Human name, e.g. "ConnectWise Manage". */
    const char *display_name;
    /** Required. The plugin's own version (semantic versioning), e.g. "1.0.0". */
    const char *version;
    /** Required. Who publishes the plugin. */
    const char *vendor;
    /** Optional. One paragraph for `plugins show`. */
    const char *description;
    /**
     * Required. API root template, e.g. "{api_url}/v4_6_release/apis/3.0". May use
     * {instance_url} when auth sets instance_url_pointer.
     */
    const char *base_url_template;
    /** Required. How requests are authenticated. */
    const avesa_auth *auth;
    /** Number of entries in credential_fields. */
    uint32_t credential_field_count;
    /** Number of entries in headers. */
    uint32_t header_count;
    /** The fields the user supplies per tenant. */
    const avesa_credential_field *const *credential_fields;
    /** Optional. Headers sent on every request (templates allowed), e.g. clientId. */
    const avesa_name_value *const *headers;
    /** Required. Default limits per credential. */
    const avesa_rate_limit *rate_limit;
    /** Number of entries in endpoints (>= 1). */
    uint32_t endpoint_count;
    /** AVESA_PLUGIN_* flags. */
    avesa_plugin_flags flags;
    /** The tables the service offers. */
    const avesa_endpoint *const *endpoints;
    /** Optional. Callbacks; NULL when the plugin is fully declarative. */
    const avesa_hooks *hooks;
    /** Reserved for growth; NULL. */
    const void *reserved[8];
} avesa_plugin;

/**
 * Required. The one symbol a plugin exports, named AVESA_PLUGIN_ENTRY_SYMBOL.
 *
 * The host fills `negotiation` (host_abi_version, host_min_abi_version, host_name).
 * The plugin always sets negotiation->plugin_abi_version. If it cannot work with the
 * host's major version it returns AVESA_ERR_INCOMPATIBLE; otherwise it sets
 * *out_plugin to its static manifest and returns AVESA_OK. The host then decides:
 * it refuses a different major or a newer minor, whatever the plugin answered.
 *
 * Must not allocate per call, start threads or call any hook. Thread-safe.
 */
typedef avesa_status (*avesa_plugin_entry_fn)(avesa_negotiation *negotiation,
                                              const avesa_plugin **out_plugin);

/** Declaration of the entry function a plugin defines (with AVESA_EXPORT). */
avesa_status avesa_plugin_entry(avesa_negotiation *negotiation,
                                const avesa_plugin **out_plugin);

#ifdef __cplusplus
}
#endif

#endif /* AVESA_PLUGIN_H */
