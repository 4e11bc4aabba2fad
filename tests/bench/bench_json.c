/* Benchmark of the JSON core on a realistic epoch (issue 14, Aims).
 *
 * Input: a generated epoch in replay_consensus's format (audit/replay.h):
 * 50,000 rows (about 3,900 leads, 24 validators with one salt each, rows
 * shuffled as the gateway's unordered query returns them), every row with
 * decision_hash, rep_score_hash and rejection_reason_hash made by the
 * functions the tool checks them with (canonical/lpc_commit.h), a stored
 * rejection_reason text made by lpc_dump (DU-A, Python's json.dumps), an
 * evidence object (nested, raw UTF-8 and \u escapes, quotes, backslashes,
 * newlines), and every lead's published result from one in-process replay
 * (lpau_replay_run), so the tool and the Python baseline both exit 0.
 * About 820 bytes per row, 41 MB (ids, hotkey, salt and the three hashes
 * alone take ~520); the same generator at 1,000,000 rows, 823 MB.
 *
 * Measured, BENCH_REPS (default 5) interleaved repetitions, medians [min..max]:
 *   - replay_consensus --json FILE and python3 tests/bench/replay_baseline.py
 *     FILE, each in a fresh process: wall, CPU (RUSAGE_CHILDREN) and peak RSS;
 *     aim: Python / C >= 5 (CPU time decides: the 2 cores are shared);
 *   - lpc_parse_limit + lpc_free over the file's bytes in process (CPU MB/s),
 *     beside memcpy and lpc_sha256 of the same bytes in the same repetition
 *     (the cost of touching the bytes once); the same on a 100,000-event
 *     checkpoint events array in the current era's envelope format (the shape
 *     of tests/bench/bench_merkle.c); aim: 600 MB/s;
 *   - peak RSS, once each, of canonicalize --profile compact-sorted-ascii on the
 *     50,000-row file, of replay_consensus (from the repetitions), and of
 *     canonicalize, replay_consensus, verify_weights and verify_log on worst shapes
 *     at the 64 MiB input cap, on a log of genuine entries at that size and on a
 *     bundle of LPC_WEIGHTS_MAX_PAIRS raw scores; aim: 2 x input + 16 MiB.
 * A file over replay_consensus's input cap (LPAU_REPLAY_MAX_INPUT) is refused
 * by the tool; one run shows it, and the C side of the comparison is then
 * "bench_json --replay FILE" (read, parse, lpau_replay_run, free: the tool's
 * work without the cap and without its report), named as such.
 * Children run under "bench_json --spawn" (started with posix_spawn): a child
 * forked from this process would carry its RSS peak across exec into
 * ru_maxrss.
 *
 * Usage: bench_json                 the whole run in a temporary directory
 *        bench_json --gen N FILE    write an N-row epoch to FILE
 *        bench_json --replay FILE   the library replay alone (exit 0 all agree)
 * Environment: BENCH_REPS; BENCH_JSON_BIG=0 skips the 1,000,000-row file.
 * Exit 0 when the measurement ran (aims met or not), 2 on setup failure. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "audit/replay.h"
#include "canonical/lpc_commit.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_num.h"
#include "canonical/lpc_parse.h"
#include "canonical/lpc_weights.h"
#include "tests/bench/lp_bench.h"

#define SMALL_ROWS 50000
#define BIG_ROWS 1000000
#define VALIDATORS 24
#define EVENTS 100000
#define MAX_REPS 25
#define MIB ((size_t)1 << 20)

static void die2(const char *m)
{
    fprintf(stderr, "bench_json: %s\n", m);
    exit(2);
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- output buffer without lpc_buf's LPC_JSON_MAX_OUTPUT cap ---- */
typedef struct { char *p; size_t len, cap; } sbuf;

