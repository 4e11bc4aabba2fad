/* libsodium, started once for the whole toolkit, and the one Ed25519 verification
 * every signature check calls (RFC 8032 with libsodium's checks: S < L, canonical
 * and non-small-order keys).  The initialisation is the only global state, behind
 * pthread_once; every function is safe from any thread. */
#ifndef LPC_SODIUM_H
#define LPC_SODIUM_H

#include <stddef.h>
#include <stdint.h>

#define LPC_ED25519_PUBKEY_LEN 32
#define LPC_ED25519_SIG_LEN    64

/* 1 once sodium_init() has succeeded (it runs at the first call), else 0. */
int lpc_sodium_ready(void);

/* 1 when sig is a valid Ed25519 signature of msg[0..len) under pk; 0 otherwise,
 * including when libsodium cannot start or an argument is NULL. */
int lpc_ed25519_verify(const uint8_t sig[LPC_ED25519_SIG_LEN], const uint8_t *msg, size_t len,
                       const uint8_t pk[LPC_ED25519_PUBKEY_LEN]);

#endif
