/* Python's builtins applied to parsed JSON values, as Leadpoet's reference code applies
 * them to json.loads output: truthiness, ==, int(), float(), str() and str.strip().
 * Spec: leadpoet-weights-v2.md §10 (items 2-6), §5.1 (the INT/FLT coercions).
 *
 * Pure: no I/O, no globals, no allocation unless a function says so.  Where Python
 * would produce a value these functions cannot represent exactly (an int beyond
 * int64, str() of a container), they return LPC_ERR_UNSUPPORTED: the caller refuses
 * the input rather than compute with a different value. */
#ifndef LPC_PYTHON_H
#define LPC_PYTHON_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lpc_value.h"

/* bool(v): false for null, false, 0, 0.0, -0.0, "", [], {}; true otherwise
 * (NaN is true, "false" and "0" are true).  A NULL v is false. */
int lpc_py_truthy(const lpc_value *v);

/* type(v).__name__ as Python's messages spell it: "NoneType" (also for NULL), "bool",
 * "int", "float", "str", "list", "dict".  Static. */
const char *lpc_py_type_name(const lpc_value *v);

/* a == b for json.loads values: bool, int and float compare by numeric value
 * (True == 1 == 1.0, 0.0 == -0.0, an int and a float exactly, NaN equal to nothing);
 * strings by their WTF-8 bytes; lists element-wise; dicts by key set and values
 * (key order ignored).  Containers deeper than LPC_JSON_MAX_DEPTH compare unequal. */
int lpc_py_eq(const lpc_value *a, const lpc_value *b);

/* 0 when a == b (lpc_py_eq); else 1, and path (cap bytes, NUL-terminated, cut to fit)
 * names the first place they differ in a's order: "components.research_lab_burn",
 * "weights[3]", a key present on one side only, or "" when the roots differ. */
int lpc_py_first_difference(const lpc_value *a, const lpc_value *b, char *path, size_t cap);

/* Outcome of a builtin call: the value, or the exception Python raises. */
typedef enum {
    LPC_PY_OK = 0,
    LPC_PY_TYPE_ERROR,      /* TypeError: int(None), float([]), ... */
    LPC_PY_VALUE_ERROR,     /* ValueError: int("x"), float("20%"), int(nan) */
    LPC_PY_OVERFLOW_ERROR,  /* OverflowError: int(inf) */
    LPC_PY_UNSUPPORTED      /* Python gives a value outside what is represented here
                             * (an int beyond int64, a non-ASCII float() text) */
} lpc_py_status;

/* int(v): bool -> 0/1; int; float truncated toward zero (inf: OverflowError, nan:
 * ValueError); str through lpc_py_int_parse (whitespace, underscores, Unicode
 * decimal digits); anything else TypeError. */
lpc_py_status lpc_py_int(const lpc_value *v, int64_t *out);

/* float(v): bool, int (correctly rounded), float; str through lpc_py_float_from_str
 * (ASCII forms; a text with a non-ASCII code point that the ASCII grammar refuses is
 * LPC_PY_UNSUPPORTED, since Python also accepts Unicode digits and spaces there);
 * null and containers TypeError. */
lpc_py_status lpc_py_float(const lpc_value *v, double *out);

/* Room for str() of any scalar this module renders (a float repr, an int64, "False"). */
#define LPC_PY_STR_SCALAR_MAX 32

/* str(v) as bytes: a string is returned as a view of its own bytes (*p, *n); null,
 * bools, ints and floats are rendered into buf ("None", "True", "42", "1.0", "nan")
 * and *p points there.  Containers (repr of a list or dict) give LPC_ERR_UNSUPPORTED. */
lpc_err lpc_py_str(const lpc_value *v, char buf[LPC_PY_STR_SCALAR_MAX], const char **p, size_t *n);

/* 1 when c is whitespace for str.isspace() / str.strip() (Py_UNICODE_ISSPACE). */
int lpc_py_isspace(uint32_t c);

/* str.strip() of the WTF-8 text s[0..len): the stripped part is s[*off, *off + *n).
 * Bytes that do not decode are kept (they are never whitespace). */
void lpc_py_strip(const char *s, size_t len, size_t *off, size_t *n);

#endif
