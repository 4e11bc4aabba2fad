/* libFuzzer target: the replay_consensus input parser and replay
 * (audit/replay.h) under every rule set, and the verify_weights bundle reader
 * and EPOCH_AUDIT comparison (audit/weights_audit.h) on the same bytes.
 * Build:
 *   clang -fsanitize=fuzzer,address,undefined -I. tests/fuzz/fuzz_replay.c \
 *     audit/lpau_err.c audit/replay.c audit/weights_audit.c canonical/lpc_[a-z]*.c \
 *     $(pkg-config --cflags --libs libcrypto) -lm
 * Invariants checked: no crash/leak; on success every lead's validator_count
 * is at most its row count and the totals agree with the per-lead flags. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "audit/replay.h"
#include "audit/weights_audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const lpc_cons_rules rules[3] = { LPC_CONS_RULES_CURRENT, LPC_CONS_RULES_2025_12_15,
                                             LPC_CONS_RULES_2025_11_13 };
    for (int k = 0; k < 3; k++) {
        lpau_replay r;
        lpau_diag d;
        if (lpau_replay_bytes(data, size, rules[k], &r, &d) == LPAU_OK) {
            size_t certain = 0, order = 0;
            for (size_t i = 0; i < r.n_leads; i++) {
                const lpau_lead *L = &r.leads[i];
                if (L->rec.validator_count > L->n_rows)
                    abort();
                if ((L->uncertain & ~L->mismatch) != 0)
                    abort();
                certain += L->mismatch && !L->uncertain;
                order += L->mismatch && L->uncertain;
            }
            if (certain != r.certain_mismatches || order != r.order_mismatches)
                abort();
        }
        lpau_replay_free(&r);
    }
    lpc_value *doc = NULL;
    if (lpc_parse(data, size, &doc, NULL) == LPC_OK) {
        lpau_bundle b;
        lpau_diag d;
        if (lpau_bundle_from_doc(doc, &b, &d) == LPAU_OK) {
            const lpc_value *ag = lpc_get(doc, "against");
            lpau_chain_cmp c;
            if (ag && lpau_chain_compare(&b, ag, &c, &d) == LPAU_OK) {
                if (c.exact && !c.within)   /* equal hashes imply equal pairs */
                    abort();
                lpau_chain_free(&c);
            }
            lpau_bundle_free(&b);
        }
        lpc_free(doc);
    }
    return 0;
}
