/* The serialiser: json.dumps profiles (lpc_dump.h).  Spec: leadpoet-formats.md §1.2. */
#include "canonical/lpc_dump.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_num.h"
#include "canonical/lpc_scan.h"
#include "canonical/lpc_utf8.h"

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

#define PUT(w, s, n) do { lpc_err e_ = lpc_buf_append((w)->out, (s), (n)); if (e_) return e_; } while (0)
#define PUTS(w, s) PUT(w, s, strlen(s))

/* Decodes one WTF-8 code point (input validated at parse time or by the
 * builder's caller); returns its length, 0 on malformed bytes. */
static size_t wtf8_decode(const uint8_t *p, size_t avail, uint32_t *cp)
{
    return lpc_utf8_next(p, avail, LPC_UTF8_SURROGATES, cp);
}

static lpc_err put_u_escape(lpc_buf *out, uint32_t u)
{
    static const char hx[] = "0123456789abcdef";
    char e[6] = {'\\', 'u', hx[(u >> 12) & 15], hx[(u >> 8) & 15], hx[(u >> 4) & 15], hx[u & 15]};
    return lpc_buf_append(out, e, 6);
}

static lpc_err write_string(lpc_buf *out, const char *s, size_t len, int ascii, unsigned flags)
{
    lpc_err e;
    if ((e = lpc_buf_append(out, "\"", 1))) return e;
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;
    while (i < len) {
        /* Copy the longest run needing no escape in one append. */
        size_t run = ascii ? lpc_scan_ascii_plain(p, i, len) : lpc_scan_plain(p, i, len, '"');
        if (run > i) {
            if ((e = lpc_buf_append(out, p + i, run - i))) return e;
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
            if ((e = lpc_buf_append(out, esc, 2))) return e;
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
            if ((e = lpc_buf_append(out, p + i, k))) return e;
        }
        i += k;
    }
    return lpc_buf_append(out, "\"", 1);
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
        e = lpc_buf_append(w->out, "{", 1);
        for (size_t i = 0; i < n && !e; i++) {
            if (i) e = lpc_buf_append(w->out, w->pd->item_sep, strlen(w->pd->item_sep));
            if (!e && w->pd->indent) e = write_newline(w, level + 1);
            if (!e) e = write_string(w->out, order[i]->key, order[i]->klen, w->pd->ascii, w->flags);
            if (!e) e = lpc_buf_append(w->out, w->pd->key_sep, strlen(w->pd->key_sep));
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
