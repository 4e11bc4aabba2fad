/* The gateway's acceptance of a v1 weight submission (POST /weights/submit, Jan 2026):
 * leadpoet-formats.md §10.7 in its mandatory order, with the rules of §10.2, §10.3,
 * §10.6, §11 and §13.3, and the sr25519 hotkey check of sr25519.md §1.2.
 *
 * Submission document (a JSON object; other members are ignored):
 *   netuid, epoch_id, block            int (within int64)
 *   uids, weights_u16                  arrays of int
 *   weights_hash, validator_hotkey, validator_enclave_pubkey, validator_signature,
 *   validator_attestation_b64, validator_code_hash, binding_message,
 *   validator_hotkey_signature         str
 * A missing member is MISSING_FIELD, another JSON type (a bool is not an int) BAD_TYPE,
 * an int outside int64 OUT_OF_RANGE: undecided (exit 2), check "step1.fields".
 *
 * Gateway state, passed as bytes (NULL: the step is not checked, a warning check with
 * code UNSUPPORTED, and its bit is set in lpau_submission.not_checked):
 *   allowed_hotkeys  a JSON array of SS58 strings, compared byte for byte (step 2);
 *   accepted         a JSON array of {"netuid": int, "epoch_id": int,
 *                    "validator_hotkey": str} already accepted (step 3);
 *   gateway_block    the gateway's current block (step 4).
 * A state document that does not parse or has another shape is undecided
 * ("input.allowed_hotkeys", "input.accepted"), before any step runs.
 *
 * Checks, in order; the first step whose check fails decided-ly (exit class 1) or
 * undecided-ly (exit class 2) ends the run, so the verdict is that step's code:
 *   "input"                    the submission parses (json.loads rules);
 *   "step1.fields", "step1.invariants"        (WEIGHTS_INVARIANT, Python's message);
 *   "step2.allowed_hotkeys"    (HOTKEY_NOT_ALLOWED);
 *   "step3.accepted"           (DUPLICATE_SUBMISSION, index: the accepted entry);
 *   "step4.block_freshness"    |gateway_block - block| <= 30 (BLOCK_NOT_FRESH);
 *   "step4.epoch_of_block"     epoch_id == block // 360 (EPOCH_MISMATCH);
 *   "step4.submission_window"  block % 360 >= submission_block - 15
 *                              (OUTSIDE_SUBMISSION_WINDOW);
 *   "step4.gateway_epoch"      epoch_id is gateway_block // 360, or one less while
 *                              gateway_block % 360 < 30 (EPOCH_MISMATCH);
 *   "step5.attestation.decode" validator_attestation_b64 is strict standard base64
 *                              (INPUT_DECODE_ERROR);
 *   "step5.<name>"             every check of lpa_verify_evidence on the decoded COSE
 *                              bytes, policy and PCR0 pinning included;
 *   "step5.purpose"            user_data purpose == "validator_weights" (PURPOSE_MISMATCH;
 *                              a missing purpose fails too);
 *   "step5.epoch_id"           user_data epoch_id is an int equal to epoch_id
 *                              (USER_DATA_MISMATCH);
 *   "step5.enclave_pubkey"     the attested user_data key, as lowercase hex, equals
 *                              validator_enclave_pubkey exactly (PUBLIC_KEY_MISMATCH);
 *   "step6.binding_parse"      lpc_binding_parse (BINDING_REJECTED; text that is not
 *                              UTF-8, e.g. a lone surrogate from "\ud800", is rejected
 *                              as Python's str.encode raises; INPUT_TOO_LARGE over
 *                              LPC_BINDING_MAX_LEN, undecided);
 *   "step6.binding_fields"     netuid, chain, validator_enclave_pubkey and
 *                              validator_code_hash (BINDING_MISMATCH);
 *   "step6.hotkey_signature"   lpc_hotkey_verify(validator_hotkey, utf8(binding_message),
 *                              validator_hotkey_signature) (HOTKEY_SIGNATURE_INVALID,
 *                              detail naming the sr25519 reason), followed by its own
 *                              checks named "step6.hotkey.<name>";
 *   "step7.enclave_signature"  Ed25519 of validator_signature over
 *                              bytes.fromhex(weights_hash) (32 bytes) by
 *                              bytes.fromhex(validator_enclave_pubkey) (SIGNATURE_INVALID,
 *                              also when a text does not decode to the right length);
 *   "step8.bundle_weights_hash" bundle_weights_hash (§10.3) of the submission equals
 *                              weights_hash exactly (WEIGHTS_HASH_MISMATCH).
 * One exception to stopping: an attestation whose only failure is PCR_NOT_PINNED
 * (nothing pinned, no any_pcr) goes on to steps 5-8, so a finding about the evidence
 * is the verdict before the missing trust anchor (lp_checks_verdict).
 *
 * Pure: no I/O, no clock (the attestation instant is in opts->attest).  Memory: *out
 * owns the parsed documents and the attestation evidence; release it with
 * lpau_submission_free in every case. */
