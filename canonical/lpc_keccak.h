/* Keccak-f[1600], the permutation under STROBE-128 (sr25519.md §3.4; FIPS 202 §3).
 * Pure, constant-time by construction (no data-dependent branches or indices). */
#ifndef LPC_KECCAK_H
#define LPC_KECCAK_H

#include <stdint.h>

#define LPC_KECCAK_STATE_BYTES 200u   /* 25 lanes of 8 bytes, little-endian */

/* Applies the 24 rounds to the state st, lane A[x+5y] = st[8(x+5y)..+8) little-endian. */
void lpc_keccak_f1600(uint8_t st[LPC_KECCAK_STATE_BYTES]);

#endif
