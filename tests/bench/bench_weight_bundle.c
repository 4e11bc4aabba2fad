/* verify_weight_bundle's procedure (lpau_wbv2_verify) on the production-shaped published
 * bundle of the vectors (published_production_256: 256 uids, 20 receipts, 3 boots), time
 * per call beside the same run's cost of parsing the bundle's JSON and of its Ed25519
 * checks (every receipt's signature and the weights signature: the floor).  The vectors'
 * boot documents and hotkey signature are placeholders, so the call runs with both
 * opt-outs; the cost of one genuine AWS Nitro document (vectors/nitro/real) and of one
 * sr25519 verification (vectors/sr25519, schnorrkel-made) are measured beside it and added
 * for the full default path (three boots, one hotkey).  Aim (issue 17): end to end within
 * 2x of parse plus signatures.  Usage: bench_weight_bundle (from the repo root). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/nitro.h"
#include "audit/weight_bundle_v2_verify.h"
#include "canonical/lpc_codec.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_sodium.h"
#include "canonical/lpc_sr25519.h"
#include "tests/bench/lp_bench.h"

#define BUDGET 1.0

static const lpc_value *named(const lpc_value *arr, const char *name)
{
    for (size_t i = 0; arr && arr->type == LPC_ARRAY && i < arr->u.a.n; i++)
        if (lpc_str_eq(lpc_get(arr->u.a.items[i], "name"), name)) return arr->u.a.items[i];
    return NULL;
}

static int unhex(const lpc_value *v, size_t skip, uint8_t *out, size_t n)
{
    size_t got = 0;
    return v && v->type == LPC_STR && v->u.s.len == skip + 2 * n &&
           lpc_hex_decode(v->u.s.ptr + skip, 2 * n, out, n, &got) == LPC_OK && got == n;
}

int main(void)
{
    size_t len, dlen;
    uint8_t *all = lp_bench_read("vectors/leadpoet-v2/weights_v2.json", &len);
    uint8_t *srv = lp_bench_read("vectors/sr25519/sr25519_vectors.json", &dlen);
    uint8_t *doc = lp_bench_read("vectors/nitro/real/marlin-aws-2024-12-13.cose", &dlen);
    lpc_value *vec = NULL, *sr = NULL;
    size_t srlen = 0;
    if (srv) srlen = strlen((const char *)srv);
    if (!all || !srv || !doc || lpc_parse(all, len, &vec, NULL) != LPC_OK || lpc_parse(srv, srlen, &sr, NULL) != LPC_OK) {
        fprintf(stderr, "bench_weight_bundle: run from the repository root (vectors/ not found)\n");
        return 1;
    }
    free(all);
    free(srv);
    const lpc_value *c0 = named(lpc_get(lpc_get(vec, "published_weight_bundles_v2"), "valid"), "published_production_256");
    lpc_buf text = {0};
    if (!c0 || lpc_dump(lpc_get(c0, "bundle"), LPC_PROFILE_CS_U, &text) != LPC_OK) return 1;
    const lpc_value *b = lpc_get(c0, "bundle"), *rs = lpc_get(lpc_get(b, "receipt_graph"), "receipts");
    size_t nrec = rs->u.a.n, nsig = nrec + 1;
    uint8_t (*pk)[32] = malloc(nsig * 32), (*sig)[64] = malloc(nsig * 64), (*dg)[32] = malloc(nsig * 32);
    if (!pk || !sig || !dg) return 1;
    const lpc_value *computed = NULL;
    for (size_t i = 0; i < nrec; i++) {
        const lpc_value *r = rs->u.a.items[i];
        if (!unhex(lpc_get(r, "enclave_pubkey"), 0, pk[i], 32) || !unhex(lpc_get(r, "enclave_signature"), 0, sig[i], 64) ||
            !unhex(lpc_get(r, "receipt_hash"), 7, dg[i], 32))
            return 1;
        if (lpc_str_eq(lpc_get(r, "purpose"), "validator.weights.computed.v2")) computed = r;
    }
    /* the weights signature: Ed25519 over the 32 bytes of weights_hash by the computing key */
    if (!computed || !unhex(lpc_get(computed, "enclave_pubkey"), 0, pk[nrec], 32) ||
        !unhex(lpc_get(b, "weights_signature"), 0, sig[nrec], 64) ||
        !unhex(lpc_get(lpc_get(b, "weight_result"), "weights_hash"), 0, dg[nrec], 32))
        return 1;
    /* one schnorrkel-made signature */
    const lpc_value *sc = NULL;
    for (size_t i = 0; !sc && i < lpc_get(sr, "cases")->u.a.n; i++)
        if (lpc_str_eq(lpc_get(lpc_get(sr, "cases")->u.a.items[i], "id"), "pub-003")) sc = lpc_get(sr, "cases")->u.a.items[i];
    const lpc_value *ss58 = lpc_get(sc, "ss58_address"), *msg = lpc_get(sc, "message_text"), *shex = lpc_get(sc, "signature_hex");
    if (!ss58 || !msg || !shex || ss58->type != LPC_STR || msg->type != LPC_STR || shex->type != LPC_STR) {
        fprintf(stderr, "bench_weight_bundle: no sr25519 case pub-003\n");
        return 1;
    }
    lpau_wbv2_opts o;
    memset(&o, 0, sizeof o);
    o.no_boot_attestation = o.no_hotkey_signature = 1;
    lp_checks ck;
    lpau_wbv2_result res;
    lp_checks_init(&ck);
    lp_code v = lpau_wbv2_verify(text.ptr, text.len, &o, &res, &ck);
    lpau_wbv2_result_free(&res);
    lp_checks_free(&ck);
    if (v != LP_CODE_OK_STRUCTURAL) {
        fprintf(stderr, "bench_weight_bundle: the bundle does not verify (%s)\n", lp_code_name(v));
        return 1;
    }

    double t0, t;
    unsigned long n = 0;
    t0 = lp_bench_now();
    do {
        for (int i = 0; i < 10; i++, n++) {
            lpc_value *x = NULL;
            if (lpc_parse(text.ptr, text.len, &x, NULL) != LPC_OK) return 1;
            lpc_free(x);
        }
        t = lp_bench_now();
    } while (t - t0 < BUDGET);
    double parse_us = (t - t0) / (double)n * 1e6;
    n = 0;
    t0 = lp_bench_now();
    do {
        for (int i = 0; i < 5; i++, n++)
            for (size_t k = 0; k < nsig; k++)
                if (!lpc_ed25519_verify(sig[k], dg[k], 32, pk[k])) return 1;
        t = lp_bench_now();
    } while (t - t0 < BUDGET);
    double ed_us = (t - t0) / (double)n * 1e6;
    n = 0;
    t0 = lp_bench_now();
    do {
        for (int i = 0; i < 5; i++, n++) {
            lp_checks_init(&ck);
            if (lpau_wbv2_verify(text.ptr, text.len, &o, &res, &ck) != LP_CODE_OK_STRUCTURAL) return 1;
            lpau_wbv2_result_free(&res);
            lp_checks_free(&ck);
        }
        t = lp_bench_now();
    } while (t - t0 < BUDGET);
    double e2e_us = (t - t0) / (double)n * 1e6;
    /* one genuine Nitro document: COSE, chain to the AWS root at its own time, ES384 */
    lpa_opts ao = {LPA_AT_DOC, 0, NULL, 0};
    lpa_result *ar = malloc(sizeof *ar);
    if (!ar) return 1;
    n = 0;
    t0 = lp_bench_now();
    do {
        for (int i = 0; i < 5; i++, n++) {
            lpa_verify(doc, dlen, &ao, ar);
            if (ar->result != LPA_OK) return 1;
        }
        t = lp_bench_now();
    } while (t - t0 < BUDGET);
    double att_us = (t - t0) / (double)n * 1e6;
    n = 0;
    t0 = lp_bench_now();
    do {
        for (int i = 0; i < 5; i++, n++) {
            lp_code c = lpc_hotkey_verify(ss58->u.s.ptr, ss58->u.s.len, (const uint8_t *)msg->u.s.ptr, msg->u.s.len,
                                          shex->u.s.ptr, shex->u.s.len, 0, NULL, NULL);
            if (c != LP_CODE_OK && c != LP_CODE_OK_BYTES_WRAPPED) return 1;
        }
        t = lp_bench_now();
    } while (t - t0 < BUDGET);
    double sr_us = (t - t0) / (double)n * 1e6;
    double floor_us = parse_us + ed_us, full_us = e2e_us + 3 * att_us + sr_us, full_floor = floor_us + 3 * att_us + sr_us;
    printf("bench_weight_bundle: published_production_256, %zu bytes, %zu receipts, 3 boots\n", text.len, nrec);
    printf("  parse of the bundle               %9.1f us/call  (%.0f MB/s)\n", parse_us, (double)text.len / parse_us);
    printf("  %zu Ed25519 verifications          %9.1f us\n", nsig, ed_us);
    printf("  end to end, both opt-outs         %9.1f us/call  = %.2fx (parse + signatures) (aim: <= 2x)\n", e2e_us,
           e2e_us / floor_us);
    printf("  one Nitro document (AWS, real)    %9.1f us\n", att_us);
    printf("  one sr25519 hotkey verification   %9.1f us\n", sr_us);
    printf("  default path (+3 documents, +1 sr25519) %6.1f us  = %.2fx (parse + every signature and document)\n",
           full_us, full_us / full_floor);
    free(ar);
    free(doc);
    free(pk);
    free(sig);
    free(dg);
    lpc_free(sr);
    lpc_free(vec);
    lpc_buf_free(&text);
    return 0;
}
