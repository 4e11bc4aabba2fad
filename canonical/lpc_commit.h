/* Commit-reveal hashes of validator results (validator -> gateway).
 * Spec: leadpoet-formats.md §8 (formulas, §8.3 history) and §1.2 (DU-A profile).
 *
 *   decision_hash          = hex(SHA256(utf8(decision + salt)))
 *   rep_score_hash         = hex(SHA256(utf8(str(rep_score) + salt)))
 *   rejection_reason_hash  = hex(SHA256(utf8(DU-A(rejection_reason) + salt)))
 *   legacy single /reveal  = hex(SHA256(utf8(reason_string + salt)))      (§8.3)
 *   evidence_hash          = hex(SHA256(utf8(DU-A(evidence))))            (no salt)
 *
 * The salt is used as TEXT (normally 64 lowercase hex characters, one per
 * validator per epoch); its characters are hashed, never its decoded bytes.
 *
 * Text arguments are (pointer, length) pairs holding UTF-8, or WTF-8 as the
 * parser in lpc_json.h produces.  A lone surrogate cannot be encoded by
 * Python's str.encode("utf-8"), so it gives LPC_ERR_SURROGATE; other invalid
 * UTF-8 gives LPC_ERR_UTF8.
 *
 * Memory: every function writes into caller-provided storage (fixed-size hex
 * arrays, or an lpc_buf the caller frees with lpc_buf_free).  No globals, no I/O. */
#ifndef LPC_COMMIT_H
#define LPC_COMMIT_H

#include <stddef.h>
#include "canonical/lpc_err.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"

/* Upper bound on one text argument (salt, decision, raw reason string).  The
 * spec names no limit; production values are a few dozen bytes. */
#define LPC_COMMIT_MAX_TEXT ((size_t)1 << 20)
/* Length of the salt the validator produces: hex of 32 random bytes (§8). */
#define LPC_COMMIT_SALT_HEX_LEN 64

/* 1 when salt is exactly 64 lowercase hex characters, the form every producer
 * uses.  The hashes below accept any salt text, as the gateway did. */
int lpc_commit_salt_is_canonical(const char *salt, size_t salt_len);

/* decision_hash.  decision is hashed as given ("approve"/"deny"; not checked). */
lpc_err lpc_decision_hash(const char *decision, size_t decision_len,
                          const char *salt, size_t salt_len,
                          char out[LPC_SHA256_HEX_LEN + 1]);

/* Appends Python str(rep_score) to out: an LPC_INT gives its decimal digits
 * (current era, "42"); an LPC_FLOAT gives repr(float) (legacy era before
 * 2025-12-10, "42.0", "0.87").  Any other type: LPC_ERR_TYPE. */
lpc_err lpc_rep_score_str(const lpc_value *rep_score, lpc_buf *out);

/* rep_score_hash over str(rep_score) + salt (types as lpc_rep_score_str). */
lpc_err lpc_rep_score_hash(const lpc_value *rep_score,
                           const char *salt, size_t salt_len,
                           char out[LPC_SHA256_HEX_LEN + 1]);

/* Appends the preimage text DU-A(reason) + salt to out (what the hash covers;
 * useful to show a user why a hash does not match). */
lpc_err lpc_rejection_reason_preimage(const lpc_value *reason,
                                      const char *salt, size_t salt_len,
                                      lpc_buf *out);

/* rejection_reason_hash: DU-A serialisation of reason (any JSON value; the
 * current gateway requires an object, insertion order matters) + salt. */
lpc_err lpc_rejection_reason_hash(const lpc_value *reason,
                                  const char *salt, size_t salt_len,
                                  char out[LPC_SHA256_HEX_LEN + 1]);

/* Legacy single /reveal (2025-11 .. 2026-02, §8.3): the raw reason STRING
 * (e.g. "pass") + salt, no JSON encoding. */
lpc_err lpc_rejection_reason_text_hash(const char *reason, size_t reason_len,
                                       const char *salt, size_t salt_len,
                                       char out[LPC_SHA256_HEX_LEN + 1]);

/* evidence_hash: SHA-256 of DU-A(evidence), no salt.  Pass clean_result
 * (see below) to reproduce what the validator committed to. */
lpc_err lpc_evidence_hash(const lpc_value *evidence,
                          char out[LPC_SHA256_HEX_LEN + 1]);

/* The keys the validator strips from result["enhanced_lead"] before hashing. */
#define LPC_EVIDENCE_STRIPPED_KEYS \
    { "company_linkedin_data", "company_linkedin_slug", "company_linkedin_from_cache" }

/* Builds clean_result from result (an object, else LPC_ERR_TYPE): a copy of
 * result in which an "enhanced_lead" that is an object is replaced, at the same
 * position, by a copy without the keys company_linkedin_data,
 * company_linkedin_slug and company_linkedin_from_cache.  A non-object
 * enhanced_lead is kept as is.  On success *out is a new tree the caller
 * releases with lpc_free(); on error *out is NULL. */
lpc_err lpc_evidence_clean_result(const lpc_value *result, lpc_value **out);

/* evidence_hash(clean_result(result)). */
lpc_err lpc_evidence_hash_clean(const lpc_value *result,
                                char out[LPC_SHA256_HEX_LEN + 1]);

#endif
