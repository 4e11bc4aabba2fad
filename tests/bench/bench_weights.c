/* Throughput of bundle_weights_hash for a 256-uid bundle (preimage build +
 * SHA-256 + hex), beside raw SHA-256 over the same preimage bytes in the same
 * run (the physical floor for this work). */
#include <stdio.h>
#include <stdlib.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_weights.h"
#include "tests/bench/lp_bench.h"

#define NUIDS 256

int main(void)
{
    lpc_weight_pair w[NUIDS];
    uint32_t x = 2463534242u;                 /* xorshift: fixed pseudo-random weights */
    for (int i = 0; i < NUIDS; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        w[i].uid = i;
        w[i].weight = 1 + (int64_t)(x % 65535);
    }
    lpc_hash_ctx *ctx = lpc_hash_ctx_new(LPC_SHA256);
    if (!ctx) return 1;
    lpc_buf pre = {0};
    char hex[LPC_SHA256_HEX_LEN + 1];
    if (lpc_bundle_weights_hash(71, 24256, 8732400, w, NUIDS, ctx, &pre, hex) != LPC_OK) return 1;
    size_t bytes = pre.len;

    const double budget = 1.0;                /* seconds per measurement */
    unsigned long n = 0;
    double t0 = lp_bench_now(), t;
    do {
        for (int k = 0; k < 256; k++, n++)
            if (lpc_bundle_weights_hash(71, 24256, 8732400, w, NUIDS, ctx, &pre, hex) != LPC_OK)
                return 1;
        t = lp_bench_now() - t0;
    } while (t < budget);
    double rate_bundle = (double)n / t;

    uint8_t digest[LPC_SHA256_LEN];
    unsigned long m = 0;
    t0 = lp_bench_now();
    do {
        for (int k = 0; k < 256; k++, m++) {
            if (lpc_hash_init(ctx) != LPC_OK || lpc_hash_update(ctx, pre.ptr, pre.len) != LPC_OK ||
                lpc_hash_final(ctx, digest) != LPC_OK)
                return 1;
        }
        t = lp_bench_now() - t0;
    } while (t < budget);
    double rate_sha = (double)m / t;

    /* Unsorted input: the copy and stable sort are paid on every call. */
    for (int i = 0; i < NUIDS / 2; i++) {
        lpc_weight_pair tmp = w[i]; w[i] = w[NUIDS - 1 - i]; w[NUIDS - 1 - i] = tmp;
    }
    unsigned long u = 0;
    t0 = lp_bench_now();
    do {
        for (int k = 0; k < 256; k++, u++)
            if (lpc_bundle_weights_hash(71, 24256, 8732400, w, NUIDS, ctx, &pre, hex) != LPC_OK)
                return 1;
        t = lp_bench_now() - t0;
    } while (t < budget);
    double rate_unsorted = (double)u / t;

    printf("bench_weights: 256-uid bundle, preimage %zu bytes\n", bytes);
    printf("  bundle_weights_hash (sorted input)   %10.0f hashes/s  %7.1f MB/s\n",
           rate_bundle, rate_bundle * (double)bytes / 1e6);
    printf("  bundle_weights_hash (reversed input) %10.0f hashes/s  %7.1f MB/s\n",
           rate_unsorted, rate_unsorted * (double)bytes / 1e6);
    printf("  raw SHA-256 of the same preimage     %10.0f hashes/s  %7.1f MB/s\n",
           rate_sha, rate_sha * (double)bytes / 1e6);
    printf("  bundle hash at %.0f%% of the raw SHA-256 rate\n", 100.0 * rate_bundle / rate_sha);
    lpc_buf_free(&pre);
    lpc_hash_ctx_free(ctx);
    return 0;
}
