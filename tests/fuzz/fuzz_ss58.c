/* libFuzzer target: SS58 address text (lpc_ss58_decode, sr25519.md §5).  A decoded
 * address re-encodes to an address that decodes to the same key and prefix, and the
 * canonical one-byte form re-encodes to the input itself. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "canonical/lpc_ss58.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lpc_ss58 a, b;
    lp_code c = lpc_ss58_decode((const char *)data, size, &a);
    if (c != LP_CODE_OK) {
        if (lp_code_exit(c) == LP_EXIT_OK) __builtin_trap();
        return 0;
    }
    if (size > LPC_SS58_TEXT_MAX || a.prefix >= 16384 || a.prefix == 46 || a.prefix == 47 || !lpc_ss58_prefix_known(a.prefix))
        __builtin_trap();
    char enc[64];
    if (lpc_ss58_encode(a.key, a.prefix, enc) != 0) __builtin_trap();
    if (lpc_ss58_decode(enc, strlen(enc), &b) != LP_CODE_OK || memcmp(a.key, b.key, sizeof a.key) != 0 || a.prefix != b.prefix)
        __builtin_trap();
    if (a.prefix < 64 && a.prefix_len == 1 && (strlen(enc) != size || memcmp(enc, data, size) != 0)) __builtin_trap();
    return 0;
}
