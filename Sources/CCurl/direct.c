// The direct HTTP/1.1 lane (see CCurl.h): connections this loop opens itself, on the loop's epoll
// set, speaking HTTP/1.1 with the request bytes the caller built. It exists for the S3 copy's hot
// path: libcurl spent most of the daemon's CPU per copied object on work this lane does not do
// (formatting every request header byte through its printf, scanning every cached connection per
// transfer, polling a reused socket before each request; issue 19's profile). Proxies, unix
// sockets, uploads and everything else stay on libcurl.
//
// What it does, and only that: DNS through getaddrinfo_a (numeric hosts at once), a TCP connect
// per address until one answers, TLS through OpenSSL with the peer's certificate chain and name
// verified, keep-alive connections reused last-in first-out per origin, a request sent again
// once on a new connection when a reused one turns out closed before any answer byte (as libcurl
// does), answers delimited by Content-Length, chunked coding or the connection's close, 1xx heads
// skipped, a connect timeout and a total timeout per exchange.
#define _GNU_SOURCE
#include "loop_internal.h"

#ifdef __linux__
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

// A resolved address list is used this long (libcurl's DNS cache keeps entries 60 s).
#define ADDRESS_TTL_MS 60000
// An idle connection older than this is closed rather than reused (libcurl's MAXAGE_CONN).
#define IDLE_MAX_AGE_MS 118000
// Idle connections kept per origin; more are closed when their exchange ends.
#define IDLE_LIMIT 1024
// The most an answer's head (status line and headers) may take.
#define HEAD_LIMIT (64 * 1024)
// The most a body's buffer reserves up front from its Content-Length.
#define RESERVE_LIMIT (8 << 20)

typedef struct direct_conn direct_conn;
typedef struct direct_origin direct_origin;

enum { LIST_NONE, LIST_WAITING, LIST_ACTIVE, LIST_FINISHED };

// What a connection waits for: reading (an answer, or on an idle one the server's close), and
// writing while a request is only partly out. The same set idle and busy, so a request on a
// kept-alive connection costs no epoll_ctl.
#define WAIT_READ (EPOLLIN | EPOLLRDHUP)
#define WAIT_WRITE (EPOLLIN | EPOLLRDHUP | EPOLLOUT)
enum { CONN_CONNECTING, CONN_HANDSHAKE, CONN_BUSY, CONN_IDLE, CONN_CLOSED };
enum { BODY_NONE, BODY_LENGTH, BODY_CHUNKED, BODY_UNTIL_CLOSE };
enum { CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, CHUNK_TRAILER };

struct cutover_direct_exchange {
    cutover_direct_exchange *prev, *next;
    int list;
    direct_origin *origin;
    direct_conn *conn;
    void *context;
    uint8_t *request;
    size_t request_length, sent;
    int head_only;
    long connect_timeout_ms, timeout_ms;
    int64_t deadline;
    int64_t connect_deadline;  // while its connection is being set up, else -1
    int resent;
    // The answer as received; a chunked body is decoded in place, over its framing.
    uint8_t *raw;
    size_t raw_length, raw_capacity;
    size_t parsed;       // bytes of raw the parser has consumed
    size_t head_start;   // where the current head's status line starts
    int have_head;
    size_t lines_start, lines_end, body_start, body_end;
    int status;
    int mode, chunk_state;
    uint64_t remaining;
    int keep_alive;
    int outcome;
    char message[320];
};

struct direct_conn {
    int fd;
    SSL *ssl;
    int state;
    uint32_t interest;
    direct_origin *origin;
    cutover_direct_exchange *exchange;
    direct_conn *idle_prev, *idle_next;
    int64_t idle_since;
    uint64_t uses;
    // The address being tried (index into the origin's list) and how many were tried.
    int address, attempts;
    // connect(2) succeeded without waiting (loopback often does).
    int connected_at_once;
};

struct direct_origin {
    direct_origin *next;
    struct direct_lane *lane;
    char *host;
    int port, tls;
    struct addrinfo *addresses;
    int address_count, next_address;
    int64_t addresses_until;
    // An asynchronous lookup in flight, with the exchanges waiting for it.
    struct gaicb *lookup;
    char service[8];
    cutover_direct_exchange *waiting_head, *waiting_tail;
    direct_conn *idle;  // most recently used first
    int idle_count;
};

struct direct_lane {
    direct_origin *origins;
    cutover_direct_exchange *active_head;
    cutover_direct_exchange *finished_head, *finished_tail;
    int64_t next_check;  // -1: nothing timed
    char *ca_file;
    SSL_CTX *tls;
    char tls_error[200];
    uint64_t opened, reused, resent;
    // Connections closed during this turn, freed after it: an event for one may still be in
    // the turn's batch (its pointer is the event's data).
    direct_conn *closed;
    // SIGPIPE is blocked on the loop's thread (OpenSSL writes with write(2), not MSG_NOSIGNAL).
    int sigpipe_blocked;
};

static struct direct_lane *lane_of(cutover_curl_loop *loop) {
    if (loop->direct) return loop->direct;
    loop->direct = calloc(1, sizeof *loop->direct);
    if (loop->direct) loop->direct->next_check = -1;
    return loop->direct;
}

// MARK: lists

static void unlink_exchange(struct direct_lane *lane, cutover_direct_exchange *ex) {
    if (ex->list == LIST_ACTIVE) {
        if (ex->prev) ex->prev->next = ex->next; else lane->active_head = ex->next;
        if (ex->next) ex->next->prev = ex->prev;
    } else if (ex->list == LIST_WAITING) {
        direct_origin *o = ex->origin;
        if (ex->prev) ex->prev->next = ex->next; else o->waiting_head = ex->next;
        if (ex->next) ex->next->prev = ex->prev; else o->waiting_tail = ex->prev;
    }
    ex->prev = ex->next = NULL;
    ex->list = LIST_NONE;
}

static void make_active(struct direct_lane *lane, cutover_direct_exchange *ex) {
    ex->prev = NULL;
    ex->next = lane->active_head;
    if (lane->active_head) lane->active_head->prev = ex;
    lane->active_head = ex;
    ex->list = LIST_ACTIVE;
    int64_t due = ex->connect_deadline >= 0 && ex->connect_deadline < ex->deadline ? ex->connect_deadline : ex->deadline;
    if (lane->next_check < 0 || due < lane->next_check) lane->next_check = due;
}

