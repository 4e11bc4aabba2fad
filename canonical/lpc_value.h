/* The Python-json value model: building, access, copying and release of value trees.
 * Spec: leadpoet-formats.md §1.1 (objects keep insertion order, a reassigned key keeps
 * its place; int and float are distinct types).
 *
 * Strings and keys are WTF-8: UTF-8 that may also carry lone surrogates (U+D800..U+DFFF
 * as three bytes).  WTF-8 byte order equals code-point order, which is how Python sorts
 * keys.  Keys of one object are unique (the parser and lpc_object_set keep them so).
 *
 * Memory: every lpc_value is owned by its parent; the caller owns the root and releases
 * the whole tree with lpc_free().  Builders copy the bytes they are given.
 *
 * Two kinds of tree share this layout.  A built tree (lpc_new_*, lpc_clone) is one heap
 * allocation per node and per string, and is mutable.  A parsed tree (lpc_parse.h) is a
 * document: its nodes, item arrays, keys, strings and digits lie in a few arena blocks
 * owned by the root, lpc_free() of the root releases them at once, lpc_free() of any
 * other node of it does nothing, and its containers are read-only (lpc_array_append
 * and lpc_object_set refuse them with LPC_ERR_ARG; lpc_clone gives a mutable copy). */
#ifndef LPC_VALUE_H
#define LPC_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lpc_err.h"

#define LPC_JSON_MAX_DEPTH   512                 /* nested arrays/objects */
#define LPC_INT_MAX_DIGITS   4300                /* CPython 3.11 int<->str cap */

typedef enum {
    LPC_NULL, LPC_BOOL, LPC_INT, LPC_FLOAT, LPC_STR, LPC_ARRAY, LPC_OBJECT
} lpc_type;

typedef struct lpc_value lpc_value;

typedef struct {
    char  *key;      /* WTF-8, NUL-terminated (may contain NUL: use klen) */
    size_t klen;
    lpc_value *val;
} lpc_member;

/* flags: LPC_VALUE_IN_DOC on every node of a parsed tree, LPC_VALUE_DOC_ROOT on its root;
 * LPC_VALUE_ELIDED on a container lpc_parse_each parsed without keeping it (empty here). */
#define LPC_VALUE_IN_DOC   1u
#define LPC_VALUE_DOC_ROOT 2u
#define LPC_VALUE_ELIDED   4u

struct lpc_value {
    lpc_type type;
    unsigned flags;
    union {
        int b;                                    /* LPC_BOOL: 0 or 1 */
        struct { char *digits; size_t len; } i;   /* LPC_INT: "-"? digits, no leading zero, never "-0";
                                                     NUL-terminated */
        double f;                                 /* LPC_FLOAT */
        struct { char *ptr; size_t len; } s;      /* LPC_STR: WTF-8, NUL-terminated */
        struct { lpc_value **items; size_t n; } a;    /* LPC_ARRAY */
        struct { lpc_member *items; size_t n; } o;    /* LPC_OBJECT, insertion order */
    } u;
};

void lpc_free(lpc_value *v);

/* ---- building ---- (each returns NULL on allocation failure) */
lpc_value *lpc_new_null(void);
lpc_value *lpc_new_bool(int b);
lpc_value *lpc_new_int(int64_t x);
/* text: -?digits; normalised (leading zeros dropped, -0 -> 0); LPC_ERR_* via NULL */
lpc_value *lpc_new_int_text(const char *text, size_t len);
lpc_value *lpc_new_float(double x);
/* Copies s (WTF-8, not validated beyond length). */
lpc_value *lpc_new_str(const char *s, size_t len);
lpc_value *lpc_new_array(void);
lpc_value *lpc_new_object(void);

/* Takes ownership of item (freed on failure too). */
lpc_err lpc_array_append(lpc_value *arr, lpc_value *item);
/* Python dict assignment: an existing key keeps its position and takes the new value.
 * Takes ownership of val (freed on failure too). */
lpc_err lpc_object_set(lpc_value *obj, const char *key, size_t klen, lpc_value *val);

/* Deep copy of v (keys unique in v stay unique).  *out is a new tree the caller
 * releases with lpc_free(); NULL on error (LPC_ERR_NOMEM, LPC_ERR_DEPTH). */
lpc_err lpc_clone(const lpc_value *v, lpc_value **out);

/* ---- access ---- */
/* NULL when obj is not an object or key is absent. */
const lpc_value *lpc_get(const lpc_value *obj, const char *key);
/* NULL when out of range or not an array. */
const lpc_value *lpc_at(const lpc_value *arr, size_t i);
/* 1 when d[0..len) is an integer's text, -?[0-9]+, within int64 (then *out, if non-NULL). */
int lpc_dec_i64(const char *d, size_t len, int64_t *out);
/* 1 and *out set when v is an LPC_INT that fits int64_t; else 0. */
int lpc_int_i64(const lpc_value *v, int64_t *out);
/* Python float(v) for int/float/bool values (exact-rounded for big ints). 0 if not numeric. */
int lpc_number_as_double(const lpc_value *v, double *out);
/* 1 when v is a string equal to the NUL-terminated s. */
int lpc_str_eq(const lpc_value *v, const char *s);
/* 1 when a and b are the same tree: types, booleans, int digit texts, float bits, string
 * and key bytes, items and members in order.  Recursion is bounded by the trees' depth
 * (LPC_JSON_MAX_DEPTH for parsed ones). */
int lpc_identical(const lpc_value *a, const lpc_value *b);

#endif
