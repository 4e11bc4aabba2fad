/* Benchmark: verifying inclusion in a large checkpoint, per era, beside the
 * same-run floor (issue 7 "Performance").
 *   - generator: a synthetic checkpoint of N events (default 100,000) for era A
 *     (legacy dicts, v1 DU-A payload) and era C/D (signed envelopes, CS-A payload),
 *     header signed with a fixed test seed; gzip level 6 (level 9, as uploaded, only
 *     changes the time to build the fixture, not to inflate it).
 *   - end to end: a child process (this program, --e2e) reads the payload file and
 *     runs the library's entry points as verify_merkle_inclusion does: parse, then
 *     lpm_checkpoint_verify (header signature, base64+gunzip, events JSON, count,
 *     sequence, leaves + tree (era C/D: with every envelope, over all cores), root,
 *     tree_levels, chain), then lpm_inclusion_verify (lead search and proof).  Its peak RSS (getrusage)
 *     is printed beside the payload and inflated sizes.  The built verify_merkle_inclusion
 *     (../bin beside this program) and tests/bench/bench_merkle_verify.py (plain Python,
 *     one core) are timed on the same file when present.
 *   - floor, same run: gunzip of the same gzip (one stream) + SHA-256 over the same leaf
 *     preimages + for era C/D the Ed25519 verification of every envelope, both spread
 *     over the same worker pool as the verifier (a shared machine gives both the same
 *     cores); the one-core Ed25519 cost per signature is printed too.
 *   - aim: end to end <= 1.3x floor, and ahead of Python; one verdict line per era.
 * Usage: bench_merkle [N] */
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"
#include "merkle/lpm.h"
#include "merkle/lpm_pool.h"
#include "tests/bench/lp_bench.h"

static void die(const char *m) { fprintf(stderr, "bench_merkle: %s\n", m); exit(1); }

static void app(lpc_buf *b, const char *s) { if (lpc_buf_append(b, s, strlen(s)) != LPC_OK) die("nomem"); }

static void gz(const uint8_t *p, size_t n, lpc_buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) die("deflate");
    size_t cap = deflateBound(&z, n);
    uint8_t *o = malloc(cap);
    z.next_in = (Bytef *)p; z.avail_in = (uInt)n; z.next_out = o; z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) die("deflate");
    lpc_buf_append(out, o, z.total_out);
    deflateEnd(&z);
    free(o);
}

/* What the floor needs from a fixture: the gzip, the leaf preimages and, era C/D,
 * each envelope's (digest, signature, key). */
typedef struct {
    lpc_buf payload, gz, pre;
    size_t n, *off, inflated;
    uint8_t (*dg)[32], (*sg)[64], epk[32], hpk[32];
} fixture;

/* n hex digits derived from (tag, i): the hashes, signatures and ids real records carry
 * are random, so the fixture compresses like real checkpoints do, not like counters. */
static void rnd_hex(const char *tag, size_t i, size_t n, char *out)
{
    char seed[64];
    uint8_t h[32];
    for (size_t k = 0; k < n; k += 64) {
        snprintf(seed, sizeof seed, "%s/%zu/%zu", tag, i, k);
        lpc_sha256(seed, strlen(seed), h);
        char hx[65];
        lpc_hex_encode(h, 32, hx);
        memcpy(out + k, hx, n - k < 64 ? n - k : 64);
    }
    out[n] = 0;
}

/* The uuid4-shaped lead id of era A record i. */
static void lead_uuid(size_t i, char out[37])
{
    char h[33];
    rnd_hex("lead", i, 32, h);
    snprintf(out, 37, "%.8s-%.4s-4%.3s-8%.3s-%.12s", h, h + 8, h + 12, h + 15, h + 18);
}

