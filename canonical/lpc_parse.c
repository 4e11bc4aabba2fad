/* The parser: json.loads on bytes (lpc_parse.h).  Spec: leadpoet-formats.md §1.1. */
#include "canonical/lpc_parse.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_num.h"
#include "canonical/lpc_scan.h"
#include "canonical/lpc_utf8.h"
#include "canonical/lpc_value_internal.h"

/* The tree is built in the document's arena; the children of the open containers wait
 * on two stacks (items of arrays, members of objects) and move to an exact-size array
 * of the arena when their container closes. */
typedef struct {
    const uint8_t *p;
    uint8_t *w;       /* lpc_parse_take: p itself, where strings are decoded in place */
    size_t len, pos;
    int depth;
    lpc_err err;
    lpc_doc *doc;     /* where nodes go: home, or scratch for a dropped value */
    lpc_doc *home;    /* the document returned; charged for the stacks */
    lpc_doc *scratch; /* lpc_parse_each: dropped values, reset after each */
    const lpc_each *each;
    lpc_value **vs;   /* array items of the open arrays */
    size_t vn, vcap;
    lpc_member *ms;   /* members of the open objects */
    size_t mn, mcap;
} parser;

static int fail(parser *ps, lpc_err e)
{
    if (ps->err == LPC_OK) ps->err = e;
    return 0;
}

/* An arena allocation failed: the budget, or the system. */
static int fail_alloc(parser *ps)
{
    return fail(ps, ps->doc->over || ps->home->over ? LPC_ERR_TOO_LARGE : LPC_ERR_NOMEM);
}

/* Grows a stack of elements of size sz to hold one more; the growth is charged. */
static int stack_room(parser *ps, void **st, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap) return 1;
    size_t nc = *cap ? *cap * 2 : 64;
    if (nc > SIZE_MAX / sz || !lpc_doc_charge(ps->home, (nc - *cap) * sz)) return fail_alloc(ps);
    void *q = realloc(*st, nc * sz);
    if (!q) { lpc_doc_uncharge(ps->home, (nc - *cap) * sz); return fail(ps, LPC_ERR_NOMEM); }
    *st = q;
    *cap = nc;
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
 * than its source, so one allocation of the source length suffices; in place (ps->w)
 * it is written over its source, never ahead of the byte being read, and ends with a
 * NUL at most where its closing quote was. */
