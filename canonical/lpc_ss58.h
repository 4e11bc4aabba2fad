/* SS58 addresses as sp-core 34 Ss58Codec::from_ss58check decodes them, with the
 * prefixes of ss58-registry 1.50.0 (sr25519.md §5).  Pure; no allocation. */
#ifndef LPC_SS58_H
#define LPC_SS58_H

#include <stddef.h>
#include <stdint.h>

#include "canonical/lp_code.h"

#define LPC_SS58_KEY_LEN 32u
/* Longest address text decoded (characters).  A real address has 47-49; base58 decoding
 * is quadratic, so longer text is refused (INPUT_TOO_LARGE) rather than decoded. */
#define LPC_SS58_TEXT_MAX 1024u
#define LPC_SS58_DEFAULT_PREFIX 42u   /* Bittensor, Substrate generic */

typedef struct {
    uint8_t key[LPC_SS58_KEY_LEN];  /* not yet checked as a point (§5 step 8) */
    uint16_t prefix;                /* the ident (§5 step 3) */
    uint8_t prefix_len;             /* 1 or 2 bytes */
} lpc_ss58;

/* Decodes s[0..n) verbatim (no trimming).  Returns LP_CODE_OK with *out filled, or the
 * first failing rule in §5's order: SS58_BAD_BASE58, SS58_BAD_LENGTH,
 * SS58_INVALID_PREFIX, SS58_FORMAT_NOT_ALLOWED, SS58_BAD_CHECKSUM, SS58_UNKNOWN_FORMAT;
 * INPUT_TOO_LARGE over LPC_SS58_TEXT_MAX; CRYPTO_BACKEND if BLAKE2b fails. */
lp_code lpc_ss58_decode(const char *s, size_t n, lpc_ss58 *out);

/* 1 when the address is the canonical form: one prefix byte, 42 (§6.3). */
int lpc_ss58_is_canonical(const lpc_ss58 *a);

/* 1 when ident is a registered format of ss58-registry 1.50.0 or the default 42. */
int lpc_ss58_prefix_known(unsigned ident);

/* Encodes key with prefix (< 16384, not 46/47) into out (NUL-terminated, at most 50
 * characters with the NUL).  0, or -1 for a prefix that cannot be encoded. */
int lpc_ss58_encode(const uint8_t key[LPC_SS58_KEY_LEN], unsigned prefix, char out[64]);

#endif
