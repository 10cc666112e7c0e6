/*
 * Counts one process's heap allocations, for judging a change to the copy path by a figure that
 * does not move with the machine's load (CPU seconds do, by 10-20 % on a shared VM).
 *
 * Build:  cc -O2 -shared -fPIC -o /tmp/alloc_count.so Benchmarks/AllocCount/alloc_count.c
 * Use:    LD_PRELOAD=/tmp/alloc_count.so python3 Benchmarks/bulk_copy.py --bin DIR --runs 1 \
 *             --no-probe --no-warmup --only cutover
 *         then read $ALLOC_COUNT_DIR/alloc-count.PID (default /tmp), written when the process
 *         whose name is $ALLOC_COUNT_COMM (default cutoverd) exits normally. Every other process
 *         that inherits the preload only pays an atomic increment per call.
 *
 * cutoverd links the Swift runtime statically but calls glibc's malloc through the PLT, so the
 * preload sees every allocation: Swift objects and arrays, libcurl's, SQLite's. The counts cover
 * the daemon's whole life (start-up is a few tens of thousands), so compare two binaries on the
 * same workload rather than reading one count alone.
 */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

static atomic_long mallocs, callocs, reallocs, aligned, frees;

static void count(atomic_long *counter) { atomic_fetch_add_explicit(counter, 1, memory_order_relaxed); }

void *malloc(size_t size) {
    count(&mallocs);
    return __libc_malloc(size);
}
void *calloc(size_t count_, size_t size) {
    count(&callocs);
    return __libc_calloc(count_, size);
}
void *realloc(void *pointer, size_t size) {
    count(&reallocs);
    return __libc_realloc(pointer, size);
}
void free(void *pointer) {
    if (pointer) count(&frees);
    __libc_free(pointer);
}
int posix_memalign(void **out, size_t alignment, size_t size) {
    count(&aligned);
    void *pointer = __libc_memalign(alignment, size);
    if (!pointer) return 12; /* ENOMEM */
    *out = pointer;
    return 0;
}
void *aligned_alloc(size_t alignment, size_t size) {
    count(&aligned);
    return __libc_memalign(alignment, size);
}
void *memalign(size_t alignment, size_t size) {
    count(&aligned);
    return __libc_memalign(alignment, size);
}

__attribute__((destructor)) static void report(void) {
    const char *wanted = getenv("ALLOC_COUNT_COMM");
    const char *directory = getenv("ALLOC_COUNT_DIR");
    char name[64] = {0};
    FILE *file = fopen("/proc/self/comm", "r");
    if (file) {
        if (!fgets(name, sizeof name, file)) name[0] = 0;
        fclose(file);
    }
    name[strcspn(name, "\n")] = 0;
    if (strcmp(name, wanted ? wanted : "cutoverd") != 0) return;
    char path[512];
    snprintf(path, sizeof path, "%s/alloc-count.%d", directory ? directory : "/tmp", (int)getpid());
    file = fopen(path, "w");
    if (!file) return;
    long total = (long)mallocs + (long)callocs + (long)reallocs + (long)aligned;
    fprintf(file, "allocations %ld malloc %ld calloc %ld realloc %ld aligned %ld free %ld\n", total, (long)mallocs,
            (long)callocs, (long)reallocs, (long)aligned, (long)frees);
    fclose(file);
}
