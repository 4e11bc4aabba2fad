/* Weight bundle audit (spec §10).  See weights_audit.h. */
#include "audit/weights_audit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELD(buf, ...) snprintf((buf), sizeof (buf), __VA_ARGS__)

void lpau_bundle_free(lpau_bundle *b)
{
    if (!b)
        return;
    free(b->pairs);
    free(b->uids);
    free(b->w);
    memset(b, 0, sizeof *b);
}

void lpau_chain_free(lpau_chain_cmp *c)
{
    if (!c)
        return;
    free(c->chain);
    free(c->diff_uids);
    memset(c, 0, sizeof *c);
}

int lpau_is_hex64(const char *s, size_t n)
{
    if (!s || n != LPC_SHA256_HEX_LEN)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return 0;
    }
    return 1;
}

static lpau_err get_i64(const lpc_value *doc, const char *key, int64_t *out, lpau_diag *d)
{
    const lpc_value *v = lpc_get(doc, key);
    if (!v)
        return lpau_fail(d, LPAU_ERR_MISSING, LPC_OK, key, "required");
    if (v->type != LPC_INT)
        return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, key, "must be an integer");
    if (!lpc_int_i64(v, out))
        return lpau_fail(d, LPAU_ERR_VALUE, LPC_OK, key, "out of int64 range");
    return LPAU_OK;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* 1 when the sorted copy of uids[0..n) has a repeat; -1 on NOMEM. */
static int has_dup(const int64_t *uids, size_t n, int64_t *dup)
{
    if (n < 2)
        return 0;
    int64_t *t = malloc(n * sizeof *t);
    if (!t)
        return -1;
    memcpy(t, uids, n * sizeof *t);
    qsort(t, n, sizeof *t, cmp_i64);
    int r = 0;
    for (size_t i = 1; i < n; i++)
        if (t[i] == t[i - 1]) {
            *dup = t[i];
            r = 1;
            break;
        }
    free(t);
    return r;
}

static int cmp_pair_uid(const void *a, const void *b)
{
    const lpc_weight_pair *x = a, *y = b;
    return (x->uid > y->uid) - (x->uid < y->uid);
}

/* Element i of a [[uid, number], ...] array named name: its uid and raw score
 * (float allowed).  One reading for the tree (read_pairs) and the stream
 * (lpau_pairs_item). */
static lpau_err read_pair(const lpc_value *p, const char *name, size_t i, int64_t *u, double *w,
                          lpau_diag *d)
{
    char f[LPAU_FIELD_MAX];
    FIELD(f, "%s[%zu]", name, i);
    if (p->type != LPC_ARRAY || p->u.a.n != 2)
        return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, f, "must be a [uid, weight] pair");
    const lpc_value *pu = p->u.a.items[0], *pw = p->u.a.items[1];
    if (pu->type != LPC_INT)
        return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, f, "uid must be an integer");
    if (!lpc_int_i64(pu, u) || *u < 0)
        return lpau_fail(d, LPAU_ERR_VALUE, LPC_OK, f, "uid must be a non-negative int64");
    if (pw->type != LPC_INT && pw->type != LPC_FLOAT)
        return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, f, "weight must be a number");
    if (!lpc_number_as_double(pw, w) || !isfinite(*w))
        return lpau_fail(d, LPAU_ERR_VALUE, LPC_OK, f, "weight must be finite");
    if (*w < 0)
        return lpau_fail(d, LPAU_ERR_VALUE, LPC_ERR_NEGATIVE_WEIGHT, f, "negative weight");
    return LPAU_OK;
}

/* The pairs' last check: no uid twice.  Frees u and w on error. */
static lpau_err pairs_unique(int64_t *u, double *w, size_t n, const char *name, lpau_diag *d)
{
    int64_t dup = 0;
    int r = has_dup(u, n, &dup);
    lpau_err e = LPAU_OK;
    if (r < 0)
        e = lpau_fail(d, LPAU_ERR_NOMEM, LPC_ERR_NOMEM, name, "out of memory");
    else if (r)
        e = lpau_fail(d, LPAU_ERR_DUPLICATE, LPC_OK, name, "uid %lld appears twice", (long long)dup);
    if (e != LPAU_OK) {
        free(u);
        free(w);
    }
    return e;
}

