/* Throughput of the consensus replay (audit/replay.h: parse, validate, group
 * rows by lead, lpc_consensus per lead, compare with published results) over
 * a generated epoch of 1,000,000 validation rows (50,000 leads x 20
 * validators, rows interleaved across leads as the gateway's unordered query
 * returns them) with every lead's published result (computed by one replay of
 * the rows beforehand, so the tool compares all 50,000 and exits 0), about
 * 187 MB of JSON.
 *
 * Same-run references over the same bytes:
 *   - raw SHA-256 (the physical floor of touching the input once);
 *   - parsing alone in process (lpc_parse_limit + lpc_free), which any tool
 *     pays, against the verification in process (lpau_replay_verify: parse,
 *     replay and the checks; then lpau_replay_free, lp_checks_free);
 *   - reading and parsing the file in a fresh process (this binary run as
 *     "bench_replay --read-parse FILE": one read into one buffer, parse,
 *     free), against the replay_consensus tool end to end on the same file
 *     (read, parse, replay, --json report to /dev/null; argv[1] or
 *     build/bin/replay_consensus).  Fresh processes on both sides, so both
 *     pay for faulting in the parse tree's memory.
 * Each measurement is repeated BENCH_REPS times (default 5), interleaved, and
 * the median is reported with the range; CPU time (user + sys) is the primary
 * figure because the machine's cores are shared, wall time is shown beside it.
 * Aims (issue 4): replay adds < 50% on top of parsing; parsing > 100 MB/s.
 * The verdict lines report the medians; no test depends on them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "audit/replay.h"
#include "canonical/lp_check.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_num.h"
#include "tests/bench/lp_bench.h"

#define LEADS 50000
#define VALIDATORS 20
#define LEADS_PER_DOC LEADS

typedef struct { char *p; size_t len, cap; } sbuf;

static void put(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t c = b->cap ? b->cap * 2 : 1 << 20;
        while (c < b->len + n + 1)
            c *= 2;
        char *q = realloc(b->p, c);
        if (!q) {
            fprintf(stderr, "bench_replay: out of memory\n");
            exit(2);
        }
        b->p = q;
        b->cap = c;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

/* One document: rows of LEADS_PER_DOC leads, validator-major (interleaved). */
static sbuf make_doc(int d, size_t *n_rows)
{
    sbuf b = {0};
    char row[400];
    const char *reason = "\"{\\\"stage\\\": \\\"Stage 1\\\", \\\"check_name\\\": \\\"check_email\\\"}\"";
    put(&b, "{\"epoch_id\":100,\"validations\":[", 31);
    *n_rows = 0;
    unsigned seed = 12345u + (unsigned)d;
    for (int v = 0; v < VALIDATORS; v++)
        for (int l = 0; l < LEADS_PER_DOC; l++) {
            seed = seed * 1103515245u + 12345u;
            int approve = (seed >> 16) % 3 != 0;
            int n = snprintf(row, sizeof row,
                             "%s{\"lead_id\":\"lead-%d-%06d\",\"validator_hotkey\":\"5Hv%02d\",\"decision\":\"%s\","
                             "\"rep_score\":%d,\"rejection_reason\":%s,\"v_trust\":0.%03u,\"stake\":%u.5}",
                             *n_rows ? "," : "", d, l, v, approve ? "approve" : "deny",
                             approve ? (int)((seed >> 8) % 49) : 0,
                             approve ? "\"{\\\"message\\\": \\\"pass\\\"}\"" : reason,
                             100 + (seed >> 4) % 900, 1000 + (unsigned)v * 37);
            put(&b, row, (size_t)n);
            (*n_rows)++;
        }
    put(&b, "]}", 2);
    b.p[b.len] = 0;
    return b;
}

/* Appends "consensus_results" to the rows-only document: each lead's result as
 * the replay itself computes it (a benchmark input, not a test: the tool then
 * compares every lead and exits 0). */