static int parse_string(parser *ps, char **out, size_t *outlen)
{
    size_t start = ps->pos;
    /* Fast path, one pass: printable ASCII up to the closing quote is the string itself. */
    size_t first = lpc_scan_plain(ps->p, start, ps->len, '"');
    if (first < ps->len && ps->p[first] == '"') {
        char *buf;
        if (ps->w) {
            buf = (char *)ps->w + start;
        } else {
            buf = lpc_doc_bytes(ps->doc, first - start + 1);
            if (!buf) return fail_alloc(ps);
            memcpy(buf, ps->p + start, first - start);
        }
        buf[first - start] = 0;
        ps->pos = first + 1;
        *out = buf;
        *outlen = first - start;
        return 1;
    }
    /* Otherwise ps->p[first] is a backslash, a control or a non-ASCII byte (or the input
     * ended).  Find the closing quote to size the buffer: the first quote after an even
     * run of backslashes (an odd run escapes it); none lies before first. */
    size_t end = lpc_scan_string_end(ps->p, ps->len, start, first);
    if (end == ps->len) { ps->pos = ps->len; return fail(ps, LPC_ERR_SYNTAX); }
    char *buf;
    if (ps->w) {
        buf = (char *)ps->w + start;  /* the plain prefix is in place already */
    } else {
        buf = lpc_doc_bytes(ps->doc, end - start + 1);
        if (!buf) return fail_alloc(ps);
        memcpy(buf, ps->p + start, first - start);  /* the plain prefix the fast path saw */
    }
    size_t n = first - start, i = first;
    while (i < end) {
        /* a run of printable ASCII (no escape) is copied in one go (in place the
         * destination may overlap the source, never lying after it) */
        size_t run = lpc_scan_plain(ps->p, i, end, '\\');
        if (run > i) {
            memmove(buf + n, ps->p + i, run - i);
            n += run - i;
            i = run;
            continue;
        }
        uint8_t c = ps->p[i];
        if (c < 0x20) { ps->pos = i; goto bad; } /* strict: raw control characters */
        if (c != '\\') {
            size_t k = lpc_utf8_next(ps->p + i, end - i, LPC_UTF8_SURROGATES, NULL);
            if (!k) { ps->pos = i; return fail(ps, LPC_ERR_UTF8); }
            memmove(buf + n, ps->p + i, k);
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
    if (!ps->w) lpc_doc_bytes_trim(ps->doc, buf, n + 1);
    ps->pos = end + 1;
    *out = buf;
    *outlen = n;
    return 1;
bad:
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

/* Digit texts of 0..9, shared by every document (no allocation for the commonest ints). */
static const char small_ints[10][2] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

/* Leaves that are the same in every document, shared read-only by all of them: a container
 * slot holding null, true, false, an int 0..9, [] or {} points here, so that shapes such as
 * [0,0,...] and [[],[],...] cost their slot and no node.  In rodata: a write faults. */
#define SHARED(t, ...) {t, LPC_VALUE_IN_DOC, {__VA_ARGS__}}
static const lpc_value shared_leaf[] = {
    SHARED(LPC_NULL, .b = 0), SHARED(LPC_BOOL, .b = 0), SHARED(LPC_BOOL, .b = 1),
    SHARED(LPC_ARRAY, .a = {NULL, 0}), SHARED(LPC_OBJECT, .o = {NULL, 0}),
#define I(k) SHARED(LPC_INT, .i = {(char *)small_ints[k], 1})
    I(0), I(1), I(2), I(3), I(4), I(5), I(6), I(7), I(8), I(9),
#undef I
};
#undef SHARED

/* The shared node equal to v, or NULL. */
static lpc_value *shared(const lpc_value *v)
{
    switch (v->type) {
    case LPC_NULL: return (lpc_value *)&shared_leaf[0];
    case LPC_BOOL: return (lpc_value *)&shared_leaf[1 + v->u.b];
    case LPC_ARRAY: return v->u.a.n ? NULL : (lpc_value *)&shared_leaf[3];
    case LPC_OBJECT: return v->u.o.n ? NULL : (lpc_value *)&shared_leaf[4];
    case LPC_INT:
        return v->u.i.len == 1 ? (lpc_value *)&shared_leaf[5 + (v->u.i.digits[0] - '0')] : NULL;
    default: return NULL;
    }
}

static int parse_number(parser *ps, lpc_value *v)
{
    size_t s = ps->pos;
    int is_float, ok;
    size_t i = lpc_scan_number(ps->p, ps->len, s, &is_float, &ok);
    if (!ok) { ps->pos = i; return fail(ps, LPC_ERR_SYNTAX); }
    ps->pos = i;
    if (!is_float) {
        /* The grammar allows no leading zero; "-0" is 0. */
        const char *t = (const char *)ps->p + s;
        size_t n = i - s;
        if (n - (t[0] == '-') > LPC_INT_MAX_DIGITS) { ps->pos = s; return fail(ps, LPC_ERR_INT_DIGITS); }
        if (n == 2 && t[0] == '-' && t[1] == '0') { t++; n = 1; }
        v->type = LPC_INT;
        v->u.i.len = n;
        if (n == 1) {
            v->u.i.digits = (char *)small_ints[t[0] - '0'];
            return 1;
        }
        char *d = lpc_doc_bytes(ps->doc, n + 1);
        if (!d) return fail_alloc(ps);
        memcpy(d, t, n);
        d[n] = 0;
        v->u.i.digits = d;
        return 1;
    }
    double d;  /* correctly rounded; overflow gives +-inf like float() */
    lpc_err e = lpc_decimal_to_double((const char *)ps->p + s, i - s, &d);
    if (e != LPC_OK) { ps->pos = s; return fail(ps, e); }
    v->type = LPC_FLOAT;
    v->u.f = d;
    return 1;
}

static int parse_value(parser *ps, lpc_value *v);
static int parse_each(parser *ps, lpc_each_mode mode, lpc_value *v);

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

/* Python dict semantics for duplicate keys over the n members m: the first position
 * keeps the last value.  Sorting indices keeps this O(n log n) on hostile inputs.
 * Returns the members left (in place), or 0 with the error set. */
static size_t dedupe_members(parser *ps, lpc_member *m, size_t n)
{
    if (n < 2) return n;
    if (n <= 16) {  /* small objects: no allocation when no key repeats (the usual case) */
        int dup = 0;
        for (size_t i = 1; i < n && !dup; i++)
            for (size_t j = 0; j < i && !dup; j++) dup = lpc_key_eq(&m[j], m[i].key, m[i].klen);
        if (!dup) return n;
    }
    key_ref *idx = malloc(n * sizeof *idx);
    unsigned char *drop = calloc(n, 1);
    if (!idx || !drop) { free(idx); free(drop); return fail(ps, LPC_ERR_NOMEM), 0; }
    for (size_t i = 0; i < n; i++) idx[i] = (key_ref){m[i].key, m[i].klen, i};
    qsort(idx, n, sizeof *idx, cmp_key_ref);
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && idx[b].klen == idx[a].klen && memcmp(idx[b].key, idx[a].key, idx[a].klen) == 0)
            b++;
        if (b - a > 1) {
            m[idx[a].pos].val = m[idx[b - 1].pos].val;
            for (size_t k = a + 1; k < b; k++) drop[idx[k].pos] = 1;
        }
        a = b;
    }
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (!drop[i]) m[w++] = m[i];
    free(idx);
    free(drop);
    return w;
}

/* After a container's item: a comma (1: another item follows) or the closing bracket
 * (0), each consumed with the whitespace before it; else a syntax error (-1). */
static int next_item(parser *ps, uint8_t close)
{
    skip_ws(ps);
    if (ps->pos < ps->len && ps->p[ps->pos] == ',') { ps->pos++; return 1; }
    if (ps->pos < ps->len && ps->p[ps->pos] == close) { ps->pos++; return 0; }
    fail(ps, LPC_ERR_SYNTAX);
    return -1;
}

static int parse_container(parser *ps, lpc_value *c, int is_obj)
{
    if (++ps->depth > LPC_JSON_MAX_DEPTH) return fail(ps, LPC_ERR_DEPTH);
    c->type = is_obj ? LPC_OBJECT : LPC_ARRAY;
    size_t base = is_obj ? ps->mn : ps->vn;  /* this container's children start here */
    ps->pos++; /* '{' or '[' */
    skip_ws(ps);
    uint8_t close = is_obj ? '}' : ']';
    if (ps->pos < ps->len && ps->p[ps->pos] == close) {
        ps->pos++;
        ps->depth--;
        return 1;
    }
    for (;;) {
        skip_ws(ps);
        char *key = NULL;
        size_t klen = 0;
        if (is_obj) {
            if (ps->pos >= ps->len || ps->p[ps->pos] != '"') return fail(ps, LPC_ERR_SYNTAX);
            ps->pos++;
            if (!parse_string(ps, &key, &klen)) return 0;
            skip_ws(ps);
            if (ps->pos >= ps->len || ps->p[ps->pos] != ':') return fail(ps, LPC_ERR_SYNTAX);
            ps->pos++;
            skip_ws(ps);
        }
        lpc_value tmp = {.flags = LPC_VALUE_IN_DOC};
        if (is_obj && ps->depth == 1 && ps->each && ps->each->begin && ps->pos < ps->len &&
            (ps->p[ps->pos] == '[' || ps->p[ps->pos] == '{')) {
            lpc_each_mode mode =
                ps->each->begin(ps->each->ctx, key, klen, ps->p[ps->pos] == '{' ? LPC_OBJECT : LPC_ARRAY);
            if (!parse_each(ps, mode, &tmp)) return 0;
        } else if (!parse_value(ps, &tmp)) {
            return 0;
        }
        lpc_value *item = tmp.flags & LPC_VALUE_ELIDED ? NULL : shared(&tmp);
        if (!item) {
            item = lpc_doc_words(ps->doc, sizeof *item);
            if (!item) return fail_alloc(ps);
            *item = tmp;
        }
        if (is_obj) {
            if (!stack_room(ps, (void **)&ps->ms, ps->mn, &ps->mcap, sizeof *ps->ms)) return 0;
            ps->ms[ps->mn++] = (lpc_member){key, klen, item};
        } else {
            if (!stack_room(ps, (void **)&ps->vs, ps->vn, &ps->vcap, sizeof *ps->vs)) return 0;
            ps->vs[ps->vn++] = item;
        }
        int more = next_item(ps, close);
        if (more < 0) return 0;
        if (!more) break;
    }
    if (is_obj) {
        size_t n = dedupe_members(ps, ps->ms + base, ps->mn - base);
        if (!n) return 0;
        lpc_member *m = lpc_doc_words(ps->doc, n * sizeof *m);
        if (!m) return fail_alloc(ps);
        memcpy(m, ps->ms + base, n * sizeof *m);
        c->u.o.items = m;
        c->u.o.n = n;
        ps->mn = base;
    } else {
        size_t n = ps->vn - base;
        lpc_value **it = lpc_doc_words(ps->doc, n * sizeof *it);
        if (!it) return fail_alloc(ps);
        memcpy(it, ps->vs + base, n * sizeof *it);
        c->u.a.items = it;
        c->u.a.n = n;
        ps->vn = base;
    }
    ps->depth--;
    return 1;
}

/* The scratch document for dropped values, emptied; its blocks are charged to the document. */
static lpc_doc *scratch_begin(parser *ps)
{
    if (!ps->scratch) {
        if (!lpc_doc_charge(ps->home, sizeof(lpc_doc))) return fail_alloc(ps), NULL;
        ps->scratch = lpc_doc_new(4096, 256, SIZE_MAX);
        if (!ps->scratch) return fail(ps, LPC_ERR_NOMEM), NULL;
        ps->scratch->bill = ps->home;   /* one budget for both */
    }
    lpc_doc_reset(ps->scratch);
    return ps->scratch;
}

/* A container at ps->pos (a member of the root object, or the root array) parsed into v
 * as mode says (lpc_parse.h). */
static int parse_each(parser *ps, lpc_each_mode mode, lpc_value *v)
{
    int is_obj = ps->p[ps->pos] == '{';
    if (mode == LPC_EACH_TREE || (mode == LPC_EACH_KEEP && is_obj)) return parse_value(ps, v);
    if (mode != LPC_EACH_KEEP && mode != LPC_EACH_DROP) return fail(ps, LPC_ERR_ARG);
    /* an array whose elements item() sees one at a time, or a dropped container whose
     * elements (members) are parsed one at a time into the emptied scratch document */
    if (++ps->depth > LPC_JSON_MAX_DEPTH) return fail(ps, LPC_ERR_DEPTH);
    v->type = is_obj ? LPC_OBJECT : LPC_ARRAY;
    v->flags |= LPC_VALUE_ELIDED;
    uint8_t close = is_obj ? '}' : ']';
    ps->pos++;
    skip_ws(ps);
    if (ps->pos < ps->len && ps->p[ps->pos] == close) {
        ps->pos++;
        ps->depth--;
        return 1;
    }
    int (*item)(void *, size_t, const lpc_value *) = is_obj ? NULL : ps->each->item;
    int drop = mode == LPC_EACH_DROP || !item;
    for (size_t index = 0;; index++) {
        skip_ws(ps);
        if (drop) {
            if (!scratch_begin(ps)) return 0;
            ps->doc = ps->scratch;
        }
        int ok = 1;
        if (is_obj) {
            char *mkey = NULL;
            size_t mklen = 0;
            if (ps->pos >= ps->len || ps->p[ps->pos] != '"') ok = fail(ps, LPC_ERR_SYNTAX);
            else ps->pos++, ok = parse_string(ps, &mkey, &mklen);
            if (ok) {
                skip_ws(ps);
                if (ps->pos >= ps->len || ps->p[ps->pos] != ':') ok = fail(ps, LPC_ERR_SYNTAX);
                else ps->pos++, skip_ws(ps);
            }
        }
        lpc_value el = {.flags = LPC_VALUE_IN_DOC};
        if (ok) ok = parse_value(ps, &el);
        const lpc_value *it = shared(&el);
        if (ok && !it && !drop) {
            lpc_value *node = lpc_doc_words(ps->doc, sizeof *node);
            if (!node) ok = fail_alloc(ps);
            else *node = el, it = node;
        }
        if (ok && item && item(ps->each->ctx, index, it ? it : &el)) ok = 2;
        ps->doc = ps->home;
        if (!ok) return 0;
        if (ok == 2) drop = 1;   /* the rest is checked and seen, not kept */
        int more = next_item(ps, close);
        if (more < 0) return 0;
        if (!more) break;
    }
    ps->depth--;
    return 1;
}

/* Parses the value at ps->pos into v (a zeroed node of the document). */
static int parse_value(parser *ps, lpc_value *v)
{
    if (ps->pos >= ps->len) return fail(ps, LPC_ERR_SYNTAX);
    uint8_t c = ps->p[ps->pos];
    switch (c) {
    case '{': return parse_container(ps, v, 1);
    case '[': return parse_container(ps, v, 0);
    case '"':
        ps->pos++;
        v->type = LPC_STR;
        return parse_string(ps, &v->u.s.ptr, &v->u.s.len);
    case 'n': if (!match_lit(ps, "null")) break; v->type = LPC_NULL; return 1;
    case 't': if (!match_lit(ps, "true")) break; v->type = LPC_BOOL; v->u.b = 1; return 1;
    case 'f': if (!match_lit(ps, "false")) break; v->type = LPC_BOOL; v->u.b = 0; return 1;
    case 'N': if (!match_lit(ps, "NaN")) break; v->type = LPC_FLOAT; v->u.f = NAN; return 1;
    case 'I': if (!match_lit(ps, "Infinity")) break; v->type = LPC_FLOAT; v->u.f = INFINITY; return 1;
    case '-':
        if (match_lit(ps, "-Infinity")) { v->type = LPC_FLOAT; v->u.f = -INFINITY; return 1; }
        return parse_number(ps, v);
    default:
        if (lpc_is_digit(c)) return parse_number(ps, v);
        break;
    }
    return fail(ps, LPC_ERR_SYNTAX);
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

#define EACH_WORDS_FIRST ((size_t)256 << 10)
#define EACH_BYTES_FIRST ((size_t)16 << 10)

/* lpc_parse_budget, and lpc_parse_take with w == buf. */
static lpc_err parse_doc(const uint8_t *buf, uint8_t *w, size_t len, size_t max_input, size_t max_tree,
                         const lpc_each *each, lpc_value **out, size_t *err_off)
{
    if (!out || (!buf && len) || max_input > LPC_JSON_MAX_INPUT_HARD) return LPC_ERR_ARG;
    *out = NULL;
    if (len > max_input) {
        if (err_off) *err_off = 0;
        return LPC_ERR_TOO_LARGE;
    }
    /* The decoded keys, strings and digit texts with their NULs never exceed the input
     * plus one byte (each string drops two quotes for one NUL, an escape never grows, a
     * number's NUL takes its delimiter's place), so one byte block of len + 1 holds them
     * all; it is touched only as far as it is used.  Nodes and slots start at twice the
     * input (a record of typical density fits), so a small document takes two small
     * blocks. */
    /* lpc_parse_each keeps a small part of a large text, and a budget counts the blocks
     * as allocated (a taken text needs bytes only for digit texts): their blocks start
     * small and double, so that what is charged follows what is used. */
    size_t small = max_tree / 16 < EACH_WORDS_FIRST ? max_tree / 16 : EACH_WORDS_FIRST;
    lpc_doc *doc = each || max_tree != SIZE_MAX
                       ? lpc_doc_new(small, small < EACH_BYTES_FIRST ? small : EACH_BYTES_FIRST, max_tree)
                       : lpc_doc_new(len <= SIZE_MAX / 2 ? 2 * len : len, len + 1, max_tree);
    if (!doc) {
        if (err_off) *err_off = 0;
        return max_tree < sizeof(lpc_doc) ? LPC_ERR_TOO_LARGE : LPC_ERR_NOMEM;
    }
    parser ps = {.p = buf, .w = w, .len = len, .err = LPC_OK, .doc = doc, .home = doc, .each = each};
    /* json.loads(bytes): a UTF-8 BOM selects utf-8-sig; UTF-16/32 (detected by
     * BOM or NUL bytes) are not accepted here. */
    if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) ps.pos = 3;
    else if ((len >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) || (buf[0] == 0xFE && buf[1] == 0xFF))) ||
             (len >= 2 && (buf[0] == 0 || buf[1] == 0))) {
        lpc_doc_free(doc);
        if (err_off) *err_off = 0;
        return LPC_ERR_UTF8;
    }
    skip_ws(&ps);
    int ok = each && each->root != LPC_EACH_TREE && ps.pos < len && buf[ps.pos] == '['
                 ? parse_each(&ps, each->root, &doc->root)
                 : parse_value(&ps, &doc->root);
    if (ok) {
        skip_ws(&ps);
        if (ps.pos != ps.len) ok = fail(&ps, LPC_ERR_SYNTAX);  /* "Extra data" */
    }
    free(ps.vs);
    free(ps.ms);
    lpc_doc_free(ps.scratch);
    if (!ok) {
        lpc_doc_free(doc);
        if (err_off) *err_off = ps.pos;
        return ps.err != LPC_OK ? ps.err : LPC_ERR_SYNTAX;
    }
    doc->text = w;
    *out = &doc->root;
    return LPC_OK;
}