static void put(sbuf *b, const void *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t c = b->cap ? b->cap : MIB;
        while (c < b->len + n + 1)
            c *= 2;
        char *q = realloc(b->p, c);
        if (!q)
            die2("out of memory");
        b->p = q;
        b->cap = c;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void puts_(sbuf *b, const char *s) { put(b, s, strlen(s)); }

static void putf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(sbuf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        die2("format overflow");
    put(b, tmp, (size_t)n);
}

static void put_float(sbuf *b, double x)
{
    char r[LPC_REPR_MAX];
    put(b, r, lpc_float_repr(x, r));
}

/* A JSON string literal of UTF-8 s: only ", \ and controls escaped (raw UTF-8,
 * as PostgREST writes), or with ascii set every non-ASCII code point as \uXXXX
 * (surrogate pairs above U+FFFF, as json.dumps writes). */
static void put_jstr(sbuf *b, const char *s, int ascii)
{
    static const char hx[] = "0123456789abcdef";
    put(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned c = *p;
        char e[16];
        if (c == '"' || c == '\\') {
            e[0] = '\\';
            e[1] = (char)c;
            put(b, e, 2);
            p++;
        } else if (c < 0x20) {
            const char *sh = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : NULL;
            if (sh)
                put(b, sh, 2);
            else
                putf(b, "\\u%04x", c);
            p++;
        } else if (c < 0x80 || !ascii) {
            put(b, p, 1);
            p++;
        } else {
            unsigned n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
            unsigned cp = c & (0x3Fu >> n);
            for (unsigned k = 1; k <= n; k++)
                cp = cp << 6 | (p[k] & 0x3Fu);
            p += n + 1;
            unsigned u[2] = {cp, 0};
            int m = 1;
            if (cp > 0xFFFF) {
                u[0] = 0xD800 + ((cp - 0x10000) >> 10);
                u[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
                m = 2;
            }
            for (int k = 0; k < m; k++) {
                e[0] = '\\';
                e[1] = 'u';
                for (int d = 0; d < 4; d++)
                    e[2 + d] = hx[(u[k] >> (12 - 4 * d)) & 0xF];
                put(b, e, 6);
            }
        }
    }
    put(b, "\"", 1);
}

/* ---- deterministic generator (SplitMix64, fixed seed) ---- */
typedef struct { uint64_t s; } rng;

static uint64_t rnd(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static unsigned below(rng *r, unsigned n) { return (unsigned)(rnd(r) % n); }

static void rnd_hex(rng *r, char *out, size_t n)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++)
        out[i] = hx[rnd(r) & 15];
    out[n] = 0;
}

typedef struct {
    char hotkey[49], salt[65];
    double v_trust, stake;
} validator;

typedef struct {
    char id[37];
    unsigned biz, person, region, check, param, rep;
    int legit;
} lead;

/* Names and places: raw UTF-8, some needing escapes. */
static const char *const BIZ[] = {
    "Müller & Söhne GmbH", "Café Lumière SARL", "Nordström Logistik AB", "O'Brien \"Quality\" Builders",
    "Łódź Software sp. z o.o.", "Acme Widgets Inc.", "東京電機株式会社", "São João Alimentos Ltda",
    "Smith\\Jones LLP", "Zeta Analytics", "Brightpath Solar 🌞", "Ørsted Rådgivning ApS",
};
static const char *const BIZ_DOMAIN[] = {
    "mueller-soehne.de", "cafe-lumiere.fr", "nordstrom-logistik.se", "obrienbuilders.ie",
    "lodzsoftware.pl", "acmewidgets.com", "tokyo-denki.co.jp", "saojoao.com.br",
    "smithjones.co.uk", "zeta-analytics.io", "brightpathsolar.com", "orsted-raadgivning.dk",
};
#define N_BIZ (sizeof BIZ / sizeof BIZ[0])
static const char *const PERSON[] = {"anna.keller", "j.dupont", "lars.berg", "m.obrien", "k.nowak",
                                     "sam.lee", "t.sato", "ana.souza", "r.smith", "p.zeta"};
#define N_PERSON (sizeof PERSON / sizeof PERSON[0])
static const char *const REGION[] = {"Zürich, CH", "São Paulo, BR", "Kraków, PL", "東京都, JP",
                                     "Montréal, CA", "Austin, TX, US", "Dublin, IE", "Malmö, SE"};
#define N_REGION (sizeof REGION / sizeof REGION[0])
#define N_CHECKS 8

/* The reason dict of a deny, as the validator builds it (insertion order), in
 * compact JSON with raw UTF-8. */
static void reason_src(sbuf *b, const lead *L, unsigned check)
{
    char msg[300];
    const char *stage, *name, *field = "website";
    switch (check) {
    case 0:
        stage = "Stage 1: DNS", name = "check_domain_age";
        snprintf(msg, sizeof msg, "Domain age %u days < 7", L->param % 7);
        break;
    case 1:
        stage = "Stage 1: DNS", name = "check_mx", field = "email";
        snprintf(msg, sizeof msg, "No MX for \"%s\"", BIZ_DOMAIN[L->biz]);
        break;
    case 2:
        stage = "Stage 2: Domain", name = "check_dnsbl";
        snprintf(msg, sizeof msg, "%s on Spamhaus DBL", BIZ_DOMAIN[L->biz]);
        break;
    case 3:
        stage = "Stage 3: Email", name = "check_smtp", field = "email";
        snprintf(msg, sizeof msg, "550 5.1.1 <%s>: unknown", PERSON[L->person]);
        break;
    case 4:
        stage = "Stage 4: LinkedIn", name = "check_linkedin", field = "linkedin";
        snprintf(msg, sizeof msg, "No profile “%s”", PERSON[L->person]);
        break;
    case 5:
        stage = "Stage 5: Company", name = "check_company", field = "business";
        snprintf(msg, sizeof msg, "Site names \"%s\"", BIZ[(L->biz + 1) % N_BIZ]);
        break;
    case 6:
        stage = "Stage 5: ICP", name = "check_region", field = "region";
        snprintf(msg, sizeof msg, "%s not in ICP", REGION[L->region]);
        break;
    default:
        stage = "Stage 5: Rep", name = "check_rep", field = "rep_score";
        snprintf(msg, sizeof msg, "sources:\n- wayback: %u\n- SEC: none", L->param % 3);
        break;
    }
    puts_(b, "{\"stage\":");
    put_jstr(b, stage, 0);
    puts_(b, ",\"check_name\":");
    put_jstr(b, name, 0);
    puts_(b, ",\"message\":");
    put_jstr(b, msg, 0);
    puts_(b, ",\"failed_fields\":[");
    put_jstr(b, field, 0);
    puts_(b, "]");
    if (check == 0 || check == 6)
        putf(b, ",\"score\":0.%02u", 10 + L->param % 80);
    puts_(b, "}");
}

static void uuid4(rng *r, char out[37])
{
    char h[33];
    rnd_hex(r, h, 32);
    snprintf(out, 37, "%.8s-%.4s-4%.3s-%c%.3s-%.12s", h, h + 8, h + 12, "89ab"[h[15] & 3], h + 16, h + 20);
}

typedef struct { uint32_t lead, val; } pair;

/* Appends the rows-only document of about n_rows rows (exactly n_rows) to b;
 * returns the number of leads. */
static size_t gen_rows(size_t n_rows, uint64_t seed, sbuf *b)
{
    rng r = {seed};
    validator V[VALIDATORS];
    static const char b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    for (int v = 0; v < VALIDATORS; v++) {
        V[v].hotkey[0] = '5';
        for (int k = 1; k < 48; k++)
            V[v].hotkey[k] = b58[below(&r, 58)];
        V[v].hotkey[48] = 0;
        rnd_hex(&r, V[v].salt, 64);
        V[v].v_trust = (double)(400000 + below(&r, 600000)) / 1e6;
        V[v].stake = (double)(1000000 + below(&r, 90000000)) / 1000.0;
    }
    /* leads of 5..21 validators each (mean 13) until n_rows */
    size_t cap_leads = n_rows / 5 + 1, n_leads = 0, np = 0;
    lead *L = malloc(cap_leads * sizeof *L);
    pair *P = malloc(n_rows * sizeof *P);
    if (!L || !P)
        die2("out of memory");
    while (np < n_rows) {
        lead *l = &L[n_leads];
        uuid4(&r, l->id);
        l->biz = below(&r, N_BIZ);
        l->person = below(&r, N_PERSON);
        l->region = below(&r, N_REGION);
        l->check = below(&r, N_CHECKS);
        l->param = below(&r, 1000);
        l->rep = below(&r, 49);
        l->legit = below(&r, 100) < 60;
        unsigned k = 5 + below(&r, 9) + below(&r, 9) - (below(&r, 5) == 0);
        int pick[VALIDATORS];
        for (int v = 0; v < VALIDATORS; v++)
            pick[v] = v;
        for (unsigned j = 0; j < k && np < n_rows; j++) {
            unsigned s = j + below(&r, (unsigned)VALIDATORS - j);
            int t = pick[j];
            pick[j] = pick[s];
            pick[s] = t;
            P[np].lead = (uint32_t)n_leads;
            P[np].val = (uint32_t)pick[j];
            np++;
        }
        n_leads++;
    }
    for (size_t i = n_rows - 1; i > 0; i--) {   /* unordered, as the gateway's query */
        size_t j = (size_t)(rnd(&r) % (i + 1));
        pair t = P[i];
        P[i] = P[j];
        P[j] = t;
    }
    lpc_value *rep_val[49];
    for (int i = 0; i < 49; i++)
        if (!(rep_val[i] = lpc_new_int(i)))
            die2("out of memory");
    putf(b, "{\"epoch_id\":18342,\"validations\":[");
    sbuf src = {0};
    lpc_buf du = {0}, lit = {0};
    char dh[LPC_SHA256_HEX_LEN + 1], rh[LPC_SHA256_HEX_LEN + 1], xh[LPC_SHA256_HEX_LEN + 1];
    for (size_t i = 0; i < n_rows; i++) {
        const lead *l = &L[P[i].lead];
        const validator *v = &V[P[i].val];
        int approve = below(&r, 100) < (l->legit ? 88u : 8u);
        int rep = 0;
        if (approve) {
            rep = (int)l->rep + (int)below(&r, 7) - 3;
            rep = rep < 0 ? 0 : rep > 48 ? 48 : rep;
        }
        unsigned check = below(&r, 100) < 80 ? l->check : below(&r, N_CHECKS);
        src.len = 0;
        if (approve)
            puts_(&src, "{\"message\":\"pass\"}");
        else
            reason_src(&src, l, check);
        /* the stored text: json.dumps(reason) */
        lpc_value *rv = NULL;
        du.len = 0;
        lit.len = 0;
        if (lpc_parse((const uint8_t *)src.p, src.len, &rv, NULL) != LPC_OK ||
            lpc_dump(rv, LPC_PROFILE_DU_A, &du) != LPC_OK ||
            lpc_dump_string((const char *)du.ptr, du.len, 1, &lit) != LPC_OK)
            die2("reason text");
        lpc_free(rv);
        const char *dec = approve ? "approve" : "deny";
        if (lpc_decision_hash(dec, strlen(dec), v->salt, 64, dh) != LPC_OK ||
            lpc_rep_score_hash(rep_val[rep], v->salt, 64, rh) != LPC_OK ||
            lpc_rejection_reason_text_hash((const char *)du.ptr, du.len, v->salt, 64, xh) != LPC_OK)
            die2("commitment");
        putf(b, "%s{\"lead_id\":\"%s\",\"validator_hotkey\":\"%s\",\"decision\":\"%s\",\"rep_score\":%d,"
             "\"rejection_reason\":", i ? "," : "", l->id, v->hotkey, dec, rep);
        put(b, lit.ptr, lit.len);
        puts_(b, ",\"v_trust\":");
        put_float(b, v->v_trust);
        puts_(b, ",\"stake\":");
        put_float(b, v->stake);
        putf(b, ",\"salt\":\"%s\",\"decision_hash\":\"%s\",\"rep_score_hash\":\"%s\",\"rejection_reason_hash\":\"%s\","
             "\"evidence\":{\"is_legitimate\":%s,\"enhanced_lead\":", v->salt, dh, rh, xh, approve ? "true" : "false");
        if (approve) {
            /* the lead as enriched, its name with \u escapes (json.dumps); raw UTF-8 in reasons */
            puts_(b, "{\"business\":");
            put_jstr(b, BIZ[l->biz], 1);
            putf(b, ",\"email\":\"%s@%s\",\"rep_score\":%d},\"reason\":null}}", PERSON[l->person], BIZ_DOMAIN[l->biz], rep);
        } else {
            puts_(b, "{},\"reason\":");
            put(b, src.p, src.len);
            puts_(b, "}}");
        }
    }
    puts_(b, "]}");
    for (int i = 0; i < 49; i++)
        lpc_free(rep_val[i]);
    free(src.p);
    lpc_buf_free(&du);
    lpc_buf_free(&lit);
    free(L);
    free(P);
    return n_leads;
}

/* Appends "consensus_results" to the rows-only document: each lead's result as
 * one replay computes it (the tool then compares every lead and exits 0). */
static void add_published(sbuf *b)
{
    lpc_value *doc = NULL;
    size_t off = 0;
    lpc_err e = lpc_parse_limit((const uint8_t *)b->p, b->len, LPC_JSON_MAX_INPUT_HARD, &doc, &off);
    if (e != LPC_OK) {
        fprintf(stderr, "bench_json: generated rows do not parse: %s at byte %zu\n", lpc_strerror(e), off);
        exit(2);
    }
    lpau_replay r;
    lpau_diag dg;
    memset(&r, 0, sizeof r);
    if (lpau_replay_run(doc, LPC_CONS_RULES_CURRENT, &r, &dg) != LPAU_OK) {
        fprintf(stderr, "bench_json: replay of the generated rows: %s: %s\n", dg.field, dg.detail);
        exit(2);
    }
    if (r.commit_failures)
        die2("a generated commitment does not open");
    b->len--;   /* the closing brace */
    puts_(b, ",\"consensus_results\":[");
    lpc_buf reason = {0};
    for (size_t l = 0; l < r.n_leads; l++) {
        const lpc_cons_result *c = &r.leads[l].rec;
        reason.len = 0;
        if (lpc_dump_string(c->primary_reason, c->primary_reason_len, 1, &reason) != LPC_OK)
            die2("published reason");
        putf(b, "%s{\"lead_id\":\"%s\",\"epoch_id\":18342,\"final_decision\":\"%s\",\"final_rep_score\":", l ? "," : "",
             r.leads[l].lead_id->u.s.ptr, c->final_decision);
        put_float(b, c->final_rep_score);
        puts_(b, ",\"primary_rejection_reason\":");
        put(b, reason.ptr, reason.len);
        putf(b, ",\"validator_count\":%zu,\"consensus_weight\":", c->validator_count);
        put_float(b, c->consensus_weight);
        puts_(b, ",\"approval_ratio\":");
        put_float(b, c->approval_ratio);
        puts_(b, "}");
    }
    puts_(b, "]}");
    lpc_buf_free(&reason);
    lpau_replay_free(&r);
    lpc_free(doc);
}

static size_t gen_epoch(size_t n_rows, sbuf *b)
{
    b->len = 0;
    size_t leads = gen_rows(n_rows, 0x6c656164706f6574ull + n_rows, b);
    add_published(b);
    return leads;
}

static int write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    int ok = fwrite(p, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

/* ---- checkpoint events JSON, current era (envelope records, bench_merkle's shape) ---- */
static void gen_events(size_t n, sbuf *out)
{
    uint8_t seed[32], pk[32], sk[64], h[32], sg[64];
    static const char seed_text[] = "leadpoet bench_json event signer seed";
    lpc_sha256(seed_text, sizeof seed_text - 1, seed);
    crypto_sign_seed_keypair(pk, sk, seed);
    char pkx[65], eh[65], ph[65], prev[65] = "", sig[129];
    lpc_hex_encode(pk, 32, pkx);
    sbuf se = {0}, pl = {0};
    puts_(out, "[");
    for (size_t i = 0; i < n; i++) {
        pl.len = se.len = 0;
        putf(&pl, "{\"block\":%zu,\"epoch_id\":%zu,\"lead_id\":\"lead-%08zu\",\"netuid\":71}", 8000000 + i, 24000 + i / 100, i);
        if (i == 0)
            putf(&se, "{\"boot_id\":\"11111111-2222-4333-8444-555555555555\",\"event_type\":\"ENCLAVE_RESTART\","
                 "\"monotonic_seq\":1,\"payload\":%s,\"prev_event_hash\":null,\"timestamp\":\"2026-07-20T10:00:00Z\"}", pl.p);
        else
            putf(&se, "{\"boot_id\":\"11111111-2222-4333-8444-555555555555\",\"event_type\":\"WEIGHT_SUBMISSION_V2\","
                 "\"monotonic_seq\":%zu,\"payload\":%s,\"prev_event_hash\":\"%s\",\"timestamp\":\"2026-07-20T10:00:01Z\"}",
                 i + 1, pl.p, prev);
        lpc_sha256(se.p, se.len, h);
        lpc_hex_encode(h, 32, eh);
        crypto_sign_detached(sg, NULL, h, 32, sk);
        lpc_hex_encode(sg, 64, sig);
        lpc_sha256(pl.p, pl.len, h);
        lpc_hex_encode(h, 32, ph);
        putf(out, "%s{\"event_type\": \"%s\", \"event_hash\": \"%s\", \"payload_hash\": \"%s\", \"signed_log_entry\": "
             "{\"signed_event\": ", i ? ", " : "", i ? "WEIGHT_SUBMISSION_V2" : "ENCLAVE_RESTART", eh, ph);
        put(out, se.p, se.len);
        putf(out, ", \"event_hash\": \"%s\", \"enclave_pubkey\": \"%s\", \"enclave_signature\": \"%s\"}, "
             "\"sequence\": %zu, \"buffered_at\": \"2026-07-20T10:00:01.%06zu\"}", eh, pkx, sig, i, i % 1000000);
        memcpy(prev, eh, 65);
    }
    puts_(out, "]");
    free(se.p);
    free(pl.p);
}

/* ---- worst shapes at canonicalize's input cap (LPC_JSON_MAX_INPUT) ---- */
static void fill_unit(sbuf *b, const char *head, const char *unit, const char *last, const char *tail, size_t size)
{
    b->len = 0;
    puts_(b, head);
    size_t u = strlen(unit), fixed = strlen(last) + strlen(tail);
    while (b->len + u + fixed <= size)
        put(b, unit, u);
    puts_(b, last);
    puts_(b, tail);
    while (b->len < size)
        put(b, " ", 1);
}

static void shape_nested(sbuf *b, size_t size)
{
    b->len = 0;
    for (int d = 0; d < LPC_JSON_MAX_DEPTH; d++)
        puts_(b, "{\"a\":");
    size_t closing = 1 + (size_t)LPC_JSON_MAX_DEPTH;
    put(b, "\"", 1);
    while (b->len + closing < size)
        put(b, "x", 1);
    put(b, "\"", 1);
    for (int d = 0; d < LPC_JSON_MAX_DEPTH; d++)
        put(b, "}", 1);
}

/* ---- child "--replay FILE": the tool's work without its input cap and report ---- */
static int replay_main(const char *path)
{
    size_t len = 0;
    uint8_t *buf = lp_bench_read(path, &len);
    if (!buf)
        return 2;
    lpc_value *doc = NULL;
    size_t off = 0;
    lpc_err e = lpc_parse_limit(buf, len, LPC_JSON_MAX_INPUT_HARD, &doc, &off);
    free(buf);
    if (e != LPC_OK) {
        fprintf(stderr, "parse: %s at byte %zu\n", lpc_strerror(e), off);
        return 2;
    }
    lpau_replay r;
    lpau_diag dg;
    memset(&r, 0, sizeof r);
    int rc = 2;
    if (lpau_replay_run(doc, LPC_CONS_RULES_CURRENT, &r, &dg) != LPAU_OK)
        fprintf(stderr, "replay: %s: %s\n", dg.field, dg.detail);
    else
        rc = r.commit_failures || r.certain_mismatches ? 1 : 0;
    lpau_replay_free(&r);
    lpc_free(doc);
    return rc;
}

static char g_self[4096], g_dir[4096];

typedef lp_bench_run_res run_res;

static long long read_int(const char **s)
{
    long long x = 0;
    while (**s == ' ')
        (*s)++;
    while (**s >= '0' && **s <= '9')
        x = x * 10 + (*(*s)++ - '0');
    return x;
}

/* Runs argv (stdout to /dev/null, stderr to g_dir/stderr.txt) in a fresh process. */
static int run_prog(char *const argv[], run_res *o)
{
    char errf[4200];
    snprintf(errf, sizeof errf, "%s/stderr.txt", g_dir);
    return lp_bench_run(g_self, "/dev/null", errf, argv, o);
}

/* The first line of the last child's stderr. */
static void last_stderr(char *out, size_t n)
{
    char errf[4200];
    snprintf(errf, sizeof errf, "%s/stderr.txt", g_dir);
    lp_bench_first_line(errf, out, n);
}

/* Runs a replay of path that must agree with the published results (exit 0): a child
 * that cannot start or disagrees ends the benchmark (exit 2) with its stderr line. */
static void run_agreeing(char *const argv[], const char *name, const char *path, run_res *r)
{
    if (!run_prog(argv, r)) {
        fprintf(stderr, "bench_json: cannot run %s\n", name);
        exit(2);
    }
    if (r->status != 0) {
        char why[300];
        last_stderr(why, sizeof why);
        fprintf(stderr, "bench_json: %s %s exited %d: %s\n", name, path, r->status, why);
        exit(2);
    }
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct { double med, lo, hi; } stat3;

static stat3 stats(const double *x, int n)
{
    double s[MAX_REPS];
    memcpy(s, x, (size_t)n * sizeof *x);
    qsort(s, (size_t)n, sizeof *s, cmp_d);
    stat3 r = {n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2, s[0], s[n - 1]};
    return r;
}

/* ---- in-process throughput over one buffer: parse vs memcpy vs SHA-256 ---- */
typedef struct { stat3 parse, parse_wall, copy, sha; } tput;

static double mbs(size_t n, double s) { return (double)n / 1e6 / s; }

static void one_tput(const uint8_t *p, size_t n, uint8_t *dst, double *parse, double *parse_wall,
                     double *copy, double *sha)
{
    double w0 = lp_bench_now(), c0 = cpu_now();
    lpc_value *v = NULL;
    size_t off = 0;
    lpc_err e = lpc_parse_limit(p, n, LPC_JSON_MAX_INPUT_HARD, &v, &off);
    if (e != LPC_OK) {
        fprintf(stderr, "bench_json: parse failed: %s at byte %zu\n", lpc_strerror(e), off);
        exit(2);
    }
    lpc_free(v);
    *parse = mbs(n, cpu_now() - c0);
    *parse_wall = mbs(n, lp_bench_now() - w0);
    c0 = cpu_now();
    memcpy(dst, p, n);
    *copy = mbs(n, cpu_now() - c0);
    uint8_t md[LPC_SHA256_LEN];
    c0 = cpu_now();
    lpc_sha256(p, n, md);
    *sha = mbs(n, cpu_now() - c0);
    dst[n / 2] ^= md[0];   /* keeps the copy live */
}

/* One untimed parse, so the first timed one does not alone pay for growing the heap. */
static void warm_up(const uint8_t *p, size_t n)
{
    lpc_value *v = NULL;
    if (lpc_parse_limit(p, n, LPC_JSON_MAX_INPUT_HARD, &v, NULL) != LPC_OK)
        die2("parse failed");
    lpc_free(v);
}

static void print_tput(const char *what, size_t n, const tput *t)
{
    printf("  in process over the same %.1f MB (%s), CPU MB/s:\n", (double)n / 1e6, what);
    printf("    lpc_parse_limit + lpc_free : %7.1f  [%.1f..%.1f]  (wall %.1f)\n", t->parse.med, t->parse.lo,
           t->parse.hi, t->parse_wall.med);
    printf("    memcpy                     : %7.1f  [%.1f..%.1f]\n", t->copy.med, t->copy.lo, t->copy.hi);
    printf("    lpc_sha256                 : %7.1f  [%.1f..%.1f]\n", t->sha.med, t->sha.lo, t->sha.hi);
}

/* ---- aims summary ---- */
#define MAX_AIMS 64
static struct { char aim[160], got[128]; int met; } g_aims[MAX_AIMS];
static int g_naims;

static void aim(int met, const char *a, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void aim(int met, const char *a, const char *fmt, ...)
{
    if (g_naims == MAX_AIMS)
        return;
    va_list ap;
    va_start(ap, fmt);
    snprintf(g_aims[g_naims].aim, sizeof g_aims[0].aim, "%s", a);
    vsnprintf(g_aims[g_naims].got, sizeof g_aims[0].got, fmt, ap);
    va_end(ap);
    g_aims[g_naims++].met = met;
}

static double mem_aim_mib(size_t input) { return 2.0 * (double)input / (double)MIB + 16.0; }

/* Peak RSS against 2 x input + 16 MiB, one line and one aim. */
static void mem_line(const char *label, size_t input, const run_res *r)
{
    double lim = mem_aim_mib(input);
    printf("  %-44s input %7.1f MiB  peak RSS %8.1f MiB  aim <= %7.1f MiB: %s (%.1fx input; exit %d, %.2f s)\n", label,
           (double)input / (double)MIB, r->rss_mib, lim, r->rss_mib <= lim ? "met" : "NOT met",
           r->rss_mib * (double)MIB / (double)input, r->status, r->wall);
    char a[160];
    snprintf(a, sizeof a, "peak RSS %s <= 2 x input + 16 MiB", label);
    aim(r->rss_mib <= lim, a, "%.1f MiB (aim %.1f MiB)", r->rss_mib, lim);
}

static char g_tool[4200], g_canon[4200], g_py[4200];

/* One epoch file: tool vs Python in fresh processes and in-process parse, interleaved. */
static void bench_file(size_t n_rows, int reps, const char *label)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/epoch_%zu.json", g_dir, n_rows);
    sbuf doc = {0};
    double t0 = lp_bench_now();
    size_t leads = gen_epoch(n_rows, &doc);
    if (!write_file(path, doc.p, doc.len))
        die2("cannot write the epoch file");
    printf("%s: %zu rows, %zu leads, %zu bytes (%.0f bytes per row), generated in %.1f s\n", label, n_rows, leads, doc.len,
           (double)doc.len / (double)n_rows, lp_bench_now() - t0);
    if (doc.len > LPAU_REPLAY_MAX_INPUT)
        printf("  (over replay_consensus's input cap LPAU_REPLAY_MAX_INPUT = %zu bytes)\n", LPAU_REPLAY_MAX_INPUT);

    uint8_t *dst = malloc(doc.len);
    if (!dst)
        die2("out of memory");
    memset(dst, 1, doc.len);   /* faulted in: memcpy measures copying only */
    double c_wall[MAX_REPS], c_cpu[MAX_REPS], c_rss[MAX_REPS], p_wall[MAX_REPS], p_cpu[MAX_REPS], p_rss[MAX_REPS];
    double pa[MAX_REPS], paw[MAX_REPS], cp[MAX_REPS], sh[MAX_REPS];
    char *tool_argv[] = {g_tool, "--json", path, NULL};
    char *lib_argv[] = {g_self, "--replay", path, NULL};
    char *py_argv[] = {"python3", g_py, path, NULL};
    char why[300] = "";
    run_res cr = {0}, pr = {0}, refused = {0};
    /* Over the tool's cap: one run shows the refusal; the C side is then the
     * library's replay in a fresh process (--replay), without cap or report. */
    int use_tool = doc.len <= LPAU_REPLAY_MAX_INPUT;
    if (!use_tool) {
        if (!run_prog(tool_argv, &refused))
            die2("cannot run replay_consensus");
        last_stderr(why, sizeof why);
        printf("  replay_consensus --json: exit %d, peak RSS %.1f MiB: %s\n", refused.status, refused.rss_mib, why);
        printf("  C side below: bench_json --replay (read, lpc_parse_limit, lpau_replay_run, free; no input cap, "
               "no tree budget, no report)\n");
    }
    const char *c_name = use_tool ? "replay_consensus --json" : "bench_json --replay   ";
    warm_up((const uint8_t *)doc.p, doc.len);
    for (int k = 0; k < reps; k++) {
        run_agreeing(use_tool ? tool_argv : lib_argv, c_name, path, &cr);
        c_wall[k] = cr.wall, c_cpu[k] = cr.cpu, c_rss[k] = cr.rss_mib;
        run_agreeing(py_argv, g_py, path, &pr);
        p_wall[k] = pr.wall, p_cpu[k] = pr.cpu, p_rss[k] = pr.rss_mib;
        one_tput((const uint8_t *)doc.p, doc.len, dst, &pa[k], &paw[k], &cp[k], &sh[k]);
    }
    printf("  fresh processes, %d runs, medians [min..max]:\n", reps);
    stat3 pw = stats(p_wall, reps), pc = stats(p_cpu, reps), prs = stats(p_rss, reps);
    stat3 cw = stats(c_wall, reps), cc = stats(c_cpu, reps), crs = stats(c_rss, reps);
    printf("    %s : wall %7.3f s [%.3f..%.3f]  CPU %7.3f s [%.3f..%.3f]  peak RSS %7.1f MiB [%.1f..%.1f]  "
           "(%.1f MB/s CPU)\n", c_name, cw.med, cw.lo, cw.hi, cc.med, cc.lo, cc.hi, crs.med, crs.lo, crs.hi,
           mbs(doc.len, cc.med));
    printf("    replay_baseline.py      : wall %7.3f s [%.3f..%.3f]  CPU %7.3f s [%.3f..%.3f]  peak RSS %7.1f MiB "
           "[%.1f..%.1f]  (%.1f MB/s CPU)\n", pw.med, pw.lo, pw.hi, pc.med, pc.lo, pc.hi, prs.med, prs.lo, prs.hi,
           mbs(doc.len, pc.med));
    double rc = pc.med / cc.med, rw = pw.med / cw.med;
    printf("    Python / C              : CPU %.1fx, wall %.1fx, peak RSS %.1fx  (aim: at least 5x, CPU time): %s\n", rc, rw,
           prs.med / crs.med, !use_tool ? "not the tool" : rc >= 5.0 ? "met" : "NOT met");
    char a[96];
    snprintf(a, sizeof a, "Python / C CPU time, %s >= 5x", label);
    if (use_tool) {
        aim(rc >= 5.0, a, "%.1fx (wall %.1fx)", rc, rw);
        run_res m = {0, cw.med, cc.med, crs.med};
        snprintf(a, sizeof a, "replay_consensus --json, %s", label);
        mem_line(a, doc.len, &m);
    } else {
        aim(0, a, "tool refuses the file (exit %d); library replay %.1fx", refused.status, rc);
        run_res m = {0, cw.med, cc.med, crs.med};
        snprintf(a, sizeof a, "bench_json --replay, %s", label);
        mem_line(a, doc.len, &m);
    }
    tput t = {stats(pa, reps), stats(paw, reps), stats(cp, reps), stats(sh, reps)};
    print_tput("the epoch file", doc.len, &t);
    snprintf(a, sizeof a, "parse, %s >= 600 MB/s", label);
    aim(t.parse.med >= 600.0, a, "%.1f MB/s (memcpy %.0f, SHA-256 %.0f)", t.parse.med, t.copy.med, t.sha.med);

    if (doc.len <= LPC_JSON_MAX_INPUT) {
        char *cv[] = {g_canon, "--profile", "compact-sorted-ascii", path, NULL};
        run_res r;
        if (!run_prog(cv, &r))
            die2("cannot run canonicalize");
        snprintf(a, sizeof a, "canonicalize, %s", label);
        mem_line(a, doc.len, &r);
    }
    free(dst);
    free(doc.p);
    unlink(path);
}

static void bench_events(int reps)
{
    sbuf ev = {0};
    double t0 = lp_bench_now();
    gen_events(EVENTS, &ev);
    printf("checkpoint events JSON (current era envelope records): %d events, %zu bytes, generated in %.1f s\n", EVENTS,
           ev.len, lp_bench_now() - t0);
    uint8_t *dst = malloc(ev.len);
    if (!dst)
        die2("out of memory");
    memset(dst, 1, ev.len);
    double pa[MAX_REPS], paw[MAX_REPS], cp[MAX_REPS], sh[MAX_REPS];
    warm_up((const uint8_t *)ev.p, ev.len);
    for (int k = 0; k < reps; k++)
        one_tput((const uint8_t *)ev.p, ev.len, dst, &pa[k], &paw[k], &cp[k], &sh[k]);
    tput t = {stats(pa, reps), stats(paw, reps), stats(cp, reps), stats(sh, reps)};
    print_tput("the events array", ev.len, &t);
    aim(t.parse.med >= 600.0, "parse, checkpoint events (100,000) >= 600 MB/s", "%.1f MB/s (memcpy %.0f, SHA-256 %.0f)",
        t.parse.med, t.copy.med, t.sha.med);
    free(dst);
    free(ev.p);
}

static char g_weights[4200], g_log[4200];

/* One tool run on path for the peak-memory table; a nonzero exit is printed (the worst
 * shapes are refused: what is measured is the memory of deciding so). */
static void mem_run(const char *tool, char *const argv[], const char *label, size_t input)
{
    run_res r;
    if (!run_prog(argv, &r))
        die2("cannot run a tool");
    char full[160];
    snprintf(full, sizeof full, "%s %s", tool, label);
    if (r.status != 0) {
        char e[300];
        last_stderr(e, sizeof e);
        printf("  (%s exited %d: %s)\n", full, r.status, e);
    }
    mem_line(full, input, &r);
}

/* A realistic log: the five genuine entries of vectors/leadpoet/event_signing.json
 * repeated to about size bytes (each entry verifies; the repeated monotonic_seq fails). */
static int gen_log(sbuf *b, size_t size)
{
    size_t n = 0;
    uint8_t *t = lp_bench_read("vectors/leadpoet/event_signing.json", &n);
    if (!t)
        return 0;
    lpc_value *v = NULL;
    if (lpc_parse(t, n, &v, NULL) != LPC_OK) {
        free(t);
        return 0;
    }
    free(t);
    const lpc_value *es = lpc_get(v, "entries");
    sbuf one = {0};
    for (size_t i = 0; es && i < es->u.a.n; i++) {
        lpc_buf x = {0};
        if (lpc_dump(lpc_get(es->u.a.items[i], "log_entry"), LPC_PROFILE_CS_A, &x) != LPC_OK)
            break;
        if (one.len)
            put(&one, ",", 1);
        put(&one, (const char *)x.ptr, x.len);
        lpc_buf_free(&x);
    }
    lpc_free(v);
    b->len = 0;
    put(b, "[", 1);
    while (one.len && b->len + one.len + 2 <= size) {
        if (b->len > 1)
            put(b, ",", 1);
        put(b, one.p, one.len);
    }
    put(b, "]", 1);
    free(one.p);
    return b->len > 2;
}

/* A bundle of LPC_WEIGHTS_MAX_PAIRS raw scores, the largest verify_weights reads. */
static void gen_bundle(sbuf *b)
{
    b->len = 0;
    puts_(b, "{\"netuid\":71,\"epoch_id\":19000,\"block\":5000000,\"weights\":[");
    for (size_t u = 0; u < LPC_WEIGHTS_MAX_PAIRS; u++) {
        char x[64];
        int k = snprintf(x, sizeof x, "%s[%zu,0.%016zu]", u ? "," : "", u, (u * 2654435761u) % 10000000000000000u);
        put(b, x, (size_t)k);
    }
    puts_(b, "]}");
}

static void bench_shapes(void)
{
    const size_t cap = LPC_JSON_MAX_INPUT;
    printf("peak RSS of canonicalize --profile compact-sorted-ascii, replay_consensus, verify_weights and\n"
           "verify_log on worst shapes of %zu bytes and realistic inputs (one run each):\n", cap);
    char path[4200];
    snprintf(path, sizeof path, "%s/shape.json", g_dir);
    sbuf b = {0};
    for (int s = 0; s < 8; s++) {
        const char *label;
        switch (s) {
        case 0: label = "[0,0,...]"; fill_unit(&b, "[", "0,", "0", "]", cap); break;
        case 1: label = "[[],[],...]"; fill_unit(&b, "[", "[],", "[]", "]", cap); break;
        case 2: label = "{\"a\":{\"a\":...}} depth 512 + long string"; shape_nested(&b, cap); break;
        case 3: label = "[\"a\",\"a\",...]"; fill_unit(&b, "[", "\"a\",", "\"a\"", "]", cap); break;
        case 4: label = "one huge string"; fill_unit(&b, "\"", "a", "", "\"", cap); break;
        case 5: label = "{\"validations\":[0,0,...]}"; fill_unit(&b, "{\"validations\":[", "0,", "0", "]}", cap); break;
        case 6: label = "a log of genuine entries"; if (!gen_log(&b, cap)) die2("cannot read vectors/leadpoet/event_signing.json"); break;
        default: label = "65,536 raw scores"; gen_bundle(&b); break;
        }
        if (!write_file(path, b.p, b.len))
            die2("cannot write a shape file");
        char *cv[] = {g_canon, "--profile", "compact-sorted-ascii", path, NULL};
        char *rv[] = {g_tool, "--json", path, NULL};
        char *wv[] = {g_weights, "--json", path, NULL};
        char *lv[] = {g_log, "--json", "--no-key", path, NULL};
        if (s != 6 && s != 7)
            mem_run("canonicalize", cv, label, b.len);
        if (s != 6 && s != 7)
            mem_run("replay_consensus", rv, label, b.len);
        if (s != 6)
            mem_run("verify_weights", wv, label, b.len);
        if (s != 7)
            mem_run("verify_log", lv, label, b.len);
        unlink(path);
    }
    free(b.p);
}

/* Room for the big file and its peak memory, else a reason to skip it. */
static const char *big_unfit(size_t est_bytes)
{
    struct statvfs fs;
    if (statvfs(g_dir, &fs) != 0 || (double)fs.f_bavail * (double)fs.f_frsize < 1.2 * (double)est_bytes)
        return "not enough free space in the temporary directory";
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    long long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "MemAvailable:", 13)) {
            const char *s = line + 13;
            kb = read_int(&s);
        }
    if (f)
        fclose(f);
    if (kb >= 0 && (double)kb * 1024.0 < 16.0 * (double)est_bytes)
        return "less available memory than 16 x the file (parse tree and Python)";
    return NULL;
}

static int find(char *out, size_t n, const char *rel_cwd, const char *rel_bin)
{
    if (access(rel_cwd, F_OK) == 0) {
        snprintf(out, n, "%s", rel_cwd);
        return 1;
    }
    char *slash = strrchr(g_self, '/');
    snprintf(out, n, "%.*s/%s", (int)(slash - g_self), g_self, rel_bin);
    return access(out, F_OK) == 0;
}

int main(int argc, char **argv)
{
    if (argc > 5 && !strcmp(argv[1], "--spawn"))
        return lp_bench_spawn_main(argv + 2);
    if (sodium_init() < 0)
        die2("libsodium");
    if (argc == 3 && !strcmp(argv[1], "--replay"))
        return replay_main(argv[2]);
    if (argc == 4 && !strcmp(argv[1], "--gen")) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(argv[2], &end, 10);
        if (errno || *end || n < 1 || n > LPAU_REPLAY_MAX_ROWS)
            die2("--gen N FILE: N from 1 to 4194304");
        sbuf doc = {0};
        size_t leads = gen_epoch((size_t)n, &doc);
        if (!write_file(argv[3], doc.p, doc.len))
            die2("cannot write FILE");
        fprintf(stderr, "%s: %llu rows, %zu leads, %zu bytes\n", argv[3], n, leads, doc.len);
        free(doc.p);
        return 0;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: bench_json | bench_json --gen N FILE\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    ssize_t sl = readlink("/proc/self/exe", g_self, sizeof g_self - 1);
    if (sl <= 0)
        die2("cannot find own executable");
    g_self[sl] = 0;
    if (!find(g_tool, sizeof g_tool, "build/bin/replay_consensus", "../bin/replay_consensus") ||
        !find(g_canon, sizeof g_canon, "build/bin/canonicalize", "../bin/canonicalize") ||
        !find(g_py, sizeof g_py, "tests/bench/replay_baseline.py", "../../tests/bench/replay_baseline.py") ||
        !find(g_weights, sizeof g_weights, "build/bin/verify_weights", "../bin/verify_weights") ||
        !find(g_log, sizeof g_log, "build/bin/verify_log", "../bin/verify_log"))
        die2("replay_consensus, canonicalize, verify_weights, verify_log or tests/bench/replay_baseline.py not found "
             "(run from the repository root)");
    int reps = getenv("BENCH_REPS") ? atoi(getenv("BENCH_REPS")) : 5;
    reps = reps < 1 ? 1 : reps > MAX_REPS ? MAX_REPS : reps;
    snprintf(g_dir, sizeof g_dir, "/tmp/bench_json_XXXXXX");
    if (!mkdtemp(g_dir))
        die2("cannot make a temporary directory under /tmp");
    printf("bench_json: %d repetitions, %ld online cores; tool %s\n", reps, sysconf(_SC_NPROCESSORS_ONLN), g_tool);

    bench_file(SMALL_ROWS, reps, "50,000 rows");
    const char *env = getenv("BENCH_JSON_BIG");
    const char *skip = env && !strcmp(env, "0") ? "BENCH_JSON_BIG=0" : big_unfit((size_t)BIG_ROWS * 760);
    if (skip) {
        printf("1,000,000 rows: skipped (%s)\n", skip);
        aim(0, "1,000,000-row file", "skipped: %s", skip);
    } else {
        bench_file(BIG_ROWS, reps, "1,000,000 rows");
    }
    bench_events(reps);
    bench_shapes();

    char errf[4200];
    snprintf(errf, sizeof errf, "%s/stderr.txt", g_dir);
    unlink(errf);
    rmdir(g_dir);
    int met = 0;
    printf("\nsummary (aims of issue 14; timings are never pass conditions):\n");
    for (int i = 0; i < g_naims; i++) {
        printf("  %-70s %-8s %s\n", g_aims[i].aim, g_aims[i].met ? "met" : "NOT met", g_aims[i].got);
        met += g_aims[i].met;
    }
    printf("  %d of %d aims met\n", met, g_naims);
    return 0;
}
