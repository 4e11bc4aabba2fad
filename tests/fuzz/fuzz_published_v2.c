/* libFuzzer target: the weight_authority_v2 port (leadpoet-weights-v2.md §6, §8.1) on
 * hostile JSON.  Byte 0 selects the function, the rest is its JSON argument v:
 *   0 validate_published_weight_bundle_v2(v)
 *   1 the same with a boot verifier that rejects the second boot it sees and
 *     require_boot_attestation_verification set
 *   2 validate_weight_snapshot_v2(v)
 *   3 weight_input_value_documents_v2(v.calculation_snapshot,
 *     v.finalized_chain_state_root, v.gateway_authority_event_hash)
 *   4 build_weight_snapshot_v2(**v)
 *   5 validate_weight_input_source_evidence_v2(v.category, v.receipt, v.document,
 *     v.transport_attempts)
 *   6 binding documents (v[0] message, v[1] hotkey, v[2] boot hash, v[3] signature)
 * Invariants: every refusal has a code of a failing exit class and a message, and a
 * bundle refusal names its step; an accepted bundle's bundle_hash is sha256_json(v),
 * its snapshot validates again to its weight_result (Python ==), and its verifier saw
 * every boot; accepted documents are the 14 categories. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "canonical/lpc_json.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_v2_common.h"
#include "canonical/lpc_weight_authority_v2.h"
#include "tests/fuzz/fuzz_referr.h"

typedef struct {
    int calls;
} vstate;

static lp_code reject_second(void *ctx, const lpc_value *boot, lpc_referr *err)
{
    vstate *s = ctx;
    if (!boot) __builtin_trap();
    if (++s->calls == 2) return lpc_referr_set(err, LP_CODE_ATTESTED_V2_ERROR, "AttestedV2Error", "fuzz verifier rejects");
    return LP_CODE_OK;
}

static void accepted_bundle(const lpc_value *v, const lpc_value *out)
{
    char h[72];
    lpc_referr e;
    const lpc_value *bh = lpc_get(out, "bundle_hash");
    if (lpc_v2_sha256_json(v, h, &e) != LP_CODE_OK || !bh || !lpc_str_eq(bh, h)) __builtin_trap();
    lpc_value *again = NULL;
    if (lpc_wav2_validate_weight_snapshot(lpc_get(v, "weight_snapshot"), &again, &e) != LP_CODE_OK) __builtin_trap();
    if (!lpc_py_eq(again, lpc_get(v, "weight_result"))) __builtin_trap();
    lpc_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    lpc_value *v = NULL;
    if (lpc_parse(data + 1, size - 1, &v, NULL) != LPC_OK) return 0;
    lpc_referr e;
    lpc_referr_clear(&e);
    lpc_value *out = NULL, *out2 = NULL;
    const char *step = NULL;
    lp_code c;
    switch (data[0] % 7) {
    case 0:
    case 1: {
        vstate s = {0};
        lpc_wav2_opts o = {reject_second, &s, 1};
        c = lpc_wav2_validate_published_bundle(v, data[0] % 7 ? &o : NULL, &out, &step, &e);
        if (c == LP_CODE_OK) {
            if (step) __builtin_trap();
            accepted_bundle(v, out);
            /* an accepted graph had one boot at most under the rejecting verifier */
            if (data[0] % 7 && s.calls > 1) __builtin_trap();
        } else if (!step || out) {
            __builtin_trap();
        }
        break;
    }
    case 2: c = lpc_wav2_validate_weight_snapshot(v, &out, &e); break;
    case 3:
        c = lpc_wav2_input_value_documents(lpc_get(v, "calculation_snapshot"), lpc_get(v, "finalized_chain_state_root"),
                                           lpc_get(v, "gateway_authority_event_hash"), &out, &e);
        if (c == LP_CODE_OK && (out->type != LPC_OBJECT || out->u.o.n != LPC_WAV2_NCATEGORIES)) __builtin_trap();
        break;
    case 4: c = lpc_wav2_build_weight_snapshot(v, &out, &e); break;
    case 5: {
        const lpc_value *cat = lpc_get(v, "category");
        const char *cs = cat && cat->type == LPC_STR && strlen(cat->u.s.ptr) == cat->u.s.len ? cat->u.s.ptr : NULL;
        c = lpc_wav2_validate_input_source_evidence(cs, lpc_get(v, "receipt"), lpc_get(v, "document"),
                                                    lpc_get(v, "transport_attempts"), &e);
        break;
    }
    default:
        c = lpc_wav2_binding_documents(lpc_at(v, 0), lpc_at(v, 1), lpc_at(v, 2), lpc_at(v, 3), &out, &out2, &e);
        if (c == LP_CODE_OK && (!lpc_get(out, "request_hash") || !lpc_get(out2, "request_hash"))) __builtin_trap();
        break;
    }
    if (c != LP_CODE_OK) fuzz_check_refusal(c, &e);
    lpc_free(out);
    lpc_free(out2);
    lpc_free(v);
    return 0;
}