static void make_waiting(cutover_direct_exchange *ex) {
    direct_origin *o = ex->origin;
    ex->next = NULL;
    ex->prev = o->waiting_tail;
    if (o->waiting_tail) o->waiting_tail->next = ex; else o->waiting_head = ex;
    o->waiting_tail = ex;
    ex->list = LIST_WAITING;
}

static void idle_remove(direct_conn *c) {
    direct_origin *o = c->origin;
    if (c->idle_prev) c->idle_prev->idle_next = c->idle_next; else o->idle = c->idle_next;
    if (c->idle_next) c->idle_next->idle_prev = c->idle_prev;
    c->idle_prev = c->idle_next = NULL;
    o->idle_count--;
}

// MARK: connections

static int set_interest(cutover_curl_loop *loop, direct_conn *c, uint32_t interest) {
    if (c->interest == interest) return 0;
    struct epoll_event event = {0};
    event.events = interest;
    event.data.u64 = DIRECT_EVENT_TAG | (uint64_t)(uintptr_t)c;
    int op = c->interest ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    __atomic_fetch_add(&loop->epoll_changes, 1, __ATOMIC_RELAXED);
    if (epoll_ctl(loop->epfd, op, c->fd, &event) != 0) return -1;
    c->interest = interest;
    return 0;
}

static void close_conn(direct_conn *c) {
    if (c->state == CONN_IDLE) idle_remove(c);
    if (c->ssl) SSL_free(c->ssl);  // no close_notify: the socket closes right after
    c->ssl = NULL;
    if (c->fd >= 0) close(c->fd);  // which also takes it out of the epoll set
    c->fd = -1;
    c->state = CONN_CLOSED;
    struct direct_lane *lane = c->origin->lane;
    c->idle_next = lane->closed;
    lane->closed = c;
}

