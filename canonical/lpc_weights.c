/* Weights (spec §10).  See lpc_weights.h for the contract of each function. */
#include "canonical/lpc_weights.h"

#include "canonical/lpc_num.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------- */

/* Stable bottom-up merge sort by uid; tmp has room for n pairs. */
static void sort_pairs_stable(lpc_weight_pair *a, lpc_weight_pair *tmp, size_t n)
{
    lpc_weight_pair *src = a, *dst = tmp;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)   /* <= keeps the left run first: stable */
                dst[k++] = src[j].uid < src[i].uid ? src[j++] : src[i++];
            while (i < mid) dst[k++] = src[i++];
            while (j < hi) dst[k++] = src[j++];
        }
        lpc_weight_pair *t = src; src = dst; dst = t;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
}

static int pairs_sorted(const lpc_weight_pair *p, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (p[i].uid < p[i - 1].uid) return 0;
    return 1;
}

/* In-place stable sort of out[0..n) (allocates n scratch pairs). */
static lpc_err sort_in_place(lpc_weight_pair *p, size_t n)
{
    if (pairs_sorted(p, n)) return LPC_OK;
    lpc_weight_pair *tmp = malloc(n * sizeof *tmp);
    if (!tmp) return LPC_ERR_NOMEM;
    sort_pairs_stable(p, tmp, n);
    free(tmp);
    return LPC_OK;
}

/* ---- §10.1 ------------------------------------------------------------- */

/* Smallest magnitude that rounds to infinity in binary32: the midpoint between
 * FLT_MAX and 2^128 (ties go to even, i.e. to 2^128). */
#define F32_OVERFLOW_AT 0x1.ffffffp127

lpc_err lpc_weights_quantize_f32(double w, double *out)
{
    if (!out) return LPC_ERR_ARG;
    if (!isfinite(w) || fabs(w) >= F32_OVERFLOW_AT) return LPC_ERR_RANGE;
    *out = (double)(float)w;   /* current rounding mode: nearest-even */
    return LPC_OK;
}

lpc_err lpc_normalize_to_u16(const int64_t *uids, const double *weights, size_t n,
                             int64_t *out_uids, uint16_t *out_w, size_t *out_n)
{
    if (!out_n) return LPC_ERR_ARG;
    *out_n = 0;
    if (n == 0) return LPC_OK;
    if (!uids || !weights || !out_uids || !out_w) return LPC_ERR_ARG;
    if (n > LPC_WEIGHTS_MAX_PAIRS) return LPC_ERR_TOO_LARGE;

    for (size_t i = 0; i < n; i++)          /* _int(uid, "uid"): minimum 0 */
        if (uids[i] < 0) return LPC_ERR_RANGE;

    /* Pass 1: quantise (errors in input order), find the max, check signs. */
    double m = 0.0;
    int negative = 0;
    for (size_t i = 0; i < n; i++) {
        double q;
        lpc_err e = lpc_weights_quantize_f32(weights[i], &q);
        if (e != LPC_OK) return e;
        if (q < 0) negative = 1;
        if (q > m) m = q;
    }
    if (negative) return LPC_ERR_NEGATIVE_WEIGHT;
    if (m == 0.0) return LPC_OK;            /* sum == 0: all zero */

    /* Pass 2: scale in input order, round half to even, drop zeros. */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double q = (double)(float)weights[i];
        double s = q / m;                   /* divide first ... */
        double v = nearbyint(s * 65535.0);  /* ... then multiply; ties to even */
        if (v != 0.0) {
            out_uids[k] = uids[i];
            out_w[k] = (uint16_t)v;         /* 0 < v <= 65535 since s <= 1 */
            k++;
        }
    }
    *out_n = k;
    return LPC_OK;
}

/* ---- §10.3 ------------------------------------------------------------- */

