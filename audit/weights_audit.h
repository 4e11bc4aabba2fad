/* Weight bundle audit: the normalised or submitted sparse u16 bundle, its
 * invariants and hashes, and the EPOCH_AUDIT comparison with another
 * validator's on-chain weights.  Spec: leadpoet-formats.md §10 (10.1-10.5).
 * Formulas come from canonical/lpc_weights.h; this file reads the document,
 * checks its shape and compares.
 *
 * Bundle document: {"netuid": int, "epoch_id": int, "block": int, and either
 *   "weights": [[uid, score], ...]   raw scores (int or float): normalised with
 *                                    normalize_to_u16 (§10.1), then sorted by uid;
 * or "uids": [int...], "weights_u16": [int...]  a submitted sparse bundle, taken
 *                                    as given and checked with the §10.2 invariants;
 *   "weights_hash": "<64 hex>" optional}.
 * Raw scores must be finite, non-negative and have distinct uids >= 0 (else an
 * input error).  A submitted bundle's values only need to be integers: range,
 * order and duplicates are what the invariants judge (a verification result).
 *
 * Memory: results own their arrays; release with lpau_bundle_free /
 * lpau_chain_free.  Pointers into doc (claimed_hash) need doc alive.
 * No I/O, no globals. */
#ifndef LPAU_WEIGHTS_AUDIT_H
#define LPAU_WEIGHTS_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include "audit/lpau_err.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_weights.h"

typedef struct {
    int64_t netuid, epoch_id, block;
    int from_raw;                   /* 1: "weights" normalised here */
    size_t n_raw;                   /* raw pairs read (from_raw) */
    lpc_weight_pair *pairs;         /* the bundle, zip(uids, weights_u16) order */
    size_t n;
    int64_t *uids, *w;              /* the arrays the invariants judge */
    size_t nu, nw;
    int invariants_ok;
    char inv_msg[LPC_WEIGHTS_MSG_MAX];
    char bundle_hash[LPC_SHA256_HEX_LEN + 1];
    char compare_hash[LPC_SHA256_HEX_LEN + 1];
    const lpc_value *claimed_hash;  /* "weights_hash" string, or NULL */
} lpau_bundle;

/* Reads and evaluates a bundle document.  On error *b is emptied and d names
 * the field. */
lpau_err lpau_bundle_from_doc(const lpc_value *doc, lpau_bundle *b, lpau_diag *d);
void lpau_bundle_free(lpau_bundle *b);

/* 1 when s[0..n) is 64 hex digits (either case), else 0. */
int lpau_is_hex64(const char *s, size_t n);

typedef struct {
    lpc_weight_pair *chain;         /* normalize_chain_weights(against), uid order */
    size_t n_chain;
    char compare_hash[LPC_SHA256_HEX_LEN + 1];   /* of chain, with the bundle's netuid/epoch */
    int exact;                      /* compare hashes equal */
    int within;                     /* weights_within_tolerance(bundle, chain, tol) */
    int64_t tolerance;
    int64_t max_diff;               /* largest |bundle - chain| over the uid union */
    int64_t *diff_uids;             /* uids whose weights differ at all, ascending */
    size_t n_diff;
    size_t n_beyond;                /* of those, differing by more than tolerance */
    const char *status;             /* "VERIFIED" or "AUDITOR_MISMATCH" (§10.5) */
} lpau_chain_cmp;

/* EPOCH_AUDIT for one non-primary validator (§10.5): against is [[uid, value],
 * ...] (or {"weights": [...]}) with ints or floats as read from the chain.
 * Uids must be distinct and >= 0, values finite and >= 0 (else input error). */
lpau_err lpau_chain_compare(const lpau_bundle *b, const lpc_value *against,
                          lpau_chain_cmp *c, lpau_diag *d);
void lpau_chain_free(lpau_chain_cmp *c);

#endif