static int add_published(sbuf *b)
{
    lpau_replay r;
    lpau_diag dg;
    if (lpau_replay_bytes((const uint8_t *)b->p, b->len, LPC_CONS_RULES_CURRENT, &r, &dg) != LPAU_OK)
        return 0;
    b->len--;   /* the closing brace */
    put(b, ",\"consensus_results\":[", 22);
    for (size_t l = 0; l < r.n_leads; l++) {
        const lpc_cons_result *c = &r.leads[l].rec;
        char rep[LPC_REPR_MAX], w[LPC_REPR_MAX], ra[LPC_REPR_MAX], head[600];
        lpc_float_repr(c->final_rep_score, rep);
        lpc_float_repr(c->consensus_weight, w);
        lpc_float_repr(c->approval_ratio, ra);
        lpc_buf reason = {0};
        if (lpc_dump_string(c->primary_reason, c->primary_reason_len, 1, &reason) != LPC_OK)
            return 0;
        int n = snprintf(head, sizeof head,
                         "%s{\"lead_id\":\"%s\",\"epoch_id\":100,\"final_decision\":\"%s\",\"final_rep_score\":%s,"
                         "\"primary_rejection_reason\":%s,\"validator_count\":%zu,\"consensus_weight\":%s,"
                         "\"approval_ratio\":%s}",
                         l ? "," : "", r.leads[l].lead_id->u.s.ptr, c->final_decision, rep,
                         (const char *)reason.ptr, c->validator_count, w, ra);
        lpc_buf_free(&reason);
        if (n <= 0 || (size_t)n >= sizeof head)
            return 0;
        put(b, head, (size_t)n);
    }
    put(b, "]}", 2);
    b->p[b->len] = 0;
    lpau_replay_free(&r);
    return 1;
}

typedef struct { double wall, cpu; } cost;

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double tv_s(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6; }

/* Runs argv with stdout to /dev/null; *c gets wall time and the child's CPU
 * time.  Returns the exit status, or -1 when it could not run. */
static int run_child(char *const argv[], cost *c)
{
    double t0 = lp_bench_now();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0)
            dup2(fd, 1);
        execv(argv[0], argv);
        _exit(127);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) != pid)
        return -1;
    c->wall = lp_bench_now() - t0;
    c->cpu = tv_s(ru.ru_utime) + tv_s(ru.ru_stime);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* "--read-parse FILE": the cost any tool pays before its own work. */
