/* leadpoet_canonical: the stable C ABI of leadpoet-verify's canonical core.
 *
 * Reproduces, byte for byte, what Leadpoet's Python hashes: json.dumps profiles,
 * commit-reveal hashes, u16 weight normalisation and weight bundle hashes.
 * Link with -lleadpoet_canonical (pkg-config leadpoet_canonical).
 *
 * Conventions
 * - Every function returns 0 on success or a positive error code;
 *   leadpoet_strerror() names it.  No function prints, exits or keeps state.
 * - Hex digests are written to caller buffers of LEADPOET_HEX_DIGEST_SIZE bytes
 *   (64 lowercase hex digits and a NUL).
 * - Variable-size output is malloc'd by the library and released by the caller
 *   with leadpoet_free().
 * - JSON inputs are UTF-8 text parsed with Python's json.loads model (insertion
 *   order kept, duplicate key: first position, last value; int and float distinct).
 * - Thread-safe: no globals. */
#ifndef LEADPOET_CANONICAL_H
#define LEADPOET_CANONICAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LEADPOET_CANONICAL_ABI 1
#define LEADPOET_HEX_DIGEST_SIZE 65

/* ABI version of the loaded library (LEADPOET_CANONICAL_ABI it was built with). */
int leadpoet_abi_version(void);
/* Static text for an error code; never NULL. */
const char *leadpoet_strerror(int code);
/* Stable upper-snake name for an error code ("JSON_SYNTAX", ...); never NULL. */
const char *leadpoet_errname(int code);
/* Releases memory returned by this library; NULL is ignored. */
void leadpoet_free(void *p);

/* Profile names: "compact-sorted-ascii", "default-sorted-ascii",
 * "default-unsorted-ascii", "compact-sorted-utf8", "compact-sorted-utf8-nonan",
 * "indent2-sorted-ascii" (underscores accepted for dashes). */

/* Parses json[0..len) and writes its serialisation under profile to *out
 * (malloc'd, *out_len bytes plus a NUL not counted; free with leadpoet_free). */
int leadpoet_canonical_dumps(const uint8_t *json, size_t len, const char *profile,
                             uint8_t **out, size_t *out_len);

/* CS-A ("compact-sorted-ascii") straight from json text, without a value tree, when
 * the text is in the plain form records take (see lpc_csa_from_text).  Returns 0 with
 * out and out_len set as leadpoet_canonical_dumps (the same bytes it gives for this text);
 * LEADPOET_CSA_DECLINED when the text is not in that form (out NULL: use
 * leadpoet_canonical_dumps); another code on other errors.  key (NULL for none):
 * span receives [start, end) in *out of that top-level member's value, {0, 0} if absent. */
#define LEADPOET_CSA_DECLINED 20
int leadpoet_canonical_csa_from_text(const uint8_t *json, size_t len, const char *key, size_t span[2],
                                     uint8_t **out, size_t *out_len);

/* SHA-256 hex of the serialisation above. */
int leadpoet_canonical_sha256_hex(const uint8_t *json, size_t len, const char *profile,
                                  char out_hex[LEADPOET_HEX_DIGEST_SIZE]);

/* SHA-256 hex of raw bytes. */
int leadpoet_sha256_hex(const uint8_t *data, size_t len, char out_hex[LEADPOET_HEX_DIGEST_SIZE]);

/* Python round(x, ndigits) for 0 <= ndigits <= 323. */
double leadpoet_py_round(double x, int ndigits);

/* Python repr(float): writes at most 32 bytes including the NUL; returns the length. */
size_t leadpoet_float_repr(double x, char out[32]);

/* ---- weights (spec §10) ---- */

/* normalize_to_u16: binary32 quantisation, v = round_half_even(w / max * 65535),
 * zeros dropped, input order kept.  out_uids/out_weights have room for n.
 * Negative weight: LEADPOET error NEGATIVE_WEIGHT. */
int leadpoet_normalize_to_u16(const int64_t *uids, const double *weights, size_t n,
                              int64_t *out_uids, uint16_t *out_weights, size_t *out_n);

/* bundle_weights_hash / compare_weights_hash over parallel arrays of n pairs
 * (stably sorted by uid inside; nothing filtered). */
int leadpoet_bundle_weights_hash(int64_t netuid, int64_t epoch_id, int64_t block,
                                 const int64_t *uids, const int64_t *weights, size_t n,
                                 char out_hex[LEADPOET_HEX_DIGEST_SIZE]);
