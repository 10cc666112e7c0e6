#include "CCurl.h"
#include "loop_internal.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>


// epoll_ctl for a socket, counted (for tests: how many a request costs).
static int change(cutover_curl_loop *loop, int op, curl_socket_t fd, struct epoll_event *event) {
    __atomic_fetch_add(&loop->epoll_changes, 1, __ATOMIC_RELAXED);
    return epoll_ctl(loop->epfd, op, fd, event);
}

// A connection socket opened by on_open and not yet closed by on_close.
#define SOCKET_OURS 1
// In the epoll set for reading.
#define SOCKET_IN 2
// In the epoll set for writing.
#define SOCKET_OUT 4
// curl waits on it (between its socket callback asking for IN/OUT and asking for REMOVE).
#define SOCKET_WATCHED 8

// The state byte of `fd`, growing the table as needed; NULL if it cannot grow.
static uint8_t *socket_state(cutover_curl_loop *loop, curl_socket_t fd) {
    if (fd < 0) return NULL;
    size_t index = (size_t)fd;
    if (index >= loop->socket_count) {
        size_t count = loop->socket_count ? loop->socket_count : 256;
        while (count <= index) count *= 2;
        uint8_t *grown = realloc(loop->sockets, count);
        if (!grown) return NULL;
        memset(grown + loop->socket_count, 0, count - loop->socket_count);
        loop->sockets = grown;
        loop->socket_count = count;
    }
    return &loop->sockets[index];
}

// The state of `fd` if it is one of this loop's connection sockets, else NULL.
static uint8_t *our_socket(cutover_curl_loop *loop, curl_socket_t fd) {
    if (fd < 0 || (size_t)fd >= loop->socket_count) return NULL;
    uint8_t *state = &loop->sockets[fd];
    return (*state & SOCKET_OURS) ? state : NULL;
}

// CURLOPT_OPENSOCKETFUNCTION: opens the connection socket as curl would (plus close-on-exec), and
// remembers it as this loop's, so its registration can outlive one transfer (see on_socket).
static curl_socket_t on_open(void *userp, curlsocktype purpose, struct curl_sockaddr *address) {
    (void)purpose;
    cutover_curl_loop *loop = userp;
    curl_socket_t fd = socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
    if (fd == CURL_SOCKET_BAD) return fd;
    uint8_t *state = socket_state(loop, fd);
    if (state) *state = SOCKET_OURS;
    return fd;
}

// CURLOPT_CLOSESOCKETFUNCTION: closing a descriptor takes it out of the epoll set; forget it, so a
// new socket that gets the same number starts from nothing.
static int on_close(void *userp, curl_socket_t fd) {
    cutover_curl_loop *loop = userp;
    uint8_t *state = our_socket(loop, fd);
    if (state) *state = 0;
    return close(fd);
}

int64_t cutover_loop_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

// CURLMOPT_SOCKETFUNCTION: keeps the epoll set equal to what curl waits for.
//
// A connection socket this loop opened stays in the set for reading between transfers, while it
// waits in curl's connection cache: the next request on that keep-alive connection waits for
// reading again, so it then needs no epoll_ctl at all, where it took two (add, then remove) per
// request. An event on such an idle socket (the server closed it) takes it out of the set
// (run_once); curl finds the connection dead when it next tries it. Any other socket (the
// resolver's, say) follows curl exactly; `socketp` is non-NULL once it is in the set
// (curl_multi_assign), so a change is one epoll_ctl, not two.
static int on_socket(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp) {
    (void)easy;
    cutover_curl_loop *loop = userp;
    uint8_t *ours = our_socket(loop, s);
    if (what == CURL_POLL_REMOVE) {
        if (ours) {
            // Kept for reading only: a registration for writing would fire at once.
            if ((*ours & (SOCKET_IN | SOCKET_OUT)) != SOCKET_IN) {
                change(loop, EPOLL_CTL_DEL, s, NULL);
                *ours = SOCKET_OURS;
            } else {
                *ours &= (uint8_t)~SOCKET_WATCHED;
            }
            return 0;
        }
        // curl calls this before it closes the socket; a failure means it is gone already.
        if (socketp) change(loop, EPOLL_CTL_DEL, s, NULL);
        return 0;
    }
    struct epoll_event event = {0};
    event.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0);
    event.data.fd = s;
    if (ours) {
        uint8_t want = (uint8_t)(((what & CURL_POLL_IN) ? SOCKET_IN : 0) | ((what & CURL_POLL_OUT) ? SOCKET_OUT : 0));
        uint8_t registered = *ours & (SOCKET_IN | SOCKET_OUT);
        if (registered != want) {
            int op = registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
            if (change(loop, op, s, &event) != 0) {
                int retry = errno == ENOENT ? EPOLL_CTL_ADD : errno == EEXIST ? EPOLL_CTL_MOD : -1;
                if (retry < 0 || change(loop, retry, s, &event) != 0) return -1;
            }
        }
        *ours = (uint8_t)(SOCKET_OURS | SOCKET_WATCHED | want);
        return 0;
    }
    if (socketp) {
        if (change(loop, EPOLL_CTL_MOD, s, &event) == 0) return 0;
        if (errno != ENOENT) return -1;
    }
    if (change(loop, EPOLL_CTL_ADD, s, &event) != 0) {
        if (errno != EEXIST || change(loop, EPOLL_CTL_MOD, s, &event) != 0) return -1;
    }
    curl_multi_assign(loop->multi, s, (void *)loop);
    return 0;
}

// CURLMOPT_TIMERFUNCTION: remembers the deadline; run_once fires it (never from inside a callback).
static int on_timer(CURLM *multi, long timeout_ms, void *userp) {
    (void)multi;
    cutover_curl_loop *loop = userp;
    loop->deadline_ms = timeout_ms < 0 ? -1 : cutover_loop_now_ms() + timeout_ms;
    return 0;
}

