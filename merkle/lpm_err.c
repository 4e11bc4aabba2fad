/* The module's error enum mapped into the result-code registry (canonical/lp_code.h),
 * with a sentence per value.  The exit class is the registry's, never the enum order. */
#include "merkle/lpm_state.h"

static const struct { lp_code code; const char *msg; } k_err[] = {
    [LPM_OK] = {LP_CODE_OK, "ok"},
    [LPM_ERR_NOMEM] = {LP_CODE_OUT_OF_MEMORY, "out of memory"},
    [LPM_ERR_ARG] = {LP_CODE_BAD_ARGUMENT, "invalid argument"},
    [LPM_ERR_INPUT_TOO_LARGE] = {LP_CODE_INPUT_TOO_LARGE, "input exceeds a size cap"},
    [LPM_ERR_MALFORMED] = {LP_CODE_MALFORMED_INPUT, "input does not have the documented structure"},
    [LPM_ERR_BASE64] = {LP_CODE_BAD_BASE64, "events_compressed is not strict standard base64"},
    [LPM_ERR_GZIP] = {LP_CODE_BAD_GZIP, "events_compressed is not one valid gzip member"},
    [LPM_ERR_EVENTS_JSON] = {LP_CODE_BAD_EVENTS_JSON, "inflated events are not a JSON array of objects"},
    [LPM_ERR_CANONICAL] = {LP_CODE_CANONICAL_ERROR, "a record cannot be serialised as Python does"},
    [LPM_ERR_EMPTY_TREE] = {LP_CODE_EMPTY_TREE, "cannot compute a Merkle tree from an empty list"},
    [LPM_ERR_CRYPTO] = {LP_CODE_CRYPTO_BACKEND, "cryptographic backend failed"},
    [LPM_ERR_ABANDONED] = {LP_CODE_INTERNAL, "a worker-pool run was abandoned by its caller"},
    [LPM_ERR_EMPTY_CHECKPOINT] = {LP_CODE_EMPTY_CHECKPOINT, "unsigned empty host checkpoint: nothing can be included"},
    [LPM_ERR_SIGNATURE_INVALID] = {LP_CODE_SIGNATURE_INVALID, "header signature does not verify"},
    [LPM_ERR_ROOT_MISMATCH] = {LP_CODE_ROOT_MISMATCH, "computed Merkle root differs from the header"},
    [LPM_ERR_TREE_LEVELS_MISMATCH] = {LP_CODE_TREE_LEVELS_MISMATCH, "tree_levels differ from the computed tree"},
    [LPM_ERR_EVENT_COUNT_MISMATCH] = {LP_CODE_EVENT_COUNT_MISMATCH, "header event_count differs from the decoded events"},
    [LPM_ERR_SEQUENCE_GAP] = {LP_CODE_SEQUENCE_GAP, "sequence numbers are not contiguous over sequence_range"},
    [LPM_ERR_NOT_INCLUDED] = {LP_CODE_NOT_INCLUDED, "the lead id is in no leaf"},
    [LPM_ERR_PROOF_INVALID] = {LP_CODE_PROOF_INVALID, "inclusion proof does not lead to the root"},
    [LPM_ERR_EVENT_HASH_MISMATCH] = {LP_CODE_EVENT_HASH_MISMATCH, "event_hash differs from the recomputed hash"},
    [LPM_ERR_EVENT_SIGNATURE_INVALID] = {LP_CODE_EVENT_SIGNATURE_INVALID, "event signature does not verify"},
    [LPM_ERR_PUBKEY_MISMATCH] = {LP_CODE_PUBKEY_MISMATCH, "signer key differs from the pinned key"},
    [LPM_ERR_PAYLOAD_HASH_MISMATCH] = {LP_CODE_PAYLOAD_HASH_MISMATCH, "record event_hash/payload_hash inconsistent with its entry"},
    [LPM_ERR_CHAIN_BROKEN] = {LP_CODE_CHAIN_BROKEN, "prev_event_hash does not link to the previous entry"},
    [LPM_ERR_SEQUENCE_NOT_MONOTONIC] = {LP_CODE_SEQUENCE_NOT_MONOTONIC, "monotonic_seq does not increase within a boot"},
    [LPM_ERR_INVALID_EMPTY_CHECKPOINT] = {LP_CODE_INVALID_EMPTY_CHECKPOINT, "unsigned checkpoint claims events or a non-zero root"},
};

#define N_ERR (sizeof k_err / sizeof k_err[0])

lp_code lpm_code(lpm_err e)
{
    /* every slot but LPM_OK names a code other than OK: a missing row reads INTERNAL */
    if ((unsigned)e >= N_ERR || (e != LPM_OK && k_err[e].code == LP_CODE_OK)) return LP_CODE_INTERNAL;
    return k_err[e].code;
}

const char *lpm_strerror(lpm_err e)
{
    if ((unsigned)e >= N_ERR || !k_err[e].msg) return "unknown error";
    return k_err[e].msg;
}

const char *lpm_errname(lpm_err e)
{
    return lp_code_name(lpm_code(e));
}

int lpm_err_undecided(lpm_err e)
{
    return lp_code_exit(lpm_code(e)) == LP_EXIT_UNDECIDED;
}

lp_code lpm_verdict_since(const lp_checks *out, size_t from)
{
    lp_checks view = {out->items ? out->items + from : NULL, out->n - from, out->n - from, out->lost};
    return lp_checks_verdict(&view);
}