/* Reads [[uid, number], ...] into uids/vals; raw scores (float allowed). */
static lpau_err read_pairs(const lpc_value *arr, const char *name, int64_t **uids_out,
                          double **vals_out, size_t *n_out, lpau_diag *d)
{
    if (arr->type != LPC_ARRAY)
        return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, name, "must be an array of [uid, weight] pairs");
    if (arr->flags & LPC_VALUE_ELIDED)
        return lpau_fail(d, LPAU_ERR_ARG, LPC_OK, name, "the array was not kept by the parse");
    size_t n = arr->u.a.n;
    if (n > LPC_WEIGHTS_MAX_PAIRS)
        return lpau_fail(d, LPAU_ERR_TOO_LARGE, LPC_OK, name, "more than %zu pairs", LPC_WEIGHTS_MAX_PAIRS);
    int64_t *u = malloc((n ? n : 1) * sizeof *u);
    double *w = malloc((n ? n : 1) * sizeof *w);
    if (!u || !w) {
        free(u);
        free(w);
        return lpau_fail(d, LPAU_ERR_NOMEM, LPC_ERR_NOMEM, name, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        lpau_err e = read_pair(arr->u.a.items[i], name, i, &u[i], &w[i], d);
        if (e != LPAU_OK) {
            free(u);
            free(w);
            return e;
        }
    }
    lpau_err e = pairs_unique(u, w, n, name, d);
    if (e != LPAU_OK)
        return e;
    *uids_out = u;
    *vals_out = w;
    *n_out = n;
    return LPAU_OK;
}

void lpau_pairs_free(lpau_pairs *s)
{
    if (!s)
        return;
    free(s->u);
    free(s->w);
    memset(s, 0, sizeof *s);
}

void lpau_pairs_begin(lpau_pairs *s)
{
    lpau_pairs_free(s);
    s->begun = 1;
}

int lpau_pairs_item(void *ctx, size_t index, const lpc_value *item)
{
    lpau_pairs *s = ctx;
    s->n = index + 1;
    if (s->e != LPAU_OK || s->n > LPC_WEIGHTS_MAX_PAIRS)
        return 0;   /* counted only: the first failure or the count decides */
    if (index == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        if (cap > LPC_WEIGHTS_MAX_PAIRS)
            cap = LPC_WEIGHTS_MAX_PAIRS;
        int64_t *u = realloc(s->u, cap * sizeof *u);
        if (u)
            s->u = u;
        double *w = u ? realloc(s->w, cap * sizeof *w) : NULL;
        if (w)
            s->w = w;
        if (!u || !w) {
            s->e = lpau_fail(&s->d, LPAU_ERR_NOMEM, LPC_ERR_NOMEM, "weights", "out of memory");
            return 0;
        }
        s->cap = cap;
    }
    s->e = read_pair(item, "weights", index, &s->u[index], &s->w[index], &s->d);
    return 0;
}

/* The streamed pairs as read_pairs gives the tree's: the count first, then the
 * first element's failure, then duplicates.  Takes s's arrays on success. */
static lpau_err stream_pairs(lpau_pairs *s, int64_t **uids_out, double **vals_out, size_t *n_out,
                             lpau_diag *d)
{
    if (s->n > LPC_WEIGHTS_MAX_PAIRS)
        return lpau_fail(d, LPAU_ERR_TOO_LARGE, LPC_OK, "weights", "more than %zu pairs",
                         LPC_WEIGHTS_MAX_PAIRS);
    if (s->e != LPAU_OK) {
        if (d)
            *d = s->d;
        return s->e;
    }
    int64_t *u = s->u ? s->u : malloc(sizeof *u);
    double *w = s->w ? s->w : malloc(sizeof *w);
    s->u = NULL;
    s->w = NULL;
    if (!u || !w) {
        free(u);
        free(w);
        return lpau_fail(d, LPAU_ERR_NOMEM, LPC_ERR_NOMEM, "weights", "out of memory");
    }
    lpau_err e = pairs_unique(u, w, s->n, "weights", d);
    if (e != LPAU_OK)
        return e;
    *uids_out = u;
    *vals_out = w;
    *n_out = s->n;
    return LPAU_OK;
}

