/* Python-json value model, parser (json.loads on bytes) and serializer
 * (json.dumps profiles).  Spec: leadpoet-formats.md §1. */
#include "canonical/lpc_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_num.h"

/* ------------------------------------------------------------------ buffers */

lpc_err lpc_buf_append(lpc_buf *b, const void *data, size_t n)
{
    if (n == 0) return LPC_OK;
    if (n > LPC_JSON_MAX_OUTPUT || b->len > LPC_JSON_MAX_OUTPUT - n) return LPC_ERR_TOO_LARGE;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n) cap *= 2;
        uint8_t *p = realloc(b->ptr, cap + 1);
        if (!p) return LPC_ERR_NOMEM;
        b->ptr = p;
        b->cap = cap;
    }
    memcpy(b->ptr + b->len, data, n);
    b->len += n;
    b->ptr[b->len] = 0; /* always NUL-terminated for callers printing text */
    return LPC_OK;
}

lpc_err lpc_buf_reserve(lpc_buf *b, size_t n)
{
    if (n > LPC_JSON_MAX_OUTPUT || b->len > LPC_JSON_MAX_OUTPUT - n) return LPC_ERR_TOO_LARGE;
    if (b->len + n > b->cap || !b->ptr) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n) cap *= 2;
        uint8_t *p = realloc(b->ptr, cap + 1);
        if (!p) return LPC_ERR_NOMEM;
        b->ptr = p;
        b->cap = cap;
        b->ptr[b->len] = 0;
    }
    return LPC_OK;
}

void lpc_buf_free(lpc_buf *b)
{
    if (!b) return;
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}

/* ------------------------------------------------------------------ values */

static lpc_value *new_value(lpc_type t)
{
    lpc_value *v = calloc(1, sizeof *v);
    if (v) v->type = t;
    return v;
}

lpc_value *lpc_new_null(void) { return new_value(LPC_NULL); }

lpc_value *lpc_new_bool(int b)
{
    lpc_value *v = new_value(LPC_BOOL);
    if (v) v->u.b = b ? 1 : 0;
    return v;
}

lpc_value *lpc_new_float(double x)
{
    lpc_value *v = new_value(LPC_FLOAT);
    if (v) v->u.f = x;
    return v;
}

static char *dup_bytes(const char *s, size_t len)
{
    char *p = malloc(len + 1);
    if (!p) return NULL;
    if (len) memcpy(p, s, len);
    p[len] = 0;
    return p;
}

lpc_value *lpc_new_int_text(const char *text, size_t len)
{
    size_t i = 0;
    int neg = 0;
    if (len && text[0] == '-') { neg = 1; i = 1; }
    if (i == len) return NULL;
    for (size_t j = i; j < len; j++)
        if (text[j] < '0' || text[j] > '9') return NULL;
    while (i + 1 < len && text[i] == '0') i++;
    if (len - i > LPC_INT_MAX_DIGITS) return NULL;
    if (len - i == 1 && text[i] == '0') neg = 0; /* -0 is 0 */
    lpc_value *v = new_value(LPC_INT);
    if (!v) return NULL;
    size_t n = len - i + (size_t)neg;
    char *d = malloc(n + 1);
    if (!d) { free(v); return NULL; }
    if (neg) d[0] = '-';
    memcpy(d + neg, text + i, len - i);
    d[n] = 0;
    v->u.i.digits = d;
    v->u.i.len = n;
    return v;
}

lpc_value *lpc_new_int(int64_t x)
{
    char buf[LPC_I64_DEC_MAX];
    return lpc_new_int_text(buf, lpc_i64_to_dec(x, buf));
}

lpc_value *lpc_new_str(const char *s, size_t len)
{
    lpc_value *v = new_value(LPC_STR);
    if (!v) return NULL;
    v->u.s.ptr = dup_bytes(s, len);
    if (!v->u.s.ptr) { free(v); return NULL; }
    v->u.s.len = len;
    return v;
}

lpc_value *lpc_new_array(void) { return new_value(LPC_ARRAY); }
lpc_value *lpc_new_object(void) { return new_value(LPC_OBJECT); }

void lpc_free(lpc_value *v)
{
    if (!v) return;
    switch (v->type) {
    case LPC_INT: free(v->u.i.digits); break;
    case LPC_STR: free(v->u.s.ptr); break;
    case LPC_ARRAY:
        for (size_t i = 0; i < v->u.a.n; i++) lpc_free(v->u.a.items[i]);
        free(v->u.a.items);
        break;
    case LPC_OBJECT:
        for (size_t i = 0; i < v->u.o.n; i++) {
            free(v->u.o.items[i].key);
            lpc_free(v->u.o.items[i].val);
        }
        free(v->u.o.items);
        break;
    default: break;
    }
    free(v);
}

lpc_err lpc_array_append(lpc_value *arr, lpc_value *item)
{
    if (!arr || arr->type != LPC_ARRAY || !item) { lpc_free(item); return LPC_ERR_ARG; }
    if (arr->u.a.n == arr->u.a.cap) {
        size_t cap = arr->u.a.cap ? arr->u.a.cap * 2 : 4;
        lpc_value **p = realloc(arr->u.a.items, cap * sizeof *p);
        if (!p) { lpc_free(item); return LPC_ERR_NOMEM; }
        arr->u.a.items = p;
        arr->u.a.cap = cap;
    }
    arr->u.a.items[arr->u.a.n++] = item;
    return LPC_OK;
}

static int key_eq(const lpc_member *m, const char *key, size_t klen)
{
    return m->klen == klen && memcmp(m->key, key, klen) == 0;
}

/* Appends without checking for duplicates; takes ownership of key and val. */
static lpc_err object_push(lpc_value *obj, char *key, size_t klen, lpc_value *val)
{
    if (obj->u.o.n == obj->u.o.cap) {
        size_t cap = obj->u.o.cap ? obj->u.o.cap * 2 : 4;
        lpc_member *p = realloc(obj->u.o.items, cap * sizeof *p);
        if (!p) { free(key); lpc_free(val); return LPC_ERR_NOMEM; }
        obj->u.o.items = p;
        obj->u.o.cap = cap;
    }
    obj->u.o.items[obj->u.o.n++] = (lpc_member){key, klen, val};
    return LPC_OK;
}

lpc_err lpc_object_set(lpc_value *obj, const char *key, size_t klen, lpc_value *val)
{
    if (!obj || obj->type != LPC_OBJECT || !val || (!key && klen)) { lpc_free(val); return LPC_ERR_ARG; }
    for (size_t i = 0; i < obj->u.o.n; i++) {
        if (key_eq(&obj->u.o.items[i], key, klen)) {
            lpc_free(obj->u.o.items[i].val);
            obj->u.o.items[i].val = val;
            return LPC_OK;
        }
    }
    char *k = dup_bytes(key ? key : "", klen);
    if (!k) { lpc_free(val); return LPC_ERR_NOMEM; }
    return object_push(obj, k, klen, val);
}

