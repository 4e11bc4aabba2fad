/* End-to-end throughput of the consensus replay (audit/replay.h: parse,
 * validate, group rows by lead, lpc_consensus per lead, compare with
 * published results) over a generated epoch of 1,000,000 validation rows
 * (50,000 leads x 20 validators, rows interleaved across leads as the
 * gateway's unordered query returns them, every lead published).
 * Same-run references over the same bytes:
 *   - raw SHA-256 (the physical floor of touching the input once);
 *   - reading and parsing alone (lpc_parse + lpc_free), the cost any tool pays.
 * The parser caps one document at LPC_JSON_MAX_INPUT (64 MiB), so the epoch
 * is split into DOCS documents of equal size, each replayed on its own.
 * Aims (issue 4): replay adds < 50% on top of parsing; parsing > 100 MB/s. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit/replay.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"

#define LEADS 50000
#define VALIDATORS 20
#define DOCS 4
#define LEADS_PER_DOC (LEADS / DOCS)

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

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

int main(void)
{
    sbuf doc[DOCS];
    size_t rows = 0, bytes = 0;
    for (int d = 0; d < DOCS; d++) {
        size_t n;
        doc[d] = make_doc(d, &n);
        rows += n;
        bytes += doc[d].len;
        if (doc[d].len > LPC_JSON_MAX_INPUT) {
            fprintf(stderr, "bench_replay: document over LPC_JSON_MAX_INPUT\n");
            return 2;
        }
    }
    double mb = (double)bytes / 1e6;

    uint8_t md[LPC_SHA256_LEN];
    double t0 = now();
    for (int d = 0; d < DOCS; d++)
        lpc_sha256(doc[d].p, doc[d].len, md);
    double t_sha = now() - t0;

    t0 = now();
    for (int d = 0; d < DOCS; d++) {
        lpc_value *v = NULL;
        if (lpc_parse((const uint8_t *)doc[d].p, doc[d].len, &v, NULL) != LPC_OK) {
            fprintf(stderr, "bench_replay: parse failed\n");
            return 2;
        }
        lpc_free(v);
    }
    double t_parse = now() - t0;

    size_t leads = 0, od = 0;
    t0 = now();
    for (int d = 0; d < DOCS; d++) {
        lpau_replay r;
        lpau_diag dg;
        lpau_err e = lpau_replay_bytes((const uint8_t *)doc[d].p, doc[d].len, LPC_CONS_RULES_CURRENT, &r, &dg);
        if (e != LPAU_OK) {
            fprintf(stderr, "bench_replay: replay failed: %s %s %s\n", lpau_strerror(e), dg.field, dg.detail);
            return 2;
        }
        leads += r.n_leads;
        od += r.order_dependent;
        lpau_replay_free(&r);
    }
    double t_replay = now() - t0;

    printf("bench_replay: %zu rows, %zu leads (%zu order-dependent), %.1f MB in %d documents\n",
           rows, leads, od, mb, DOCS);
    printf("  raw SHA-256 over the same bytes : %8.1f MB/s  (%.3f s)\n", mb / t_sha, t_sha);
    printf("  parse only (lpc_parse + free)   : %8.1f MB/s  (%.3f s)\n", mb / t_parse, t_parse);
    printf("  replay end to end               : %8.1f MB/s  (%.3f s)  %.0f leads/s  %.0f rows/s\n",
           mb / t_replay, t_replay, (double)leads / t_replay, (double)rows / t_replay);
    printf("  replay on top of parsing        : %+.0f%%  (aim < +50%%; parsing aim > 100 MB/s)\n",
           100.0 * (t_replay - t_parse) / t_parse);
    for (int d = 0; d < DOCS; d++)
        free(doc[d].p);
    return 0;
}