static lpau_err read_int_array(const lpc_value *doc, const char *key, int64_t **out, size_t *n_out,
                              lpau_diag *d)
{
    char f[LPAU_FIELD_MAX];
    const lpc_value *a = lpc_get(doc, key);
    if (!a)
        return lpau_fail(d, LPAU_ERR_MISSING, LPC_OK, key, "required with %s",
                        strcmp(key, "uids") ? "uids" : "weights_u16");
    if (a->type != LPC_ARRAY)
        return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, key, "must be an array of integers");
    size_t n = a->u.a.n;
    if (n > LPC_WEIGHTS_MAX_PAIRS)
        return lpau_fail(d, LPAU_ERR_TOO_LARGE, LPC_OK, key, "more than %zu entries", LPC_WEIGHTS_MAX_PAIRS);
    int64_t *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return lpau_fail(d, LPAU_ERR_NOMEM, LPC_ERR_NOMEM, key, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const lpc_value *x = a->u.a.items[i];
        FIELD(f, "%s[%zu]", key, i);
        if (x->type != LPC_INT || !lpc_int_i64(x, &v[i])) {
            free(v);
            return lpau_fail(d, x->type == LPC_INT ? LPAU_ERR_VALUE : LPAU_ERR_TYPE, LPC_OK, f,
                            "must be an integer within int64");
        }
    }
    *out = v;
    *n_out = n;
    return LPAU_OK;
}

lpau_err lpau_bundle_from_doc(const lpc_value *doc, lpau_bundle *b, lpau_diag *d)
{
    return lpau_bundle_from_doc_pairs(doc, NULL, b, d);
}