static lpc_err clone_at(const lpc_value *v, int depth, lpc_value **out)
{
    *out = NULL;
    if (depth > LPC_JSON_MAX_DEPTH) return LPC_ERR_DEPTH;
    lpc_value *c = NULL;
    switch (v->type) {
    case LPC_NULL: c = lpc_new_null(); break;
    case LPC_BOOL: c = lpc_new_bool(v->u.b); break;
    case LPC_INT: c = lpc_new_int_text(v->u.i.digits, v->u.i.len); break;
    case LPC_FLOAT: c = lpc_new_float(v->u.f); break;
    case LPC_STR: c = lpc_new_str(v->u.s.ptr, v->u.s.len); break;
    case LPC_ARRAY:
        c = lpc_new_array();
        for (size_t i = 0; c && i < v->u.a.n; i++) {
            lpc_value *item;
            lpc_err e = clone_at(v->u.a.items[i], depth + 1, &item);
            if (!e) e = lpc_array_append(c, item);
            if (e) { lpc_free(c); return e; }
        }
        break;
    case LPC_OBJECT:
        c = lpc_new_object();
        for (size_t i = 0; c && i < v->u.o.n; i++) {
            const lpc_member *m = &v->u.o.items[i];
            lpc_value *val;
            lpc_err e = clone_at(m->val, depth + 1, &val);
            char *k = e ? NULL : dup_bytes(m->key, m->klen);
            if (!e && !k) { lpc_free(val); e = LPC_ERR_NOMEM; }
            if (!e) e = object_push(c, k, m->klen, val); /* source keys are unique */
            if (e) { lpc_free(c); return e; }
        }
        break;
    }
    if (!c) return LPC_ERR_NOMEM;
    *out = c;
    return LPC_OK;
}

lpc_err lpc_clone(const lpc_value *v, lpc_value **out)
{
    if (!out) return LPC_ERR_ARG;
    *out = NULL;
    if (!v) return LPC_ERR_ARG;
    return clone_at(v, 0, out);
}

const lpc_value *lpc_get(const lpc_value *obj, const char *key)
{
    if (!obj || obj->type != LPC_OBJECT || !key) return NULL;
    size_t klen = strlen(key);
    for (size_t i = 0; i < obj->u.o.n; i++)
        if (key_eq(&obj->u.o.items[i], key, klen)) return obj->u.o.items[i].val;
    return NULL;
}

const lpc_value *lpc_at(const lpc_value *arr, size_t i)
{
    if (!arr || arr->type != LPC_ARRAY || i >= arr->u.a.n) return NULL;
    return arr->u.a.items[i];
}

int lpc_dec_i64(const char *d, size_t len, int64_t *out)
{
    if (!d || len == 0) return 0;
    int neg = d[0] == '-';
    if ((size_t)neg == len) return 0;
    uint64_t acc = 0;
    const uint64_t lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (size_t i = (size_t)neg; i < len; i++) {
        if (d[i] < '0' || d[i] > '9') return 0;
        uint64_t dig = (uint64_t)(d[i] - '0');
        if (acc > (lim - dig) / 10) return 0;
        acc = acc * 10 + dig;
    }
    if (out) *out = neg ? (int64_t)(0 - acc) : (int64_t)acc;
    return 1;
}

int lpc_int_i64(const lpc_value *v, int64_t *out)
{
    if (!v || v->type != LPC_INT) return 0;
    return lpc_dec_i64(v->u.i.digits, v->u.i.len, out);
}

int lpc_number_as_double(const lpc_value *v, double *out)
{
    if (!v) return 0;
    switch (v->type) {
    case LPC_FLOAT: *out = v->u.f; return 1;
    case LPC_BOOL: *out = v->u.b ? 1.0 : 0.0; return 1;
    case LPC_INT: {
        /* Up to 15 digits the value is below 2^53: exact in binary64. */
        size_t neg = v->u.i.digits[0] == '-';
        if (v->u.i.len - neg <= 15) {
            uint64_t acc = 0;
            for (size_t i = neg; i < v->u.i.len; i++) acc = acc * 10 + (uint64_t)(v->u.i.digits[i] - '0');
            *out = neg ? -(double)acc : (double)acc;
            return 1;
        }
        /* correctly rounded, as is Python's int.__float__; Python raises OverflowError
         * where this gives inf.  (An allocation failure for a long int reads as "not
         * numeric": the caller refuses the value.) */
        double d;
        if (lpc_decimal_to_double(v->u.i.digits, v->u.i.len, &d) != LPC_OK || isinf(d)) return 0;
        *out = d;
        return 1;
    }
    default: return 0;
    }
}

int lpc_str_eq(const lpc_value *v, const char *s)
{
    if (!v || v->type != LPC_STR || !s) return 0;
    size_t n = strlen(s);
    return v->u.s.len == n && memcmp(v->u.s.ptr, s, n) == 0;
}

/* ------------------------------------------------------------------ parser */

typedef struct {
    const uint8_t *p;
    size_t len, pos;
    int depth;
    lpc_err err;
    size_t tree, max_tree;   /* estimated bytes of the tree so far, and the budget */
} parser;

static int fail(parser *ps, lpc_err e)
{
    if (ps->err == LPC_OK) ps->err = e;
    return 0;
}

/* Upper estimates of what one parsed value costs: the node and its malloc header,
 * its slot in the parent (pointer or member, with growth slack), and the bytes of
 * its string, digits or key with their own header. */
#define TREE_NODE_COST  (sizeof(lpc_value) + 16 + 2 * sizeof(lpc_member))
#define TREE_BYTES_COST(n) ((n) + 1 + 16)

/* Charges n bytes to the budget; 0 (LPC_ERR_TOO_LARGE) once it is exceeded. */
static int charge(parser *ps, size_t n)
{
    if (n > ps->max_tree - ps->tree) return fail(ps, LPC_ERR_TOO_LARGE);
    ps->tree += n;
    return 1;
}

static void skip_ws(parser *ps)
{
    while (ps->pos < ps->len) {
        uint8_t c = ps->p[ps->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        ps->pos++;
    }
}

/* Decodes one UTF-8 sequence at ps->pos (Python's strict decoder with
 * surrogatepass).  Returns its length, or 0 when invalid. */
static size_t utf8_seq(const uint8_t *p, size_t avail)
{
    uint8_t c = p[0];
    if (c < 0x80) return 1;
    if (c < 0xC2) return 0;
    if (c < 0xE0) return avail >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        if (avail < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && p[1] < 0xA0) return 0; /* overlong */
        return 3;                               /* ED A0..BF = surrogate: passes */
    }
    if (c < 0xF5) {
        if (avail < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && p[1] < 0x90) return 0; /* overlong */
        if (c == 0xF4 && p[1] > 0x8F) return 0; /* > U+10FFFF */
        return 4;
    }
    return 0;
}

