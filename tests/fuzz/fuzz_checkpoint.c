/* libFuzzer target: a checkpoint payload through the library's §7.3 procedure
 * (lpm_checkpoint_verify), lead inclusion (lpm_inclusion_verify), a written proof
 * file checked again (lpm_proof_file_verify) and the §5.3 link rules.
 * Invariants: no crash/leak/UB/unbounded allocation; the verdict is the verdict
 * rule over the checks appended; never OK without a key (fail closed), and OK with
 * the key only when header_signature verified; with a tree, a match's proof holds
 * exactly when the header root is the computed root, and a proof file written from
 * a verified checkpoint verifies under the same key. */
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "merkle/lpm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_list(const lp_checks *c, lp_code v)
{
    if (v != lp_checks_verdict(c)) abort();
    for (size_t k = 0; k < c->n; k++)
        if (!c->items[k].ok && !(c->items[k].flags & LP_CHECK_WARNING) && c->items[k].code == LP_CODE_OK) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t key[32] = {
        0x76, 0x0f, 0x59, 0x64, 0x5a, 0x44, 0x42, 0x76, 0xa2, 0x85, 0xe3, 0x00, 0xf9, 0x2a, 0xaa, 0x81,
        0x78, 0x65, 0xa7, 0xf1, 0xfb, 0xf9, 0x5a, 0x3c, 0xf4, 0xd6, 0x15, 0xb3, 0x70, 0xcc, 0xcc, 0x54};
    lpm_checkpoint *cp = NULL;
    if (lpm_checkpoint_parse(data, size, &cp) != LPM_OK) {
        if (cp) abort();
        return 0;
    }
    /* without a key: never OK */
    lp_checks c;
    lp_checks_init(&c);
    lpm_sig_state sig;
    lp_code v = lpm_checkpoint_verify(cp, NULL, 0, &c, &sig);
    check_list(&c, v);
    if (v == LP_CODE_OK || sig != LPM_SIG_NOT_CHECKED) abort();
    lp_checks_free(&c);
    /* with the vector key */
    lp_checks_init(&c);
    v = lpm_checkpoint_verify(cp, key, 0, &c, &sig);
    check_list(&c, v);
    if (v == LP_CODE_OK && sig != LPM_SIG_VALID) abort();
    const lpm_tree *t = lpm_checkpoint_tree(cp);
    if (t) {
        lpm_matches m;
        lp_checks ic;
        lp_checks_init(&ic);
        lp_code iv = lpm_inclusion_verify(cp, "x", 1, &m, &ic);
        check_list(&ic, iv);
        char root[65];
        lpc_hex_encode(lpm_tree_root(t), LPM_HASH_LEN, root);
        int same_root = strcmp(root, lpm_checkpoint_header(cp)->merkle_root) == 0;
        for (size_t k = 0; k < m.n; k++) {
            if (m.items[k].proof_ok != same_root) abort();
            if (m.items[k].index >= lpm_checkpoint_n_events(cp)) abort();
        }
        if (m.n > 0) {
            lpc_buf pb = {0};
            if (lpm_proof_write(cp, m.items[0].index, "x", 1, key, &pb) == LPM_OK) {
                lpm_proof_file pf;
                lp_checks pc;
                lp_checks_init(&pc);
                lp_code pv = lpm_proof_file_verify(pb.ptr, pb.len, key, 0, &pf, &pc, NULL);
                check_list(&pc, pv);
                if (pc.n == 0 || pc.items[0].code == LP_CODE_PROOF_INVALID || pc.items[0].code == LP_CODE_NOT_INCLUDED) abort();
                if (v == LP_CODE_OK && pv != LP_CODE_OK) abort();
                lpm_proof_file_free(&pf);
                lp_checks_free(&pc);
            }
            lpc_buf_free(&pb);
        }
        lpm_matches_free(&m);
        lp_checks_free(&ic);
    }
    /* links of the header to itself: four checks, whatever the values */
    lp_checks lc;
    lp_checks_init(&lc);
    const lpm_header *h = lpm_checkpoint_header(cp);
    lpm_checkpoint_link_check(h, 0, h, 1, &lc);
    if (lc.n != 4 || lc.items[1].ok) abort();  /* a number never follows itself */
    lp_checks_free(&lc);
    lp_checks_free(&c);
    lpm_checkpoint_free(cp);
    return 0;
}
