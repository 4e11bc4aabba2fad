/* Error codes of the canonical core (one enum for the module), mapped into the
 * toolkit's result-code registry (lp_code.h) by lpc_code(). */
#ifndef LPC_ERR_H
#define LPC_ERR_H

#include "canonical/lp_code.h"

typedef enum {
    LPC_OK = 0,
    LPC_ERR_NOMEM,          /* allocation failed */
    LPC_ERR_ARG,            /* invalid argument (NULL, bad length, unknown name) */
    LPC_ERR_TOO_LARGE,      /* input or output over a named limit */
    LPC_ERR_SYNTAX,         /* JSON text not accepted by Python json.loads */
    LPC_ERR_DEPTH,          /* nesting deeper than LPC_JSON_MAX_DEPTH */
    LPC_ERR_UTF8,           /* input bytes are not valid UTF-8 */
    LPC_ERR_INT_DIGITS,     /* integer beyond CPython's 4300-digit cap */
    LPC_ERR_NAN,            /* NaN/Infinity where the profile forbids it (allow_nan=False) */
    LPC_ERR_SURROGATE,      /* lone surrogate cannot be encoded as UTF-8 */
    LPC_ERR_TYPE,           /* value of the wrong JSON type */
    LPC_ERR_RANGE,          /* number out of the accepted range */
    LPC_ERR_HEX,            /* malformed hex */
    LPC_ERR_BASE64,         /* malformed base64 */
    LPC_ERR_CRYPTO,         /* the hash backend failed */
    LPC_ERR_NEGATIVE_WEIGHT,/* normalize_to_u16: a negative weight */
    LPC_ERR_WEIGHTS_INVARIANT, /* sparse bundle rule violated (spec §10.2) */
    LPC_ERR_BINDING,        /* validator binding message rejected (spec §11) */
    LPC_ERR_NOT_FLOAT,      /* Python float() would raise ValueError on this text (spec §9) */
    LPC_ERR_MISSING,        /* a required field is absent (Python KeyError) */
    LPC_ERR_UNSUPPORTED     /* input outside the Python behaviour reproduced here */
} lpc_err;

/* The registry code of e (LP_CODE_INTERNAL for a value outside the enum). */
lp_code lpc_code(lpc_err e);
/* Static, never NULL. */
const char *lpc_strerror(lpc_err e);
/* lp_code_name(lpc_code(e)): the registry's name for reports, e.g. "JSON_SYNTAX". */
const char *lpc_errname(lpc_err e);

#endif