static void finish(cutover_curl_loop *loop, cutover_direct_exchange *ex, int outcome, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

static void finish(cutover_curl_loop *loop, cutover_direct_exchange *ex, int outcome, const char *format, ...) {
    struct direct_lane *lane = loop->direct;
    unlink_exchange(lane, ex);
    ex->outcome = outcome;
    if (format) {
        va_list args;
        va_start(args, format);
        vsnprintf(ex->message, sizeof ex->message, format, args);
        va_end(args);
    }
    direct_conn *c = ex->conn;
    ex->conn = NULL;
    if (c) {
        c->exchange = NULL;
        if (outcome == CUTOVER_DIRECT_OK && ex->keep_alive && c->origin->idle_count < IDLE_LIMIT) {
            c->state = CONN_IDLE;
            c->idle_since = cutover_loop_now_ms();
            c->idle_prev = NULL;
            c->idle_next = c->origin->idle;
            if (c->idle_next) c->idle_next->idle_prev = c;
            c->origin->idle = c;
            c->origin->idle_count++;
            // Idle, it waits for reading only: data or a hang-up now means the server closed it.
            if (set_interest(loop, c, WAIT_READ) != 0) close_conn(c);
        } else {
            close_conn(c);
        }
    }
    ex->next = NULL;
    ex->prev = lane->finished_tail;
    if (lane->finished_tail) lane->finished_tail->next = ex; else lane->finished_head = ex;
    lane->finished_tail = ex;
    ex->list = LIST_FINISHED;
}

static void drive(cutover_curl_loop *loop, direct_conn *c, uint32_t events);
static void assign(cutover_curl_loop *loop, cutover_direct_exchange *ex);
static void start_lookup(cutover_curl_loop *loop, direct_origin *o);

static const char *tls_setup_error(struct direct_lane *lane) {
    if (lane->tls) return NULL;
    if (lane->tls_error[0]) return lane->tls_error;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx) {
        snprintf(lane->tls_error, sizeof lane->tls_error, "OpenSSL could not create a TLS context");
        return lane->tls_error;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
    int loaded = lane->ca_file ? SSL_CTX_load_verify_locations(ctx, lane->ca_file, NULL) : SSL_CTX_set_default_verify_paths(ctx);
    if (loaded != 1) {
        snprintf(lane->tls_error, sizeof lane->tls_error, "could not load the trusted CA certificates from %s",
                 lane->ca_file ? lane->ca_file : "OpenSSL's default paths");
        SSL_CTX_free(ctx);
        return lane->tls_error;
    }
    lane->tls = ctx;
    return NULL;
}

static int is_ip_literal(const char *host) {
    unsigned char buffer[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, host, buffer) == 1 || inet_pton(AF_INET6, host, buffer) == 1;
}

// Opens a connection for `ex` to the origin's next address. 0 if under way, -1 if `ex` finished.
static int open_conn(cutover_curl_loop *loop, cutover_direct_exchange *ex, direct_conn *previous) {
    struct direct_lane *lane = loop->direct;
    direct_origin *o = ex->origin;
    direct_conn *c = calloc(1, sizeof *c);
    if (!c) {
        finish(loop, ex, CUTOVER_DIRECT_OTHER, "out of memory opening a connection");
        return -1;
    }
    c->fd = -1;
    c->origin = o;
    c->state = CONN_CONNECTING;
    c->attempts = previous ? previous->attempts : 0;
    c->address = previous ? (previous->address + 1) % o->address_count : (o->next_address++ % o->address_count);
    int last_error = 0;
    while (c->attempts < o->address_count) {
        struct addrinfo *a = o->addresses;
        for (int i = 0; i < c->address && a; i++) a = a->ai_next;
        c->attempts++;
        int fd = socket(a->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
        if (fd >= 0) {
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
            int done = connect(fd, a->ai_addr, a->ai_addrlen);
            if (done == 0 || errno == EINPROGRESS) {
                c->fd = fd;
                c->connected_at_once = done == 0;
                break;
            }
            last_error = errno;
            close(fd);
        } else {
            last_error = errno;
        }
        c->address = (c->address + 1) % o->address_count;
    }
    if (c->fd < 0) {
        free(c);
        finish(loop, ex, CUTOVER_DIRECT_COULD_NOT_CONNECT, "could not connect to %s port %d: %s", o->host, o->port,
               strerror(last_error));
        return -1;
    }
    __atomic_fetch_add(&lane->opened, 1, __ATOMIC_RELAXED);
    c->exchange = ex;
    ex->conn = c;
    if (set_interest(loop, c, WAIT_WRITE) != 0) {
        int saved = errno;
        ex->conn = NULL;
        close_conn(c);
        finish(loop, ex, CUTOVER_DIRECT_OTHER, "epoll_ctl failed: %s", strerror(saved));
        return -1;
    }
    return 0;
}

// The connection's connect failed: the next address, or the exchange fails.
static void connect_failed(cutover_curl_loop *loop, direct_conn *c, int error) {
    cutover_direct_exchange *ex = c->exchange;
    direct_origin *o = c->origin;
    c->exchange = NULL;
    ex->conn = NULL;
    if (c->attempts < o->address_count) {
        direct_conn previous = *c;
        close_conn(c);
        open_conn(loop, ex, &previous);
        return;
    }
    close_conn(c);
    finish(loop, ex, CUTOVER_DIRECT_COULD_NOT_CONNECT, "could not connect to %s port %d: %s", o->host, o->port, strerror(error));
}

// Starts TLS on a connected socket, or goes straight to sending.
static void connected(cutover_curl_loop *loop, direct_conn *c) {
    cutover_direct_exchange *ex = c->exchange;
    direct_origin *o = c->origin;
    if (!o->tls) {
        c->state = CONN_BUSY;
        ex->connect_deadline = -1;
        return;
    }
    struct direct_lane *lane = loop->direct;
    const char *problem = tls_setup_error(lane);
    if (problem) {
        finish(loop, ex, CUTOVER_DIRECT_CERTIFICATE, "%s", problem);
        return;
    }
    c->ssl = SSL_new(lane->tls);
    if (!c->ssl || SSL_set_fd(c->ssl, c->fd) != 1) {
        finish(loop, ex, CUTOVER_DIRECT_OTHER, "OpenSSL could not set up a TLS connection");
        return;
    }
    if (is_ip_literal(o->host)) {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(c->ssl), o->host);
    } else {
        SSL_set_tlsext_host_name(c->ssl, o->host);
        SSL_set1_host(c->ssl, o->host);
    }
    SSL_set_connect_state(c->ssl);
    c->state = CONN_HANDSHAKE;
}

// MARK: the answer

static const uint8_t *find_crlf(const uint8_t *from, const uint8_t *end) {
    while (from + 1 < end) {
        const uint8_t *cr = memchr(from, '\r', (size_t)(end - from - 1));
        if (!cr) return NULL;
        if (cr[1] == '\n') return cr;
        from = cr + 1;
    }
    return NULL;
}

static int token_in(const uint8_t *value, size_t length, const char *token) {
    size_t t = strlen(token);
    for (size_t i = 0; i + t <= length; i++) {
        if (strncasecmp((const char *)value + i, token, t) == 0) {
            int before = i == 0 || value[i - 1] == ',' || value[i - 1] == ' ' || value[i - 1] == '\t';
            int after = i + t == length || value[i + t] == ',' || value[i + t] == ' ' || value[i + t] == '\t';
            if (before && after) return 1;
        }
    }
    return 0;
}

// Parses a complete head ending at `end` (just past its blank line). 1: a final head, 0: a 1xx
// head (skipped), -1: malformed (message set).
static int parse_head(cutover_direct_exchange *ex, size_t end) {
    const uint8_t *base = ex->raw;
    const uint8_t *line = base + ex->head_start;
    const uint8_t *stop = base + end;
    const uint8_t *eol = find_crlf(line, stop);
    size_t length = (size_t)(eol - line);
    if (length < 12 || memcmp(line, "HTTP/1.", 7) != 0 || (line[7] != '0' && line[7] != '1') || line[8] != ' ' ||
        line[9] < '1' || line[9] > '5' || line[10] < '0' || line[10] > '9' || line[11] < '0' || line[11] > '9' ||
        (length > 12 && line[12] != ' ')) {
        snprintf(ex->message, sizeof ex->message, "malformed status line from the server: \"%.*s\"", (int)(length > 80 ? 80 : length),
                 line);
        return -1;
    }
    int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    if (status < 200) {
        if (status == 101) {
            snprintf(ex->message, sizeof ex->message, "the server switched protocols (HTTP 101), which no AWS API does");
            return -1;
        }
        ex->head_start = end;
        return 0;
    }
    ex->status = status;
    ex->keep_alive = line[7] == '1';
    ex->lines_start = (size_t)(eol + 2 - base);
    ex->lines_end = end - 2;
    int chunked = 0, has_length = 0;
    uint64_t content_length = 0;
    for (const uint8_t *p = eol + 2; p < stop - 2;) {
        const uint8_t *next = find_crlf(p, stop);
        const uint8_t *colon = memchr(p, ':', (size_t)(next - p));
        if (!colon) {
            snprintf(ex->message, sizeof ex->message, "malformed header line from the server (no colon)");
            return -1;
        }
        const uint8_t *value = colon + 1;
        while (value < next && (*value == ' ' || *value == '\t')) value++;
        const uint8_t *value_end = next;
        while (value_end > value && (value_end[-1] == ' ' || value_end[-1] == '\t')) value_end--;
        size_t name_length = (size_t)(colon - p);
        size_t value_length = (size_t)(value_end - value);
        if (name_length == 14 && strncasecmp((const char *)p, "Content-Length", 14) == 0) {
            uint64_t n = 0;
            if (value_length == 0 || value_length > 15) goto bad_length;
            for (size_t i = 0; i < value_length; i++) {
                if (value[i] < '0' || value[i] > '9') goto bad_length;
                n = n * 10 + (uint64_t)(value[i] - '0');
            }
            if (has_length && n != content_length) goto bad_length;
            has_length = 1;
            content_length = n;
        } else if (name_length == 17 && strncasecmp((const char *)p, "Transfer-Encoding", 17) == 0) {
            if (!token_in(value, value_length, "chunked")) {
                snprintf(ex->message, sizeof ex->message, "unsupported Transfer-Encoding from the server: \"%.*s\"",
                         (int)(value_length > 60 ? 60 : value_length), value);
                return -1;
            }
            chunked = 1;
        } else if (name_length == 10 && strncasecmp((const char *)p, "Connection", 10) == 0) {
            if (token_in(value, value_length, "close")) ex->keep_alive = 0;
        }
        p = next + 2;
    }
    ex->parsed = end;
    ex->body_start = ex->body_end = end;
    ex->have_head = 1;
    if (ex->head_only || status == 204 || status == 304) {
        ex->mode = BODY_NONE;
    } else if (chunked) {
        ex->mode = BODY_CHUNKED;
        ex->chunk_state = CHUNK_SIZE;
    } else if (has_length) {
        ex->mode = BODY_LENGTH;
        ex->remaining = content_length;
    } else {
        ex->mode = BODY_UNTIL_CLOSE;
        ex->keep_alive = 0;
    }
    return 1;
bad_length:
    snprintf(ex->message, sizeof ex->message, "malformed or conflicting Content-Length from the server");
    return -1;
}

// Consumes what arrived of the body. 1: complete, 0: needs more, -1: malformed (message set).
static int advance_body(cutover_direct_exchange *ex) {
    switch (ex->mode) {
    case BODY_NONE:
        if (ex->raw_length > ex->parsed) ex->keep_alive = 0;  // bytes nobody asked for: do not reuse
        return 1;
    case BODY_LENGTH: {
        uint64_t have = ex->raw_length - ex->body_start;
        if (have > ex->remaining) ex->keep_alive = 0;
        ex->body_end = ex->body_start + (size_t)(have < ex->remaining ? have : ex->remaining);
        ex->parsed = ex->body_end;
        return have >= ex->remaining;
    }
    case BODY_UNTIL_CLOSE:
        ex->body_end = ex->parsed = ex->raw_length;
        return 0;
    default:
        break;
    }
    uint8_t *raw = ex->raw;
    for (;;) {
        size_t available = ex->raw_length - ex->parsed;
        switch (ex->chunk_state) {
        case CHUNK_SIZE: {
            const uint8_t *eol = find_crlf(raw + ex->parsed, raw + ex->raw_length);
            if (!eol) {
                if (available > 1024) goto bad;
                return 0;
            }
            const uint8_t *p = raw + ex->parsed;
            uint64_t size = 0;
            int digits = 0;
            for (; p < eol; p++, digits++) {
                int d = *p >= '0' && *p <= '9' ? *p - '0' : (*p | 0x20) >= 'a' && (*p | 0x20) <= 'f' ? (*p | 0x20) - 'a' + 10 : -1;
                if (d < 0) break;
                if (digits >= 15) goto bad;
                size = size * 16 + (uint64_t)d;
            }
            if (digits == 0 || (p < eol && *p != ';' && *p != ' ' && *p != '\t')) goto bad;
            ex->parsed = (size_t)(eol + 2 - raw);
            ex->remaining = size;
            ex->chunk_state = size ? CHUNK_DATA : CHUNK_TRAILER;
            break;
        }
        case CHUNK_DATA: {
            if (available == 0) return 0;
            size_t n = available < ex->remaining ? available : (size_t)ex->remaining;
            if (ex->body_end != ex->parsed) memmove(raw + ex->body_end, raw + ex->parsed, n);
            ex->body_end += n;
            ex->parsed += n;
            ex->remaining -= n;
            if (ex->remaining == 0) ex->chunk_state = CHUNK_DATA_END;
            break;
        }
        case CHUNK_DATA_END:
            if (available < 2) return 0;
            if (raw[ex->parsed] != '\r' || raw[ex->parsed + 1] != '\n') goto bad;
            ex->parsed += 2;
            ex->chunk_state = CHUNK_SIZE;
            break;
        default: {  // CHUNK_TRAILER: header lines, then a blank line
            const uint8_t *eol = find_crlf(raw + ex->parsed, raw + ex->raw_length);
            if (!eol) {
                if (available > HEAD_LIMIT) goto bad;
                return 0;
            }
            size_t line = (size_t)(eol - (raw + ex->parsed));
            ex->parsed += line + 2;
            if (line == 0) {
                if (ex->raw_length > ex->parsed) ex->keep_alive = 0;
                return 1;
            }
            break;
        }
        }
    }
bad:
    snprintf(ex->message, sizeof ex->message, "malformed chunked body from the server");
    return -1;
}

// Parses what arrived. 1: the answer is complete, 0: more is needed, -1: malformed.
static int absorb(cutover_direct_exchange *ex) {
    while (!ex->have_head) {
        size_t from = ex->parsed > ex->head_start + 3 ? ex->parsed - 3 : ex->head_start;
        const uint8_t *end = NULL;
        for (const uint8_t *p = ex->raw + from; (p = find_crlf(p, ex->raw + ex->raw_length)) != NULL; p += 2) {
            if (p + 3 < ex->raw + ex->raw_length && p[2] == '\r' && p[3] == '\n') {
                end = p + 4;
                break;
            }
        }
        if (!end) {
            ex->parsed = ex->raw_length;
            if (ex->raw_length - ex->head_start > HEAD_LIMIT) {
                snprintf(ex->message, sizeof ex->message, "the answer's headers exceed %d bytes", HEAD_LIMIT);
                return -1;
            }
            return 0;
        }
        int parsed = parse_head(ex, (size_t)(end - ex->raw));
        if (parsed < 0) return -1;
        if (parsed == 0) ex->parsed = ex->head_start;
    }
    return advance_body(ex);
}

static int reserve(cutover_direct_exchange *ex, size_t room) {
    if (ex->raw_capacity - ex->raw_length >= room) return 0;
    size_t capacity = ex->raw_capacity ? ex->raw_capacity : 4096;
    while (capacity - ex->raw_length < room) capacity *= 2;
    uint8_t *grown = realloc(ex->raw, capacity);
    if (!grown) return -1;
    ex->raw = grown;
    ex->raw_capacity = capacity;
    return 0;
}

// Back to the start of the exchange, to send it again on another connection.
static void rewind_exchange(cutover_direct_exchange *ex) {
    ex->sent = 0;
    ex->raw_length = ex->parsed = ex->head_start = 0;
    ex->have_head = 0;
    ex->status = 0;
}

// The connection ended (EOF, reset) before or during the answer.
static void connection_ended(cutover_curl_loop *loop, direct_conn *c, int error) {
    cutover_direct_exchange *ex = c->exchange;
    direct_origin *o = c->origin;
    // `uses` counts this exchange too: above 1, the connection had served an earlier one.
    if (ex->raw_length == 0 && c->uses > 1 && !ex->resent) {
        // A kept-alive connection the server had closed (its close crossed our request): send
        // the request again, once, on a new connection. Nothing of an answer arrived, so the
        // server did not act on it (RFC 9112 §9.3.1; libcurl does the same).
        ex->resent = 1;
        __atomic_fetch_add(&loop->direct->resent, 1, __ATOMIC_RELAXED);
        c->exchange = NULL;
        ex->conn = NULL;
        close_conn(c);
        rewind_exchange(ex);
        assign(loop, ex);
        return;
    }
    const char *why = error ? strerror(error) : "the server closed the connection";
    if (ex->raw_length == 0) {
        finish(loop, ex, CUTOVER_DIRECT_CONNECTION_RESET, "no answer from %s port %d: %s", o->host, o->port, why);
    } else if (!ex->have_head) {
        finish(loop, ex, CUTOVER_DIRECT_CONNECTION_RESET, "the answer from %s port %d stopped in its headers: %s", o->host, o->port, why);
    } else if (ex->mode == BODY_UNTIL_CLOSE && !error) {
        ex->keep_alive = 0;
        finish(loop, ex, CUTOVER_DIRECT_OK, NULL);
    } else {
        finish(loop, ex, CUTOVER_DIRECT_PARTIAL_RESPONSE, "the answer from %s port %d stopped after %zu body bytes (HTTP %d): %s", o->host,
               o->port, ex->body_end - ex->body_start, ex->status, why);
    }
}

// MARK: I/O

// -1: would block (wants `*wants`), 0: EOF, >0: bytes; -2: error (errno or TLS error in *error).
static ssize_t conn_read(direct_conn *c, uint8_t *buffer, size_t length, int *error) {
    if (!c->ssl) {
        ssize_t n = recv(c->fd, buffer, length, 0);
        if (n >= 0) return n;
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return -1;
        *error = errno;
        return -2;
    }
    ERR_clear_error();
    int n = SSL_read(c->ssl, buffer, length > INT32_MAX ? INT32_MAX : (int)length);
    if (n > 0) return n;
    int reason = SSL_get_error(c->ssl, n);
    if (reason == SSL_ERROR_WANT_READ || reason == SSL_ERROR_WANT_WRITE) return -1;
    if (reason == SSL_ERROR_ZERO_RETURN) return 0;
    if (reason == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) {
        if (errno == 0) return 0;  // the peer closed without close_notify: end of file
        *error = errno;
        return -2;
    }
    *error = EPROTO;
    return -2;
}

static ssize_t conn_write(direct_conn *c, const uint8_t *buffer, size_t length, int *error) {
    if (!c->ssl) {
        ssize_t n = send(c->fd, buffer, length, MSG_NOSIGNAL);
        if (n >= 0) return n;
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return -1;
        *error = errno;
        return -2;
    }
    ERR_clear_error();
    int n = SSL_write(c->ssl, buffer, length > INT32_MAX ? INT32_MAX : (int)length);
    if (n > 0) return n;
    int reason = SSL_get_error(c->ssl, n);
    if (reason == SSL_ERROR_WANT_READ || reason == SSL_ERROR_WANT_WRITE) return -1;
    *error = reason == SSL_ERROR_SYSCALL && errno ? errno : EPROTO;
    return -2;
}

static void handshake(cutover_curl_loop *loop, direct_conn *c) {
    cutover_direct_exchange *ex = c->exchange;
    ERR_clear_error();
    int done = SSL_do_handshake(c->ssl);
    if (done == 1) {
        c->state = CONN_BUSY;
        ex->connect_deadline = -1;
        return;
    }
    int reason = SSL_get_error(c->ssl, done);
    if (reason == SSL_ERROR_WANT_READ || reason == SSL_ERROR_WANT_WRITE) {
        set_interest(loop, c, reason == SSL_ERROR_WANT_WRITE ? WAIT_WRITE : WAIT_READ);
        return;
    }
    direct_origin *o = c->origin;
    long verify = SSL_get_verify_result(c->ssl);
    if (verify != X509_V_OK) {
        finish(loop, ex, CUTOVER_DIRECT_CERTIFICATE, "TLS with %s port %d: the server's certificate did not verify: %s", o->host, o->port,
               X509_verify_cert_error_string(verify));
        return;
    }
    unsigned long code = ERR_peek_error();
    if (code) {
        char text[160];
        ERR_error_string_n(code, text, sizeof text);
        finish(loop, ex, CUTOVER_DIRECT_CERTIFICATE, "TLS handshake with %s port %d failed: %s", o->host, o->port, text);
        return;
    }
    finish(loop, ex, CUTOVER_DIRECT_CONNECTION_RESET, "TLS handshake with %s port %d: the connection closed (%s)", o->host, o->port,
           errno ? strerror(errno) : "end of file");
}

static void drive(cutover_curl_loop *loop, direct_conn *c, uint32_t events) {
    cutover_direct_exchange *ex = c->exchange;
    if (c->state == CONN_CONNECTING) {
        int error = 0;
        if (!c->connected_at_once) {
            if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
            socklen_t size = sizeof error;
            if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0) error = errno;
        }
        if (error) {
            connect_failed(loop, c, error);
            return;
        }
        connected(loop, c);
        if (ex->list != LIST_ACTIVE) return;
    }
    if (c->state == CONN_HANDSHAKE) {
        handshake(loop, c);
        if (ex->list != LIST_ACTIVE || c->state != CONN_BUSY) return;
    }
    // Sending: everything until it is out, then wait for reading only.
    if (ex->sent < ex->request_length) {
        if (ex->sent == 0 && ex->raw_length == 0) {
            if (c->uses > 0) __atomic_fetch_add(&loop->direct->reused, 1, __ATOMIC_RELAXED);
            c->uses++;
        }
        while (ex->sent < ex->request_length) {
            int error = 0;
            ssize_t n = conn_write(c, ex->request + ex->sent, ex->request_length - ex->sent, &error);
            if (n == -1) break;
            if (n < 0) {
                connection_ended(loop, c, error);
                return;
            }
            ex->sent += (size_t)n;
        }
        if (set_interest(loop, c, ex->sent < ex->request_length ? WAIT_WRITE : WAIT_READ) != 0) {
            finish(loop, ex, CUTOVER_DIRECT_OTHER, "epoll_ctl failed: %s", strerror(errno));
            return;
        }
        if (ex->sent < ex->request_length && !(events & EPOLLIN)) return;
    }
    if (!(events & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP)) && ex->sent == ex->request_length && !c->ssl) return;
    for (;;) {
        // Room for a typical answer at first, then as much again as arrived so far.
        size_t room = ex->raw_length < 4096 ? 4096 : ex->raw_length;
        if (ex->have_head && ex->mode == BODY_LENGTH && ex->raw_length == ex->body_start) {
            uint64_t want = ex->remaining < RESERVE_LIMIT ? ex->remaining : RESERVE_LIMIT;
            if (want > room) room = (size_t)want;
        }
        if (reserve(ex, room) != 0) {
            finish(loop, ex, CUTOVER_DIRECT_OTHER, "out of memory reading an answer");
            return;
        }
        int error = 0;
        ssize_t n = conn_read(c, ex->raw + ex->raw_length, ex->raw_capacity - ex->raw_length, &error);
        if (n == -1) return;
        if (n <= 0) {
            connection_ended(loop, c, n == 0 ? 0 : error);
            return;
        }
        ex->raw_length += (size_t)n;
        int state = absorb(ex);
        if (state < 0) {
            finish(loop, ex, CUTOVER_DIRECT_BAD_RESPONSE, NULL);
            return;
        }
        if (state > 0) {
            // Answered before the request was all out (an early error): the connection is out of
            // step, so it is not reused.
            if (ex->sent < ex->request_length) ex->keep_alive = 0;
            finish(loop, ex, CUTOVER_DIRECT_OK, NULL);
            return;
        }
    }
}

