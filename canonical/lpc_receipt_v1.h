/* Leadpoet's shadow-era receipts, attested_receipt.v1: the normalizing builder, body
 * and signed-receipt validation, receipt_hash, lineage and the v1 artifact tree.
 * A port of leadpoet_canonical/attested_receipts.py@5fe22c16 (build_receipt_body,
 * validate_receipt_body, receipt_hash, validate_signed_receipt, verify_receipt_lineage,
 * artifact_commitment, artifact_merkle_root).
 * Spec: leadpoet-weights-v2.md §4 (with §3 and §10), leadpoet-formats.md §4.4.
 *
 * Values are json.loads trees (lpc_value.h) and may be of any type: each function
 * returns what the reference returns for the same Python value, or the exception it
 * raises as an lpc_referr (err may be NULL):
 *   LP_CODE_RECEIPT_ERROR       ReceiptError with the reference's message;
 *   LP_CODE_PYTHON_TYPE_ERROR   TypeError ("'int' object is not iterable", "unhashable
 *                               type: 'list'") or AttributeError ("'list' object has
 *                               no attribute 'items'") of a value of the wrong type;
 *   LP_CODE_BAD_ARGUMENT        TypeError of a wrong call (a missing argument);
 *   LP_CODE_UNSUPPORTED         RecursionError: a lineage deeper than
 *                               LPC_RECEIPT_V1_MAX_LINEAGE_DEPTH (Python's recursion
 *                               limit; the reference's exact depth is not reproduced);
 *   LP_CODE_INPUT_TOO_LARGE     a list or map over LPC_RECEIPT_V1_MAX_ITEMS (refused,
 *                               not a reference outcome);
 *   LP_CODE_OUT_OF_MEMORY, LP_CODE_CRYPTO_BACKEND.
 *
 * Normalization (§3, §10 item 13): the builder applies str(x or "").strip() (and
 * .lower() for hashes and commit_sha) before matching; the validators rebuild the body
 * and require Python == with it, so a stored body must already be normalized.
 * issued_at matches \d with Python's str semantics: any Unicode decimal digit.
 *
 * Memory: *out trees are new and owned by the caller (lpc_free); inputs are never
 * modified or retained.  Pure: no I/O, no globals beyond constant tables. */
#ifndef LPC_RECEIPT_V1_H
#define LPC_RECEIPT_V1_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lp_code.h"
#include "canonical/lpc_referr.h"
#include "canonical/lpc_refcall.h"
#include "canonical/lpc_v2_common.h"
#include "canonical/lpc_value.h"

#define LPC_RECEIPT_V1_SCHEMA      "leadpoet.attested_receipt.v1"   /* §4 */
#define LPC_RECEIPT_V1_ROLE_SCORING "gateway_scoring"               /* §4 */
#define LPC_RECEIPT_V1_ROLE_WEIGHTS "validator_weights"             /* §4 */
#define LPC_RECEIPT_V1_WEIGHT_PURPOSE "validator.weights.computed.v2" /* §4 */
#define LPC_RECEIPT_V1_BODY_FIELDS 15   /* §4: "exactly 15 keys" */
/* Empty artifact tree: "sha256:" + hex(SHA-256("\x02leadpoet-empty-artifact-tree-v1"))
 * (leadpoet-formats.md §4.4). */
#define LPC_RECEIPT_V1_EMPTY_ARTIFACT_PREIMAGE "\x02leadpoet-empty-artifact-tree-v1"
/* Items of one list or map (parents, evidence roots, artifacts, lineage receipts)
 * accepted before the input is refused with LP_CODE_INPUT_TOO_LARGE.  Not in the
 * reference: a bound on the work and allocation of one call. */
#define LPC_RECEIPT_V1_MAX_ITEMS   ((size_t)1 << 20)
/* The deepest nesting of verify_receipt_lineage's recursive visit (a chain of this many
 * receipts, the receipt included) before it fails as Python's RecursionError ends it
 * (§4 lineage): CPython 3.11's default limit of 1000 frames, reached at 998 when the
 * reference is called from a module's top level.  A caller deeper in the stack hits it
 * earlier; that depends on the caller and is not reproduced. */
#define LPC_RECEIPT_V1_MAX_LINEAGE_DEPTH 997

