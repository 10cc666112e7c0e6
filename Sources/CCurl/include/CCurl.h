#ifndef CUTOVER_CCURL_H
#define CUTOVER_CCURL_H
#include <curl/curl.h>

// curl_easy_setopt and curl_multi_setopt are variadic, which Swift cannot call. These shims fix
// the argument type per call so the compiler checks it.
CURLcode cutover_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode cutover_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value);
CURLcode cutover_easy_setopt_ptr(CURL *handle, CURLoption option, const void *value);
CURLcode cutover_easy_setopt_string(CURL *handle, CURLoption option, const char *value);

typedef size_t (*cutover_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
CURLcode cutover_easy_setopt_write(CURL *handle, cutover_data_callback callback, void *userdata);
CURLcode cutover_easy_setopt_header(CURL *handle, cutover_data_callback callback, void *userdata);

CURLcode cutover_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode cutover_easy_getinfo_ptr(CURL *handle, CURLINFO info, void **value);
CURLMcode cutover_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

#endif
