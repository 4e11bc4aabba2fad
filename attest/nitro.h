/* AWS Nitro Enclaves attestation documents: COSE_Sign1 parsing, document
 * syntax, X.509 chain at a chosen time, ES384 signature and cross-field
 * invariants (spec: shared/spec/nitro-attestation.md §1-§5, §8).
 *
 * Pure: bytes in, typed result out.  No clock (the caller passes "now"), no
 * files, no network, no globals besides the embedded pinned root.  Policy
 * (what the user expects of a genuine document) lives in attest/policy.h, the
 * Leadpoet response shapes in attest/leadpoet.h; the whole flow a tool runs is
 * lpa_verify_evidence (attest/evidence.h).
 *
 * Memory: lpa_doc (about 29 KiB) and lpa_result (about 44 KiB, it holds an lpa_doc)
 * are fixed structs that own every byte and need no freeing; callers allocate them
 * on the heap, not on the stack or in static storage. */
#ifndef LPA_NITRO_H
#define LPA_NITRO_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lp_code.h"

/* Limits, all from the spec. */
#define LPA_MAX_INPUT        32768u   /* §1.2 C8: COSE bytes after transport decode */
#define LPA_MAX_PROTECTED    64u      /* strict profile: protected header is a1 01 38 22 */
#define LPA_MAX_PAYLOAD      16384u   /* §1.2 C5 */
#define LPA_SIG_LEN          96u      /* §1.2 C6: r(48) || s(48) */
#define LPA_SIG_DER_MAX      104u     /* §1.4 */
#define LPA_MAX_PCRS         32u      /* §2.2: index in [0, 32) */
#define LPA_PCR_LEN          48u      /* SHA-384; X7 */
#define LPA_MODULE_ID_MAX    256u
#define LPA_CERT_MAX         1024u
#define LPA_CABUNDLE_MAX     8u       /* §2.2: 1..8 entries */
#define LPA_PUBLIC_KEY_MAX   1024u
#define LPA_USER_DATA_MAX    512u
#define LPA_NONCE_MAX        512u
#define LPA_TIMESTAMP_MS_MAX 253402300799999ull /* year 9999 */
#define LPA_SIG_STRUCTURE_MAX (LPA_MAX_PAYLOAD + LPA_MAX_PROTECTED + 32u)
#define LPA_MAX_CHECKS       48u
#define LPA_DETAIL_MAX       200u

/* Result codes of spec §8.1, in pipeline order.  One enum for the module; each maps
 * to one registry code (lpa_code_of), which gives its name and exit class. */
typedef enum {
    LPA_OK = 0,
    LPA_INPUT_DECODE_ERROR,
    LPA_INPUT_TOO_LARGE,
    LPA_MALFORMED_COSE,
    LPA_UNSUPPORTED_ALG,
    LPA_BAD_SIGNATURE_LENGTH,
    LPA_SYNTAX_INVALID,
    LPA_UNTRUSTED_ROOT,
    LPA_CHAIN_INVALID,
    LPA_CERT_EXPIRED,
    LPA_CERT_NOT_YET_VALID,
    LPA_CERT_PROFILE_INVALID,
    LPA_REVOKED,
    LPA_SIGNATURE_INVALID,
    LPA_TIMESTAMP_OUTSIDE_LEAF,
    LPA_INVARIANT,
    LPA_STALE,
    LPA_FUTURE_TIMESTAMP,
    LPA_DEBUG_ENCLAVE,
    LPA_PCR_NOT_PINNED,      /* genuine, but no PCR0 the user pinned was matched */
    LPA_PCR_MISMATCH,
    LPA_NONCE_MISMATCH,
    LPA_USER_DATA_MISMATCH,
    LPA_PUBLIC_KEY_MISMATCH,
    LPA_REPLAY,
    LPA_POLICY_ERROR,
    LPA_OUT_OF_MEMORY,
    LPA_CRYPTO_BACKEND,      /* OpenSSL failed where it should not */
    LPA_INTERNAL             /* a bug: a state the code does not expect */
} lpa_err;

/* The registry code of e (LP_CODE_INTERNAL for a value outside the enum); its exit
 * class is lp_code_exit(lpa_code_of(e)). */
