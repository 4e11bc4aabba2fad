/* The Nitro attestation of a Leadpoet v2 boot identity (leadpoet-weights-v2.md §7.2;
 * attested_v2.py verify_boot_identity_nitro at 5fe22c16): the boot's
 * attestation_document_b64 must be a genuine document under the chosen root
 * (lpa_verify_evidence: COSE, chain, signature, invariants, the user's PCR policy and
 * the PCR0 pinning rule), its PCR0 must be the boot's own pcr0, and its user_data must
 * be exactly the claim the boot expects (build_boot_attestation_user_data, compared as
 * Python compares the parsed JSON) naming the boot's signing key.  The certificate
 * instant is the caller's (lpa_evidence_opts; the reference verifies the chain at the
 * attestation's own time).
 *
 * Structural validity of the identity (its hash, fields, base64 form) is the receipt
 * graph's (lpc_av2_validate_boot_identity); this adds what only the document proves.
 * Pure: no I/O, no globals. */
#ifndef LPA_BOOT_V2_H
#define LPA_BOOT_V2_H

#include "attest/evidence.h"
#include "canonical/lp_check.h"
#include "canonical/lpc_value.h"

/* What one boot's attestation established. */
typedef struct {
    char role[40];                  /* the boot's role (cut to fit) */
    char policy_role[12];           /* "gateway" or "validator": the policy applied */
    lp_code result;                 /* LP_CODE_OK, or the first failure */
    char detail[LP_CHECK_DETAIL_MAX]; /* why, for a failure */
    int64_t timestamp_s;            /* the document's time (Unix seconds); -1 if unparsed */
    char pcr0[2 * LPA_PCR_LEN + 1]; /* the document's PCR0, "" if unparsed */
    char match_label[LPA_POLICY_LABEL_MAX]; /* the policy build that pinned it, "" if none */
    int pcr0_pinned;
} lpa_boot_v2;

/* Verifies identity's document.  p_gateway applies to boots whose role starts with
 * "gateway_", p_validator to the others (the reference's role split).  Appends the
 * document's checks to out (may be NULL) with names prefixed by prefix (e.g.
 * "boot[2]."), fills *b and returns b->result: LP_CODE_OK, a code of the attestation
 * flow (MALFORMED_COSE, CERT_EXPIRED, PCR_NOT_PINNED, ...), PCR_MISMATCH (document
 * PCR0 is not the boot's), USER_DATA_MISMATCH (not the expected claim),
 * PUBLIC_KEY_MISMATCH (the claim names another key), INPUT_DECODE_ERROR (no
 * base64 document), OUT_OF_MEMORY. */
lp_code lpa_boot_v2_verify(const lpc_value *identity, const lpa_evidence_opts *o, const lpa_policy *p_gateway,
                           const lpa_policy *p_validator, const char *prefix, lpa_boot_v2 *b, lp_checks *out);

#endif
