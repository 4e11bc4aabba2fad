/* Throughput of lpc_consensus for one lead with 64 validator rows, beside two
 * same-run references:
 *   - SHA-256 over the same rows' bytes (their compact JSON, ~10 KB per lead):
 *     the cost of merely hashing the input once, a floor any verifier that
 *     checks the rows against a commitment pays anyway;
 *   - the bare arithmetic floor: the three dependent float sums over 64
 *     pre-converted rows (latency-bound add chains), i.e. consensus with the
 *     value decoding, reason table and order analysis removed.
 * Two inputs: numbers as JSON floats, and v_trust/stake as numeric strings
 * (as Supabase returns numeric columns), which adds Python float() parsing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_consensus.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"
#include "tests/bench/lp_bench.h"

#define ROWS 64
#define MIN_SECONDS 0.4

static const char *REASONS[] = {
    "{\"stage\": \"Stage 1: DNS\", \"check_name\": \"check_domain_age\", \"message\": \"Domain too young\", "
    "\"failed_fields\": [\"website\"]}",
    "{\"stage\": \"Stage 1\", \"check_name\": \"check_email\", \"message\": \"Email invalid\"}",
    "{\"stage\": \"Stage 2\", \"check_name\": \"check_domain\", \"message\": \"Domain too young\"}",
    "{\"stage\": \"Batch Validation\", \"check_name\": \"truelist_batch_skipped\", "
    "\"message\": \"Lead skipped due to persistent TrueList errors\"}",
    "{\"message\": \"pass\"}",
};

/* Builds the lead's rows as one JSON array text, then parses it. */
static lpc_value *make_lead(int numeric_strings)
{
    lpc_buf t = {0};
    lpc_buf_append(&t, "[", 1);
    unsigned s = 12345;
    for (int i = 0; i < ROWS; i++) {
        s = s * 1103515245u + 12345u;
        int approve = (s >> 16) % 8 < 5;
        double vt = 0.05 + (double)((s >> 8) % 1000) / 1000.0;
        double st = 100.0 + (double)((s >> 4) % 100000) / 7.0;
        char row[512];
        lpc_buf r = {0};
        lpc_dump_string(approve ? REASONS[4] : REASONS[(s >> 20) % 4],
                        strlen(approve ? REASONS[4] : REASONS[(s >> 20) % 4]), 1, &r);
        int n = snprintf(row, sizeof row,
                         numeric_strings
                             ? "%s{\"validator_hotkey\":\"5H%040d\",\"decision\":\"%s\",\"rep_score\":%d,"
                               "\"rejection_reason\":%.*s,\"v_trust\":\"%.17g\",\"stake\":\"%.17g\"}"
                             : "%s{\"validator_hotkey\":\"5H%040d\",\"decision\":\"%s\",\"rep_score\":%d,"
                               "\"rejection_reason\":%.*s,\"v_trust\":%.17g,\"stake\":%.17g}",
                         i ? "," : "", i, approve ? "approve" : "deny", approve ? (int)((s >> 12) % 49) : 0,
                         (int)r.len, (const char *)r.ptr, vt, st);
        lpc_buf_free(&r);
        lpc_buf_append(&t, row, (size_t)n);
    }
    lpc_buf_append(&t, "]", 1);
    lpc_value *v = NULL;
    if (lpc_parse(t.ptr, t.len, &v, NULL) != LPC_OK) {
        fprintf(stderr, "bench_consensus: cannot parse generated rows\n");
        exit(2);
    }
    lpc_buf_free(&t);
    return v;
}

static void bench_lead(const char *label, const lpc_value *lead)
{
    lpc_cons_row rows[ROWS];
    for (int i = 0; i < ROWS; i++) lpc_cons_row_from_object(lpc_at(lead, (size_t)i), NULL, &rows[i]);
    lpc_cons_reason work[ROWS];
    lpc_cons_result r;
    volatile double sink = 0;
    long iters = 0;
    double t0 = lp_bench_now(), t;
    do {
        for (int k = 0; k < 1000; k++) {
            if (lpc_consensus(rows, ROWS, LPC_CONS_RULES_CURRENT, LPC_CONS_PATH_EVIDENCE, work, ROWS, &r) !=
                LPC_OK) {
                fprintf(stderr, "bench_consensus: consensus failed\n");
                exit(2);
            }
            sink += r.final_rep_score;
        }
        iters += 1000;
        t = lp_bench_now() - t0;
    } while (t < MIN_SECONDS);
    printf("consensus (%s):%*s %10.0f leads/s  (%.0f rows/s; result %s, %zu reasons, flags %#x)\n", label,
           (int)(16 - strlen(label)), "", (double)iters / t, (double)iters * ROWS / t, r.final_decision,
           r.n_reasons, r.order_flags);
    (void)sink;
}

/* The three add chains of the Python loop over already-converted doubles. */
static void bench_floor(const lpc_value *lead)
{
    double vt[ROWS], st[ROWS], rs[ROWS];
    int ap[ROWS];
    for (int i = 0; i < ROWS; i++) {
        lpc_cons_row row;
        lpc_cons_row_from_object(lpc_at(lead, (size_t)i), NULL, &row);
        lpc_cons_py_float(row.v_trust, &vt[i]);
        lpc_cons_py_float(row.stake, &st[i]);
        lpc_cons_py_float(row.rep_score, &rs[i]);
        ap[i] = lpc_str_eq(row.decision, "approve");
    }
    volatile double sink = 0;
    volatile double scale = 1.0;   /* defeats hoisting the loop body */
    long iters = 0;
    double t0 = lp_bench_now(), t;
    do {
        for (int k = 0; k < 10000; k++) {
            double total = 0, wrep = 0, wapp = 0, sc = scale;
            for (int i = 0; i < ROWS; i++) {
                double w = vt[i] * st[i] * sc;
                total += w;
                double p = rs[i] * w;
                wrep += p;
                if (ap[i]) wapp += w;
            }
            sink += wrep / total + wapp / total;
        }
        iters += 10000;
        t = lp_bench_now() - t0;
    } while (t < MIN_SECONDS);
    printf("arithmetic floor (3 add chains):  %10.0f leads/s\n", (double)iters / t);
    (void)sink;
}

static void bench_sha(const lpc_value *lead)
{
    lpc_buf text = {0};
    lpc_dump(lead, LPC_PROFILE_CS_A, &text);
    lpc_hash_ctx *c = lpc_hash_ctx_new(LPC_SHA256);
    uint8_t d[LPC_SHA256_LEN];
    long iters = 0;
    double t0 = lp_bench_now(), t;
    do {
        for (int k = 0; k < 200; k++) {
            lpc_hash_init(c);
            lpc_hash_update(c, text.ptr, text.len);
            lpc_hash_final(c, d);
        }
        iters += 200;
        t = lp_bench_now() - t0;
    } while (t < MIN_SECONDS);
    printf("SHA-256 of the rows' JSON:        %10.0f leads/s  (%zu bytes/lead, %.0f MB/s)\n", (double)iters / t,
           text.len, (double)iters * (double)text.len / t / 1e6);
    lpc_hash_ctx_free(c);
    lpc_buf_free(&text);
}

int main(void)
{
    lpc_value *floats = make_lead(0), *strings = make_lead(1);
    printf("bench_consensus: one lead, %d validator rows, current rules, evidence path\n", ROWS);
    bench_lead("float columns", floats);
    bench_lead("string columns", strings);
    bench_floor(floats);
    bench_sha(floats);
    lpc_free(floats);
    lpc_free(strings);
    return 0;
}
