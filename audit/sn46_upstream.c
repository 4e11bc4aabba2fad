/* Subnet 46 replay: the upstream scorers (profiles resi-*, §6.2-§6.7), the consensus hash
 * (§6.6), the claim comparison (§11.2) and lv-spotcheck-v1 (§8). */
#include "audit/sn46_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_buf.h"
#include "canonical/lpc_dump.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_python.h"


/* ---- lv-spotcheck-v1 (§8) ---------------------------------------------------------- */

typedef struct {
    uint8_t key[LPC_SHA256_LEN];
    size_t i;
} lv_key;

static int lv_cmp(const void *a, const void *b)
{
    const lv_key *x = a, *y = b;
    int r = memcmp(x->key, y->key, LPC_SHA256_LEN);
    if (r) return r;
    return x->i < y->i ? -1 : x->i > y->i;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

int sn46_lv_sample(sn46_ctx *c, const lpc_value *hotkey, const char *scope, size_t scope_len, size_t n,
                   size_t k, size_t *out)
{
    static const char tag[] = "leadpoet-verify/sn46-spotcheck/v1";
    const lpc_value *bv = lpc_get(c->beacon, "value");
    lpc_buf b = {0};
    uint8_t z = 0, seed[LPC_SHA256_LEN];
    int ok = lpc_buf_append(&b, tag, sizeof tag - 1) == LPC_OK && lpc_buf_append(&b, &z, 1) == LPC_OK &&
             lpc_buf_append(&b, c->epoch_id->u.s.ptr, c->epoch_id->u.s.len) == LPC_OK &&
             lpc_buf_append(&b, &z, 1) == LPC_OK && lpc_buf_append(&b, c->nonce->u.s.ptr, c->nonce->u.s.len) == LPC_OK &&
             lpc_buf_append(&b, &z, 1) == LPC_OK && lpc_buf_append(&b, bv->u.s.ptr, bv->u.s.len) == LPC_OK &&
             lpc_buf_append(&b, &z, 1) == LPC_OK && lpc_buf_append(&b, hotkey->u.s.ptr, hotkey->u.s.len) == LPC_OK &&
             lpc_buf_append(&b, &z, 1) == LPC_OK && lpc_buf_append(&b, scope, scope_len) == LPC_OK &&
             lpc_sha256(b.ptr, b.len, seed) == LPC_OK;
    lpc_buf_free(&b);
    if (!ok) { c->oom = 1; return -1; }
    lv_key *keys = malloc((n ? n : 1) * sizeof *keys);
    if (!keys) { c->oom = 1; return -1; }
    for (size_t i = 0; i < n; i++) {
        uint8_t m[LPC_SHA256_LEN + 4];
        memcpy(m, seed, LPC_SHA256_LEN);
        m[32] = (uint8_t)(i >> 24);
        m[33] = (uint8_t)(i >> 16);
        m[34] = (uint8_t)(i >> 8);
        m[35] = (uint8_t)i;
        if (lpc_sha256(m, sizeof m, keys[i].key) != LPC_OK) { free(keys); c->oom = 1; return -1; }
        keys[i].i = i;
    }
    qsort(keys, n, sizeof *keys, lv_cmp);
    for (size_t j = 0; j < k && j < n; j++) out[j] = keys[j].i;
    free(keys);
    qsort(out, k < n ? k : n, sizeof *out, cmp_size);
    return 0;
}

/* ---- helpers ----------------------------------------------------------------------- */

static void fmt_list(char *buf, size_t cap, const size_t *v, size_t n)
{
    size_t o = 0;
    o += (size_t)snprintf(buf + o, cap - o, "[");
    for (size_t i = 0; i < n && o < cap; i++) o += (size_t)snprintf(buf + o, cap - o, "%s%zu", i ? ", " : "", v[i]);
    if (o < cap) snprintf(buf + o, cap - o, "]");
}

static lpc_value *int_list(sn46_ctx *c, const size_t *v, size_t n)
{
    lpc_value *a = sn46_track(c, lpc_new_array());
    for (size_t i = 0; i < n; i++) sn46_push(c, a, sn46_track(c, lpc_new_int((int64_t)v[i])));
    return a;
}

static const lpc_value *find_record(sn46_ctx *c, const lpc_value *hk, const lpc_value *zip)
{
    if (!c->spot) return NULL;
    for (size_t i = 0; i < c->spot->u.a.n; i++) {
        const lpc_value *r = c->spot->u.a.items[i];
        if (sn46_streq(lpc_get(r, "hotkey"), hk) && lpc_py_eq(lpc_get(r, "zipcode"), zip)) return r;
    }
    return NULL;
}

/* Reads a record's indices (k distinct ints in [0, n)) and results (k bools), sorted
 * indices into idx; returns the valid count, or -1 (SPOT_CHECK_RECORD_INVALID set). */
static int read_record(sn46_ctx *c, const lpc_value *rec, const lpc_value *hk, const lpc_value *zip, size_t n,
                       size_t k, size_t *idx)
{
    const lpc_value *li = lpc_get(rec, "listing_indices"), *rs = lpc_get(rec, "results");
    const char *zs = zip->type == LPC_STR ? zip->u.s.ptr : "?";
    int zl = zip->type == LPC_STR ? (int)zip->u.s.len : 1;
    if (!li || !rs || li->type != LPC_ARRAY || rs->type != LPC_ARRAY || li->u.a.n != k || rs->u.a.n != k)
        return sn46_fail(c, LP_CODE_SPOT_CHECK_RECORD_INVALID, "%.*s/%.*s: the record does not hold %zu indices and %zu results",
                         (int)hk->u.s.len, hk->u.s.ptr, zl, zs, k, k);
    int valid = 0;
    for (size_t i = 0; i < k; i++) {
        int64_t v;
        const lpc_value *x = li->u.a.items[i], *r = rs->u.a.items[i];
        if (x->type != LPC_INT || !lpc_int_i64(x, &v) || v < 0 || (uint64_t)v >= n || r->type != LPC_BOOL)
            return sn46_fail(c, LP_CODE_SPOT_CHECK_RECORD_INVALID, "%.*s/%.*s: index or result %zu is invalid",
                             (int)hk->u.s.len, hk->u.s.ptr, zl, zs, i);
        for (size_t j = 0; j < i; j++)
            if (idx[j] == (size_t)v)
                return sn46_fail(c, LP_CODE_SPOT_CHECK_RECORD_INVALID, "%.*s/%.*s: index %lld repeated",
                                 (int)hk->u.s.len, hk->u.s.ptr, zl, zs, (long long)v);
        idx[i] = (size_t)v;
        valid += r->u.b;
    }
    qsort(idx, k, sizeof *idx, cmp_size);
    return valid;
}

/* The expected count of a zipcode (§5.3): 0 ok (*e, *is_default), -1 raise/unsupported. */
static int expected_for(sn46_ctx *c, const lpc_value *zip, double *e, const lpc_value **ev, int *is_default, int64_t *dflt)
{
    const lpc_value *ent = NULL;
    for (size_t i = 0; i < c->zipcodes->u.a.n; i++)
        if (lpc_py_eq(lpc_get(c->zipcodes->u.a.items[i], "zipcode"), zip)) { ent = c->zipcodes->u.a.items[i]; break; }
    *ev = NULL;
    *is_default = 0;
    if (ent) {
        const lpc_value *x = lpc_get(ent, "expectedListings");
        if (!x) return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "expectedListings missing");
        if ((x->type != LPC_INT && x->type != LPC_FLOAT) || !lpc_number_as_double(x, e))
            return sn46_fail(c, LP_CODE_SCORER_WOULD_RAISE, "expectedListings is not a number");
        *ev = x;
        return 0;
    }
    *is_default = 1;
    int64_t d = 250;
    if (zip->type == LPC_STR && zip->u.s.len >= 3) {
        static const char *const p400[] = {"100", "101", "102", "900", "901", "902", "606", "607", "608",
                                           "770", "771", "772", "191", "192", "193"};
        const char *p = zip->u.s.ptr;
        for (size_t i = 0; i < sizeof p400 / sizeof p400[0]; i++)
            if (memcmp(p, p400[i], 3) == 0) d = 400;
        if (d == 250 && memcmp(p, "750", 3) >= 0 && memcmp(p, "753", 3) <= 0) d = 350;
        if (d == 250 && memcmp(p, "330", 3) >= 0 && memcmp(p, "332", 3) <= 0) d = 300;
    }
    *dflt = d;
    *e = (double)d;
    return 0;
}

