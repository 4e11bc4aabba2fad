/* libFuzzer target: canonical JSON parser and serializer round trip.
 * Invariants: no crash/leak; every accepted value serialises under every
 * profile or fails with a documented code; an ASCII serialisation re-parses
 * to a value whose serialisation is byte-identical (idempotence). */
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lpc_value *v = NULL;
    if (lpc_parse(data, size, &v, NULL) != LPC_OK) return 0;
    for (int p = LPC_PROFILE_CS_A; p <= LPC_PROFILE_INDENT2; p++) {
        lpc_buf a = {0};
        lpc_err e = lpc_dump(v, (lpc_profile)p, &a);
        if (e == LPC_OK && (p == LPC_PROFILE_CS_A || p == LPC_PROFILE_DU_A || p == LPC_PROFILE_INDENT2)) {
            lpc_value *w = NULL;
            if (lpc_parse(a.ptr, a.len, &w, NULL) != LPC_OK) abort();
            lpc_buf b = {0};
            if (lpc_dump(w, (lpc_profile)p, &b) != LPC_OK) abort();
            if (a.len != b.len || memcmp(a.ptr, b.ptr, a.len)) abort();
            lpc_buf_free(&b);
            lpc_free(w);
        } else if (e != LPC_OK && e != LPC_ERR_NAN && e != LPC_ERR_SURROGATE && e != LPC_ERR_TOO_LARGE) {
            abort();
        }
        lpc_buf_free(&a);
    }
    lpc_free(v);
    return 0;
}
