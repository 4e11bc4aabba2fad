/* Error codes of the audit module (one enum for audit/), plus a diagnostic
 * naming the offending input field.  Spec: leadpoet-formats.md §8-§10. */
#ifndef LPAU_ERR_H
#define LPAU_ERR_H

#include <stddef.h>
#include "canonical/lpc_err.h"

typedef enum {
    LPAU_OK = 0,
    LPAU_ERR_NOMEM,      /* allocation failed */
    LPAU_ERR_ARG,        /* invalid argument (NULL) */
    LPAU_ERR_MISSING,    /* a required field is absent */
    LPAU_ERR_TYPE,       /* a field has the wrong JSON type */
    LPAU_ERR_VALUE,      /* a field's value is not acceptable (hex, range, NaN, float()) */
    LPAU_ERR_DUPLICATE,  /* a key that must be unique repeats (lead_id, uid) */
    LPAU_ERR_TOO_LARGE,  /* over a named limit */
    LPAU_ERR_CANONICAL   /* the canonical core failed; see lpau_diag.cause */
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

/* Static, never NULL. */
const char *lpau_strerror(lpau_err e);
/* Upper-snake name for reports, e.g. "MISSING_FIELD". */
const char *lpau_errname(lpau_err e);

/* Fills d (may be NULL) and returns e.  field/detail are printf formats. */
lpau_err lpau_fail(lpau_diag *d, lpau_err e, lpc_err cause, const char *field,
                 const char *detail_fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