/* ---- 2025-11-18 tiers (§6.3) ---------------------------------------------------------- */

static int extract_zpid(const char *u, size_t n, const char **z, size_t *zn)
{
    if (n >= 8 && memcmp(u, "szill://", 8) == 0) {
        size_t i = 8;
        while (i < n && u[i] >= '0' && u[i] <= '9') i++;
        if (i == n && n > 8) { *z = u + 8; *zn = n - 8; return 1; }
    }
    for (size_t i = 0; i + 5 <= n; i++)
        if (memcmp(u + i, "_zpid", 5) == 0) {
            size_t s = i;
            while (s > 0 && u[s - 1] != '/') s--;
            *z = u + s;
            *zn = i - s;
            return 1;
        }
    for (size_t i = 0; i + 5 <= n; i++)
        if (memcmp(u + i, "zpid=", 5) == 0) {
            size_t s = i + 5, e = s;
            while (e < n && u[e] != '&') e++;
            *z = u + s;
            *zn = e - s;
            return 1;
        }
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && u[e] != '/') e++;
        int all = e - i >= 6;
        for (size_t j = i; all && j < e; j++) all = u[j] >= '0' && u[j] <= '9';
        if (all) { *z = u + i; *zn = e - i; return 1; }
        i = e + 1;
    }
    return 0;
}

typedef struct {
    const lpc_value *listing;
    lpc_buf content;
    const char *uri;
    size_t urin;
    char ubuf[64];
} entity;

