/* CS-A straight from text (lpc_csa.h).  Spec: leadpoet-formats.md §1.2. */
#include "canonical/lpc_csa.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_dump.h"
#include "canonical/lpc_num.h"
#include "canonical/lpc_parse.h"
#include "canonical/lpc_scan.h"
#include "canonical/lpc_value.h"

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
    unsigned flags;
} csa;

static int is_ws(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* 0: copied as is; 1: '"'; 2: '\\'; 3: declined (control, DEL, non-ASCII). */
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

/* LPC_CSA_DECODE: the value string at c->pos in any form, through the parser's own
 * decoding and the serialiser's own writer.  Its end is found as lpc_parse finds it (the
 * first quote after an even run of backslashes); any text the parser refuses declines. */
static lpc_err csa_string_decoded(csa *c)
{
    size_t start = c->pos + 1, end = lpc_scan_string_end(c->p, c->len, start, start);
    if (end == c->len) return LPC_ERR_UNSUPPORTED;
    if (end - start > LPC_CSA_MAX_DECODED) return LPC_ERR_UNSUPPORTED;
    lpc_value *v = NULL;
    lpc_err e = lpc_parse(c->p + c->pos, end + 1 - c->pos, &v, NULL);
    if (e != LPC_OK) return e == LPC_ERR_NOMEM ? e : LPC_ERR_UNSUPPORTED;
    e = v->type == LPC_STR ? lpc_dump_string(v->u.s.ptr, v->u.s.len, 1, c->out) : LPC_ERR_UNSUPPORTED;
    lpc_free(v);
    if (e != LPC_OK) return e == LPC_ERR_NOMEM || e == LPC_ERR_TOO_LARGE ? e : LPC_ERR_UNSUPPORTED;
    c->pos = end + 1;
    return LPC_OK;
}

/* A string not in the plain form: decoded for a value under LPC_CSA_DECODE, else declined. */
static lpc_err csa_not_plain(csa *c, int is_key)
{
    return !is_key && (c->flags & LPC_CSA_DECODE) ? csa_string_decoded(c) : LPC_ERR_UNSUPPORTED;
}

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
            uint64_t del = x ^ (LPC_SWAR_ONES * 0x7f);
            m = lpc_swar_special(x, '"', '\\') | ((del - LPC_SWAR_ONES) & ~del & LPC_SWAR_HIGHS);
            if (m) break;
        }
        while (i < c->len && csa_class(c->p[i]) == 0) i++;
        if (i >= c->len) return LPC_ERR_UNSUPPORTED;
        uint8_t b = c->p[i];
        if (b == '"') break;
        if (b != '\\' || is_key || i + 1 >= c->len) return csa_not_plain(c, is_key);
        uint8_t x = c->p[i + 1];
        if (x == '"' || x == '\\' || x == 'b' || x == 'f' || x == 'n' || x == 'r' || x == 't') {
            i += 2;
            continue;
        }
        if (x != 'u' || i + 5 >= c->len) return csa_not_plain(c, is_key);
        unsigned v = 0;
        for (size_t k = 2; k < 6; k++) {
            int h = csa_hex(c->p[i + k]);
            if (h < 0) return csa_not_plain(c, is_key);
            v = v * 16 + (unsigned)h;
        }
        int has_short = v == 8 || v == 9 || v == 10 || v == 12 || v == 13;
        if (!((v < 0x20 && !has_short) || v >= 0x7f)) return csa_not_plain(c, is_key);
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
    size_t i = lpc_scan_number(c->p, c->len, s, &is_float, &ok);
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
    /* under 64 bytes nothing is allocated: only OK; anything else the tree path decides */
    if (lpc_decimal_to_double((const char *)c->p + s, i - s, &d) != LPC_OK || !isfinite(d))
        return LPC_ERR_UNSUPPORTED;
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

static void csa_reverse(uint8_t *b, size_t n)
{
    for (size_t i = 0, j = n; i + 1 < j; i++, j--) {
        uint8_t t = b[i];
        b[i] = b[j - 1];
        b[j - 1] = t;
    }
}

/* b[0, len) = A B with |B| = tail becomes B A: the shorter part goes through the
 * scratch when it is at most LPC_CSA_MAX_ASIDE bytes, else three reversals in place. */
