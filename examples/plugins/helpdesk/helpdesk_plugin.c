/*
 * A complete third-party Avesa connector in plain C, written from avesa_plugin.h and
 * docs/PLUGIN_ABI.md alone. It describes "Helpdesk", an imaginary REST service with an
 * API key, offset paging and an updated_at cursor — fully declarative, no hooks.
 *
 * Build:    cc -shared -fPIC -I ../../../Sources/PluginABI/include helpdesk_plugin.c -o libHelpdesk.so
 * Validate: avesa-host plugins validate ./libHelpdesk.so
 * Install:  copy libHelpdesk.so into the folder given to `avesa-host --plugins`.
 */
#include "avesa_plugin.h"

/* ---- credential fields: every base URL is a field with the real default ---- */
static const avesa_credential_field field_api_url = {
    .struct_size = sizeof(avesa_credential_field),
    .flags = AVESA_FIELD_REQUIRED | AVESA_FIELD_URL,
    .name = "api_url", .label = "API URL",
    .description = "Root of the Helpdesk API (regional clouds have their own).",
    .default_value = "https://api.helpdesk.example",
};
static const avesa_credential_field field_api_key = {
    .struct_size = sizeof(avesa_credential_field),
    .flags = AVESA_FIELD_REQUIRED | AVESA_FIELD_SECRET,
    .name = "api_key", .label = "API key",
    .description = "Settings > API > Keys.",
};
static const avesa_credential_field *const fields[] = { &field_api_url, &field_api_key };

/* ---- auth: the key travels in a header ---- */
static const avesa_auth auth = {
    .struct_size = sizeof(avesa_auth),
    .kind = AVESA_AUTH_API_KEY_HEADER,
    .header_name = "X-Api-Key",
    .secret_template = "{api_key}",
};

/* ---- limits: 10 requests/s, bursts of 20, 4 in flight; 429 + Retry-After ---- */
static const int32_t throttle_statuses[] = { 429, 503 };
static const avesa_rate_limit limits = {
    .struct_size = sizeof(avesa_rate_limit),
    .max_concurrent = 4, .requests_per_second = 10, .burst = 20,
    .throttle_status_count = 2, .throttle_statuses = throttle_statuses,
    .retry_after_header = "Retry-After",
    .remaining_header = "X-RateLimit-Remaining",
    .reset_header = "X-RateLimit-Reset", .reset_kind = AVESA_RESET_SECONDS,
};

/* ---- paging: offset/limit, stop on a short page or the X-Total-Count total ---- */
static const avesa_pagination offset_paging = {
    .struct_size = sizeof(avesa_pagination),
    .kind = AVESA_PAGINATION_OFFSET_LIMIT,
    .page_param = "offset", .size_param = "limit",
    .default_page_size = 100, .max_page_size = 1000,
    .stop_flags = AVESA_STOP_ON_SHORT_PAGE | AVESA_STOP_ON_TOTAL,
    .total_header = "X-Total-Count",
};

static const avesa_name_value order_by_update = {
    .struct_size = sizeof(avesa_name_value), .name = "sort", .value = "updated_at",
};
static const avesa_name_value *const sorted[] = { &order_by_update };

/* ---- endpoints ---- */
static const avesa_endpoint organizations = {
    .struct_size = sizeof(avesa_endpoint),
    .flags = AVESA_ENDPOINT_INCREMENTAL | AVESA_ENDPOINT_RANGE_FILTER,
    .name = "organizations", .description = "Customer organizations",
    .path = "/v2/organizations", .records_pointer = "/data", .primary_key = "id",
    .cursor_field = "updated_at", .cursor_format = AVESA_TIME_ISO8601,
    .incremental_param = "filter",
    .incremental_template = "updated_at>={since} AND updated_at<{until}",
    .pagination = &offset_paging, .param_count = 1, .params = sorted,
    .count_path = "/v2/organizations/count", .count_pointer = "/total",
    .canonical_table = "companies",
};
static const avesa_endpoint tickets = {
    .struct_size = sizeof(avesa_endpoint),
    .flags = AVESA_ENDPOINT_INCREMENTAL | AVESA_ENDPOINT_RANGE_FILTER,
    .name = "tickets", .description = "Support tickets",
    .path = "/v2/tickets", .records_pointer = "/data", .primary_key = "id",
    .cursor_field = "updated_at", .cursor_format = AVESA_TIME_ISO8601,
    .incremental_param = "filter",
    .incremental_template = "updated_at>={since} AND updated_at<{until}",
    .pagination = &offset_paging, .param_count = 1, .params = sorted,
    .canonical_table = "tickets",
};
static const avesa_endpoint *const endpoints[] = { &organizations, &tickets };

/* ---- the manifest: static memory, never freed ---- */
static const avesa_plugin manifest = {
    .struct_size = sizeof(avesa_plugin),
    .abi_version = AVESA_ABI_VERSION,
    .name = "helpdesk", .display_name = "Helpdesk (example)", .version = "0.1.0",
    .vendor = "Example Plugins Ltd.",
    .description = "An example third-party connector written in C.",
    .base_url_template = "{api_url}",
    .auth = &auth,
    .credential_field_count = 2, .credential_fields = fields,
    .rate_limit = &limits,
    .endpoint_count = 2, .endpoints = endpoints,
    .hooks = NULL, /* fully declarative */
};

/* The one exported symbol. Negotiate first: same major as the host or refuse. */
AVESA_EXPORT avesa_status avesa_plugin_entry(avesa_negotiation *negotiation,
                                             const avesa_plugin **out_plugin) {
    if (negotiation == NULL || out_plugin == NULL) return AVESA_ERR_INVALID_ARGUMENT;
    negotiation->plugin_abi_version = AVESA_ABI_VERSION;
    if (AVESA_ABI_MAJOR(negotiation->host_abi_version) != AVESA_ABI_VERSION_MAJOR)
        return AVESA_ERR_INCOMPATIBLE;
    *out_plugin = &manifest;
    return AVESA_OK;
}
