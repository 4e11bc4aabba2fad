/* Transport decoding of attestation evidence and the Leadpoet key bindings
 * (nitro-attestation.md §0 step 1, §13; leadpoet-formats.md §13.1-§13.2).
 * Pure: bytes in, typed result out.
 *
 * Memory: lpa_source is a fixed struct of about 32 KiB (the decoded COSE bytes) with
 * nothing to free; callers allocate it on the heap (or use lpa_evidence, which holds
 * one). */
#ifndef LPA_LEADPOET_H
#define LPA_LEADPOET_H

#include <stddef.h>
#include <stdint.h>
#include "attest/nitro.h"

#define LPA_MAX_SOURCE (1u << 20)   /* §8.5: 1 MiB cap on fetched or read evidence */
#define LPA_ED25519_LEN 32u
#define LPA_CODE_HASH_LEN 32u

typedef enum {
    LPA_FMT_COSE = 0,      /* raw COSE_Sign1, tagged or not */
    LPA_FMT_HEX,           /* hex text of it */
    LPA_FMT_BASE64,        /* base64 / base64url text of it */
    LPA_FMT_ATTEST_JSON,   /* GET /attest response: hex document + enclave_public_key, code_hash, pcr0..2 */
    LPA_FMT_ATTDOC_JSON,   /* GET /attestation/document response: base64 document + enclave_pubkey, code_hash */
    LPA_FMT_JSON           /* other JSON object with an "attestation_document" string */
} lpa_format;

typedef struct {
    lpa_format format;
    uint8_t cose[LPA_MAX_INPUT];
    size_t cose_len;
    /* Unauthenticated claims of the JSON response, compared by lpa_leadpoet_bind. */
    int has_enclave_key;
    uint8_t enclave_key[LPA_ED25519_LEN];
    int has_code_hash;
    uint8_t code_hash[LPA_CODE_HASH_LEN];
    int has_pcr[3];
    uint8_t pcr[3][LPA_PCR_LEN];
} lpa_source;

/* "cose", "hex", "base64", "attest-json", "attestation-document-json", "json". */
const char *lpa_format_name(lpa_format f);

/* Detects the encoding and extracts the COSE bytes.  Returns LPA_OK,
 * LPA_INPUT_TOO_LARGE or LPA_INPUT_DECODE_ERROR (detail says why). */
lpa_err lpa_source_decode(const uint8_t *in, size_t len, lpa_source *s, char *detail, size_t detail_len);

/* What the attested user_data binds (trusted only when the result is OK). */
typedef struct {
    int found;                                 /* user_data names an enclave key */
    char user_data_format[8];                  /* "json", "cbor" or "" */
    char enclave_public_key[2 * LPA_ED25519_LEN + 1];
    int has_code_hash;
    char code_hash[2 * LPA_CODE_HASH_LEN + 1];
    /* Read whenever user_data decodes, with or without a key: */
    int has_purpose;                           /* "purpose" is a text without NUL, under 64 bytes */
    char purpose[64];
    int has_epoch_id;                          /* "epoch_id" is an integer within int64 (§13.3) */
    int64_t epoch_id;
} lpa_binding;

/* §13 bindings: for /attest the response's enclave_public_key and code_hash
 * must equal those inside the attested user_data (USER_DATA_MISMATCH), and its
 * pcr0..2 must equal the document's (PCR_MISMATCH); for /attestation/document
 * the response's enclave_pubkey must equal the document's public_key
 * (PUBLIC_KEY_MISMATCH) and the user_data key and code_hash
 * (USER_DATA_MISMATCH).  For a bare document whose user_data carries a
 * Leadpoet key, a non-null public_key must equal it.  Adds checks to r. */
void lpa_leadpoet_bind(const lpa_source *s, lpa_result *r, lpa_binding *b);

#endif
