/* Policy layer (nitro-attestation.md §6.2, §7), kept apart from the crypto:
 * what the user expects of a document that lpa_verify found genuine.
 * Fail closed: debug enclaves are rejected unless allowed, every pinned value
 * must match, and a policy file that pins nothing is an error.  Pure. */
#ifndef LPA_POLICY_H
#define LPA_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include "attest/nitro.h"

#define LPA_POLICY_MAX_BUILDS 64u
#define LPA_POLICY_LABEL_MAX  128u
#define LPA_POLICY_FILE_MAX   (1u << 20)
#define LPA_FUTURE_SKEW_S     60     /* §3.5 live mode: ts <= now + 60 s */

typedef struct {
    char label[LPA_POLICY_LABEL_MAX];
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

/* PCR policy file (JSON, duplicate keys rejected, unknown keys rejected):
 *   {"schema": "leadpoet-verify/pcr-policy/1",            (optional)
 *    "allow_debug": false,                                (optional)
 *    "builds": [{"label": "gateway v1", "pcrs": {"0": "<96 hex>", "1": "...", "2": "..."}}, ...]}
 * The spec §7 form {"pcrs": {"any_of": [{"0": "<hex>", ...}, ...]}} is also
 * accepted (labels "any_of[i]", or a "label" key inside each set).
 * A policy with no builds, or a build pinning no PCR, is LPA_POLICY_ERROR. */
lpa_err lpa_policy_load(lpa_policy *p, const uint8_t *json, size_t len, char *err, size_t errlen);

/* Adds the policy checks to r (freshness, debug, PCRs, nonce, user_data,
 * public_key) and fills r->policy.  Does nothing when no document parsed. */
void lpa_policy_apply(const lpa_policy *p, lpa_result *r);

#endif
