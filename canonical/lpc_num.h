/* Python float formatting, rounding and float() parsing, the same in every locale
 * (no conversion follows LC_NUMERIC; see lpc_num.c).
 * Spec: leadpoet-formats.md §1.1 (float(text)), §1.2 (float repr, round). */
#ifndef LPC_NUM_H
#define LPC_NUM_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lpc_err.h"

#define LPC_REPR_MAX 32   /* longest repr(float) plus NUL ("-2.2250738585072014e-308") */

/* Python repr(x): shortest round-trip digits, Python's positional/exponent
 * choice (-4 <= E < 16 positional).  inf/nan give "inf", "-inf", "nan".
 * Returns the length written (without NUL). */
size_t lpc_float_repr(double x, char out[LPC_REPR_MAX]);

#define LPC_I64_DEC_MAX 20  /* "-9223372036854775808" */

/* Decimal text of x (Python str(int)) into out, no NUL; returns the length. */
size_t lpc_i64_to_dec(int64_t x, char out[LPC_I64_DEC_MAX]);

/* Python round(x, ndigits) for a float: the decimal rounding of the exact
 * binary value, ties to even; inf/nan and 0 returned unchanged; ndigits > 323
 * returns x (as CPython).  Negative ndigits are not supported and give NaN. */
double lpc_py_round(double x, int ndigits);

/* Python round(x) with no ndigits, as a double (banker's rounding). */
double lpc_py_round0(double x);

/* Python float(str): optional surrounding whitespace, sign, digits with single
 * underscores between digits, fraction, exponent, inf/infinity/nan in any case.
 * LPC_ERR_SYNTAX when Python would raise ValueError. */
lpc_err lpc_py_float_from_str(const char *s, size_t len, double *out);

/* The double nearest the decimal text s[0..n), -?D*(.D*)?([eE][-+]?D+)? with at least
 * one mantissa digit (JSON's number grammar and more), correctly rounded as Python's
 * float(text): overflow gives +-inf, underflow +-0.  LPC_ERR_SYNTAX for any other text,
 * LPC_ERR_NOMEM when a mantissa of more than about 100 digits cannot be copied. */
lpc_err lpc_decimal_to_double(const char *s, size_t n, double *out);

#endif
