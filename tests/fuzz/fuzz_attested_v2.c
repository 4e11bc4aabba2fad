/* libFuzzer target: the attested_v2 primitives (leadpoet-weights-v2.md §3, §7) on
 * hostile JSON.  Byte 0 selects the function, the rest is its JSON argument:
 *   0 merkle_root(v[0], domain=v[1])      1 validate_signed_execution_receipt(v)
 *   2 validate_boot_identity(v)           3 validate_transport_attempt(v)
 *   4 validate_receipt_graph(v)           5 validate_receipt_graph(v, required_purposes=v.rp)
 *   6 build_boot_attestation_user_data(v)
 * Invariants: every refusal has a code of a failing exit class and a message; a root is
 * "sha256:" + 64 hex; an accepted graph's post-order ends with its root receipt. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "canonical/lpc_attested_v2.h"
#include "canonical/lpc_json.h"
#include "tests/fuzz/fuzz_referr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    lpc_value *v = NULL;
    if (lpc_parse(data + 1, size - 1, &v, NULL) != LPC_OK) return 0;
    lpc_referr e;
    lpc_referr_clear(&e);
    lpc_value *out = NULL;
    char h[LPC_AV2_REF_SIZE];
    lp_code c;
    switch (data[0] % 7) {
    case 0: {
        const lpc_value *items = lpc_at(v, 0), *dom = lpc_at(v, 1);
        if (!items || !dom) {
            lpc_free(v);
            return 0;
        }
        c = lpc_av2_merkle_root(items, dom, h, &e);
        if (c == LP_CODE_OK && (strlen(h) != 71 || memcmp(h, "sha256:", 7))) __builtin_trap();
        break;
    }
    case 1: c = lpc_av2_validate_signed_execution_receipt(v, 1, &e); break;
    case 2: c = lpc_av2_validate_boot_identity(v, &e); break;
    case 3: c = lpc_av2_validate_transport_attempt(v, &e); break;
    case 6: c = lpc_av2_build_boot_attestation_user_data(v, &out, &e); break;
    default: {
        lpc_av2_graph_opts o = lpc_av2_graph_opts_default();
        if (data[0] % 7 == 5) o.required_purposes = lpc_get(v, "rp");
        c = lpc_av2_validate_receipt_graph(v, &o, &out, &e);
        if (c == LP_CODE_OK) {
            const lpc_value *root = lpc_get(v, "root_receipt_hash");
            if (!out || out->type != LPC_ARRAY || !out->u.a.n || !root) __builtin_trap();
        }
        break;
    }
    }
    if (c != LP_CODE_OK) fuzz_check_refusal(c, &e);
    lpc_free(out);
    lpc_free(v);
    return 0;
}
