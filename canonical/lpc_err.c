/* lpc_err: registry codes and sentences (lpc_err.h). */
#include "canonical/lpc_err.h"

#include <stddef.h>

static const struct { lp_code code; const char *text; } k_err[] = {
    [LPC_OK]                   = {LP_CODE_OK, "success"},
    [LPC_ERR_NOMEM]            = {LP_CODE_OUT_OF_MEMORY, "out of memory"},
    [LPC_ERR_ARG]              = {LP_CODE_BAD_ARGUMENT, "invalid argument"},
    [LPC_ERR_TOO_LARGE]        = {LP_CODE_INPUT_TOO_LARGE, "input or output exceeds the size limit"},
    [LPC_ERR_SYNTAX]           = {LP_CODE_JSON_SYNTAX, "JSON text rejected by the Python parsing model"},
    [LPC_ERR_DEPTH]            = {LP_CODE_JSON_TOO_DEEP, "JSON nesting deeper than the limit"},
    [LPC_ERR_UTF8]             = {LP_CODE_BAD_UTF8, "input is not valid UTF-8"},
    [LPC_ERR_INT_DIGITS]       = {LP_CODE_INT_TOO_LONG, "integer exceeds the 4300-digit conversion limit"},
    [LPC_ERR_NAN]              = {LP_CODE_NAN_NOT_ALLOWED, "out of range float values are not JSON compliant"},
    [LPC_ERR_SURROGATE]        = {LP_CODE_LONE_SURROGATE, "lone surrogate cannot be encoded as UTF-8"},
    [LPC_ERR_TYPE]             = {LP_CODE_BAD_TYPE, "value has the wrong type"},
    [LPC_ERR_RANGE]            = {LP_CODE_OUT_OF_RANGE, "number out of range"},
    [LPC_ERR_HEX]              = {LP_CODE_BAD_HEX, "malformed hex"},
    [LPC_ERR_BASE64]           = {LP_CODE_BAD_BASE64, "malformed base64"},
    [LPC_ERR_CRYPTO]           = {LP_CODE_CRYPTO_BACKEND, "hash backend failure"},
    [LPC_ERR_NEGATIVE_WEIGHT]  = {LP_CODE_NEGATIVE_WEIGHT, "negative weight"},
    [LPC_ERR_WEIGHTS_INVARIANT]= {LP_CODE_WEIGHTS_INVARIANT, "sparse weight bundle rules violated"},
    [LPC_ERR_BINDING]          = {LP_CODE_BAD_BINDING, "validator binding message rejected"},
    [LPC_ERR_NOT_FLOAT]        = {LP_CODE_NOT_A_FLOAT, "value rejected by Python float()"},
    [LPC_ERR_MISSING]          = {LP_CODE_MISSING_FIELD, "required field absent"},
    [LPC_ERR_UNSUPPORTED]      = {LP_CODE_UNSUPPORTED, "input outside the reproduced Python behaviour"},
};

#define LPC_ERR_COUNT (sizeof k_err / sizeof k_err[0])
_Static_assert(LPC_ERR_COUNT == (size_t)LPC_ERR_UNSUPPORTED + 1, "every lpc_err has a row");

/* A row left out of the table reads {LP_CODE_OK, NULL}: the NULL text tells it apart, so
 * a forgotten code can never map to OK. */
lp_code lpc_code(lpc_err e)
{
    if ((unsigned)e >= LPC_ERR_COUNT || !k_err[e].text) return LP_CODE_INTERNAL;
    return k_err[e].code;
}

const char *lpc_strerror(lpc_err e)
{
    if ((unsigned)e >= LPC_ERR_COUNT || !k_err[e].text) return "unknown error";
    return k_err[e].text;
}

const char *lpc_errname(lpc_err e)
{
    return lp_code_name(lpc_code(e));
}