cutover_curl_loop *cutover_curl_loop_create(CURLM *multi) {
    cutover_curl_loop *loop = calloc(1, sizeof *loop);
    if (!loop) return NULL;
    loop->multi = multi;
    loop->deadline_ms = -1;
    loop->epfd = epoll_create1(EPOLL_CLOEXEC);
    loop->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    struct epoll_event event = {0};
    event.events = EPOLLIN;
    event.data.fd = loop->wakefd;
    if (loop->epfd < 0 || loop->wakefd < 0 || epoll_ctl(loop->epfd, EPOLL_CTL_ADD, loop->wakefd, &event) != 0) {
        int saved = errno;
        cutover_curl_loop_destroy(loop);
        errno = saved;
        return NULL;
    }
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, loop);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, loop);
    return loop;
}

void cutover_curl_loop_adopt(cutover_curl_loop *loop, CURL *easy) {
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, on_open);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, loop);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, on_close);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, loop);
}

void cutover_curl_loop_counters(const cutover_curl_loop *loop, uint64_t *epoll_changes, uint64_t *idle_events) {
    // Read from another thread than the loop's: atomically.
    *epoll_changes = __atomic_load_n(&loop->epoll_changes, __ATOMIC_RELAXED);
    *idle_events = __atomic_load_n(&loop->idle_events, __ATOMIC_RELAXED);
}

void cutover_curl_loop_destroy(cutover_curl_loop *loop) {
    if (!loop) return;
    if (loop->direct) direct_destroy(loop);
    if (loop->epfd >= 0) close(loop->epfd);
    if (loop->wakefd >= 0) close(loop->wakefd);
    free(loop->sockets);
    free(loop);
}

void cutover_curl_loop_wake(cutover_curl_loop *loop) {
    uint64_t one = 1;
    // Only fails with EAGAIN when the counter is about to overflow: it is set either way.
    ssize_t written = write(loop->wakefd, &one, sizeof one);
    (void)written;
}

int cutover_curl_loop_run_once(cutover_curl_loop *loop, int max_wait_ms) {
    int wait = max_wait_ms;
    int64_t now = cutover_loop_now_ms();
    int64_t direct_next = loop->direct ? direct_tick(loop, now) : -1;
    int64_t next = loop->deadline_ms;
    if (direct_next >= 0 && (next < 0 || direct_next < next)) next = direct_next;
    if (next >= 0) {
        int64_t left = next - now;
        if (left < 0) left = 0;
        if (wait < 0 || left < wait) wait = (int)left;
    }
    struct epoll_event events[128];
    int ready = epoll_wait(loop->epfd, events, 128, wait);
    if (ready < 0) {
        if (errno != EINTR) return -1;
        ready = 0;
    }
    int calls = 0;
    int running = 0;
    for (int index = 0; index < ready; index++) {
        uint32_t what = events[index].events;
        if (events[index].data.u64 & DIRECT_EVENT_TAG) {
            direct_handle_event(loop, events[index].data.u64, what);
            continue;
        }
        int fd = events[index].data.fd;
        if (fd == loop->wakefd) {
            uint64_t count;
            ssize_t got = read(loop->wakefd, &count, sizeof count);
            (void)got;
            continue;
        }
        uint8_t *ours = our_socket(loop, fd);
        if (ours && !(*ours & SOCKET_WATCHED)) {
            // An idle keep-alive socket became readable or hung up: the server closed it (or
            // sent what it should not). Out of the set, so it does not wake the loop again.
            change(loop, EPOLL_CTL_DEL, fd, NULL);
            *ours = SOCKET_OURS;
            __atomic_fetch_add(&loop->idle_events, 1, __ATOMIC_RELAXED);
            continue;
        }
        int mask = 0;
        if (what & EPOLLIN) mask |= CURL_CSELECT_IN;
        if (what & EPOLLOUT) mask |= CURL_CSELECT_OUT;
        // A hang-up or error: let curl read and write, so it finds out what happened (EOF mid-body,
        // reset) and reports it as such, not as a bare "select/poll returned error".
        if (what & (EPOLLERR | EPOLLHUP)) mask |= CURL_CSELECT_IN | CURL_CSELECT_OUT;
        curl_multi_socket_action(loop->multi, fd, mask, &running);
        calls++;
    }
    if (loop->direct) direct_tick(loop, cutover_loop_now_ms());
    if (loop->deadline_ms >= 0 && cutover_loop_now_ms() >= loop->deadline_ms) {
        loop->deadline_ms = -1;
        curl_multi_socket_action(loop->multi, CURL_SOCKET_TIMEOUT, 0, &running);
        calls++;
    }
    return calls;
}

#else
// Not Linux: no epoll here. The transport reports that creating its loop failed.
cutover_curl_loop *cutover_curl_loop_create(CURLM *multi) {
    (void)multi;
    errno = ENOSYS;
    return NULL;
}
void cutover_curl_loop_destroy(cutover_curl_loop *loop) { (void)loop; }
void cutover_curl_loop_adopt(cutover_curl_loop *loop, CURL *easy) {
    (void)loop;
    (void)easy;
}
void cutover_curl_loop_counters(const cutover_curl_loop *loop, uint64_t *epoll_changes, uint64_t *idle_events) {
    (void)loop;
    *epoll_changes = 0;
    *idle_events = 0;
}
void cutover_curl_loop_wake(cutover_curl_loop *loop) { (void)loop; }
int cutover_curl_loop_run_once(cutover_curl_loop *loop, int max_wait_ms) {
    (void)loop;
    (void)max_wait_ms;
    errno = ENOSYS;
    return -1;
}
#endif
