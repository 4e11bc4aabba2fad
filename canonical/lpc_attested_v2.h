/* attested_v2 primitives of Leadpoet's authoritative weight pipeline, bit for bit with
 * leadpoet/leadpoet@5fe22c16 leadpoet_canonical/attested_v2.py.
 * Spec: leadpoet-weights-v2.md §3 (domain Merkle root), §7.1 (execution receipt), §7.2
 * (boot identity, NSM user_data), §7.3 (transport attempt), §7.4 (legacy receipt graph
 * leadpoet.attested_receipt_graph.v2), §10 (Python semantics: == across int/float/bool,
 * isinstance(x, int) accepting booleans, str()/strip()/lower() normalisation).
 *
 * Errors: every function returns LP_CODE_OK, or the exception the reference raises with
 * err filled in: LP_CODE_ATTESTED_V2_ERROR / "AttestedV2Error" with its exact str(), or
 * LP_CODE_PYTHON_TYPE_ERROR / "TypeError" where Python itself raises (iterating None, an
 * unhashable status).  Outside the reference: LP_CODE_INPUT_TOO_LARGE past the limits
 * below, LP_CODE_UNSUPPORTED for what is out of scope here (checkpointed graphs v3/v4),
 * the code a caller's boot verifier returns, and the registry code of LPC_ERR_NOMEM.  err may
 * be NULL.
 *
 * Memory: inputs are borrowed.  Every lpc_value ** output is a new tree the caller
 * releases with lpc_free(); it is NULL on error.  No globals beyond constant tables. */
#ifndef LPC_ATTESTED_V2_H
#define LPC_ATTESTED_V2_H

#include <stddef.h>
#include "canonical/lp_code.h"
#include "canonical/lpc_referr.h"
#include "canonical/lpc_value.h"
#include "canonical/lpc_v2_common.h"

/* Room for a "sha256:<64 hex>" reference and its NUL (§3) */
#define LPC_AV2_REF_SIZE 72

/* Schemas (§7) */
#define LPC_AV2_BOOT_IDENTITY_SCHEMA     "leadpoet.attested_boot_identity.v2"
#define LPC_AV2_TRANSPORT_ATTEMPT_SCHEMA "leadpoet.attested_transport_attempt.v2"
#define LPC_AV2_EXECUTION_RECEIPT_SCHEMA "leadpoet.attested_execution_receipt.v2"
#define LPC_AV2_RECEIPT_GRAPH_SCHEMA     "leadpoet.attested_receipt_graph.v2"
#define LPC_AV2_BOOT_CLAIM_SCHEMA        "leadpoet.attested_boot_claim.v2"
#define LPC_AV2_BOOT_PURPOSE             "leadpoet.boot_identity.v2"

/* Merkle domains (§3) */
#define LPC_AV2_DOMAIN_TRANSPORT      "leadpoet-transport-v2"
#define LPC_AV2_DOMAIN_ARTIFACT       "leadpoet-artifact-v2"
#define LPC_AV2_DOMAIN_HOST_OPERATION "leadpoet-host-operation-v2"
#define LPC_AV2_DOMAIN_WEIGHT_ARTIFACT "leadpoet-validator-weight-artifact-v2"

/* Constants (§3, §7.3) */
#define LPC_AV2_EMPTY_TRANSPORT_ROOT \
    "sha256:787014e86f46cb11d352bac2eb4ff56922666d4d2ab237056c9d9d1b4cb768fd"
#define LPC_AV2_EMPTY_ARTIFACT_ROOT \
    "sha256:b7a9dd23b82c20afcb7300c541086b4afc42c3c7dd830429525b307c6e224f1d"
#define LPC_AV2_EMPTY_HOST_OPERATION_ROOT \
    "sha256:98723dc15cb2304ed2a89815fc0cd05061b0106ce1a69cfd6fe9946649923451"
/* sha256_json({"schema_version":"leadpoet.egress_route.v2","route":"direct"}) */
#define LPC_AV2_DIRECT_EGRESS_REF_HASH \
    "sha256:54a5465e2ee3027edc0367fa26cc8d62013fa4cf3c4276a1dd561e6cb5872a59"

/* Limits of this port (the reference has none; inputs past them are refused with
 * LP_CODE_INPUT_TOO_LARGE rather than processed): items of one Merkle root or
 * parent list, and the boots, receipts, attempts and parent edges of one graph (§7.4). */