static lpc_err weights_hash(int has_block, int64_t netuid, int64_t epoch_id, int64_t block,
                            const lpc_weight_pair *pairs, size_t n, lpc_hash_ctx *ctx,
                            lpc_buf *pre, char hex[LPC_SHA256_HEX_LEN + 1])
{
    if (!pre || !hex || (n && !pairs)) return LPC_ERR_ARG;
    pre->len = 0;
    hex[0] = '\0';
    if (n > LPC_WEIGHTS_MAX_PAIRS) return LPC_ERR_TOO_LARGE;

    lpc_weight_pair *sorted = NULL;
    const lpc_weight_pair *p = pairs;
    if (!pairs_sorted(pairs, n)) {
        sorted = malloc(2 * n * sizeof *sorted);
        if (!sorted) return LPC_ERR_NOMEM;
        memcpy(sorted, pairs, n * sizeof *sorted);
        sort_pairs_stable(sorted, sorted + n, n);
        p = sorted;
    }

    /* Keys in code-point order: block < epoch_id < netuid < weights.  Text is
     * staged in a local chunk and flushed when fewer than one pair's worth of
     * room (43 bytes) remains. */
    char buf[2048];
    size_t len = 0;
    lpc_err e = LPC_OK;
    buf[len++] = '{';
    if (has_block) {
        memcpy(buf + len, "\"block\":", 8); len += 8;
        len += lpc_i64_to_dec(block, buf + len);
        buf[len++] = ',';
    }
    memcpy(buf + len, "\"epoch_id\":", 11); len += 11;
    len += lpc_i64_to_dec(epoch_id, buf + len);
    memcpy(buf + len, ",\"netuid\":", 10); len += 10;
    len += lpc_i64_to_dec(netuid, buf + len);
    memcpy(buf + len, ",\"weights\":[", 12); len += 12;
    for (size_t i = 0; i < n && e == LPC_OK; i++) {
        if (i) buf[len++] = ',';
        buf[len++] = '[';
        len += lpc_i64_to_dec(p[i].uid, buf + len);
        buf[len++] = ',';
        len += lpc_i64_to_dec(p[i].weight, buf + len);
        buf[len++] = ']';
        if (len > sizeof buf - 48) {
            e = lpc_buf_append(pre, buf, len);
            len = 0;
        }
    }
    memcpy(buf + len, "]}", 2); len += 2;
    if (e == LPC_OK) e = lpc_buf_append(pre, buf, len);
    free(sorted);

    uint8_t digest[LPC_SHA256_LEN];
    if (e == LPC_OK) {
        if (ctx) {
            e = lpc_hash_init(ctx);
            if (e == LPC_OK) e = lpc_hash_update(ctx, pre->ptr, pre->len);
            if (e == LPC_OK) e = lpc_hash_final(ctx, digest);
        } else {
            e = lpc_sha256(pre->ptr, pre->len, digest);
        }
    }
    if (e != LPC_OK) {
        pre->len = 0;
        return e;
    }
    lpc_hex_encode(digest, sizeof digest, hex);
    return LPC_OK;
}

lpc_err lpc_bundle_weights_hash(int64_t netuid, int64_t epoch_id, int64_t block,
                                const lpc_weight_pair *pairs, size_t n,
                                lpc_hash_ctx *ctx, lpc_buf *preimage,
                                char hex[LPC_SHA256_HEX_LEN + 1])
{
    return weights_hash(1, netuid, epoch_id, block, pairs, n, ctx, preimage, hex);
}

lpc_err lpc_compare_weights_hash(int64_t netuid, int64_t epoch_id,
                                 const lpc_weight_pair *pairs, size_t n,
                                 lpc_hash_ctx *ctx, lpc_buf *preimage,
                                 char hex[LPC_SHA256_HEX_LEN + 1])
{
    return weights_hash(0, netuid, epoch_id, 0, pairs, n, ctx, preimage, hex);
}

/* ---- §10.4 ------------------------------------------------------------- */

/* Copies p, sorts stably by uid and keeps the last pair of each uid run
 * (Python dict: the last assignment wins).  *out is malloc'd. */
static lpc_err dict_of(const lpc_weight_pair *p, size_t n, lpc_weight_pair **out, size_t *out_n)
{
    *out = NULL;
    *out_n = 0;
    if (n == 0) return LPC_OK;
    lpc_weight_pair *a = malloc(2 * n * sizeof *a);
    if (!a) return LPC_ERR_NOMEM;
    memcpy(a, p, n * sizeof *a);
    sort_pairs_stable(a, a + n, n);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && a[i + 1].uid == a[i].uid) continue;
        a[k++] = a[i];
    }
    *out = a;
    *out_n = k;
    return LPC_OK;
}

