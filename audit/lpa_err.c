#include "audit/lpa_err.h"
#include <stdarg.h>
#include <stdio.h>

const char *lpa_strerror(lpa_err e)
{
    switch (e) {
    case LPA_OK: return "success";
    case LPA_ERR_NOMEM: return "out of memory";
    case LPA_ERR_ARG: return "invalid argument";
    case LPA_ERR_MISSING: return "required field missing";
    case LPA_ERR_TYPE: return "field has the wrong type";
    case LPA_ERR_VALUE: return "field value not accepted";
    case LPA_ERR_DUPLICATE: return "duplicated key";
    case LPA_ERR_TOO_LARGE: return "input over a limit";
    case LPA_ERR_CANONICAL: return "canonical core error";
    }
    return "unknown error";
}

const char *lpa_errname(lpa_err e)
{
    switch (e) {
    case LPA_OK: return "OK";
    case LPA_ERR_NOMEM: return "NOMEM";
    case LPA_ERR_ARG: return "ARG";
    case LPA_ERR_MISSING: return "MISSING_FIELD";
    case LPA_ERR_TYPE: return "BAD_TYPE";
    case LPA_ERR_VALUE: return "BAD_VALUE";
    case LPA_ERR_DUPLICATE: return "DUPLICATE";
    case LPA_ERR_TOO_LARGE: return "TOO_LARGE";
    case LPA_ERR_CANONICAL: return "CANONICAL";
    }
    return "UNKNOWN";
}

lpa_err lpa_fail(lpa_diag *d, lpa_err e, lpc_err cause, const char *field,
                 const char *detail_fmt, ...)
{
    if (d) {
        snprintf(d->field, sizeof d->field, "%s", field ? field : "");
        va_list ap;
        va_start(ap, detail_fmt);
        vsnprintf(d->detail, sizeof d->detail, detail_fmt, ap);
        va_end(ap);
        d->cause = cause;
    }
    return e;
}
