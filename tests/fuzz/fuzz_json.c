/* libFuzzer target: canonical JSON parser and serializer round trip.
 * Invariants: no crash/leak; every accepted value serialises under every
 * profile or fails with a documented code; an ASCII serialisation re-parses
 * to a value whose serialisation is byte-identical (idempotence).
 * lpc_csa_from_text: when it returns OK, lpc_parse accepts the text and
 * lpc_dump CS-A gives the same bytes, and the span of top-level key "a" holds
 * that member's CS-A; when lpc_parse refuses, it does not return OK; on any
 * other result the caller's buffer (with a prefix in it) is unchanged.  The same for
 * lpc_csa_from_text_ex with LPC_CSA_DECODE.  lpc_parse_take on a copy gives the same
 * verdict, error offset and tree (lpc_identical) as lpc_parse.  lpc_parse_each, each
 * root member's mode chosen from its key, gives the same verdict and offset; its tree
 * has the same members in the same order, each identical to lpc_parse's or (KEEP and
 * DROP) an empty elided container of the same type, and the elements item() saw for
 * the last occurrence of an array member serialise as that member's items do. */
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_json.h"

static const char prefix[] = "prefix:";

/* The fast path over data, checked against v (NULL when lpc_parse refused). */
static void check_csa_flags(const uint8_t *data, size_t size, const lpc_value *v, unsigned flags)
{
    lpc_csa_scratch s = {0};
    lpc_buf fast = {0};
    if (lpc_buf_append(&fast, prefix, sizeof prefix - 1) != LPC_OK) abort();
    size_t span[2] = {7, 7};
    lpc_err e = flags ? lpc_csa_from_text_ex(data, size, flags, &s, "a", span, &fast)
                      : lpc_csa_from_text(data, size, &s, "a", span, &fast);
    size_t p = sizeof prefix - 1;
    if (e != LPC_OK) {
        if (e != LPC_ERR_UNSUPPORTED && e != LPC_ERR_NOMEM && e != LPC_ERR_TOO_LARGE) abort();
        if (fast.len != p || memcmp(fast.ptr, prefix, p) || span[0] || span[1]) abort();
    } else {
        if (!v) abort();  /* lpc_parse refused what the fast path accepted */
        lpc_buf ref = {0};
        if (lpc_dump(v, LPC_PROFILE_CS_A, &ref) != LPC_OK) abort();
        if (fast.len - p != ref.len || memcmp(fast.ptr, prefix, p) || memcmp(fast.ptr + p, ref.ptr, ref.len))
            abort();
        const lpc_value *a = lpc_get(v, "a");
        if (!a) {
            if (span[0] || span[1]) abort();
        } else {
            lpc_buf m = {0};
            if (lpc_dump(a, LPC_PROFILE_CS_A, &m) != LPC_OK) abort();
            if (span[0] < p || span[1] < span[0] || span[1] > fast.len || span[1] - span[0] != m.len ||
                memcmp(fast.ptr + span[0], m.ptr, m.len))
                abort();
            lpc_buf_free(&m);
        }
        lpc_buf_free(&ref);
    }
    lpc_buf_free(&fast);
    lpc_csa_scratch_free(&s);
}

static void check_csa(const uint8_t *data, size_t size, const lpc_value *v)
{
    check_csa_flags(data, size, v, 0);
    check_csa_flags(data, size, v, LPC_CSA_DECODE);
}

/* In place on a copy: the verdict, offset and tree of lpc_parse (e, off, v). */
static void check_take(const uint8_t *data, size_t size, lpc_err e, size_t off, const lpc_value *v)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy) abort();
    if (size) memcpy(copy, data, size);
    lpc_value *w = NULL;
    size_t woff = 0;
    lpc_err we = lpc_parse_take(copy, size, LPC_JSON_MAX_INPUT, SIZE_MAX, &w, &woff);
    if (we != e || (e == LPC_OK ? !lpc_identical(v, w) : woff != off || w != NULL)) abort();
    lpc_free(w);
}

/* lpc_parse_each: what item() saw, one record per begin() (occurrence of a member). */
#define EACH_MAX_OCC 64
typedef struct {
    const char *key;   /* into the taken copy, which the document keeps */
    size_t klen, n;
    lpc_each_mode mode;
    lpc_buf dumps;     /* DU-A of each element seen, or its error, each ended by '\n' */
} each_occ;
typedef struct {
    each_occ occ[EACH_MAX_OCC];
    size_t n;
    int over;
    each_occ root;     /* a root array streamed under each.root */
    lpc_each_mode root_mode;
} each_rec;

static lpc_each_mode mode_of(const char *key, size_t klen)
{
    unsigned h = (unsigned)klen;
    for (size_t i = 0; i < klen; i++) h = h * 31u + (unsigned char)key[i];
    return (lpc_each_mode)(h % 3u);
}

static lpc_each_mode rec_begin(void *ctx, const char *key, size_t klen, lpc_type type)
{
    each_rec *r = ctx;
    if (type != LPC_ARRAY && type != LPC_OBJECT) abort();
    if (r->n == EACH_MAX_OCC) { r->over = 1; return LPC_EACH_TREE; }
    each_occ *o = &r->occ[r->n++];
    memset(o, 0, sizeof *o);
    o->key = key, o->klen = klen, o->mode = mode_of(key, klen);
    return o->mode;
}

static void dump_line(const lpc_value *v, lpc_buf *b)
{
    lpc_buf t = {0};
    lpc_err e = lpc_dump(v, LPC_PROFILE_DU_A, &t);
    if (e == LPC_OK) { if (lpc_buf_append(b, t.ptr, t.len) != LPC_OK) abort(); }
    else if (lpc_buf_append(b, lpc_strerror(e), strlen(lpc_strerror(e))) != LPC_OK) abort();
    if (lpc_buf_append(b, "\n", 1) != LPC_OK) abort();
    lpc_buf_free(&t);
}