static void free_entities(entity *e, size_t n)
{
    for (size_t i = 0; i < n; i++) lpc_buf_free(&e[i].content);
    free(e);
}

/* float(v) in [lo, hi] (as_float) or int(v) in [lo, hi], as Python evaluates them; a
 * TypeError/ValueError counts as out of range.  -1 on an early stop. */
int sn46_py_in_range(sn46_ctx *c, const lpc_value *v, double lo, double hi, int as_float, int *ok)
{
    if (as_float) {
        double d;
        lpc_py_status s = lpc_py_float(v, &d);
        if (s == LPC_PY_UNSUPPORTED) return sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "float() of a non-ASCII text");
        *ok = s == LPC_PY_OK && d >= lo && d <= hi;
        return 0;
    }
    if (v->type == LPC_FLOAT) {
        if (isinf(v->u.f)) return sn46_fail(c, LP_CODE_SCORER_WOULD_RAISE, "int() of an infinite float");
        if (isnan(v->u.f)) { *ok = 0; return 0; }
        double t = trunc(v->u.f);
        *ok = t >= lo && t <= hi;
        return 0;
    }
    int64_t x;
    lpc_py_status s = lpc_py_int(v, &x);
    if (s == LPC_PY_OVERFLOW_ERROR) return sn46_fail(c, LP_CODE_SCORER_WOULD_RAISE, "int() of an infinite value");
    if (s == LPC_PY_UNSUPPORTED) {
        if (v->type == LPC_INT) { *ok = 0; return 0; } /* beyond int64: outside every range */
        return sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "int() outside the reproduced domain");
    }
    *ok = s == LPC_PY_OK && (double)x >= lo && (double)x <= hi;
    return 0;
}

