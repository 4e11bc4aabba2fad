/* libFuzzer target: checkpoint payload parser and every check after it
 * (base64, capped gunzip, events JSON, count, sequence, tree, tree_levels,
 * envelopes, lead search, proof writing and re-checking).
 * Invariants: no crash/leak/unbounded allocation; an accepted payload whose
 * tree was built gives, for each matching leaf, a proof that verifies against
 * the computed root, and a written proof file that lpm_proof_check accepts up
 * to the header binding (root/count/signature), never PROOF_INVALID. */
#include <stdlib.h>
#include <string.h>

#include "merkle/lp_merkle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t key[32] = {
        0x76, 0x0f, 0x59, 0x64, 0x5a, 0x44, 0x42, 0x76, 0xa2, 0x85, 0xe3, 0x00, 0xf9, 0x2a, 0xaa, 0x81,
        0x78, 0x65, 0xa7, 0xf1, 0xfb, 0xf9, 0x5a, 0x3c, 0xf4, 0xd6, 0x15, 0xb3, 0x70, 0xcc, 0xcc, 0x54};
    lpm_checkpoint cp;
    if (lpm_checkpoint_parse(data, size, &cp) != LPM_OK) { lpm_checkpoint_free(&cp); return 0; }
    (void)lpm_checkpoint_verify_signature(&cp, key);
    if (cp.unsigned_empty) { (void)lpm_checkpoint_check_empty(&cp); lpm_checkpoint_free(&cp); return 0; }
    if (lpm_checkpoint_decode_events(&cp) != LPM_OK) { lpm_checkpoint_free(&cp); return 0; }
    size_t bad;
    (void)lpm_checkpoint_check_count(&cp);
    (void)lpm_checkpoint_check_sequence(&cp, &bad);
    if (lpm_checkpoint_build_tree(&cp) == LPM_OK) {
        int present;
        (void)lpm_checkpoint_check_root(&cp);
        (void)lpm_checkpoint_check_tree_levels(&cp, &present);
        if (cp.era == LPM_ERA_D) (void)lpm_checkpoint_check_envelopes(&cp, 1, &bad);
        size_t *idx = NULL, n = 0;
        if (lpm_checkpoint_find_lead(&cp, "x", 1, &idx, &n) == LPM_OK && n > 0) {
            lpm_step st[LPM_MAX_DEPTH];
            size_t ns;
            if (lpm_tree_proof(&cp.tree, idx[0], st, &ns) != LPM_OK) abort();
            if (lpm_proof_verify(cp.leaves[idx[0]], st, ns, lpm_tree_root(&cp.tree)) != LPM_OK) abort();
            if (!lpm_proof_shape_ok(idx[0], cp.n_events, st, ns)) abort();
            lpc_buf pb = {0};
            if (lpm_proof_write(&cp, idx[0], "x", 1, NULL, &pb) == LPM_OK) {
                lpm_proof_file pf;
                lpm_err e = lpm_proof_check(pb.ptr, pb.len, NULL, &pf);
                if (e == LPM_ERR_PROOF_INVALID || e == LPM_ERR_NOT_INCLUDED) abort();
                lpm_proof_file_free(&pf);
            }
            lpc_buf_free(&pb);
        }
        free(idx);
    }
    lpm_checkpoint_free(&cp);
    return 0;
}
