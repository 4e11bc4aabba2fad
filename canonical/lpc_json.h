/* Python-json value model, parser and serializer profiles.
 * Spec: leadpoet-formats.md §1 (1.1 parsing model, 1.2 profiles).
 *
 * Strings are held as WTF-8: UTF-8 that may also carry lone surrogates
 * (U+D800..U+DFFF encoded as three bytes).  WTF-8 byte order equals code-point
 * order, which is how Python sorts keys.
 *
 * Memory: every lpc_value is owned by its parent; the caller owns the root and
 * releases the whole tree with lpc_free().  lpc_buf contents are owned by the
 * caller and released with lpc_buf_free(). */
#ifndef LPC_JSON_H
#define LPC_JSON_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lpc_err.h"

#define LPC_JSON_MAX_INPUT   ((size_t)64 << 20)  /* bytes of JSON text accepted */
#define LPC_JSON_MAX_OUTPUT  ((size_t)256 << 20) /* bytes a serialisation may produce */
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

struct lpc_value {
    lpc_type type;
    union {
        int b;                                    /* LPC_BOOL: 0 or 1 */
        struct { char *digits; size_t len; } i;   /* LPC_INT: "-"? digits, no leading zero, never "-0" */
        double f;                                 /* LPC_FLOAT */
        struct { char *ptr; size_t len; } s;      /* LPC_STR: WTF-8, NUL-terminated */
        struct { lpc_value **items; size_t n, cap; } a;   /* LPC_ARRAY */
        struct { lpc_member *items; size_t n, cap; void *index; } o; /* LPC_OBJECT, insertion order */
    } u;
};

/* ---- parsing (Python json.loads on bytes) ---- */

/* Parses exactly one JSON value from buf (surrounding whitespace allowed; a UTF-8
 * BOM is skipped; encoded surrogates pass as in json.loads(bytes)).  On error *out
 * is NULL and, when err_off is non-NULL, *err_off is the byte offset of the fault. */
lpc_err lpc_parse(const uint8_t *buf, size_t len, lpc_value **out, size_t *err_off);

/* As lpc_parse with a caller-chosen input cap (at most LPC_JSON_MAX_INPUT_HARD),
 * for callers whose documents are larger by design (a whole epoch's rows). */
#define LPC_JSON_MAX_INPUT_HARD ((size_t)1 << 30)
lpc_err lpc_parse_limit(const uint8_t *buf, size_t len, size_t max_input, lpc_value **out,
                        size_t *err_off);

/* As lpc_parse_limit, refusing (LPC_ERR_TOO_LARGE) once the value tree would take more
 * than max_tree bytes by an upper estimate of its allocations (node, malloc header,
 * container slot, string/digit/key bytes).  The tree costs up to ~45 bytes per input
 * byte (`[0,0,...]`), so an input cap alone bounds memory only loosely. */
lpc_err lpc_parse_budget(const uint8_t *buf, size_t len, size_t max_input, size_t max_tree,
                         lpc_value **out, size_t *err_off);

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

/* ---- serialising (Python json.dumps) ---- */
typedef enum {
    LPC_PROFILE_CS_A,        /* compact-sorted-ascii:   separators=(",",":"), sort_keys */
    LPC_PROFILE_DS_A,        /* default-sorted-ascii:   sort_keys */
    LPC_PROFILE_DU_A,        /* default-unsorted-ascii: defaults */
    LPC_PROFILE_CS_U,        /* compact-sorted-utf8:    compact, sort_keys, ensure_ascii=False */
    LPC_PROFILE_CS_U_NONAN,  /* as CS_U with allow_nan=False */
    LPC_PROFILE_INDENT2      /* indent2-sorted-ascii:   indent=2, sort_keys */
} lpc_profile;

/* Accepts the CLI names (compact-sorted-ascii ...) and the vector names
 * (compact_sorted_ascii ...). */
lpc_err lpc_profile_from_name(const char *name, lpc_profile *out);
const char *lpc_profile_name(lpc_profile p);

typedef struct { uint8_t *ptr; size_t len, cap; } lpc_buf;
lpc_err lpc_buf_append(lpc_buf *b, const void *data, size_t n);
/* Room for n more bytes (and the NUL) at ptr + len; len unchanged.  Same limit as append. */
lpc_err lpc_buf_reserve(lpc_buf *b, size_t n);
void lpc_buf_free(lpc_buf *b);

#define LPC_DUMP_SURROGATEPASS 1u  /* UTF-8 profiles: emit lone surrogates as WTF-8
                                      (Python .encode("utf-8","surrogatepass")) */

/* Appends the serialisation of v to out.  UTF-8 profiles fail with
 * LPC_ERR_SURROGATE on a lone surrogate (Python's .encode("utf-8") raises);
 * CS_U_NONAN fails with LPC_ERR_NAN on NaN/inf.  On error out->len is unchanged. */
lpc_err lpc_dump(const lpc_value *v, lpc_profile p, lpc_buf *out);
lpc_err lpc_dump_ex(const lpc_value *v, lpc_profile p, unsigned flags, lpc_buf *out);

/* Appends the JSON string literal for WTF-8 s, as json.dumps writes a str
 * (ensure_ascii selects the escaping rule of §1.2). */
lpc_err lpc_dump_string(const char *s, size_t len, int ensure_ascii, lpc_buf *out);

/* ---- CS-A straight from text, without a value tree ---- */
#define LPC_CSA_MAX_DEPTH   64   /* deeper nesting is declined (the tree path decides) */
#define LPC_CSA_MAX_MEMBERS 256  /* objects with more members are declined */

/* Scratch reused across lpc_csa_from_text calls (one per thread); zero-initialise,
 * release with lpc_csa_scratch_free.  Fields are private. */
typedef struct {
    struct lpc_csa_member *m;
    size_t mn, mcap;
    lpc_buf tmp;
} lpc_csa_scratch;
void lpc_csa_scratch_free(lpc_csa_scratch *s);

/* Appends CS-A(json.loads(text)) to out when text is in the plain form most records
 * take: strings of printable ASCII whose escapes are exactly those json.dumps with
 * ensure_ascii writes (so the string's bytes are already its CS-A form), object keys
 * without escapes and unique, at most LPC_CSA_MAX_MEMBERS members, nesting at most
 * LPC_CSA_MAX_DEPTH, finite numbers, no NaN/Infinity, len <= LPC_JSON_MAX_INPUT.
 * Anything else (including any text lpc_parse rejects) returns LPC_ERR_UNSUPPORTED, or
 * LPC_ERR_NOMEM/TOO_LARGE, with out unchanged: the caller then decides with lpc_parse +
 * lpc_dump.  When it returns LPC_OK the bytes equal lpc_dump(lpc_parse(text), LPC_PROFILE_CS_A), and every
 * string of the value occurs in text exactly as CS-A writes it.
 * key (NULL for none): span receives [start, end) in out of the value of that member of
 * the top-level object, or {0, 0} when absent. */
lpc_err lpc_csa_from_text(const uint8_t *text, size_t len, lpc_csa_scratch *s, const char *key, size_t span[2],
                          lpc_buf *out);

#endif
