/* sr25519 signature verification as schnorrkel 0.11.4 does it, and the hotkey check
 * Leadpoet's gateway makes (bittensor_wallet 4.0.0 Keypair.verify: SS58 -> bytes.fromhex
 * -> 64 bytes -> verify, then once more over <Bytes>message</Bytes>).
 * Spec: sr25519.md §1.2, §2, §3, §6.  Over libsodium's ristretto255, with the bit-255
 * check libsodium 1.0.18 lacks (§4.2).  Pure: no I/O, no globals except libsodium's
 * one-time initialisation; no allocation. */
#ifndef LPC_SR25519_H
#define LPC_SR25519_H

#include <stddef.h>
#include <stdint.h>

#include "canonical/lp_check.h"
#include "canonical/lp_code.h"
#include "canonical/lpc_merlin.h"
#include "canonical/lpc_ss58.h"

#define LPC_SR25519_KEY_LEN 32u
#define LPC_SR25519_SIG_LEN 64u
#define LPC_SR25519_CHALLENGE_LEN 64u
#define LPC_SR25519_CONTEXT "substrate"   /* sp-core SIGNING_CTX (§3.1) */
/* Longest message verified: Merlin frames a length in 32 bits (§3.6), less the
 * 15 bytes of the <Bytes> wrapper. */
#define LPC_SR25519_MESSAGE_MAX ((size_t)UINT32_MAX - 15u)

/* The challenge bytes of §3.7 for key pk, context ctx, the message parts and R. */
void lpc_sr25519_challenge(const uint8_t pk[LPC_SR25519_KEY_LEN], const uint8_t *ctx, size_t ctx_len,
                           const lpc_iov *msg, size_t nmsg, const uint8_t r[32],
                           uint8_t c[LPC_SR25519_CHALLENGE_LEN]);

/* schnorrkel PublicKey::verify_simple(ctx, message, sig) (§3.2, §3.3, §3.8): LP_CODE_OK,
 * or the first failure of SIG_NOT_MARKED, SIG_SCALAR_NOT_CANONICAL, PUBKEY_INVALID,
 * EQUATION_FALSE; BAD_ARGUMENT for a message over LPC_SR25519_MESSAGE_MAX;
 * CRYPTO_BACKEND when libsodium cannot start.  The identity key (32 zero bytes) is a
 * valid key here, as in schnorrkel (§6.2). */
lp_code lpc_sr25519_verify(const uint8_t pk[LPC_SR25519_KEY_LEN], const uint8_t *ctx, size_t ctx_len,
                           const lpc_iov *msg, size_t nmsg, const uint8_t sig[LPC_SR25519_SIG_LEN]);

#define LPC_HOTKEY_STRICT 1u   /* also refuse the identity key and a non-canonical address (§6.3) */

typedef struct {
    lp_code reason;                      /* as returned */
    int have_key;                        /* the address decoded */
    lpc_ss58 addr;                       /* its key and prefix */
    int identity;                        /* the key is the identity (00...00) */
    int have_sig;                        /* the text gave 64 bytes */
    uint8_t sig[LPC_SR25519_SIG_LEN];
    int wrapped;                         /* verified over <Bytes>message</Bytes> */
} lpc_hotkey_result;

/* The gateway's check (§1.2): Keypair(ss58_address=ss58).verify(message, bytes.fromhex(sig_hex)),
 * inputs verbatim.  Returns LP_CODE_OK or LP_CODE_OK_BYTES_WRAPPED when it verifies, else
 * the first failing reason in §2's order (SS58_* of lpc_ss58_decode, SIG_HEX_INVALID,
 * SIG_BAD_LENGTH, SIG_NOT_MARKED, SIG_SCALAR_NOT_CANONICAL, PUBKEY_INVALID,
 * EQUATION_FALSE); with LPC_HOTKEY_STRICT also SS58_NOT_CANONICAL (after the address) and
 * IDENTITY_KEY (after the key).  INPUT_TOO_LARGE, BAD_ARGUMENT and CRYPTO_BACKEND say it
 * could not decide.  res (may be NULL) gets what was decoded.  out (may be NULL) gets one
 * check per step: "ss58_address", "ss58_canonical", "signature_hex", "signature_encoding",
 * "public_key", "identity_key", "equation"; the two policy checks are warnings unless
 * strict. */
lp_code lpc_hotkey_verify(const char *ss58, size_t ss58_len, const uint8_t *msg, size_t msg_len, const char *sig_hex,
                          size_t sig_hex_len, unsigned flags, lpc_hotkey_result *res, lp_checks *out);

#endif
