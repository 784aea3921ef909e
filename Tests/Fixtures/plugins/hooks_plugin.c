/*
 * Test fixture: a plugin with every hook, for the host's hook bridge. The tests compile
 * it with cc, load it, drive its hooks against the scenario server (/hooks/...) and read
 * its counters through the exported hooks_fixture_* functions (dlsym).
 *
 *   -DHOOKS_NAME='"name"'   service name (default "hooks")
 *   -DSERIALIZE             sets AVESA_PLUGIN_SERIALIZE_HOOKS
 *   -DFAIL_BUILD_REQUEST    build_request fails with a message
 *   -DHTTP_IN_BUILD         build_request first fetches /hooks/session through host->http
 *   -DHTTP_IN_INIT          init fetches /hooks/session through host->http (whose custom
 *                           authentication needs the state init is still making)
 *   -DHOOK_DELAY_US=N       authenticate and plan_chunks sleep N microseconds (concurrency tests)
 *   -DPLAN_CHUNKS=N         plan_chunks splits every bounded range into N equal chunks whatever
 *                           the count, and requests carry &until= and &step=250000000 (records
 *                           spread over the range, see route_hooks)
 *
 * The API it talks to (scenario_server.py, route_hooks): /hooks/items answers text lines
 * "id,name" and a last line "next:<cursor>" while more records remain, and requires the
 * header X-Hook-Signature: v1:<api_key>:<now_ms>. parse_page turns the lines into NDJSON.
 *
 * Memory: every result and error string comes from fx_alloc, one block per result,
 * prefixed with a tag. fx_free marks the tag dead instead of freeing, so a second free
 * of the same pointer is counted (hooks_fixture_double_frees) rather than corrupting the
 * heap; the test process is short-lived.
 */
#define _DEFAULT_SOURCE
#include "avesa_plugin.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef HOOKS_NAME
#define HOOKS_NAME "hooks"
#endif
#ifndef HOOK_DELAY_US
#define HOOK_DELAY_US 0
#endif

/* ---------------------------------------------------------------- counters */

static long allocations, frees, double_frees, foreign_frees, init_calls;
static long in_flight, max_in_flight, overlaps;
static int64_t last_now;
static __thread int depth;

AVESA_EXPORT long hooks_fixture_allocations(void) { return __atomic_load_n(&allocations, __ATOMIC_SEQ_CST); }
AVESA_EXPORT long hooks_fixture_frees(void) { return __atomic_load_n(&frees, __ATOMIC_SEQ_CST); }
AVESA_EXPORT long hooks_fixture_double_frees(void) { return __atomic_load_n(&double_frees, __ATOMIC_SEQ_CST); }
AVESA_EXPORT long hooks_fixture_foreign_frees(void) { return __atomic_load_n(&foreign_frees, __ATOMIC_SEQ_CST); }
AVESA_EXPORT long hooks_fixture_init_calls(void) { return __atomic_load_n(&init_calls, __ATOMIC_SEQ_CST); }
AVESA_EXPORT long hooks_fixture_max_in_flight(void) { return __atomic_load_n(&max_in_flight, __ATOMIC_SEQ_CST); }
AVESA_EXPORT long hooks_fixture_overlaps(void) { return __atomic_load_n(&overlaps, __ATOMIC_SEQ_CST); }
AVESA_EXPORT int64_t hooks_fixture_last_now(void) { return __atomic_load_n(&last_now, __ATOMIC_SEQ_CST); }

/* Entering a hook from the host. A hook entered while this thread is already inside one
 * is a nested call (the plugin called host->http), not a concurrent one. */