// Gives `ex` a connection: an idle one of its origin, or a new one.
static void assign(cutover_curl_loop *loop, cutover_direct_exchange *ex) {
    direct_origin *o = ex->origin;
    struct direct_lane *lane = loop->direct;
    int64_t now = cutover_loop_now_ms();
    while (o->idle) {
        direct_conn *c = o->idle;
        idle_remove(c);
        if (now - c->idle_since > IDLE_MAX_AGE_MS) {
            c->state = CONN_BUSY;
            close_conn(c);
            continue;
        }
        c->state = CONN_BUSY;
        c->exchange = ex;
        ex->conn = c;
        ex->connect_deadline = -1;
        if (ex->list != LIST_ACTIVE) make_active(lane, ex);
        // Write at once: the socket is almost always writable, and this saves a turn.
        drive(loop, c, EPOLLOUT);
        return;
    }
    if ((!o->addresses || now >= o->addresses_until) && !o->lookup) start_lookup(loop, o);
    if (!o->addresses || now >= o->addresses_until) {
        // A name being looked up: direct_tick takes the answer; the wait counts as connecting.
        if (ex->list == LIST_ACTIVE) unlink_exchange(lane, ex);
        if (ex->connect_deadline < 0) ex->connect_deadline = now + ex->connect_timeout_ms;
        make_waiting(ex);
        int64_t due = ex->connect_deadline < ex->deadline ? ex->connect_deadline : ex->deadline;
        if (lane->next_check < 0 || due < lane->next_check) lane->next_check = due;
        return;
    }
    if (ex->connect_deadline < 0) ex->connect_deadline = now + ex->connect_timeout_ms;
    if (ex->list != LIST_ACTIVE) make_active(lane, ex);
    else if (lane->next_check < 0 || ex->connect_deadline < lane->next_check) lane->next_check = ex->connect_deadline;
    if (open_conn(loop, ex, NULL) == 0 && ex->conn->connected_at_once) {
        // Connected already (loopback often is): go on without waiting for a turn.
        drive(loop, ex->conn, EPOLLOUT);
    }
}