/* Returns failed_at_tier (-1 passed) or -2 on an early stop; fills *tier. */
static int validate_1118(sn46_ctx *c, sn46_sub *sb, const lpc_value *zip, double e, const lpc_value *ev,
                         int64_t dflt, lpc_value *tier)
{
    const lpc_value *ls = lpc_get(sb->file, "listings");
    if (!ls || ls->type != LPC_ARRAY) return sn46_fail(c, LP_CODE_SCORER_WOULD_RAISE, "listings is not a list"), -2;
    size_t n = ls->u.a.n;
    entity *en = calloc(n ? n : 1, sizeof *en);
    if (!en) { c->oom = 1; return -2; }
    size_t ne = 0;
    for (size_t i = 0; i < n; i++) {
        const lpc_value *l = ls->u.a.items[i];
        if (l->type != LPC_OBJECT) continue;
        entity *x = &en[ne];
        const lpc_value *su = lpc_get(l, "source_url");
        if (su) {
            if (su->type != LPC_STR) continue;
            x->uri = su->u.s.ptr;
            x->urin = su->u.s.len;
        } else {
            const lpc_value *zp = lpc_get(l, "zpid");
            char tmp[LPC_PY_STR_SCALAR_MAX];
            const char *p = "unknown";
            size_t pn = 7;
            if (zp && lpc_py_str(zp, tmp, &p, &pn) != LPC_OK) { free_entities(en, ne); return sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "str() of a container zpid"), -2; }
            if (pn + 13 >= sizeof x->ubuf) { free_entities(en, ne); return sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "long zpid"), -2; }
            snprintf(x->ubuf, sizeof x->ubuf, "submission://%.*s", (int)pn, p);
            x->uri = x->ubuf;
            x->urin = strlen(x->ubuf);
        }
        int dt = sn46_pydantic_dt(lpc_get(l, "scraped_timestamp"));
        if (dt == -2) { free_entities(en, ne); return sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "scraped_timestamp outside the portable subset"), -2; }
        if (dt == 0) continue;
        memset(&x->content, 0, sizeof x->content);
        if (lpc_dump(l, LPC_PROFILE_DU_A, &x->content) != LPC_OK) { free_entities(en, ne); return sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "listing cannot be serialised"), -2; }
        x->listing = l;
        ne++;
    }
    sn46_put(c, tier, "hotkey", sn46_clone(c, sb->hk));
    if (ne == 0) { free_entities(en, ne); return 1; }
    /* uniqueness (tier 0) */
    int fail0 = 0;
    char (*zps)[LPC_PY_STR_SCALAR_MAX] = calloc(ne, sizeof *zps);
    size_t *zpn = calloc(ne, sizeof *zpn);
    const char **zpp = calloc(ne, sizeof *zpp);
    if (!zps || !zpn || !zpp) { free(zps); free(zpn); free(zpp); free_entities(en, ne); c->oom = 1; return -2; }
    for (size_t i = 0; i < ne && !fail0; i++) {
        const lpc_value *zp = lpc_get(en[i].listing, "zpid");
        zpp[i] = NULL;
        if (zp && zp->type != LPC_NULL) {
            if (lpc_py_str(zp, zps[i], &zpp[i], &zpn[i]) != LPC_OK) { fail0 = -1; break; }
        }
        const char *uz;
        size_t uzn;
        if (extract_zpid(en[i].uri, en[i].urin, &uz, &uzn) &&
            !(zpp[i] && zpn[i] == uzn && memcmp(uz, zpp[i], uzn) == 0)) { fail0 = 1; break; }
        for (size_t j = 0; j < i && !fail0; j++) {
            if (en[j].content.len == en[i].content.len && memcmp(en[j].content.ptr, en[i].content.ptr, en[i].content.len) == 0) fail0 = 1;
            else if (en[j].urin == en[i].urin && memcmp(en[j].uri, en[i].uri, en[i].urin) == 0) fail0 = 1;
            else if (zpp[i] && zpn[i] > 0 && zpp[j] && zpn[j] == zpn[i] && memcmp(zpp[j], zpp[i], zpn[i]) == 0) fail0 = 1;
        }
    }
    free(zps); free(zpn); free(zpp);
    if (fail0 < 0) { free_entities(en, ne); return sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "str() of a container zpid"), -2; }
    if (fail0) { free_entities(en, ne); return 0; }
    /* tier 1 */
    int64_t mn, mx;
    int pass1;
    if (e <= 0) {
        mn = 1;
        mx = (int64_t)(e * 1.15);
        pass1 = ne >= 1;
    } else {
        mn = (int64_t)(e * 0.85);
        if (mn < 1) mn = 1;
        mx = (int64_t)(e * 1.15);
        pass1 = (int64_t)ne >= mn && (int64_t)ne <= mx;
    }
    lpc_value *t1 = sn46_track(c, lpc_new_object());
    sn46_put(c, t1, "actual_count", sn46_track(c, lpc_new_int((int64_t)ne)));
    sn46_put(c, t1, "expected_count", ev ? sn46_clone(c, ev) : sn46_track(c, lpc_new_int(dflt)));
    sn46_put(c, t1, "expected_max", sn46_track(c, lpc_new_int(mx)));
    sn46_put(c, t1, "expected_min", sn46_track(c, lpc_new_int(mn)));
    sn46_put(c, tier, "tier1", t1);
    if (!pass1) { free_entities(en, ne); return 1; }
    /* tier 2 */
    static const char *const req[] = {"zpid", "address", "price", "property_type", "listing_status"};
    size_t complete = 0, reasonable = 0;
    for (size_t i = 0; i < ne; i++) {
        const lpc_value *l = en[i].listing;
        int comp = 1;
        for (size_t k = 0; k < 5; k++) {
            const lpc_value *x = lpc_get(l, req[k]);
            if (!x || x->type == LPC_NULL) comp = 0;
        }
        if (!comp) continue;
        complete++;
        int ok = 1, r;
        const lpc_value *p = lpc_get(l, "price"), *bd = lpc_get(l, "bedrooms"), *ba = lpc_get(l, "bathrooms");
        if (lpc_py_truthy(p)) {
            if (sn46_py_in_range(c, p, 10000, 50000000, 0, &r)) { free_entities(en, ne); return -2; }
            if (!r) ok = 0;
        }
        if (ok && bd && bd->type != LPC_NULL) {
            if (sn46_py_in_range(c, bd, 0, 20, 0, &r)) { free_entities(en, ne); return -2; }
            if (!r) ok = 0;
        }
        if (ok && ba && ba->type != LPC_NULL) {
            if (sn46_py_in_range(c, ba, 0, 20, 1, &r)) { free_entities(en, ne); return -2; }
            if (!r) ok = 0;
        }
        reasonable += (size_t)ok;
    }
    double cr = (double)complete / (double)ne, rr = (double)reasonable / (double)ne;
    lpc_value *t2 = sn46_track(c, lpc_new_object());
    sn46_put(c, t2, "complete_count", sn46_track(c, lpc_new_int((int64_t)complete)));
    sn46_put(c, t2, "completeness_rate", sn46_track(c, lpc_new_float(cr)));
    sn46_put(c, t2, "reasonable_count", sn46_track(c, lpc_new_int((int64_t)reasonable)));
    sn46_put(c, t2, "reasonable_rate", sn46_track(c, lpc_new_float(rr)));
    sn46_put(c, t2, "total_listings", sn46_track(c, lpc_new_int((int64_t)ne)));
    sn46_put(c, tier, "tier2", t2);
    free_entities(en, ne);
    if (!(cr >= 0.70 && rr >= 0.80)) return 2;
    /* tier 3 */
    size_t k = ne < 2 ? ne : 2;
    const lpc_value *rec = find_record(c, sb->hk, zip);
    if (!rec) return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "no spot-check record for a submission that reaches tier 3"), -2;
    const lpc_value *sch = lpc_get(rec, "scheme");
    int lv = lpc_str_eq(sch, "lv-spotcheck-v1");
    if (sch && !lv && !lpc_str_eq(sch, "unseeded"))
        return sn46_fail(c, LP_CODE_SPOT_CHECK_RECORD_INVALID, "scheme not valid under this profile"), -2;
    size_t idx[2], lvs[2];
    int valid = read_record(c, rec, sb->hk, zip, ne, k, idx);
    if (valid < 0) return -2;
    if (c->beacon && sn46_lv_sample(c, sb->hk, zip->u.s.ptr, zip->u.s.len, ne, k, lvs)) return -2;
    if (lv) {
        if (!c->beacon) return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "lv-spotcheck-v1 record without a beacon"), -2;
        if (memcmp(idx, lvs, k * sizeof *idx) != 0) {
            char a[64], b[64];
            fmt_list(a, sizeof a, idx, k);
            fmt_list(b, sizeof b, lvs, k);
            return sn46_fail(c, LP_CODE_SPOT_CHECK_SAMPLE_MISMATCH, "%.*s/%.*s: checked %s but the lv-spotcheck-v1 sample is %s",
                             (int)sb->hk->u.s.len, sb->hk->u.s.ptr, (int)zip->u.s.len, zip->u.s.ptr, a, b), -2;
        }
    }
    lpc_value *t3 = sn46_track(c, lpc_new_object());
    sn46_put(c, t3, "listing_indices", int_list(c, idx, k));
    if (c->beacon) sn46_put(c, t3, "lv_sample", int_list(c, lvs, k));
    sn46_put(c, t3, "scheme", sn46_str(c, lv ? "lv-spotcheck-v1" : "unseeded"));
    sn46_put(c, t3, "total_checks", sn46_track(c, lpc_new_int((int64_t)k)));
    sn46_put(c, t3, "valid_count", sn46_track(c, lpc_new_int(valid)));
    sn46_put(c, tier, "tier3", t3);
    return (double)valid / (double)k >= 0.60 ? -1 : 3;
}