/* events JSON text (DU-A-like) for n records of era A (d = 0) or C/D (d = 1). */
static void gen_events(fixture *fx, size_t n, int d, const uint8_t *esk, const char *epk, lpc_buf *out)
{
    char line[4096], se[2048], pl[512], prev[65] = "", eh[65], ph[65], sig[129];
    uint8_t h[32], s[64];
    app(out, "[");
    for (size_t i = 0; i < n; i++) {
        if (i) app(out, ", ");
        if (!d) {
            /* shaped like checkpoint_v1.json's SUBMISSION (§2.5, §3.1) */
            char hk[49], nonce[37], phx[65], sg[129], lid[37], bh[65], em[65];
            rnd_hex("hotkey", i % 1000, 46, hk);
            lead_uuid(i + 1000000000u, nonce);
            rnd_hex("payload_hash", i, 64, phx);
            rnd_hex("signature", i, 128, sg);
            lead_uuid(i, lid);
            rnd_hex("blob", i, 64, bh);
            rnd_hex("email", i, 64, em);
            snprintf(line, sizeof line,
                     "{\"event_type\": \"SUBMISSION\", \"actor_hotkey\": \"5F%s\", \"nonce\": \"%s\", "
                     "\"ts\": \"2025-12-01T09:%02zu:%02zu.%06zu+00:00\", \"payload_hash\": \"%s\", \"build_id\": \"gateway\", "
                     "\"signature\": \"0x%s\", \"payload\": {\"lead_id\": \"%s\", \"lead_blob_hash\": \"%s\", "
                     "\"email_hash\": \"%s\", \"linkedin_combo_hash\": null, \"miner_hotkey\": \"5F%s\", \"s3_proof_tee_seq\": %zu}, "
                     "\"sequence\": %zu, \"buffered_at\": \"2025-12-01T09:%02zu:%02zu.%06zu\"}",
                     hk, nonce, i / 60000 % 60, i / 1000 % 60, i * 7919 % 1000000, phx, sg, lid, bh, em, hk, i, i, i / 60000 % 60,
                     i / 1000 % 60, i * 104729 % 1000000);
        } else {
            snprintf(pl, sizeof pl, "{\"block\":%zu,\"epoch_id\":%zu,\"lead_id\":\"lead-%08zu\",\"netuid\":71}", 8000000 + i, 24000 + i / 100, i);
            if (i == 0) snprintf(se, sizeof se, "{\"boot_id\":\"11111111-2222-4333-8444-555555555555\",\"event_type\":\"ENCLAVE_RESTART\",\"monotonic_seq\":1,\"payload\":%s,\"prev_event_hash\":null,\"timestamp\":\"2026-07-20T10:00:00Z\"}", pl);
            else snprintf(se, sizeof se, "{\"boot_id\":\"11111111-2222-4333-8444-555555555555\",\"event_type\":\"WEIGHT_SUBMISSION_V2\",\"monotonic_seq\":%zu,\"payload\":%s,\"prev_event_hash\":\"%s\",\"timestamp\":\"2026-07-20T10:00:01Z\"}", i + 1, pl, prev);
            lpc_sha256(se, strlen(se), h);
            lpc_hex_encode(h, 32, eh);
            crypto_sign_detached(s, NULL, h, 32, esk);
            memcpy(fx->dg[i], h, 32);
            memcpy(fx->sg[i], s, 64);
            lpc_hex_encode(s, 64, sig);
            lpc_sha256(pl, strlen(pl), h);
            lpc_hex_encode(h, 32, ph);
            snprintf(line, sizeof line,
                     "{\"event_type\": \"%s\", \"event_hash\": \"%s\", \"payload_hash\": \"%s\", \"signed_log_entry\": {\"signed_event\": %s, "
                     "\"event_hash\": \"%s\", \"enclave_pubkey\": \"%s\", \"enclave_signature\": \"%s\"}, \"sequence\": %zu, \"buffered_at\": \"2026-07-20T10:00:01.%06zu\"}",
                     i ? "WEIGHT_SUBMISSION_V2" : "ENCLAVE_RESTART", eh, ph, se, eh, epk, sig, i, i % 1000000);
            memcpy(prev, eh, 65);
        }
        app(out, line);
    }
    app(out, "]");
}

/* Builds the whole Arweave payload of n records (fewer when they would not fit the
 * inflated cap; said so). */
