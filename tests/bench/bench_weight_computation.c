/* compute_final_weights on the production-shaped snapshot of the vectors
 * (prod_256_lab_leaderboard_fulfillment: 256 uids, lab allocation, leaderboard,
 * fulfillment, sourcing), time per call beside the same run's cost of parsing that
 * snapshot's JSON text and of SHA-256 over its bytes (the floor: a verifier must at
 * least read and hash its input).  Aim (issue): a call costs at most 3x its own parse.
 * Usage: bench_weight_computation [weights_v2.json] (run from the repo root). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_weight_computation.h"
#include "tests/bench/lp_bench.h"

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "vectors/leadpoet-v2/weights_v2.json";
    size_t len;
    uint8_t *all = lp_bench_read(path, &len);
    lpc_value *vec = NULL;
    if (!all || lpc_parse(all, len, &vec, NULL) != LPC_OK) {
        fprintf(stderr, "bench_weight_computation: cannot read %s\n", path);
        return 1;
    }
    free(all);
    const lpc_value *snap0 = lpc_get(lpc_at(lpc_get(vec, "weight_computation"), 0), "snapshot");
    lpc_buf text = {0};
    if (!snap0 || lpc_dump(snap0, LPC_PROFILE_CS_U, &text) != LPC_OK) return 1;
    lpc_value *snap = NULL;
    if (lpc_parse(text.ptr, text.len, &snap, NULL) != LPC_OK) return 1;
    lpc_value *res = NULL;
    lpc_referr e;
    if (lpc_compute_final_weights(snap, NULL, &res, &e) != LP_CODE_OK) {
        fprintf(stderr, "bench_weight_computation: %s\n", e.message);
        return 1;
    }
    size_t nuids = lpc_get(res, "uids")->u.a.n;
    lpc_free(res);

    const double budget = 1.0;
    double t0, t;
    unsigned long n;
    /* SHA-256 over the snapshot's bytes */
    uint8_t d[LPC_SHA256_LEN];
    n = 0;
    t0 = lp_bench_now();
    do {
        for (int i = 0; i < 100; i++, n++) lpc_sha256(text.ptr, text.len, d);
        t = lp_bench_now();
    } while (t - t0 < budget);
    double sha_us = (t - t0) / (double)n * 1e6;
    /* parse */
    n = 0;
    t0 = lp_bench_now();
    do {
        for (int i = 0; i < 20; i++, n++) {
            lpc_value *v = NULL;
            if (lpc_parse(text.ptr, text.len, &v, NULL) != LPC_OK) return 1;
            lpc_free(v);
        }
        t = lp_bench_now();
    } while (t - t0 < budget);
    double parse_us = (t - t0) / (double)n * 1e6;
    /* compute_final_weights on the parsed tree (result built and freed) */
    n = 0;
    t0 = lp_bench_now();
    do {
        for (int i = 0; i < 20; i++, n++) {
            if (lpc_compute_final_weights(snap, NULL, &res, &e) != LP_CODE_OK) return 1;
            lpc_free(res);
        }
        t = lp_bench_now();
    } while (t - t0 < budget);
    double comp_us = (t - t0) / (double)n * 1e6;
    /* of which: sha256_json of the snapshot (CS-U serialisation + SHA-256), which the
     * result commits as snapshot_hash */
    char h[LPC_SHA256_REF_SIZE];
    n = 0;
    t0 = lp_bench_now();
    do {
        for (int i = 0; i < 20; i++, n++)
            if (lpc_wcomp_sha256_json(snap, h, &e) != LP_CODE_OK) return 1;
        t = lp_bench_now();
    } while (t - t0 < budget);
    double sj_us = (t - t0) / (double)n * 1e6;
    printf("bench_weight_computation: snapshot %zu bytes, %zu uids\n", text.len, nuids);
    printf("  sha256 of the snapshot bytes     %9.1f us/call  (%.0f MB/s)\n", sha_us, (double)text.len / sha_us);
    printf("  parse of the snapshot            %9.1f us/call  (%.0f MB/s)\n", parse_us, (double)text.len / parse_us);
    printf("  compute_final_weights            %9.1f us/call  = %.2fx parse, %.1fx sha256 (aim: <= 3x parse)\n",
           comp_us, comp_us / parse_us, comp_us / sha_us);
    printf("    of which sha256_json(snapshot) %9.1f us/call\n", sj_us);
    lpc_free(snap);
    lpc_free(vec);
    lpc_buf_free(&text);
    return 0;
}