/* 1 when purpose is a string in SCORING_PURPOSES (§4: the seven research_lab.*.v1). */
int lpc_receipt_v1_is_scoring_purpose(const lpc_value *purpose);

/* The keyword arguments of build_receipt_body.  Every member but failure_code is
 * required (NULL: LP_CODE_BAD_ARGUMENT, the TypeError of a missing keyword);
 * failure_code NULL means its default, None. */
typedef struct {
    const lpc_value *role, *purpose, *job_id, *epoch_id, *commit_sha, *build_manifest_hash,
        *config_hash, *input_root, *output_root, *evidence_roots, *parent_receipt_hashes, *status,
        *issued_at, *failure_code;
} lpc_receipt_v1_args;

/* build_receipt_body(**a) (§4): the normalized 15-key body in *out, checked in the
 * reference's order (role, purpose, epoch_id, commit_sha, status, failure_code,
 * issued_at, parent_receipt_hashes, evidence_roots, job_id, build_manifest_hash,
 * config_hash, input_root, output_root). */
lp_code lpc_receipt_v1_build_body(const lpc_receipt_v1_args *a, lpc_value **out, lpc_referr *err);

/* validate_receipt_body(body) (§4): the exact key set, then Python == with the rebuilt
 * body.  LP_CODE_OK when it passes. */
lp_code lpc_receipt_v1_validate_body(const lpc_value *body, lpc_referr *err);

/* receipt_hash(body) (§4): validate_receipt_body, then sha256_json(body) into out
 * (71 characters and a NUL). */
lp_code lpc_receipt_v1_hash(const lpc_value *body, char out[72], lpc_referr *err);

/* validate_signed_receipt(receipt, verify_signature=...) (§4): the body and the four
 * signed fields, receipt_hash, the pubkey and signature forms (lower-cased first) and
 * a non-empty attestation_document_b64 (not verified); with verify_signature, Ed25519
 * over the 32 digest bytes (§3).  LP_CODE_OK when it passes. */
lp_code lpc_receipt_v1_validate_signed(const lpc_value *receipt, int verify_signature, lpc_referr *err);

/* verify_receipt_lineage(receipt, parent_receipts) (§4): validates the receipt and each
 * parent (a map from receipt_hash to signed receipt), then walks the parents depth
 * first.  *ordered is a new array of the post-order receipt hashes, the receipt last. */
lp_code lpc_receipt_v1_verify_lineage(const lpc_value *receipt, const lpc_value *parent_receipts,
                                      lpc_value **ordered, lpc_referr *err);

/* artifact_commitment(name, content) (§4.4 of leadpoet-formats.md): the object
 * {name, sha256, size_bytes} of content[0..len) under the identifier name[0..name_len)
 * (stripped first, as the reference does). */
lp_code lpc_receipt_v1_artifact_commitment(const char *name, size_t name_len, const uint8_t *content,
                                           size_t len, lpc_value **out, lpc_referr *err);

/* artifact_merkle_root(artifacts) (leadpoet-formats.md §4.4): artifacts is iterated as
 * Python iterates it; each item needs .get (an object) with an identifier name, a
 * sha256: digest and a non-negative int (or bool) size_bytes.  Leaves are sorted by
 * (name, sha256, size_bytes), stably; duplicates are kept.  out: 71 characters + NUL. */
lp_code lpc_receipt_v1_artifact_merkle_root(const lpc_value *artifacts, char out[72], lpc_referr *err);

/* The leaves artifact_merkle_root hashes, in tree order: *leaves is a new array of the
 * normalized {name, sha256, size_bytes} objects (size_bytes as given, int or bool);
 * leaf i is H(0x00 || CS-U(leaves[i])).  The same errors as artifact_merkle_root. */
lp_code lpc_receipt_v1_artifact_leaves(const lpc_value *artifacts, lpc_value **leaves, lpc_referr *err);

/* The refcall adapters (lpc_refcall.h), named "attested_receipts.<function>":
 * build_receipt_body, validate_receipt_body, receipt_hash, validate_signed_receipt,
 * verify_receipt_lineage and artifact_merkle_root.  Each binds its arguments as CPython
 * 3.11 does (its TypeError messages for a wrong call) and returns the Python return
 * value: null for None, a string, a list for the lineage tuple, an object. */
extern const lpc_refcall_entry lpc_refcall_attested_receipts[];

#endif