static void gen_payload(fixture *fx, size_t n, int d)
{
    uint8_t hsk[64], esk[64], seed[32];
    lpc_sha256("leadpoet test checkpoint signer seed", 36, seed);
    crypto_sign_seed_keypair(fx->hpk, hsk, seed);
    lpc_sha256("leadpoet test event signer seed", 31, seed);
    crypto_sign_seed_keypair(fx->epk, esk, seed);
    char epk_hex[65];
    lpc_hex_encode(fx->epk, 32, epk_hex);
    lpc_buf ev = {0};
    fx->dg = malloc(n * 32);
    fx->sg = malloc(n * 64);
    gen_events(fx, n, d, esk, epk_hex, &ev);
    if (ev.len > LPM_MAX_INFLATED) {
        size_t fit = (size_t)((double)n * (LPM_MAX_INFLATED * 0.98) / (double)ev.len);
        printf("(era %s: %zu events make %zu bytes of events JSON, over the %zu-byte cap LPM_MAX_INFLATED; using %zu)\n",
               d ? "C/D" : "A", n, ev.len, (size_t)LPM_MAX_INFLATED, fit);
        n = fit;
        ev.len = 0;
        gen_events(fx, n, d, esk, epk_hex, &ev);
    }
    fx->n = n;
    fx->inflated = ev.len;
    gz(ev.ptr, ev.len, &fx->gz);
    /* leaf preimages and root with the library (the fixture's header must carry them) */
    lpc_value *arr = NULL;
    lpc_err pe = lpc_parse_limit(ev.ptr, ev.len, LPM_MAX_INFLATED, &arr, NULL);
    if (pe != LPC_OK) { fprintf(stderr, "events JSON of %zu bytes: %s\n", ev.len, lpc_strerror(pe)); die("events parse"); }
    uint8_t (*lv)[32] = malloc(n * 32);
    fx->off = malloc((n + 1) * sizeof *fx->off);
    for (size_t i = 0; i < n; i++) {
        fx->off[i] = fx->pre.len;
        if (lpc_dump(arr->u.a.items[i], LPC_PROFILE_CS_A, &fx->pre) != LPC_OK) die("dump");
        lpc_sha256(fx->pre.ptr + fx->off[i], fx->pre.len - fx->off[i], lv[i]);
    }
    fx->off[n] = fx->pre.len;
    lpc_free(arr);
    lpc_buf_free(&ev);
    lpm_tree t;
    if (lpm_tree_build((const uint8_t (*)[32])lv, n, &t) != LPM_OK) die("tree");
    free(lv);
    char root[65], hx[65];
    lpc_hex_encode(lpm_tree_root(&t), 32, root);
    char hdr[1024];
    snprintf(hdr, sizeof hdr,
             "{\"checkpoint_version\": 1, \"checkpoint_number\": 0, \"time_range\": {\"start\": \"2026-07-20T09:00:00Z\", \"end\": \"2026-07-20T12:00:00Z\"}, "
             "\"event_count\": %zu, \"sequence_range\": {\"first\": 0, \"last\": %zu}, \"merkle_root\": \"%s\", \"prev_checkpoint_root\": null, "
             "\"code_hash\": \"%064d\", \"attestation_hash\": \"%064d\"}", n, n - 1, root, 0, 0);
    lpc_value *hv = NULL;
    if (lpc_parse((const uint8_t *)hdr, strlen(hdr), &hv, NULL) != LPC_OK) die("hdr");
    lpc_buf ds = {0};
    lpc_dump(hv, LPC_PROFILE_DS_A, &ds);
    uint8_t dg[32], sg[64];
    lpc_sha256(ds.ptr, ds.len, dg);
    crypto_sign_detached(sg, NULL, dg, 32, hsk);
    char sig[129];
    lpc_hex_encode(sg, 64, sig);
    lpc_buf b64 = {0};
    lpc_b64_encode(fx->gz.ptr, fx->gz.len, LPC_B64_STD, &b64);
    lpc_buf levels = {0};
    app(&levels, "[");
    for (size_t k = 0; k < t.n_levels; k++) {
        app(&levels, k ? ", [" : "[");
        for (size_t i = 0; i < t.level_len[k]; i++) {
            lpc_hex_encode(t.nodes[t.level_off[k] + i], 32, hx);
            app(&levels, i ? ", \"" : "\"");
            app(&levels, hx);
            app(&levels, "\"");
        }
        app(&levels, "]");
    }
    app(&levels, "]");
    lpm_tree_free(&t);
    /* the v1 form; era C/D is re-serialised CS-A (sorted compact) like the current uploader */
    lpc_buf *out = &fx->payload;
    app(out, "{\"header\": ");
    app(out, hdr);
    app(out, ", \"signature\": \"");
    app(out, sig);
    app(out, "\", \"events_compressed\": \"");
    lpc_buf_append(out, b64.ptr, b64.len);
    app(out, "\", \"tree_levels\": ");
    lpc_buf_append(out, levels.ptr, levels.len);
    app(out, "}");
    if (d) {
        lpc_value *doc = NULL;
        if (lpc_parse(out->ptr, out->len, &doc, NULL) != LPC_OK) die("doc");
        out->len = 0;
        lpc_dump(doc, LPC_PROFILE_CS_A, out);
        lpc_free(doc);
    }
    lpc_free(hv);
    lpc_buf_free(&ds);
    lpc_buf_free(&b64);
    lpc_buf_free(&levels);
}

