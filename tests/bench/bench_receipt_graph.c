/* validate_receipt_graph on the receipt graph of the vectors' published_production_256
 * bundle (20 execution receipts, their boots and transport attempts, the 17 purposes
 * validate_published_weight_bundle_v2 requires), time per call beside the same run's
 * cost of parsing that graph's JSON text, of SHA-256 over its bytes, and of the 20
 * Ed25519 verifications it must make (the floors).  Aim (issue): a call costs at most
 * 3x its own parse.  Usage: bench_receipt_graph [weights_v2.json] (from the repo root). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_attested_v2.h"
#include "canonical/lpc_codec.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_sodium.h"
#include "tests/bench/lp_bench.h"

static const char k_required[] =
    "[\"research_lab.allocation.v2\",\"research_lab.champion_input.v2\",\"research_lab.reimbursement_input.v2\","
    "\"research_lab.source_add_reward_input.v2\",\"research_lab.fulfillment_input.v2\","
    "\"research_lab.leaderboard_input.v2\",\"research_lab.ban_input.v2\",\"research_lab.sourcing_input.v2\","
    "\"research_lab.anomaly_adjustment_input.v2\",\"validator.chain_state.v2\",\"validator.metagraph_state.v2\","
    "\"validator.burn_ownership.v2\",\"validator.feature_flags.v2\",\"validator.constants.v2\","
    "\"validator.weight_snapshot.v2\",\"validator.weights.computed.v2\",\"validator.hotkey_signature.v2\"]";

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "vectors/leadpoet-v2/weights_v2.json";
    size_t len;
    uint8_t *all = lp_bench_read(path, &len);
    lpc_value *vec = NULL, *req = NULL;
    if (!all || lpc_parse(all, len, &vec, NULL) != LPC_OK ||
        lpc_parse((const uint8_t *)k_required, sizeof k_required - 1, &req, NULL) != LPC_OK) {
        fprintf(stderr, "bench_receipt_graph: cannot read %s\n", path);
        return 1;
    }
    free(all);
    const lpc_value *valid = lpc_get(lpc_get(vec, "published_weight_bundles_v2"), "valid"), *g0 = NULL;
    for (size_t i = 0; valid && i < valid->u.a.n && !g0; i++)
        if (lpc_str_eq(lpc_get(valid->u.a.items[i], "name"), "published_production_256"))
            g0 = lpc_get(lpc_get(valid->u.a.items[i], "bundle"), "receipt_graph");
    lpc_buf text = {0};
    if (!g0 || lpc_dump(g0, LPC_PROFILE_CS_U, &text) != LPC_OK) return 1;
    lpc_value *g = NULL, *order = NULL;
    if (lpc_parse(text.ptr, text.len, &g, NULL) != LPC_OK) return 1;
    lpc_av2_graph_opts o = lpc_av2_graph_opts_default();
    o.required_purposes = req;
    lpc_referr e;
    if (lpc_av2_validate_receipt_graph(g, &o, &order, &e) != LP_CODE_OK) {
        fprintf(stderr, "bench_receipt_graph: %s\n", e.message);
        return 1;
    }
    size_t nrec = lpc_get(g, "receipts")->u.a.n;
    lpc_free(order);
    /* the receipts' own signatures, for the Ed25519 floor */
    const lpc_value *rs = lpc_get(g, "receipts");
    uint8_t (*pk)[32] = malloc(nrec * 32), (*sig)[64] = malloc(nrec * 64), (*dg)[32] = malloc(nrec * 32);
    if (!pk || !sig || !dg) return 1;
    for (size_t i = 0; i < nrec; i++) {
        const lpc_value *r = rs->u.a.items[i];
        size_t n;
        const lpc_value *k = lpc_get(r, "enclave_pubkey"), *s = lpc_get(r, "enclave_signature"), *h = lpc_get(r, "receipt_hash");
        if (lpc_hex_decode(k->u.s.ptr, k->u.s.len, pk[i], 32, &n) || lpc_hex_decode(s->u.s.ptr, s->u.s.len, sig[i], 64, &n) ||
            lpc_hex_decode(h->u.s.ptr + 7, 64, dg[i], 32, &n))
            return 1;
    }
    const double budget = 1.0;
    double t0, t;
    unsigned long n;
    uint8_t d[LPC_SHA256_LEN];
    n = 0;
    t0 = lp_bench_now();
    do {
        for (int i = 0; i < 50; i++, n++) lpc_sha256(text.ptr, text.len, d);
        t = lp_bench_now();
    } while (t - t0 < budget);
    double sha_us = (t - t0) / (double)n * 1e6;
    n = 0;
    t0 = lp_bench_now();
    do {
        for (int i = 0; i < 10; i++, n++) {
            lpc_value *v = NULL;
            if (lpc_parse(text.ptr, text.len, &v, NULL) != LPC_OK) return 1;
            lpc_free(v);
        }
        t = lp_bench_now();
    } while (t - t0 < budget);
    double parse_us = (t - t0) / (double)n * 1e6;
    n = 0;
    t0 = lp_bench_now();
    do {
        for (int i = 0; i < 5; i++, n++)
            for (size_t k = 0; k < nrec; k++)
                if (!lpc_ed25519_verify(sig[k], dg[k], 32, pk[k])) return 1;
        t = lp_bench_now();
    } while (t - t0 < budget);
    double ed_us = (t - t0) / (double)n * 1e6;
    n = 0;
    t0 = lp_bench_now();
    do {
        for (int i = 0; i < 5; i++, n++) {
            if (lpc_av2_validate_receipt_graph(g, &o, &order, &e) != LP_CODE_OK) return 1;
            lpc_free(order);
        }
        t = lp_bench_now();
    } while (t - t0 < budget);
    double graph_us = (t - t0) / (double)n * 1e6;
    printf("bench_receipt_graph: graph %zu bytes, %zu receipts\n", text.len, nrec);
    printf("  sha256 of the graph bytes        %9.1f us/call  (%.0f MB/s)\n", sha_us, (double)text.len / sha_us);
    printf("  parse of the graph               %9.1f us/call  (%.0f MB/s)\n", parse_us, (double)text.len / parse_us);
    printf("  %zu Ed25519 verifications         %9.1f us\n", nrec, ed_us);
    printf("  validate_receipt_graph           %9.1f us/call  = %.2fx parse, %.2fx its Ed25519 floor (aim: <= 3x parse)\n",
           graph_us, graph_us / parse_us, graph_us / ed_us);
    free(pk);
    free(sig);
    free(dg);
    lpc_free(g);
    lpc_free(req);
    lpc_free(vec);
    lpc_buf_free(&text);
    return 0;
}
