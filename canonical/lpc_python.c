/* Python builtins over JSON values (lpc_python.h). */
#include "canonical/lpc_python.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "canonical/lpc_binding.h"
#include "canonical/lpc_num.h"
#include "canonical/lpc_utf8.h"
#include "canonical/lpc_value_internal.h"

int lpc_py_truthy(const lpc_value *v)
{
    if (!v) return 0;
    switch (v->type) {
    case LPC_NULL: return 0;
    case LPC_BOOL: return v->u.b != 0;
    case LPC_INT: return !(v->u.i.len == 1 && v->u.i.digits[0] == '0');
    case LPC_FLOAT: return v->u.f != 0.0 || isnan(v->u.f);
    case LPC_STR: return v->u.s.len != 0;
    case LPC_ARRAY: return v->u.a.n != 0;
    case LPC_OBJECT: return v->u.o.n != 0;
    }
    return 0;
}

const char *lpc_py_type_name(const lpc_value *v)
{
    switch (v ? v->type : LPC_NULL) {
    case LPC_NULL: return "NoneType";
    case LPC_BOOL: return "bool";
    case LPC_INT: return "int";
    case LPC_FLOAT: return "float";
    case LPC_STR: return "str";
    case LPC_ARRAY: return "list";
    default: return "dict";
    }
}

/* The normalised decimal text of an int or bool value. */
static void int_text(const lpc_value *v, const char **p, size_t *n)
{
    if (v->type == LPC_BOOL) {
        *p = v->u.b ? "1" : "0";
        *n = 1;
    } else {
        *p = v->u.i.digits;
        *n = v->u.i.len;
    }
}

/* An int's text == a finite double, exactly: the double must be integral and print
 * as the same digits ("%.0f" is exact for integral doubles and uses no locale). */
static int int_eq_double(const char *d, size_t n, double f)
{
    if (!isfinite(f) || f != floor(f)) return 0;
    char buf[400];  /* DBL_MAX has 309 digits */
    int len = snprintf(buf, sizeof buf, "%.0f", f == 0.0 ? 0.0 : f);
    return len > 0 && (size_t)len == n && memcmp(buf, d, n) == 0;
}

static int is_number(const lpc_value *v)
{
    return v->type == LPC_BOOL || v->type == LPC_INT || v->type == LPC_FLOAT;
}

static int eq_depth(const lpc_value *a, const lpc_value *b, int depth)
{
    if (!a || !b) return a == b;
    if (depth > LPC_JSON_MAX_DEPTH) return 0;
    if (is_number(a) && is_number(b)) {
        if (a->type == LPC_FLOAT && b->type == LPC_FLOAT) return a->u.f == b->u.f;
        const char *d;
        size_t n;
        if (a->type == LPC_FLOAT || b->type == LPC_FLOAT) {
            const lpc_value *iv = a->type == LPC_FLOAT ? b : a;
            double f = a->type == LPC_FLOAT ? a->u.f : b->u.f;
            int_text(iv, &d, &n);
            return int_eq_double(d, n, f);
        }
        const char *d2;
        size_t n2;
        int_text(a, &d, &n);
        int_text(b, &d2, &n2);
        return n == n2 && memcmp(d, d2, n) == 0;
    }
    if (a->type != b->type) return 0;
    switch (a->type) {
    case LPC_NULL: return 1;
    case LPC_STR: return a->u.s.len == b->u.s.len && memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
    case LPC_ARRAY:
        if (a->u.a.n != b->u.a.n) return 0;
        for (size_t i = 0; i < a->u.a.n; i++)
            if (!eq_depth(a->u.a.items[i], b->u.a.items[i], depth + 1)) return 0;
        return 1;
    case LPC_OBJECT:
        if (a->u.o.n != b->u.o.n) return 0;
        for (size_t i = 0; i < a->u.o.n; i++) {
            const lpc_member *m = &a->u.o.items[i];
            const lpc_value *other = NULL;
            /* keys are unique in each object: same count and every key found = same set */
            if (i < b->u.o.n && lpc_key_eq(&b->u.o.items[i], m->key, m->klen))
                other = b->u.o.items[i].val;
            else
                for (size_t j = 0; j < b->u.o.n && !other; j++)
                    if (lpc_key_eq(&b->u.o.items[j], m->key, m->klen)) other = b->u.o.items[j].val;
            if (!other || !eq_depth(m->val, other, depth + 1)) return 0;
        }
        return 1;
    default: return 0;
    }
}

int lpc_py_eq(const lpc_value *a, const lpc_value *b) { return eq_depth(a, b, 0); }

lpc_py_status lpc_py_int(const lpc_value *v, int64_t *out)
{
    if (!v || !out) return LPC_PY_TYPE_ERROR;
    switch (v->type) {
    case LPC_BOOL: *out = v->u.b ? 1 : 0; return LPC_PY_OK;
    case LPC_INT: return lpc_int_i64(v, out) ? LPC_PY_OK : LPC_PY_UNSUPPORTED;
    case LPC_FLOAT: {
        double f = v->u.f;
        if (isnan(f)) return LPC_PY_VALUE_ERROR;
        if (isinf(f)) return LPC_PY_OVERFLOW_ERROR;
        double t = trunc(f);
        if (!(t >= -9223372036854775808.0 && t < 9223372036854775808.0)) return LPC_PY_UNSUPPORTED;
        *out = (int64_t)t;
        return LPC_PY_OK;
    }
    case LPC_STR:
        switch (lpc_py_int_parse(v->u.s.ptr, v->u.s.len, out)) {
        case LPC_OK: return LPC_PY_OK;
        case LPC_ERR_RANGE: return LPC_PY_UNSUPPORTED;
        default: return LPC_PY_VALUE_ERROR;  /* syntax, 4300-digit cap, undecodable text */
        }
    default: return LPC_PY_TYPE_ERROR;
    }
}

