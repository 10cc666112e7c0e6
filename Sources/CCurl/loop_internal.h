// Shared between loop.c (libcurl on epoll) and direct.c (the direct HTTP/1.1 lane): the one
// epoll set and wake-up both run on, on the transport's I/O thread.
#ifndef CUTOVER_LOOP_INTERNAL_H
#define CUTOVER_LOOP_INTERNAL_H
#include "CCurl.h"

#include <stdint.h>
#include <stdlib.h>

struct direct_lane;

struct cutover_curl_loop {
    CURLM *multi;
    int epfd;
    int wakefd;
    // When curl wants curl_multi_socket_action(CURL_SOCKET_TIMEOUT), in CLOCK_MONOTONIC ms; -1: never.
    int64_t deadline_ms;
    // Per descriptor, for the connection sockets this loop opened (see on_open): SOCKET_* bits.
    uint8_t *sockets;
    size_t socket_count;
    // Counters for tests: epoll_ctl calls made, events on idle sockets.
    uint64_t epoll_changes;
    uint64_t idle_events;
    // The direct lane's connections and exchanges; NULL until its first request.
    struct direct_lane *direct;
};

// epoll events whose data carries this bit belong to the direct lane (the rest are descriptors:
// curl's sockets and the wake-up). User-space pointers on Linux never have bit 63 set.
#define DIRECT_EVENT_TAG (1ULL << 63)

int64_t cutover_loop_now_ms(void);
// The lane's side of one turn of run_once: an event on one of its connections.
void direct_handle_event(cutover_curl_loop *loop, uint64_t data, uint32_t events);
// Its timers and finished lookups; returns when it next needs a turn (CLOCK_MONOTONIC ms), -1: never.
int64_t direct_tick(cutover_curl_loop *loop, int64_t now);
// Closes every connection and fails every exchange (the loop is going away).
void direct_destroy(cutover_curl_loop *loop);

#endif
