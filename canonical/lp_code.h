/* The toolkit's one result-code registry.  Every verdict or error a library or
 * tool can report is one lp_code: its UPPER_SNAKE name (what --json prints as
 * "result" and what stderr names), its exit class and a generic sentence.
 * One name per condition across modules; the exit class is data in the table
 * (lp_code.c), never implied by a code's position.  Module enums (lpc_err,
 * lpm_err, lpa_err, lp_eif_err, lpau_err) map into it with their *_code()
 * functions.  Pure and constant: no state, no I/O. */
#ifndef LP_CODE_H
#define LP_CODE_H

#include <stddef.h>

/* Exit status contract (DESIGN.md). */
typedef enum {
    LP_EXIT_OK = 0,        /* verified */
    LP_EXIT_FAIL = 1,      /* verification or policy failed */
    LP_EXIT_UNDECIDED = 2  /* usage, unreadable or malformed input, network error */
} lp_exit;

typedef enum {
    LP_CODE_OK = 0,

    /* Conditions every module and tool shares (exit 2). */
    LP_CODE_USAGE,              /* command line not understood */
    LP_CODE_IO_ERROR,           /* an input file cannot be opened or read, or a file written */
    LP_CODE_OUTPUT_ERROR,       /* the report cannot be written */
    LP_CODE_NETWORK_ERROR,      /* a fetch failed (DNS, TLS, timeout, HTTP status) */
    LP_CODE_OFFLINE,            /* the network was needed and --offline forbids it */
    LP_CODE_OUT_OF_MEMORY,
    LP_CODE_INPUT_TOO_LARGE,    /* over a named cap */
    LP_CODE_BAD_ARGUMENT,       /* a library was called wrongly */
    LP_CODE_CRYPTO_BACKEND,     /* OpenSSL or libsodium failed internally */
    LP_CODE_INTERNAL,           /* a bug: a state the code does not expect */
    LP_CODE_UNSUPPORTED,        /* input outside the reproduced behaviour */

    /* Canonical JSON and the values read from it (exit 2). */
    LP_CODE_JSON_SYNTAX,
    LP_CODE_JSON_TOO_DEEP,
    LP_CODE_BAD_UTF8,
    LP_CODE_INT_TOO_LONG,
    LP_CODE_NAN_NOT_ALLOWED,
    LP_CODE_LONE_SURROGATE,
    LP_CODE_BAD_TYPE,
    LP_CODE_OUT_OF_RANGE,
    LP_CODE_BAD_HEX,
    LP_CODE_BAD_BASE64,
    LP_CODE_NEGATIVE_WEIGHT,
    LP_CODE_BAD_BINDING,
    LP_CODE_NOT_A_FLOAT,
    LP_CODE_MISSING_FIELD,
    LP_CODE_BAD_VALUE,
    LP_CODE_DUPLICATE,
    LP_CODE_CANONICAL_ERROR,

    /* Checkpoints, proofs and logs: undecided (exit 2). */
    LP_CODE_MALFORMED_INPUT,
    LP_CODE_BAD_GZIP,
    LP_CODE_BAD_EVENTS_JSON,
    LP_CODE_EMPTY_TREE,
    /* ... and verdicts (exit 1). */
    LP_CODE_KEY_NOT_PINNED,
    LP_CODE_EMPTY_CHECKPOINT,
    LP_CODE_INVALID_EMPTY_CHECKPOINT,
    LP_CODE_SIGNATURE_INVALID,
    LP_CODE_ROOT_MISMATCH,
    LP_CODE_TREE_LEVELS_MISMATCH,
    LP_CODE_EVENT_COUNT_MISMATCH,
    LP_CODE_SEQUENCE_GAP,
    LP_CODE_NOT_INCLUDED,
    LP_CODE_PROOF_INVALID,
    LP_CODE_EVENT_HASH_MISMATCH,
    LP_CODE_EVENT_SIGNATURE_INVALID,
    LP_CODE_PUBKEY_MISMATCH,
    LP_CODE_PAYLOAD_HASH_MISMATCH,
    LP_CODE_CHAIN_BROKEN,
    LP_CODE_SEQUENCE_NOT_MONOTONIC,
    LP_CODE_MALFORMED_ENVELOPE,
    LP_CODE_CHAIN_BREAK,
    LP_CODE_NUMBER_GAP,
    LP_CODE_TIME_ORDER,
    LP_CODE_EMPTY_LOG,
    LP_CODE_MALFORMED_ENTRY,
    LP_CODE_RESTART_INVALID,
    LP_CODE_NO_ENCLAVE_KEY,

    /* Nitro attestation (nitro-attestation.md §8.1). */
    LP_CODE_INPUT_DECODE_ERROR,     /* exit 2 */
    LP_CODE_MALFORMED_COSE,         /* exit 2 */
    LP_CODE_POLICY_ERROR,           /* exit 2 */
    LP_CODE_UNSUPPORTED_ALG,
    LP_CODE_BAD_SIGNATURE_LENGTH,
    LP_CODE_SYNTAX_INVALID,
    LP_CODE_UNTRUSTED_ROOT,
    LP_CODE_CHAIN_INVALID,
    LP_CODE_CERT_EXPIRED,
    LP_CODE_CERT_NOT_YET_VALID,
    LP_CODE_CERT_PROFILE_INVALID,
    LP_CODE_REVOKED,
    LP_CODE_TIMESTAMP_OUTSIDE_LEAF,
    LP_CODE_INVARIANT,
    LP_CODE_STALE,
    LP_CODE_FUTURE_TIMESTAMP,
    LP_CODE_DEBUG_ENCLAVE,
    LP_CODE_PCR_NOT_PINNED,
    LP_CODE_PCR_MISMATCH,
    LP_CODE_NONCE_MISMATCH,
    LP_CODE_USER_DATA_MISMATCH,
    LP_CODE_PUBLIC_KEY_MISMATCH,
    LP_CODE_REPLAY,

    /* Enclave image files and the gateway code_hash (exit 2 unless noted). */
    LP_CODE_TRUNCATED,
    LP_CODE_BAD_MAGIC,
    LP_CODE_BAD_VERSION,
    LP_CODE_BAD_FLAGS,
    LP_CODE_BAD_RESERVED,
    LP_CODE_BAD_SECTION_COUNT,
    LP_CODE_BAD_SECTION_TABLE,
    LP_CODE_SECTION_OVERLAP,
    LP_CODE_BAD_SECTION_OFFSET,
    LP_CODE_SECTION_OUT_OF_BOUNDS,
    LP_CODE_TRAILING_DATA,
    LP_CODE_BAD_SECTION_TYPE,
    LP_CODE_SECTION_NOT_IN_VERSION,
    LP_CODE_BAD_SECTION_FLAGS,
    LP_CODE_SECTION_SIZE_MISMATCH,
    LP_CODE_DUPLICATE_SECTION,
    LP_CODE_BAD_SECTION_ORDER,
    LP_CODE_EMPTY_KERNEL,
    LP_CODE_MISSING_KERNEL,
    LP_CODE_MISSING_CMDLINE,
    LP_CODE_MISSING_RAMDISK,
    LP_CODE_MISSING_METADATA,
    LP_CODE_CRC_MISMATCH,
    LP_CODE_SIGNATURE_TOO_LARGE,
    LP_CODE_BAD_SIGNATURE_SECTION,
    LP_CODE_BAD_SIGNING_CERTIFICATE,
    LP_CODE_BAD_SIGNATURE_ALGORITHM,
    LP_CODE_SIGNED_PCR0_MISMATCH,   /* exit 1 */
    LP_CODE_BAD_STATE,
    LP_CODE_BAD_CMDLINE,
    LP_CODE_BAD_SIGNING_KEY,
    LP_CODE_BAD_METADATA,
    LP_CODE_BAD_PATH,
    LP_CODE_DUPLICATE_PATH,
    LP_CODE_TREE_TOO_DEEP,
    LP_CODE_SYMLINK_IN_TREE,

    /* Commit-reveal, consensus and weights. */
    LP_CODE_COMMITMENT_MISMATCH,
    LP_CODE_CONSENSUS_MISMATCH,
    LP_CODE_ORDER_DEPENDENT,        /* exit 2: unrecorded row order decides */
    LP_CODE_WEIGHTS_INVARIANT,
    LP_CODE_WEIGHTS_HASH_MISMATCH,
    LP_CODE_AUDITOR_MISMATCH,
    LP_CODE_BINDING_REJECTED,
    LP_CODE_BINDING_MISMATCH,

    /* sr25519 hotkey signatures (sr25519.md §2, §3, §5; exit 1 unless noted), the first
     * failing reason in the order of §2. */
    LP_CODE_OK_BYTES_WRAPPED,       /* exit 0: the signature covers <Bytes>message</Bytes> */
    LP_CODE_SS58_BAD_BASE58,
    LP_CODE_SS58_BAD_LENGTH,
    LP_CODE_SS58_INVALID_PREFIX,
    LP_CODE_SS58_FORMAT_NOT_ALLOWED,
    LP_CODE_SS58_BAD_CHECKSUM,
    LP_CODE_SS58_UNKNOWN_FORMAT,
    LP_CODE_SIG_HEX_INVALID,
    LP_CODE_SIG_BAD_LENGTH,
    LP_CODE_SIG_NOT_MARKED,
    LP_CODE_SIG_SCALAR_NOT_CANONICAL,
    LP_CODE_PUBKEY_INVALID,
    LP_CODE_EQUATION_FALSE,
    LP_CODE_IDENTITY_KEY,           /* --strict: the identity public key (§6.2) */
    LP_CODE_SS58_NOT_CANONICAL,     /* --strict: not the one-byte prefix-42 form (§6.3) */
    LP_CODE_HOTKEY_SIGNATURE_INVALID, /* a binding's hotkey signature does not verify */

    /* The gateway's v1 weight submission checks (leadpoet-formats.md §10.6, §10.7; exit 1). */
    LP_CODE_HOTKEY_NOT_ALLOWED,     /* step 2: the hotkey is not in the allowlist */
    LP_CODE_DUPLICATE_SUBMISSION,   /* step 3: (netuid, epoch_id, hotkey) was accepted before */
    LP_CODE_BLOCK_NOT_FRESH,        /* step 4: |gateway_block - block| > MAX_BLOCK_DRIFT */
    LP_CODE_EPOCH_MISMATCH,         /* step 4: epoch_id is not block // 360, or not the gateway's epoch */
    LP_CODE_OUTSIDE_SUBMISSION_WINDOW, /* step 4: block % 360 < WEIGHT_SUBMISSION_BLOCK - 15 */
    LP_CODE_PURPOSE_MISMATCH,       /* step 5: the attested user_data purpose is not the one required */

    /* Leadpoet's v2 weight pipeline (leadpoet-weights-v2.md): one code per exception class
     * the reference functions raise; the reference's message travels in an lpc_referr. */
    LP_CODE_WEIGHT_COMPUTATION_ERROR, /* exit 2: compute_final_weights refuses the snapshot */
    LP_CODE_PYTHON_VALUE_ERROR,     /* exit 2: a raw ValueError escapes the reference (float("20%")) */
    LP_CODE_PYTHON_TYPE_ERROR,      /* exit 2: a raw TypeError escapes the reference */
    LP_CODE_NON_CANONICAL_INPUT,    /* exit 2: Python coerces it; refused here rather than guessed */
    LP_CODE_RESULT_MISMATCH,        /* a claimed result differs from the recomputed one (Python ==) */
    LP_CODE_RECEIPT_ERROR,          /* attested_receipts.py: ReceiptError */
    LP_CODE_ATTESTED_V2_ERROR,      /* attested_v2.py: AttestedV2Error */
    LP_CODE_WEIGHT_BUNDLE_V2_ERROR, /* weight_bundle_v2.py: WeightBundleV2Error */
    LP_CODE_WEIGHT_AUTHORITY_V2_ERROR, /* weight_authority_v2.py: WeightAuthorityV2Error */
    LP_CODE_COMPACT_WEIGHT_AUTHORITY_V2_ERROR, /* compact_weight_authority_v2.py */
    LP_CODE_PYTHON_OVERFLOW_ERROR,  /* exit 2: a raw OverflowError escapes the reference (float(10**400)) */
    LP_CODE_OK_STRUCTURAL,          /* exit 0 only under named opt-outs: every check ran except those named */
    LP_CODE_EVENT_MISMATCH,         /* a WEIGHT_SUBMISSION_V2 payload does not name the verified bundle */
    LP_CODE_EPOCH_AUTHORITY_MISMATCH, /* epoch_authority disagrees with the cutover manifest (weights-v2 §9.2) */
    LP_CODE_BOOT_ATTESTATION_INVALID, /* a bundle's boot carries no well-formed Nitro document (its code in the detail) */
    LP_CODE_COMPACT_AUDITOR_AUTHORITY_V2_ERROR, /* compact_auditor_authority_v2.py: CompactAuditorAuthorityV2Error */
    LP_CODE_ANCESTRY_CHECKPOINT_V2_ERROR, /* ancestry_checkpoint_v2.py: AncestryCheckpointV2Error */
    LP_CODE_SUBNET_EPOCH_ERROR,     /* Leadpoet/utils/subnet_epoch.py: SubnetEpochError (a bad cutover manifest) */

    /* Subnet 46 zipcode-epoch replay (subnet46-zipcode.md §11.4), in its precedence order. */
    LP_CODE_INPUT_MALFORMED,        /* exit 2: the replay input is not of the §9 shape */
    LP_CODE_UNSUPPORTED_INPUT,      /* exit 2: outside the replay's portable domain (the spec's name; UNSUPPORTED's sense) */
    LP_CODE_SCORER_WOULD_RAISE,     /* the upstream scorer raises on this epoch (§6.9) */
    LP_CODE_SPOT_CHECK_RECORD_INVALID, /* a validator's spot-check record is not well-formed */
    LP_CODE_SPOT_CHECK_SAMPLE_MISMATCH, /* a seeded spot-check record names other listings */
    LP_CODE_ASSIGNMENT_INCONSISTENT, /* §4.3 A1 */
    LP_CODE_ASSIGNMENT_OUT_OF_TOLERANCE, /* §4.3 A2 */
    LP_CODE_ASSIGNMENT_OUT_OF_BOUNDS, /* §4.3 A3 */
    LP_CODE_ASSIGNMENT_COOLDOWN_VIOLATION, /* §4.3 A4 */
    LP_CODE_SCORE_MISMATCH,         /* claimed validation result or plan scores differ */
    LP_CODE_CONSENSUS_HASH_MISMATCH, /* claimed consensus hash inconsistent or not the replay's */
    LP_CODE_WEIGHTS_MISMATCH,       /* claimed u16 weights differ by more than 1 */

    /* PCRs of a Docker image (eif-pcr-repro.md §2.5-§2.8). */
    LP_CODE_IMAGE_NOT_DETERMINISTIC, /* exit 2: nitro-cli's ramdisk would depend on the build host's clock (§2.8) */
    LP_CODE_IMAGE_MALFORMED,        /* exit 2: docker load would refuse the image, or its JSON is not of the shape */
    LP_CODE_IMAGE_CONTENT_UNSUPPORTED, /* exit 2: content the newc ramdisk cannot carry (§2.3 limits, sockets) */
    LP_CODE_LAYER_DIGEST_MISMATCH,  /* a layer or blob differs from the digest the image names */
    LP_CODE_PLATFORM_NOT_FOUND,     /* exit 2: no single image of the requested platform */

    LP_CODE_COUNT
} lp_code;

/* "OK", "ROOT_MISMATCH", ...: static, never NULL ("INTERNAL" for a value outside the
 * registry). */
const char *lp_code_name(lp_code c);
/* The exit class of c; LP_EXIT_UNDECIDED for a value outside the registry. */
lp_exit lp_code_exit(lp_code c);
/* 1 for the codes that say a trust anchor was not pinned (KEY_NOT_PINNED,
 * PCR_NOT_PINNED): verification failed because nothing was proven, not because the
 * evidence is wrong (see lp_checks_verdict). */
int lp_code_is_anchor(lp_code c);
/* A generic sentence for c (static, never NULL).  Modules may say more. */
const char *lp_code_text(lp_code c);
/* The code named name[0..len); 0 and *out set, or -1 when no code has that name. */
int lp_code_from_name(const char *name, size_t len, lp_code *out);

#endif
