/* The value model: building, access, copying, release (lpc_value.h). */
#include "canonical/lpc_value.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_num.h"
#include "canonical/lpc_value_internal.h"

lpc_value *lpc_new_value(lpc_type t)
{
    lpc_value *v = calloc(1, sizeof *v);
    if (v) v->type = t;
    return v;
}

lpc_value *lpc_new_null(void) { return lpc_new_value(LPC_NULL); }

lpc_value *lpc_new_bool(int b)
{
    lpc_value *v = lpc_new_value(LPC_BOOL);
    if (v) v->u.b = b ? 1 : 0;
    return v;
}

lpc_value *lpc_new_float(double x)
{
    lpc_value *v = lpc_new_value(LPC_FLOAT);
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
    lpc_value *v = lpc_new_value(LPC_INT);
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
    lpc_value *v = lpc_new_value(LPC_STR);
    if (!v) return NULL;
    v->u.s.ptr = dup_bytes(s, len);
    if (!v->u.s.ptr) { free(v); return NULL; }
    v->u.s.len = len;
    return v;
}

lpc_value *lpc_new_array(void) { return lpc_new_value(LPC_ARRAY); }
lpc_value *lpc_new_object(void) { return lpc_new_value(LPC_OBJECT); }

void lpc_free(lpc_value *v)
{
    if (!v) return;
    if (v->flags & LPC_VALUE_IN_DOC) {  /* a parsed tree's nodes belong to its root */
        if (v->flags & LPC_VALUE_DOC_ROOT) lpc_doc_free((lpc_doc *)v);
        return;
    }
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

/* A built container's capacity is implied by its length: 0, then powers of two from 4. */
static int full(size_t n) { return n == 0 || (n >= 4 && (n & (n - 1)) == 0); }

lpc_err lpc_array_append(lpc_value *arr, lpc_value *item)
{
    if (!arr || arr->type != LPC_ARRAY || (arr->flags & LPC_VALUE_IN_DOC) || !item) {
        lpc_free(item);
        return LPC_ERR_ARG;
    }
    size_t n = arr->u.a.n;
    if (full(n)) {
        size_t cap = n ? n * 2 : 4;
        lpc_value **p = realloc(arr->u.a.items, cap * sizeof *p);
        if (!p) { lpc_free(item); return LPC_ERR_NOMEM; }
        arr->u.a.items = p;
    }
    arr->u.a.items[arr->u.a.n++] = item;
    return LPC_OK;
}

lpc_err lpc_object_push(lpc_value *obj, char *key, size_t klen, lpc_value *val)
{
    size_t n = obj->u.o.n;
    if (full(n)) {
        size_t cap = n ? n * 2 : 4;
        lpc_member *p = realloc(obj->u.o.items, cap * sizeof *p);
        if (!p) { free(key); lpc_free(val); return LPC_ERR_NOMEM; }
        obj->u.o.items = p;
    }
    obj->u.o.items[obj->u.o.n++] = (lpc_member){key, klen, val};
    return LPC_OK;
}

lpc_err lpc_object_set(lpc_value *obj, const char *key, size_t klen, lpc_value *val)
{
    if (!obj || obj->type != LPC_OBJECT || (obj->flags & LPC_VALUE_IN_DOC) || !val || (!key && klen)) {
        lpc_free(val);
        return LPC_ERR_ARG;
    }
    for (size_t i = 0; i < obj->u.o.n; i++) {
        if (lpc_key_eq(&obj->u.o.items[i], key, klen)) {
            lpc_free(obj->u.o.items[i].val);
            obj->u.o.items[i].val = val;
            return LPC_OK;
        }
    }
    char *k = dup_bytes(key ? key : "", klen);
    if (!k) { lpc_free(val); return LPC_ERR_NOMEM; }
    return lpc_object_push(obj, k, klen, val);
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
            if (!e) e = lpc_object_push(c, k, m->klen, val); /* source keys are unique */
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
        if (lpc_key_eq(&obj->u.o.items[i], key, klen)) return obj->u.o.items[i].val;
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

int lpc_identical(const lpc_value *a, const lpc_value *b)
{
    if (!a || !b || a->type != b->type) return a == b;
    switch (a->type) {
    case LPC_NULL: return 1;
    case LPC_BOOL: return a->u.b == b->u.b;
    case LPC_INT: return a->u.i.len == b->u.i.len && (!a->u.i.len || memcmp(a->u.i.digits, b->u.i.digits, a->u.i.len) == 0);
    case LPC_FLOAT: return memcmp(&a->u.f, &b->u.f, sizeof a->u.f) == 0;
    case LPC_STR: return a->u.s.len == b->u.s.len && (!a->u.s.len || memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0);
    case LPC_ARRAY:
        if (a->u.a.n != b->u.a.n) return 0;
        for (size_t i = 0; i < a->u.a.n; i++)
            if (!lpc_identical(a->u.a.items[i], b->u.a.items[i])) return 0;
        return 1;
    case LPC_OBJECT:
        if (a->u.o.n != b->u.o.n) return 0;
        for (size_t i = 0; i < a->u.o.n; i++) {
            const lpc_member *x = &a->u.o.items[i], *y = &b->u.o.items[i];
            if (x->klen != y->klen || (x->klen && memcmp(x->key, y->key, x->klen) != 0) ||
                !lpc_identical(x->val, y->val))
                return 0;
        }
        return 1;
    }
    return 0;
}