static int read_parse(const char *path)
{
    size_t len = 0;
    uint8_t *buf = lp_bench_read(path, &len);
    if (!buf)
        return 2;
    lpc_value *v = NULL;
    lpc_err e = lpc_parse_limit(buf, len, LPAU_REPLAY_MAX_INPUT, &v, NULL);
    free(buf);
    lpc_free(v);
    return e == LPC_OK ? 0 : 2;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Sorts x[0..n) and returns the median. */
static double median(double *x, int n)
{
    qsort(x, (size_t)n, sizeof *x, cmp_d);
    return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

#define MAX_REPS 25

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--read-parse"))
        return read_parse(argv[2]);
    const char *tool = argc > 1 ? argv[1] : "build/bin/replay_consensus";
    int reps = getenv("BENCH_REPS") ? atoi(getenv("BENCH_REPS")) : 5;
    if (reps < 1)
        reps = 1;
    if (reps > MAX_REPS)
        reps = MAX_REPS;
    char self[4096];
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sl <= 0) {
        fprintf(stderr, "bench_replay: cannot find own executable\n");
        return 2;
    }
    self[sl] = 0;
    if (access(tool, X_OK) != 0) {
        fprintf(stderr, "bench_replay: %s is not executable (give the replay_consensus path)\n", tool);
        return 2;
    }

    size_t rows = 0;
    sbuf doc = make_doc(0, &rows);
    if (!add_published(&doc)) {
        fprintf(stderr, "bench_replay: cannot build the published results\n");
        return 2;
    }
    if (doc.len > LPAU_REPLAY_MAX_INPUT) {
        fprintf(stderr, "bench_replay: document over LPAU_REPLAY_MAX_INPUT\n");
        return 2;
    }
    double mb = (double)doc.len / 1e6;
    char path[] = "/tmp/bench_replay_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f || fwrite(doc.p, 1, doc.len, f) != doc.len || fclose(f) != 0) {
        fprintf(stderr, "bench_replay: cannot write %s\n", path);
        return 2;
    }

    uint8_t md[LPC_SHA256_LEN];
    double t0 = lp_bench_now();
    lpc_sha256(doc.p, doc.len, md);
    double t_sha = lp_bench_now() - t0;

    /* Warm-up: one parse, so the first timed run does not alone pay for
     * growing the heap. */
    {
        lpc_value *v = NULL;
        if (lpc_parse_limit((const uint8_t *)doc.p, doc.len, LPAU_REPLAY_MAX_INPUT, &v, NULL) != LPC_OK) {
            fprintf(stderr, "bench_replay: parse failed\n");
            return 2;
        }
        lpc_free(v);
    }

    double parse_cpu[MAX_REPS], parse_wall[MAX_REPS], in_pct[MAX_REPS], in_pct_wall[MAX_REPS];
    double rp_cpu[MAX_REPS], tool_cpu[MAX_REPS], e2e_pct[MAX_REPS], e2e_pct_wall[MAX_REPS];
    size_t leads = 0, od = 0;
    int tool_status = 0;
    for (int k = 0; k < reps; k++) {
        double w0 = lp_bench_now(), c0 = cpu_now();
        lpc_value *v = NULL;
        if (lpc_parse_limit((const uint8_t *)doc.p, doc.len, LPAU_REPLAY_MAX_INPUT, &v, NULL) != LPC_OK) {
            fprintf(stderr, "bench_replay: parse failed\n");
            return 2;
        }
        lpc_free(v);
        double pw = lp_bench_now() - w0, pc = cpu_now() - c0;

        w0 = lp_bench_now();
        c0 = cpu_now();
        lpau_replay r;
        lp_checks ck = {0};
        lp_code verdict = lpau_replay_verify((const uint8_t *)doc.p, doc.len, LPC_CONS_RULES_CURRENT, &r, &ck);
        if (verdict != LP_CODE_OK) {
            const lp_check *why = lp_checks_culprit(&ck);
            fprintf(stderr, "bench_replay: replay verdict %s: %s\n", lp_code_name(verdict), why ? why->detail : "");
            return 2;
        }
        leads = r.n_leads;
        od = r.order_dependent;
        lpau_replay_free(&r);
        lp_checks_free(&ck);
        double rw = lp_bench_now() - w0, rc = cpu_now() - c0;

        cost cp, ct;
        char *rp_argv[] = { self, "--read-parse", path, NULL };
        char *tool_argv[] = { (char *)tool, "--json", path, NULL };
        if (run_child(rp_argv, &cp) != 0) {
            fprintf(stderr, "bench_replay: read+parse child failed\n");
            return 2;
        }
        tool_status = run_child(tool_argv, &ct);
        if (tool_status != 0) {
            fprintf(stderr, "bench_replay: %s --json %s exited %d (expected 0)\n", tool, path, tool_status);
            return 2;
        }
        parse_cpu[k] = pc;
        parse_wall[k] = pw;
        in_pct[k] = 100.0 * (rc - pc) / pc;
        in_pct_wall[k] = 100.0 * (rw - pw) / pw;
        rp_cpu[k] = cp.cpu;
        tool_cpu[k] = ct.cpu;
        e2e_pct[k] = 100.0 * (ct.cpu - cp.cpu) / cp.cpu;
        e2e_pct_wall[k] = 100.0 * (ct.wall - cp.wall) / cp.wall;
    }
    if (!getenv("BENCH_KEEP"))
        unlink(path);
    else
        fprintf(stderr, "kept %s\n", path);

    double pc_max = 0, pc_min = 1e300;
    for (int k = 0; k < reps; k++) {
        if (parse_cpu[k] > pc_max) pc_max = parse_cpu[k];
        if (parse_cpu[k] < pc_min) pc_min = parse_cpu[k];
    }
    double m_pc = median(parse_cpu, reps), m_pw = median(parse_wall, reps);
    double m_in = median(in_pct, reps), m_inw = median(in_pct_wall, reps);
    double m_rp = median(rp_cpu, reps), m_tool = median(tool_cpu, reps);
    double m_e2e = median(e2e_pct, reps), m_e2ew = median(e2e_pct_wall, reps);

    printf("bench_replay: %zu rows, %zu leads (%zu order-dependent), %.1f MB; %d runs, medians [min..max]\n",
           rows, leads, od, mb, reps);
    printf("  raw SHA-256 over the same bytes  : %7.1f MB/s\n", mb / t_sha);
    printf("  parse only, in process (CPU)     : %7.1f MB/s  [%.1f..%.1f]  (wall %.1f MB/s)\n",
           mb / m_pc, mb / pc_max, mb / pc_min, mb / m_pw);
    printf("  replay in process over parsing   : %+6.0f%%  [%+.0f..%+.0f]  (wall %+.0f%%)\n",
           m_in, in_pct[0], in_pct[reps - 1], m_inw);
    printf("  fresh process read+parse (CPU)   : %7.3f s  (%.1f MB/s)\n", m_rp, mb / m_rp);
    printf("  replay_consensus --json (CPU)    : %7.3f s  (%.1f MB/s)\n", m_tool, mb / m_tool);
    printf("  tool end to end over read+parse  : %+6.0f%%  [%+.0f..%+.0f]  (wall %+.0f%%)\n",
           m_e2e, e2e_pct[0], e2e_pct[reps - 1], m_e2ew);
    printf("aim: parsing > 100 MB/s                : %s (%.1f MB/s)\n",
           mb / m_pc > 100.0 ? "met" : "NOT met", mb / m_pc);
    printf("aim: replay in process < +50%% on parse : %s (%+.0f%%)\n", m_in < 50.0 ? "met" : "NOT met", m_in);
    printf("aim: tool end to end < +50%% on read+parse: %s (%+.0f%%)\n", m_e2e < 50.0 ? "met" : "NOT met", m_e2e);
    free(doc.p);
    return 0;
}