lpc_err lpc_parse_budget(const uint8_t *buf, size_t len, size_t max_input, size_t max_tree,
                         lpc_value **out, size_t *err_off)
{
    return parse_doc(buf, NULL, len, max_input, max_tree, NULL, out, err_off);
}

lpc_err lpc_parse_take(uint8_t *buf, size_t len, size_t max_input, size_t max_tree, lpc_value **out,
                       size_t *err_off)
{
    if (!out || (!buf && len)) {
        free(buf);
        return LPC_ERR_ARG;
    }
    lpc_err e = parse_doc(buf, buf, len, max_input, max_tree, NULL, out, err_off);
    if (e != LPC_OK) free(buf);
    return e;
}

int lpc_key_is(const char *key, size_t klen, const char *name)
{
    return klen == strlen(name) && memcmp(key, name, klen) == 0;
}

lpc_err lpc_parse_each(uint8_t *buf, size_t len, size_t max_input, size_t max_tree, const lpc_each *each,
                       lpc_value **out, size_t *err_off)
{
    if (!out || (!buf && len)) {
        free(buf);
        return LPC_ERR_ARG;
    }
    lpc_err e = parse_doc(buf, buf, len, max_input, max_tree, each, out, err_off);
    if (e != LPC_OK) free(buf);
    return e;
}
