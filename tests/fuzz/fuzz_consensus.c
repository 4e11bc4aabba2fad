/* libFuzzer target: JSON text -> consensus rows and commit hashes.
 * Build: clang -fsanitize=fuzzer,address -I. tests/fuzz/fuzz_consensus.c canonical/lpc_*.c \
 *        $(pkg-config --cflags --libs libcrypto) -lm */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_commit.h"
#include "canonical/lpc_consensus.h"
#include "canonical/lpc_json.h"

#define FUZZ_MAX_ROWS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lpc_value *v = NULL;
    if (lpc_parse(data, size, &v, NULL) != LPC_OK) return 0;
    char h[LPC_SHA256_HEX_LEN + 1];
    (void)lpc_rejection_reason_hash(v, "salt", 4, h);
    (void)lpc_evidence_hash_clean(v, h);
    (void)lpc_rep_score_hash(v, "salt", 4, h);
    if (v->type == LPC_STR) (void)lpc_decision_hash(v->u.s.ptr, v->u.s.len, "s", 1, h);
    if (v->type == LPC_ARRAY) {
        lpc_cons_row rows[FUZZ_MAX_ROWS];
        size_t n = 0;
        for (size_t i = 0; i < v->u.a.n && n < FUZZ_MAX_ROWS; i++)
            if (lpc_cons_row_from_object(lpc_at(v, i), NULL, &rows[n]) == LPC_OK) n++;
        for (int rules = 0; rules < 3; rules++)
            for (int path = 0; path < 2; path++) {
                lpc_cons_result r;
                lpc_cons_reason work[FUZZ_MAX_ROWS];
                if (lpc_consensus(rows, n, (lpc_cons_rules)rules, (lpc_cons_path)path, work, FUZZ_MAX_ROWS, &r) !=
                    LPC_OK) {
                    if (r.err_row >= n) abort();
                    continue;
                }
                if (r.validator_count > n || r.n_reasons > n || !r.primary_reason || !r.final_decision) abort();
                if (r.approve && (r.primary_reason_len != 4 || memcmp(r.primary_reason, "pass", 4))) abort();
            }
    }
    lpc_free(v);
    return 0;
}
