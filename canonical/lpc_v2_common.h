/* Text checks and the JSON digest shared by the ports of Leadpoet's v2-era modules
 * (attested_receipts.py, attested_v2.py).  Spec: leadpoet-weights-v2.md §3
 * (identifiers, hex normalization, sha256_json), §4 (commit_sha).
 *
 * The predicates test text that the caller has already normalized (Python's
 * str(x or "").strip().lower()); they match the reference's regular expressions with
 * fullmatch, so no trailing newline passes.  Pure: no I/O, no globals. */
#ifndef LPC_V2_COMMON_H
#define LPC_V2_COMMON_H

#include <stddef.h>
#include "canonical/lp_code.h"
#include "canonical/lpc_referr.h"
#include "canonical/lpc_value.h"

#define LPC_V2_SHA256_REF_LEN   71    /* "sha256:" + 64 hex */
#define LPC_V2_IDENTIFIER_MAX   256   /* ^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,255}$ (§3) */

/* 1 when s[0..n) is "sha256:" followed by 64 lowercase hex digits (^sha256:[0-9a-f]{64}$). */
int lpc_v2_is_sha256_ref(const char *s, size_t n);
/* 1 when s[0..n) matches ^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,255}$ (ASCII only). */
int lpc_v2_is_identifier(const char *s, size_t n);
/* 1 when s[0..n) is a full Git object id: 40 or 64 lowercase hex digits
 * (^[0-9a-f]{40}(?:[0-9a-f]{24})?$). */
int lpc_v2_is_commit_sha(const char *s, size_t n);

/* Ed25519 as the v2 modules check it: bytes.fromhex of the key (32 bytes), the
 * signature (64) and the signed digest (32, e.g. a weights_hash), then a strict
 * verification (lpc_ed25519_verify).  1 when it verifies; 0 for any text that is not
 * hex of those lengths, or a bad signature. */
int lpc_v2_ed25519_fromhex(const char *pk, size_t pk_len, const char *sig, size_t sig_len, const char *digest,
                           size_t digest_len);

/* sha256_json(v): "sha256:" + hex(SHA-256(CS-U(v))) with allow_nan=False, written to out
 * (71 characters and a NUL).  LP_CODE_OK, or an error in err (may be NULL) carrying the
 * Python exception that the reference's json.dumps(...).encode("utf-8") raises:
 *   NaN or an infinity: LP_CODE_PYTHON_VALUE_ERROR, ValueError
 *     "Out of range float values are not JSON compliant" (CPython 3.11 _json);
 *   a lone surrogate: LP_CODE_PYTHON_VALUE_ERROR, UnicodeEncodeError
 *     "'utf-8' codec can't encode character '\udXXX' in position N: surrogates not allowed";
 *   otherwise the lpc_code() of the serialiser's error (out of memory, nesting deeper
 *   than LPC_JSON_MAX_DEPTH, output over LPC_JSON_MAX_OUTPUT) or of the hash backend.
 * Each module wraps the ValueError in its own class as its canonical_json does. */
lp_code lpc_v2_sha256_json(const lpc_value *v, char out[72], lpc_referr *err);

#endif
