/* libFuzzer target: the compact weight submission and the WEIGHT_SUBMISSION_V2 payload
 * checks (leadpoet-weights-v2.md §8.4, §9) on hostile JSON.  Byte 0 selects, the rest is
 * one JSON value v:
 *   0 compact_weight_bundle_hash_v2(v)
 *   1 lpc_cwv2_verify_local(v, manifest=v.manifest if v is an object with it, else NULL)
 *   2 build_weight_ancestry_commitment_v2(v.l, v.i, v.p, v.a) and the frontier of v.p
 *   3 derive_ancestry_lineage_id_v2(v[0], v[1], v[2]) and the lineage of manifest v
 *   4 lpc_wev2_check_payload(v.p, v.t, v.m, 150)
 * Invariants: every refusal has a code of a failing exit class and a message; a hash is
 * "sha256:" + 64 lowercase hex; an accepted verify_local's bundle_hash is the bundle
 * hash of the same submission; a payload verdict is the verdict of the checks. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "canonical/lp_check.h"
#include "canonical/lpc_codec.h"
#include "canonical/lpc_compact_weight_v2.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_weight_event_v2.h"
#include "tests/fuzz/fuzz_referr.h"

static void check_ref(const char *h)
{
    if (strlen(h) != 71 || memcmp(h, "sha256:", 7) || !lpc_is_lower_hex(h + 7, 64)) __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    lpc_value *v = NULL;
    if (lpc_parse(data + 1, size - 1, &v, NULL) != LPC_OK) return 0;
    lpc_referr e;
    lpc_referr_clear(&e);
    char h[LPC_CWV2_REF_SIZE], h2[LPC_CWV2_REF_SIZE];
    lpc_value *out = NULL;
    lp_code c = LP_CODE_OK;
    switch (data[0] % 5) {
    case 0:
        c = lpc_cwv2_bundle_hash(v, h, &out, &e);
        if (c == LP_CODE_OK) check_ref(h);
        break;
    case 1: {
        const lpc_value *m = v->type == LPC_OBJECT ? lpc_get(v, "manifest") : NULL;
        c = lpc_cwv2_verify_local(v, m, &out, &e);
        if (c == LP_CODE_OK) {
            const lpc_value *bh = lpc_get(out, "bundle_hash");
            lpc_referr e2;
            if (!bh || lpc_cwv2_bundle_hash(v, h2, NULL, &e2) != LP_CODE_OK || !lpc_str_eq(bh, h2)) __builtin_trap();
        }
        break;
    }
    case 2: {
        lpc_value *fr = NULL;
        c = lpc_cwv2_ancestry_commitment(lpc_get(v, "l"), lpc_get(v, "i"), lpc_get(v, "p"), lpc_get(v, "a"), h, &out, &e);
        if (c == LP_CODE_OK) check_ref(h);
        else fuzz_check_refusal(c, &e);
        lpc_referr_clear(&e);
        c = lpc_cwv2_gateway_frontier(lpc_get(v, "p"), &fr, &e);
        if (c == LP_CODE_OK && (!fr || fr->type != LPC_ARRAY || !fr->u.a.n)) __builtin_trap();
        lpc_free(fr);
        break;
    }
    case 3: {
        lpc_buf pre = {0};
        if (lpc_at(v, 0) && lpc_at(v, 1) && lpc_at(v, 2)) {
            c = lpc_cwv2_lineage_id(lpc_at(v, 0), lpc_at(v, 1), lpc_at(v, 2), h, &pre, &e);
            if (c == LP_CODE_OK) check_ref(h);
            else fuzz_check_refusal(c, &e);
            lpc_referr_clear(&e);
        }
        c = lpc_cwv2_lineage_id_from_manifest(v, h, &pre, &e);
        if (c == LP_CODE_OK) check_ref(h);
        lpc_buf_free(&pre);
        break;
    }
    default: {
        lp_checks cs;
        lp_checks_init(&cs);
        lpc_wev2_era era;
        lp_code verdict = lpc_wev2_check_payload(lpc_get(v, "p"), lpc_get(v, "t"), lpc_get(v, "m"), 150, &cs, &era);
        if (verdict != lp_checks_verdict(&cs) || !cs.n) __builtin_trap();
        if (verdict == LP_CODE_OK && era != LPC_WEV2_ERA_STATEFUL) __builtin_trap();
        lp_checks_free(&cs);
        break;
    }
    }
    if (c != LP_CODE_OK) fuzz_check_refusal(c, &e);
    lpc_free(out);
    lpc_free(v);
    return 0;
}
