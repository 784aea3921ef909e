/* libcurl for Swift: curl_easy_setopt and friends are variadic, which Swift cannot
   call, so each option type gets a typed static inline wrapper here. */
#ifndef AVESA_CCURL_SHIM_H
#define AVESA_CCURL_SHIM_H
#include <curl/curl.h>

/** Sets a long-valued option. */
static inline CURLcode avesa_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
/** Sets a string option (libcurl copies the string). */
static inline CURLcode avesa_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
/** Sets a pointer option (callback data, header lists); the caller keeps it alive. */
static inline CURLcode avesa_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
/** Sets a curl_off_t option. */
static inline CURLcode avesa_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
/** Sets a write/header callback. */
static inline CURLcode avesa_curl_setopt_write_callback(CURL *handle, CURLoption option,
        size_t (*callback)(char *, size_t, size_t, void *)) {
    return curl_easy_setopt(handle, option, callback);
}
/** Reads a long-valued info field. */
static inline CURLcode avesa_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
/** Reads a pointer-valued info field (for CURLINFO_PRIVATE). */
static inline CURLcode avesa_curl_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}
/** Reads a double-valued info field (timings). */
static inline CURLcode avesa_curl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}
/** Sets a long-valued multi option. */
static inline CURLMcode avesa_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}
#endif
