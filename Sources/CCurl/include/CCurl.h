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

// The direct HTTP/1.1 lane: requests sent on connections this loop opens and speaks HTTP/1.1 on
// itself (TLS through OpenSSL, verified as curl verifies), without libcurl's per-transfer work.
// For in-memory requests to a host reached without a proxy; everything else stays on curl. Each
// function below runs on the loop's thread only (the one calling cutover_curl_loop_run_once).
typedef struct cutover_direct_exchange cutover_direct_exchange;

typedef struct {
    // The URL's host (an IPv6 literal without brackets), port, and whether it is https.
    const char *host;
    int port;
    int tls;
    // The whole request as it goes on the wire: request line, header lines, blank line, body.
    // Copied.
    const uint8_t *bytes;
    size_t length;
    // A HEAD request: its answer has no body, whatever its headers announce.
    int head_only;
    long connect_timeout_ms;
    long timeout_ms;
    // The caller's, handed back with the finished exchange.
    void *context;
} cutover_direct_request;

enum {
    CUTOVER_DIRECT_OK = 0,
    CUTOVER_DIRECT_COULD_NOT_CONNECT = 1,
    CUTOVER_DIRECT_TIMED_OUT = 2,
    CUTOVER_DIRECT_CONNECTION_RESET = 3,
    CUTOVER_DIRECT_PARTIAL_RESPONSE = 4,
    CUTOVER_DIRECT_CERTIFICATE = 5,
    CUTOVER_DIRECT_CANCELLED = 6,
    CUTOVER_DIRECT_BAD_RESPONSE = 7,
    CUTOVER_DIRECT_OTHER = 8,
};

typedef struct {
    int outcome;  // CUTOVER_DIRECT_*
    int status;   // the final answer's status code; 0 if none arrived
    // The final answer's header lines (after its status line, each ending CRLF), and its body.
    const uint8_t *head;
    size_t head_length;
    const uint8_t *body;
    size_t body_length;
    // Why it failed, for people; "" on success.
    const char *message;
} cutover_direct_result;

// The CA bundle TLS connections verify against (NULL: OpenSSL's default paths). Before the first
// request.
void cutover_direct_set_ca_file(cutover_curl_loop *loop, const char *ca_file);
// Starts an exchange; NULL only if memory ran out.
cutover_direct_exchange *cutover_direct_start(cutover_curl_loop *loop, const cutover_direct_request *request);
// Ends an exchange in flight as cancelled (its connection is closed); no-op once it finished.
void cutover_direct_cancel(cutover_curl_loop *loop, cutover_direct_exchange *exchange);
// Ends every exchange in flight with CUTOVER_DIRECT_OTHER and `message`, and closes every connection.
void cutover_direct_fail_all(cutover_curl_loop *loop, const char *message);
// The next finished exchange (its result is final), or NULL. The caller frees it.
cutover_direct_exchange *cutover_direct_next_finished(cutover_curl_loop *loop);
void *cutover_direct_context(const cutover_direct_exchange *exchange);
// Valid until cutover_direct_free.
void cutover_direct_result_of(const cutover_direct_exchange *exchange, cutover_direct_result *result);
void cutover_direct_free(cutover_direct_exchange *exchange);
// For tests and metrics: connections opened, requests sent on a reused connection, requests sent
// again on a new connection because a reused one turned out closed; idle connections now.
void cutover_direct_counters(cutover_curl_loop *loop, uint64_t *opened, uint64_t *reused, uint64_t *resent, uint64_t *idle);

#endif