// MARK: lookups

static void lookup_done(union sigval value) {
    int fd = value.sival_int;
    uint64_t one = 1;
    ssize_t written = write(fd, &one, sizeof one);
    (void)written;
}

static void start_lookup(cutover_curl_loop *loop, direct_origin *o) {
    struct addrinfo hints = {0};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    struct addrinfo *found = NULL;
    snprintf(o->service, sizeof o->service, "%d", o->port);
    if (getaddrinfo(o->host, o->service, &hints, &found) == 0) {
        if (o->addresses) freeaddrinfo(o->addresses);
        o->addresses = found;
        o->address_count = 0;
        for (struct addrinfo *a = found; a; a = a->ai_next) o->address_count++;
        o->addresses_until = INT64_MAX;  // a literal address never changes
        return;
    }
    struct gaicb *lookup = calloc(1, sizeof *lookup + sizeof(struct addrinfo));
    if (!lookup) return;
    struct addrinfo *request_hints = (struct addrinfo *)(lookup + 1);
    request_hints->ai_family = AF_UNSPEC;
    request_hints->ai_socktype = SOCK_STREAM;
    request_hints->ai_flags = AI_NUMERICSERV;
    lookup->ar_name = o->host;
    lookup->ar_service = o->service;
    lookup->ar_request = request_hints;
    struct sigevent notify = {0};
    notify.sigev_notify = SIGEV_THREAD;
    notify.sigev_notify_function = lookup_done;
    notify.sigev_value.sival_int = loop->wakefd;
    struct gaicb *list[1] = {lookup};
    if (getaddrinfo_a(GAI_NOWAIT, list, 1, &notify) != 0) {
        free(lookup);
        return;
    }
    o->lookup = lookup;
}

