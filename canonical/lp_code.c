/* The result-code registry (lp_code.h): name, exit class and sentence of every code. */
#include "canonical/lp_code.h"

#include <string.h>

#define FAIL LP_EXIT_FAIL
#define UNDECIDED LP_EXIT_UNDECIDED

static const struct {
    const char *name;
    lp_exit exit;
    const char *text;
} k_codes[LP_CODE_COUNT] = {
    [LP_CODE_OK] = {"OK", LP_EXIT_OK, "verified"},
    [LP_CODE_USAGE] = {"USAGE", UNDECIDED, "the command line is not understood"},
    [LP_CODE_IO_ERROR] = {"IO_ERROR", UNDECIDED, "a file cannot be opened, read or written"},
    [LP_CODE_OUTPUT_ERROR] = {"OUTPUT_ERROR", UNDECIDED, "the report cannot be written"},
    [LP_CODE_NETWORK_ERROR] = {"NETWORK_ERROR", UNDECIDED, "fetching the evidence failed"},
    [LP_CODE_OFFLINE] = {"OFFLINE", UNDECIDED, "the evidence needs the network and --offline forbids it"},
    [LP_CODE_OUT_OF_MEMORY] = {"OUT_OF_MEMORY", UNDECIDED, "out of memory"},
    [LP_CODE_INPUT_TOO_LARGE] = {"INPUT_TOO_LARGE", UNDECIDED, "input exceeds a size cap"},
    [LP_CODE_BAD_ARGUMENT] = {"BAD_ARGUMENT", UNDECIDED, "invalid argument"},
    [LP_CODE_CRYPTO_BACKEND] = {"CRYPTO_BACKEND", UNDECIDED, "cryptographic backend failed"},
    [LP_CODE_INTERNAL] = {"INTERNAL", UNDECIDED, "internal error"},
    [LP_CODE_UNSUPPORTED] = {"UNSUPPORTED", UNDECIDED, "input outside the reproduced Python behaviour"},
    [LP_CODE_JSON_SYNTAX] = {"JSON_SYNTAX", UNDECIDED, "JSON text rejected by the Python parsing model"},
    [LP_CODE_JSON_TOO_DEEP] = {"JSON_TOO_DEEP", UNDECIDED, "JSON nesting deeper than the limit"},
    [LP_CODE_BAD_UTF8] = {"BAD_UTF8", UNDECIDED, "input is not valid UTF-8"},
    [LP_CODE_INT_TOO_LONG] = {"INT_TOO_LONG", UNDECIDED, "integer exceeds the 4300-digit conversion limit"},
    [LP_CODE_NAN_NOT_ALLOWED] = {"NAN_NOT_ALLOWED", UNDECIDED, "out of range float values are not JSON compliant"},
    [LP_CODE_LONE_SURROGATE] = {"LONE_SURROGATE", UNDECIDED, "lone surrogate cannot be encoded as UTF-8"},
    [LP_CODE_BAD_TYPE] = {"BAD_TYPE", UNDECIDED, "value has the wrong type"},
    [LP_CODE_OUT_OF_RANGE] = {"OUT_OF_RANGE", UNDECIDED, "number out of range"},
    [LP_CODE_BAD_HEX] = {"BAD_HEX", UNDECIDED, "malformed hex"},
    [LP_CODE_BAD_BASE64] = {"BAD_BASE64", UNDECIDED, "malformed base64"},
    [LP_CODE_NEGATIVE_WEIGHT] = {"NEGATIVE_WEIGHT", UNDECIDED, "negative weight"},
    [LP_CODE_BAD_BINDING] = {"BAD_BINDING", UNDECIDED, "validator binding message rejected"},
    [LP_CODE_NOT_A_FLOAT] = {"NOT_A_FLOAT", UNDECIDED, "value rejected by Python float()"},
    [LP_CODE_MISSING_FIELD] = {"MISSING_FIELD", UNDECIDED, "required field absent"},
    [LP_CODE_BAD_VALUE] = {"BAD_VALUE", UNDECIDED, "field value not accepted"},
    [LP_CODE_DUPLICATE] = {"DUPLICATE", UNDECIDED, "a key that must be unique repeats"},
    [LP_CODE_CANONICAL_ERROR] = {"CANONICAL_ERROR", UNDECIDED, "a value cannot be serialised as Python does"},
    [LP_CODE_MALFORMED_INPUT] = {"MALFORMED_INPUT", UNDECIDED, "input does not have the documented structure"},
    [LP_CODE_BAD_GZIP] = {"BAD_GZIP", UNDECIDED, "not one valid gzip member"},
    [LP_CODE_BAD_EVENTS_JSON] = {"BAD_EVENTS_JSON", UNDECIDED, "inflated events are not a JSON array of objects"},
    [LP_CODE_EMPTY_TREE] = {"EMPTY_TREE", UNDECIDED, "cannot compute a Merkle tree from an empty list"},
    [LP_CODE_KEY_NOT_PINNED] = {"KEY_NOT_PINNED", FAIL, "no trusted signing key was pinned: the signature proves nothing"},
    [LP_CODE_EMPTY_CHECKPOINT] = {"EMPTY_CHECKPOINT", FAIL, "unsigned empty host checkpoint: nothing can be included"},
    [LP_CODE_INVALID_EMPTY_CHECKPOINT] = {"INVALID_EMPTY_CHECKPOINT", FAIL, "unsigned checkpoint claims events or a non-zero root"},
    [LP_CODE_SIGNATURE_INVALID] = {"SIGNATURE_INVALID", FAIL, "a signature does not verify"},
    [LP_CODE_ROOT_MISMATCH] = {"ROOT_MISMATCH", FAIL, "computed Merkle root differs from the header"},
    [LP_CODE_TREE_LEVELS_MISMATCH] = {"TREE_LEVELS_MISMATCH", FAIL, "tree_levels differ from the computed tree"},
    [LP_CODE_EVENT_COUNT_MISMATCH] = {"EVENT_COUNT_MISMATCH", FAIL, "header event_count differs from the decoded events"},
    [LP_CODE_SEQUENCE_GAP] = {"SEQUENCE_GAP", FAIL, "sequence numbers are not contiguous"},
    [LP_CODE_NOT_INCLUDED] = {"NOT_INCLUDED", FAIL, "the lead id is in no leaf"},
    [LP_CODE_PROOF_INVALID] = {"PROOF_INVALID", FAIL, "inclusion proof does not lead to the root"},
    [LP_CODE_EVENT_HASH_MISMATCH] = {"EVENT_HASH_MISMATCH", FAIL, "event_hash differs from the recomputed hash"},
    [LP_CODE_EVENT_SIGNATURE_INVALID] = {"EVENT_SIGNATURE_INVALID", FAIL, "event signature does not verify"},
    [LP_CODE_PUBKEY_MISMATCH] = {"PUBKEY_MISMATCH", FAIL, "signer key differs from the pinned key"},
    [LP_CODE_PAYLOAD_HASH_MISMATCH] = {"PAYLOAD_HASH_MISMATCH", FAIL, "record event_hash/payload_hash inconsistent with its entry"},
    [LP_CODE_CHAIN_BROKEN] = {"CHAIN_BROKEN", FAIL, "prev_event_hash does not link to the previous entry"},
    [LP_CODE_SEQUENCE_NOT_MONOTONIC] = {"SEQUENCE_NOT_MONOTONIC", FAIL, "monotonic_seq does not increase within a boot"},
    [LP_CODE_MALFORMED_ENVELOPE] = {"MALFORMED_ENVELOPE", FAIL, "a signed record lacks the fields of its envelope"},
    [LP_CODE_CHAIN_BREAK] = {"CHAIN_BREAK", FAIL, "a checkpoint does not link to the previous root"},
    [LP_CODE_NUMBER_GAP] = {"NUMBER_GAP", FAIL, "checkpoint numbers do not step by one"},
    [LP_CODE_TIME_ORDER] = {"TIME_ORDER", FAIL, "checkpoint times go backwards or cannot be read"},
    [LP_CODE_EMPTY_LOG] = {"EMPTY_LOG", FAIL, "the log has no entries"},
    [LP_CODE_MALFORMED_ENTRY] = {"MALFORMED_ENTRY", FAIL, "a log entry lacks its required fields"},
    [LP_CODE_RESTART_INVALID] = {"RESTART_INVALID", FAIL, "an ENCLAVE_RESTART boundary is inconsistent"},
    [LP_CODE_NO_ENCLAVE_KEY] = {"NO_ENCLAVE_KEY", FAIL, "the attested user_data names no enclave key"},
    [LP_CODE_INPUT_DECODE_ERROR] = {"INPUT_DECODE_ERROR", UNDECIDED, "input is not a COSE document, its hex/base64, or a known JSON wrapper"},
    [LP_CODE_MALFORMED_COSE] = {"MALFORMED_COSE", UNDECIDED, "not a well-formed COSE_Sign1 in the strict profile"},
    [LP_CODE_POLICY_ERROR] = {"POLICY_ERROR", UNDECIDED, "policy is invalid"},
    [LP_CODE_UNSUPPORTED_ALG] = {"UNSUPPORTED_ALG", FAIL, "protected header does not name ES384 (-35)"},
    [LP_CODE_BAD_SIGNATURE_LENGTH] = {"BAD_SIGNATURE_LENGTH", FAIL, "COSE signature is not 96 bytes"},
    [LP_CODE_SYNTAX_INVALID] = {"SYNTAX_INVALID", FAIL, "attestation document breaks an AWS syntactic rule"},
    [LP_CODE_UNTRUSTED_ROOT] = {"UNTRUSTED_ROOT", FAIL, "certificate chain does not end at the pinned root"},
    [LP_CODE_CHAIN_INVALID] = {"CHAIN_INVALID", FAIL, "certificate chain does not validate"},
    [LP_CODE_CERT_EXPIRED] = {"CERT_EXPIRED", FAIL, "a certificate has expired at the verification time"},
    [LP_CODE_CERT_NOT_YET_VALID] = {"CERT_NOT_YET_VALID", FAIL, "a certificate is not yet valid at the verification time"},
    [LP_CODE_CERT_PROFILE_INVALID] = {"CERT_PROFILE_INVALID", FAIL, "a certificate breaks the Nitro profile"},
    [LP_CODE_REVOKED] = {"REVOKED", FAIL, "a certificate is revoked"},
    [LP_CODE_TIMESTAMP_OUTSIDE_LEAF] = {"TIMESTAMP_OUTSIDE_LEAF", FAIL, "document timestamp lies outside its leaf certificate's validity"},
    [LP_CODE_INVARIANT] = {"INVARIANT", FAIL, "a cross-field invariant does not hold"},
    [LP_CODE_STALE] = {"STALE", FAIL, "document is older than the allowed maximum age"},
    [LP_CODE_FUTURE_TIMESTAMP] = {"FUTURE_TIMESTAMP", FAIL, "document timestamp lies in the future"},
    [LP_CODE_DEBUG_ENCLAVE] = {"DEBUG_ENCLAVE", FAIL, "debug-mode enclave rejected"},
    [LP_CODE_PCR_NOT_PINNED] = {"PCR_NOT_PINNED", FAIL, "no expected PCR0 was pinned: genuine hardware running unknown code"},
    [LP_CODE_PCR_MISMATCH] = {"PCR_MISMATCH", FAIL, "PCR values do not match what is expected"},
    [LP_CODE_NONCE_MISMATCH] = {"NONCE_MISMATCH", FAIL, "nonce does not match"},
    [LP_CODE_USER_DATA_MISMATCH] = {"USER_DATA_MISMATCH", FAIL, "user_data does not match"},
    [LP_CODE_PUBLIC_KEY_MISMATCH] = {"PUBLIC_KEY_MISMATCH", FAIL, "public_key does not match"},
    [LP_CODE_REPLAY] = {"REPLAY", FAIL, "document was seen before"},
    [LP_CODE_TRUNCATED] = {"TRUNCATED", UNDECIDED, "file ends before its header or declared sections"},
    [LP_CODE_BAD_MAGIC] = {"BAD_MAGIC", UNDECIDED, "not an EIF (magic is not \".eif\")"},
    [LP_CODE_BAD_VERSION] = {"BAD_VERSION", UNDECIDED, "unsupported EIF version"},
    [LP_CODE_BAD_FLAGS] = {"BAD_FLAGS", UNDECIDED, "header flags other than the arch bit are set"},
    [LP_CODE_BAD_RESERVED] = {"BAD_RESERVED", UNDECIDED, "a reserved header field is not zero"},
    [LP_CODE_BAD_SECTION_COUNT] = {"BAD_SECTION_COUNT", UNDECIDED, "num_sections is not in 2..32"},
    [LP_CODE_BAD_SECTION_TABLE] = {"BAD_SECTION_TABLE", UNDECIDED, "section table entry past num_sections is not zero"},
    [LP_CODE_SECTION_OVERLAP] = {"SECTION_OVERLAP", UNDECIDED, "section offset points into the header or another section"},
    [LP_CODE_BAD_SECTION_OFFSET] = {"BAD_SECTION_OFFSET", UNDECIDED, "section offset is not where the previous section ends"},
    [LP_CODE_SECTION_OUT_OF_BOUNDS] = {"SECTION_OUT_OF_BOUNDS", UNDECIDED, "section lies outside the file"},
    [LP_CODE_TRAILING_DATA] = {"TRAILING_DATA", UNDECIDED, "bytes after the last section"},
    [LP_CODE_BAD_SECTION_TYPE] = {"BAD_SECTION_TYPE", UNDECIDED, "section type is 0 or unknown"},
    [LP_CODE_SECTION_NOT_IN_VERSION] = {"SECTION_NOT_IN_VERSION", UNDECIDED, "section type not allowed in this EIF version"},
    [LP_CODE_BAD_SECTION_FLAGS] = {"BAD_SECTION_FLAGS", UNDECIDED, "section header flags are not zero"},
    [LP_CODE_SECTION_SIZE_MISMATCH] = {"SECTION_SIZE_MISMATCH", UNDECIDED, "section header size differs from the header table"},
    [LP_CODE_DUPLICATE_SECTION] = {"DUPLICATE_SECTION", UNDECIDED, "second kernel, cmdline, metadata or signature section"},
    [LP_CODE_BAD_SECTION_ORDER] = {"BAD_SECTION_ORDER", UNDECIDED, "ramdisk before the kernel or cmdline"},
    [LP_CODE_EMPTY_KERNEL] = {"EMPTY_KERNEL", UNDECIDED, "kernel section is empty"},
    [LP_CODE_MISSING_KERNEL] = {"MISSING_KERNEL", UNDECIDED, "no kernel section"},
    [LP_CODE_MISSING_CMDLINE] = {"MISSING_CMDLINE", UNDECIDED, "no cmdline section"},
    [LP_CODE_MISSING_RAMDISK] = {"MISSING_RAMDISK", UNDECIDED, "no ramdisk section"},
    [LP_CODE_MISSING_METADATA] = {"MISSING_METADATA", UNDECIDED, "EIF v4 without a metadata section"},
    [LP_CODE_CRC_MISMATCH] = {"CRC_MISMATCH", UNDECIDED, "stored CRC32 differs from the file's CRC32"},
    [LP_CODE_SIGNATURE_TOO_LARGE] = {"SIGNATURE_TOO_LARGE", UNDECIDED, "signature section larger than 32768 bytes"},
    [LP_CODE_BAD_SIGNATURE_SECTION] = {"BAD_SIGNATURE_SECTION", UNDECIDED, "signature section is not the CBOR/COSE structure of the spec"},
    [LP_CODE_BAD_SIGNING_CERTIFICATE] = {"BAD_SIGNING_CERTIFICATE", UNDECIDED, "signing certificate is not a PEM X.509 certificate"},
    [LP_CODE_BAD_SIGNATURE_ALGORITHM] = {"BAD_SIGNATURE_ALGORITHM", UNDECIDED, "COSE algorithm unknown or not matching the certificate key"},
    [LP_CODE_SIGNED_PCR0_MISMATCH] = {"SIGNED_PCR0_MISMATCH", FAIL, "the signed PCR0 differs from the image's PCR0"},
    [LP_CODE_BAD_STATE] = {"BAD_STATE", UNDECIDED, "reader or builder used out of order"},
    [LP_CODE_BAD_CMDLINE] = {"BAD_CMDLINE", UNDECIDED, "cmdline is not valid UTF-8"},
    [LP_CODE_BAD_SIGNING_KEY] = {"BAD_SIGNING_KEY", UNDECIDED, "signing key unusable or not matching the certificate"},
    [LP_CODE_BAD_METADATA] = {"BAD_METADATA", UNDECIDED, "metadata is not JSON"},
    [LP_CODE_BAD_PATH] = {"BAD_PATH", UNDECIDED, "path is not a clean relative UTF-8 path"},
    [LP_CODE_DUPLICATE_PATH] = {"DUPLICATE_PATH", UNDECIDED, "the same logical path twice"},
    [LP_CODE_TREE_TOO_DEEP] = {"TREE_TOO_DEEP", UNDECIDED, "directory tree deeper than the limit"},
    [LP_CODE_SYMLINK_IN_TREE] = {"SYMLINK_IN_TREE", UNDECIDED, "symbolic links are refused"},
    [LP_CODE_COMMITMENT_MISMATCH] = {"COMMITMENT_MISMATCH", FAIL, "a commitment does not open to the revealed value"},
    [LP_CODE_CONSENSUS_MISMATCH] = {"CONSENSUS_MISMATCH", FAIL, "a published consensus result differs from the replay"},
    [LP_CODE_ORDER_DEPENDENT] = {"ORDER_DEPENDENT", UNDECIDED, "a published result differs only where unrecorded row order decides"},
    [LP_CODE_WEIGHTS_INVARIANT] = {"WEIGHTS_INVARIANT", FAIL, "sparse weight bundle rules violated"},
    [LP_CODE_WEIGHTS_HASH_MISMATCH] = {"WEIGHTS_HASH_MISMATCH", FAIL, "weights hash differs from the recomputed one"},
    [LP_CODE_AUDITOR_MISMATCH] = {"AUDITOR_MISMATCH", FAIL, "another validator's weights differ beyond the tolerance"},
    [LP_CODE_BINDING_REJECTED] = {"BINDING_REJECTED", FAIL, "the binding message is rejected"},
    [LP_CODE_BINDING_MISMATCH] = {"BINDING_MISMATCH", FAIL, "the binding message names other values"},
    [LP_CODE_OK_BYTES_WRAPPED] = {"OK_BYTES_WRAPPED", LP_EXIT_OK, "verified: the signature covers <Bytes>message</Bytes>"},
    [LP_CODE_SS58_BAD_BASE58] = {"SS58_BAD_BASE58", FAIL, "the SS58 address is not base58"},
    [LP_CODE_SS58_BAD_LENGTH] = {"SS58_BAD_LENGTH", FAIL, "the SS58 address decodes to the wrong length"},
    [LP_CODE_SS58_INVALID_PREFIX] = {"SS58_INVALID_PREFIX", FAIL, "the SS58 prefix byte is 128 or more"},
    [LP_CODE_SS58_FORMAT_NOT_ALLOWED] = {"SS58_FORMAT_NOT_ALLOWED", FAIL, "the SS58 format is reserved (46, 47)"},
    [LP_CODE_SS58_BAD_CHECKSUM] = {"SS58_BAD_CHECKSUM", FAIL, "the SS58 checksum does not match"},
    [LP_CODE_SS58_UNKNOWN_FORMAT] = {"SS58_UNKNOWN_FORMAT", FAIL, "the SS58 format is not registered"},
    [LP_CODE_SIG_HEX_INVALID] = {"SIG_HEX_INVALID", FAIL, "the signature is not hex as bytes.fromhex reads it"},
    [LP_CODE_SIG_BAD_LENGTH] = {"SIG_BAD_LENGTH", FAIL, "the signature is not 64 bytes"},
    [LP_CODE_SIG_NOT_MARKED] = {"SIG_NOT_MARKED", FAIL, "the signature lacks the schnorrkel marker bit"},
    [LP_CODE_SIG_SCALAR_NOT_CANONICAL] = {"SIG_SCALAR_NOT_CANONICAL", FAIL, "the signature scalar is not below the group order"},
    [LP_CODE_PUBKEY_INVALID] = {"PUBKEY_INVALID", FAIL, "the public key is not a ristretto255 encoding"},
    [LP_CODE_EQUATION_FALSE] = {"EQUATION_FALSE", FAIL, "the sr25519 signature does not verify"},
    [LP_CODE_IDENTITY_KEY] = {"IDENTITY_KEY", FAIL, "the identity public key verifies forged signatures"},
    [LP_CODE_SS58_NOT_CANONICAL] = {"SS58_NOT_CANONICAL", FAIL, "the address is not the one-byte prefix-42 SS58 form"},
    [LP_CODE_HOTKEY_SIGNATURE_INVALID] = {"HOTKEY_SIGNATURE_INVALID", FAIL, "the hotkey signature over the binding message does not verify"},
    [LP_CODE_HOTKEY_NOT_ALLOWED] = {"HOTKEY_NOT_ALLOWED", FAIL, "the validator hotkey is not in the allowlist"},
    [LP_CODE_DUPLICATE_SUBMISSION] = {"DUPLICATE_SUBMISSION", FAIL, "a submission for this netuid, epoch and hotkey was already accepted"},
    [LP_CODE_BLOCK_NOT_FRESH] = {"BLOCK_NOT_FRESH", FAIL, "the submission block is too far from the gateway's block"},
    [LP_CODE_EPOCH_MISMATCH] = {"EPOCH_MISMATCH", FAIL, "the epoch_id does not match the block or the gateway's epoch"},
    [LP_CODE_OUTSIDE_SUBMISSION_WINDOW] = {"OUTSIDE_SUBMISSION_WINDOW", FAIL, "the block is before the epoch's weight submission window"},
    [LP_CODE_PURPOSE_MISMATCH] = {"PURPOSE_MISMATCH", FAIL, "the attested purpose is not the one required"},
    [LP_CODE_WEIGHT_COMPUTATION_ERROR] = {"WEIGHT_COMPUTATION_ERROR", UNDECIDED, "compute_final_weights refuses the snapshot"},
    [LP_CODE_PYTHON_VALUE_ERROR] = {"PYTHON_VALUE_ERROR", UNDECIDED, "the reference raises a Python ValueError on this input"},
    [LP_CODE_PYTHON_TYPE_ERROR] = {"PYTHON_TYPE_ERROR", UNDECIDED, "the reference raises a Python TypeError on this input"},
    [LP_CODE_NON_CANONICAL_INPUT] = {"NON_CANONICAL_INPUT", UNDECIDED, "the reference accepts this input only through a Python coercion not reproduced here"},
    [LP_CODE_RESULT_MISMATCH] = {"RESULT_MISMATCH", FAIL, "the claimed result differs from the recomputed one"},
    [LP_CODE_RECEIPT_ERROR] = {"RECEIPT_ERROR", FAIL, "an attested receipt is rejected"},
    [LP_CODE_ATTESTED_V2_ERROR] = {"ATTESTED_V2_ERROR", FAIL, "an attested v2 object is rejected"},
    [LP_CODE_WEIGHT_BUNDLE_V2_ERROR] = {"WEIGHT_BUNDLE_V2_ERROR", FAIL, "the v2 weight bundle is rejected"},
    [LP_CODE_WEIGHT_AUTHORITY_V2_ERROR] = {"WEIGHT_AUTHORITY_V2_ERROR", FAIL, "the published v2 weight bundle is rejected"},
    [LP_CODE_COMPACT_WEIGHT_AUTHORITY_V2_ERROR] = {"COMPACT_WEIGHT_AUTHORITY_V2_ERROR", FAIL, "the compact weight submission is rejected"},
    [LP_CODE_PYTHON_OVERFLOW_ERROR] = {"PYTHON_OVERFLOW_ERROR", UNDECIDED, "the reference raises a Python OverflowError on this input"},
    [LP_CODE_OK_STRUCTURAL] = {"OK_STRUCTURAL", LP_EXIT_OK, "verified structurally: the checks the report names as opted out did not run"},
    [LP_CODE_EVENT_MISMATCH] = {"EVENT_MISMATCH", FAIL, "the signed event does not name this bundle"},
    [LP_CODE_EPOCH_AUTHORITY_MISMATCH] = {"EPOCH_AUTHORITY_MISMATCH", FAIL, "the event's epoch authority disagrees with the cutover manifest"},
    [LP_CODE_BOOT_ATTESTATION_INVALID] = {"BOOT_ATTESTATION_INVALID", FAIL, "a boot identity's Nitro document is not a well-formed attestation"},
    [LP_CODE_COMPACT_AUDITOR_AUTHORITY_V2_ERROR] = {"COMPACT_AUDITOR_AUTHORITY_V2_ERROR", FAIL, "the compact weight submission fails the auditor's checks"},
    [LP_CODE_ANCESTRY_CHECKPOINT_V2_ERROR] = {"ANCESTRY_CHECKPOINT_V2_ERROR", FAIL, "an ancestry checkpoint value is rejected"},
    [LP_CODE_SUBNET_EPOCH_ERROR] = {"SUBNET_EPOCH_ERROR", UNDECIDED, "the subnet epoch cutover manifest is rejected"},
    [LP_CODE_INPUT_MALFORMED] = {"INPUT_MALFORMED", UNDECIDED, "the replay input is not of the expected shape"},
    [LP_CODE_UNSUPPORTED_INPUT] = {"UNSUPPORTED_INPUT", UNDECIDED, "input outside the replay's portable domain"},
    [LP_CODE_SCORER_WOULD_RAISE] = {"SCORER_WOULD_RAISE", FAIL, "the upstream scorer raises on this epoch"},
    [LP_CODE_SPOT_CHECK_RECORD_INVALID] = {"SPOT_CHECK_RECORD_INVALID", FAIL, "a spot-check record is not well-formed"},
    [LP_CODE_SPOT_CHECK_SAMPLE_MISMATCH] = {"SPOT_CHECK_SAMPLE_MISMATCH", FAIL, "a spot-check record names other listings than the seeded sample"},
    [LP_CODE_ASSIGNMENT_INCONSISTENT] = {"ASSIGNMENT_INCONSISTENT", FAIL, "the zipcode assignment is inconsistent"},
    [LP_CODE_ASSIGNMENT_OUT_OF_TOLERANCE] = {"ASSIGNMENT_OUT_OF_TOLERANCE", FAIL, "the assignment's expected listings are outside the target tolerance"},
    [LP_CODE_ASSIGNMENT_OUT_OF_BOUNDS] = {"ASSIGNMENT_OUT_OF_BOUNDS", FAIL, "a zipcode's expected listings are outside the selection bounds"},
    [LP_CODE_ASSIGNMENT_COOLDOWN_VIOLATION] = {"ASSIGNMENT_COOLDOWN_VIOLATION", FAIL, "a zipcode was reassigned within its cooldown"},
    [LP_CODE_SCORE_MISMATCH] = {"SCORE_MISMATCH", FAIL, "the claimed scores differ from the replay"},
    [LP_CODE_CONSENSUS_HASH_MISMATCH] = {"CONSENSUS_HASH_MISMATCH", FAIL, "the claimed consensus hash is inconsistent or differs from the replay"},
    [LP_CODE_WEIGHTS_MISMATCH] = {"WEIGHTS_MISMATCH", FAIL, "the claimed u16 weights differ from the replay by more than 1"},
};

const char *lp_code_name(lp_code c)
{
    return (unsigned)c < LP_CODE_COUNT && k_codes[c].name ? k_codes[c].name : "INTERNAL";
}

lp_exit lp_code_exit(lp_code c)
{
    return (unsigned)c < LP_CODE_COUNT && k_codes[c].name ? k_codes[c].exit : LP_EXIT_UNDECIDED;
}

int lp_code_is_anchor(lp_code c)
{
    return c == LP_CODE_KEY_NOT_PINNED || c == LP_CODE_PCR_NOT_PINNED;
}

const char *lp_code_text(lp_code c)
{
    return (unsigned)c < LP_CODE_COUNT && k_codes[c].text ? k_codes[c].text : "internal error";
}

int lp_code_from_name(const char *name, size_t len, lp_code *out)
{
    for (unsigned i = 0; i < LP_CODE_COUNT; i++)
        if (k_codes[i].name && strlen(k_codes[i].name) == len && memcmp(k_codes[i].name, name, len) == 0) {
            *out = (lp_code)i;
            return 0;
        }
    return -1;
}
