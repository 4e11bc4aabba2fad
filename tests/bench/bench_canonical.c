/* Canonical JSON throughput beside same-run physical references: memcpy and
 * raw SHA-256 over the same bytes.  Run by `make bench`, never by `make check`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"
#include "tests/bench/lp_bench.h"

/* A Leadpoet-like event batch: objects with ids, floats, nested reasons. */
static lpc_buf make_doc(size_t events)
{
    lpc_buf b = {0};
    lpc_buf_append(&b, "[", 1);
    for (size_t i = 0; i < events; i++) {
        char item[512];
        int n = snprintf(item, sizeof item,
                         "%s{\"event_type\":\"VALIDATION_RESULT\",\"actor_hotkey\":\"5F%040zu\","
                         "\"nonce\":\"%08zx-aaaa-bbbb\",\"ts\":\"2025-11-20T10:%02zu:00+00:00\","
                         "\"payload\":{\"lead_id\":\"lead-%zu\",\"rep_score\":%zu,\"v_trust\":0.%06zu,"
                         "\"stake\":%zu.%03zu,\"reason\":{\"message\":\"caf\\u00e9 %zu\"}},\"sequence\":%zu}",
                         i ? "," : "", i, i, i % 60, i, i % 49, (i * 7919) % 1000000, i * 31, i % 1000, i, i);
        lpc_buf_append(&b, item, (size_t)n);
    }
    lpc_buf_append(&b, "]", 1);
    return b;
}

/* An array of n doubles spelled with 17 significant digits, as a float-heavy payload
 * (weights, scores): every one takes the parser's slow path and the repr search. */
static lpc_buf make_floats(size_t n)
{
    lpc_buf b = {0};
    uint64_t x = 88172645463325252ULL;  /* xorshift64 */
    lpc_buf_append(&b, "[", 1);
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        char item[48];
        /* digits d.dddddddddddddddd and an exponent in -30..30, spelt without printf's %e */
        int k = 0;
        if (i) item[k++] = ',';
        uint64_t m = x % 100000000000000000ULL;
        item[k++] = (char)('1' + (int)(x >> 60) % 9);
        item[k++] = '.';
        for (uint64_t w = 10000000000000000ULL; w; w /= 10) item[k++] = (char)('0' + (int)(m / w % 10));
        k += snprintf(item + k, sizeof item - (size_t)k, "e%d", (int)((x >> 40) % 61) - 30);
        lpc_buf_append(&b, item, (size_t)k);
    }
    lpc_buf_append(&b, "]", 1);
    return b;
}

/* Best of three runs of rounds x (parse, dump CS-A) over text: seconds per round of each. */
static void time_parse_dump(const lpc_buf *text, int rounds, double *t_parse, double *t_dump)
{
    *t_parse = *t_dump = 1e30;
    for (int k = 0; k < 3; k++) {
        lpc_value *v = NULL;
        lpc_buf out = {0};
        double t = lp_bench_now();
        for (int r = 0; r < rounds; r++) {
            lpc_free(v);
            v = NULL;
            if (lpc_parse(text->ptr, text->len, &v, NULL) != LPC_OK) exit(1);
        }
        double tp = (lp_bench_now() - t) / rounds;
        t = lp_bench_now();
        for (int r = 0; r < rounds; r++) {
            out.len = 0;
            if (lpc_dump(v, LPC_PROFILE_CS_A, &out) != LPC_OK) exit(1);
        }
        double td = (lp_bench_now() - t) / rounds;
        if (tp < *t_parse) *t_parse = tp;
        if (td < *t_dump) *t_dump = td;
        lpc_free(v);
        lpc_buf_free(&out);
    }
}

int main(void)
{
    lpc_buf doc = make_doc(20000);
    const int rounds = 20;
    double mb = (double)doc.len * rounds / 1e6;
    uint8_t *copy = malloc(doc.len);
    uint8_t d[32];

    double t = lp_bench_now();
    for (int r = 0; r < rounds; r++) {
        memcpy(copy, doc.ptr, doc.len);
        __asm__ volatile("" ::"r"(copy) : "memory");
    }
    double t_memcpy = lp_bench_now() - t;

    t = lp_bench_now();
    for (int r = 0; r < rounds; r++) lpc_sha256(doc.ptr, doc.len, d);
    double t_sha = lp_bench_now() - t;

    t = lp_bench_now();
    lpc_value *v = NULL;
    for (int r = 0; r < rounds; r++) {
        lpc_free(v);
        v = NULL;
        if (lpc_parse(doc.ptr, doc.len, &v, NULL) != LPC_OK) return 1;
    }
    double t_parse = lp_bench_now() - t;

    lpc_buf out = {0};
    t = lp_bench_now();
    for (int r = 0; r < rounds; r++) {
        out.len = 0;
        if (lpc_dump(v, LPC_PROFILE_CS_A, &out) != LPC_OK) return 1;
    }
    double t_dump = lp_bench_now() - t;

    t = lp_bench_now();
    for (int r = 0; r < rounds; r++) {
        out.len = 0;
        lpc_dump(v, LPC_PROFILE_CS_A, &out);
        lpc_sha256(out.ptr, out.len, d);
    }
    double t_hash = lp_bench_now() - t;

    lpc_csa_scratch scratch = {0};
    double t_csa = 1e30;
    for (int k = 0; k < 3; k++) {
        t = lp_bench_now();
        for (int r = 0; r < rounds; r++) {
            out.len = 0;
            if (lpc_csa_from_text(doc.ptr, doc.len, &scratch, NULL, NULL, &out) != LPC_OK) return 1;
        }
        if (lp_bench_now() - t < t_csa) t_csa = lp_bench_now() - t;
    }
    lpc_csa_scratch_free(&scratch);

    lpc_buf floats = make_floats(200000);
    double f_parse, f_dump;
    time_parse_dump(&floats, 5, &f_parse, &f_dump);
    double fmb = (double)floats.len / 1e6;

    printf("bench_canonical: %zu-byte event batch x %d rounds\n", doc.len, rounds);
    printf("  limit  memcpy                 %9.1f MB/s\n", mb / t_memcpy);
    printf("  limit  raw SHA-256            %9.1f MB/s\n", mb / t_sha);
    printf("  parse  (Python model)         %9.1f MB/s\n", mb / t_parse);
    printf("  dump   compact-sorted-ascii   %9.1f MB/s\n", mb / t_dump);
    printf("  dump+SHA-256 (leaf hashing)   %9.1f MB/s  (%.0f%% of raw SHA-256)\n", mb / t_hash,
           100.0 * t_sha / t_hash);
    printf("  CS-A straight from text       %9.1f MB/s\n", mb / t_csa);
    printf("  %zu-byte array of 200000 17-digit floats\n", floats.len);
    printf("  parse  floats                 %9.1f MB/s  (%.0f ns/float)\n", fmb / f_parse, f_parse / 200000 * 1e9);
    printf("  dump   floats (repr)          %9.1f MB/s  (%.0f ns/float)\n", fmb / f_dump, f_dump / 200000 * 1e9);
    lpc_buf_free(&floats);
    lpc_free(v);
    lpc_buf_free(&out);
    lpc_buf_free(&doc);
    free(copy);
    return 0;
}
