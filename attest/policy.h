/* Policy layer (nitro-attestation.md §6.2, §7), kept apart from the crypto:
 * what the user expects of a document that lpa_verify found genuine.
 * Fail closed: debug enclaves are rejected unless allowed, every pinned value
 * must match, a policy file that pins nothing is an error, and (lpa_policy_pin) a
 * document whose PCR0 the user did not pin is PCR_NOT_PINNED unless the user
 * explicitly accepts any code.  Pure: no I/O; the caller reads policy files.
 *
 * Memory: lpa_policy is a fixed struct of about 120 KiB (LPA_POLICY_MAX_BUILDS PCR
 * sets); callers allocate it on the heap (calloc, then lpa_policy_init), never on the
 * stack, and nothing inside it needs freeing. */
#ifndef LPA_POLICY_H
#define LPA_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include "attest/nitro.h"

#define LPA_POLICY_MAX_BUILDS   64u
#define LPA_POLICY_LABEL_MAX    128u        /* label and allowlist version, with the NUL */
#define LPA_POLICY_COMMIT_MAX   64u         /* allowlist commit_hash: 40 (SHA-1) or 64 (SHA-256) hex */
#define LPA_ALLOWLIST_NOTES_MAX 4096u       /* allowlist "notes" text, with the NUL */
#define LPA_POLICY_FILE_MAX     (1u << 20)
#define LPA_FUTURE_SKEW_S       60          /* §3.5 live mode: ts <= now + 60 s */

typedef struct {
    char label[LPA_POLICY_LABEL_MAX];    /* policy label, "builds[i]", or the allowlist version */
    char version[LPA_POLICY_LABEL_MAX];  /* allowlist entry: its version; "" otherwise */
    char commit[LPA_POLICY_COMMIT_MAX + 1]; /* allowlist entry: its commit_hash, lowercase; "" if none */
    uint32_t mask;                       /* bit i: PCR i pinned */
    uint8_t pcrs[LPA_MAX_PCRS][LPA_PCR_LEN];
} lpa_pcr_set;

typedef struct {
    int allow_debug;
    int64_t max_age_s;                   /* -1: age not checked */
    int64_t future_skew_s;
    lpa_pcr_set expect;                  /* --expect-pcr: every pinned index must match */
    lpa_pcr_set builds[LPA_POLICY_MAX_BUILDS]; /* --pcr-policy: one build must match */
    size_t n_builds;
    int has_nonce, has_user_data, has_public_key;
    uint8_t nonce[LPA_NONCE_MAX];
    size_t nonce_len;
    uint8_t user_data[LPA_USER_DATA_MAX];
    size_t user_data_len;
    uint8_t public_key[LPA_PUBLIC_KEY_MAX];
    size_t public_key_len;
} lpa_policy;

/* Defaults: debug rejected, no max age, 60 s future skew, nothing pinned. */
void lpa_policy_init(lpa_policy *p);

/* "N=HEX" (N in 0..31, 96 hex digits).  LPA_POLICY_ERROR on bad input or a
 * second, different value for the same index. */
lpa_err lpa_policy_expect_pcr(lpa_policy *p, const char *arg, char *err, size_t errlen);

/* Expected nonce / user_data / public_key as hex (empty string = empty bytes). */
lpa_err lpa_policy_expect_hex(lpa_policy *p, const char *which, const char *hex, char *err, size_t errlen);

/* A PCR policy file (JSON, at most LPA_POLICY_FILE_MAX bytes; duplicate and unknown
 * keys rejected) into p->builds.  Two formats:
 *
 *   {"schema": "leadpoet-verify/pcr-policy/1",            (optional)
 *    "allow_debug": false,                                (optional)
 *    "builds": [{"label": "gateway v1", "pcrs": {"0": "<96 hex>", "1": "...", "2": "..."}}, ...]}
 *   (or the spec §7 form {"pcrs": {"any_of": [{"0": "<hex>", ...}, ...]}}, labels
 *   "any_of[i]" or a "label" key inside each set), with role NULL;
 *
 *   Leadpoet's pcr0_allowlist.json exactly as published (§7, §13.2), with role
 *   "gateway" or "validator" choosing gateway_pcr0 or validator_pcr0:
 *   {"_comment": str, ...,                                ("_" keys: text remarks)
 *    "gateway_pcr0": [{"pcr0": "<96 hex>", "version": str, "deployed": str,
 *                      "commit_hash": "<40 or 64 hex>", "notes": str}, ...],
 *    "validator_pcr0": [...]}
 *   pcr0 and version are required, the rest optional; each entry becomes a build
 *   pinning PCR0, labelled with its version, keeping version and commit_hash.  The
 *   other role's list must be just as well formed.
 *
 * A role with the first format, an allowlist without a role, an empty list, more than
 * LPA_POLICY_MAX_BUILDS builds, or a build pinning no PCR is LPA_POLICY_ERROR (err
 * says why, and p->n_builds is 0). */
lpa_err lpa_policy_load(lpa_policy *p, const uint8_t *json, size_t len, const char *role, char *err,
                        size_t errlen);

/* Adds the policy checks to r (freshness, debug, PCRs, nonce, user_data,
 * public_key) and fills r->policy ("none" when no PCR is pinned).  Does nothing
 * when no document parsed.  It does not require anything to be pinned:
 * lpa_policy_pin does (lpa_verify_evidence runs both). */
void lpa_policy_apply(const lpa_policy *p, lpa_result *r);

/* What the PCR expectations established for a document. */
typedef struct {
    int pcr0_pinned;    /* the document's PCR0 equals a value the user pinned: --expect-pcr 0=
                           (every expected PCR matching), or the matching build pins PCR0 */
    int build;          /* index in p->builds of the matching build (the first that pins PCR0,
                           else the first); -1 if none */
} lpa_pcr_match;

/* The pinning rule (issue defect 2): unless the document's PCR0 is pinned, adds the
 * failed check "policy.pcr_pinned" with LPA_PCR_NOT_PINNED (a warning instead when
 * any_pcr, the user's explicit opt-in); when it is pinned, a passed check naming what
 * pinned it.  When a pinned PCR already differs (policy.expect_pcr or
 * policy.pcr_policy failed with PCR_MISMATCH) no check is added.  Fills m (may be
 * NULL); does nothing but that when no document parsed. */
void lpa_policy_pin(const lpa_policy *p, int any_pcr, lpa_result *r, lpa_pcr_match *m);

#endif
