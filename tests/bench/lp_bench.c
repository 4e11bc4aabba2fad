/* Shared helpers of the benchmarks (lp_bench.h). */
#include "tests/bench/lp_bench.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

uint8_t *lp_bench_read(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    struct stat sb;
    if (fd < 0) return NULL;
    if (fstat(fd, &sb) != 0) {
        close(fd);
        return NULL;
    }
    size_t n = (size_t)sb.st_size, got = 0;
    uint8_t *buf = malloc(n + 1);
    while (buf && got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0) {
            free(buf);
            buf = NULL;
        } else {
            got += (size_t)r;
        }
    }
    close(fd);
    *len = n;
    return buf;
}

double lp_bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int lp_bench_spawn_main(char **argv)
{
    int fd = 0;
    for (const char *s = argv[0]; *s >= '0' && *s <= '9'; s++) fd = fd * 10 + (*s - '0');
    double t0 = lp_bench_now();
    pid_t pid = fork();
    if (pid < 0) return 2;
    if (pid == 0) {
        close(fd);
        int of = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int ef = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (of < 0 || ef < 0 || dup2(of, 1) < 0 || dup2(ef, 2) < 0) _exit(127);
        execvp(argv[3], argv + 3);
        _exit(127);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) != pid) return 2;
    double wall = lp_bench_now() - t0;
    long long cpu_us = (long long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec +
                       (long long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec;
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    dprintf(fd, "%d %lld %lld %ld\n", code, (long long)(wall * 1e9), cpu_us, ru.ru_maxrss);
    return 0;
}

int lp_bench_run(const char *self, const char *outfile, const char *errfile, char *const argv[],
                 lp_bench_run_res *o)
{
    char *sv[32], fds[16];
    int p[2];
    if (pipe(p) != 0) return 0;
    snprintf(fds, sizeof fds, "%d", p[1]);
    size_t k = 0;
    sv[k++] = (char *)self;
    sv[k++] = "--spawn";
    sv[k++] = fds;
    sv[k++] = (char *)outfile;
    sv[k++] = (char *)errfile;
    for (size_t i = 0; argv[i] && k < 31; i++) sv[k++] = argv[i];
    sv[k] = NULL;
    /* posix_spawn, not fork: a fork would leave this process's pages copy-on-write, and
     * its next writes (memcpy, parse) would fault on each. */
    posix_spawn_file_actions_t fa;
    pid_t pid;
    if (posix_spawn_file_actions_init(&fa) != 0) return 0;
    posix_spawn_file_actions_addclose(&fa, p[0]);
    int se = posix_spawn(&pid, self, &fa, NULL, sv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    if (se != 0) {
        close(p[0]);
        return 0;
    }
    char line[256];
    size_t have = 0;
    ssize_t r;
    while (have < sizeof line - 1 && (r = read(p[0], line + have, sizeof line - 1 - have)) > 0) have += (size_t)r;
    line[have] = 0;
    close(p[0]);
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0 || !have) return 0;
    long long code = 0, wall_ns = 0, cpu_us = 0, rss_kb = 0;
    const char *s = line;
    long long *f[4] = {&code, &wall_ns, &cpu_us, &rss_kb};
    for (int i = 0; i < 4; i++) { /* locale-free integers */
        while (*s == ' ') s++;
        int neg = *s == '-';
        if (neg) s++;
        if (*s < '0' || *s > '9') return 0;
        while (*s >= '0' && *s <= '9') *f[i] = *f[i] * 10 + (*s++ - '0');
        if (neg) *f[i] = -*f[i];
    }
    o->status = (int)code;
    o->wall = (double)wall_ns * 1e-9;
    o->cpu = (double)cpu_us * 1e-6;
    o->rss_mib = (double)rss_kb / 1024.0;
    return 1;
}

void lp_bench_first_line(const char *path, char *out, size_t n)
{
    out[0] = 0;
    FILE *f = fopen(path, "r");
    if (f) {
        if (!fgets(out, (int)n, f)) out[0] = 0;
        fclose(f);
    }
    out[strcspn(out, "\n")] = 0;
}
