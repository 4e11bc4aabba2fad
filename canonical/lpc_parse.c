/* The parser: json.loads on bytes (lpc_parse.h).  Spec: leadpoet-formats.md §1.1. */
#include "canonical/lpc_parse.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_num.h"
#include "canonical/lpc_scan.h"
#include "canonical/lpc_utf8.h"
#include "canonical/lpc_value_internal.h"

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
    unsigned odd = lpc_swar_any_special(ps->p + start, end - start);
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
            size_t k = lpc_utf8_next(ps->p + i, end - i, LPC_UTF8_SURROGATES, NULL);
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
            n += lpc_utf8_put(cp, (uint8_t *)buf + n);  /* a lone surrogate as WTF-8 */
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

static int match_lit(parser *ps, const char *lit)
{
    size_t n = strlen(lit);
    if (ps->len - ps->pos >= n && memcmp(ps->p + ps->pos, lit, n) == 0) {
        ps->pos += n;
        return 1;
    }
    return 0;
}

static lpc_value *parse_number(parser *ps)
{
    size_t s = ps->pos;
    int is_float, ok;
    size_t i = lpc_scan_number(ps->p, ps->len, s, &is_float, &ok);
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
            for (size_t j = 0; j < i && !dup; j++) dup = lpc_key_eq(&m[j], m[i].key, m[i].klen);
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
        lpc_err e = is_obj ? lpc_object_push(c, key, klen, item) : lpc_array_append(c, item);
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
        v = lpc_new_value(LPC_STR);
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
        if (lpc_is_digit(c)) return parse_number(ps);
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
