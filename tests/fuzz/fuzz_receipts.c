/* libFuzzer target: the shadow-era receipt functions (leadpoet-weights-v2.md §4) on
 * hostile JSON.  Byte 0 selects the function, the rest is its JSON argument:
 *   0 validate_receipt_body(v)          1 receipt_hash(v)
 *   2 validate_signed_receipt(v)        3 verify_receipt_lineage(v[0], v[1])
 *   4 artifact_merkle_root(v)           5 validate_weight_bundle_v2(v, require=False)
 *   6 validate_weight_bundle_v2(v, require=True)
 * Invariants: every refusal has a code of a failing exit class and a message; an
 * accepted body hashes; a lineage ends with the receipt's own hash; an accepted
 * bundle's weights hash is the recomputed one. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "canonical/lpc_json.h"
#include "canonical/lpc_receipt_v1.h"
#include "canonical/lpc_weight_bundle_v2.h"
#include "tests/fuzz/fuzz_referr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    lpc_value *v = NULL;
    if (lpc_parse(data + 1, size - 1, &v, NULL) != LPC_OK) return 0;
    lpc_referr e;
    lpc_referr_clear(&e);
    lpc_value *out = NULL;
    char h[72];
    lp_code c;
    switch (data[0] % 7) {
    case 0:
        c = lpc_receipt_v1_validate_body(v, &e);
        if (c == LP_CODE_OK && lpc_receipt_v1_hash(v, h, &e) != LP_CODE_OK) __builtin_trap();
        break;
    case 1:
        c = lpc_receipt_v1_hash(v, h, &e);
        if (c == LP_CODE_OK && (strlen(h) != 71 || memcmp(h, "sha256:", 7))) __builtin_trap();
        break;
    case 2: c = lpc_receipt_v1_validate_signed(v, 1, &e); break;
    case 3: {
        const lpc_value *r = lpc_at(v, 0), *p = lpc_at(v, 1);
        if (!r || !p) {
            lpc_free(v);
            return 0;
        }
        c = lpc_receipt_v1_verify_lineage(r, p, &out, &e);
        if (c == LP_CODE_OK) {
            const lpc_value *last = out && out->u.a.n ? out->u.a.items[out->u.a.n - 1] : NULL;
            const lpc_value *rh = lpc_get(r, "receipt_hash");
            if (!last || !rh || last->type != LPC_STR || rh->type != LPC_STR || last->u.s.len != rh->u.s.len ||
                memcmp(last->u.s.ptr, rh->u.s.ptr, rh->u.s.len) != 0)
                __builtin_trap();
        }
        break;
    }
    case 4: c = lpc_receipt_v1_artifact_merkle_root(v, h, &e); break;
    default:
        c = lpc_weight_bundle_v2_validate(v, data[0] % 7 == 6, &out, &e);
        if (c == LP_CODE_OK && !lpc_get(out, "weights_hash")) __builtin_trap();
        break;
    }
    if (c != LP_CODE_OK) fuzz_check_refusal(c, &e);
    lpc_free(out);
    lpc_free(v);
    return 0;
}
