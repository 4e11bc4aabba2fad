/* Shared helpers of the benchmarks in tests/bench/ (linked into each bench_*). */
#ifndef LP_BENCH_H
#define LP_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* The whole file at path, malloc'd with one spare byte (caller frees), or NULL when it
 * cannot be read.  *len is its size. */
uint8_t *lp_bench_read(const char *path, size_t *len);

/* Seconds on the monotonic clock (for differences within one run). */
double lp_bench_now(void);

#endif
