/* libFuzzer target: the proof-file checker (--verify-proof) through the library's
 * procedure (lpm_proof_file_verify), pinned and unpinned.
 * Invariants: no crash/leak/UB; unpinned is never OK (the file's own key is never
 * trusted); "proof_file" passes only when the leaf preimage hashes to the leaf, the
 * path folds to the root with positions fixed by (index, event_count), and the
 * header carries that root and count (re-checked here independently); a pinned OK
 * implies the --no-key run is OK. */
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "merkle/lpm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lp_code run(const uint8_t *data, size_t size, const uint8_t *pin, unsigned flags, int recheck)
{
    lpm_proof_file pf;
    lp_checks c;
    lp_checks_init(&c);
    lp_code v = lpm_proof_file_verify(data, size, pin, flags, &pf, &c, NULL);
    if (v != lp_checks_verdict(&c) || c.n == 0 || strcmp(c.items[0].name, "proof_file") != 0) abort();
    if (recheck && c.items[0].ok) {
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
    lp_checks_free(&c);
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t key[32] = {
        0x76, 0x0f, 0x59, 0x64, 0x5a, 0x44, 0x42, 0x76, 0xa2, 0x85, 0xe3, 0x00, 0xf9, 0x2a, 0xaa, 0x81,
        0x78, 0x65, 0xa7, 0xf1, 0xfb, 0xf9, 0x5a, 0x3c, 0xf4, 0xd6, 0x15, 0xb3, 0x70, 0xcc, 0xcc, 0x54};
    if (run(data, size, NULL, 0, 1) == LP_CODE_OK) abort();
    lp_code open = run(data, size, NULL, LPM_ALLOW_NO_KEY, 0);
    if (run(data, size, key, 0, 0) == LP_CODE_OK && open != LP_CODE_OK) abort();
    return 0;
}