static void enter(void) {
    if (depth++ > 0) return;
    long now = __atomic_add_fetch(&in_flight, 1, __ATOMIC_SEQ_CST);
    if (now > 1) __atomic_add_fetch(&overlaps, 1, __ATOMIC_SEQ_CST);
    long seen = __atomic_load_n(&max_in_flight, __ATOMIC_SEQ_CST);
    while (now > seen && !__atomic_compare_exchange_n(&max_in_flight, &seen, now, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {}
}

static avesa_status leave(avesa_status status) {
    if (--depth == 0) __atomic_sub_fetch(&in_flight, 1, __ATOMIC_SEQ_CST);
    return status;
}

/* ------------------------------------------------------------------ memory */

#define TAG_LIVE 0x4C495645u
#define TAG_DEAD 0x44454144u
typedef struct { uint32_t tag; uint32_t pad; uint64_t pad2; } block_header;

static void *fx_alloc(size_t size) {
    block_header *header = calloc(1, sizeof(block_header) + size);
    if (!header) return NULL;
    header->tag = TAG_LIVE;
    __atomic_add_fetch(&allocations, 1, __ATOMIC_SEQ_CST);
    return header + 1;
}

static void fx_free(void *state, void *pointer) {
    (void)state;
    if (!pointer) return;
    block_header *header = (block_header *)pointer - 1;
    if (header->tag == TAG_LIVE) {
        header->tag = TAG_DEAD;
        __atomic_add_fetch(&frees, 1, __ATOMIC_SEQ_CST);
    } else if (header->tag == TAG_DEAD) {
        __atomic_add_fetch(&double_frees, 1, __ATOMIC_SEQ_CST);
    } else {
        __atomic_add_fetch(&foreign_frees, 1, __ATOMIC_SEQ_CST);
    }
}

static char *fx_strdup(const char *text) {
    char *copy = fx_alloc(strlen(text) + 1);
    if (copy) strcpy(copy, text);
    return copy;
}

static avesa_status fail(char **out_error, avesa_status status, const char *message) {
    if (out_error) *out_error = fx_strdup(message);
    return leave(status);
}

/* ------------------------------------------------------------------- hooks */

typedef struct { const avesa_host_services *host; } plugin_state;

static avesa_status hook_init(const avesa_host_services *host, void **out_state, char **out_error) {
    (void)out_error;
    plugin_state *state = calloc(1, sizeof(plugin_state));
    state->host = host;
    *out_state = state;
    __atomic_add_fetch(&init_calls, 1, __ATOMIC_SEQ_CST);
#ifdef HTTP_IN_INIT
    avesa_http_request request = { .struct_size = sizeof(avesa_http_request), .method = "GET", .url = "/hooks/session" };
    avesa_http_response *response = NULL;
    char *error = NULL;
    avesa_status status = host->http(host->host_context, &request, &response, &error);
    if (status != AVESA_OK) {
        char message[512];
        snprintf(message, sizeof message, "session request in init failed: %s", error ? error : "no message");
        host->free_string(host->host_context, error);
        *out_error = fx_strdup(message);
        return status;
    }
    host->free_response(host->host_context, response);
#endif
    host->log(host->host_context, AVESA_LOG_INFO, "hooks fixture initialised");
    return AVESA_OK;
}

static avesa_status hook_authenticate(void *state_pointer, const avesa_request_context *context,
                                      avesa_header **out_headers, uint32_t *out_count, char **out_error) {
    enter();
    plugin_state *state = state_pointer;
    if (HOOK_DELAY_US > 0) usleep(HOOK_DELAY_US);
    const char *key = context->credential(context, "api_key");
    if (!key) return fail(out_error, AVESA_ERR_AUTH, "credential api_key is missing");
    int64_t now = state->host->now_unix_ms(state->host->host_context);
    __atomic_store_n(&last_now, now, __ATOMIC_SEQ_CST);
    char value[256];
    snprintf(value, sizeof value, "v1:%s:%lld", key, (long long)now);
    const char *name = "X-Hook-Signature";
    /* One block: the header array, then the name and value strings. */
    avesa_header *headers = fx_alloc(sizeof(avesa_header) + strlen(name) + 1 + strlen(value) + 1);
    char *strings = (char *)(headers + 1);
    strcpy(strings, name);
    strcpy(strings + strlen(name) + 1, value);
    headers[0].name = strings;
    headers[0].value = strings + strlen(name) + 1;
    *out_headers = headers;
    *out_count = 1;
    return leave(AVESA_OK);
}

#ifdef HTTP_IN_BUILD
/* Fetches /hooks/session through the host (authenticated by the host, which calls
 * authenticate again on this thread) into session[]. */
static avesa_status fetch_session(plugin_state *state, char *session, size_t size, char **out_error) {
    avesa_http_request request = { .struct_size = sizeof(avesa_http_request), .method = "GET", .url = "/hooks/session" };
    avesa_http_response *response = NULL;
    char *error = NULL;
    avesa_status status = state->host->http(state->host->host_context, &request, &response, &error);
    if (status != AVESA_OK) {
        char message[512];
        snprintf(message, sizeof message, "session request failed: %s", error ? error : "no message");
        state->host->free_string(state->host->host_context, error);
        if (out_error) *out_error = fx_strdup(message);
        return status;
    }
    size_t length = response->body_length < size - 1 ? response->body_length : size - 1;
    memcpy(session, response->body, length);
    session[length] = 0;
    state->host->free_response(state->host->host_context, response);
    return AVESA_OK;
}
#endif

static avesa_status hook_build_request(void *state_pointer, const avesa_request_context *context,
                                       avesa_http_request **out_request, char **out_error) {
    enter();
    (void)state_pointer;
#ifdef FAIL_BUILD_REQUEST
    char message[256];
    snprintf(message, sizeof message, "no query language for endpoint %s", context->endpoint);
    return fail(out_error, AVESA_ERR_FAILED, message);
#else
    char session[128] = "";
#ifdef HTTP_IN_BUILD
    avesa_status status = fetch_session(state_pointer, session, sizeof session, out_error);
    if (status != AVESA_OK) return leave(status);
#endif
    char url[1024];
    snprintf(url, sizeof url, "/hooks/items?size=%u&cursor=%s%s%s%s%s", context->page_size,
             context->page_token ? context->page_token : "0",
             session[0] ? "&session=" : "", session,
             context->since ? "&since=" : "", context->since ? context->since : "");
#ifdef PLAN_CHUNKS
    size_t used = strlen(url);
    snprintf(url + used, sizeof url - used, "&step=250000000%s%s",
             context->until ? "&until=" : "", context->until ? context->until : "");
#endif
    const char *header_name = "X-Built-By", *header_value = "build_request";
    /* One block: the request, one header, then the strings. */
    size_t size = sizeof(avesa_http_request) + sizeof(avesa_header) + strlen(url) + 1
        + strlen(header_name) + 1 + strlen(header_value) + 1;
    avesa_http_request *request = fx_alloc(size);
    avesa_header *header = (avesa_header *)(request + 1);
    char *strings = (char *)(header + 1);
    strcpy(strings, url);
    header->name = strcpy(strings + strlen(url) + 1, header_name);
    header->value = strcpy(strings + strlen(url) + 1 + strlen(header_name) + 1, header_value);
    request->struct_size = sizeof(avesa_http_request);
    request->method = "GET";
    request->url = strings;
    request->headers = header;
    request->header_count = 1;
    *out_request = request;
    return leave(AVESA_OK);
#endif
}

static avesa_status hook_parse_page(void *state_pointer, const avesa_request_context *context,
                                    const avesa_http_response *response, avesa_page **out_page, char **out_error) {
    enter();
    (void)state_pointer; (void)context;
    if (response->status != 200) return fail(out_error, AVESA_ERR_FAILED, "unexpected status");
    /* Each "id,name" line becomes {"id":id,"name":"name"} (names are plain words). */
    size_t capacity = response->body_length * 2 + 64;
    avesa_page *page = fx_alloc(sizeof(avesa_page) + capacity + 64);
    char *ndjson = (char *)(page + 1);
    char *next = ndjson + capacity;
    size_t used = 0;
    uint32_t count = 0;
    const char *cursor = (const char *)response->body, *end = cursor + response->body_length;
    while (cursor < end) {
        const char *line_end = memchr(cursor, '\n', (size_t)(end - cursor));
        if (!line_end) line_end = end;
        size_t length = (size_t)(line_end - cursor);
        if (length > 5 && strncmp(cursor, "next:", 5) == 0) {
            size_t token = length - 5 < 63 ? length - 5 : 63;
            memcpy(next, cursor + 5, token);
            next[token] = 0;
            page->next_token = next;
        } else if (length > 0) {
            const char *comma = memchr(cursor, ',', length);
            if (!comma) {
                fx_free(NULL, page);
                return fail(out_error, AVESA_ERR_FAILED, "a line without a comma");
            }
            used += (size_t)snprintf(ndjson + used, capacity - used, "{\"id\":%.*s,\"name\":\"%.*s\"}\n",
                                     (int)(comma - cursor), cursor, (int)(line_end - comma - 1), comma + 1);
            count++;
        }
        cursor = line_end + 1;
    }
    page->struct_size = sizeof(avesa_page);
    page->record_count = count;
    page->records_ndjson = (const uint8_t *)ndjson;
    page->records_length = used;
    if (!page->next_token) page->watermark = "done-watermark";
    *out_page = page;
    return leave(AVESA_OK);
}

static avesa_status hook_plan_chunks(void *state_pointer, const avesa_request_context *context, int64_t count,
                                     avesa_chunk_plan **out_plan, char **out_error) {
    enter();
    (void)state_pointer; (void)out_error;
    if (HOOK_DELAY_US > 0) usleep(HOOK_DELAY_US);
    int n = 1;
    if (context->since && context->until && count > 0) n = (int)((count + 99) / 100 > 4 ? 4 : (count + 99) / 100);
#ifdef PLAN_CHUNKS
    if (context->since && context->until) n = PLAN_CHUNKS;
#endif
    /* One block: the plan, the chunks, then 2 x 24 bytes of bounds per chunk. */
    avesa_chunk_plan *plan = fx_alloc(sizeof(avesa_chunk_plan) + (size_t)n * (sizeof(avesa_chunk) + 48));
    avesa_chunk *chunks = (avesa_chunk *)(plan + 1);
    char *strings = (char *)(chunks + n);
    long long since = context->since ? atoll(context->since) : 0, until = context->until ? atoll(context->until) : 0;
    for (int i = 0; i < n; i++) {
        if (n == 1) {
            if (context->since) snprintf(strings, 24, "%s", context->since);
            if (context->until) snprintf(strings + 24, 24, "%s", context->until);
            chunks[i].since = context->since ? strings : NULL;
            chunks[i].until = context->until ? strings + 24 : NULL;
        } else {
            snprintf(strings + 48 * i, 24, "%lld", since + (until - since) * i / n);
            snprintf(strings + 48 * i + 24, 24, "%lld", since + (until - since) * (i + 1) / n);
            chunks[i].since = strings + 48 * i;
            chunks[i].until = strings + 48 * i + 24;
        }
    }
    plan->struct_size = sizeof(avesa_chunk_plan);
    plan->chunk_count = (uint32_t)n;
    plan->chunks = chunks;
    *out_plan = plan;
    return leave(AVESA_OK);
}

/* ---------------------------------------------------------------- manifest */

static const avesa_credential_field url_field = {
    sizeof(avesa_credential_field), AVESA_FIELD_REQUIRED | AVESA_FIELD_URL,
    "api_url", "API URL", NULL, NULL, NULL };
static const avesa_credential_field key_field = {
    sizeof(avesa_credential_field), AVESA_FIELD_REQUIRED | AVESA_FIELD_SECRET,
    "api_key", "API key", NULL, NULL, NULL };
static const avesa_credential_field *const fields[] = { &url_field, &key_field };

static const avesa_auth auth = { .struct_size = sizeof(avesa_auth), .kind = AVESA_AUTH_CUSTOM };
static const avesa_rate_limit limits = {
    .struct_size = sizeof(avesa_rate_limit), .requests_per_second = 1000, .burst = 1000, .max_concurrent = 8 };
static const avesa_pagination paging = {
    .struct_size = sizeof(avesa_pagination), .kind = AVESA_PAGINATION_CURSOR, .page_param = "cursor",
    .default_page_size = 3, .max_page_size = 100 };
static const avesa_endpoint items = {
    .struct_size = sizeof(avesa_endpoint), .flags = AVESA_ENDPOINT_INCREMENTAL | AVESA_ENDPOINT_RANGE_FILTER,
    .name = "items", .path = "/hooks/items", .records_pointer = "", .primary_key = "id",
    .cursor_field = "id", .cursor_format = AVESA_TIME_UNIX_SECONDS, .incremental_param = "since",
    .incremental_template = "{since}..{until}", .pagination = &paging };
static const avesa_endpoint *const endpoints[] = { &items };

static const avesa_hooks hooks = {
    .struct_size = sizeof(avesa_hooks), .init = hook_init, .free = fx_free,
    .authenticate = hook_authenticate, .build_request = hook_build_request,
    .parse_page = hook_parse_page, .plan_chunks = hook_plan_chunks };

static const avesa_plugin manifest = {
    .struct_size = sizeof(avesa_plugin), .abi_version = AVESA_ABI_VERSION, .name = HOOKS_NAME,
    .display_name = "Hooks fixture", .version = "1.0.0", .vendor = "Avesa tests",
    .base_url_template = "{api_url}", .auth = &auth, .credential_field_count = 2, .credential_fields = fields,
    .rate_limit = &limits, .endpoint_count = 1, .endpoints = endpoints,
#ifdef SERIALIZE
    .flags = AVESA_PLUGIN_SERIALIZE_HOOKS,
#endif
    .hooks = &hooks };

AVESA_EXPORT avesa_status avesa_plugin_entry(avesa_negotiation *negotiation, const avesa_plugin **out_plugin) {
    negotiation->plugin_abi_version = AVESA_ABI_VERSION;
    if (AVESA_ABI_MAJOR(negotiation->host_abi_version) != AVESA_ABI_VERSION_MAJOR) return AVESA_ERR_INCOMPATIBLE;
    *out_plugin = &manifest;
    return AVESA_OK;
}