static size_t put_cp(char *out, uint32_t cp)
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 63));
        return 2;
    }
    if (cp < 0x10000) { /* includes lone surrogates: WTF-8 */
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | ((cp >> 6) & 63));
        out[2] = (char)(0x80 | (cp & 63));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | ((cp >> 12) & 63));
    out[2] = (char)(0x80 | ((cp >> 6) & 63));
    out[3] = (char)(0x80 | (cp & 63));
    return 4;
}

static int hex4(const uint8_t *p, uint32_t *out)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        uint8_t c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (uint32_t)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

/* ps->pos is just after the opening quote.  The decoded string is never longer
 * than its source, so one allocation of the source length suffices. */
#define SWAR_ONES  0x0101010101010101ULL
#define SWAR_HIGHS 0x8080808080808080ULL

/* Per 8 bytes, a byte's high bit is set in the result where the byte is below 0x20, at or
 * above 0x80, or equal to q1 or q2 (the lowest flagged byte is always a true one; higher
 * ones may be false: borrows only run upwards from a true one). */
static uint64_t swar_special(uint64_t x, uint8_t q1, uint8_t q2)
{
    uint64_t a = x ^ (SWAR_ONES * q1), b = x ^ (SWAR_ONES * q2);
    return (x | ((x - SWAR_ONES * 0x20) & ~x) | ((a - SWAR_ONES) & ~a) | ((b - SWAR_ONES) & ~b)) & SWAR_HIGHS;
}

/* 1 when p[0..n) holds a byte below 0x20, at or above 0x80, or a backslash. */
static unsigned swar_any_special(const uint8_t *p, size_t n)
{
    uint64_t acc = 0;
    size_t k = 0;
    for (; k + 8 <= n; k += 8) {
        uint64_t x;
        memcpy(&x, p + k, 8);
        acc |= swar_special(x, '\\', '\\');
    }
    unsigned odd = acc != 0;
    for (; k < n; k++) odd |= (unsigned)(p[k] < 0x20) | (unsigned)(p[k] >= 0x80) | (unsigned)(p[k] == '\\');
    return odd;
}

static int parse_string(parser *ps, char **out, size_t *outlen)
{
    size_t start = ps->pos, end = start;
    /* Find the closing quote to size the buffer: the first quote after an even run of
     * backslashes (an odd run escapes it). */
    for (;;) {
        const uint8_t *q = end < ps->len ? memchr(ps->p + end, '"', ps->len - end) : NULL;
        if (!q) { ps->pos = ps->len; return fail(ps, LPC_ERR_SYNTAX); }
        end = (size_t)(q - ps->p);
        size_t bs = 0;
        while (end - bs > start && ps->p[end - 1 - bs] == '\\') bs++;
        if (bs % 2 == 0) break;
        end++;
    }
    char *buf = malloc(end - start + 1);
    if (!buf) return fail(ps, LPC_ERR_NOMEM);
    /* Fast path: printable ASCII without escapes is the string itself. */
    unsigned odd = swar_any_special(ps->p + start, end - start);
    if (!odd) {
        memcpy(buf, ps->p + start, end - start);
        buf[end - start] = 0;
        ps->pos = end + 1;
        *out = buf;
        *outlen = end - start;
        return 1;
    }
    size_t n = 0, i = start;
    while (i < end) {
        /* Fast path: a run of printable ASCII (no escape) is copied in one go. */
        size_t run = i;
        while (run < end && ps->p[run] >= 0x20 && ps->p[run] < 0x80 && ps->p[run] != '\\') run++;
        if (run > i) {
            memcpy(buf + n, ps->p + i, run - i);
            n += run - i;
            i = run;
            continue;
        }
        uint8_t c = ps->p[i];
        if (c < 0x20) { ps->pos = i; goto bad; } /* strict: raw control characters */
        if (c != '\\') {
            size_t k = utf8_seq(ps->p + i, end - i);
            if (!k) { ps->pos = i; free(buf); return fail(ps, LPC_ERR_UTF8); }
            memcpy(buf + n, ps->p + i, k);
            n += k;
            i += k;
            continue;
        }
        if (i + 1 >= end) { ps->pos = i; goto bad; }
        uint8_t e = ps->p[i + 1];
        i += 2;
        switch (e) {
        case '"': buf[n++] = '"'; break;
        case '\\': buf[n++] = '\\'; break;
        case '/': buf[n++] = '/'; break;
        case 'b': buf[n++] = '\b'; break;
        case 'f': buf[n++] = '\f'; break;
        case 'n': buf[n++] = '\n'; break;
        case 'r': buf[n++] = '\r'; break;
        case 't': buf[n++] = '\t'; break;
        case 'u': {
            uint32_t cp, lo;
            if (i + 4 > end || !hex4(ps->p + i, &cp)) { ps->pos = i; goto bad; }
            i += 4;
            /* A high surrogate directly followed by \u-escaped low surrogate joins
             * into one code point; anything else stays a lone surrogate. */
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= end && ps->p[i] == '\\' &&
                ps->p[i + 1] == 'u') {
                if (!hex4(ps->p + i + 2, &lo)) { ps->pos = i + 2; goto bad; }
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
            }
            n += put_cp(buf + n, cp);
            break;
        }
        default: ps->pos = i - 1; goto bad;
        }
    }
    buf[n] = 0;
    ps->pos = end + 1;
    *out = buf;
    *outlen = n;
    return 1;
bad:
    free(buf);
    return fail(ps, LPC_ERR_SYNTAX);
}

static int is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

static int match_lit(parser *ps, const char *lit)
{
    size_t n = strlen(lit);
    if (ps->len - ps->pos >= n && memcmp(ps->p + ps->pos, lit, n) == 0) {
        ps->pos += n;
        return 1;
    }
    return 0;
}

/* The number token at p[s..]: CPython's NUMBER_RE, -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?,
 * the fraction and exponent taken only when complete, as its scanner does.  Returns the
 * end, or s's position after an optional '-' with *ok = 0 when no digit follows. */
static size_t scan_number(const uint8_t *p, size_t len, size_t s, int *is_float, int *ok)
{
    size_t i = s;
    *is_float = 0;
    if (i < len && p[i] == '-') i++;
    *ok = i < len && is_digit(p[i]);
    if (!*ok) return i;
    if (p[i] == '0') i++;
    else while (i < len && is_digit(p[i])) i++;
    if (i + 1 < len && p[i] == '.' && is_digit(p[i + 1])) {
        *is_float = 1;
        i += 2;
        while (i < len && is_digit(p[i])) i++;
    }
    if (i < len && (p[i] == 'e' || p[i] == 'E')) {
        size_t j = i + 1;
        if (j < len && (p[j] == '+' || p[j] == '-')) j++;
        if (j < len && is_digit(p[j])) {
            *is_float = 1;
            i = j;
            while (i < len && is_digit(p[i])) i++;
        }
    }
    return i;
}

