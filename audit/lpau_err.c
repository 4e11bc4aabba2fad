#include "audit/lpau_err.h"
#include <stdarg.h>
#include <stdio.h>

const char *lpau_strerror(lpau_err e)
{
    switch (e) {
    case LPAU_OK: return "success";
    case LPAU_ERR_NOMEM: return "out of memory";
    case LPAU_ERR_ARG: return "invalid argument";
    case LPAU_ERR_MISSING: return "required field missing";
    case LPAU_ERR_TYPE: return "field has the wrong type";
    case LPAU_ERR_VALUE: return "field value not accepted";
    case LPAU_ERR_DUPLICATE: return "duplicated key";
    case LPAU_ERR_TOO_LARGE: return "input over a limit";
    case LPAU_ERR_CANONICAL: return "canonical core error";
    }
    return "unknown error";
}

const char *lpau_errname(lpau_err e)
{
    switch (e) {
    case LPAU_OK: return "OK";
    case LPAU_ERR_NOMEM: return "NOMEM";
    case LPAU_ERR_ARG: return "ARG";
    case LPAU_ERR_MISSING: return "MISSING_FIELD";
    case LPAU_ERR_TYPE: return "BAD_TYPE";
    case LPAU_ERR_VALUE: return "BAD_VALUE";
    case LPAU_ERR_DUPLICATE: return "DUPLICATE";
    case LPAU_ERR_TOO_LARGE: return "TOO_LARGE";
    case LPAU_ERR_CANONICAL: return "CANONICAL";
    }
    return "UNKNOWN";
}

lpau_err lpau_fail(lpau_diag *d, lpau_err e, lpc_err cause, const char *field,
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
