/* Subnet 46 replay: the MultiTierValidator tiers of the resi-2025-10-* profiles (§6.4):
 * tier 1 by raw listing count, tier 2's four loops, tier 3's seeded sample through
 * CPython's generator (canonical/lpc_pyrandom.h). */
#include "audit/sn46_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_pyrandom.h"

int sn46_validate_1029(sn46_ctx *c, sn46_sub *sb, const lpc_value *zip, double e, const lpc_value *ev,
                       int64_t dflt, lpc_value *tier);

/* The 12 fields of the completeness loop. */
static const char *const k_fields[] = {"address", "price", "bedrooms", "bathrooms", "sqft", "listing_date",
                                       "property_type", "listing_status", "days_on_market", "mls_id",
                                       "source_url", "scraped_timestamp"};

/* fromisoformat after Z -> +00:00 (the portable subset): 1 parsed, 0 ValueError, -1 stop. */
static int iso_parse(sn46_ctx *c, const lpc_value *v, int64_t *us, int *aware)
{
    int r = sn46_ts_parse(v->u.s.ptr, v->u.s.len, us, aware);
    if (r == -2) return sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "a timestamp outside the portable subset");
    return r == 0;
}

static int floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return (int)(q > 1000000 ? 1000000 : q < -1000000 ? -1000000 : q);
}

