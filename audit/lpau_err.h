/* Error codes of the audit module (one enum for audit/), their place in the
 * result-code registry (canonical/lp_code.h), and a diagnostic naming the
 * offending input field.  Spec: leadpoet-formats.md §8-§11.  Pure: no I/O,
 * no globals. */
#ifndef LPAU_ERR_H
#define LPAU_ERR_H

#include <stddef.h>
#include "canonical/lp_code.h"
#include "canonical/lpc_err.h"

typedef enum {
    LPAU_OK = 0,
    LPAU_ERR_NOMEM,      /* allocation failed                       -> OUT_OF_MEMORY */
    LPAU_ERR_ARG,        /* invalid argument (NULL)                 -> BAD_ARGUMENT */
    LPAU_ERR_MISSING,    /* a required field is absent              -> MISSING_FIELD */
    LPAU_ERR_TYPE,       /* a field has the wrong JSON type         -> BAD_TYPE */
    LPAU_ERR_VALUE,      /* a field's value is not acceptable (hex, range, NaN, float()) -> BAD_VALUE */
    LPAU_ERR_DUPLICATE,  /* a key that must be unique repeats (lead_id, uid) -> DUPLICATE */
    LPAU_ERR_TOO_LARGE,  /* over a named limit                      -> INPUT_TOO_LARGE */
    LPAU_ERR_CANONICAL   /* the canonical core failed; see lpau_diag.cause -> CANONICAL_ERROR */
} lpau_err;

/* Where an input error was found, for one-line messages:
 * field is a path such as "validations[3].salt"; detail says why. */
#define LPAU_FIELD_MAX  160
#define LPAU_DETAIL_MAX 200
typedef struct {
    char field[LPAU_FIELD_MAX];
    char detail[LPAU_DETAIL_MAX];
    lpc_err cause;              /* canonical error behind it, LPC_OK if none */
} lpau_diag;

/* The registry code of e (every audit error is undecided, exit 2);
 * LP_CODE_INTERNAL for a value outside the enum. */
lp_code lpau_code(lpau_err e);
/* The code a report gives an input error: for LPAU_ERR_CANONICAL the canonical
 * cause's own code where the registry has one and it is undecided (JSON_SYNTAX,
 * BAD_UTF8, ...), else lpau_code(e).  Always exit class 2.  d may be NULL. */
lp_code lpau_diag_code(lpau_err e, const lpau_diag *d);
/* The registry code of a canonical error (by its name; LPC_ERR_NOMEM is
 * OUT_OF_MEMORY, a name the registry lacks CANONICAL_ERROR). */
lp_code lpau_lpc_code(lpc_err e);

/* Static, never NULL. */
const char *lpau_strerror(lpau_err e);
/* lp_code_name(lpau_code(e)), e.g. "MISSING_FIELD". */
const char *lpau_errname(lpau_err e);

/* How much of untrusted text s[0..n) a one-line detail quotes raw: n bytes
 * when n <= show and s holds no NUL; else the longest prefix of at most show
 * bytes that ends before any NUL and on a UTF-8 sequence boundary, and more
 * is "..." (otherwise "").  Print with "%.*s%s", q.n, s, q.more.  Quoted
 * bytes stay raw: the report layer escapes them. */
typedef struct {
    int n;
    const char *more;
} lpau_quote;
lpau_quote lpau_clip(const char *s, size_t n, size_t show);

/* Fills d (may be NULL) and returns e.  field/detail are printf formats. */
lpau_err lpau_fail(lpau_diag *d, lpau_err e, lpc_err cause, const char *field,
                 const char *detail_fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
