/*
 * Preloaded in front of libfaketime by scripts/test's pass a year ahead (scripts/faketime/run):
 * hands the kernel, unchanged, the absolute sleeps and timers on the monotonic clocks, which
 * libfaketime 0.9.10 (Debian 12) corrupts even with FAKETIME_DONT_FAKE_MONOTONIC=1:
 *
 *   - timerfd_settime(TFD_TIMER_ABSTIME) on a CLOCK_MONOTONIC or CLOCK_BOOTTIME timer: it
 *     subtracts the fake offset from the deadline (negative: EINVAL), so libdispatch's timers,
 *     and with them every Swift Task.sleep, are never armed;
 *   - clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME): the same, EINVAL, which is how Python's
 *     time.sleep waits.
 *
 * Everything on CLOCK_REALTIME still goes to libfaketime, so the wall clock is 400 days ahead
 * everywhere and the monotonic clocks are the real ones.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define TRACKED 65536
static signed char timer_clock[TRACKED]; /* clockid + 1 per timerfd; 0 = unknown */

static int is_monotonic(clockid_t clock) {
    return clock == CLOCK_MONOTONIC || clock == CLOCK_BOOTTIME || clock == CLOCK_MONOTONIC_RAW;
}

int timerfd_create(clockid_t clock, int flags) {
    int fd = (int)syscall(SYS_timerfd_create, clock, flags);
    if (fd >= 0 && fd < TRACKED) timer_clock[fd] = (signed char)(clock + 1);
    return fd;
}

int timerfd_settime(int fd, int flags, const struct itimerspec *value, struct itimerspec *old) {
    if (fd >= 0 && fd < TRACKED && timer_clock[fd] && is_monotonic(timer_clock[fd] - 1))
        return (int)syscall(SYS_timerfd_settime, fd, flags, value, old);
    static int (*next)(int, int, const struct itimerspec *, struct itimerspec *);
    if (!next) next = dlsym(RTLD_NEXT, "timerfd_settime");
    return next(fd, flags, value, old);
}

int clock_nanosleep(clockid_t clock, int flags, const struct timespec *request, struct timespec *remain) {
    if (is_monotonic(clock))
        return syscall(SYS_clock_nanosleep, clock, flags, request, remain) == 0 ? 0 : errno;
    static int (*next)(clockid_t, int, const struct timespec *, struct timespec *);
    if (!next) next = dlsym(RTLD_NEXT, "clock_nanosleep");
    return next(clock, flags, request, remain);
}