static lpc_value *parse_number(parser *ps)
{
    size_t s = ps->pos;
    int is_float, ok;
    size_t i = scan_number(ps->p, ps->len, s, &is_float, &ok);
    if (!ok) { ps->pos = i; fail(ps, LPC_ERR_SYNTAX); return NULL; }
    ps->pos = i;
    if (!is_float) {
        size_t digits = i - s - (ps->p[s] == '-');
        if (digits > LPC_INT_MAX_DIGITS) { ps->pos = s; fail(ps, LPC_ERR_INT_DIGITS); return NULL; }
        lpc_value *v = lpc_new_int_text((const char *)ps->p + s, i - s);
        if (!v) fail(ps, LPC_ERR_NOMEM);
        return v;
    }
    double d;  /* correctly rounded; overflow gives +-inf like float() */
    lpc_err e = lpc_decimal_to_double((const char *)ps->p + s, i - s, &d);
    if (e != LPC_OK) { ps->pos = s; fail(ps, e); return NULL; }
    lpc_value *v = lpc_new_float(d);
    if (!v) fail(ps, LPC_ERR_NOMEM);
    return v;
}

static lpc_value *parse_value(parser *ps);

typedef struct {
    const char *key;
    size_t klen, pos;
} key_ref;

static int cmp_key_ref(const void *a, const void *b)
{
    const key_ref *x = a, *y = b;
    int c = memcmp(x->key, y->key, x->klen < y->klen ? x->klen : y->klen);
    if (c) return c;
    if (x->klen != y->klen) return x->klen < y->klen ? -1 : 1;
    return x->pos < y->pos ? -1 : (x->pos > y->pos);
}

/* Python dict semantics for duplicate keys: the first position keeps the last
 * value.  Sorting indices keeps this O(n log n) on hostile inputs. */
static int dedupe_object(lpc_value *obj)
{
    size_t n = obj->u.o.n;
    if (n < 2) return 1;
    lpc_member *m = obj->u.o.items;
    if (n <= 16) {  /* small objects: no allocation when no key repeats (the usual case) */
        int dup = 0;
        for (size_t i = 1; i < n && !dup; i++)
            for (size_t j = 0; j < i && !dup; j++) dup = key_eq(&m[j], m[i].key, m[i].klen);
        if (!dup) return 1;
    }
    key_ref *idx = malloc(n * sizeof *idx);
    unsigned char *drop = calloc(n, 1);
    if (!idx || !drop) { free(idx); free(drop); return 0; }
    for (size_t i = 0; i < n; i++) idx[i] = (key_ref){m[i].key, m[i].klen, i};
    qsort(idx, n, sizeof *idx, cmp_key_ref);
    int any = 0;
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && idx[b].klen == idx[a].klen && memcmp(idx[b].key, idx[a].key, idx[a].klen) == 0)
            b++;
        if (b - a > 1) {
            size_t first = idx[a].pos, last = idx[b - 1].pos;
            lpc_free(m[first].val);
            m[first].val = m[last].val;
            m[last].val = NULL;
            for (size_t k = a + 1; k < b; k++) drop[idx[k].pos] = 1;
            any = 1;
        }
        a = b;
    }
    if (any) {
        size_t w = 0;
        for (size_t i = 0; i < n; i++) {
            if (drop[i]) {
                free(m[i].key);
                lpc_free(m[i].val);
            } else {
                m[w++] = m[i];
            }
        }
        obj->u.o.n = w;
    }
    free(idx);
    free(drop);
    return 1;
}

static lpc_value *parse_container(parser *ps, int is_obj)
{
    if (++ps->depth > LPC_JSON_MAX_DEPTH) { fail(ps, LPC_ERR_DEPTH); return NULL; }
    if (!charge(ps, TREE_NODE_COST)) return NULL;
    lpc_value *c = is_obj ? lpc_new_object() : lpc_new_array();
    if (!c) { fail(ps, LPC_ERR_NOMEM); return NULL; }
    ps->pos++; /* '{' or '[' */
    skip_ws(ps);
    uint8_t close = is_obj ? '}' : ']';
    if (ps->pos < ps->len && ps->p[ps->pos] == close) {
        ps->pos++;
        ps->depth--;
        return c;
    }
    for (;;) {
        skip_ws(ps);
        char *key = NULL;
        size_t klen = 0;
        if (is_obj) {
            if (ps->pos >= ps->len || ps->p[ps->pos] != '"') { fail(ps, LPC_ERR_SYNTAX); goto err; }
            ps->pos++;
            if (!parse_string(ps, &key, &klen)) goto err;
            if (!charge(ps, TREE_BYTES_COST(klen))) { free(key); goto err; }
            skip_ws(ps);
            if (ps->pos >= ps->len || ps->p[ps->pos] != ':') { free(key); fail(ps, LPC_ERR_SYNTAX); goto err; }
            ps->pos++;
            skip_ws(ps);
        }
        lpc_value *item = parse_value(ps);
        if (!item) { free(key); goto err; }
        lpc_err e = is_obj ? object_push(c, key, klen, item) : lpc_array_append(c, item);
        if (e != LPC_OK) { fail(ps, e); goto err; }
        skip_ws(ps);
        if (ps->pos >= ps->len) { fail(ps, LPC_ERR_SYNTAX); goto err; }
        uint8_t ch = ps->p[ps->pos];
        if (ch == ',') { ps->pos++; continue; }
        if (ch == close) { ps->pos++; break; }
        fail(ps, LPC_ERR_SYNTAX);
        goto err;
    }
    if (is_obj && !dedupe_object(c)) { fail(ps, LPC_ERR_NOMEM); goto err; }
    ps->depth--;
    return c;
err:
    lpc_free(c);
    return NULL;
}

static lpc_value *parse_scalar_or_container(parser *ps);

static lpc_value *parse_value(parser *ps)
{
    lpc_value *v = parse_scalar_or_container(ps);
    if (!v || v->type == LPC_ARRAY || v->type == LPC_OBJECT) return v;  /* containers charged themselves */
    size_t cost = TREE_NODE_COST;
    if (v->type == LPC_STR) cost += TREE_BYTES_COST(v->u.s.len);
    else if (v->type == LPC_INT) cost += TREE_BYTES_COST(v->u.i.len);
    if (!charge(ps, cost)) { lpc_free(v); return NULL; }
    return v;
}

