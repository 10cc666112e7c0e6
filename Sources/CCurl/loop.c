#include "CCurl.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>

struct cutover_curl_loop {
    CURLM *multi;
    int epfd;
    int wakefd;
    // When curl wants curl_multi_socket_action(CURL_SOCKET_TIMEOUT), in CLOCK_MONOTONIC ms; -1: never.
    int64_t deadline_ms;
};

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

// CURLMOPT_SOCKETFUNCTION: keeps the epoll set equal to what curl waits for. `socketp` is non-NULL
// once the socket is in the set (curl_multi_assign), so a change is one epoll_ctl, not two.
static int on_socket(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp) {
    (void)easy;
    cutover_curl_loop *loop = userp;
    if (what == CURL_POLL_REMOVE) {
        // curl calls this before it closes the socket; a failure means it is gone already.
        if (socketp) epoll_ctl(loop->epfd, EPOLL_CTL_DEL, s, NULL);
        return 0;
    }
    struct epoll_event event = {0};
    event.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0);
    event.data.fd = s;
    if (socketp) {
        if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, s, &event) == 0) return 0;
        if (errno != ENOENT) return -1;
    }
    if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, s, &event) != 0) {
        if (errno != EEXIST || epoll_ctl(loop->epfd, EPOLL_CTL_MOD, s, &event) != 0) return -1;
    }
    curl_multi_assign(loop->multi, s, (void *)loop);
    return 0;
}

// CURLMOPT_TIMERFUNCTION: remembers the deadline; run_once fires it (never from inside a callback).
static int on_timer(CURLM *multi, long timeout_ms, void *userp) {
    (void)multi;
    cutover_curl_loop *loop = userp;
    loop->deadline_ms = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
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

void cutover_curl_loop_destroy(cutover_curl_loop *loop) {
    if (!loop) return;
    if (loop->epfd >= 0) close(loop->epfd);
    if (loop->wakefd >= 0) close(loop->wakefd);
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
    if (loop->deadline_ms >= 0) {
        int64_t left = loop->deadline_ms - now_ms();
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
        int fd = events[index].data.fd;
        uint32_t what = events[index].events;
        if (fd == loop->wakefd) {
            uint64_t count;
            ssize_t got = read(loop->wakefd, &count, sizeof count);
            (void)got;
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
    if (loop->deadline_ms >= 0 && now_ms() >= loop->deadline_ms) {
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
void cutover_curl_loop_wake(cutover_curl_loop *loop) { (void)loop; }
int cutover_curl_loop_run_once(cutover_curl_loop *loop, int max_wait_ms) {
    (void)loop;
    (void)max_wait_ms;
    errno = ENOSYS;
    return -1;
}
#endif
