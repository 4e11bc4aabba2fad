/* Weights: u16 normalisation, bundle/compare hashes, tolerance, invariants.
 * Spec: leadpoet-formats.md §10 (10.1 normalize_to_u16, 10.2 sparse rules,
 * 10.3 hashes, 10.4 tolerance and chain weights).
 *
 * Every function is pure: no I/O, no globals.  Arrays are caller-owned; an
 * output array must have room for as many elements as the input (the count
 * written goes to *out_n).  Functions that sort allocate a temporary copy and
 * free it before returning (LPC_ERR_NOMEM when that fails).
 *
 * Integers are int64_t.  Python's ints are unbounded; converting a wider value
 * into these structs is the caller's job and must fail (LPC_ERR_RANGE), never
 * wrap. */
#ifndef LPC_WEIGHTS_H
#define LPC_WEIGHTS_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lpc_err.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"

#define LPC_U16_MAX            65535
/* Most pairs accepted by any function here.  Bittensor uids are u16, so a real
 * bundle has at most 65536 distinct uids; more gives LPC_ERR_TOO_LARGE. */
#define LPC_WEIGHTS_MAX_PAIRS  ((size_t)65536)
/* AUDITOR_WEIGHT_TOLERANCE (§10.6). */
#define LPC_AUDITOR_WEIGHT_TOLERANCE 1
/* Room for any validate_weights_invariants message plus NUL. */
#define LPC_WEIGHTS_MSG_MAX    192
/* Upper bound of a bundle/compare preimage for n pairs (each pair at most
 * ",[-9223372036854775808,-9223372036854775808]" = 44 bytes). */
#define LPC_WEIGHTS_PREIMAGE_MAX(n) ((size_t)128 + (size_t)(n) * 44)

typedef struct {
    int64_t uid;
    int64_t weight;     /* u16 in a valid bundle; any int is hashed as given */
} lpc_weight_pair;

/* A (uid, weight) pair as read from the chain: the weight keeps Python's
 * int-versus-float type (§10.4). */
typedef struct {
    int64_t uid;
    int     is_float;   /* 1: use f; 0: use i */
    int64_t i;
    double  f;
} lpc_chain_pair;

/* ---- §10.1 normalize_to_u16 ---------------------------------------------
 * Bittensor convert_weights_and_uids_for_emit after numpy float32 arrays (and
 * leadpoet's pure port): quantise each weight to binary32 (nearest-even),
 * m = max, v = round_half_even((w / m) * 65535.0) in double, in input order;
 * pairs with v == 0 are dropped; uids are not sorted.
 * n == 0 or all weights zero: *out_n = 0 and LPC_OK.
 * Errors (checked in the pure port's order): a negative uid -> LPC_ERR_RANGE;
 * a NaN/inf weight or one that overflows binary32 -> LPC_ERR_RANGE (Python
 * raises on both paths); a negative weight after quantisation ->
 * LPC_ERR_NEGATIVE_WEIGHT (-0.0 and tiny negatives that quantise to -0.0 are
 * not negative, as in Python).  out_uids/out_w have room for n entries. */
lpc_err lpc_normalize_to_u16(const int64_t *uids, const double *weights, size_t n,
                             int64_t *out_uids, uint16_t *out_w, size_t *out_n);

/* The binary32 quantisation step alone: *out = (double)(float)w.
 * LPC_ERR_RANGE for NaN/inf or when |w| rounds beyond FLT_MAX. */
lpc_err lpc_weights_quantize_f32(double w, double *out);

/* ---- §10.3 bundle_weights_hash / compare_weights_hash --------------------
 * Preimage (CS-A), pairs stably sorted by uid, nothing filtered:
 *   {"block":B,"epoch_id":E,"netuid":N,"weights":[[uid,w],...]}
 * and for compare the same without "block".
 * *preimage is cleared (len = 0; capacity reused) and receives the exact bytes
 * hashed; the caller frees it with lpc_buf_free (start from lpc_buf b = {0}).
 * hex receives 64 lowercase hex digits and a NUL.
 * ctx: optional SHA-256 context reused across calls (NULL: one-shot hash).
 * On error preimage->len is 0 and hex is "". */