static int rec_item(void *ctx, size_t index, const lpc_value *v)
{
    each_rec *r = ctx;
    if ((!r->n && r->root_mode == LPC_EACH_TREE) || !v) abort();   /* a root array's element, or a member's */
    each_occ *o = r->n ? &r->occ[r->n - 1] : &r->root;
    if (index != o->n++) abort();
    dump_line(v, &o->dumps);
    return (index & 3) == 3;   /* now and then, drop the rest of a kept array */
}

static void check_each(const uint8_t *data, size_t size, lpc_err e, size_t off, const lpc_value *v)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy) abort();
    if (size) memcpy(copy, data, size);
    each_rec *r = calloc(1, sizeof *r);
    if (!r) abort();
    /* a root array: kept (the tree), or each element seen in order (keep, drop) */
    lpc_each_mode root = (lpc_each_mode)(size % 3);
    int streamed = e == LPC_OK && v->type == LPC_ARRAY && root != LPC_EACH_TREE;
    r->root_mode = root;
    lpc_each each = {rec_begin, rec_item, r, root};
    lpc_value *w = NULL;
    size_t woff = 0;
    lpc_err we = lpc_parse_each(copy, size, LPC_JSON_MAX_INPUT, SIZE_MAX, &each, &w, &woff);
    if (we != e || (e != LPC_OK && (woff != off || w))) abort();
    if (streamed) {
        if (r->n || w->type != LPC_ARRAY || w->u.a.n || !(w->flags & LPC_VALUE_ELIDED)) abort();
        lpc_buf ref = {0};
        for (size_t k = 0; k < v->u.a.n; k++) dump_line(v->u.a.items[k], &ref);
        if (ref.len != r->root.dumps.len || (ref.len && memcmp(ref.ptr, r->root.dumps.ptr, ref.len))) abort();
        lpc_buf_free(&ref);
    } else if (e == LPC_OK && !r->over) {
        if (v->type != w->type) abort();
        if (v->type != LPC_OBJECT) {
            if (r->n || !lpc_identical(v, w)) abort();
        } else {
            if (v->u.o.n != w->u.o.n) abort();
            for (size_t i = 0; i < v->u.o.n; i++) {
                const lpc_member *a = &v->u.o.items[i], *b = &w->u.o.items[i];
                if (a->klen != b->klen || memcmp(a->key, b->key, a->klen)) abort();
                const each_occ *last = NULL;
                for (size_t k = 0; k < r->n; k++)
                    if (r->occ[k].klen == a->klen && !memcmp(r->occ[k].key, a->key, a->klen)) last = &r->occ[k];
                int elided = (b->val->flags & LPC_VALUE_ELIDED) != 0;
                int want = last && (a->val->type == LPC_ARRAY || a->val->type == LPC_OBJECT) &&
                           (last->mode == LPC_EACH_DROP || (last->mode == LPC_EACH_KEEP && a->val->type == LPC_ARRAY));
                if (elided != want) abort();
                if (!elided) {
                    if (!lpc_identical(a->val, b->val)) abort();
                    continue;
                }
                if (b->val->type != a->val->type || (b->val->type == LPC_ARRAY ? b->val->u.a.n : b->val->u.o.n)) abort();
                if (a->val->type == LPC_ARRAY) {
                    lpc_buf ref = {0};
                    for (size_t k = 0; k < a->val->u.a.n; k++) dump_line(a->val->u.a.items[k], &ref);
                    if (ref.len != last->dumps.len || (ref.len && memcmp(ref.ptr, last->dumps.ptr, ref.len))) abort();
                    lpc_buf_free(&ref);
                } else if (last->n) {
                    abort();   /* objects are never itemised */
                }
            }
        }
    }
    for (size_t k = 0; k < r->n; k++) lpc_buf_free(&r->occ[k].dumps);
    lpc_buf_free(&r->root.dumps);
    free(r);
    lpc_free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lpc_value *v = NULL;
    size_t off = 0;
    lpc_err pe = lpc_parse(data, size, &v, &off);
    check_take(data, size, pe, off, v);
    check_each(data, size, pe, off, v);
    if (pe != LPC_OK) {
        check_csa(data, size, NULL);
        return 0;
    }
    check_csa(data, size, v);
    for (int p = LPC_PROFILE_CS_A; p <= LPC_PROFILE_INDENT2; p++) {
        lpc_buf a = {0};
        lpc_err e = lpc_dump(v, (lpc_profile)p, &a);
        if (e == LPC_OK && (p == LPC_PROFILE_CS_A || p == LPC_PROFILE_DU_A || p == LPC_PROFILE_INDENT2)) {
            lpc_value *w = NULL;
            if (lpc_parse(a.ptr, a.len, &w, NULL) != LPC_OK) abort();
            lpc_buf b = {0};
            if (lpc_dump(w, (lpc_profile)p, &b) != LPC_OK) abort();
            if (a.len != b.len || memcmp(a.ptr, b.ptr, a.len)) abort();
            /* the serialisations are valid text for the fast path too */
            check_csa(a.ptr, a.len, w);
            lpc_buf_free(&b);
            lpc_free(w);
        } else if (e != LPC_OK && e != LPC_ERR_NAN && e != LPC_ERR_SURROGATE && e != LPC_ERR_TOO_LARGE) {
            abort();
        }
        lpc_buf_free(&a);
    }
    lpc_free(v);
    return 0;
}
