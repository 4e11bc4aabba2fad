/* Error codes of the audit module (one enum for audit/), plus a diagnostic
 * naming the offending input field.  Spec: leadpoet-formats.md §8-§10. */
#ifndef LPA_ERR_H
#define LPA_ERR_H

#include <stddef.h>
#include "canonical/lpc_err.h"

typedef enum {
    LPA_OK = 0,
    LPA_ERR_NOMEM,      /* allocation failed */
    LPA_ERR_ARG,        /* invalid argument (NULL) */
    LPA_ERR_MISSING,    /* a required field is absent */
    LPA_ERR_TYPE,       /* a field has the wrong JSON type */
    LPA_ERR_VALUE,      /* a field's value is not acceptable (hex, range, NaN, float()) */
    LPA_ERR_DUPLICATE,  /* a key that must be unique repeats (lead_id, uid) */
    LPA_ERR_TOO_LARGE,  /* over a named limit */
    LPA_ERR_CANONICAL   /* the canonical core failed; see lpa_diag.cause */
} lpa_err;

/* Where an input error was found, for one-line messages:
 * field is a path such as "validations[3].salt"; detail says why. */
#define LPA_FIELD_MAX  160
#define LPA_DETAIL_MAX 200
typedef struct {
    char field[LPA_FIELD_MAX];
    char detail[LPA_DETAIL_MAX];
    lpc_err cause;              /* canonical error behind it, LPC_OK if none */
} lpa_diag;

/* Static, never NULL. */
const char *lpa_strerror(lpa_err e);
/* Upper-snake name for reports, e.g. "MISSING_FIELD". */
const char *lpa_errname(lpa_err e);

/* Fills d (may be NULL) and returns e.  field/detail are printf formats. */
lpa_err lpa_fail(lpa_diag *d, lpa_err e, lpc_err cause, const char *field,
                 const char *detail_fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