static int within(int64_t e, int64_t a, int64_t tol)
{
    if (tol < 0) return 0;
    uint64_t d = e >= a ? (uint64_t)e - (uint64_t)a : (uint64_t)a - (uint64_t)e;
    return d <= (uint64_t)tol;
}

lpc_err lpc_weights_within_tolerance(const lpc_weight_pair *expected, size_t ne,
                                     const lpc_weight_pair *actual, size_t na,
                                     int64_t tolerance, int *result)
{
    if (!result || (ne && !expected) || (na && !actual)) return LPC_ERR_ARG;
    *result = 0;
    if (ne > LPC_WEIGHTS_MAX_PAIRS || na > LPC_WEIGHTS_MAX_PAIRS) return LPC_ERR_TOO_LARGE;
    lpc_weight_pair *E, *A;
    size_t nE, nA;
    lpc_err e = dict_of(expected, ne, &E, &nE);
    if (e != LPC_OK) return e;
    e = dict_of(actual, na, &A, &nA);
    if (e != LPC_OK) { free(E); return e; }

    int ok = 1;
    size_t i = 0, j = 0;
    while (ok && (i < nE || j < nA)) {
        if (j == nA || (i < nE && E[i].uid < A[j].uid)) {
            ok = within(E[i].weight, 0, tolerance); i++;
        } else if (i == nE || A[j].uid < E[i].uid) {
            ok = within(0, A[j].weight, tolerance); j++;
        } else {
            ok = within(E[i].weight, A[j].weight, tolerance); i++; j++;
        }
    }
    free(E);
    free(A);
    *result = ok;
    return LPC_OK;
}

lpc_err lpc_u16_to_emit_floats(const uint16_t *w, size_t n, double *out)
{
    if (n == 0) return LPC_OK;
    if (!w || !out) return LPC_ERR_ARG;
    if (n > LPC_WEIGHTS_MAX_PAIRS) return LPC_ERR_TOO_LARGE;
    uint64_t total = 0;                 /* <= 65536 * 65535 < 2^53: exact in double */
    for (size_t i = 0; i < n; i++) total += w[i];
    for (size_t i = 0; i < n; i++)      /* one correctly rounded division, as int/int */
        out[i] = total ? (double)w[i] / (double)total : 0.0;
    return LPC_OK;
}

lpc_err lpc_normalize_chain_weights(const lpc_chain_pair *in, size_t n,
                                    lpc_weight_pair *out, size_t *out_n)
{
    if (!out_n) return LPC_ERR_ARG;
    *out_n = 0;
    if (n == 0) return LPC_OK;
    if (!in || !out) return LPC_ERR_ARG;
    if (n > LPC_WEIGHTS_MAX_PAIRS) return LPC_ERR_TOO_LARGE;

    int has_floats = 0;
    for (size_t i = 0; i < n; i++)
        if (in[i].is_float) has_floats = 1;

    size_t k = n;
    if (!has_floats) {
        for (size_t i = 0; i < n; i++) {
            out[i].uid = in[i].uid;
            out[i].weight = in[i].i;
        }
    } else {
        int64_t *uids = malloc(n * sizeof *uids);
        double *fw = malloc(n * sizeof *fw);
        int64_t *ou = malloc(n * sizeof *ou);
        uint16_t *ow = malloc(n * sizeof *ow);
        lpc_err e = (uids && fw && ou && ow) ? LPC_OK : LPC_ERR_NOMEM;
        if (e == LPC_OK) {
            for (size_t i = 0; i < n; i++) {
                uids[i] = in[i].uid;
                fw[i] = in[i].is_float ? in[i].f : (double)in[i].i;  /* float(int) */
            }
            e = lpc_normalize_to_u16(uids, fw, n, ou, ow, &k);
        }
        if (e == LPC_OK) {
            /* list(zip(uids, weights_u16)): the original uids against the
             * zero-filtered weights, truncated to the shorter list. */
            for (size_t i = 0; i < k; i++) {
                out[i].uid = uids[i];
                out[i].weight = ow[i];
            }
        }
        free(uids); free(fw); free(ou); free(ow);
        if (e != LPC_OK) return e;
    }
    lpc_err e = sort_in_place(out, k);
    if (e != LPC_OK) return e;
    *out_n = k;
    return LPC_OK;
}

