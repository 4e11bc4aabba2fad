/* Subnet 46 replay: the plan's rules (profile plan-2025-09-29, §7) with the per-miner
 * lv-spotcheck-v1 sample (§8, scope "*"). */
#include "audit/sn46_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_python.h"

#define PLAN_EVALUATED 6
#define SN46_PLAN_MAX_FILES 256   /* distinct zipcode files per miner (INPUT_TOO_LARGE beyond) */

static int has_sub_epoch(const sn46_ctx *c, const sn46_sub *s)
{
    const char *k = s->key->u.s.ptr;
    size_t n = s->key->u.s.len, e = c->epoch_id->u.s.len;
    for (size_t i = 0; i + 6 + e <= n; i++)
        if (memcmp(k + i, "epoch=", 6) == 0 && memcmp(k + i + 6, c->epoch_id->u.s.ptr, e) == 0) return 1;
    return 0;
}

typedef struct {
    const lpc_value *hk;
    int64_t uid;
    sn46_sub *files[SN46_PLAN_MAX_FILES];
    size_t nfiles;
    int has_files;
    const char *zeroed;      /* reason, or NULL */
    int eligible;            /* counted listings and not zeroed before ranking */
    int64_t t;               /* completion: max s3_last_modified of counted files */
    char tie[LPC_SHA256_HEX_LEN + 1];
    size_t position;         /* 1-based, 0 none */
    size_t N, complete;
    double C, V, Q, R;
    int64_t S;
    int evaluated, survived;
    size_t k, valid, idx[64];
} plan_miner;

