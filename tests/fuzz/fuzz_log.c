/* libFuzzer target: signed log export as verify_log reads it (JSON array of
 * signed_log_entry objects, or rows wrapping them): lpc_parse, then
 * lpm_log_entries_verify (fields, event_hash, Ed25519) and lpm_log_chain_check
 * (hash chain, monotonic_seq per boot), single-threaded and pinned/unpinned.
 *   clang -fsanitize=fuzzer,address,undefined -I. tests/fuzz/fuzz_log.c merkle/[a-z]*.c canonical/lpc_[a-z]*.c \
 *         $(pkg-config --cflags --libs libcrypto libsodium zlib) -lm -o fuzz_log
 * (or `make fuzz FUZZ_TARGETS=fuzz_log`).
 * Invariants: no crash/leak; a failure names an index inside the array; a pinned
 * verification never succeeds where the unpinned one fails. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "merkle/lp_merkle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char pin[] = "8d1f2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff0";
    lpc_value *doc = NULL;
    if (lpc_parse(data, size, &doc, NULL) != LPC_OK) return 0;
    if (doc->type != LPC_ARRAY || doc->u.a.n == 0 || doc->u.a.n > 4096) { lpc_free(doc); return 0; }
    size_t n = doc->u.a.n;
    const lpc_value **ents = malloc(n * sizeof *ents);
    if (!ents) abort();
    for (size_t i = 0; i < n; i++) {
        const lpc_value *it = doc->u.a.items[i], *w = lpc_get(it, "signed_log_entry");
        ents[i] = w && w->type == LPC_OBJECT ? w : it;
    }
    size_t bad = SIZE_MAX;
    lpm_err e = lpm_log_entries_verify(ents, n, NULL, 1, &bad);
    if (e != LPM_OK && bad >= n) abort();
    size_t bad2 = SIZE_MAX;
    lpm_err e2 = lpm_log_entries_verify(ents, n, ents[0] && lpc_get(ents[0], "enclave_pubkey") &&
                                        lpc_get(ents[0], "enclave_pubkey")->type == LPC_STR
                                        ? lpc_get(ents[0], "enclave_pubkey")->u.s.ptr : pin, 1, &bad2);
    if (e != LPM_OK && e2 == LPM_OK) abort();
    if (e2 != LPM_OK && bad2 >= n) abort();
    bad = SIZE_MAX;
    if (lpm_log_chain_check(ents, n, &bad) != LPM_OK && bad >= n) abort();
    free(ents);
    lpc_free(doc);
    return 0;
}
