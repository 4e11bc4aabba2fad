/* libFuzzer target: the whole hotkey check (lpc_hotkey_verify, sr25519.md §1.2).
 * Input: byte 0 = address length, byte 1 = signature-text length (each cut to what
 * remains), then the address, the signature text and the message.  The strict profile
 * accepts only what the default one accepts; an accepted input decoded a key and 64
 * signature bytes; the check list's verdict agrees with the returned reason. */
#include <stddef.h>
#include <stdint.h>

#include "canonical/lpc_sr25519.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    size_t al = data[0], sl = data[1], rest = size - 2;
    if (al > rest) al = rest;
    rest -= al;
    if (sl > rest) sl = rest;
    rest -= sl;
    const char *addr = (const char *)data + 2, *sig = addr + al;
    const uint8_t *msg = (const uint8_t *)sig + sl;
    lpc_hotkey_result r[2];
    lp_code c[2];
    for (int strict = 0; strict < 2; strict++) {
        lp_checks ch;
        lp_checks_init(&ch);
        c[strict] = lpc_hotkey_verify(addr, al, msg, rest, sig, sl, strict ? LPC_HOTKEY_STRICT : 0, &r[strict], &ch);
        int ok = c[strict] == LP_CODE_OK || c[strict] == LP_CODE_OK_BYTES_WRAPPED;
        if (ok && !(r[strict].have_key && r[strict].have_sig)) __builtin_trap();
        if (lp_checks_verdict(&ch) != (ok ? LP_CODE_OK : c[strict])) __builtin_trap();
        lp_checks_free(&ch);
    }
    int ok0 = c[0] == LP_CODE_OK || c[0] == LP_CODE_OK_BYTES_WRAPPED;
    int ok1 = c[1] == LP_CODE_OK || c[1] == LP_CODE_OK_BYTES_WRAPPED;
    if (ok1 && (!ok0 || c[0] != c[1])) __builtin_trap();
    if (ok0 && !ok1 && c[1] != LP_CODE_IDENTITY_KEY && c[1] != LP_CODE_SS58_NOT_CANONICAL) __builtin_trap();
    if (!ok0 && c[1] != c[0] && c[1] != LP_CODE_IDENTITY_KEY && c[1] != LP_CODE_SS58_NOT_CANONICAL) __builtin_trap();
    return 0;
}