static void fail_waiting(cutover_curl_loop *loop, direct_origin *o, int outcome, const char *why) {
    while (o->waiting_head)
        finish(loop, o->waiting_head, outcome, "could not resolve %s: %s", o->host, why);
}

// The origin's lookup: started if needed, its result taken if it finished.
static void service_lookup(cutover_curl_loop *loop, direct_origin *o, int64_t now) {
    if (!o->lookup && (!o->addresses || now >= o->addresses_until)) {
        start_lookup(loop, o);
        if (!o->lookup && !o->addresses) {
            fail_waiting(loop, o, CUTOVER_DIRECT_COULD_NOT_CONNECT, "the lookup could not start");
            return;
        }
    }
    if (o->lookup) {
        int state = gai_error(o->lookup);
        if (state == EAI_INPROGRESS) return;
        struct gaicb *lookup = o->lookup;
        o->lookup = NULL;
        if (state != 0) {
            free(lookup);
            fail_waiting(loop, o, CUTOVER_DIRECT_COULD_NOT_CONNECT, gai_strerror(state));
            return;
        }
        if (o->addresses) freeaddrinfo(o->addresses);
        o->addresses = lookup->ar_result;
        free(lookup);
        o->address_count = 0;
        for (struct addrinfo *a = o->addresses; a; a = a->ai_next) o->address_count++;
        o->addresses_until = now + ADDRESS_TTL_MS;
        if (o->address_count == 0) {
            fail_waiting(loop, o, CUTOVER_DIRECT_COULD_NOT_CONNECT, "no addresses");
            return;
        }
    }
    while (o->waiting_head) {
        cutover_direct_exchange *ex = o->waiting_head;
        unlink_exchange(loop->direct, ex);
        assign(loop, ex);
    }
}

