/* libFuzzer target: a signed log export as verify_log reads it, through the
 * library's procedure (lpm_log_verify): a JSON array of log entries or of
 * {"signed_log_entry": {...}} rows; entries, pin, hash chain, monotonic_seq per
 * boot, ENCLAVE_RESTART boundaries.
 *   make fuzz FUZZ_TARGETS=fuzz_log
 * Invariants: no crash/leak/UB; the verdict is the verdict rule over the checks;
 * unpinned is never OK (fail closed); a pinned run never succeeds where the
 * --no-key run fails; every index names an entry. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "merkle/lpm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lp_code run(const uint8_t *data, size_t size, const char *pin, unsigned flags)
{
    lp_checks c;
    lp_checks_init(&c);
    size_t n = 0;
    lp_code v = lpm_log_verify(data, size, pin, flags, &n, &c);
    if (v != lp_checks_verdict(&c) || c.n == 0) abort();
    for (size_t k = 0; k < c.n; k++) {
        if (c.items[k].index != LP_NO_INDEX && c.items[k].index >= n) abort();
        if (!c.items[k].ok && !(c.items[k].flags & LP_CHECK_WARNING) && c.items[k].code == LP_CODE_OK) abort();
    }
    lp_checks_free(&c);
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (run(data, size, NULL, 0) == LP_CODE_OK) abort();
    lp_code open = run(data, size, NULL, LPM_ALLOW_NO_KEY);
    /* pin the first entry's key, when it has one */
    lpc_value *doc = NULL;
    char pin[160] = "8d1f2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff0";
    if (lpc_parse(data, size, &doc, NULL) == LPC_OK && doc->type == LPC_ARRAY && doc->u.a.n > 0) {
        const lpc_value *e = doc->u.a.items[0], *w = lpc_get(e, "signed_log_entry");
        const lpc_value *pk = lpc_get(w && w->type == LPC_OBJECT ? w : e, "enclave_pubkey");
        if (pk && pk->type == LPC_STR && pk->u.s.len < sizeof pin && !memchr(pk->u.s.ptr, 0, pk->u.s.len)) {
            memcpy(pin, pk->u.s.ptr, pk->u.s.len);
            pin[pk->u.s.len] = 0;
        }
    }
    lpc_free(doc);
    lp_code pinned = run(data, size, pin, 0);
    if (pinned == LP_CODE_OK && open != LP_CODE_OK) abort();
    return 0;
}
