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
 * Verification (lpau_weights_verify, verify_weights's procedure) appends these
 * checks, in this order, each only when it applies (index LP_NO_INDEX):
 *   "input"            the options are consistent (BAD_ARGUMENT), the document
 *                      and the against weights parse and have the shapes
 *                      above (the input error's code, lpau_diag_code:
 *                      JSON_SYNTAX, MISSING_FIELD, BAD_VALUE, ...); on failure
 *                      the only check, undecided, detail "field: why";
 *   "normalize_to_u16" raw scores were normalised (raw documents; passes);
 *   "invariants"       §10.2 (WEIGHTS_INVARIANT, detail Python's message);
 *   "weights_hash"     the document's weights_hash equals bundle_weights_hash
 *                      by exact string comparison, the gateway's rule
 *                      (`recomputed_hash != submission.weights_hash` against
 *                      hexdigest()'s lowercase, gateway/api/weights.py,
 *                      §10.7 step 8): an uppercase claim is a mismatch
 *                      (WEIGHTS_HASH_MISMATCH);
 *   "expect_hash"      the caller's expected digest, hex of either case
 *                      (WEIGHTS_HASH_MISMATCH);
 *   "epoch_audit"      §10.5 against the other validator's weights: exact
 *                      compare hash, else within +-1 (AUDITOR_MISMATCH,
 *                      detail "<n> uids beyond +-1, largest difference <d>
 *                      (uids ...)");
 *   "binding_create"   the §11 message for the bundle's netuid from chain,
 *                      enclave_pubkey, code_hash; a failure is undecided with
 *                      the canonical code (BAD_UTF8, INPUT_TOO_LARGE) and skips
 *                      the two checks below;
 *   "binding_parse"    the given message parses, fail closed (BINDING_REJECTED
 *                      with Python's reason; INPUT_TOO_LARGE, undecided, over
 *                      LPC_BINDING_MAX_LEN, a cap Python does not have);
 *   "binding_fields"   it names the netuid and the given chain, pubkey and
 *                      code hash (BINDING_MISMATCH), when both were given;
 *   "binding_signature" whenever a binding message was built or parsed: with
 *                      hotkey and hotkey_signature, the sr25519 signature of
 *                      the hotkey over that message as the gateway checks it
 *                      (lpc_hotkey_verify; HOTKEY_SIGNATURE_INVALID, detail
 *                      naming the reason, e.g. "EQUATION_FALSE: ..."), over the
 *                      given message when one was given, else over the built
 *                      one; skipped when the message could not be built or
 *                      the given one does not parse.
 *                      Without a signature a WARNING (code KEY_NOT_PINNED,
 *                      never the verdict) that the hotkey's authorisation is
 *                      not checked.
 * The verdict (lp_checks_verdict) is the first decided failure in that order,
 * else the first undecided one.  Details quote untrusted text raw (cut on a
 * UTF-8 boundary; the report layer escapes it).
 *
 * Memory: results own their arrays; release with lpau_bundle_free /
 * lpau_chain_free / lpau_weights_free.  Pointers into doc (claimed_hash) need
 * doc alive (lpau_weights owns its parsed documents).  No I/O, no globals. */
#ifndef LPAU_WEIGHTS_AUDIT_H
#define LPAU_WEIGHTS_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include "audit/lpau_err.h"
#include "canonical/lp_check.h"
#include "canonical/lpc_binding.h"
#include "canonical/lpc_sr25519.h"
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

/* Raw scores read while the document is parsed, so that "weights" need not be kept
 * as a tree (lpc_parse_each: that member LPC_EACH_DROP, its begin() calling
 * lpau_pairs_begin and its elements given to lpau_pairs_item as ctx s).  The
 * elements are checked as lpau_bundle_from_doc checks the tree's, the first
 * failure kept; lpau_bundle_from_doc_pairs then uses them where the document's
 * "weights" is that elided array, with the tree's verdicts, fields and details.
 * Zero-initialise; release with lpau_pairs_free (the bundle takes the arrays). */
typedef struct {
    int begun;              /* lpau_pairs_begin was called */
    int64_t *u;             /* uids, raw scores: the first min(n, LPC_WEIGHTS_MAX_PAIRS) */
    double *w;
    size_t n, cap;          /* elements seen (all counted), room */
    lpau_err e;             /* the first element's failure, LPAU_OK else */
    lpau_diag d;
} lpau_pairs;
void lpau_pairs_begin(lpau_pairs *s);
/* An lpc_each item() callback; always 0 (every element is counted). */
int lpau_pairs_item(void *ctx, size_t index, const lpc_value *item);
void lpau_pairs_free(lpau_pairs *s);
/* lpau_bundle_from_doc with the pairs streamed into s (NULL: the tree's only).  A
 * "weights" array that the parse elided without s is refused (LPAU_ERR_ARG). */
lpau_err lpau_bundle_from_doc_pairs(const lpc_value *doc, lpau_pairs *s, lpau_bundle *b, lpau_diag *d);

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

/* What verify_weights is asked besides the bundle; NULL/0 members are not
 * asked.  Strings are NUL-terminated and must outlive the result (parts
 * point into binding). */
typedef struct {
    const uint8_t *against;         /* JSON of another validator's chain weights */
    size_t against_len;             /* (see lpau_chain_compare): EPOCH_AUDIT */
    const char *expect_hash;        /* bundle_weights_hash expected: 64 hex, either case */
    /* §11: chain, enclave_pubkey and code_hash together build a message
     * (binding_version NULL = "1", only with them); binding is a message to
     * parse, and to check against those three when they are given. */
    const char *chain, *enclave_pubkey, *code_hash, *binding_version;
    const char *binding;
    /* sr25519.md §1.2: the hotkey (SS58, verbatim) and its signature (hex as
     * bytes.fromhex reads it) over the binding message; strict: LPC_HOTKEY_STRICT. */
    const char *hotkey, *hotkey_signature;
    int hotkey_strict;
} lpau_weights_opts;

typedef struct {
    lpc_value *doc, *against_doc;   /* the parsed inputs (owned) */
    lpau_bundle b;                  /* the bundle, when the "input" check passed */
    int has_against;                /* cc holds the EPOCH_AUDIT comparison */
    lpau_chain_cmp cc;
    /* outcomes: 1 holds, 0 failed, -1 not checked */
    int hash_match;                 /* the document's weights_hash (exact) */
    int expect_match;               /* opts->expect_hash (case-insensitive) */
    int bcreate;                    /* the binding message was built into created */
    int bparse;                     /* opts->binding parsed into parts */
    int bfields;                    /* parts name the netuid, chain, pubkey, code hash */
    lpc_buf created;
    lpc_binding_parts parts;        /* points into opts->binding */
    char binding_err[LPC_BINDING_ERR_MAX];  /* why bparse or bfields is 0 ("" else) */
    int bsig;                       /* the hotkey signature verified (1), failed (0), -1 */
    lpc_hotkey_result hk;           /* what lpc_hotkey_verify decoded, when bsig >= 0 */
} lpau_weights;

/* The tree a bundle document may take beyond its own size: only "uids" and
 * "weights_u16" are kept whole, a bundle's "weights" is read a pair at a time
 * (lpau_pairs) and an against document's kept whole, every other container member is
 * checked and dropped (lpc_parse_each), and the kept tree, its blocks and the parser's
 * stacks may take from the allocator the input's size plus this much.  An against
 * document at LPC_WEIGHTS_MAX_PAIRS pairs of the longest realistic numbers takes
 * ~8 MB; with its input, a parse stays within twice the input plus this (a hostile
 * shape stops with INPUT_TOO_LARGE). */
#define LPAU_WEIGHTS_TREE_SLACK ((size_t)10 << 20)

/* verify_weights's decision: parses the bundle document in[0..len) and
 * o->against (each at most LPC_JSON_MAX_INPUT, Python json.loads rules), then
 * appends the checks listed at the top to *out in run order.  o may be NULL
 * (nothing asked besides the bundle).  Returns the verdict of the checks this
 * call appended (OUT_OF_MEMORY when one was lost; BAD_ARGUMENT for NULL out).
 * *w (about 17 KB) is filled for the caller's report; release it with
 * lpau_weights_free in every case. */
lp_code lpau_weights_verify(const uint8_t *in, size_t len, const lpau_weights_opts *o,
                            lpau_weights *w, lp_checks *out);
/* As lpau_weights_verify over a buffer the call takes: in (from malloc, len bytes) is
 * freed by the call or kept in w->doc, whose strings lie in it, and lpau_weights_free
 * releases it.  The same checks; the document is not copied. */
lp_code lpau_weights_verify_take(uint8_t *in, size_t len, const lpau_weights_opts *o,
                                 lpau_weights *w, lp_checks *out);
void lpau_weights_free(lpau_weights *w);

#endif