// MARK: the loop's side

void direct_handle_event(cutover_curl_loop *loop, uint64_t data, uint32_t events) {
    direct_conn *c = (direct_conn *)(uintptr_t)(data & ~DIRECT_EVENT_TAG);
    if (c->state == CONN_CLOSED) return;  // closed earlier in this turn
    if (c->state == CONN_IDLE) {
        // An idle connection became readable or hung up: the server closed it.
        __atomic_fetch_add(&loop->idle_events, 1, __ATOMIC_RELAXED);
        close_conn(c);
        return;
    }
    drive(loop, c, events);
}

static void free_closed(struct direct_lane *lane) {
    while (lane->closed) {
        direct_conn *c = lane->closed;
        lane->closed = c->idle_next;
        free(c);
    }
}

int64_t direct_tick(cutover_curl_loop *loop, int64_t now) {
    struct direct_lane *lane = loop->direct;
    int64_t next = -1;
    // Called between turns' batches only: no event of this one is left to handle.
    free_closed(lane);
    for (direct_origin *o = lane->origins; o; o = o->next) {
        if (o->waiting_head) {
            service_lookup(loop, o, now);
            // A lookup in flight wakes the loop when it ends; poll it too, once a second.
            if (o->lookup && (next < 0 || now + 1000 < next)) next = now + 1000;
        }
    }
    if (lane->next_check >= 0 && now >= lane->next_check) {
        int64_t soonest = -1;
        for (direct_origin *o = lane->origins; o; o = o->next) {
            cutover_direct_exchange *ex = o->waiting_head;
            while (ex) {
                cutover_direct_exchange *following = ex->next;
                if (now >= ex->connect_deadline || now >= ex->deadline) {
                    finish(loop, ex, CUTOVER_DIRECT_TIMED_OUT, "looking up %s timed out after %ld ms", o->host,
                           now >= ex->deadline ? ex->timeout_ms : ex->connect_timeout_ms);
                } else {
                    int64_t due = ex->connect_deadline < ex->deadline ? ex->connect_deadline : ex->deadline;
                    if (soonest < 0 || due < soonest) soonest = due;
                }
                ex = following;
            }
        }
        cutover_direct_exchange *ex = lane->active_head;
        while (ex) {
            cutover_direct_exchange *following = ex->next;
            if (ex->connect_deadline >= 0 && now >= ex->connect_deadline) {
                finish(loop, ex, CUTOVER_DIRECT_TIMED_OUT, "connecting to %s port %d timed out after %ld ms", ex->origin->host,
                       ex->origin->port, ex->connect_timeout_ms);
            } else if (now >= ex->deadline) {
                finish(loop, ex, CUTOVER_DIRECT_TIMED_OUT, "no complete answer from %s port %d within %ld ms (%zu bytes received)",
                       ex->origin->host, ex->origin->port, ex->timeout_ms, ex->raw_length);
            } else {
                int64_t due = ex->connect_deadline >= 0 && ex->connect_deadline < ex->deadline ? ex->connect_deadline : ex->deadline;
                if (soonest < 0 || due < soonest) soonest = due;
            }
            ex = following;
        }
        lane->next_check = soonest;
    }
    if (lane->next_check >= 0 && (next < 0 || lane->next_check < next)) next = lane->next_check;
    if (lane->finished_head) next = now;  // the caller has results to take: do not sleep
    return next;
}

void direct_destroy(cutover_curl_loop *loop) {
    struct direct_lane *lane = loop->direct;
    cutover_direct_fail_all(loop, "transport shut down");
    while (lane->finished_head) cutover_direct_free(cutover_direct_next_finished(loop));
    free_closed(lane);
    direct_origin *o = lane->origins;
    while (o) {
        direct_origin *next = o->next;
        if (o->lookup) {
            // The lookup's thread writes to the wake-up descriptor when it ends: wait for it.
            if (gai_cancel(o->lookup) != EAI_CANCELED) {
                const struct gaicb *list[1] = {o->lookup};
                struct timespec limit = {10, 0};
                gai_suspend(list, 1, &limit);
            }
            if (gai_error(o->lookup) == 0 && o->lookup->ar_result) freeaddrinfo(o->lookup->ar_result);
            free(o->lookup);
        }
        if (o->addresses) freeaddrinfo(o->addresses);
        free(o->host);
        free(o);
        o = next;
    }
    if (lane->tls) SSL_CTX_free(lane->tls);
    free(lane->ca_file);
    free(lane);
    loop->direct = NULL;
}

// MARK: the API

