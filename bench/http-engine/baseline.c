/* bench/http-engine baseline: the least a C consumer of paginated JSON must do with
   libcurl. The multi interface keeps CONCURRENCY transfers in flight over keep-alive
   connections (the multi handle's connection cache); each transfer appends its body to
   a growable in-memory buffer (a parser needs the whole page), and on completion the
   page is checked (status 200, body ends with ']') and counted. Buffers and easy
   handles are reused from page to page, as a careful C program would.

   Build: cc -O2 -o baseline baseline.c -lcurl
   Usage: baseline BASE_URL REQUESTS [CONCURRENCY [RECORDS_PER_PAGE]]
   Prints one human line and one "RESULT ..." line (parsed by run.sh). */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct slot {
    CURL *easy;
    char *data;
    size_t length, capacity;
};

static size_t write_body(char *ptr, size_t size, size_t count, void *context) {
    struct slot *slot = context;
    size_t n = size * count;
    if (slot->length + n > slot->capacity) {
        size_t capacity = slot->capacity ? slot->capacity : 64 * 1024;
        while (capacity < slot->length + n) capacity *= 2;
        char *grown = realloc(slot->data, capacity);
        if (!grown) return 0;  /* aborts the transfer with CURLE_WRITE_ERROR */
        slot->data = grown;
        slot->capacity = capacity;
    }
    memcpy(slot->data + slot->length, ptr, n);
    slot->length += n;
    return n;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void start(CURLM *multi, struct slot *slot, const char *base, long page) {
    char url[2048];
    snprintf(url, sizeof url, "%s/page.json?page=%ld", base, page);
    slot->length = 0;
    curl_easy_setopt(slot->easy, CURLOPT_URL, url);  /* libcurl copies the string */
    curl_multi_add_handle(multi, slot->easy);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: baseline BASE_URL REQUESTS [CONCURRENCY [RECORDS_PER_PAGE]]\n");
        return 2;
    }
    const char *base = argv[1];
    long requests = atol(argv[2]);
    int concurrency = argc > 3 ? atoi(argv[3]) : 32;
    long records_per_page = argc > 4 ? atol(argv[4]) : 1000;
    if (concurrency < 1 || requests < 1) return 2;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURLM *multi = curl_multi_init();
    struct slot *slots = calloc(concurrency, sizeof *slots);
    double t0 = now();
    long issued = 0, done = 0, failed = 0;
    long long bytes = 0, records = 0;
    for (int i = 0; i < concurrency && issued < requests; i++) {
        slots[i].easy = curl_easy_init();
        curl_easy_setopt(slots[i].easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(slots[i].easy, CURLOPT_WRITEFUNCTION, write_body);
        curl_easy_setopt(slots[i].easy, CURLOPT_WRITEDATA, &slots[i]);
        curl_easy_setopt(slots[i].easy, CURLOPT_PRIVATE, &slots[i]);
        start(multi, &slots[i], base, issued++);
    }
    while (done < requests) {
        int running = 0, queued = 0;
        curl_multi_perform(multi, &running);
        CURLMsg *message;
        while ((message = curl_multi_info_read(multi, &queued))) {
            if (message->msg != CURLMSG_DONE) continue;
            CURL *easy = message->easy_handle;
            CURLcode result = message->data.result;
            struct slot *slot;
            long status = 0;
            curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&slot);
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            curl_multi_remove_handle(multi, easy);
            done++;
            if (result == CURLE_OK && status == 200 && slot->length > 0 && slot->data[slot->length - 1] == ']') {
                bytes += slot->length;
                records += records_per_page;
            } else {
                failed++;
            }
            if (issued < requests) start(multi, slot, base, issued++);
        }
        if (done < requests) curl_multi_poll(multi, NULL, 0, 1000, NULL);
    }
    double seconds = now() - t0;
    printf("%-34s %8.0f pages/s %10.0f records/s %8.1f MB/s\n", "C baseline (libcurl multi)",
           requests / seconds, records / seconds, bytes / seconds / 1e6);
    printf("RESULT kind=c pages=%ld failed=%ld seconds=%.6f bytes=%lld records=%lld\n",
           requests, failed, seconds, bytes, records);
    for (int i = 0; i < concurrency; i++) {
        if (slots[i].easy) curl_easy_cleanup(slots[i].easy);
        free(slots[i].data);
    }
    free(slots);
    curl_multi_cleanup(multi);
    curl_global_cleanup();
    return failed ? 1 : 0;
}