int sn46_validate_1029(sn46_ctx *c, sn46_sub *sb, const lpc_value *zip, double e, const lpc_value *ev,
                       int64_t dflt, lpc_value *tier);

/* ---- ranking (§6.2) --------------------------------------------------------------------- */

static int rank_sort(sn46_ctx *c, sn46_sub **v, size_t n)
{
    int ns = 0, nn = 0, other = 0, nul = 0;
    for (size_t i = 0; i < n; i++) {
        const lpc_value *t = lpc_get(v[i]->file, "submission_timestamp");
        if (!t) return sn46_fail(c, LP_CODE_SCORER_WOULD_RAISE, "submission_timestamp missing");
        if (t->type == LPC_STR) ns++;
        else if (t->type == LPC_INT || t->type == LPC_FLOAT || t->type == LPC_BOOL) nn++;
        else if (t->type == LPC_NULL) nul++;
        else other++;
    }
    if (n >= 2) {
        if (other) return sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "submission_timestamp arrays/objects are not compared");
        if (nul || (ns && nn)) return sn46_fail(c, LP_CODE_SCORER_WOULD_RAISE, "submission_timestamp values are not comparable");
    }
    int bad = 0;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0; j--) {
            const lpc_value *a = lpc_get(v[j - 1]->file, "submission_timestamp"), *b = lpc_get(v[j]->file, "submission_timestamp");
            int r;
            if (a->type == LPC_STR) r = sn46_strcmp(a, b);
            else {
                double x = 0, y = 0;
                lpc_number_as_double(a, &x);
                lpc_number_as_double(b, &y);
                r = x < y ? -1 : x > y;
                if (isnan(x) || isnan(y)) bad = 1;
            }
            if (r <= 0) break;
            sn46_sub *t = v[j]; v[j] = v[j - 1]; v[j - 1] = t;
        }
    if (bad) return sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "NaN submission_timestamp");
    return 0;
}

/* ---- scores (§6.5), hash (§6.6) ------------------------------------------------------- */

typedef struct {
    const lpc_value *hk;
    double v;
} score_ent;

static int cmp_member(const void *a, const void *b)
{
    const lpc_member *x = *(const lpc_member *const *)a, *y = *(const lpc_member *const *)b;
    size_t n = x->klen < y->klen ? x->klen : y->klen;
    int r = memcmp(x->key, y->key, n);
    if (r) return r;
    return x->klen < y->klen ? -1 : x->klen > y->klen;
}