static void fmt_sorted(char *buf, size_t cap, const uint64_t *v, size_t n)
{
    size_t o = (size_t)snprintf(buf, cap, "[");
    for (size_t i = 0; i < n && o < cap; i++) o += (size_t)snprintf(buf + o, cap - o, "%s%llu", i ? ", " : "", (unsigned long long)v[i]);
    if (o < cap) snprintf(buf + o, cap - o, "]");
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int sn46_validate_1029(sn46_ctx *c, sn46_sub *sb, const lpc_value *zip, double e, const lpc_value *ev,
                       int64_t dflt, lpc_value *tier)
{
    const lpc_value *ls = lpc_get(sb->file, "listings");
    if (!ls || ls->type != LPC_ARRAY) return sn46_fail(c, LP_CODE_SCORER_WOULD_RAISE, "listings is not a list"), -2;
    size_t n = ls->u.a.n;
    sn46_put(c, tier, "hotkey", sn46_clone(c, sb->hk));
    /* tier 1 */
    int64_t mn = (int64_t)(e * 0.85), mx = (int64_t)(e * 1.15);
    int pass1 = c->profile == SN46_R1015 ? (int64_t)n >= mn && (int64_t)n <= mx : (int64_t)n >= mn;
    lpc_value *t1 = sn46_track(c, lpc_new_object());
    sn46_put(c, t1, "actual_count", sn46_track(c, lpc_new_int((int64_t)n)));
    sn46_put(c, t1, "expected_count", ev ? sn46_clone(c, ev) : sn46_track(c, lpc_new_int(dflt)));
    if (c->profile == SN46_R1015) {
        lpc_value *rg = sn46_track(c, lpc_new_array());
        sn46_push(c, rg, sn46_track(c, lpc_new_int(mn)));
        sn46_push(c, rg, sn46_track(c, lpc_new_int(mx)));
        sn46_put(c, t1, "expected_range", rg);
    } else
        sn46_put(c, t1, "min_expected", sn46_track(c, lpc_new_int(mn)));
    sn46_put(c, tier, "tier1", t1);
    if (!pass1) return 1;

    /* tier 2: four loops in order; an exception in an earlier loop wins */
    for (size_t i = 0; i < n; i++)
        if (ls->u.a.items[i]->type != LPC_OBJECT)
            return sn46_fail(c, LP_CODE_SCORER_WOULD_RAISE, "a listing is not an object"), -2;
    size_t complete = 0, reasonable = 0, consistent = 0, dups = 0;
    for (size_t i = 0; i < n; i++) {
        const lpc_value *l = ls->u.a.items[i];
        int ok = 1;
        for (size_t k = 0; k < sizeof k_fields / sizeof k_fields[0] && ok; k++) {
            const lpc_value *x = lpc_get(l, k_fields[k]);
            if (!x || x->type == LPC_NULL) ok = 0;
            else if (x->type == LPC_STR) {
                size_t off, len;
                lpc_py_strip(x->u.s.ptr, x->u.s.len, &off, &len);
                if (len == 0) ok = 0;
            }
        }
        complete += (size_t)ok;
    }
    for (size_t i = 0; i < n; i++) {
        const lpc_value *l = ls->u.a.items[i];
        int ok = 1, r;
        static const struct { const char *k; double lo, hi; int fl; } rules[] = {
            {"price", 10000, 50000000, 1}, {"bedrooms", 0, 20, 0}, {"bathrooms", 0, 20, 1}, {"sqft", 100, 100000, 0}};
        for (size_t k = 0; k < 4 && ok; k++) {
            const lpc_value *x = lpc_get(l, rules[k].k);
            if (!x || x->type == LPC_NULL) continue;
            if (sn46_py_in_range(c, x, rules[k].lo, rules[k].hi, rules[k].fl, &r)) return -2;
            if (!r) ok = 0;
        }
        reasonable += (size_t)ok;
    }
    int64_t clock = 0;
    int clock_ok = 0;
    {
        const lpc_value *cv = lpc_get(c->validator, "clock");
        int aware;
        if (cv && cv->type == LPC_STR && sn46_ts_parse(cv->u.s.ptr, cv->u.s.len, &clock, &aware) == 0 && aware) clock_ok = 1;
    }
    for (size_t i = 0; i < n; i++) {
        const lpc_value *l = ls->u.a.items[i];
        int ok = 1;
        const lpc_value *ld = lpc_get(l, "listing_date"), *st = lpc_get(l, "scraped_timestamp");
        if (lpc_py_truthy(ld)) {
            if (ld->type != LPC_STR) return sn46_fail(c, LP_CODE_SCORER_WOULD_RAISE, "listing_date is not a string"), -2;
            int64_t us;
            int aware;
            int r = iso_parse(c, ld, &us, &aware);
            if (r < 0) return -2;
            if (!r) ok = 0;
        }
        if (lpc_py_truthy(st)) {
            if (st->type != LPC_STR) return sn46_fail(c, LP_CODE_SCORER_WOULD_RAISE, "scraped_timestamp is not a string"), -2;
            int64_t us;
            int aware;
            int r = iso_parse(c, st, &us, &aware);
            if (r < 0) return -2;
            if (ok && r && aware) {
                if (!clock_ok) return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "validator.clock is needed and is not an RFC 3339 time"), -2;
                if (floordiv(clock - us, (int64_t)86400 * 1000000) > 1) ok = 0;
            } else if (ok)
                ok = 0;
        }
        consistent += (size_t)ok;
    }
    /* duplicates: address.strip().lower() + ":" + str(price) */
    char **keys = calloc(n ? n : 1, sizeof *keys);
    size_t *klen = calloc(n ? n : 1, sizeof *klen);
    if (!keys || !klen) { free(keys); free(klen); c->oom = 1; return -2; }
    int stop = 0;
    size_t nk = 0;
    for (size_t i = 0; i < n && !stop; i++) {
        const lpc_value *l = ls->u.a.items[i];
        const lpc_value *ad = lpc_get(l, "address"), *pr = lpc_get(l, "price");
        const char *ap = "";
        size_t an = 0;
        if (ad) {
            if (ad->type != LPC_STR) { sn46_fail(c, LP_CODE_SCORER_WOULD_RAISE, "address.strip on a non-string"); stop = 1; break; }
            size_t off;
            lpc_py_strip(ad->u.s.ptr, ad->u.s.len, &off, &an);
            ap = ad->u.s.ptr + off;
        }
        char pbuf[LPC_PY_STR_SCALAR_MAX];
        const char *pp = "None";
        size_t pn = 4;
        if (pr && lpc_py_str(pr, pbuf, &pp, &pn) != LPC_OK) { sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "str() of a container price"); stop = 1; break; }
        char *k = malloc(an + pn + 2);
        if (!k) { c->oom = 1; stop = 1; break; }
        for (size_t j = 0; j < an; j++) {
            unsigned char ch = (unsigned char)ap[j];
            if (ch >= 0x80) { free(k); sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "lower() of a non-ASCII address"); stop = 1; break; }
            k[j] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
        }
        if (stop) break;
        k[an] = ':';
        memcpy(k + an + 1, pp, pn);
        size_t kl = an + 1 + pn;
        int seen = 0;
        for (size_t j = 0; j < nk && !seen; j++) seen = klen[j] == kl && memcmp(keys[j], k, kl) == 0;
        if (seen) { dups++; free(k); }
        else { keys[nk] = k; klen[nk++] = kl; }
    }
    for (size_t j = 0; j < nk; j++) free(keys[j]);
    free(keys);
    free(klen);
    if (stop) return -2;
    double dn = n ? (double)n : 1.0;
    double fc = n ? (double)complete / dn : 0.0, rv = n ? (double)reasonable / dn : 0.0,
           dc = n ? (double)consistent / dn : 0.0, dr = n ? (double)dups / dn : 0.0;
    lpc_value *t2 = sn46_track(c, lpc_new_object());
    sn46_put(c, t2, "data_consistency", sn46_track(c, lpc_new_float(dc)));
    sn46_put(c, t2, "duplicate_rate", sn46_track(c, lpc_new_float(dr)));
    sn46_put(c, t2, "field_completeness", sn46_track(c, lpc_new_float(fc)));
    sn46_put(c, t2, "reasonable_values", sn46_track(c, lpc_new_float(rv)));
    sn46_put(c, tier, "tier2", t2);
    if (!(fc >= 0.90 && rv >= 0.95 && dc >= 0.90 && dr <= 0.05)) return 2;

    /* tier 3: seed "{nonce}:{hotkey}:{submission_timestamp}:{n}" */
    size_t k = 2;
    if (c->profile == SN46_R1015) {
        int64_t t = (int64_t)((double)n * 0.10);
        if (t < 3) t = 3;
        if (t > 10) t = 10;
        k = (size_t)t;
    }
    const lpc_value *ts = lpc_get(sb->file, "submission_timestamp");
    char tbuf[LPC_PY_STR_SCALAR_MAX];
    const char *tp;
    size_t tn;
    if (lpc_py_str(ts, tbuf, &tp, &tn) != LPC_OK) return sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "str() of a container timestamp"), -2;
    size_t sl = c->nonce->u.s.len + sb->hk->u.s.len + tn + 32;
    char *ss = malloc(sl);
    if (!ss) { c->oom = 1; return -2; }
    int sn = snprintf(ss, sl, "%.*s:%.*s:%.*s:%zu", (int)c->nonce->u.s.len, c->nonce->u.s.ptr, (int)sb->hk->u.s.len,
                      sb->hk->u.s.ptr, (int)tn, tp, n);
    char hex[LPC_SHA256_HEX_LEN + 1];
    if (sn < 0 || lpc_sha256_hex(ss, (size_t)sn, hex) != LPC_OK) { free(ss); c->oom = 1; return -2; }
    uint64_t seed = 0;
    for (int i = 0; i < 8; i++) seed = seed * 16 + (uint64_t)(hex[i] <= '9' ? hex[i] - '0' : hex[i] - 'a' + 10);
    if (n < k) { free(ss); return sn46_fail(c, LP_CODE_SCORER_WOULD_RAISE, "sample larger than population"), -2; }
    uint64_t want[16];
    lpc_pyrandom rnd;
    lpc_pyrandom_seed(&rnd, seed);
    if (lpc_pyrandom_sample_range(&rnd, n, k, want) != 0) { free(ss); return sn46_fail(c, LP_CODE_SCORER_WOULD_RAISE, "sample larger than population"), -2; }
    qsort(want, k, sizeof *want, cmp_u64);
    /* the validator's record */
    const lpc_value *rec = NULL;
    for (size_t i = 0; c->spot && i < c->spot->u.a.n && !rec; i++) {
        const lpc_value *r = c->spot->u.a.items[i];
        if (sn46_streq(lpc_get(r, "hotkey"), sb->hk) && lpc_py_eq(lpc_get(r, "zipcode"), zip)) rec = r;
    }
    if (!rec) { free(ss); return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "no spot-check record for a submission that reaches tier 3"), -2; }
    const lpc_value *li = lpc_get(rec, "listing_indices"), *rs = lpc_get(rec, "results"), *sch = lpc_get(rec, "scheme");
    const char *zs = zip->u.s.ptr;
    int zl = (int)zip->u.s.len;
    if ((sch && !lpc_str_eq(sch, "resi-seeded-sample") && !lpc_str_eq(sch, "unseeded")) || !li || !rs || li->type != LPC_ARRAY ||
        rs->type != LPC_ARRAY || li->u.a.n != k || rs->u.a.n != k) {
        free(ss);
        return sn46_fail(c, LP_CODE_SPOT_CHECK_RECORD_INVALID, "%.*s/%.*s: the record does not hold %zu indices and %zu results",
                         (int)sb->hk->u.s.len, sb->hk->u.s.ptr, zl, zs, k, k), -2;
    }
    uint64_t got[16];
    int valid = 0;
    for (size_t i = 0; i < k; i++) {
        int64_t v;
        const lpc_value *x = li->u.a.items[i], *r = rs->u.a.items[i];
        if (x->type != LPC_INT || !lpc_int_i64(x, &v) || v < 0 || (uint64_t)v >= n || r->type != LPC_BOOL) {
            free(ss);
            return sn46_fail(c, LP_CODE_SPOT_CHECK_RECORD_INVALID, "%.*s/%.*s: index or result %zu is invalid",
                             (int)sb->hk->u.s.len, sb->hk->u.s.ptr, zl, zs, i), -2;
        }
        for (size_t j = 0; j < i; j++)
            if (got[j] == (uint64_t)v) {
                free(ss);
                return sn46_fail(c, LP_CODE_SPOT_CHECK_RECORD_INVALID, "%.*s/%.*s: index repeated", (int)sb->hk->u.s.len,
                                 sb->hk->u.s.ptr, zl, zs), -2;
            }
        got[i] = (uint64_t)v;
        valid += r->u.b;
    }
    qsort(got, k, sizeof *got, cmp_u64);
    if (memcmp(got, want, k * sizeof *got) != 0) {
        char a[200], b[200];
        fmt_sorted(a, sizeof a, got, k);
        fmt_sorted(b, sizeof b, want, k);
        free(ss);
        return sn46_fail(c, LP_CODE_SPOT_CHECK_SAMPLE_MISMATCH, "%.*s/%.*s: checked %s but the upstream seeded sample is %s",
                         (int)sb->hk->u.s.len, sb->hk->u.s.ptr, zl, zs, a, b), -2;
    }
    lpc_value *t3 = sn46_track(c, lpc_new_object());
    lpc_value *ia = sn46_track(c, lpc_new_array());
    for (size_t i = 0; i < k; i++) sn46_push(c, ia, sn46_track(c, lpc_new_int((int64_t)want[i])));
    sn46_put(c, t3, "listing_indices", ia);
    if (c->beacon) {
        size_t lvs[16];
        if (sn46_lv_sample(c, sb->hk, zs, (size_t)zl, n, k, lvs)) { free(ss); return -2; }
        lpc_value *la = sn46_track(c, lpc_new_array());
        for (size_t i = 0; i < k; i++) sn46_push(c, la, sn46_track(c, lpc_new_int((int64_t)lvs[i])));
        sn46_put(c, t3, "lv_sample", la);
    }
    sn46_put(c, t3, "scheme", sn46_str(c, "resi-seeded-sample"));
    sn46_put(c, t3, "seed", sn46_track(c, lpc_new_int((int64_t)seed)));
    sn46_put(c, t3, "seed_string", sn46_track(c, lpc_new_str(ss, (size_t)sn)));
    sn46_put(c, t3, "total_checks", sn46_track(c, lpc_new_int((int64_t)k)));
    sn46_put(c, t3, "valid_count", sn46_track(c, lpc_new_int(valid)));
    sn46_put(c, tier, "tier3", t3);
    free(ss);
    return (double)valid / (double)k >= 0.80 ? -1 : 3;
}
