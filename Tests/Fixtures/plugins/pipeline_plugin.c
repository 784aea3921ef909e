/*
 * Test fixture for pipeline tests: "testdesk", one incremental ticket table served by
 * Tests/Fixtures/servers/scenario_server.py's /dataset routes. Each tenant's credentials
 * name its own dataset, so tenants see different data.
 *   -DDELAY_MS=N   ask the server to delay every page (for kill -9 tests)
 *   -DRANGE_FILTER filter by [since, until) ranges with a count endpoint (parallel chunks)
 */
#include "avesa_plugin.h"

#ifndef DELAY_MS
#define DELAY_MS "0"
#endif

static const avesa_credential_field api_url = { sizeof(avesa_credential_field), AVESA_FIELD_REQUIRED | AVESA_FIELD_URL,
    "api_url", "API URL", NULL, NULL, NULL };
static const avesa_credential_field dataset = { sizeof(avesa_credential_field), AVESA_FIELD_REQUIRED,
    "dataset", "Dataset", NULL, NULL, NULL };
static const avesa_credential_field token = { sizeof(avesa_credential_field), AVESA_FIELD_REQUIRED | AVESA_FIELD_SECRET,
    "token", "Token", NULL, NULL, NULL };
static const avesa_credential_field *const fields[] = { &api_url, &dataset, &token };
static const avesa_auth auth = { .struct_size = sizeof(avesa_auth), .kind = AVESA_AUTH_BEARER, .secret_template = "{token}" };
static const avesa_rate_limit limits = { .struct_size = sizeof(avesa_rate_limit), .max_concurrent = 4,
    .requests_per_second = 200, .burst = 50 };
static const avesa_pagination pages = { .struct_size = sizeof(avesa_pagination), .kind = AVESA_PAGINATION_PAGE_NUMBER,
    .page_param = "page", .size_param = "size", .first_page = 1, .default_page_size = 20, .max_page_size = 100,
    .stop_flags = AVESA_STOP_ON_SHORT_PAGE };
static const avesa_name_value delay = { sizeof(avesa_name_value), "delay_ms", DELAY_MS };
static const avesa_name_value *const params[] = { &delay };
#ifdef RANGE_FILTER
static const avesa_endpoint tickets = { .struct_size = sizeof(avesa_endpoint),
    .flags = AVESA_ENDPOINT_INCREMENTAL | AVESA_ENDPOINT_RANGE_FILTER,
    .name = "tickets", .path = "/dataset/{dataset}/tickets", .records_pointer = "/tickets", .primary_key = "id",
    .cursor_field = "updated", .cursor_format = AVESA_TIME_ISO8601, .incremental_param = "range",
    .incremental_template = "{since}..{until}", .pagination = &pages, .param_count = 1, .params = params,
    .count_path = "/dataset/{dataset}/count", .count_pointer = "/count", .canonical_table = "tickets" };
#else
static const avesa_endpoint tickets = { .struct_size = sizeof(avesa_endpoint), .flags = AVESA_ENDPOINT_INCREMENTAL,
    .name = "tickets", .path = "/dataset/{dataset}/tickets", .records_pointer = "/tickets", .primary_key = "id",
    .cursor_field = "updated", .cursor_format = AVESA_TIME_ISO8601, .incremental_param = "updated_since",
    .incremental_template = "{since}", .pagination = &pages, .param_count = 1, .params = params,
    .canonical_table = "tickets" };
#endif
static const avesa_endpoint *const endpoints[] = { &tickets };
static const avesa_plugin manifest = { .struct_size = sizeof(avesa_plugin), .abi_version = AVESA_ABI_VERSION,
    .name = "testdesk", .display_name = "Test Desk", .version = "1.0.0", .vendor = "Avesa tests",
    .base_url_template = "{api_url}", .auth = &auth, .credential_field_count = 3, .credential_fields = fields,
    .rate_limit = &limits, .endpoint_count = 1, .endpoints = endpoints };

AVESA_EXPORT avesa_status avesa_plugin_entry(avesa_negotiation *negotiation, const avesa_plugin **out_plugin) {
    negotiation->plugin_abi_version = AVESA_ABI_VERSION;
    if (AVESA_ABI_MAJOR(negotiation->host_abi_version) != AVESA_ABI_VERSION_MAJOR) return AVESA_ERR_INCOMPATIBLE;
    *out_plugin = &manifest;
    return AVESA_OK;
}