/* D of §6.6 from a final_scores object; -1 when its shape does not allow it. */
static int consensus_doc(sn46_ctx *c, const lpc_value *nonce, const lpc_value *fs, lpc_buf *pre, char hex[65])
{
    const lpc_value *ms = lpc_get(fs, "miner_scores"), *zw = lpc_get(fs, "zipcode_weights");
    if (!ms || !zw || ms->type != LPC_OBJECT || zw->type != LPC_OBJECT) return -1;
    lpc_value *d = sn46_track(c, lpc_new_object());
    sn46_put(c, d, "epoch_nonce", sn46_clone(c, nonce));
    const lpc_value *srcs[2] = {ms, zw};
    const char *names[2] = {"miner_scores", "zipcode_weights"};
    for (int s = 0; s < 2; s++) {
        size_t n = srcs[s]->u.o.n;
        const lpc_member **m = malloc((n ? n : 1) * sizeof *m);
        if (!m) { c->oom = 1; lpc_free(d); return -1; }
        for (size_t i = 0; i < n; i++) m[i] = &srcs[s]->u.o.items[i];
        qsort(m, n, sizeof *m, cmp_member);
        lpc_value *arr = sn46_track(c, lpc_new_array());
        for (size_t i = 0; i < n; i++) {
            lpc_value *p = sn46_track(c, lpc_new_array());
            sn46_push(c, p, sn46_track(c, lpc_new_str(m[i]->key, m[i]->klen)));
            sn46_push(c, p, sn46_clone(c, m[i]->val));
            sn46_push(c, arr, p);
        }
        free(m);
        sn46_put(c, d, names[s], arr);
    }
    static const char *const tot[] = {"total_participants", "total_winners", "total_epoch_listings"};
    for (int i = 0; i < 3; i++) sn46_put(c, d, tot[i], sn46_clone(c, lpc_get(fs, tot[i])));
    int rc = -1;
    if (!c->oom && lpc_dump(d, LPC_PROFILE_CS_A, pre) == LPC_OK && lpc_sha256_hex(pre->ptr, pre->len, hex) == LPC_OK) rc = 0;
    lpc_free(d);
    return rc;
}

/* Projection of a zipcode's winners or participants to the compared fields. */
static lpc_value *project(sn46_ctx *c, const lpc_value *arr, const char *const *keys, size_t nk)
{
    if (!arr || arr->type != LPC_ARRAY) return NULL;
    lpc_value *out = sn46_track(c, lpc_new_array());
    for (size_t i = 0; i < arr->u.a.n; i++) {
        lpc_value *o = sn46_track(c, lpc_new_object());
        for (size_t k = 0; k < nk; k++) {
            const lpc_value *x = lpc_get(arr->u.a.items[i], keys[k]);
            if (x) sn46_put(c, o, keys[k], sn46_clone(c, x));
        }
        sn46_push(c, out, o);
    }
    return out;
}

static void compare_claims(sn46_ctx *c, const lpc_value *fs, const lpc_value *zres, const char *hash, lp_checks *ck)
{
    const lpc_value *vr = c->claimed ? lpc_get(c->claimed, "validation_result") : NULL;
    if (!vr) return;
    char det[LP_CHECK_DETAIL_MAX] = "";
    const lpc_value *cfs = lpc_get(vr, "final_scores");
    if (!lpc_py_eq(lpc_get(vr, "epoch_nonce"), c->nonce)) snprintf(det, sizeof det, "epoch_nonce");
    else if (!cfs || cfs->type != LPC_OBJECT) snprintf(det, sizeof det, "final_scores");
    else {
        static const char *const fk[] = {"miner_scores", "zipcode_weights", "total_participants", "total_winners", "total_epoch_listings"};
        for (size_t i = 0; i < 5 && !det[0]; i++)
            if (!lpc_py_eq(lpc_get(cfs, fk[i]), lpc_get(fs, fk[i]))) snprintf(det, sizeof det, "%s", fk[i]);
    }
    const lpc_value *czr = lpc_get(vr, "zipcode_results");
    if (!det[0] && (!czr || czr->type != LPC_ARRAY || czr->u.a.n != zres->u.a.n)) snprintf(det, sizeof det, "zipcode_results");
    static const char *const wk[] = {"miner_hotkey", "rank", "listing_count"};
    static const char *const pk[] = {"miner_hotkey", "failed_at_tier", "listing_count"};
    for (size_t i = 0; !det[0] && i < zres->u.a.n; i++) {
        const lpc_value *ours = zres->u.a.items[i], *theirs = NULL;
        const lpc_value *z = lpc_get(ours, "zipcode");
        for (size_t j = 0; j < czr->u.a.n; j++)
            if (lpc_py_eq(lpc_get(czr->u.a.items[j], "zipcode"), z)) { theirs = czr->u.a.items[j]; break; }
        const char *zs = z->type == LPC_STR ? z->u.s.ptr : "?";
        if (!theirs) { snprintf(det, sizeof det, "zipcode_results[%s]", zs); break; }
        lpc_value *a = project(c, lpc_get(theirs, "winners"), wk, 3), *b = project(c, lpc_get(ours, "winners"), wk, 3);
        if (!a || !lpc_py_eq(a, b)) snprintf(det, sizeof det, "zipcode_results[%s].winners", zs);
        lpc_free(a); lpc_free(b);
        if (det[0]) break;
        a = project(c, lpc_get(theirs, "participants"), pk, 3);
        b = project(c, lpc_get(ours, "participants"), pk, 3);
        if (!a || !lpc_py_eq(a, b)) snprintf(det, sizeof det, "zipcode_results[%s].participants", zs);
        lpc_free(a); lpc_free(b);
        if (!det[0] && !lpc_py_eq(lpc_get(theirs, "total_listings_found"), lpc_get(ours, "total_listings_found")))
            snprintf(det, sizeof det, "zipcode_results[%s].total_listings_found", zs);
    }
    lp_check_add(ck, "scores_match", det[0] ? LP_CODE_SCORE_MISMATCH : LP_CODE_OK, "%s", det);
    const lpc_value *ch = lpc_get(vr, "consensus_hash");
    char hex[65] = "";
    lpc_buf pre = {0};
    int self = cfs && ch && ch->type == LPC_STR && consensus_doc(c, lpc_get(vr, "epoch_nonce"), cfs, &pre, hex) == 0 &&
               lpc_str_eq(ch, hex);
    lpc_buf_free(&pre);
    if (!self)
        lp_check_add(ck, "consensus_hash_self_consistent", LP_CODE_CONSENSUS_HASH_MISMATCH,
                     "claimed hash is not SHA-256 of the claimed final_scores");
    else
        lp_check_add(ck, "consensus_hash_matches_replay", lpc_str_eq(ch, hash) ? LP_CODE_OK : LP_CODE_CONSENSUS_HASH_MISMATCH, "%s", "");
}