lp_code lpa_code_of(lpa_err e);
/* lp_code_name(lpa_code_of(e)): "OK", "MALFORMED_COSE", ... (static, never NULL). */
const char *lpa_code(lpa_err e);
/* Human sentence for e (static, never NULL). */
const char *lpa_strerror(lpa_err e);
/* Parses a registry name of an lpa_err back; returns -1 when no lpa_err has it. */
int lpa_code_parse(const char *s, lpa_err *out);

/* Pinned AWS Nitro Enclaves Root-G1 (§3.1): DER and its SHA-256. */
extern const uint8_t lpa_aws_root_der[];
extern const size_t lpa_aws_root_der_len;
extern const uint8_t lpa_aws_root_sha256[32];

#define LPA_CERT_FILE_MAX 65536u  /* a root file (--root): one certificate, PEM or DER */

/* One X.509 certificate, PEM (a CERTIFICATE block; text around it is allowed, a
 * second certificate is not) or DER (exactly one certificate, nothing after it), as
 * DER in *der for lpa_opts.root_der.  *der is malloc'd and the caller frees it; it is
 * NULL on error.  Returns LPA_OK, LPA_INPUT_TOO_LARGE (over LPA_CERT_FILE_MAX),
 * LPA_INPUT_DECODE_ERROR (err says why) or LPA_OUT_OF_MEMORY.  Parsing only: whether
 * the certificate anchors a chain is lpa_verify's business. */
lpa_err lpa_cert_der(const uint8_t *in, size_t len, uint8_t **der, size_t *der_len, char *err, size_t errlen);

/* Parsed document (about 29 KiB).  Owns every byte (fixed buffers; no heap), so it
 * outlives the input.  Nothing in it is trusted unless the verification result is OK. */
typedef struct {
    int tagged;                                  /* input carried tag 18 */
    uint8_t protected_hdr[LPA_MAX_PROTECTED];
    size_t protected_len;
    uint8_t payload[LPA_MAX_PAYLOAD];
    size_t payload_len;
    uint8_t signature[LPA_SIG_LEN];
    int payload_indefinite;                      /* payload map used bf ... ff */

    char module_id[LPA_MODULE_ID_MAX + 1];       /* NUL-terminated, no NUL inside */
    char digest[8];
    uint64_t timestamp_ms;
    uint32_t pcr_mask;                           /* bit i set: PCR i present */
    uint8_t pcrs[LPA_MAX_PCRS][LPA_PCR_LEN];
    uint8_t certificate[LPA_CERT_MAX];
    size_t certificate_len;
    uint8_t cabundle[LPA_CABUNDLE_MAX][LPA_CERT_MAX];
    size_t cabundle_len[LPA_CABUNDLE_MAX];
    size_t n_cabundle;
    int has_public_key, has_user_data, has_nonce; /* 0: CBOR null */
    uint8_t public_key[LPA_PUBLIC_KEY_MAX];
    size_t public_key_len;
    uint8_t user_data[LPA_USER_DATA_MAX];
    size_t user_data_len;
    uint8_t nonce[LPA_NONCE_MAX];
    size_t nonce_len;
} lpa_doc;

/* §1.2 envelope + §2 document.  Returns LPA_OK, LPA_INPUT_TOO_LARGE,
 * LPA_MALFORMED_COSE, LPA_UNSUPPORTED_ALG, LPA_BAD_SIGNATURE_LENGTH or
 * LPA_SYNTAX_INVALID; detail (may be NULL) gets a one-line reason naming the
 * field.  *stage_reached: 0 envelope failed, 1 envelope ok, 2 document ok. */
lpa_err lpa_parse(const uint8_t *in, size_t len, lpa_doc *doc, int *stage_reached,
                  char *detail, size_t detail_len);

/* §1.3: the exact Sig_structure bytes.  out has LPA_SIG_STRUCTURE_MAX bytes. */
size_t lpa_sig_structure(const lpa_doc *doc, uint8_t out[LPA_SIG_STRUCTURE_MAX]);

/* §1.4: raw r||s to DER ECDSA-Sig-Value.  Returns the DER length, 0 on error. */
size_t lpa_sig_to_der(const uint8_t rs[LPA_SIG_LEN], uint8_t der[LPA_SIG_DER_MAX]);