static void fixture_free(fixture *fx)
{
    lpc_buf_free(&fx->payload);
    lpc_buf_free(&fx->gz);
    lpc_buf_free(&fx->pre);
    free(fx->off);
    free(fx->dg);
    free(fx->sg);
}

/* ---- child: end to end on a file, as verify_merkle_inclusion does it ---- */
static int e2e_main(const char *path, const char *lead, const char *pk_hex)
{
    uint8_t key[32];
    size_t kl;
    if (lpc_hex_decode(pk_hex, 64, key, 32, &kl) != LPC_OK) die("key");
    double t0 = lp_bench_now(), ts[4];
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) die("open");
    uint8_t *buf = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r <= 0) die("read");
        got += (size_t)r;
    }
    close(fd);
    lpm_checkpoint *cp = NULL;
    if (lpm_checkpoint_parse(buf, got, &cp) != LPM_OK) die("parse");
    free(buf);
    ts[0] = lp_bench_now();
    lp_checks c;
    lp_checks_init(&c);
    if (lpm_checkpoint_verify(cp, key, 0, &c, NULL) != LP_CODE_OK) die("verify");
    ts[1] = lp_bench_now();
    lpm_matches m;
    if (lpm_inclusion_verify(cp, lead, strlen(lead), &m, &c) != LP_CODE_OK || m.n != 1 || !m.items[0].proof_ok) die("lead");
    ts[2] = lp_bench_now();
    lpm_matches_free(&m);
    lp_checks_free(&c);
    lpm_checkpoint_free(cp);
    ts[3] = lp_bench_now();
    /* read + parse, verify (header signature, base64 + gunzip + events JSON + leaves (+
     * envelopes), count, sequence, tree, levels (+ chain)), search + proof, free */
    printf("%.6f %.6f %.6f %.6f %.6f\n", ts[2] - t0, ts[0] - t0, ts[1] - ts[0], ts[2] - ts[1], ts[3] - ts[2]);
    return 0;
}

/* --spawn PROG ARGS...: runs PROG from this freshly exec'd (small) process and appends
 * "@@rusage MAXRSS_KB CPU_S" to its output.  A child forked straight from the benchmark
 * would start with the fixtures' pages mapped, and Linux carries that peak across exec
 * into ru_maxrss; forked from here, the peak is the program's own. */