int sn46_upstream(sn46_ctx *c, lpc_value *rep, lp_checks *ck)
{
    lpc_value *zres = sn46_track(c, lpc_new_array());
    int64_t *tlf = calloc(c->ng ? c->ng : 1, sizeof *tlf);
    if (!zres || !tlf) { free(tlf); c->oom = 1; return -1; }
    int stop = 0;
    for (size_t g = 0; g < c->ng && !stop; g++) {
        sn46_group *gr = &c->groups[g];
        double e;
        const lpc_value *ev;
        int isd;
        int64_t dflt = 0;
        if (expected_for(c, gr->zip, &e, &ev, &isd, &dflt)) { stop = 1; break; }
        if (!(fabs(e) < 1e15)) { sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "expectedListings beyond 1e15 (or not finite)"); stop = 1; break; }
        gr->expected_default = isd;
        if (rank_sort(c, gr->mem, gr->n)) { stop = 1; break; }
        lpc_value *win = sn46_track(c, lpc_new_array()), *par = sn46_track(c, lpc_new_array()), *tiers = sn46_track(c, lpc_new_array());
        int64_t nwin = 0;
        for (size_t i = 0; i < gr->n && nwin < 3; i++) {
            sn46_sub *sb = gr->mem[i];
            lpc_value *tier = sn46_track(c, lpc_new_object());
            int f = c->profile == SN46_R1118 ? validate_1118(c, sb, gr->zip, e, ev, dflt, tier)
                                             : sn46_validate_1029(c, sb, gr->zip, e, ev, dflt, tier);
            if (f == -2 || c->oom) { lpc_free(tier); stop = 1; break; }
            sn46_put(c, tier, "failed_at_tier", f < 0 ? sn46_track(c, lpc_new_null()) : sn46_track(c, lpc_new_int(f)));
            sn46_push(c, tiers, tier);
            const lpc_value *ls = lpc_get(sb->file, "listings");
            int64_t lc = (int64_t)ls->u.a.n;
            if (f < 0) {
                lpc_value *w = sn46_track(c, lpc_new_object());
                sn46_put(c, w, "listing_count", sn46_track(c, lpc_new_int(lc)));
                sn46_put(c, w, "miner_hotkey", sn46_clone(c, sb->hk));
                sn46_put(c, w, "rank", sn46_track(c, lpc_new_int(++nwin)));
                sn46_push(c, win, w);
                tlf[g] += lc;
            } else if (f > 1) {
                lpc_value *p = sn46_track(c, lpc_new_object());
                sn46_put(c, p, "failed_at_tier", sn46_track(c, lpc_new_int(f)));
                sn46_put(c, p, "listing_count", sn46_track(c, lpc_new_int(lc)));
                sn46_put(c, p, "miner_hotkey", sn46_clone(c, sb->hk));
                sn46_push(c, par, p);
            }
        }
        lpc_value *zo = sn46_track(c, lpc_new_object());
        sn46_put(c, zo, "expected_listings", ev ? sn46_clone(c, ev) : sn46_track(c, lpc_new_int(dflt)));
        sn46_put(c, zo, "expected_source", sn46_str(c, isd ? "default" : "assignment"));
        sn46_put(c, zo, "participants", par);
        sn46_put(c, zo, "tiers", tiers);
        sn46_put(c, zo, "total_listings_found", sn46_track(c, lpc_new_int(tlf[g])));
        sn46_put(c, zo, "total_submissions_processed", sn46_track(c, lpc_new_int((int64_t)gr->n)));
        sn46_put(c, zo, "winners", win);
        sn46_put(c, zo, "zipcode", sn46_clone(c, gr->zip));
        sn46_push(c, zres, zo);
    }
    if (stop || c->oom) { free(tlf); lpc_free(zres); return -1; }

    /* §6.5 */
    int64_t L = 0;
    for (size_t g = 0; g < c->ng; g++) L += tlf[g];
    lpc_value *fs = sn46_track(c, lpc_new_object());
    lpc_value *ms = sn46_track(c, lpc_new_object()), *zw = sn46_track(c, lpc_new_object());
    int64_t npart = 0, nwin_total = 0;
    if (L > 0) {
        score_ent *s = calloc(c->nsel * 2 + 1, sizeof *s);
        const lpc_value **W = calloc(c->nsel + 1, sizeof *W), **P = calloc(c->nsel + 1, sizeof *P);
        size_t ns = 0, nw = 0, np = 0;
        if (!s || !W || !P) { free(s); free(W); free(P); free(tlf); lpc_free(zres); lpc_free(fs); lpc_free(ms); lpc_free(zw); c->oom = 1; return -1; }
        static const double share[3] = {0.55, 0.30, 0.10};
        for (size_t g = 0; g < c->ng; g++) {
            double wz = (double)tlf[g] / (double)L;
            lpc_value *wv = sn46_track(c, lpc_new_float(wz));
            if (wv && lpc_object_set(zw, c->groups[g].zip->u.s.ptr, c->groups[g].zip->u.s.len, wv) != LPC_OK) c->oom = 1;
            const lpc_value *zo = zres->u.a.items[g];
            const lpc_value *wn = lpc_get(zo, "winners"), *pa = lpc_get(zo, "participants");
            for (size_t i = 0; i < wn->u.a.n; i++) {
                const lpc_value *hk = lpc_get(wn->u.a.items[i], "miner_hotkey");
                size_t j;
                for (j = 0; j < ns; j++) if (sn46_streq(s[j].hk, hk)) break;
                if (j == ns) { s[ns].hk = hk; s[ns].v = 0.0; ns++; }
                s[j].v = s[j].v + share[i] * wz;
                for (j = 0; j < nw; j++) if (sn46_streq(W[j], hk)) break;
                if (j == nw) W[nw++] = hk;
            }
            for (size_t i = 0; i < pa->u.a.n; i++) {
                const lpc_value *hk = lpc_get(pa->u.a.items[i], "miner_hotkey");
                size_t j;
                for (j = 0; j < nw; j++) if (sn46_streq(W[j], hk)) break;
                if (j < nw) continue;
                for (j = 0; j < np; j++) if (sn46_streq(P[j], hk)) break;
                if (j == np) P[np++] = hk;
            }
        }
        size_t nq = 0;
        for (size_t i = 0; i < np; i++) {
            size_t j;
            for (j = 0; j < nw; j++) if (sn46_streq(W[j], P[i])) break;
            if (j == nw) nq++;
        }
        for (size_t i = 0; i < np && nq; i++) {
            size_t j;
            for (j = 0; j < nw; j++) if (sn46_streq(W[j], P[i])) break;
            if (j < nw) continue;
            s[ns].hk = P[i];
            s[ns].v = 0.0 + 0.05 / (double)nq;
            ns++;
        }
        double S = 0.0;
        if (!c->py312)
            for (size_t i = 0; i < ns; i++) S = S + s[i].v;
        else {
            double cc = 0.0;
            for (size_t i = 0; i < ns; i++) {
                double t = S + s[i].v;
                if (fabs(S) >= fabs(s[i].v)) cc += (S - t) + s[i].v;
                else cc += (s[i].v - t) + S;
                S = t;
            }
            if (cc != 0.0 && isfinite(cc)) S += cc;
        }
        for (size_t i = 0; i < ns; i++) {
            lpc_value *x = sn46_track(c, lpc_new_float(s[i].v / S));
            if (x && lpc_object_set(ms, s[i].hk->u.s.ptr, s[i].hk->u.s.len, x) != LPC_OK) c->oom = 1;
        }
        npart = (int64_t)np;
        nwin_total = (int64_t)nw;
        free(s); free(W); free(P);
    }
    sn46_put(c, fs, "miner_scores", ms);
    sn46_put(c, fs, "total_epoch_listings", sn46_track(c, lpc_new_int(L)));
    sn46_put(c, fs, "total_participants", sn46_track(c, lpc_new_int(npart)));
    sn46_put(c, fs, "total_winners", sn46_track(c, lpc_new_int(nwin_total)));
    sn46_put(c, fs, "zipcode_weights", zw);
    free(tlf);
    if (c->oom) { lpc_free(zres); lpc_free(fs); return -1; }
    lpc_buf pre = {0};
    char hex[65];
    if (consensus_doc(c, c->nonce, fs, &pre, hex)) { lpc_buf_free(&pre); lpc_free(zres); lpc_free(fs); c->oom = 1; return -1; }
    compare_claims(c, fs, zres, hex, ck);
    sn46_put(c, rep, "consensus_hash", sn46_str(c, hex));
    sn46_put(c, rep, "consensus_preimage", sn46_track(c, lpc_new_str((const char *)pre.ptr, pre.len)));
    lpc_buf_free(&pre);
    sn46_put(c, rep, "zipcodes", zres);
    sn46_put(c, rep, "final_scores", fs);
    return sn46_weights(c, lpc_get(fs, "miner_scores"), rep, ck);
}
