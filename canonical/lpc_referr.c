/* Reference exceptions (lpc_referr.h). */
#include "canonical/lpc_referr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void lpc_referr_clear(lpc_referr *e)
{
    if (!e) return;
    e->code = LP_CODE_OK;
    e->type[0] = e->message[0] = '\0';
}

lp_code lpc_referr_set(lpc_referr *e, lp_code code, const char *type, const char *fmt, ...)
{
    if (!e) return code;
    e->code = code;
    snprintf(e->type, sizeof e->type, "%s", type ? type : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return code;
}
