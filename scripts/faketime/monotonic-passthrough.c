/*
 * Preloaded before Debian 12's libfaketime (0.9.10) for scripts/test's "a year ahead" pass.
 *
 * With FAKETIME_DONT_FAKE_MONOTONIC=1 libfaketime leaves clock_gettime(CLOCK_MONOTONIC) alone,
 * but its timerfd_settime and clock_nanosleep wrappers still shift absolute deadlines on the
 * monotonic clocks by the fake offset: libdispatch's timers (every Swift Task.sleep) get a
 * deadline 400 days in the past (EINVAL) and never fire, and Python's time.sleep fails.
 * With FAKETIME_DONT_FAKE_MONOTONIC=0 the deadlines land decades ahead instead.
 *
 * This shim sends timers and sleeps on the monotonic clocks straight to the kernel, so only the
 * wall clock is moved, as intended; everything on CLOCK_REALTIME still goes through libfaketime.
 * Built by scripts/test: cc -shared -fPIC -o monotonic-passthrough.so monotonic-passthrough.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

/* The clock each timerfd was created on, + 1 (0: not seen). */
static int timerfd_clocks[65536];

static int is_monotonic(clockid_t clock) {
    return clock == CLOCK_MONOTONIC || clock == CLOCK_BOOTTIME || clock == CLOCK_MONOTONIC_RAW;
}

int timerfd_create(int clockid, int flags) {
    static int (*next)(int, int);
    if (!next) next = dlsym(RTLD_NEXT, "timerfd_create");
    int fd = next(clockid, flags);
    if (fd >= 0 && fd < 65536) timerfd_clocks[fd] = clockid + 1;
    return fd;
}

int timerfd_settime(int fd, int flags, const struct itimerspec *value, struct itimerspec *old) {
    if (fd >= 0 && fd < 65536 && timerfd_clocks[fd] && is_monotonic(timerfd_clocks[fd] - 1))
        return (int)syscall(SYS_timerfd_settime, fd, flags, value, old);
    static int (*next)(int, int, const struct itimerspec *, struct itimerspec *);
    if (!next) next = dlsym(RTLD_NEXT, "timerfd_settime");
    return next(fd, flags, value, old);
}

int clock_nanosleep(clockid_t clock, int flags, const struct timespec *request, struct timespec *remain) {
    if (is_monotonic(clock)) return syscall(SYS_clock_nanosleep, clock, flags, request, remain) == 0 ? 0 : errno;
    static int (*next)(clockid_t, int, const struct timespec *, struct timespec *);
    if (!next) next = dlsym(RTLD_NEXT, "clock_nanosleep");
    return next(clock, flags, request, remain);
}