lpau_err lpau_bundle_from_doc_pairs(const lpc_value *doc, lpau_pairs *streamed, lpau_bundle *b,
                                    lpau_diag *d)
{
    if (!b || !doc)
        return lpau_fail(d, LPAU_ERR_ARG, LPC_OK, "", "NULL argument");
    memset(b, 0, sizeof *b);
    if (d)
        memset(d, 0, sizeof *d);
    if (doc->type != LPC_OBJECT)
        return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, "(document)", "must be a JSON object");
    lpau_err e;
    if ((e = get_i64(doc, "netuid", &b->netuid, d)) || (e = get_i64(doc, "epoch_id", &b->epoch_id, d)) ||
        (e = get_i64(doc, "block", &b->block, d)))
        return e;
    const lpc_value *raw = lpc_get(doc, "weights");
    const lpc_value *su = lpc_get(doc, "uids");
    const lpc_value *sw = lpc_get(doc, "weights_u16");
    const lpc_value *h = lpc_get(doc, "weights_hash");
    if (h && h->type != LPC_NULL) {
        if (h->type != LPC_STR)
            return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, "weights_hash", "must be a string");
        if (!lpau_is_hex64(h->u.s.ptr, h->u.s.len))
            return lpau_fail(d, LPAU_ERR_VALUE, LPC_OK, "weights_hash", "must be 64 hex characters");
        b->claimed_hash = h;
    }
    if (raw && (su || sw))
        return lpau_fail(d, LPAU_ERR_VALUE, LPC_OK, "weights", "give either weights or uids + weights_u16, not both");
    if (!raw && !su && !sw)
        return lpau_fail(d, LPAU_ERR_MISSING, LPC_OK, "weights", "required (or uids + weights_u16)");
    if (raw) {
        int64_t *u = NULL;
        double *w = NULL;
        size_t n = 0;
        int stream = streamed && streamed->begun && raw->type == LPC_ARRAY && (raw->flags & LPC_VALUE_ELIDED);
        e = stream ? stream_pairs(streamed, &u, &w, &n, d) : read_pairs(raw, "weights", &u, &w, &n, d);
        if (e != LPAU_OK)
            return e;
        b->from_raw = 1;
        b->n_raw = n;
        /* each array freed as soon as it is read: the raw pairs after normalising,
         * the normalised weights once sorted into pairs (ou becomes b->uids) */
        int64_t *ou = malloc((n ? n : 1) * sizeof *ou);
        uint16_t *ow = malloc((n ? n : 1) * sizeof *ow);
        size_t on = 0;
        lpc_err ce = ou && ow ? lpc_normalize_to_u16(u, w, n, ou, ow, &on) : LPC_ERR_NOMEM;
        free(u);
        free(w);
        if (ce == LPC_OK && !(b->pairs = malloc((on ? on : 1) * sizeof *b->pairs)))
            ce = LPC_ERR_NOMEM;
        if (ce == LPC_OK) {
            for (size_t i = 0; i < on; i++) {
                b->pairs[i].uid = ou[i];
                b->pairs[i].weight = ow[i];
            }
            /* The bundle is sparse and sorted by uid (§10.2, §12 step 3). */
            qsort(b->pairs, on, sizeof *b->pairs, cmp_pair_uid);
            free(ow);
            ow = NULL;
            if (!(b->w = malloc((on ? on : 1) * sizeof *b->w)))
                ce = LPC_ERR_NOMEM;
        }
        if (ce == LPC_OK) {
            for (size_t i = 0; i < on; i++) {
                ou[i] = b->pairs[i].uid;
                b->w[i] = b->pairs[i].weight;
            }
            b->uids = ou;
            ou = NULL;
            b->n = b->nu = b->nw = on;
        }
        free(ou);
        free(ow);
        if (ce != LPC_OK) {
            lpau_bundle_free(b);
            return lpau_fail(d, ce == LPC_ERR_NOMEM ? LPAU_ERR_NOMEM : LPAU_ERR_VALUE, ce, "weights",
                            "normalize_to_u16 fails: %s", lpc_strerror(ce));
        }
    } else {
        if ((e = read_int_array(doc, "uids", &b->uids, &b->nu, d)) != LPAU_OK ||
            (e = read_int_array(doc, "weights_u16", &b->w, &b->nw, d)) != LPAU_OK) {
            lpau_bundle_free(b);
            return e;
        }
        size_t n = b->nu < b->nw ? b->nu : b->nw;   /* Python zip() */
        b->pairs = malloc((n ? n : 1) * sizeof *b->pairs);
        if (!b->pairs) {
            lpau_bundle_free(b);
            return lpau_fail(d, LPAU_ERR_NOMEM, LPC_ERR_NOMEM, "uids", "out of memory");
        }
        for (size_t i = 0; i < n; i++) {
            b->pairs[i].uid = b->uids[i];
            b->pairs[i].weight = b->w[i];
        }
        b->n = n;
    }
    lpc_err ce = lpc_validate_weights_invariants(b->uids, b->nu, b->w, b->nw, b->inv_msg);
    b->invariants_ok = ce == LPC_OK;
    if (ce != LPC_OK && ce != LPC_ERR_WEIGHTS_INVARIANT) {
        lpau_bundle_free(b);
        return lpau_fail(d, LPAU_ERR_CANONICAL, ce, "uids", "%s", lpc_strerror(ce));
    }
    lpc_buf pre = {0};
    ce = lpc_bundle_weights_hash(b->netuid, b->epoch_id, b->block, b->pairs, b->n, NULL, &pre,
                                 b->bundle_hash);
    if (ce == LPC_OK)
        ce = lpc_compare_weights_hash(b->netuid, b->epoch_id, b->pairs, b->n, NULL, &pre,
                                      b->compare_hash);
    lpc_buf_free(&pre);
    if (ce != LPC_OK) {
        lpau_bundle_free(b);
        return lpau_fail(d, ce == LPC_ERR_NOMEM ? LPAU_ERR_NOMEM : LPAU_ERR_CANONICAL, ce, "weights",
                        "hash: %s", lpc_strerror(ce));
    }
    return LPAU_OK;
}

typedef struct { int64_t uid, weight; size_t idx; } idx_pair;

static int cmp_idx_pair(const void *a, const void *b)
{
    const idx_pair *x = a, *y = b;
    if (x->uid != y->uid)
        return (x->uid > y->uid) - (x->uid < y->uid);
    return (x->idx > y->idx) - (x->idx < y->idx);
}