static lpc_value *parse_scalar_or_container(parser *ps)
{
    if (ps->pos >= ps->len) { fail(ps, LPC_ERR_SYNTAX); return NULL; }
    uint8_t c = ps->p[ps->pos];
    lpc_value *v = NULL;
    switch (c) {
    case '{': return parse_container(ps, 1);
    case '[': return parse_container(ps, 0);
    case '"': {
        char *s;
        size_t n;
        ps->pos++;
        if (!parse_string(ps, &s, &n)) return NULL;
        v = new_value(LPC_STR);
        if (!v) { free(s); fail(ps, LPC_ERR_NOMEM); return NULL; }
        v->u.s.ptr = s;
        v->u.s.len = n;
        return v;
    }
    case 'n': if (match_lit(ps, "null")) v = lpc_new_null(); else return fail(ps, LPC_ERR_SYNTAX), NULL; break;
    case 't': if (match_lit(ps, "true")) v = lpc_new_bool(1); else return fail(ps, LPC_ERR_SYNTAX), NULL; break;
    case 'f': if (match_lit(ps, "false")) v = lpc_new_bool(0); else return fail(ps, LPC_ERR_SYNTAX), NULL; break;
    case 'N': if (match_lit(ps, "NaN")) v = lpc_new_float(NAN); else return fail(ps, LPC_ERR_SYNTAX), NULL; break;
    case 'I': if (match_lit(ps, "Infinity")) v = lpc_new_float(INFINITY); else return fail(ps, LPC_ERR_SYNTAX), NULL; break;
    case '-':
        if (match_lit(ps, "-Infinity")) { v = lpc_new_float(-INFINITY); break; }
        return parse_number(ps);
    default:
        if (is_digit(c)) return parse_number(ps);
        fail(ps, LPC_ERR_SYNTAX);
        return NULL;
    }
    if (!v) fail(ps, LPC_ERR_NOMEM);
    return v;
}

lpc_err lpc_parse(const uint8_t *buf, size_t len, lpc_value **out, size_t *err_off)
{
    return lpc_parse_limit(buf, len, LPC_JSON_MAX_INPUT, out, err_off);
}

lpc_err lpc_parse_limit(const uint8_t *buf, size_t len, size_t max_input, lpc_value **out,
                        size_t *err_off)
{
    return lpc_parse_budget(buf, len, max_input, SIZE_MAX, out, err_off);
}

lpc_err lpc_parse_budget(const uint8_t *buf, size_t len, size_t max_input, size_t max_tree,
                         lpc_value **out, size_t *err_off)
{
    if (!out || (!buf && len) || max_input > LPC_JSON_MAX_INPUT_HARD) return LPC_ERR_ARG;
    *out = NULL;
    if (len > max_input) {
        if (err_off) *err_off = 0;
        return LPC_ERR_TOO_LARGE;
    }
    parser ps = {buf, len, 0, 0, LPC_OK, 0, max_tree};
    /* json.loads(bytes): a UTF-8 BOM selects utf-8-sig; UTF-16/32 (detected by
     * BOM or NUL bytes) are not accepted here. */
    if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) ps.pos = 3;
    else if ((len >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) || (buf[0] == 0xFE && buf[1] == 0xFF))) ||
             (len >= 2 && (buf[0] == 0 || buf[1] == 0))) {
        if (err_off) *err_off = 0;
        return LPC_ERR_UTF8;
    }
    skip_ws(&ps);
    lpc_value *v = parse_value(&ps);
    if (v) {
        skip_ws(&ps);
        if (ps.pos != ps.len) { /* "Extra data" */
            lpc_free(v);
            v = NULL;
            /* Bytes after the value that are not valid UTF-8 are a decode error in Python. */
            fail(&ps, LPC_ERR_SYNTAX);
        }
    }
    if (!v) {
        if (err_off) *err_off = ps.pos;
        return ps.err != LPC_OK ? ps.err : LPC_ERR_SYNTAX;
    }
    *out = v;
    return LPC_OK;
}

/* ------------------------------------------------------------------ serializer */

/* lpc_buf_append for the serializer's many small writes: the same result, without the
 * call when the buffer has room and the output stays under LPC_JSON_MAX_OUTPUT. */
static inline lpc_err buf_put(lpc_buf *b, const void *data, size_t n)
{
    if (n && b->ptr && n <= b->cap - b->len && b->len + n <= LPC_JSON_MAX_OUTPUT) {
        memcpy(b->ptr + b->len, data, n);
        b->len += n;
        b->ptr[b->len] = 0;
        return LPC_OK;
    }
    return lpc_buf_append(b, data, n);
}

typedef struct {
    const char *item_sep, *key_sep;
    int sort, ascii, allow_nan, indent;
} profile_def;

static const profile_def profiles[] = {
    [LPC_PROFILE_CS_A] = {",", ":", 1, 1, 1, 0},
    [LPC_PROFILE_DS_A] = {", ", ": ", 1, 1, 1, 0},
    [LPC_PROFILE_DU_A] = {", ", ": ", 0, 1, 1, 0},
    [LPC_PROFILE_CS_U] = {",", ":", 1, 0, 1, 0},
    [LPC_PROFILE_CS_U_NONAN] = {",", ":", 1, 0, 0, 0},
    [LPC_PROFILE_INDENT2] = {",", ": ", 1, 1, 1, 2},
};

static const struct { const char *cli, *vec; } profile_names[] = {
    [LPC_PROFILE_CS_A] = {"compact-sorted-ascii", "compact_sorted_ascii"},
    [LPC_PROFILE_DS_A] = {"default-sorted-ascii", "default_sorted_ascii"},
    [LPC_PROFILE_DU_A] = {"default-unsorted-ascii", "default_unsorted_ascii"},
    [LPC_PROFILE_CS_U] = {"compact-sorted-utf8", "compact_sorted_utf8"},
    [LPC_PROFILE_CS_U_NONAN] = {"compact-sorted-utf8-nonan", "compact_sorted_utf8_nonan"},
    [LPC_PROFILE_INDENT2] = {"indent2-sorted-ascii", "indent2_sorted_ascii"},
};

lpc_err lpc_profile_from_name(const char *name, lpc_profile *out)
{
    if (!name || !out) return LPC_ERR_ARG;
    for (size_t i = 0; i < sizeof profile_names / sizeof profile_names[0]; i++) {
        if (!strcmp(name, profile_names[i].cli) || !strcmp(name, profile_names[i].vec)) {
            *out = (lpc_profile)i;
            return LPC_OK;
        }
    }
    return LPC_ERR_ARG;
}

const char *lpc_profile_name(lpc_profile p)
{
    if ((unsigned)p >= sizeof profile_names / sizeof profile_names[0]) return "unknown";
    return profile_names[p].cli;
}

