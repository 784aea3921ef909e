/*
 * Test fixture: one small plugin whose manifest each test bends with -D flags, so that
 * every refusal path of the loader is exercised by a real dlopen of a real .so.
 *
 *   -DFIXTURE_NAME='"name"'     service name (default "fixture")
 *   -DPLUGIN_MAJOR=N            ABI major the plugin claims (default: the header's)
 *   -DPLUGIN_MINOR=N            ABI minor the plugin claims (default: the header's)
 *   -DRETURN_NULL               entry returns AVESA_OK with no manifest
 *   -DRETURN_FAILURE            entry returns AVESA_ERR_FAILED
 *   -DEMPTY_DISPLAY_NAME        display_name is ""
 *   -DNULL_VERSION              version is NULL
 *   -DUNKNOWN_AUTH_KIND         auth.kind is 42
 *   -DUNKNOWN_PAGINATION_KIND   pagination.kind is 99
 *   -DDUPLICATE_ENDPOINT        two endpoints named "items"
 *   -DOVERSIZED_STRUCT          manifest struct_size larger than the host knows
 *   -DUNDECLARED_TEMPLATE       base URL refers to an undeclared {field}
 *   -DBAD_CANONICAL             endpoint feeds an unknown canonical table
 *   -DNO_ENDPOINTS              endpoint_count is 0
 *   -DIGNORE_NEGOTIATION        answer AVESA_OK whatever the host's version
 *   -DKEYSET_PAGING             "items" pages by keyset: "id>{after}&" into its "filter" param
 *   -DKEYSET_WITHOUT_TEMPLATE   ... with no keyset_template
 *   -DKEYSET_UNPLACED           ... with no {keyset} in any parameter
 *   -DKEYSET_ON_PAGE_NUMBER     a page-number endpoint's parameter uses {keyset}
 *   -DKEYSET_WITHOUT_TOTAL      keyset paging with an offset parameter but no total header
 *   -DKEYSET_WITH_BUILD_REQUEST keyset paging in a plugin with a build_request hook
 */
#include "avesa_plugin.h"

#ifndef FIXTURE_NAME
#define FIXTURE_NAME "fixture"
#endif
#ifndef PLUGIN_MAJOR
#define PLUGIN_MAJOR AVESA_ABI_VERSION_MAJOR
#endif
#ifndef PLUGIN_MINOR
#define PLUGIN_MINOR AVESA_ABI_VERSION_MINOR
#endif
#define PLUGIN_VERSION AVESA_MAKE_ABI_VERSION(PLUGIN_MAJOR, PLUGIN_MINOR)

static const avesa_credential_field url_field = {
    sizeof(avesa_credential_field), AVESA_FIELD_REQUIRED | AVESA_FIELD_URL,
    "api_url", "API URL", "Where the API lives", "https://api.fixture.test", NULL };
static const avesa_credential_field token_field = {
    sizeof(avesa_credential_field), AVESA_FIELD_REQUIRED | AVESA_FIELD_SECRET,
    "token", "Token", NULL, NULL, NULL };
static const avesa_credential_field *const fields[] = { &url_field, &token_field };

static const avesa_auth auth = {
    .struct_size = sizeof(avesa_auth),
#ifdef UNKNOWN_AUTH_KIND
    .kind = 42,
#else
    .kind = AVESA_AUTH_BEARER,
#endif
    .secret_template = "{token}" };

static const avesa_rate_limit limits = {
    .struct_size = sizeof(avesa_rate_limit), .max_concurrent = 2,
    .requests_per_second = 5, .burst = 5 };

static const avesa_pagination paging = {
    .struct_size = sizeof(avesa_pagination),
#ifdef UNKNOWN_PAGINATION_KIND
    .kind = 99,
#else
    .kind = AVESA_PAGINATION_PAGE_NUMBER,
#endif
    .page_param = "page", .size_param = "size", .first_page = 1,
    .default_page_size = 50, .max_page_size = 100 };

#if defined(UNKNOWN_PAGINATION_KIND)
#define ITEMS_PAGE_KIND 99
#elif defined(KEYSET_PAGING) || defined(KEYSET_WITHOUT_TEMPLATE) || defined(KEYSET_UNPLACED) \
    || defined(KEYSET_WITHOUT_TOTAL) || defined(KEYSET_WITH_BUILD_REQUEST)
