#ifndef CUTOVER_CCURL_H
#define CUTOVER_CCURL_H
#include <curl/curl.h>
#include <stdint.h>

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

// The calling thread's name as the kernel keeps it (what `top -H`, perf and gdb show; at most 15
// bytes): set from the thread itself, since Foundation's `Thread.name` set before `start()` does
// not reach the kernel on Linux. Elsewhere a no-op and an empty name.
void cutover_name_this_thread(const char *name);
void cutover_this_thread_name(char *buffer, size_t length);

// The transport's event loop: libcurl's socket interface (curl_multi_socket_action) on epoll, so
// a wake-up drives only the transfers whose socket is ready or whose timer expired, instead of
// every transfer in flight (curl_multi_perform + curl_multi_poll walk them all, each time). In C
// because `struct epoll_event` is packed, which Swift does not import faithfully.
typedef struct cutover_curl_loop cutover_curl_loop;

// Installs the socket and timer callbacks on `multi` and creates the epoll instance and the
// wake-up eventfd. NULL on failure (errno says why).
cutover_curl_loop *cutover_curl_loop_create(CURLM *multi);
// Has `easy` open and close its connection sockets through the loop, which then keeps an idle
// keep-alive connection in its epoll set between transfers (no epoll_ctl per request). Call on
// the loop's thread before adding `easy` to the multi handle, after every curl_easy_reset.
void cutover_curl_loop_adopt(cutover_curl_loop *loop, CURL *easy);
// For tests: epoll_ctl calls made for sockets, and events on idle sockets, since creation.
void cutover_curl_loop_counters(const cutover_curl_loop *loop, uint64_t *epoll_changes, uint64_t *idle_events);
// Closes the loop's descriptors; the multi handle is the caller's (clean it up first).
void cutover_curl_loop_destroy(cutover_curl_loop *loop);
// From any thread: ends the current wait of cutover_curl_loop_run_once, or the next one if none
// is in progress (an eventfd counter, so a wake-up is never lost).
void cutover_curl_loop_wake(cutover_curl_loop *loop);
// Waits for ready sockets, the wake-up or curl's timer (at most `max_wait_ms`; -1 = no limit but
// curl's timer), then calls curl_multi_socket_action for each ready socket and for an expired
// timer. Returns the number of curl calls made, 0 if it only woke or timed out, -1 if epoll failed.
int cutover_curl_loop_run_once(cutover_curl_loop *loop, int max_wait_ms);

#endif