int leadpoet_compare_weights_hash(int64_t netuid, int64_t epoch_id,
                                  const int64_t *uids, const int64_t *weights, size_t n,
                                  char out_hex[LEADPOET_HEX_DIGEST_SIZE]);

/* weights_within_tolerance: *within = 1 when every uid of the union differs by at
 * most tolerance (a missing uid counts as 0). */
int leadpoet_weights_within_tolerance(const int64_t *exp_uids, const int64_t *exp_weights, size_t ne,
                                      const int64_t *act_uids, const int64_t *act_weights, size_t na,
                                      int64_t tolerance, int *within);

#define LEADPOET_MSG_SIZE 192
/* validate_weights_invariants: 0, or WEIGHTS_INVARIANT with Python's message in msg. */
int leadpoet_validate_weights_invariants(const int64_t *uids, size_t nu, const int64_t *weights, size_t nw,
                                         char msg[LEADPOET_MSG_SIZE]);

/* ---- commit-reveal (spec §8); the salt is hashed as text ---- */

/* hex(SHA256(utf8(decision + salt))) */
int leadpoet_decision_hash(const char *decision, size_t decision_len, const char *salt, size_t salt_len,
                           char out_hex[LEADPOET_HEX_DIGEST_SIZE]);
/* hex(SHA256(utf8(str(rep_score) + salt))); rep_score_json is the JSON number
 * ("42" for the current int era, "42.0" or "0.87" for the legacy float era). */
int leadpoet_rep_score_hash(const char *rep_score_json, size_t len, const char *salt, size_t salt_len,
                            char out_hex[LEADPOET_HEX_DIGEST_SIZE]);
/* hex(SHA256(utf8(json.dumps(reason) + salt))), default separators, insertion order. */
int leadpoet_rejection_reason_hash(const uint8_t *reason_json, size_t len, const char *salt, size_t salt_len,
                                   char out_hex[LEADPOET_HEX_DIGEST_SIZE]);
/* Legacy single /reveal: hex(SHA256(utf8(reason_string + salt))). */
int leadpoet_rejection_reason_text_hash(const char *reason, size_t len, const char *salt, size_t salt_len,
                                        char out_hex[LEADPOET_HEX_DIGEST_SIZE]);
/* hex(SHA256(utf8(json.dumps(evidence)))), no salt; with clean != 0 the
 * validator's clean_result is hashed (enhanced_lead without company_linkedin_*). */
int leadpoet_evidence_hash(const uint8_t *evidence_json, size_t len, int clean,
                           char out_hex[LEADPOET_HEX_DIGEST_SIZE]);

/* ---- sr25519 hotkey signatures (sr25519.md §1.2) ---- */

#define LEADPOET_REASON_SIZE 48

/* The gateway's check Keypair(ss58_address=ss58).verify(message, bytes.fromhex(sig_hex)),
 * inputs verbatim, with the <Bytes>message</Bytes> retry.  strict != 0 also refuses the
 * identity key and any address but the one-byte prefix-42 form.  Returns 0 with
 * *verified (1 or 0) and reason set to the result's name: "OK", "OK_BYTES_WRAPPED" or
 * the first failing reason ("SS58_BAD_CHECKSUM", "EQUATION_FALSE", ...; "INPUT_TOO_LARGE"
 * for an address over 1024 characters, which is never verified).  A positive error code
 * for NULL arguments (ARG) or a failed crypto backend (CRYPTO). */
int leadpoet_verify_hotkey_signature(const char *ss58, size_t ss58_len, const uint8_t *message, size_t message_len,
                                     const char *sig_hex, size_t sig_hex_len, int strict, int *verified,
                                     char reason[LEADPOET_REASON_SIZE]);

/* Leadpoet's v2 reference functions by name ("weight_computation.compute_final_weights",
 * "attested_receipts.receipt_hash", ...; the list is in README "Python binding"), called
 * as Python calls them: call_json is the JSON text [ARGS, KWARGS] (ARGS a list, KWARGS an
 * object; UTF-8 with lone surrogates allowed, NaN/Infinity allowed).  Returns 0 with
 * *out (malloc'd, free with leadpoet_free; *out_len bytes, UTF-8 with surrogatepass) the
 * JSON text {"ok": RETURN_VALUE} or, when the reference raises, {"error": {"type": CLASS,
 * "message": STR, "code": RESULT_CODE}}.  A positive error code when the call cannot be
 * made: MISSING for an unknown name, SYNTAX/ARG for call_json that is not [list, object],
 * NOMEM. */
int leadpoet_refcall(const char *name, const uint8_t *call_json, size_t len, uint8_t **out, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