static lpc_err csa_rotate(lpc_csa_scratch *s, uint8_t *b, size_t len, size_t tail)
{
    size_t head = len - tail;
    if (!head || !tail) return LPC_OK;
    size_t small = tail < head ? tail : head;
    if (small > LPC_CSA_MAX_ASIDE) {
        csa_reverse(b, head);
        csa_reverse(b + head, tail);
        csa_reverse(b, len);
        return LPC_OK;
    }
    s->tmp.len = 0;
    lpc_err e = lpc_buf_reserve(&s->tmp, small);
    if (e) return e;
    if (tail <= head) {
        memcpy(s->tmp.ptr, b + head, tail);
        memmove(b + tail, b, head);
        memcpy(b, s->tmp.ptr, tail);
    } else {
        memcpy(s->tmp.ptr, b, head);
        memmove(b, b + head, tail);
        memcpy(b + tail, s->tmp.ptr, head);
    }
    return LPC_OK;
}

/* The n members m (in text order) sorted by key, by insertion (an object has at most
 * LPC_CSA_MAX_MEMBERS); a repeated key declines (the tree path decides). */
static lpc_err csa_sort_members(const csa *c, struct lpc_csa_member *m, size_t n)
{
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
    return LPC_OK;
}

/* The body [body, out->len) of the members m, each [seg, end) followed by a comma but the
 * last, rewritten in the order of m (sorted) with each member's position updated: through
 * a copy aside when the body is at most LPC_CSA_MAX_ASIDE bytes, else in place, each
 * member in turn rotated to the front of what is left (csa_rotate). */
static lpc_err csa_write_sorted(csa *c, struct lpc_csa_member *m, size_t n, size_t body)
{
    if (c->out->len - body <= LPC_CSA_MAX_ASIDE) {
        lpc_buf *tmp = &c->s->tmp;
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
        return LPC_OK;
    }
    CSA_PUT(c, ",", 1);  /* each member now a unit [seg, end + 1) with its comma */
    size_t at = body;     /* [body, at) holds m[0..k) in order; m[k] lies at or after at */
    for (size_t k = 0; k < n; k++) {
        struct lpc_csa_member *t = &m[k];
        size_t unit = t->end + 1 - t->seg;
        if (t->seg != at) {
            lpc_err e = csa_rotate(c->s, c->out->ptr + at, t->end + 1 - at, unit);
            if (e) return e;
            for (size_t i = k + 1; i < n; i++)  /* the units it moved past shift by its size */
                if (m[i].seg < t->seg) {
                    m[i].seg += unit;
                    m[i].end += unit;
                }
            t->end = at + (t->end - t->seg);
            t->seg = at;
        }
        at += unit;
    }
    c->out->len--;  /* the last unit's comma */
    c->out->ptr[c->out->len] = 0;
    return LPC_OK;
}

/* Members are written in text order, each after a comma; when the keys were not
 * already sorted they are put in key order through the scratch, or where they lie when
 * the body is larger than LPC_CSA_MAX_ASIDE. */
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
        lpc_err e = csa_sort_members(c, m, n);
        if (!e) e = csa_write_sorted(c, m, n, body);
        if (e) return e;
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
    if (b == '-' || lpc_is_digit(b)) return csa_number(c);
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
    return lpc_csa_from_text_ex(text, len, 0, s, key, span, out);
}

lpc_err lpc_csa_from_text_ex(const uint8_t *text, size_t len, unsigned flags, lpc_csa_scratch *s, const char *key,
                             size_t span[2], lpc_buf *out)
{
    if (!s || !out || (!text && len) || (key && !span) || (flags & ~LPC_CSA_DECODE)) return LPC_ERR_ARG;
    /* lpc_parse refuses text over LPC_JSON_MAX_INPUT: decline it, the caller's tree path decides */
    if (len > LPC_JSON_MAX_INPUT) {
        if (span) span[0] = span[1] = 0;
        return LPC_ERR_UNSUPPORTED;
    }
    size_t dummy[2], start = out->len;
    csa c = {text, len, 0, out, s, key, key ? strlen(key) : 0, span ? span : dummy, flags};
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