void cutover_direct_set_ca_file(cutover_curl_loop *loop, const char *ca_file) {
    struct direct_lane *lane = lane_of(loop);
    if (!lane) return;
    free(lane->ca_file);
    lane->ca_file = ca_file ? strdup(ca_file) : NULL;
}

cutover_direct_exchange *cutover_direct_start(cutover_curl_loop *loop, const cutover_direct_request *request) {
    struct direct_lane *lane = lane_of(loop);
    if (!lane) return NULL;
    if (!lane->sigpipe_blocked) {
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe, NULL);
        lane->sigpipe_blocked = 1;
    }
    direct_origin *o = lane->origins;
    while (o && !(o->port == request->port && o->tls == request->tls && strcmp(o->host, request->host) == 0)) o = o->next;
    if (!o) {
        o = calloc(1, sizeof *o);
        if (!o || !(o->host = strdup(request->host))) {
            free(o);
            return NULL;
        }
        o->port = request->port;
        o->tls = request->tls;
        o->lane = lane;
        o->next = lane->origins;
        lane->origins = o;
    }
    cutover_direct_exchange *ex = calloc(1, sizeof *ex);
    if (!ex) return NULL;
    ex->request = malloc(request->length ? request->length : 1);
    if (!ex->request) {
        free(ex);
        return NULL;
    }
    memcpy(ex->request, request->bytes, request->length);
    ex->request_length = request->length;
    ex->origin = o;
    ex->context = request->context;
    ex->head_only = request->head_only;
    ex->connect_timeout_ms = request->connect_timeout_ms;
    ex->timeout_ms = request->timeout_ms;
    int64_t now = cutover_loop_now_ms();
    ex->deadline = now + request->timeout_ms;
    ex->connect_deadline = -1;
    assign(loop, ex);
    return ex;
}

void cutover_direct_cancel(cutover_curl_loop *loop, cutover_direct_exchange *exchange) {
    if (exchange->list == LIST_FINISHED || exchange->list == LIST_NONE) return;
    if (exchange->conn) exchange->keep_alive = 0;
    finish(loop, exchange, CUTOVER_DIRECT_CANCELLED, "cancelled");
}

void cutover_direct_fail_all(cutover_curl_loop *loop, const char *message) {
    struct direct_lane *lane = loop->direct;
    if (!lane) return;
    while (lane->active_head) {
        lane->active_head->keep_alive = 0;
        finish(loop, lane->active_head, CUTOVER_DIRECT_OTHER, "%s", message);
    }
    for (direct_origin *o = lane->origins; o; o = o->next) {
        while (o->waiting_head) finish(loop, o->waiting_head, CUTOVER_DIRECT_OTHER, "%s", message);
        while (o->idle) close_conn(o->idle);
    }
}

cutover_direct_exchange *cutover_direct_next_finished(cutover_curl_loop *loop) {
    struct direct_lane *lane = loop->direct;
    if (!lane || !lane->finished_head) return NULL;
    cutover_direct_exchange *ex = lane->finished_head;
    lane->finished_head = ex->next;
    if (!lane->finished_head) lane->finished_tail = NULL;
    ex->next = NULL;
    ex->list = LIST_NONE;
    return ex;
}

void *cutover_direct_context(const cutover_direct_exchange *exchange) { return exchange->context; }

void cutover_direct_result_of(const cutover_direct_exchange *ex, cutover_direct_result *result) {
    result->outcome = ex->outcome;
    result->status = ex->have_head ? ex->status : 0;
    result->head = ex->have_head ? ex->raw + ex->lines_start : NULL;
    result->head_length = ex->have_head ? ex->lines_end - ex->lines_start : 0;
    result->body = ex->have_head ? ex->raw + ex->body_start : NULL;
    result->body_length = ex->have_head ? ex->body_end - ex->body_start : 0;
    result->message = ex->message;
}

void cutover_direct_free(cutover_direct_exchange *exchange) {
    if (!exchange) return;
    free(exchange->request);
    free(exchange->raw);
    free(exchange);
}

void cutover_direct_counters(cutover_curl_loop *loop, uint64_t *opened, uint64_t *reused, uint64_t *resent, uint64_t *idle) {
    struct direct_lane *lane = loop->direct;
    // Read from another thread than the loop's (tests, metrics): atomically; the idle count is a
    // walk of lists the loop changes, so only exact once the lane is quiet.
    *opened = lane ? __atomic_load_n(&lane->opened, __ATOMIC_RELAXED) : 0;
    *reused = lane ? __atomic_load_n(&lane->reused, __ATOMIC_RELAXED) : 0;
    *resent = lane ? __atomic_load_n(&lane->resent, __ATOMIC_RELAXED) : 0;
    uint64_t count = 0;
    if (lane)
        for (direct_origin *o = lane->origins; o; o = o->next) count += (uint64_t)o->idle_count;
    *idle = count;
}

#else
// Not Linux: no direct lane (the transport never starts one without its epoll loop).
void cutover_direct_set_ca_file(cutover_curl_loop *loop, const char *ca_file) {
    (void)loop;
    (void)ca_file;
}
cutover_direct_exchange *cutover_direct_start(cutover_curl_loop *loop, const cutover_direct_request *request) {
    (void)loop;
    (void)request;
    return NULL;
}
void cutover_direct_cancel(cutover_curl_loop *loop, cutover_direct_exchange *exchange) {
    (void)loop;
    (void)exchange;
}
void cutover_direct_fail_all(cutover_curl_loop *loop, const char *message) {
    (void)loop;
    (void)message;
}
cutover_direct_exchange *cutover_direct_next_finished(cutover_curl_loop *loop) {
    (void)loop;
    return NULL;
}
void *cutover_direct_context(const cutover_direct_exchange *exchange) {
    (void)exchange;
    return NULL;
}
void cutover_direct_result_of(const cutover_direct_exchange *exchange, cutover_direct_result *result) {
    (void)exchange;
    (void)result;
}
void cutover_direct_free(cutover_direct_exchange *exchange) { (void)exchange; }
void cutover_direct_counters(cutover_curl_loop *loop, uint64_t *opened, uint64_t *reused, uint64_t *resent, uint64_t *idle) {
    (void)loop;
    *opened = *reused = *resent = *idle = 0;
}
#endif
