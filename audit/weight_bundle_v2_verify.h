/* verify_weight_bundle's procedure: a Leadpoet v2 weight bundle, end to end
 * (leadpoet-weights-v2.md §4, §6-§9).
 *
 *   published v2 (receipt_graph)  validate_published_weight_bundle_v2, every Nitro boot
 *                                 document (attest/boot_v2.h) where the reference calls its
 *                                 boot verifier, the binding message's fields and the
 *                                 hotkey's sr25519 signature over it (§8.2)
 *   shadow v2 (2026-07-10)        validate_weight_bundle_v2, the validator's attestation,
 *                                 the hotkey signature
 *   compact v2                    its commitments and the validator-local checks; the
 *                                 detached ancestry certificates are not checked
 *   event (optional)              a signed WEIGHT_SUBMISSION_V2 log entry, or the one in an
 *                                 Arweave checkpoint that names this bundle (verified as
 *                                 verify_merkle_inclusion does, with its inclusion proof),
 *                                 under the pinned coordinator key: signature, hash, payload
 *                                 ties and epoch_authority against the cutover manifest
 *
 * Checks are appended to the caller's lp_checks in run order; the verdict is
 * lp_checks_verdict of them, and LP_CODE_OK_STRUCTURAL instead of OK when an opt-out
 * (no_boot_attestation, no_hotkey_signature) left a check out: each opt-out adds a
 * warning check saying what was not verified.  Fail closed: without opt-outs every boot
 * document must verify with a pinned PCR0 and the hotkey signature must verify.
 *
 * Pure: no I/O, no clock (the attestation instant is in opts->att).
 * Memory: lpau_wbv2_result's trees are owned by it; release with lpau_wbv2_result_free. */
#ifndef LPAU_WEIGHT_BUNDLE_V2_VERIFY_H
#define LPAU_WEIGHT_BUNDLE_V2_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "attest/boot_v2.h"
#include "canonical/lp_check.h"
#include "canonical/lpc_referr.h"
#include "canonical/lpc_value.h"

typedef enum {
    LPAU_WBV2_UNKNOWN = 0,
    LPAU_WBV2_PUBLISHED,   /* "published_v2": leadpoet.published_weight_bundle.v2 with receipt_graph */
    LPAU_WBV2_SHADOW,      /* "shadow_v2": the same schema with weight_receipt + parent_receipts */
    LPAU_WBV2_COMPACT      /* "compact_v2": leadpoet.compact_weight_submission.v2 */
} lpau_wbv2_format;

/* "published_v2", "shadow_v2", "compact_v2", "unknown". */
const char *lpau_wbv2_format_name(lpau_wbv2_format f);

typedef struct {
    int no_boot_attestation;           /* the user's opt-out: boots checked structurally only */
    int no_hotkey_signature;           /* the user's opt-out: the sr25519 signature not verified */
    int require_allocation_ancestry;   /* shadow bundles: validate_weight_bundle_v2's argument */
    unsigned hotkey_flags;             /* LPC_HOTKEY_STRICT or 0 */
    /* Attestation (required unless no_boot_attestation): p_gateway for gateway_* boots,
     * p_validator for the others (the same policy may be given twice). */
    const lpa_evidence_opts *att;
    const lpa_policy *p_gateway, *p_validator;
    /* The event: at most one of event (a signed log entry, JSON) and checkpoint (an
     * Arweave checkpoint payload); event_pubkey (64 hex) and cutover_manifest are then
     * required. */
    const uint8_t *event;
    size_t event_len;
    const uint8_t *checkpoint;
    size_t checkpoint_len;
    const char *event_pubkey;
    const char *checkpoint_pubkey;     /* the checkpoint header's key (64 hex); NULL: event_pubkey */
    const lpc_value *cutover_manifest;
    int64_t blocks_remaining_max;      /* 0: the gateway's bound at the event's date (lpc_wev2_blocks_remaining_bound) */
} lpau_wbv2_opts;

typedef struct {
    lpau_wbv2_format format;
    lpc_value *bundle;       /* the parsed input */
    lpc_value *verified;     /* the reference's return value when the bundle validated, else NULL */
    lpc_value *boots;        /* array: one summary per boot whose document was examined */
    lpc_value *event;        /* summary of the event checked, or NULL */
    const char *step;        /* published: the failing §8.1 step ("envelope" ... "weights_signature"), else NULL */
    lpc_referr err;          /* the reference exception that rejected the bundle (code OK: none) */
    const char *ancestry;    /* compact: "not_checked"; else NULL */
    char bundle_hash[72];    /* published: the reference's; shadow: sha256_json(bundle); compact: the
                                commitment; "" when the bundle did not validate */
} lpau_wbv2_result;

/* Verifies in[0..len) (a JSON bundle of one of the three formats).  Returns the
 * verdict (see above); LP_CODE_BAD_ARGUMENT when o, res or out is NULL. */
lp_code lpau_wbv2_verify(const uint8_t *in, size_t len, const lpau_wbv2_opts *o, lpau_wbv2_result *res,
                         lp_checks *out);
void lpau_wbv2_result_free(lpau_wbv2_result *res);

#endif