static int spawn_main(char **argv)
{
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid) die("wait4");
    fflush(stdout);
    printf("@@rusage %ld %.6f\n", ru.ru_maxrss,
           (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static char g_self[4096], g_tool[4096];

/* Runs argv through --spawn, its stdout into out (when non-NULL); wall time, peak RSS (kB)
 * and CPU time of the program. */
static int run_child(char *const argv[], char *out, size_t outlen, double *secs, long *rss_kb, double *cpu)
{
    char *sv[16];
    size_t k = 0;
    sv[k++] = g_self;
    sv[k++] = "--spawn";
    for (size_t i = 0; argv[i] && k < 15; i++) sv[k++] = argv[i];
    sv[k] = NULL;
    int p[2];
    if (pipe(p) != 0) die("pipe");
    double t0 = lp_bench_now();
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        close(p[0]);
        dup2(p[1], 1);
        execv(g_self, sv);
        _exit(127);
    }
    close(p[1]);
    static char all[1 << 16];
    size_t have = 0;
    ssize_t r;
    while ((r = read(p[0], all + have, sizeof all - 1 - have)) > 0) have += (size_t)r;
    all[have] = 0;
    close(p[0]);
    int status;
    if (waitpid(pid, &status, 0) != pid) die("waitpid");
    *secs = lp_bench_now() - t0;
    char *m = strstr(all, "@@rusage ");
    double c = 0;
    *rss_kb = 0;
    if (m) {
        sscanf(m, "@@rusage %ld %lf", rss_kb, &c);
        *m = 0;
    }
    if (cpu) *cpu = c;
    if (out && outlen) {
        size_t l = strlen(all) < outlen - 1 ? strlen(all) : outlen - 1;
        memcpy(out, all, l);
        out[l] = 0;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* CPU time (user + system, all threads) of this process so far. */
static double cpu_self(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* ---- floors ---- */
typedef struct { const fixture *fx; } floor_ctx;

static lpm_err sha_chunk(void *ctx, unsigned w, size_t b, size_t e, size_t *bad)
{
    (void)w; (void)bad;
    const fixture *fx = ((floor_ctx *)ctx)->fx;
    uint8_t h[32];
    for (size_t i = b; i < e; i++) lpc_sha256(fx->pre.ptr + fx->off[i], fx->off[i + 1] - fx->off[i], h);
    return LPM_OK;
}

static lpm_err ed_chunk(void *ctx, unsigned w, size_t b, size_t e, size_t *bad)
{
    (void)w;
    const fixture *fx = ((floor_ctx *)ctx)->fx;
    for (size_t i = b; i < e; i++)
        if (crypto_sign_verify_detached(fx->sg[i], fx->dg[i], 32, fx->epk) != 0) { *bad = i; return LPM_ERR_EVENT_SIGNATURE_INVALID; }
    return LPM_OK;
}

static void run(size_t n, int d)
{
    unsigned workers = lpm_thread_count(0);
    fixture fx;
    memset(&fx, 0, sizeof fx);
    double t0 = lp_bench_now();
    gen_payload(&fx, n, d);
    n = fx.n;
    char path[] = "/tmp/bench_merkle_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, fx.payload.ptr, fx.payload.len) != (ssize_t)fx.payload.len || close(fd) != 0) die("tmp file");
    printf("era %s: %zu events; payload %.1f MB (gzip %.1f MB, inflated events JSON %.1f MB); generated in %.1f s\n",
           d ? "C/D" : "A", n, (double)fx.payload.len / 1e6, (double)fx.gz.len / 1e6, (double)fx.inflated / 1e6, lp_bench_now() - t0);
    char lead[40], pk[65];
    if (d) snprintf(lead, sizeof lead, "lead-%08zu", n / 2);
    else lead_uuid(n / 2, lead);
    lpc_hex_encode(fx.hpk, 32, pk);

    /* end to end, in a child so that its peak RSS is its own */
    char out[512];
    double t_child, cpu_child;
    long rss;
    char *av[] = {g_self, "--e2e", path, lead, pk, NULL};
    if (run_child(av, out, sizeof out, &t_child, &rss, &cpu_child) != 0) die("end-to-end child failed");
    double st[5];
    if (sscanf(out, "%lf %lf %lf %lf %lf", &st[0], &st[1], &st[2], &st[3], &st[4]) != 5) die("child output");
    double t_e2e = st[0];

    /* floor over the same bytes, same worker pool */
    uint8_t *inf;
    size_t il, bad;
    double c0 = cpu_self();
    t0 = lp_bench_now();
    if (lpm_gunzip(fx.gz.ptr, fx.gz.len, LPM_MAX_INFLATED, &inf, &il) != LPM_OK) die("gunzip");
    double t_gz = lp_bench_now() - t0;
    free(inf);
    floor_ctx fc = {&fx};
    t0 = lp_bench_now();
    lpm_parallel_chunks(n, 64, 0, sha_chunk, &fc, &bad);
    double t_sha = lp_bench_now() - t0;
    double t_ed = 0, ed_one = 0;
    if (d) {
        t0 = lp_bench_now();
        if (lpm_parallel_chunks(n, 64, 0, ed_chunk, &fc, &bad) != LPM_OK) die("ed25519");
        t_ed = lp_bench_now() - t0;
    }
    double floor = t_gz + t_sha + t_ed;
    double floor_cpu = cpu_self() - c0;
    if (d) {
        size_t m = n < 4000 ? n : 4000;
        double c1 = cpu_self();
        if (lpm_parallel_chunks(m, 64, 1, ed_chunk, &fc, &bad) != LPM_OK) die("ed25519");
        ed_one = (cpu_self() - c1) / (double)m;
    }

    printf("  end to end (library, child process): %.3f s = read+parse %.3f, lpm_checkpoint_verify (header sig, base64+gunzip+"
           "events JSON+leaves%s, count, sequence, tree, levels%s) %.3f, lpm_inclusion_verify %.3f (+ free %.3f); "
           "CPU time of the process %.3f s\n",
           t_e2e, st[1], d ? "+envelopes" : "", d ? "+chain" : "", st[2], st[3], st[4], cpu_child);
    printf("  floor: gunzip %.3f s + SHA-256 of leaf bytes %.3f s", t_gz, t_sha);
    if (d) printf(" + Ed25519 of %zu envelopes %.3f s (%u workers; one core: %.1f us of CPU each, %.2f s)", n, t_ed, workers, ed_one * 1e6, ed_one * (double)n);
    printf(" = %.3f s\n", floor);
    printf("  CPU time (all threads, insensitive to other load on the machine): end to end %.3f s, floor %.3f s (%.2fx)\n",
           cpu_child, floor_cpu, cpu_child / floor_cpu);
    printf("  memory: peak RSS %.1f MB for a %.1f MB payload and %.1f MB of events JSON (%.1fx the inflated JSON)\n",
           (double)rss / 1024.0, (double)fx.payload.len / 1e6, (double)fx.inflated / 1e6, (double)rss * 1024.0 / (double)fx.inflated);

    if (g_tool[0] && access(g_tool, X_OK) == 0) {
        char *tv[] = {g_tool, "--offline", "--json", lead, path, pk, NULL};
        double tt;
        long trss;
        int rc = run_child(tv, NULL, 0, &tt, &trss, NULL);
        printf("  verify_merkle_inclusion --offline --json (whole tool): %.3f s, exit %d, peak RSS %.1f MB\n", tt, rc, (double)trss / 1024.0);
    }
    double t_py = 0;
    if (access("tests/bench/bench_merkle_verify.py", R_OK) == 0) {
        char *pv[] = {"python3", "tests/bench/bench_merkle_verify.py", path, lead, pk, NULL};
        char pout[1024];
        long prss;
        double cpu_py;
        int rc = run_child(pv, pout, sizeof pout, &t_py, &prss, &cpu_py);
        for (char *l = strtok(pout, "\n"); l; l = strtok(NULL, "\n")) printf("  %s\n", l);
        printf("  plain Python verifier on the same file: %.3f s (%.1fx the C end to end), CPU %.3f s (%.1fx the C CPU), exit %d, "
               "peak RSS %.1f MB\n", t_py, t_py / t_e2e, cpu_py, cpu_py / cpu_child, rc, (double)prss / 1024.0);
        if (rc != 0) t_py = 0;
    } else {
        printf("  (tests/bench/bench_merkle_verify.py not found from this directory: no Python comparison)\n");
    }
    double ratio = t_e2e / floor;
    printf("  aim (era %s): end to end %.2fx the floor (aim <= 1.30x): %s; %s\n", d ? "C/D" : "A", ratio,
           ratio <= 1.30 ? "MET" : "NOT MET",
           t_py > 0 ? (t_py >= 3 * t_e2e ? "well ahead of Python: MET" : "well ahead of Python (>= 3x): NOT MET")
                    : "Python comparison not run");
    if (getenv("BENCH_MERKLE_KEEP")) printf("  (kept %s: %s --e2e %s %s %s)\n", path, g_self, path, lead, pk);
    else unlink(path);
    fixture_free(&fx);
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0) die("sodium");
    if (argc == 5 && !strcmp(argv[1], "--e2e")) return e2e_main(argv[2], argv[3], argv[4]);
    if (argc > 2 && !strcmp(argv[1], "--spawn")) return spawn_main(argv + 2);
    size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 100000;
    if (n < 2) n = 2;
    ssize_t k = readlink("/proc/self/exe", g_self, sizeof g_self - 1);
    if (k <= 0) die("readlink /proc/self/exe");
    g_self[k] = 0;
    char *slash = strrchr(g_self, '/');
    snprintf(g_tool, sizeof g_tool, "%.*s/../bin/verify_merkle_inclusion", (int)(slash - g_self), g_self);
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("bench_merkle: %u online cores, %u workers\n", (unsigned)sysconf(_SC_NPROCESSORS_ONLN), lpm_thread_count(0));
    run(n, 0);
    run(n, 1);
    return 0;
}
