/* Helpers shared by the v2 ports (attested_receipts.py, attested_v2.py): the common
 * regular expressions and sha256_json.  Spec: leadpoet-weights-v2.md §3 (identifiers,
 * sha256: references, commits), preamble (sha256_json = "sha256:" + hex(H(CS-U(v)))).
 *
 * Pure: no allocation kept, no globals. */
#ifndef LPC_V2_COMMON_H
#define LPC_V2_COMMON_H

#include <stddef.h>
#include "canonical/lp_code.h"
#include "canonical/lpc_referr.h"
#include "canonical/lpc_value.h"

/* 1 when s[0..n) matches ^sha256:[0-9a-f]{64}$ */
int lpc_v2_is_sha256_ref(const char *s, size_t n);
/* 1 when s[0..n) matches ^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,255}$ */
int lpc_v2_is_identifier(const char *s, size_t n);
/* 1 when s[0..n) is 40 or 64 lowercase hex digits (a full Git object id) */
int lpc_v2_is_commit_sha(const char *s, size_t n);
/* out = "sha256:" + hex(SHA-256(CS-U(v))), NUL-terminated.  NaN/Infinity gives
 * LP_CODE_PYTHON_VALUE_ERROR with err "ValueError" as json.dumps raises it (each module
 * re-types that as its own exception class); a lone surrogate gives the same code with
 * "UnicodeEncodeError" and Python's message (it escapes every module unchanged). */
lp_code lpc_v2_sha256_json(const lpc_value *v, char out[72], lpc_referr *err);

#endif