static int cmp_sub_key(const void *a, const void *b)
{
    const sn46_sub *x = *(const sn46_sub *const *)a, *y = *(const sn46_sub *const *)b;
    int r = sn46_strcmp(x->key, y->key);
    if (r) return r;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int has_finding(const sn46_sub *s, const char *f)
{
    for (size_t i = 0; i < s->nf; i++)
        if (strcmp(s->findings[i], f) == 0) return 1;
    return 0;
}

static int counted(const sn46_sub *s)
{
    return !has_finding(s, "LATE_SUBMISSION") && !has_finding(s, "EARLY_UPLOAD") && !has_finding(s, "UNASSIGNED_ZIPCODE");
}

static int cmp_pos(const void *a, const void *b)
{
    const plan_miner *x = *(const plan_miner *const *)a, *y = *(const plan_miner *const *)b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return strcmp(x->tie, y->tie);
}

int sn46_plan(sn46_ctx *c, lpc_value *rep, lp_checks *ck)
{
    const lpc_value *pp = c->plan_params;
    const char *scheme = "95-5";
    double bp = 500, cap = 50;
    if (pp && pp->type == LPC_OBJECT) {
        const lpc_value *x = lpc_get(pp, "reward_scheme");
        if (x) {
            if (lpc_str_eq(x, "95-5")) scheme = "95-5";
            else if (lpc_str_eq(x, "60-30-10")) scheme = "60-30-10";
            else return sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "plan_params.reward_scheme");
        }
        if ((x = lpc_get(pp, "spot_check_bp")) && !lpc_number_as_double(x, &bp)) return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "spot_check_bp");
        if ((x = lpc_get(pp, "spot_check_cap")) && !lpc_number_as_double(x, &cap)) return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "spot_check_cap");
        if (!(bp >= 0 && bp <= 10000) || !(cap >= 0 && cap <= 1e9))
            return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "spot_check_bp must be in [0, 10000] and spot_check_cap in [0, 1e9]");
    }
    if (!c->beacon) return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "the plan profile's spot checks need a beacon");
    /* miners: every registered hotkey, uid order, one entry per hotkey */
    plan_miner *m = calloc(c->nn ? c->nn : 1, sizeof *m);
    plan_miner **ord = calloc(c->nn ? c->nn : 1, sizeof *ord);
    sn46_sub **mine = calloc(c->ns ? c->ns : 1, sizeof *mine);
    if (!m || !ord || !mine) { free(m); free(ord); free(mine); c->oom = 1; return -1; }
    size_t nm = 0;
    int rc = -1;
    for (int64_t u = 0; u <= 65535 && nm < c->nn; u++) {
        const lpc_value *hk = NULL;
        for (size_t j = 0; j < c->nn; j++)
            if (c->neurons[j].uid == u) { hk = c->neurons[j].hotkey; break; }
        if (!hk) continue;
        int dup = 0;
        for (size_t j = 0; j < nm && !dup; j++) dup = sn46_streq(m[j].hk, hk);
        if (dup) continue;
        m[nm].hk = hk;
        m[nm].uid = u;
        nm++;
    }
    const lpc_value *zs = c->zipcodes;
    for (size_t i = 0; i < nm; i++) {
        plan_miner *p = &m[i];
        size_t k = 0;
        for (size_t j = 0; j < c->ns; j++)
            if (sn46_streq(c->subs[j].hk, p->hk) && has_sub_epoch(c, &c->subs[j])) mine[k++] = &c->subs[j];
        qsort(mine, k, sizeof *mine, cmp_sub_key);
        for (size_t j = 0; j < k; j++) {
            const lpc_value *f = mine[j]->file, *z = lpc_get(f, "zipcode");
            if (f->type != LPC_OBJECT || !z) continue;
            p->has_files = 1;
            size_t q;
            for (q = 0; q < p->nfiles; q++)
                if (lpc_py_eq(lpc_get(p->files[q]->file, "zipcode"), z)) break;
            if (q < p->nfiles) p->files[q] = mine[j];
            else if (p->nfiles < SN46_PLAN_MAX_FILES) p->files[p->nfiles++] = mine[j];
            else { sn46_fail(c, LP_CODE_INPUT_TOO_LARGE, "a miner has more than %d zipcode files", SN46_PLAN_MAX_FILES); goto out; }
        }
        /* counted files, zeroing and eligibility */
        p->t = INT64_MIN;
        for (size_t q = 0; q < p->nfiles; q++) {
            sn46_sub *s = p->files[q];
            if (!counted(s)) continue;
            const lpc_value *ls = lpc_get(s->file, "listings");
            size_t n = ls && ls->type == LPC_ARRAY ? ls->u.a.n : 0;
            p->N += n;
            if (s->lm_us > p->t) p->t = s->lm_us;
            for (size_t f = 0; f < s->nf && !p->zeroed; f++)
                if (!strcmp(s->findings[f], "WRONG_EPOCH") || !strcmp(s->findings[f], "NONCE_MISSING") ||
                    !strcmp(s->findings[f], "NONCE_MISMATCH") || !strcmp(s->findings[f], "WRONG_ZIPCODE_LISTINGS"))
                    p->zeroed = s->findings[f];
        }
        if (p->has_files && p->N == 0) p->zeroed = "EMPTY_SUBMISSION";
        p->eligible = p->N > 0 && !p->zeroed;
        if (p->eligible) {
            size_t l = c->nonce->u.s.len + p->hk->u.s.len + 2;
            char *b = malloc(l);
            if (!b) { c->oom = 1; goto out; }
            int bn = snprintf(b, l, "%.*s:%.*s", (int)c->nonce->u.s.len, c->nonce->u.s.ptr, (int)p->hk->u.s.len, p->hk->u.s.ptr);
            lpc_sha256_hex(b, (size_t)bn, p->tie);
            free(b);
        }
    }
    size_t ne = 0;
    for (size_t i = 0; i < nm; i++)
        if (m[i].eligible) ord[ne++] = &m[i];
    qsort(ord, ne, sizeof *ord, cmp_pos);
    double esum = 0;
    for (size_t i = 0; i < zs->u.a.n; i++) {
        double e = 0;
        lpc_number_as_double(lpc_get(zs->u.a.items[i], "expectedListings"), &e);
        esum += e;
    }
    for (size_t i = 0; i < ne; i++) {
        plan_miner *p = ord[i];
        p->position = i + 1;
        p->S = 100 - 5 * (int64_t)i;
        if (p->S < 0) p->S = 0;
        /* C over counted listings; V over assigned zipcodes */
        double vnum = 0;
        for (size_t z = 0; z < zs->u.a.n; z++) {
            const lpc_value *zz = lpc_get(zs->u.a.items[z], "zipcode");
            double e = 0;
            lpc_number_as_double(lpc_get(zs->u.a.items[z], "expectedListings"), &e);
            for (size_t q = 0; q < p->nfiles; q++) {
                sn46_sub *s = p->files[q];
                if (!counted(s) || !lpc_py_eq(lpc_get(s->file, "zipcode"), zz)) continue;
                const lpc_value *ls = lpc_get(s->file, "listings");
                double n = ls && ls->type == LPC_ARRAY ? (double)ls->u.a.n : 0;   /* as N counts them */
                vnum += n < e ? n : e;
            }
        }
        for (size_t q = 0; q < p->nfiles; q++) {
            sn46_sub *s = p->files[q];
            if (!counted(s)) continue;
            const lpc_value *ls = lpc_get(s->file, "listings");
            for (size_t j = 0; ls && ls->type == LPC_ARRAY && j < ls->u.a.n; j++) {
                static const char *const req[] = {"zpid", "address", "price", "property_type", "listing_status"};
                int ok = 1;
                for (size_t r = 0; r < 5; r++) {
                    const lpc_value *x = lpc_get(ls->u.a.items[j], req[r]);
                    if (!x || x->type == LPC_NULL) ok = 0;
                }
                p->complete += (size_t)ok;
            }
        }
        p->C = (double)p->complete / (double)p->N;
        p->V = esum > 0 ? 100.0 * (vnum / esum) : 0.0;
        if (i >= PLAN_EVALUATED) continue;
        p->evaluated = 1;
        double kk = ceil((double)p->N * bp / 10000.0);
        if (kk < 1) kk = 1;
        if (kk > cap) kk = cap;
        if (kk > (double)p->N) kk = (double)p->N;
        if (kk > 64) { sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "spot-check sample above 64"); goto out; }
        p->k = (size_t)kk;
        const lpc_value *rec = NULL;
        for (size_t j = 0; c->spot && j < c->spot->u.a.n && !rec; j++) {
            const lpc_value *r = c->spot->u.a.items[j];
            if (sn46_streq(lpc_get(r, "hotkey"), p->hk) && lpc_str_eq(lpc_get(r, "zipcode"), "*")) rec = r;
        }
        if (!rec) { sn46_fail(c, LP_CODE_INPUT_MALFORMED, "no spot-check record for an evaluated plan miner"); goto out; }
        const lpc_value *li = lpc_get(rec, "listing_indices"), *rs = lpc_get(rec, "results"), *sch = lpc_get(rec, "scheme");
        if (!lpc_str_eq(sch, "lv-spotcheck-v1") || !li || !rs || li->type != LPC_ARRAY || rs->type != LPC_ARRAY ||
            li->u.a.n != p->k || rs->u.a.n != p->k) {
            sn46_fail(c, LP_CODE_SPOT_CHECK_RECORD_INVALID, "%.*s/*: the record is not an lv-spotcheck-v1 record of %zu indices and results",
                      (int)p->hk->u.s.len, p->hk->u.s.ptr, p->k);
            goto out;
        }
        size_t got[64];
        for (size_t j = 0; j < p->k; j++) {
            int64_t v;
            const lpc_value *x = li->u.a.items[j], *r = rs->u.a.items[j];
            if (x->type != LPC_INT || !lpc_int_i64(x, &v) || v < 0 || (uint64_t)v >= p->N || r->type != LPC_BOOL) {
                sn46_fail(c, LP_CODE_SPOT_CHECK_RECORD_INVALID, "%.*s/*: index or result %zu is invalid", (int)p->hk->u.s.len, p->hk->u.s.ptr, j);
                goto out;
            }
            for (size_t q = 0; q < j; q++)
                if (got[q] == (size_t)v) {
                    sn46_fail(c, LP_CODE_SPOT_CHECK_RECORD_INVALID, "%.*s/*: index repeated", (int)p->hk->u.s.len, p->hk->u.s.ptr);
                    goto out;
                }
            got[j] = (size_t)v;
            p->valid += (size_t)r->u.b;
        }
        for (size_t a = 1; a < p->k; a++)
            for (size_t b = a; b > 0 && got[b - 1] > got[b]; b--) { size_t t = got[b]; got[b] = got[b - 1]; got[b - 1] = t; }
        if (sn46_lv_sample(c, p->hk, "*", 1, p->N, p->k, p->idx)) goto out;
        if (memcmp(got, p->idx, p->k * sizeof *got) != 0) {
            sn46_fail(c, LP_CODE_SPOT_CHECK_SAMPLE_MISMATCH, "%.*s/*: checked other listings than the lv-spotcheck-v1 sample",
                      (int)p->hk->u.s.len, p->hk->u.s.ptr);
            goto out;
        }
        if (p->valid < p->k) {
            p->zeroed = "DISQUALIFIED_SPOT_CHECK";
            continue;
        }
        p->survived = 1;
        double A = (double)p->valid / (double)p->k;
        p->Q = (50.0 * p->C) + (50.0 * A);
        p->R = ((0.4 * (double)p->S) + (0.4 * p->Q)) + (0.2 * p->V);
    }
    /* ranking: survivors by R desc, ties by position; top 3 */
    plan_miner *top[3] = {NULL, NULL, NULL};
    size_t nt = 0;
    for (size_t r = 0; r < 3; r++) {
        plan_miner *best = NULL;
        for (size_t i = 0; i < ne; i++) {
            plan_miner *p = ord[i];
            if (!p->survived) continue;
            int used = 0;
            for (size_t j = 0; j < nt; j++) used |= top[j] == p;
            if (used) continue;
            if (!best || p->R > best->R) best = p;
        }
        if (best) top[nt++] = best;
    }
    int s95 = strcmp(scheme, "95-5") == 0;
    static const double sh95[3] = {0.50, 0.30, 0.15}, sh60[3] = {0.6, 0.3, 0.1};
    plan_miner **paid = calloc(ne + 3, sizeof *paid);
    double *amt = calloc(ne + 3, sizeof *amt);
    if (!paid || !amt) { free(paid); free(amt); c->oom = 1; goto out; }
    size_t np = 0;
    for (size_t i = 0; i < nt; i++) { paid[np] = top[i]; amt[np++] = s95 ? sh95[i] : sh60[i]; }
    if (s95) {
        size_t mcount = 0;
        for (size_t i = 0; i < ne; i++) {
            plan_miner *p = ord[i];
            if (p->zeroed || p == top[0] || p == top[1] || p == top[2]) continue;
            mcount++;
        }
        for (size_t i = 0; i < ne && mcount; i++) {
            plan_miner *p = ord[i];
            if (p->zeroed || p == top[0] || p == top[1] || p == top[2]) continue;
            paid[np] = p;
            amt[np++] = 0.05 / (double)mcount;
        }
    }
    double S = 0.0;
    for (size_t i = 0; i < np; i++) S = S + amt[i];
    lpc_value *ms = sn46_track(c, lpc_new_object());
    if (S > 0)
        for (size_t i = 0; i < np; i++) {
            lpc_value *x = sn46_track(c, lpc_new_float(amt[i] / S));
            if (x && lpc_object_set(ms, paid[i]->hk->u.s.ptr, paid[i]->hk->u.s.len, x) != LPC_OK) c->oom = 1;
        }
    free(paid);
    free(amt);
    lpc_value *plan = sn46_track(c, lpc_new_object());
    sn46_put(c, plan, "miner_scores", ms);
    lpc_value *rk = sn46_track(c, lpc_new_array());
    for (size_t i = 0; i < nt; i++) sn46_push(c, rk, sn46_clone(c, top[i]->hk));
    sn46_put(c, plan, "ranking", rk);
    lpc_value *tb = sn46_track(c, lpc_new_array());
    for (size_t i = 0; i < ne; i++) {
        plan_miner *p = ord[i];
        lpc_value *o = sn46_track(c, lpc_new_object());
        sn46_put(c, o, "C", sn46_track(c, lpc_new_float(p->C)));
        if (p->survived) {
            sn46_put(c, o, "Q", sn46_track(c, lpc_new_float(p->Q)));
            sn46_put(c, o, "R", sn46_track(c, lpc_new_float(p->R)));
        }
        sn46_put(c, o, "S", sn46_track(c, lpc_new_int(p->S)));
        sn46_put(c, o, "V", sn46_track(c, lpc_new_float(p->V)));
        sn46_put(c, o, "disposition", sn46_str(c, p->survived ? "SCORED" : p->evaluated ? "DISQUALIFIED_SPOT_CHECK" : "NOT_EVALUATED"));
        sn46_put(c, o, "hotkey", sn46_clone(c, p->hk));
        sn46_put(c, o, "position", sn46_track(c, lpc_new_int((int64_t)p->position)));
        if (p->evaluated) {
            lpc_value *sp = sn46_track(c, lpc_new_object());
            sn46_put(c, sp, "k", sn46_track(c, lpc_new_int((int64_t)p->k)));
            lpc_value *ia = sn46_track(c, lpc_new_array());
            for (size_t j = 0; j < p->k; j++) sn46_push(c, ia, sn46_track(c, lpc_new_int((int64_t)p->idx[j])));
            sn46_put(c, sp, "listing_indices", ia);
            sn46_put(c, sp, "valid_count", sn46_track(c, lpc_new_int((int64_t)p->valid)));
            sn46_put(c, o, "spot", sp);
        }
        sn46_push(c, tb, o);
    }
    sn46_put(c, plan, "table", tb);
    lpc_value *zo = sn46_track(c, lpc_new_object());
    for (size_t i = 0; i < nm; i++)
        if (m[i].zeroed) {
            lpc_value *x = sn46_str(c, m[i].zeroed);
            if (x && lpc_object_set(zo, m[i].hk->u.s.ptr, m[i].hk->u.s.len, x) != LPC_OK) c->oom = 1;
        }
    sn46_put(c, plan, "zeroed", zo);
    /* claims */
    const lpc_value *cps = c->claimed ? lpc_get(c->claimed, "plan_scores") : NULL;
    if (cps) lp_check_add(ck, "scores_match", lpc_py_eq(cps, ms) ? LP_CODE_OK : LP_CODE_SCORE_MISMATCH, "%s",
                          lpc_py_eq(cps, ms) ? "" : "plan miner_scores");
    lpc_value *msc = sn46_clone(c, ms);
    sn46_put(c, rep, "plan", plan);
    rc = sn46_weights(c, msc, rep, ck);
    lpc_free(msc);
out:
    free(m);
    free(ord);
    free(mine);
    return rc;
}