lpau_err lpau_chain_compare(const lpau_bundle *b, const lpc_value *against, lpau_chain_cmp *c,
                          lpau_diag *d)
{
    if (!b || !against || !c)
        return lpau_fail(d, LPAU_ERR_ARG, LPC_OK, "", "NULL argument");
    memset(c, 0, sizeof *c);
    if (d)
        memset(d, 0, sizeof *d);
    const char *name = "against";
    if (against->type == LPC_OBJECT) {
        against = lpc_get(against, "weights");
        name = "against.weights";
        if (!against)
            return lpau_fail(d, LPAU_ERR_MISSING, LPC_OK, name, "required");
    }
    int64_t *u = NULL;
    double *dv = NULL;
    size_t n = 0;
    lpau_err e = read_pairs(against, name, &u, &dv, &n, d);
    if (e != LPAU_OK)
        return e;
    free(u);
    free(dv);
    lpc_chain_pair *cp = malloc((n ? n : 1) * sizeof *cp);
    c->chain = malloc((n ? n : 1) * sizeof *c->chain);
    size_t nb = b->n;
    idx_pair *bs = malloc((nb ? nb : 1) * sizeof *bs);
    c->diff_uids = malloc((n + nb ? n + nb : 1) * sizeof *c->diff_uids);
    if (!cp || !c->chain || !bs || !c->diff_uids) {
        free(cp);
        free(bs);
        lpau_chain_free(c);
        return lpau_fail(d, LPAU_ERR_NOMEM, LPC_ERR_NOMEM, name, "out of memory");
    }
    lpc_err ce = lpc_chain_pairs_from_json(against, cp, n, &n);
    if (ce == LPC_OK)
        ce = lpc_normalize_chain_weights(cp, n, c->chain, &c->n_chain);
    free(cp);
    if (ce == LPC_OK) {
        lpc_buf pre = {0};
        ce = lpc_compare_weights_hash(b->netuid, b->epoch_id, c->chain, c->n_chain, NULL,
                                      &pre, c->compare_hash);
        lpc_buf_free(&pre);
    }
    c->tolerance = LPC_AUDITOR_WEIGHT_TOLERANCE;
    if (ce == LPC_OK)
        ce = lpc_weights_within_tolerance(b->pairs, b->n, c->chain, c->n_chain, c->tolerance,
                                          &c->within);
    if (ce != LPC_OK) {
        free(bs);
        lpau_chain_free(c);
        return lpau_fail(d, ce == LPC_ERR_NOMEM ? LPAU_ERR_NOMEM : LPAU_ERR_VALUE, ce, name,
                        "normalize_chain_weights fails: %s", lpc_strerror(ce));
    }
    c->exact = strcmp(c->compare_hash, b->compare_hash) == 0;
    /* Differences over the union of uids, a missing uid counting as 0
     * (§10.4).  A uid repeated in the bundle takes its last weight, as the
     * Python dict does: stable sort, then keep the last of each run. */
    for (size_t k = 0; k < nb; k++) {
        bs[k].uid = b->pairs[k].uid;
        bs[k].weight = b->pairs[k].weight;
        bs[k].idx = k;
    }
    qsort(bs, nb, sizeof *bs, cmp_idx_pair);   /* stable: ties by input index */
    size_t i = 0, j = 0;
    while (i < nb || j < c->n_chain) {
        int64_t uid, ew = 0, aw = 0;
        if (j >= c->n_chain || (i < nb && bs[i].uid < c->chain[j].uid))
            uid = bs[i].uid;
        else
            uid = c->chain[j].uid;
        while (i < nb && bs[i].uid == uid)
            ew = bs[i++].weight;
        while (j < c->n_chain && c->chain[j].uid == uid)
            aw = c->chain[j++].weight;
        /* |ew - aw| without signed overflow, saturated at INT64_MAX */
        uint64_t ud = ew > aw ? (uint64_t)ew - (uint64_t)aw : (uint64_t)aw - (uint64_t)ew;
        int64_t diff = ud > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)ud;
        if (diff != 0) {
            c->diff_uids[c->n_diff++] = uid;
            if (diff > c->max_diff)
                c->max_diff = diff;
            if (diff > c->tolerance)
                c->n_beyond++;
        }
    }
    free(bs);
    c->status = (c->exact || c->within) ? "VERIFIED" : "AUDITOR_MISMATCH";
    return LPAU_OK;
}