lpc_err lpc_bundle_weights_hash(int64_t netuid, int64_t epoch_id, int64_t block,
                                const lpc_weight_pair *pairs, size_t n,
                                lpc_hash_ctx *ctx, lpc_buf *preimage,
                                char hex[LPC_SHA256_HEX_LEN + 1]);
lpc_err lpc_compare_weights_hash(int64_t netuid, int64_t epoch_id,
                                 const lpc_weight_pair *pairs, size_t n,
                                 lpc_hash_ctx *ctx, lpc_buf *preimage,
                                 char hex[LPC_SHA256_HEX_LEN + 1]);

/* ---- §10.4 tolerance ------------------------------------------------------
 * weights_within_tolerance: union of uids, a missing uid counts as 0, and
 * |e - a| <= tolerance for every uid.  A uid repeated within one list takes its
 * last weight (Python builds a dict).  *within = 1 or 0. */
lpc_err lpc_weights_within_tolerance(const lpc_weight_pair *expected, size_t ne,
                                     const lpc_weight_pair *actual, size_t na,
                                     int64_t tolerance, int *within);

/* u16_to_emit_floats: out[i] = w[i] / sum(w) (Python int / int, correctly
 * rounded); all zeros give all 0.0.  out has room for n doubles. */
lpc_err lpc_u16_to_emit_floats(const uint16_t *w, size_t n, double *out);

/* normalize_chain_weights (leadpoet_canonical/chain.py):
 * - if any weight is a float: every weight becomes a float and goes through
 *   normalize_to_u16 (the uids too; a negative uid is LPC_ERR_RANGE).  Python
 *   then zips the ORIGINAL uid list with the returned weight list, which has
 *   had its zeros removed, so when a weight rounds to 0 the later weights move
 *   onto earlier uids and the tail is cut.  This is reproduced exactly.
 * - otherwise the int pairs pass through unchanged (zeros kept).
 * The result is stably sorted by uid.  out has room for n pairs. */
lpc_err lpc_normalize_chain_weights(const lpc_chain_pair *in, size_t n,
                                    lpc_weight_pair *out, size_t *out_n);

/* Reads a JSON array of [uid, weight] pairs into chain pairs, keeping the
 * weight's int/float type.  uid must be an int, weight an int or a float, each
 * within int64 (else LPC_ERR_TYPE / LPC_ERR_RANGE).  out has room for cap. */
lpc_err lpc_chain_pairs_from_json(const lpc_value *arr, lpc_chain_pair *out,
                                  size_t cap, size_t *out_n);

/* filter_nonzero_chain_weights: keep pairs with weight > 0, order kept.
 * filter_sparse_weights: the same, then a stable sort by uid.
 * out may equal in. */
lpc_err lpc_filter_nonzero(const lpc_weight_pair *in, size_t n,
                           lpc_weight_pair *out, size_t *out_n);
lpc_err lpc_filter_sparse_weights(const lpc_weight_pair *in, size_t n,
                                  lpc_weight_pair *out, size_t *out_n);

/* ---- §10.2 validate_weights_invariants -----------------------------------
 * LPC_OK, or LPC_ERR_WEIGHTS_INVARIANT with Python's message in msg, checked
 * in Python's order: equal lengths, non-empty, uids strictly increasing,
 * every weight in [1, 65535].  msg may be NULL; on LPC_OK it is "". */
lpc_err lpc_validate_weights_invariants(const int64_t *uids, size_t nu,
                                        const int64_t *weights, size_t nw,
                                        char msg[LPC_WEIGHTS_MSG_MAX]);

#endif