/* ES384 signature checks, the only ECDSA code of the verifier (spec §1.4).
 * key must be an EC P-384 key (OpenSSL EVP_PKEY, borrowed); msg is hashed with
 * SHA-384.  Return 1 when the signature verifies, 0 otherwise (wrong curve or
 * key type, wrong length, r or s outside [1, n-1], bad signature).  No low-S
 * rule (§1.5).  lpa_verify checks the COSE signature with lpa_es384_verify_rs. */
struct evp_pkey_st;
/* sig: raw r||s, exactly LPA_SIG_LEN bytes (any other sig_len is rejected). */
int lpa_es384_verify_rs(struct evp_pkey_st *key, const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                        size_t sig_len);
/* der: an ECDSA-Sig-Value in strict DER (X.690 §10: definite minimal lengths,
 * minimal non-negative INTEGERs, no trailing bytes); BER is rejected. */
int lpa_es384_verify_der(struct evp_pkey_st *key, const uint8_t *msg, size_t msg_len, const uint8_t *der,
                         size_t der_len);
/* 1 when key is an EC key on secp384r1. */
int lpa_key_is_p384(struct evp_pkey_st *key);

typedef enum {
    LPA_AT_NOW = 0,   /* X.509 at the caller's wall clock (opts.time) */
    LPA_AT_DOC,       /* X.509 at floor(timestamp_ms / 1000) */
    LPA_AT_TIME       /* X.509 at an explicit instant (opts.time) */
} lpa_time_mode;

typedef struct {
    lpa_time_mode mode;
    int64_t time;            /* Unix seconds for NOW and TIME; ignored for DOC */
    const uint8_t *root_der; /* NULL: the pinned AWS root; else a test root (DER) */
    size_t root_der_len;
} lpa_opts;

typedef struct {
    char name[40];
    int ok;                           /* 1 passed; 0 failed or (warning) a failure not enforced */
    int warning;                      /* failed, reported, never the result */
    lpa_err code;                     /* LPA_OK when ok; else what failed (what would fail, for a warning) */
    char detail[LPA_DETAIL_MAX];
} lpa_check;

typedef struct {
    char subject[256];       /* RFC 2253 */
    int64_t not_before, not_after;
} lpa_cert_info;

/* Everything lpa_verify (and the policy and binding layers) found (about 44 KiB). */
typedef struct {
    lpa_err result;                   /* first failing stage; LPA_OK when all passed */
    char detail[LPA_DETAIL_MAX];      /* reason for result */
    lpa_check checks[LPA_MAX_CHECKS]; /* in the order run */
    size_t n_checks;
    int warnings;                     /* checks with warning set */

    int doc_parsed;                   /* doc fields below hold the parsed (untrusted) values */
    lpa_doc doc;
    lpa_time_mode mode;
    int64_t verified_at;              /* Unix seconds used for X.509; -1 if never reached */
    int root_is_aws;                  /* root used is the pinned AWS root */
    uint8_t root_sha256[32];
    lpa_cert_info certs[LPA_CABUNDLE_MAX + 1]; /* leaf, cabundle[n-1] .. cabundle[0] */
    size_t n_certs;
    int64_t window_lo, window_hi;     /* [max notBefore, min notAfter) */
    int debug;                        /* PCR0, PCR1, PCR2 all zero */
    char policy[LPA_DETAIL_MAX];      /* set by attest/policy.c: "none" or what was pinned */
} lpa_result;

/* Runs §1-§5 on a COSE_Sign1 (raw bytes; transport decoding is done by the
 * caller, see attest/leadpoet.h).  Never fails to fill r. */
void lpa_verify(const uint8_t *cose, size_t len, const lpa_opts *opts, lpa_result *r);

/* Appends an enforced check: passed when ok, else failed with code, which becomes
 * r->result when no earlier check failed (a failure with code LPA_OK is recorded as
 * LPA_INTERNAL: a failure always names its code).  When r->checks is full the check
 * is not stored, but a failure still becomes the result (and a dropped warning an
 * LPA_INTERNAL failure): nothing is lost silently.  Used by the policy and binding
 * layers too. */
void lpa_add_check(lpa_result *r, const char *name, int ok, lpa_err code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* As lpa_add_check, but a failure is a warning: reported with its code, counted in
 * r->warnings, never the result. */
void lpa_add_warning(lpa_result *r, const char *name, int ok, lpa_err code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif
