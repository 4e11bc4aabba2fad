#include "canonical/lpc_err.h"

static const struct { const char *name, *text; } lpc_err_table[] = {
    [LPC_OK]                   = {"OK", "success"},
    [LPC_ERR_NOMEM]            = {"NOMEM", "out of memory"},
    [LPC_ERR_ARG]              = {"BAD_ARGUMENT", "invalid argument"},
    [LPC_ERR_TOO_LARGE]        = {"INPUT_TOO_LARGE", "input or output exceeds the size limit"},
    [LPC_ERR_SYNTAX]           = {"JSON_SYNTAX", "JSON text rejected by the Python parsing model"},
    [LPC_ERR_DEPTH]            = {"JSON_TOO_DEEP", "JSON nesting deeper than the limit"},
    [LPC_ERR_UTF8]             = {"BAD_UTF8", "input is not valid UTF-8"},
    [LPC_ERR_INT_DIGITS]       = {"INT_TOO_LONG", "integer exceeds the 4300-digit conversion limit"},
    [LPC_ERR_NAN]              = {"NAN_NOT_ALLOWED", "out of range float values are not JSON compliant"},
    [LPC_ERR_SURROGATE]        = {"LONE_SURROGATE", "lone surrogate cannot be encoded as UTF-8"},
    [LPC_ERR_TYPE]             = {"BAD_TYPE", "value has the wrong type"},
    [LPC_ERR_RANGE]            = {"OUT_OF_RANGE", "number out of range"},
    [LPC_ERR_HEX]              = {"BAD_HEX", "malformed hex"},
    [LPC_ERR_BASE64]           = {"BAD_BASE64", "malformed base64"},
    [LPC_ERR_CRYPTO]           = {"CRYPTO_BACKEND", "hash backend failure"},
    [LPC_ERR_NEGATIVE_WEIGHT]  = {"NEGATIVE_WEIGHT", "negative weight"},
    [LPC_ERR_WEIGHTS_INVARIANT]= {"WEIGHTS_INVARIANT", "sparse weight bundle rules violated"},
    [LPC_ERR_BINDING]          = {"BAD_BINDING", "validator binding message rejected"},
    [LPC_ERR_NOT_FLOAT]        = {"NOT_A_FLOAT", "value rejected by Python float()"},
    [LPC_ERR_MISSING]          = {"MISSING_FIELD", "required field absent"},
    [LPC_ERR_UNSUPPORTED]      = {"UNSUPPORTED", "input outside the reproduced Python behaviour"},
};

#define LPC_ERR_COUNT (sizeof lpc_err_table / sizeof lpc_err_table[0])

const char *lpc_strerror(lpc_err e)
{
    if ((unsigned)e >= LPC_ERR_COUNT || !lpc_err_table[e].text) return "unknown error";
    return lpc_err_table[e].text;
}

const char *lpc_errname(lpc_err e)
{
    if ((unsigned)e >= LPC_ERR_COUNT || !lpc_err_table[e].name) return "UNKNOWN";
    return lpc_err_table[e].name;
}
