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

/* A program run from a fresh, small process ("SELF --spawn ..."), so its peak RSS and CPU
 * are its own: exit status, wall and CPU seconds, peak RSS in MiB. */
typedef struct { int status; double wall, cpu, rss_mib; } lp_bench_run_res;

/* Parent side: runs argv (stdout to outfile, "/dev/null" to drop it; stderr to errfile)
 * through self --spawn.  Returns 1 when the figures were obtained. */
int lp_bench_run(const char *self, const char *outfile, const char *errfile, char *const argv[],
                 lp_bench_run_res *o);
/* The first line of the file at path (without its newline) into out; "" when unreadable. */
void lp_bench_first_line(const char *path, char *out, size_t n);
/* Child side: argv = the words after "--spawn" (FD OUTFILE ERRFILE PROG ARGS...); main's
 * return value. */
int lp_bench_spawn_main(char **argv);

#endif
