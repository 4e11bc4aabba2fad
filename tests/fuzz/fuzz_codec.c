/* libFuzzer target: strict hex and base64 decoders.  Invariants: no crash; an
 * accepted input re-encodes to exactly the same text (strictness means one
 * encoding per byte string). */
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    for (int v = LPC_B64_STD; v <= LPC_B64_URL_NOPAD; v++) {
        lpc_buf dec = {0}, enc = {0};
        if (lpc_b64_decode(s, size, (lpc_b64_variant)v, &dec) == LPC_OK) {
            if (lpc_b64_encode(dec.ptr, dec.len, (lpc_b64_variant)v, &enc) != LPC_OK) abort();
            if (enc.len != size || (size && memcmp(enc.ptr, s, size))) abort();
        } else if (dec.len != 0) {
            abort(); /* a failed decode leaves the buffer as it was */
        }
        lpc_buf_free(&dec);
        lpc_buf_free(&enc);
    }
    uint8_t *out = malloc(size / 2 + 1);
    size_t n = 0;
    if (out && lpc_hex_decode(s, size, out, size / 2 + 1, &n) == LPC_OK) {
        char *hex = malloc(2 * n + 1);
        lpc_hex_encode(out, n, hex);
        for (size_t i = 0; i < size; i++) {
            char c = s[i];
            if (c >= 'A' && c <= 'F') c = (char)(c - 'A' + 'a');
            if (hex[i] != c) abort();
        }
        free(hex);
    }
    free(out);
    return 0;
}