#define ITEMS_PAGE_KIND AVESA_PAGINATION_KEYSET
#else
#define ITEMS_PAGE_KIND AVESA_PAGINATION_PAGE_NUMBER
#endif
static const avesa_pagination items_paging = {
    .struct_size = sizeof(avesa_pagination), .kind = ITEMS_PAGE_KIND,
    .page_param = "page", .size_param = "size", .first_page = 1,
    .default_page_size = 50, .max_page_size = 100,
#if defined(KEYSET_PAGING) || defined(KEYSET_UNPLACED) || defined(KEYSET_WITHOUT_TOTAL) || defined(KEYSET_WITH_BUILD_REQUEST)
    .keyset_template = "id>{after}&",
#endif
#ifndef KEYSET_WITHOUT_TOTAL
    .total_header = "X-Total-Count", .stop_flags = AVESA_STOP_ON_TOTAL,
#endif
};
#ifdef KEYSET_UNPLACED
static const avesa_name_value filter = { sizeof(avesa_name_value), "filter", "status=open" };
#else
static const avesa_name_value filter = { sizeof(avesa_name_value), "filter", "{keyset}status=open" };
#endif
static const avesa_name_value *const items_params[] = { &filter };

static const avesa_endpoint items = {
    .struct_size = sizeof(avesa_endpoint), .name = "items", .path = "/items",
    .records_pointer = "/items", .primary_key = "id", .pagination = &items_paging,
#if defined(KEYSET_PAGING) || defined(KEYSET_WITHOUT_TEMPLATE) || defined(KEYSET_UNPLACED) || defined(KEYSET_ON_PAGE_NUMBER) \
    || defined(KEYSET_WITHOUT_TOTAL) || defined(KEYSET_WITH_BUILD_REQUEST)
    .param_count = 1, .params = items_params,
#endif
#ifdef BAD_CANONICAL
    .canonical_table = "invoices",
#else
    .canonical_table = "tickets",
#endif
};
static const avesa_endpoint other = {
    .struct_size = sizeof(avesa_endpoint),
#ifdef DUPLICATE_ENDPOINT
    .name = "items",
#else
    .name = "others",
#endif
    .path = "/others", .records_pointer = "", .primary_key = "id", .pagination = &paging };
static const avesa_endpoint *const endpoints[] = { &items, &other };

#ifdef KEYSET_WITH_BUILD_REQUEST
static void fixture_free(void *state, void *pointer) { (void)state; (void)pointer; }
static avesa_status fixture_build_request(void *state, const avesa_request_context *context,
                                          avesa_http_request **out_request, char **out_error) {
    (void)state; (void)context; (void)out_request; (void)out_error;
    return AVESA_ERR_FAILED;
}
static const avesa_hooks fixture_hooks = {
    .struct_size = sizeof(avesa_hooks), .free = fixture_free, .build_request = fixture_build_request };
#endif

static const avesa_plugin manifest = {
#ifdef OVERSIZED_STRUCT
    .struct_size = sizeof(avesa_plugin) + 64,
#else
    .struct_size = sizeof(avesa_plugin),
#endif
    .abi_version = PLUGIN_VERSION,
    .name = FIXTURE_NAME,
#ifdef EMPTY_DISPLAY_NAME
    .display_name = "",
#else
    .display_name = "Fixture",
#endif
#ifdef NULL_VERSION
    .version = NULL,
#else
    .version = "9.9.9",
#endif
    .vendor = "Avesa tests",
#ifdef UNDECLARED_TEMPLATE
    .base_url_template = "{api_url}/{region}",
#else
    .base_url_template = "{api_url}",
#endif
    .auth = &auth, .credential_field_count = 2, .credential_fields = fields,
    .rate_limit = &limits,
#ifdef NO_ENDPOINTS
    .endpoint_count = 0,
#else
    .endpoint_count = 2,
#endif
    .endpoints = endpoints,
#ifdef KEYSET_WITH_BUILD_REQUEST
    .hooks = &fixture_hooks,
#endif
};

AVESA_EXPORT avesa_status avesa_plugin_entry(avesa_negotiation *negotiation,
                                             const avesa_plugin **out_plugin) {
    negotiation->plugin_abi_version = PLUGIN_VERSION;
#ifndef IGNORE_NEGOTIATION
    if (AVESA_ABI_MAJOR(negotiation->host_abi_version) != PLUGIN_MAJOR)
        return AVESA_ERR_INCOMPATIBLE;
#endif
#if defined(RETURN_NULL)
    (void)out_plugin;
    return AVESA_OK;
#elif defined(RETURN_FAILURE)
    (void)out_plugin;
    return AVESA_ERR_FAILED;
#else
    *out_plugin = &manifest;
    return AVESA_OK;
#endif
}