lpc_py_status lpc_py_float(const lpc_value *v, double *out)
{
    if (!v || !out) return LPC_PY_TYPE_ERROR;
    switch (v->type) {
    case LPC_BOOL:
    case LPC_FLOAT: lpc_number_as_double(v, out); return LPC_PY_OK;
    case LPC_INT: return lpc_number_as_double(v, out) ? LPC_PY_OK : LPC_PY_UNSUPPORTED;  /* beyond DBL_MAX: OverflowError */
    case LPC_STR: {
        if (lpc_py_float_from_str(v->u.s.ptr, v->u.s.len, out) == LPC_OK) return LPC_PY_OK;
        for (size_t i = 0; i < v->u.s.len; i++)
            if ((unsigned char)v->u.s.ptr[i] >= 0x80) return LPC_PY_UNSUPPORTED;
        return LPC_PY_VALUE_ERROR;
    }
    default: return LPC_PY_TYPE_ERROR;
    }
}

lpc_err lpc_py_str(const lpc_value *v, char buf[LPC_PY_STR_SCALAR_MAX], const char **p, size_t *n)
{
    if (!v || !buf || !p || !n) return LPC_ERR_ARG;
    switch (v->type) {
    case LPC_STR: *p = v->u.s.ptr; *n = v->u.s.len; return LPC_OK;
    case LPC_INT: *p = v->u.i.digits; *n = v->u.i.len; return LPC_OK;
    case LPC_NULL: *p = "None"; *n = 4; return LPC_OK;
    case LPC_BOOL: *p = v->u.b ? "True" : "False"; *n = v->u.b ? 4 : 5; return LPC_OK;
    case LPC_FLOAT: *n = lpc_float_repr(v->u.f, buf); *p = buf; return LPC_OK;
    default: return LPC_ERR_UNSUPPORTED;
    }
}

int lpc_py_isspace(uint32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

void lpc_py_strip(const char *s, size_t len, size_t *off, size_t *n)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t a = 0, b = len;
    while (a < b) {
        uint32_t c;
        size_t k = lpc_utf8_next(p + a, b - a, LPC_UTF8_SURROGATES, &c);
        if (!k || !lpc_py_isspace(c)) break;
        a += k;
    }
    while (b > a) {
        /* step back to the start of the last sequence (at most 4 bytes) */
        size_t st = b - 1, k = 0;
        while (st > a && b - st < 4 && (p[st] & 0xC0) == 0x80) st--;
        uint32_t c;
        k = lpc_utf8_next(p + st, b - st, LPC_UTF8_SURROGATES, &c);
        if (k != b - st || !lpc_py_isspace(c)) break;
        b = st;
    }
    *off = a;
    *n = b - a;
}

/* ---- where two values differ ---------------------------------------------------- */

static void path_add(char *path, size_t cap, size_t *len, const char *fmt, const char *s, size_t n, size_t idx)
{
    if (*len + 1 >= cap) return;
    if (s) snprintf(path + *len, cap - *len, "%s%.*s", *len ? "." : "", (int)(n > 64 ? 64 : n), s);
    else snprintf(path + *len, cap - *len, fmt, idx);
    *len = strnlen(path, cap);
}

static const lpc_value *member(const lpc_value *o, const char *k, size_t kl)
{
    for (size_t j = 0; j < o->u.o.n; j++)
        if (lpc_key_eq(&o->u.o.items[j], k, kl)) return o->u.o.items[j].val;
    return NULL;
}

int lpc_py_first_difference(const lpc_value *a, const lpc_value *b, char *path, size_t cap)
{
    size_t len = 0;
    if (path && cap) path[0] = '\0';
    if (lpc_py_eq(a, b)) return 0;
    for (int depth = 0; a && b && depth <= LPC_JSON_MAX_DEPTH; depth++) {
        const lpc_value *na = NULL, *nb = NULL;
        if (a->type == LPC_ARRAY && b->type == LPC_ARRAY && a->u.a.n == b->u.a.n) {
            for (size_t i = 0; i < a->u.a.n && !na; i++)
                if (!lpc_py_eq(a->u.a.items[i], b->u.a.items[i])) {
                    na = a->u.a.items[i];
                    nb = b->u.a.items[i];
                    if (path && cap) path_add(path, cap, &len, "[%zu]", NULL, 0, i);
                }
        } else if (a->type == LPC_OBJECT && b->type == LPC_OBJECT) {
            for (size_t i = 0; i < a->u.o.n && !na; i++) {
                const lpc_member *m = &a->u.o.items[i];
                const lpc_value *o = member(b, m->key, m->klen);
                if (!o || !lpc_py_eq(m->val, o)) {
                    if (path && cap) path_add(path, cap, &len, NULL, m->key, m->klen, 0);
                    if (!o) return 1;
                    na = m->val;
                    nb = o;
                }
            }
            for (size_t i = 0; i < b->u.o.n && !na; i++)
                if (!member(a, b->u.o.items[i].key, b->u.o.items[i].klen)) {
                    if (path && cap) path_add(path, cap, &len, NULL, b->u.o.items[i].key, b->u.o.items[i].klen, 0);
                    return 1;
                }
        }
        if (!na) return 1;
        a = na;
        b = nb;
    }
    return 1;
}