typedef struct {
    const profile_def *pd;
    unsigned flags;
    lpc_buf *out;
} writer;

#define PUT(w, s, n) do { lpc_err e_ = buf_put((w)->out, (s), (n)); if (e_) return e_; } while (0)
#define PUTS(w, s) PUT(w, s, strlen(s))

/* Decodes one WTF-8 code point (input validated at parse time or by the
 * builder's caller); returns its length, 0 on malformed bytes. */
static size_t wtf8_decode(const uint8_t *p, size_t avail, uint32_t *cp)
{
    size_t k = utf8_seq(p, avail);
    switch (k) {
    case 1: *cp = p[0]; break;
    case 2: *cp = (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F); break;
    case 3: *cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F); break;
    case 4:
        *cp = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
              (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
        break;
    default: return 0;
    }
    return k;
}

static lpc_err put_u_escape(lpc_buf *out, uint32_t u)
{
    static const char hx[] = "0123456789abcdef";
    char e[6] = {'\\', 'u', hx[(u >> 12) & 15], hx[(u >> 8) & 15], hx[(u >> 4) & 15], hx[u & 15]};
    return buf_put(out, e, 6);
}

static lpc_err write_string(lpc_buf *out, const char *s, size_t len, int ascii, unsigned flags)
{
    lpc_err e;
    if ((e = buf_put(out, "\"", 1))) return e;
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;
    while (i < len) {
        /* Copy the longest run needing no escape in one append. */
        size_t run = i;
        while (run < len && p[run] >= 0x20 && p[run] != '"' && p[run] != '\\' &&
               (ascii ? p[run] < 0x7F : p[run] < 0x80))
            run++;
        if (run > i) {
            if ((e = buf_put(out, p + i, run - i))) return e;
            i = run;
            if (i >= len) break;
        }
        uint8_t c = p[i];
        const char *esc = NULL;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default: break;
        }
        if (esc) {
            if ((e = buf_put(out, esc, 2))) return e;
            i++;
            continue;
        }
        if (c < 0x20 || c == 0x7F) {
            if ((e = put_u_escape(out, c))) return e;
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = wtf8_decode(p + i, len - i, &cp);
        if (!k) return LPC_ERR_UTF8;
        int surrogate = cp >= 0xD800 && cp <= 0xDFFF;
        if (ascii) {
            if (cp >= 0x10000) {
                uint32_t v = cp - 0x10000;
                if ((e = put_u_escape(out, 0xD800 | (v >> 10)))) return e;
                if ((e = put_u_escape(out, 0xDC00 | (v & 0x3FF)))) return e;
            } else if ((e = put_u_escape(out, cp))) {
                return e;
            }
        } else {
            if (surrogate && !(flags & LPC_DUMP_SURROGATEPASS)) return LPC_ERR_SURROGATE;
            if ((e = buf_put(out, p + i, k))) return e;
        }
        i += k;
    }
    return buf_put(out, "\"", 1);
}

lpc_err lpc_dump_string(const char *s, size_t len, int ensure_ascii, lpc_buf *out)
{
    if (!out || (!s && len)) return LPC_ERR_ARG;
    size_t start = out->len;
    lpc_err e = write_string(out, s, len, ensure_ascii, 0);
    if (e) out->len = start;
    return e;
}

static lpc_err write_newline(writer *w, int level)
{
    PUT(w, "\n", 1);
    for (int i = 0; i < level * w->pd->indent; i++) PUT(w, " ", 1);
    return LPC_OK;
}

static int cmp_members(const void *a, const void *b)
{
    const lpc_member *x = *(const lpc_member *const *)a, *y = *(const lpc_member *const *)b;
    int c = memcmp(x->key, y->key, x->klen < y->klen ? x->klen : y->klen);
    if (c) return c;
    return x->klen < y->klen ? -1 : x->klen > y->klen;
}

