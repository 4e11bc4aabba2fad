/* Audit error codes and their registry codes (lpau_err.h). */
#include "audit/lpau_err.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    lp_code code;
    const char *text;
} k_err[] = {
    [LPAU_OK]            = {LP_CODE_OK, "success"},
    [LPAU_ERR_NOMEM]     = {LP_CODE_OUT_OF_MEMORY, "out of memory"},
    [LPAU_ERR_ARG]       = {LP_CODE_BAD_ARGUMENT, "invalid argument"},
    [LPAU_ERR_MISSING]   = {LP_CODE_MISSING_FIELD, "required field missing"},
    [LPAU_ERR_TYPE]      = {LP_CODE_BAD_TYPE, "field has the wrong type"},
    [LPAU_ERR_VALUE]     = {LP_CODE_BAD_VALUE, "field value not accepted"},
    [LPAU_ERR_DUPLICATE] = {LP_CODE_DUPLICATE, "duplicated key"},
    [LPAU_ERR_TOO_LARGE] = {LP_CODE_INPUT_TOO_LARGE, "input over a limit"},
    [LPAU_ERR_CANONICAL] = {LP_CODE_CANONICAL_ERROR, "canonical core error"},
};

#define K_ERR_N (sizeof k_err / sizeof k_err[0])

lp_code lpau_code(lpau_err e)
{
    if ((unsigned)e >= K_ERR_N || !k_err[e].text)
        return LP_CODE_INTERNAL;
    return k_err[e].code;
}

const char *lpau_strerror(lpau_err e)
{
    if ((unsigned)e >= K_ERR_N || !k_err[e].text)
        return "unknown error";
    return k_err[e].text;
}

const char *lpau_errname(lpau_err e)
{
    return lp_code_name(lpau_code(e));
}

lp_code lpau_lpc_code(lpc_err e)
{
    if (e == LPC_OK)
        return LP_CODE_OK;
    if (e == LPC_ERR_NOMEM)
        return LP_CODE_OUT_OF_MEMORY;
    const char *name = lpc_errname(e);
    lp_code c;
    if (lp_code_from_name(name, strlen(name), &c) == 0 && c != LP_CODE_OK)
        return c;
    return LP_CODE_CANONICAL_ERROR;
}

lp_code lpau_diag_code(lpau_err e, const lpau_diag *d)
{
    if (e == LPAU_ERR_CANONICAL && d && d->cause != LPC_OK) {
        lp_code c = lpau_lpc_code(d->cause);
        /* an input error never decides: a verdict code here would be a bug */
        return lp_code_exit(c) == LP_EXIT_UNDECIDED ? c : LP_CODE_CANONICAL_ERROR;
    }
    return lpau_code(e);
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

lpau_quote lpau_clip(const char *s, size_t n, size_t show)
{
    lpau_quote q = { 0, "" };
    if (!s)
        return q;
    if (show > INT_MAX)
        show = INT_MAX;
    const char *nul = memchr(s, 0, n);
    size_t k = nul ? (size_t)(nul - s) : n;
    if (k > show)
        k = show;
    if (k < n) {
        /* back off a cut continuation sequence: s[k] is the first byte left out */
        while (k > 0 && ((unsigned char)s[k] & 0xC0u) == 0x80u)
            k--;
        q.more = "...";
    }
    q.n = (int)k;   /* k <= show <= INT_MAX */
    return q;
}
