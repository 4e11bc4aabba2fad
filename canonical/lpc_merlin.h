/* The STROBE-128 subset and the Merlin transcripts of sr25519 (sr25519.md §3.5, §3.6;
 * merlin 3.0.0 src/strobe.rs and src/transcript.rs).  Pure; the caller owns the
 * fixed-size state (no allocation).  Only what verification needs, plus the STROBE
 * key operation for the conformance vector. */
#ifndef LPC_MERLIN_H
#define LPC_MERLIN_H

#include <stddef.h>
#include <stdint.h>

#include "canonical/lpc_keccak.h"

#define LPC_STROBE_RATE 166u   /* R = 200 - 256/8 - 2 (§3.5) */

typedef struct {
    uint8_t st[LPC_KECCAK_STATE_BYTES];
    uint8_t pos, pos_begin, cur_flags;
} lpc_strobe;

/* Strobe128::new(label). */
void lpc_strobe_init(lpc_strobe *s, const uint8_t *label, size_t n);
/* meta_ad, ad, prf and key with merlin's `more` rule: with more set the flags must
 * equal the current operation's (a violation is a caller bug: returns -1, state
 * unchanged); 0 otherwise. */
int lpc_strobe_meta_ad(lpc_strobe *s, const uint8_t *d, size_t n, int more);
int lpc_strobe_ad(lpc_strobe *s, const uint8_t *d, size_t n, int more);
int lpc_strobe_prf(lpc_strobe *s, uint8_t *out, size_t n, int more);
int lpc_strobe_key(lpc_strobe *s, const uint8_t *d, size_t n, int more);

typedef struct {
    lpc_strobe s;
} lpc_merlin;

/* One part of a message appended in pieces (the <Bytes> wrapper, §3.9). */
typedef struct {
    const uint8_t *p;
    size_t n;
} lpc_iov;

/* Transcript::new(label): label is ASCII without terminator. */
void lpc_merlin_init(lpc_merlin *t, const char *label);
/* append_message(label, concat of parts): 0, or -1 when the total length does not fit
 * u32 (merlin asserts; nothing is appended). */
int lpc_merlin_append(lpc_merlin *t, const char *label, const lpc_iov *parts, size_t nparts);
/* challenge_bytes(label, n) into out[0..n); n < 2^32. */
void lpc_merlin_challenge(lpc_merlin *t, const char *label, uint8_t *out, size_t n);

#endif