#define LPC_AV2_MAX_ITEMS          ((size_t)1 << 20)
#define LPC_AV2_GRAPH_MAX_OBJECTS  ((size_t)1 << 16)
#define LPC_AV2_GRAPH_MAX_EDGES    ((size_t)1 << 22)

/* merkle_root(items, domain=domain) (§3).  items is iterated as Python iterates it
 * (array elements; a string's characters; an object's keys; any other type is a
 * TypeError); domain is any value, normalised str(domain or "").strip().  out receives
 * "sha256:<hex>" NUL-terminated. */
lp_code lpc_av2_merkle_root(const lpc_value *items, const lpc_value *domain,
                            char out[LPC_AV2_REF_SIZE], lpc_referr *err);

/* build_execution_receipt_body (§7.1), its fields read from the object `fields` under
 * the body's key names (transport_root, host_operation_root; an absent key reads as
 * null; schema_version is ignored).  *out: the 21-key normalised body. */
lp_code lpc_av2_build_execution_receipt_body(const lpc_value *fields, lpc_value **out, lpc_referr *err);
/* validate_signed_execution_receipt(receipt, verify_signature=...) (§7.1). */
lp_code lpc_av2_validate_signed_execution_receipt(const lpc_value *receipt, int verify_signature,
                                                  lpc_referr *err);

/* build_boot_identity_body (§7.2), fields read as above.  *out: the 14-key body. */
lp_code lpc_av2_build_boot_identity_body(const lpc_value *fields, lpc_value **out, lpc_referr *err);
/* validate_boot_identity(identity) (§7.2): structural, the Nitro document is only
 * checked to be non-empty strict base64 as the reference checks it. */
lp_code lpc_av2_validate_boot_identity(const lpc_value *identity, lpc_referr *err);
/* build_boot_attestation_claim(identity) (§7.2): schema_version + the 12 fields, as given. */
lp_code lpc_av2_build_boot_attestation_claim(const lpc_value *identity, lpc_value **out, lpc_referr *err);
/* build_boot_attestation_user_data(identity) (§7.2): the NSM user_data the boot expects,
 * {schema_version, purpose, claim_hash, enclave_pubkey}. */
lp_code lpc_av2_build_boot_attestation_user_data(const lpc_value *identity, lpc_value **out,
                                                 lpc_referr *err);

/* build_transport_attempt (§7.3), fields read as above (egress_proxy_ref_hash may be
 * absent).  *out: the 29-key attempt with request_hash and attempt_hash. */
lp_code lpc_av2_build_transport_attempt(const lpc_value *fields, lpc_value **out, lpc_referr *err);
/* validate_transport_attempt(attempt) (§7.3). */
lp_code lpc_av2_validate_transport_attempt(const lpc_value *attempt, lpc_referr *err);

/* validate_host_operation_record(record) (attested_v2.py:1193-1231): the signed request
 * and terminal of one host operation and their ties.  Spec §2 notes weight graphs never
 * carry host operations; the legacy graph validates them as the reference does. */
lp_code lpc_av2_validate_host_operation_record(const lpc_value *record, lpc_referr *err);

/* Keyword arguments of validate_receipt_graph; lpc_av2_graph_opts_default() gives the
 * reference defaults.  Iterables are borrowed values iterated as Python would (NULL
 * stands for the empty tuple). */
typedef struct {
    const lpc_value *required_purposes;            /* default () */
    int require_success;                           /* default True */
    const lpc_value *allowed_failed_receipt_hashes; /* default () */
    int require_boot_attestation_verification;     /* default False */
    /* boot_attestation_verifier (default None): called with each boot identity right
     * after its structural validation, as the reference calls it; its return value is
     * ignored, a code other than LP_CODE_OK (err set by the verifier) is raised as is.
     * NULL with require_boot_attestation_verification set: AttestedV2Error "boot
     * attestation verifier is required". */
    lp_code (*boot_verifier)(void *ctx, const lpc_value *boot_identity, lpc_referr *err);
    void *boot_verifier_ctx;
} lpc_av2_graph_opts;
lpc_av2_graph_opts lpc_av2_graph_opts_default(void);

/* validate_receipt_graph(graph, **opts) for the legacy schema (§7.4), host operation
 * records included: iterative DFS, *post_order the returned tuple as an array of receipt
 * hash strings.  opts NULL: defaults.  The checkpointed schemas v3/v4 (ancestry
 * certificates, §2 "left out") give LP_CODE_UNSUPPORTED. */
lp_code lpc_av2_validate_receipt_graph(const lpc_value *graph, const lpc_av2_graph_opts *opts,
                                       lpc_value **post_order, lpc_referr *err);

#endif
