/* libFuzzer target: the proof-file parser and checker (--verify-proof).
 * Invariants: no crash/leak; LPM_OK only when the leaf preimage hashes to the
 * leaf, the path folds to the root with positions fixed by (index,
 * event_count), and the header carries that root and count (re-checked here
 * independently of lpm_proof_check). */
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "merkle/lp_merkle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lpm_proof_file pf;
    lpm_err e = lpm_proof_check(data, size, NULL, &pf);
    if (e == LPM_OK) {
        const lpc_value *pre = lpc_get(pf.doc, "leaf_preimage"), *pr = lpc_get(pf.doc, "proof");
        uint8_t h[32];
        if (lpc_sha256(pre->u.s.ptr, pre->u.s.len, h) != LPC_OK || memcmp(h, pf.leaf, 32)) abort();
        lpm_step st[LPM_MAX_DEPTH];
        size_t ns = pr->u.a.n;
        for (size_t i = 0; i < ns; i++) {
            const lpc_value *s = pr->u.a.items[i];
            if (!lpm_hex32(lpc_get(s, "sibling"), st[i].sibling)) abort();
            st[i].left = lpc_str_eq(lpc_get(s, "position"), "left");
        }
        if (lpm_proof_verify(pf.leaf, st, ns, pf.root) != LPM_OK) abort();
        if (!lpm_proof_shape_ok(pf.index, pf.event_count, st, ns)) abort();
        uint8_t hr[32];
        int64_t hc;
        const lpc_value *hdr = lpc_get(pf.doc, "header");
        if (!lpm_hex32(lpc_get(hdr, "merkle_root"), hr) || memcmp(hr, pf.root, 32)) abort();
        if (!lpc_int_i64(lpc_get(hdr, "event_count"), &hc) || hc != (int64_t)pf.event_count) abort();
    }
    lpm_proof_file_free(&pf);
    return 0;
}
