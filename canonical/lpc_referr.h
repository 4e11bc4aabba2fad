/* An exception raised by Leadpoet's reference functions, as the C ports report it:
 * the registry code standing for its Python class, the class name and its str().
 * Spec: leadpoet-weights-v2.md (each section names the messages of its function);
 * vectors/leadpoet-v2/README.md (errors are {type, message}).
 *
 * Caller-owned, fixed size; lpc_referr_set truncates a message longer than
 * LPC_REFERR_MSG_MAX - 1 bytes (no reference message comes close). */
#ifndef LPC_REFERR_H
#define LPC_REFERR_H

#include "canonical/lp_code.h"

#define LPC_REFERR_TYPE_MAX 48
#define LPC_REFERR_MSG_MAX  256

typedef struct {
    lp_code code;                       /* LP_CODE_OK: nothing raised */
    char type[LPC_REFERR_TYPE_MAX];     /* "WeightComputationError", "ValueError" */
    char message[LPC_REFERR_MSG_MAX];   /* str(exception) */
} lpc_referr;

void lpc_referr_clear(lpc_referr *e);
/* Sets e (which may be NULL) and returns code. */
lp_code lpc_referr_set(lpc_referr *e, lp_code code, const char *type, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