#ifndef LPAU_SUBMISSION_H
#define LPAU_SUBMISSION_H

#include <stddef.h>
#include <stdint.h>
#include "attest/evidence.h"
#include "canonical/lp_check.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_sr25519.h"

/* §10.6 constants. */
#define LPAU_EPOCH_LENGTH               360
#define LPAU_MAX_BLOCK_DRIFT            30
#define LPAU_EARLY_SUBMISSION_WINDOW    15
#define LPAU_WEIGHT_SUBMISSION_BLOCK_V1 345   /* the v1 era, from 2026-01-05 */
#define LPAU_SUBMISSION_CHAIN_DEFAULT   "wss://entrypoint-finney.opentensor.ai:443"
#define LPAU_SUBMISSION_PURPOSE         "validator_weights"

/* lpau_submission.not_checked bits. */
#define LPAU_NC_ALLOWED_HOTKEYS 1u   /* step 2 */
#define LPAU_NC_ACCEPTED        2u   /* step 3 */
#define LPAU_NC_BLOCK_RULES     4u   /* step 4 */

typedef struct {
    const uint8_t *allowed_hotkeys;   /* NULL: step 2 not checked */
    size_t allowed_hotkeys_len;
    const uint8_t *accepted;          /* NULL: step 3 not checked */
    size_t accepted_len;
    int has_gateway_block;            /* 0: step 4 not checked */
    int64_t gateway_block;
    int64_t submission_block;         /* WEIGHT_SUBMISSION_BLOCK (lpau_submission_opts_init: 345) */
    const char *chain;                /* expected binding chain; NULL: the default */
    unsigned hotkey_flags;            /* LPC_HOTKEY_STRICT or 0 */
    const lpa_evidence_opts *attest;  /* required: instant, root, any_pcr */
    const lpa_policy *policy;         /* required: the PCR policy */
} lpau_submission_opts;

typedef struct {
    lpc_value *doc, *allowed, *accepted;   /* parsed inputs (owned) */
    int fields_ok;                         /* the members below are set */
    int64_t netuid, epoch_id, block;
    int64_t *uids, *weights;               /* owned */
    size_t n_uids, n_weights;
    const lpc_value *weights_hash, *hotkey, *enclave_pubkey, *signature, *attestation_b64, *code_hash,
        *binding_message, *hotkey_signature;   /* strings in doc */
    unsigned not_checked;                  /* LPAU_NC_* */
    int failed_step;                       /* the step that ended the run (1..8), 0 if none */
    lpa_evidence *ev;                      /* step 5's evidence (owned), NULL before it ran */
    int attest_ran, pcr0_pinned, any_pcr_used;
    int hotkey_ran;                        /* hk holds lpc_hotkey_verify's result */
    lpc_hotkey_result hk;
    char bundle_hash[LPC_SHA256_HEX_LEN + 1];  /* step 8's recomputed hash ("" before) */
} lpau_submission;

/* Defaults: nothing of the gateway state, submission_block 345, the default chain. */
void lpau_submission_opts_init(lpau_submission_opts *o);

/* Runs the procedure above on json[0..len) (at most LPC_JSON_MAX_INPUT bytes), appending
 * its checks to *checks, and returns their verdict (OUT_OF_MEMORY when one was lost;
 * BAD_ARGUMENT for NULL o, out, checks or o->attest / o->policy). */
lp_code lpau_submission_verify(const uint8_t *json, size_t len, const lpau_submission_opts *o, lpau_submission *out,
                               lp_checks *checks);
void lpau_submission_free(lpau_submission *s);

/* "allowed_hotkeys", "accepted", "gateway_block" for one LPAU_NC_* bit (static). */
const char *lpau_submission_nc_name(unsigned bit);

#endif
