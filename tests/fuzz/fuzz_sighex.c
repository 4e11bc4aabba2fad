/* libFuzzer target: signature text as CPython's bytes.fromhex reads it (lpc_py_fromhex,
 * sr25519.md §2.2).  The verdict is restated as a rule on tokens: the text is accepted
 * exactly when every maximal run of non-whitespace bytes is an even number of hex digits,
 * and then the bytes are those runs decoded in order. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "canonical/lpc_codec.h"

static int ws(uint8_t c) { return c == ' ' || (c >= 9 && c <= 13); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t out[64], want[64], tok[2];
    size_t n = 0, m = 0;
    lpc_err e = lpc_py_fromhex((const char *)data, size, out, sizeof out, &n);
    int valid = 1;
    for (size_t i = 0; i < size && valid;) {
        if (ws(data[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < size && !ws(data[j])) j++;
        if ((j - i) % 2) valid = 0;
        for (size_t k = i; valid && k < j; k += 2) {
            size_t got;
            if (lpc_hex_decode((const char *)data + k, 2, tok, 1, &got) != LPC_OK) valid = 0;
            else if (m++ < sizeof want) want[m - 1] = tok[0];
        }
        i = j;
    }
    if ((e == LPC_OK) != valid) __builtin_trap();
    if (valid && (n != m || memcmp(out, want, n < sizeof out ? n : sizeof out) != 0)) __builtin_trap();
    return 0;
}