static lpc_err write_value(writer *w, const lpc_value *v, int level)
{
    lpc_err e;
    if (level > LPC_JSON_MAX_DEPTH) return LPC_ERR_DEPTH;
    switch (v->type) {
    case LPC_NULL: PUTS(w, "null"); return LPC_OK;
    case LPC_BOOL: PUTS(w, v->u.b ? "true" : "false"); return LPC_OK;
    case LPC_INT:
        if (v->u.i.len - (v->u.i.digits[0] == '-') > LPC_INT_MAX_DIGITS) return LPC_ERR_INT_DIGITS;
        PUT(w, v->u.i.digits, v->u.i.len);
        return LPC_OK;
    case LPC_FLOAT: {
        double x = v->u.f;
        if (!isfinite(x)) {
            if (!w->pd->allow_nan) return LPC_ERR_NAN;
            PUTS(w, isnan(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity");
            return LPC_OK;
        }
        char buf[LPC_REPR_MAX];
        size_t n = lpc_float_repr(x, buf);
        PUT(w, buf, n);
        return LPC_OK;
    }
    case LPC_STR: return write_string(w->out, v->u.s.ptr, v->u.s.len, w->pd->ascii, w->flags);
    case LPC_ARRAY: {
        if (v->u.a.n == 0) { PUTS(w, "[]"); return LPC_OK; }
        PUT(w, "[", 1);
        for (size_t i = 0; i < v->u.a.n; i++) {
            if (i) PUTS(w, w->pd->item_sep);
            if (w->pd->indent && (e = write_newline(w, level + 1))) return e;
            if ((e = write_value(w, v->u.a.items[i], level + 1))) return e;
        }
        if (w->pd->indent && (e = write_newline(w, level))) return e;
        PUT(w, "]", 1);
        return LPC_OK;
    }
    case LPC_OBJECT: {
        size_t n = v->u.o.n;
        if (n == 0) { PUTS(w, "{}"); return LPC_OK; }
        /* small objects are ordered on the stack by insertion sort; keys are unique
         * (parse dedupes, lpc_object_set replaces), so every sort gives one order */
        const lpc_member *stack[32], **order = n <= 32 ? stack : malloc(n * sizeof *order);
        if (!order) return LPC_ERR_NOMEM;
        for (size_t i = 0; i < n; i++) order[i] = &v->u.o.items[i];
        if (w->pd->sort && n > 32) {
            qsort(order, n, sizeof *order, cmp_members);
        } else if (w->pd->sort) {
            for (size_t i = 1; i < n; i++) {
                const lpc_member *m = order[i];
                size_t j = i;
                for (; j > 0 && cmp_members(&order[j - 1], &m) > 0; j--) order[j] = order[j - 1];
                order[j] = m;
            }
        }
        e = buf_put(w->out, "{", 1);
        for (size_t i = 0; i < n && !e; i++) {
            if (i) e = buf_put(w->out, w->pd->item_sep, strlen(w->pd->item_sep));
            if (!e && w->pd->indent) e = write_newline(w, level + 1);
            if (!e) e = write_string(w->out, order[i]->key, order[i]->klen, w->pd->ascii, w->flags);
            if (!e) e = buf_put(w->out, w->pd->key_sep, strlen(w->pd->key_sep));
            if (!e) e = write_value(w, order[i]->val, level + 1);
        }
        if (order != stack) free(order);
        if (e) return e;
        if (w->pd->indent && (e = write_newline(w, level))) return e;
        PUT(w, "}", 1);
        return LPC_OK;
    }
    }
    return LPC_ERR_TYPE;
}

lpc_err lpc_dump_ex(const lpc_value *v, lpc_profile p, unsigned flags, lpc_buf *out)
{
    if (!v || !out || (unsigned)p >= sizeof profiles / sizeof profiles[0]) return LPC_ERR_ARG;
    writer w = {&profiles[p], flags, out};
    size_t start = out->len;
    lpc_err e = write_value(&w, v, 0);
    if (e) {
        out->len = start;
        if (out->ptr) out->ptr[start] = 0;
    }
    return e;
}

lpc_err lpc_dump(const lpc_value *v, lpc_profile p, lpc_buf *out)
{
    return lpc_dump_ex(v, p, 0, out);
}

/* ------------------------------------------------- CS-A straight from text */

/* A member of an object being written: [seg, end) in out is "key":value (no comma);
 * the key's bytes start at seg + 1 and are klen long (no escapes). */
struct lpc_csa_member { size_t seg, end, klen; };

typedef struct {
    const uint8_t *p;
    size_t len, pos;
    lpc_buf *out;
    lpc_csa_scratch *s;
    const char *key;
    size_t klen, *span;
} csa;

/* 0: copied as is; 1: '"'; 2: '\\'; 3: declined (control, DEL, non-ASCII). */
static int is_ws(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static uint8_t csa_class(uint8_t c)
{
    return c == '"' ? 1 : c == '\\' ? 2 : (c < 0x20 || c >= 0x7f) ? 3 : 0;
}

static int csa_hex(uint8_t c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;  /* lowercase only */
}

static void csa_ws(csa *c)
{
    while (c->pos < c->len && is_ws(c->p[c->pos])) c->pos++;
}

/* Whitespace, then b: 1 with b consumed, else 0. */
static int csa_take(csa *c, uint8_t b)
{
    csa_ws(c);
    if (c->pos >= c->len || c->p[c->pos] != b) return 0;
    c->pos++;
    return 1;
}

#define CSA_PUT(c, d, n) do { lpc_err e_ = lpc_buf_append((c)->out, (d), (n)); if (e_) return e_; } while (0)

/* A string whose bytes are already what ensure_ascii writes (§1.2): printable ASCII
 * except '"' and '\\', and only the escapes \" \\ \b \f \n \r \t, or \u with four
 * lowercase hex digits for a code unit below 0x20 that has no short form or at or
 * above 0x7f (surrogates included: a pair is re-escaped as the same pair, a lone one
 * as itself).  Keys may not contain escapes. */
static lpc_err csa_string(csa *c, int is_key)
{
    size_t i = c->pos + 1;
    for (;;) {
        /* 8 bytes at a time up to the first '"', '\\', control, DEL or non-ASCII byte */
        for (; i + 8 <= c->len; i += 8) {
            uint64_t x, m;
            memcpy(&x, c->p + i, 8);
            uint64_t del = x ^ (SWAR_ONES * 0x7f);
            m = swar_special(x, '"', '\\') | ((del - SWAR_ONES) & ~del & SWAR_HIGHS);
            if (m) break;
        }
        while (i < c->len && csa_class(c->p[i]) == 0) i++;
        if (i >= c->len) return LPC_ERR_UNSUPPORTED;
        uint8_t b = c->p[i];
        if (b == '"') break;
        if (b != '\\' || is_key || i + 1 >= c->len) return LPC_ERR_UNSUPPORTED;
        uint8_t x = c->p[i + 1];
        if (x == '"' || x == '\\' || x == 'b' || x == 'f' || x == 'n' || x == 'r' || x == 't') {
            i += 2;
            continue;
        }
        if (x != 'u' || i + 5 >= c->len) return LPC_ERR_UNSUPPORTED;
        unsigned v = 0;
        for (size_t k = 2; k < 6; k++) {
            int h = csa_hex(c->p[i + k]);
            if (h < 0) return LPC_ERR_UNSUPPORTED;
            v = v * 16 + (unsigned)h;
        }
        int has_short = v == 8 || v == 9 || v == 10 || v == 12 || v == 13;
        if (!((v < 0x20 && !has_short) || v >= 0x7f)) return LPC_ERR_UNSUPPORTED;
        i += 6;
    }
    CSA_PUT(c, c->p + c->pos, i + 1 - c->pos);
    c->pos = i + 1;
    return LPC_OK;
}

/* Python's number grammar (the parser's): the canonical text of an int is its own
 * (without leading zeros by the grammar, "-0" as "0"); a float is repr(float(text)). */
static lpc_err csa_number(csa *c)
{
    size_t s = c->pos;
    int is_float, ok;
    size_t i = scan_number(c->p, c->len, s, &is_float, &ok);
    if (!ok) return LPC_ERR_UNSUPPORTED;
    c->pos = i;
    if (!is_float) {
        size_t digits = i - s - (c->p[s] == '-');
        if (digits > LPC_INT_MAX_DIGITS) return LPC_ERR_UNSUPPORTED;
        if (i - s == 2 && c->p[s] == '-' && c->p[s + 1] == '0') CSA_PUT(c, "0", 1);
        else CSA_PUT(c, c->p + s, i - s);
        return LPC_OK;
    }
    double d;
    if (i - s >= 64) return LPC_ERR_UNSUPPORTED;
    lpc_err e = lpc_decimal_to_double((const char *)c->p + s, i - s, &d);
    if (e != LPC_OK) return e;
    if (!isfinite(d)) return LPC_ERR_UNSUPPORTED;
    char buf[LPC_REPR_MAX];
    size_t n = lpc_float_repr(d, buf);
    CSA_PUT(c, buf, n);
    return LPC_OK;
}

static int csa_key_cmp(const uint8_t *base, const struct lpc_csa_member *x, const struct lpc_csa_member *y)
{
    int r = memcmp(base + x->seg + 1, base + y->seg + 1, x->klen < y->klen ? x->klen : y->klen);
    if (r) return r;
    return x->klen < y->klen ? -1 : x->klen > y->klen;
}

static lpc_err csa_value(csa *c, int depth);

/* Members are written in text order, each after a comma; when the keys were not
 * already sorted the object's body is copied aside and written back in key order. */
static lpc_err csa_object(csa *c, int depth)
{
    lpc_csa_scratch *s = c->s;
    size_t base = s->mn, body = c->out->len + 1;
    CSA_PUT(c, "{", 1);
    c->pos++;
    if (csa_take(c, '}')) {
        CSA_PUT(c, "}", 1);
        return LPC_OK;
    }
    int sorted = 1;
    for (;;) {
        if (c->pos >= c->len || c->p[c->pos] != '"') return LPC_ERR_UNSUPPORTED;
        if (s->mn - base >= LPC_CSA_MAX_MEMBERS) return LPC_ERR_UNSUPPORTED;
        if (s->mn == s->mcap) {
            size_t cap = s->mcap ? s->mcap * 2 : 64;
            struct lpc_csa_member *m = realloc(s->m, cap * sizeof *m);
            if (!m) return LPC_ERR_NOMEM;
            s->m = m;
            s->mcap = cap;
        }
        if (s->mn > base) CSA_PUT(c, ",", 1);
        size_t seg = c->out->len;
        lpc_err e = csa_string(c, 1);
        if (e) return e;
        size_t klen = c->out->len - seg - 2;
        if (!csa_take(c, ':')) return LPC_ERR_UNSUPPORTED;
        CSA_PUT(c, ":", 1);
        csa_ws(c);
        size_t idx = s->mn++;
        s->m[idx] = (struct lpc_csa_member){seg, 0, klen};
        if ((e = csa_value(c, depth + 1))) return e;
        s->m[idx].end = c->out->len;
        if (idx > base) {
            int r = csa_key_cmp(c->out->ptr, &s->m[idx - 1], &s->m[idx]);
            if (r == 0) return LPC_ERR_UNSUPPORTED;  /* repeated key: the tree path decides */
            if (r > 0) sorted = 0;
        }
        if (csa_take(c, ',')) {
            csa_ws(c);
            continue;
        }
        if (csa_take(c, '}')) break;
        return LPC_ERR_UNSUPPORTED;
    }
    size_t n = s->mn - base;
    struct lpc_csa_member *m = s->m + base;
    if (!sorted) {
        /* insertion sort by key bytes (ASCII: code point order); repeated keys decline */
        for (size_t i = 1; i < n; i++) {
            struct lpc_csa_member t = m[i];
            size_t j = i;
            for (; j > 0; j--) {
                int r = csa_key_cmp(c->out->ptr, &m[j - 1], &t);
                if (r == 0) return LPC_ERR_UNSUPPORTED;
                if (r < 0) break;
                m[j] = m[j - 1];
            }
            m[j] = t;
        }
        lpc_buf *tmp = &s->tmp;
        tmp->len = 0;
        lpc_err e = lpc_buf_append(tmp, c->out->ptr + body, c->out->len - body);
        if (e) return e;
        c->out->len = body;
        for (size_t i = 0; i < n; i++) {
            if (i) CSA_PUT(c, ",", 1);
            size_t at = c->out->len;
            CSA_PUT(c, tmp->ptr + (m[i].seg - body), m[i].end - m[i].seg);
            m[i].end = c->out->len;
            m[i].seg = at;
        }
    }
    if (depth == 0 && c->key) {
        for (size_t i = 0; i < n; i++)
            if (m[i].klen == c->klen && memcmp(c->out->ptr + m[i].seg + 1, c->key, c->klen) == 0) {
                c->span[0] = m[i].seg + m[i].klen + 3;  /* after "key": */
                c->span[1] = m[i].end;
            }
    }
    s->mn = base;
    CSA_PUT(c, "}", 1);
    return LPC_OK;
}

static lpc_err csa_array(csa *c, int depth)
{
    CSA_PUT(c, "[", 1);
    c->pos++;
    if (csa_take(c, ']')) {
        CSA_PUT(c, "]", 1);
        return LPC_OK;
    }
    for (int first = 1;; first = 0) {
        if (!first) CSA_PUT(c, ",", 1);
        lpc_err e = csa_value(c, depth + 1);
        if (e) return e;
        if (csa_take(c, ',')) {
            csa_ws(c);
            continue;
        }
        if (csa_take(c, ']')) {
            CSA_PUT(c, "]", 1);
            return LPC_OK;
        }
        return LPC_ERR_UNSUPPORTED;
    }
}

static int csa_literal(csa *c, const char *w, size_t n)
{
    if (c->len - c->pos < n || memcmp(c->p + c->pos, w, n) != 0) return 0;
    c->pos += n;
    return 1;
}

static lpc_err csa_value(csa *c, int depth)
{
    if (c->pos >= c->len) return LPC_ERR_UNSUPPORTED;
    uint8_t b = c->p[c->pos];
    if (b == '"') return csa_string(c, 0);
    if (b == '{' || b == '[') {
        if (depth >= LPC_CSA_MAX_DEPTH) return LPC_ERR_UNSUPPORTED;
        return b == '{' ? csa_object(c, depth) : csa_array(c, depth);
    }
    if (b == '-' || is_digit(b)) return csa_number(c);
    if (csa_literal(c, "true", 4)) { CSA_PUT(c, "true", 4); return LPC_OK; }
    if (csa_literal(c, "false", 5)) { CSA_PUT(c, "false", 5); return LPC_OK; }
    if (csa_literal(c, "null", 4)) { CSA_PUT(c, "null", 4); return LPC_OK; }
    return LPC_ERR_UNSUPPORTED;  /* NaN, Infinity and anything else */
}

void lpc_csa_scratch_free(lpc_csa_scratch *s)
{
    if (!s) return;
    free(s->m);
    lpc_buf_free(&s->tmp);
    s->m = NULL;
    s->mn = s->mcap = 0;
}

lpc_err lpc_csa_from_text(const uint8_t *text, size_t len, lpc_csa_scratch *s, const char *key, size_t span[2],
                          lpc_buf *out)
{
    if (!s || !out || (!text && len) || (key && !span)) return LPC_ERR_ARG;
    /* lpc_parse refuses text over LPC_JSON_MAX_INPUT: decline it, the caller's tree path decides */
    if (len > LPC_JSON_MAX_INPUT) {
        if (span) span[0] = span[1] = 0;
        return LPC_ERR_UNSUPPORTED;
    }
    size_t dummy[2], start = out->len;
    csa c = {text, len, 0, out, s, key, key ? strlen(key) : 0, span ? span : dummy};
    c.span[0] = c.span[1] = 0;
    s->mn = 0;
    csa_ws(&c);
    lpc_err e = csa_value(&c, 0);
    if (e == LPC_OK) {
        csa_ws(&c);
        if (c.pos != len) e = LPC_ERR_UNSUPPORTED;
    }
    if (e != LPC_OK) {
        out->len = start;
        if (out->ptr) out->ptr[start] = 0;
        c.span[0] = c.span[1] = 0;
        s->mn = 0;
    }
    return e;
}