lpc_err lpc_chain_pairs_from_json(const lpc_value *arr, lpc_chain_pair *out,
                                  size_t cap, size_t *out_n)
{
    if (!arr || !out_n) return LPC_ERR_ARG;
    *out_n = 0;
    if (arr->type != LPC_ARRAY) return LPC_ERR_TYPE;
    size_t n = arr->u.a.n;
    if (n > LPC_WEIGHTS_MAX_PAIRS) return LPC_ERR_TOO_LARGE;
    if (n > cap || (n && !out)) return LPC_ERR_ARG;
    for (size_t i = 0; i < n; i++) {
        const lpc_value *pair = arr->u.a.items[i];
        if (pair->type != LPC_ARRAY || pair->u.a.n != 2) return LPC_ERR_TYPE;
        const lpc_value *u = pair->u.a.items[0], *w = pair->u.a.items[1];
        if (u->type != LPC_INT) return LPC_ERR_TYPE;
        if (!lpc_int_i64(u, &out[i].uid)) return LPC_ERR_RANGE;
        if (w->type == LPC_INT) {
            if (!lpc_int_i64(w, &out[i].i)) return LPC_ERR_RANGE;
            out[i].is_float = 0;
            out[i].f = 0.0;
        } else if (w->type == LPC_FLOAT) {
            out[i].is_float = 1;
            out[i].f = w->u.f;
            out[i].i = 0;
        } else {
            return LPC_ERR_TYPE;
        }
    }
    *out_n = n;
    return LPC_OK;
}

lpc_err lpc_filter_nonzero(const lpc_weight_pair *in, size_t n,
                           lpc_weight_pair *out, size_t *out_n)
{
    if (!out_n) return LPC_ERR_ARG;
    *out_n = 0;
    if (n && (!in || !out)) return LPC_ERR_ARG;
    if (n > LPC_WEIGHTS_MAX_PAIRS) return LPC_ERR_TOO_LARGE;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (in[i].weight > 0) out[k++] = in[i];   /* k <= i: safe when out == in */
    *out_n = k;
    return LPC_OK;
}

lpc_err lpc_filter_sparse_weights(const lpc_weight_pair *in, size_t n,
                                  lpc_weight_pair *out, size_t *out_n)
{
    size_t k;
    lpc_err e = lpc_filter_nonzero(in, n, out, &k);
    if (e != LPC_OK) return e;
    e = sort_in_place(out, k);
    if (e != LPC_OK) return e;
    *out_n = k;
    return LPC_OK;
}

/* ---- §10.2 ------------------------------------------------------------- */

lpc_err lpc_validate_weights_invariants(const int64_t *uids, size_t nu,
                                        const int64_t *weights, size_t nw,
                                        char msg[LPC_WEIGHTS_MSG_MAX])
{
    char local[LPC_WEIGHTS_MSG_MAX];
    char *m = msg ? msg : local;
    m[0] = '\0';
    if ((nu && !uids) || (nw && !weights)) return LPC_ERR_ARG;
    if (nu != nw) {
        snprintf(m, LPC_WEIGHTS_MSG_MAX, "Array length mismatch: %zu UIDs vs %zu weights", nu, nw);
        return LPC_ERR_WEIGHTS_INVARIANT;
    }
    if (nu == 0) {
        snprintf(m, LPC_WEIGHTS_MSG_MAX, "Empty weight submission not allowed");
        return LPC_ERR_WEIGHTS_INVARIANT;
    }
    for (size_t i = 1; i < nu; i++) {
        if (uids[i] <= uids[i - 1]) {
            snprintf(m, LPC_WEIGHTS_MSG_MAX,
                     "UIDs not strictly increasing: uids[%zu]=%lld, uids[%zu]=%lld",
                     i - 1, (long long)uids[i - 1], i, (long long)uids[i]);
            return LPC_ERR_WEIGHTS_INVARIANT;
        }
    }
    for (size_t i = 0; i < nw; i++) {
        if (weights[i] < 1 || weights[i] > LPC_U16_MAX) {
            snprintf(m, LPC_WEIGHTS_MSG_MAX,
                     "Weight out of range [1, 65535]: weights[%zu]=%lld (uid=%lld)",
                     i, (long long)weights[i], (long long)uids[i]);
            return LPC_ERR_WEIGHTS_INVARIANT;
        }
    }
    return LPC_OK;
}
