/* Subnet 46 zipcode-epoch replay (sn46_replay.h): input shape, organisation (§5.2),
 * dispositions (§5.4), assignment checks (§4.3), the upstream scorer (§6), weights (§10),
 * claims (§11.2) and the report (§11.3). */
#include "audit/sn46_replay.h"
#include "audit/sn46_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/sn46_f32.h"
#include "canonical/lpc_dump.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_parse.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_weights.h"

static const char *const k_profiles[] = {"resi-2025-11-18", "resi-2025-10-29", "resi-2025-10-15",
                                         "plan-2025-09-29"};

int lp_sn46_profile_known(const char *name)
{
    if (!name) return 0;
    for (size_t i = 0; i < sizeof k_profiles / sizeof k_profiles[0]; i++)
        if (strcmp(name, k_profiles[i]) == 0) return 1;
    return 0;
}

const char *lp_sn46_code_name(lp_code c)
{
    return lp_code_name(c);
}

/* ---- failure plumbing ---------------------------------------------------------- */

int sn46_fail(sn46_ctx *c, lp_code code, const char *fmt, ...)
{
    if (c->code == LP_CODE_OK) {
        c->code = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->msg, sizeof c->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

lpc_value *sn46_track(sn46_ctx *c, lpc_value *v)
{
    if (!v) c->oom = 1;
    return v;
}

void sn46_put(sn46_ctx *c, lpc_value *o, const char *k, lpc_value *v)
{
    if (!o || !v) {
        if (!v) c->oom = 1;
        lpc_free(v);
        return;
    }
    if (lpc_object_set(o, k, strlen(k), v) != LPC_OK) c->oom = 1;
}

void sn46_push(sn46_ctx *c, lpc_value *a, lpc_value *v)
{
    if (!a || !v) {
        if (!v) c->oom = 1;
        lpc_free(v);
        return;
    }
    if (lpc_array_append(a, v) != LPC_OK) c->oom = 1;
}

lpc_value *sn46_clone(sn46_ctx *c, const lpc_value *v)
{
    lpc_value *out = NULL;
    if (!v) return sn46_track(c, lpc_new_null());
    if (lpc_clone(v, &out) != LPC_OK) c->oom = 1;
    return out;
}

lpc_value *sn46_str(sn46_ctx *c, const char *s)
{
    return sn46_track(c, lpc_new_str(s, strlen(s)));
}

int sn46_streq(const lpc_value *a, const lpc_value *b)
{
    return a && b && a->type == LPC_STR && b->type == LPC_STR && a->u.s.len == b->u.s.len &&
           memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
}

/* Python's byte-order comparison of two WTF-8 strings. */
int sn46_strcmp(const lpc_value *a, const lpc_value *b)
{
    size_t n = a->u.s.len < b->u.s.len ? a->u.s.len : b->u.s.len;
    int r = memcmp(a->u.s.ptr, b->u.s.ptr, n);
    if (r) return r;
    return a->u.s.len < b->u.s.len ? -1 : a->u.s.len > b->u.s.len;
}

/* ---- timestamps: the portable subset (§6.8.4) ------------------------------------ */

static int dig(const char *s, size_t i, size_t n, unsigned k, int *out)
{
    int v = 0;
    for (unsigned j = 0; j < k; j++) {
        if (i + j >= n || s[i + j] < '0' || s[i + j] > '9') return 0;
        v = v * 10 + (s[i + j] - '0');
    }
    *out = v;
    return 1;
}

int sn46_ts_parse(const char *s, size_t n, int64_t *us, int *aware)
{
    int y, mo, d, hh = 0, mi = 0, ss = 0, frac = 0, oh = 0, om = 0, sign = 0;
    size_t i = 0;
    int anydigit = 0;
    for (size_t j = 0; j < n; j++)
        if (s[j] >= '0' && s[j] <= '9') anydigit = 1;
    if (!anydigit) return -1;
    if (!dig(s, 0, n, 4, &y) || n < 10 || s[4] != '-' || !dig(s, 5, n, 2, &mo) || s[7] != '-' ||
        !dig(s, 8, n, 2, &d))
        return -2;
    i = 10;
    *aware = 0;
    if (i < n) {
        if (s[i] != 'T' && s[i] != ' ') return -2;
        i++;
        if (!dig(s, i, n, 2, &hh) || i + 2 >= n || s[i + 2] != ':' || !dig(s, i + 3, n, 2, &mi))
            return -2;
        i += 5;
        if (i < n && s[i] == ':') {
            if (!dig(s, i + 1, n, 2, &ss)) return -2;
            i += 3;
            if (i < n && s[i] == '.') {
                size_t k = 0;
                i++;
                while (i < n && s[i] >= '0' && s[i] <= '9' && k < 7) {
                    frac = frac * 10 + (s[i] - '0');
                    i++;
                    k++;
                }
                if (k == 0 || k > 6) return -2;
                for (; k < 6; k++) frac *= 10;
            }
        }
        if (i < n) {
            if (s[i] == 'Z' && i + 1 == n) {
                *aware = 1;
                i++;
            } else if ((s[i] == '+' || s[i] == '-') && i + 6 == n && s[i + 3] == ':' &&
                       dig(s, i + 1, n, 2, &oh) && dig(s, i + 4, n, 2, &om)) {
                sign = s[i] == '-' ? -1 : 1;
                *aware = 1;
                i = n;
            } else
                return -2;
        }
    }
    if (i != n) return -2;
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || mo < 1 || mo > 12 || d < 1) return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[mo - 1] + (mo == 2 && leap)) return -1;
    if (hh > 23 || mi > 59 || ss > 59 || oh > 23 || om > 59) return -1;
    int64_t days = lpc_days_from_civil(y, (unsigned)mo, (unsigned)d);
    int64_t t = ((days * 24 + hh) * 60 + mi) * 60 + ss;
    t -= (int64_t)sign * (oh * 3600 + om * 60);
    *us = t * 1000000 + frac;
    return 0;
}

/* pydantic v2 datetime acceptance (§6.8.4): 1 accepted, 0 rejected, -2 unsupported. */
int sn46_pydantic_dt(const lpc_value *v)
{
    if (!v) return 0;
    if (v->type == LPC_INT) {
        if (v->u.i.len > 16) return -2;
        return 1;
    }
    if (v->type == LPC_FLOAT) {
        if (!isfinite(v->u.f)) return 0;
        if (fabs(v->u.f) > 2.5e14) return -2;
        return 1;
    }
    if (v->type != LPC_STR) return 0;
    const char *s = v->u.s.ptr;
    size_t n = v->u.s.len, i = 0;
    if (i < n && s[i] == '-') i++;
    size_t d0 = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    if (i > d0) {
        size_t ip = i - d0;
        int ok = i == n;
        if (!ok && s[i] == '.') {
            size_t f0 = ++i;
            while (i < n && s[i] >= '0' && s[i] <= '9') i++;
            ok = i == n && i > f0;
        }
        if (ok) return ip > 15 ? -2 : 1;
    }
    int64_t us;
    int aware;
    int r = sn46_ts_parse(s, n, &us, &aware);
    return r == 0 ? 1 : r == -1 ? 0 : -2;
}

/* ---- input shape ----------------------------------------------------------------- */

static int need(sn46_ctx *c, const lpc_value *o, const char *k, lpc_type t, const lpc_value **out)
{
    const lpc_value *v = lpc_get(o, k);
    if (!v || v->type != t) return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "%s missing or not a %s", k,
                                             t == LPC_STR ? "string" : t == LPC_ARRAY ? "list" : t == LPC_OBJECT ? "dict" : "value");
    *out = v;
    return 0;
}

static int get_i64(const lpc_value *v, int64_t *out)
{
    return v && v->type == LPC_INT && lpc_int_i64(v, out);
}

static int parse_time_field(sn46_ctx *c, const lpc_value *o, const char *k, int64_t *us, int required)
{
    const lpc_value *v = lpc_get(o, k);
    if (!v) {
        if (required) return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "%s missing", k);
        return 1;
    }
    int aware;
    if (v->type != LPC_STR || sn46_ts_parse(v->u.s.ptr, v->u.s.len, us, &aware) != 0 || !aware)
        return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "%s is not an RFC 3339 time", k);
    return 0;
}

/* §6.8.3: standard JSON only; the parser (Python's json.loads) also takes NaN and
 * Infinity, which the replay input must not hold. */
static int all_finite(const lpc_value *v)
{
    if (v->type == LPC_FLOAT) return isfinite(v->u.f);
    if (v->type == LPC_ARRAY) {
        for (size_t i = 0; i < v->u.a.n; i++)
            if (!all_finite(v->u.a.items[i])) return 0;
    } else if (v->type == LPC_OBJECT)
        for (size_t i = 0; i < v->u.o.n; i++)
            if (!all_finite(v->u.o.items[i].val)) return 0;
    return 1;
}

static int load_input(sn46_ctx *c)
{
    const lpc_value *r = c->root, *v = NULL;
    if (!r || r->type != LPC_OBJECT) return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "input is not an object");
    if (!all_finite(r)) return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "NaN or Infinity is not standard JSON");
    if (need(c, r, "format", LPC_STR, &v)) return -1;
    if (!lpc_str_eq(v, "leadpoet-verify/sn46-epoch-replay/1"))
        return sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "format is not leadpoet-verify/sn46-epoch-replay/1");
    if (!c->profile_name) {
        if (need(c, r, "profile", LPC_STR, &v)) return -1;
        c->profile_name = v->u.s.ptr;
    }
    if (strcmp(c->profile_name, "resi-2025-11-18") == 0) c->profile = SN46_R1118;
    else if (strcmp(c->profile_name, "resi-2025-10-29") == 0) c->profile = SN46_R1029;
    else if (strcmp(c->profile_name, "resi-2025-10-15") == 0) c->profile = SN46_R1015;
    else if (strcmp(c->profile_name, "plan-2025-09-29") == 0) c->profile = SN46_PLAN;
    else return sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "unknown profile");

    const lpc_value *a = NULL;
    if (need(c, r, "assignment", LPC_OBJECT, &a)) return -1;
    c->a = a;
    if (need(c, a, "epochId", LPC_STR, &c->epoch_id) || need(c, a, "nonce", LPC_STR, &c->nonce) ||
        need(c, a, "zipcodes", LPC_ARRAY, &c->zipcodes))
        return -1;
    if (parse_time_field(c, a, "epochStart", &c->start_us, 1) < 0 ||
        parse_time_field(c, a, "epochEnd", &c->end_us, 1) < 0)
        return -1;
    int rc = parse_time_field(c, a, "submissionDeadline", &c->deadline_us, 0);
    if (rc < 0) return -1;
    c->has_deadline = rc == 0;
    if (!c->has_deadline) c->deadline_us = c->end_us;
    v = lpc_get(a, "targetListings");
    if (!v || (v->type != LPC_INT && v->type != LPC_FLOAT))
        return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "targetListings missing or not a number");
    v = lpc_get(a, "tolerancePercent");
    if (!v || (v->type != LPC_INT && v->type != LPC_FLOAT))
        return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "tolerancePercent missing or not a number");
    if (c->zipcodes->u.a.n > LP_SN46_MAX_ZIPCODES) return sn46_fail(c, LP_CODE_INPUT_TOO_LARGE, "more than %zu zipcodes", LP_SN46_MAX_ZIPCODES);
    for (size_t i = 0; i < c->zipcodes->u.a.n; i++) {
        const lpc_value *z = c->zipcodes->u.a.items[i];
        if (z->type != LPC_OBJECT || !lpc_get(z, "zipcode") || !lpc_get(z, "expectedListings"))
            return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "assignment.zipcodes[%zu] lacks zipcode/expectedListings", i);
    }
    v = lpc_get(r, "assignment_history");
    if (v && v->type != LPC_ARRAY) return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "assignment_history is not a list");
    c->history = v;
    if (v && v->u.a.n > LP_SN46_MAX_HISTORY) return sn46_fail(c, LP_CODE_INPUT_TOO_LARGE, "more than %zu history epochs", LP_SN46_MAX_HISTORY);
    if (v)
        for (size_t i = 0; i < v->u.a.n; i++) {
            const lpc_value *h = v->u.a.items[i], *x = NULL;
            int64_t t;
            if (h->type != LPC_OBJECT || need(c, h, "epochId", LPC_STR, &x) || need(c, h, "zipcodes", LPC_ARRAY, &x) ||
                parse_time_field(c, h, "epochStart", &t, 1) < 0)
                return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "assignment_history[%zu] malformed", i);
            if (x->u.a.n > LP_SN46_MAX_ZIPCODES) return sn46_fail(c, LP_CODE_INPUT_TOO_LARGE, "history zipcodes");
        }
    c->policy = lpc_get(r, "selection_policy");
    if (c->policy && c->policy->type != LPC_OBJECT) return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "selection_policy is not a dict");

    const lpc_value *mg = NULL, *ns = NULL;
    if (need(c, r, "metagraph", LPC_OBJECT, &mg) || need(c, mg, "neurons", LPC_ARRAY, &ns)) return -1;
    if (ns->u.a.n > LP_SN46_MAX_NEURONS) return sn46_fail(c, LP_CODE_INPUT_TOO_LARGE, "more than %zu neurons", LP_SN46_MAX_NEURONS);
    c->nn = ns->u.a.n;
    c->neurons = calloc(c->nn ? c->nn : 1, sizeof *c->neurons);
    if (!c->neurons) { c->oom = 1; return -1; }
    for (size_t i = 0; i < c->nn; i++) {
        const lpc_value *nv = ns->u.a.items[i], *hk = NULL, *st = NULL, *vp;
        sn46_neuron *ne = &c->neurons[i];
        if (nv->type != LPC_OBJECT || !get_i64(lpc_get(nv, "uid"), &ne->uid) || ne->uid < 0 || ne->uid > 65535 ||
            need(c, nv, "hotkey", LPC_STR, &hk) || !(st = lpc_get(nv, "stake")) ||
            !lpc_number_as_double(st, &ne->stake) || st->type == LPC_BOOL)
            return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "metagraph.neurons[%zu] malformed", i);
        vp = lpc_get(nv, "validator_permit");
        ne->permit = lpc_py_truthy(vp);
        ne->hotkey = hk;
    }

    const lpc_value *subs = NULL;
    if (need(c, r, "submissions", LPC_ARRAY, &subs)) return -1;
    if (subs->u.a.n > LP_SN46_MAX_SUBMISSIONS) return sn46_fail(c, LP_CODE_INPUT_TOO_LARGE, "more than %zu submissions", LP_SN46_MAX_SUBMISSIONS);
    c->ns = subs->u.a.n;
    c->subs = calloc(c->ns ? c->ns : 1, sizeof *c->subs);
    if (!c->subs) { c->oom = 1; return -1; }
    for (size_t i = 0; i < c->ns; i++) {
        const lpc_value *s = subs->u.a.items[i];
        sn46_sub *sb = &c->subs[i];
        sb->index = i;
        if (s->type != LPC_OBJECT || need(c, s, "path_hotkey", LPC_STR, &sb->hk) || need(c, s, "s3_key", LPC_STR, &sb->key))
            return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "submissions[%zu] malformed", i);
        if (parse_time_field(c, s, "s3_last_modified", &sb->lm_us, 1) < 0) return -1;
        sb->file = lpc_get(s, "file");
        if (!sb->file) return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "submissions[%zu].file missing", i);
        const lpc_value *ls = lpc_get(sb->file, "listings");
        if (ls && ls->type == LPC_ARRAY && ls->u.a.n > LP_SN46_MAX_LISTINGS)
            return sn46_fail(c, LP_CODE_INPUT_TOO_LARGE, "submissions[%zu] has more than %zu listings", i, LP_SN46_MAX_LISTINGS);
        sb->uid = -1;
        for (size_t j = 0; j < c->nn; j++)
            if (sn46_streq(c->neurons[j].hotkey, sb->hk) && (sb->uid < 0 || c->neurons[j].uid < sb->uid)) {
                sb->uid = c->neurons[j].uid;
                sb->stake = c->neurons[j].stake;
            }
    }
    v = lpc_get(r, "spot_checks");
    if (v && v->type != LPC_ARRAY) return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "spot_checks is not a list");
    if (v && v->u.a.n > LP_SN46_MAX_SPOT_CHECKS) return sn46_fail(c, LP_CODE_INPUT_TOO_LARGE, "too many spot_checks");
    c->spot = v;
    if (v)
        for (size_t i = 0; i < v->u.a.n; i++) {
            const lpc_value *x = v->u.a.items[i], *y = NULL;
            if (x->type != LPC_OBJECT || need(c, x, "hotkey", LPC_STR, &y) || !lpc_get(x, "zipcode"))
                return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "spot_checks[%zu] malformed", i);
        }
    const lpc_value *val = NULL, *ch = NULL;
    if (need(c, r, "validator", LPC_OBJECT, &val) || need(c, r, "chain", LPC_OBJECT, &ch)) return -1;
    c->validator = val;
    if (!get_i64(lpc_get(val, "uid"), &c->vuid)) c->vuid = -1;
    c->vpermit_limit = 10000;
    v = lpc_get(val, "vpermit_rao_limit");
    if (v && !lpc_number_as_double(v, &c->vpermit_limit)) return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "vpermit_rao_limit");
    c->py312 = lpc_str_eq(lpc_get(val, "python"), "3.12");
    v = lpc_get(val, "python");
    if (v && !lpc_str_eq(v, "3.11") && !c->py312) return sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "validator.python must be 3.11 or 3.12");
    if (!get_i64(lpc_get(ch, "n"), &c->chain_n) || c->chain_n < 1 || c->chain_n > (int64_t)LP_SN46_MAX_NEURONS ||
        !get_i64(lpc_get(ch, "min_allowed_weights"), &c->min_allowed) ||
        !get_i64(lpc_get(ch, "max_weights_limit_u16"), &c->max_limit_u16) || c->max_limit_u16 < 0 || c->max_limit_u16 > 65535 ||
        !get_i64(lpc_get(ch, "burn_uid"), &c->burn_uid))
        return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "chain malformed");
    v = lpc_get(ch, "burn_mode");
    if (lpc_str_eq(v, "none")) c->burn = SN46_BURN_NONE;
    else if (lpc_str_eq(v, "burn90")) c->burn = SN46_BURN90;
    else if (lpc_str_eq(v, "burn100")) c->burn = SN46_BURN100;
    else return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "chain.burn_mode");
    c->beacon = lpc_get(r, "beacon");
    if (c->beacon && c->beacon->type == LPC_NULL) c->beacon = NULL;
    if (c->beacon && (c->beacon->type != LPC_OBJECT || !lpc_get(c->beacon, "value") ||
                      lpc_get(c->beacon, "value")->type != LPC_STR))
        return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "beacon malformed");
    c->claimed = lpc_get(r, "claimed");
    if (c->claimed && c->claimed->type == LPC_NULL) c->claimed = NULL;
    if (c->claimed && c->claimed->type != LPC_OBJECT) return sn46_fail(c, LP_CODE_INPUT_MALFORMED, "claimed is not a dict");
    c->plan_params = lpc_get(r, "plan_params");
    return 0;
}

/* ---- assignment checks (§4.3) ------------------------------------------------------ */

static int zip5(const lpc_value *z)
{
    if (!z || z->type != LPC_STR || z->u.s.len != 5) return 0;
    for (size_t i = 0; i < 5; i++)
        if (z->u.s.ptr[i] < '0' || z->u.s.ptr[i] > '9') return 0;
    return 1;
}

static void fmt_num(char *buf, size_t cap, double x, int is_int, int64_t iv)
{
    if (is_int) snprintf(buf, cap, "%lld", (long long)iv);
    else {
        lpc_value fv;
        memset(&fv, 0, sizeof fv);
        fv.type = LPC_FLOAT;
        fv.u.f = x;
        char tmp[LPC_PY_STR_SCALAR_MAX];
        const char *p;
        size_t n;
        if (lpc_py_str(&fv, tmp, &p, &n) == LPC_OK) snprintf(buf, cap, "%.*s", (int)n, p);
        else snprintf(buf, cap, "%.17g", x);
    }
}

static void assignment_checks(sn46_ctx *c, lp_checks *ck, lpc_value *rep)
{
    const lpc_value *zs = c->zipcodes;
    char why[160] = "";
    /* A1 */
    int64_t total_i = 0;
    double total_f = 0.0;
    int total_is_int = 1;
    if (zs->u.a.n == 0) snprintf(why, sizeof why, "no zipcodes");
    for (size_t i = 0; i < zs->u.a.n; i++) {
        const lpc_value *z = lpc_get(zs->u.a.items[i], "zipcode");
        const lpc_value *e = lpc_get(zs->u.a.items[i], "expectedListings");
        int64_t ev;
        if (!why[0] && !zip5(z)) snprintf(why, sizeof why, "zipcodes[%zu] is not 5 digits", i);
        for (size_t j = 0; j < i && !why[0]; j++)
            if (sn46_streq(z, lpc_get(zs->u.a.items[j], "zipcode"))) snprintf(why, sizeof why, "zipcode repeated");
        if (e->type == LPC_INT && lpc_int_i64(e, &ev) && ev >= 0 && ev <= ((int64_t)1 << 40)) {
            total_i += ev;
            total_f += (double)ev;
        } else {
            double d;
            if (!why[0]) snprintf(why, sizeof why, "zipcodes[%zu].expectedListings is not a non-negative integer", i);
            if (lpc_number_as_double(e, &d)) total_f += d;
            total_is_int = 0;
        }
    }
    if (!why[0] && c->end_us - c->start_us != (int64_t)4 * 3600 * 1000000) snprintf(why, sizeof why, "epoch is not 4 h");
    int64_t ss = c->start_us / 1000000;
    if (!why[0] && (c->start_us % 1000000 != 0 || ((ss % 14400) + 14400) % 14400 != 0))
        snprintf(why, sizeof why, "epochStart is not a 4-hour boundary");
    if (!why[0]) {
        char id[LPC_RFC3339_LEN];
        if (lpc_time_format(ss, id) == 0) {
            char want[32];
            snprintf(want, sizeof want, "%.13s-00-00", id);
            if (!lpc_str_eq(c->epoch_id, want)) snprintf(why, sizeof why, "epochId does not name epochStart");
        }
    }
    if (!why[0] && c->has_deadline && c->deadline_us != c->end_us) snprintf(why, sizeof why, "submissionDeadline is not epochEnd");
    if (!why[0]) {
        int ok = c->nonce->u.s.len == 16;
        for (size_t i = 0; ok && i < 16; i++) {
            char ch = c->nonce->u.s.ptr[i];
            ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
        }
        if (!ok) snprintf(why, sizeof why, "nonce is not 16 lower-case hex digits");
    }
    const lpc_value *md = lpc_get(c->a, "metadata");
    if (!why[0] && md && md->type == LPC_OBJECT) {
        const lpc_value *t = lpc_get(md, "totalExpectedListings"), *zc = lpc_get(md, "zipcodeCount");
        double d;
        if (t && !(total_is_int && lpc_number_as_double(t, &d) && d == (double)total_i)) snprintf(why, sizeof why, "metadata.totalExpectedListings disagrees");
        if (!why[0] && zc && !(lpc_number_as_double(zc, &d) && d == (double)zs->u.a.n)) snprintf(why, sizeof why, "metadata.zipcodeCount disagrees");
    }
    if (!why[0] && c->history)
        for (size_t i = 0; i < c->history->u.a.n && !why[0]; i++)
            if (sn46_streq(lpc_get(c->history->u.a.items[i], "nonce"), c->nonce)) snprintf(why, sizeof why, "nonce reused from a history epoch");
    lp_check_add(ck, "assignment_consistent", why[0] ? LP_CODE_ASSIGNMENT_INCONSISTENT : LP_CODE_OK, "%s", why);

    /* A2 */
    double target, tolp;
    lpc_number_as_double(lpc_get(c->a, "targetListings"), &target);
    lpc_number_as_double(lpc_get(c->a, "tolerancePercent"), &tolp);
    double tol = target * (tolp / 100.0), lo = target - tol, hi = target + tol;
    double T = total_is_int ? (double)total_i : total_f;
    int within = lo <= T && T <= hi;
    char a1[40], a2[40], a3[40];
    fmt_num(a1, sizeof a1, T, total_is_int, total_i);
    fmt_num(a2, sizeof a2, lo, 0, 0);
    fmt_num(a3, sizeof a3, hi, 0, 0);
    lp_check_add(ck, "assignment_within_tolerance", within ? LP_CODE_OK : LP_CODE_ASSIGNMENT_OUT_OF_TOLERANCE,
                 "sum %s vs [%s, %s]", a1, a2, a3);

    /* A3 */
    lpc_value *oob = sn46_track(c, lpc_new_array());
    const lpc_value *pmin = c->policy ? lpc_get(c->policy, "minZipcodeListings") : NULL;
    const lpc_value *pmax = c->policy ? lpc_get(c->policy, "maxZipcodeListings") : NULL;
    char oobd[LP_CHECK_DETAIL_MAX] = "";
    if (pmin) {
        double mn = 0, mx = INFINITY;
        lpc_number_as_double(pmin, &mn);
        if (pmax) lpc_number_as_double(pmax, &mx);
        for (size_t i = 0; i < zs->u.a.n; i++) {
            double e;
            const lpc_value *z = lpc_get(zs->u.a.items[i], "zipcode");
            if (lpc_number_as_double(lpc_get(zs->u.a.items[i], "expectedListings"), &e) && (e < mn || e > mx)) {
                sn46_push(c, oob, sn46_clone(c, z));
                if (z->type == LPC_STR && strlen(oobd) + z->u.s.len + 3 < sizeof oobd)
                    snprintf(oobd + strlen(oobd), sizeof oobd - strlen(oobd), "%s%.*s", oobd[0] ? ", " : "", (int)z->u.s.len, z->u.s.ptr);
            }
        }
    }
    lp_check_add(ck, "assignment_zipcode_bounds", oob && oob->u.a.n ? LP_CODE_ASSIGNMENT_OUT_OF_BOUNDS : LP_CODE_OK, "%s", oobd);

    /* A4 */
    lpc_value *cool = sn46_track(c, lpc_new_array());
    char coold[LP_CHECK_DETAIL_MAX] = "";
    double hours = 24;
    const lpc_value *ch = c->policy ? lpc_get(c->policy, "cooldownHours") : NULL;
    if (ch) lpc_number_as_double(ch, &hours);
    if (!(hours >= 0)) hours = 0;            /* NaN or negative: no window */
    if (hours > 1e6) hours = 1e6;            /* beyond any history: keeps the cast defined */
    int64_t win = (int64_t)(hours * 3600.0 * 1000000.0);
    if (c->history)
        for (size_t h = 0; h < c->history->u.a.n; h++) {
            const lpc_value *he = c->history->u.a.items[h];
            int64_t s = 0;
            int aware;
            const lpc_value *st = lpc_get(he, "epochStart");
            sn46_ts_parse(st->u.s.ptr, st->u.s.len, &s, &aware);
            if (!(c->start_us - win < s && s < c->start_us)) continue;
            const lpc_value *hz = lpc_get(he, "zipcodes");
            for (size_t i = 0; i < zs->u.a.n; i++) {
                const lpc_value *z = lpc_get(zs->u.a.items[i], "zipcode");
                for (size_t j = 0; j < hz->u.a.n; j++) {
                    const lpc_value *x = hz->u.a.items[j];
                    const lpc_value *xz = x->type == LPC_OBJECT ? lpc_get(x, "zipcode") : x;
                    if (!sn46_streq(xz, z)) continue;
                    lpc_value *o = sn46_track(c, lpc_new_object());
                    sn46_put(c, o, "previous_epoch", sn46_clone(c, lpc_get(he, "epochId")));
                    sn46_put(c, o, "zipcode", sn46_clone(c, z));
                    sn46_push(c, cool, o);
                    const lpc_value *eid = lpc_get(he, "epochId");
                    if (strlen(coold) + z->u.s.len + eid->u.s.len + 4 < sizeof coold)
                        snprintf(coold + strlen(coold), sizeof coold - strlen(coold), "%s%.*s@%.*s", coold[0] ? ", " : "",
                                 (int)z->u.s.len, z->u.s.ptr, (int)eid->u.s.len, eid->u.s.ptr);
                    break;
                }
            }
        }
    lp_check_add(ck, "assignment_cooldown", cool && cool->u.a.n ? LP_CODE_ASSIGNMENT_COOLDOWN_VIOLATION : LP_CODE_OK, "%s", coold);

    lpc_value *ao = sn46_track(c, lpc_new_object());
    sn46_put(c, ao, "cooldown_violations", cool);
    sn46_put(c, ao, "max_target", sn46_track(c, lpc_new_float(hi)));
    sn46_put(c, ao, "min_target", sn46_track(c, lpc_new_float(lo)));
    sn46_put(c, ao, "out_of_bounds", oob);
    sn46_put(c, ao, "total_expected", total_is_int ? sn46_track(c, lpc_new_int(total_i)) : sn46_track(c, lpc_new_float(total_f)));
    sn46_put(c, ao, "within_tolerance", sn46_track(c, lpc_new_bool(within)));
    sn46_put(c, rep, "assignment", ao);
}

/* ---- organisation (§5.2) and dispositions (§5.4) ------------------------------------- */

static int has_sub(const lpc_value *s, const char *needle, size_t nlen)
{
    if (s->u.s.len < nlen) return 0;
    for (size_t i = 0; i + nlen <= s->u.s.len; i++)
        if (memcmp(s->u.s.ptr + i, needle, nlen) == 0) return 1;
    return 0;
}

static int has_sub2(const lpc_value *s, const char *pre, const lpc_value *v)
{
    char buf[512];
    size_t pl = strlen(pre);
    if (pl + v->u.s.len > sizeof buf) return 0;
    memcpy(buf, pre, pl);
    memcpy(buf + pl, v->u.s.ptr, v->u.s.len);
    return has_sub(s, buf, pl + v->u.s.len);
}

/* Segment of the key "data/hotkey=H/epoch=E/zipcode=Z/data_YYYYmmdd_HHMMSS.json". */
static int key_parts(const lpc_value *key, const char **hk, size_t *hkn, const char **zp, size_t *zpn)
{
    const char *s = key->u.s.ptr, *e = s + key->u.s.len;
    const char *seg[4];
    size_t sl[4];
    if (key->u.s.len < 5 || memcmp(s, "data/", 5) != 0) return 0;
    s += 5;
    for (int i = 0; i < 4; i++) {
        const char *q = memchr(s, '/', (size_t)(e - s));
        if (i == 3) {
            if (q) return 0;
            q = e;
        } else if (!q)
            return 0;
        seg[i] = s;
        sl[i] = (size_t)(q - s);
        s = q + 1;
    }
    if (sl[0] < 8 || memcmp(seg[0], "hotkey=", 7) != 0) return 0;
    if (sl[1] < 7 || memcmp(seg[1], "epoch=", 6) != 0) return 0;
    if (sl[2] < 9 || memcmp(seg[2], "zipcode=", 8) != 0) return 0;
    if (sl[3] != 25 || memcmp(seg[3], "data_", 5) != 0 || seg[3][13] != '_' || memcmp(seg[3] + 20, ".json", 5) != 0) return 0;
    for (int i = 5; i < 20; i++)
        if (i != 13 && (seg[3][i] < '0' || seg[3][i] > '9')) return 0;
    *hk = seg[0] + 7;
    *hkn = sl[0] - 7;
    *zp = seg[2] + 8;
    *zpn = sl[2] - 8;
    return 1;
}

static const lpc_value *assigned_entry(sn46_ctx *c, const lpc_value *z)
{
    for (size_t i = 0; i < c->zipcodes->u.a.n; i++)
        if (sn46_streq(lpc_get(c->zipcodes->u.a.items[i], "zipcode"), z)) return c->zipcodes->u.a.items[i];
    return NULL;
}

static void add_finding(sn46_sub *sb, const char *f)
{
    if (sb->nf < SN46_MAX_FINDINGS) sb->findings[sb->nf++] = f;
}

static int sub_has(const sn46_sub *sb, const char *f)
{
    for (size_t i = 0; i < sb->nf; i++)
        if (strcmp(sb->findings[i], f) == 0) return 1;
    return 0;
}

static void dispositions(sn46_ctx *c, sn46_sub *sb)
{
    const lpc_value *f = sb->file;
    const char *hk = NULL, *zp = NULL;
    size_t hkn = 0, zpn = 0;
    int std = key_parts(sb->key, &hk, &hkn, &zp, &zpn);
    const lpc_value *fz = lpc_get(f, "zipcode");
    if (!std) add_finding(sb, "S3_KEY_NONSTANDARD");
    if (std && (hkn != sb->hk->u.s.len || memcmp(hk, sb->hk->u.s.ptr, hkn) != 0)) add_finding(sb, "PATH_HOTKEY_MISMATCH");
    if (std && !(fz && fz->type == LPC_STR && fz->u.s.len == zpn && memcmp(fz->u.s.ptr, zp, zpn) == 0)) add_finding(sb, "PATH_ZIPCODE_MISMATCH");
    if (!sn46_streq(lpc_get(f, "miner_hotkey"), sb->hk)) add_finding(sb, "FILE_HOTKEY_MISMATCH");
    if (!sn46_streq(lpc_get(f, "epoch_id"), c->epoch_id)) add_finding(sb, "WRONG_EPOCH");
    const lpc_value *nonce = lpc_get(f, "nonce");
    if (!nonce) add_finding(sb, "NONCE_MISSING");
    else if (!sn46_streq(nonce, c->nonce)) add_finding(sb, "NONCE_MISMATCH");
    if (!fz || !assigned_entry(c, fz)) add_finding(sb, "UNASSIGNED_ZIPCODE");
    if (sb->lm_us > c->deadline_us) add_finding(sb, "LATE_SUBMISSION");
    if (sb->lm_us < c->start_us) add_finding(sb, "EARLY_UPLOAD");
    const lpc_value *ts = lpc_get(f, "submission_timestamp");
    if (ts) {
        if (ts->type != LPC_STR) add_finding(sb, "TIMESTAMP_NOT_STRING");
        else {
            int64_t us;
            int aware;
            if (sn46_ts_parse(ts->u.s.ptr, ts->u.s.len, &us, &aware) != 0) add_finding(sb, "TIMESTAMP_UNPARSEABLE");
            else if (!aware) add_finding(sb, "TIMESTAMP_NAIVE");
            else if (us < c->start_us || us > sb->lm_us) add_finding(sb, "TIMESTAMP_INCONSISTENT");
        }
    }
    const lpc_value *ls = lpc_get(f, "listings");
    const lpc_value *lc = lpc_get(f, "listing_count");
    if (lc && ls && ls->type == LPC_ARRAY) {
        int64_t v;
        if (!(lc->type == LPC_INT && lpc_int_i64(lc, &v) && v >= 0 && (uint64_t)v == ls->u.a.n))
            add_finding(sb, "LISTING_COUNT_FIELD_MISMATCH");
    }
    if (ls && ls->type == LPC_ARRAY && fz) {
        for (size_t i = 0; i < ls->u.a.n; i++) {
            const lpc_value *lz = lpc_get(ls->u.a.items[i], "zipcode");
            if (lz && !lpc_py_eq(lz, fz)) {
                add_finding(sb, "WRONG_ZIPCODE_LISTINGS");
                break;
            }
        }
    }
    if (!ls || ls->type != LPC_ARRAY || ls->u.a.n == 0) add_finding(sb, "EMPTY_SUBMISSION");
}

static int cmp_key(const void *a, const void *b)
{
    const sn46_sub *x = *(const sn46_sub *const *)a, *y = *(const sn46_sub *const *)b;
    int r = sn46_strcmp(x->key, y->key);
    if (r) return r;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_neuron(const void *a, const void *b)
{
    const sn46_neuron *x = a, *y = b;
    return x->uid < y->uid ? -1 : x->uid > y->uid;
}

/* §5.2: the files the validator scores, grouped by zipcode in first-seen order. */
static int organise(sn46_ctx *c)
{
    sn46_neuron *ord = malloc((c->nn ? c->nn : 1) * sizeof *ord);
    sn46_sub **mine = malloc((c->ns ? c->ns : 1) * sizeof *mine);
    c->groups = calloc(c->ns ? c->ns : 1, sizeof *c->groups);
    c->gmem = calloc(c->ns ? c->ns : 1, sizeof *c->gmem);
    if (!ord || !mine || !c->groups || !c->gmem) {
        free(ord);
        free(mine);
        c->oom = 1;
        return -1;
    }
    memcpy(ord, c->neurons, c->nn * sizeof *ord);
    qsort(ord, c->nn, sizeof *ord, cmp_neuron);
    for (size_t u = 0; u < c->nn; u++) {
        if (!(ord[u].stake > 0)) continue;
        if (u > 0 && ord[u].uid == ord[u - 1].uid) continue;
        size_t m = 0;
        for (size_t i = 0; i < c->ns; i++)
            if (sn46_streq(c->subs[i].hk, ord[u].hotkey)) mine[m++] = &c->subs[i];
        qsort(mine, m, sizeof *mine, cmp_key);
        /* per-miner dict zipcode -> file, last key wins, first insertion keeps its place */
        size_t first = c->nsel;
        for (size_t i = 0; i < m; i++) {
            sn46_sub *sb = mine[i];
            const lpc_value *f = sb->file;
            if (!(has_sub2(sb->key, "epoch=", c->epoch_id) && has_sub2(sb->key, "hotkey=", ord[u].hotkey) &&
                  sb->key->u.s.len >= 5 && memcmp(sb->key->u.s.ptr + sb->key->u.s.len - 5, ".json", 5) == 0))
                continue;
            if (f->type != LPC_OBJECT || !lpc_get(f, "epoch_id") || !lpc_get(f, "zipcode") ||
                !lpc_get(f, "miner_hotkey") || !lpc_get(f, "listings"))
                continue;
            const lpc_value *z = lpc_get(f, "zipcode");
            if (z->type == LPC_ARRAY || z->type == LPC_OBJECT) continue;
            if (z->type != LPC_STR) return free(ord), free(mine), sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "a file's zipcode is not a string");
            sb->considered = 1;
            size_t j;
            for (j = first; j < c->nsel; j++)
                if (sn46_streq(lpc_get(c->sel[j]->file, "zipcode"), z)) break;
            if (j < c->nsel) c->sel[j] = sb;
            else c->sel[c->nsel++] = sb;
        }
    }
    free(ord);
    free(mine);
    /* group by zipcode in first-seen order; within a group, walk (uid) order */
    for (size_t i = 0; i < c->nsel; i++) {
        const lpc_value *z = lpc_get(c->sel[i]->file, "zipcode");
        size_t g;
        for (g = 0; g < c->ng; g++)
            if (sn46_streq(c->groups[g].zip, z)) break;
        if (g == c->ng) {
            c->groups[g].zip = z;
            c->ng++;
        }
    }
    size_t off = 0;
    for (size_t g = 0; g < c->ng; g++) {
        c->groups[g].mem = c->gmem + off;
        for (size_t i = 0; i < c->nsel; i++)
            if (sn46_streq(c->groups[g].zip, lpc_get(c->sel[i]->file, "zipcode"))) c->groups[g].mem[c->groups[g].n++] = c->sel[i];
        off += c->groups[g].n;
    }
    return 0;
}

/* ---- epoch findings (§11.5) ---------------------------------------------------------- */

static int ts_cmp_raw(const lpc_value *a, const lpc_value *b, int *bad)
{
    if (!a || !b) { *bad = 1; return 0; }
    if (a->type == LPC_STR && b->type == LPC_STR) return sn46_strcmp(a, b);
    double x, y;
    if ((a->type == LPC_INT || a->type == LPC_FLOAT || a->type == LPC_BOOL) &&
        (b->type == LPC_INT || b->type == LPC_FLOAT || b->type == LPC_BOOL) && lpc_number_as_double(a, &x) &&
        lpc_number_as_double(b, &y))
        return x < y ? -1 : x > y;
    *bad = 1;
    return 0;
}

static void epoch_findings(sn46_ctx *c, lpc_value *rep)
{
    lpc_value *ef = sn46_track(c, lpc_new_array());
    if (c->profile != SN46_PLAN) {
        int nonce = 0, late = 0, wrongz = 0, order = 0, zero = 0, dflt = 0;
        for (size_t i = 0; i < c->ns; i++) {
            sn46_sub *sb = &c->subs[i];
            if (sub_has(sb, "NONCE_MISSING") || sub_has(sb, "NONCE_MISMATCH")) nonce = 1;
            if (sb->considered && sub_has(sb, "LATE_SUBMISSION")) late = 1;
            if (sb->considered && sub_has(sb, "WRONG_ZIPCODE_LISTINGS")) wrongz = 1;
            if (sb->uid >= 0 && sb->stake == 0) zero = 1;
        }
        for (size_t g = 0; g < c->ng; g++) {
            sn46_group *gr = &c->groups[g];
            if (gr->expected_default) dflt = 1;
            /* stable insertion sorts by each key, then compare */
            int bad = 0;
            size_t n = gr->n;
            sn46_sub **a = malloc((n ? n : 1) * sizeof *a), **b = malloc((n ? n : 1) * sizeof *b);
            if (!a || !b) { free(a); free(b); c->oom = 1; continue; }
            memcpy(a, gr->mem, n * sizeof *a);
            memcpy(b, gr->mem, n * sizeof *b);
            for (size_t i = 1; i < n; i++)
                for (size_t j = i; j > 0; j--) {
                    if (ts_cmp_raw(lpc_get(a[j - 1]->file, "submission_timestamp"), lpc_get(a[j]->file, "submission_timestamp"), &bad) <= 0) break;
                    sn46_sub *t = a[j]; a[j] = a[j - 1]; a[j - 1] = t;
                }
            for (size_t i = 1; i < n; i++)
                for (size_t j = i; j > 0 && b[j - 1]->lm_us > b[j]->lm_us; j--) {
                    sn46_sub *t = b[j]; b[j] = b[j - 1]; b[j - 1] = t;
                }
            if (!bad && memcmp(a, b, n * sizeof *a) != 0) order = 1;
            free(a);
            free(b);
        }
        /* sorted */
        if (late) sn46_push(c, ef, sn46_str(c, "LATE_SUBMISSION_SCORED"));
        if (nonce) sn46_push(c, ef, sn46_str(c, "NONCE_NOT_ENFORCED"));
        if (order) sn46_push(c, ef, sn46_str(c, "SELF_REPORTED_ORDER_DIFFERS_FROM_S3"));
        if (c->profile == SN46_R1118) sn46_push(c, ef, sn46_str(c, "SPOT_CHECK_SAMPLE_UNSEEDED"));
        if (dflt) sn46_push(c, ef, sn46_str(c, "UNASSIGNED_ZIPCODE_SCORED_WITH_DEFAULT"));
        if (wrongz) sn46_push(c, ef, sn46_str(c, "WRONG_ZIPCODE_LISTINGS_NOT_PENALISED"));
        if (zero) sn46_push(c, ef, sn46_str(c, "ZERO_STAKE_MINER_IGNORED"));
    }
    sn46_put(c, rep, "epoch_findings", ef);
}

static void submissions_report(sn46_ctx *c, lpc_value *rep)
{
    lpc_value *arr = sn46_track(c, lpc_new_array());
    for (size_t i = 0; i < c->ns; i++) {
        sn46_sub *sb = &c->subs[i];
        lpc_value *o = sn46_track(c, lpc_new_object());
        sn46_put(c, o, "considered_by_validator",
                 c->profile == SN46_PLAN ? sn46_track(c, lpc_new_null()) : sn46_track(c, lpc_new_bool(sb->considered)));
        lpc_value *fa = sn46_track(c, lpc_new_array());
        for (size_t j = 0; j < sb->nf; j++) sn46_push(c, fa, sn46_str(c, sb->findings[j]));
        sn46_put(c, o, "findings", fa);
        sn46_put(c, o, "hotkey", sn46_clone(c, sb->hk));
        sn46_put(c, o, "index", sn46_track(c, lpc_new_int((int64_t)i)));
        sn46_put(c, o, "s3_key", sn46_clone(c, sb->key));
        sn46_put(c, o, "uid", sb->uid >= 0 ? sn46_track(c, lpc_new_int(sb->uid)) : sn46_track(c, lpc_new_null()));
        sn46_put(c, o, "zipcode", sn46_clone(c, lpc_get(sb->file, "zipcode")));
        sn46_push(c, arr, o);
    }
    sn46_put(c, rep, "submissions", arr);
}

/* ---- weights (§10) ------------------------------------------------------------------- */

int sn46_weights(sn46_ctx *c, const lpc_value *scores, lpc_value *rep, lp_checks *ck)
{
    size_t n = (size_t)c->chain_n;
    float *sv = calloc(n, sizeof *sv);
    float *raw = calloc(n, sizeof *raw);
    int64_t *iu = calloc(n + 1, sizeof *iu);
    float *iw = calloc(n + 1, sizeof *iw);
    int64_t *pu = calloc(n + 2, sizeof *pu), *eu = calloc(n + 2, sizeof *eu);
    double *pw = calloc(n + 2, sizeof *pw);
    uint16_t *ew = calloc(n + 2, sizeof *ew);
    float *mv = calloc(n + 1, sizeof *mv);
    float *ab = NULL;
    int64_t *mu = NULL;
    int rc = -1;
    if (!sv || !raw || !iu || !iw || !pu || !pw || !eu || !ew || !mv) { c->oom = 1; goto out; }
    /* scores into the first uid of each hotkey */
    for (size_t i = 0; scores && i < scores->u.o.n; i++) {
        const lpc_member *m = &scores->u.o.items[i];
        int64_t best = -1;
        for (size_t j = 0; j < c->nn; j++) {
            const lpc_value *hk = c->neurons[j].hotkey;
            if (hk->u.s.len == m->klen && memcmp(hk->u.s.ptr, m->key, m->klen) == 0 &&
                (best < 0 || c->neurons[j].uid < best))
                best = c->neurons[j].uid;
        }
        if (best >= 0 && (size_t)best < n) sv[best] = (float)m->val->u.f;
    }
    ab = calloc(n, sizeof *ab);
    if (!ab) { c->oom = 1; goto out; }
    for (size_t i = 0; i < n; i++) ab[i] = fabsf(sv[i]);
    float norm = lp_sn46_sum_f32(ab, n);
    free(ab);
    ab = NULL;
    if (norm < 1e-12f) norm = 1e-12f;
    for (size_t i = 0; i < n; i++) raw[i] = sv[i] / norm;
    /* miner uids: not (permit and stake >= limit) */
    size_t nm = 0, ni = 0;
    mu = calloc(n, sizeof *mu);
    if (!mu) { c->oom = 1; goto out; }
    for (size_t u = 0; u < n; u++) {
        int miner = 1;
        for (size_t j = 0; j < c->nn; j++)
            if (c->neurons[j].uid == (int64_t)u) {
                if (c->neurons[j].permit && c->neurons[j].stake >= c->vpermit_limit) miner = 0;
                break;
            }
        if (miner) mu[nm++] = (int64_t)u;
    }
    const char *bm = "none";
    if (c->burn == SN46_BURN_NONE) {
        for (size_t u = 0; u < n; u++) { iu[u] = (int64_t)u; iw[u] = raw[u]; }
        ni = n;
    } else {
        bm = c->burn == SN46_BURN90 ? "burn90" : "burn100";
        iu[0] = c->burn_uid;
        for (size_t j = 0; j < nm; j++) { iu[1 + j] = mu[j]; mv[j] = raw[mu[j]]; iw[1 + j] = 0.0f; }
        ni = 1 + nm;
        if (c->burn == SN46_BURN100) iw[0] = 1.0f;
        else {
            float Tf = lp_sn46_sum_f32(mv, nm);
            double T = (double)Tf, b = 0.9 * T;
            iw[0] = (float)b;
            if (iw[0] == 0.0f) iw[0] = 1.0f;
            double r = T - b;
            if (r > 0) {
                float q = (float)(r / (double)Tf);
                for (size_t j = 0; j < nm; j++) iw[1 + j] = (float)((double)mv[j] * (double)q);
            }
        }
        for (size_t j = 0; j < nm; j++)
            if (mu[j] == c->vuid) iw[1 + j] = 0.0f;
    }
    free(mu);
    mu = NULL;
    lp_sn46_branch br;
    size_t pn = 0;
    int prc = lp_sn46_process_weights(iu, iw, ni, c->chain_n, c->min_allowed, (double)c->max_limit_u16 / 65535.0,
                                      &br, pu, pw, &pn);
    if (prc == -1) { c->oom = 1; goto out; }
    if (prc == -2) { sn46_fail(c, LP_CODE_SCORER_WOULD_RAISE, "process_weights: position beyond n"); goto out; }
    if (prc == -3) { sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "max_weights_limit below 1.0 is not reproduced"); goto out; }
    size_t en = 0;
    if (lpc_normalize_to_u16(pu, pw, pn, eu, ew, &en) != LPC_OK) { sn46_fail(c, LP_CODE_INTERNAL, "u16 conversion"); goto out; }

    lpc_value *wo = sn46_track(c, lpc_new_object());
    sn46_put(c, wo, "burn_mode", sn46_str(c, bm));
    lpc_value *a1 = sn46_track(c, lpc_new_array()), *a2 = sn46_track(c, lpc_new_array());
    for (size_t i = 0; i < ni; i++) {
        sn46_push(c, a1, sn46_track(c, lpc_new_int(iu[i])));
        sn46_push(c, a2, sn46_track(c, lpc_new_float((double)iw[i])));
    }
    sn46_put(c, wo, "input_uids", a1);
    sn46_put(c, wo, "input_weights_f32", a2);
    sn46_put(c, wo, "process_branch", sn46_str(c, br == LP_SN46_BRANCH_NORMAL ? "normal" : br == LP_SN46_BRANCH_BELOW_MIN ? "below_min_allowed" : "all_ones"));
    a1 = sn46_track(c, lpc_new_array());
    a2 = sn46_track(c, lpc_new_array());
    for (size_t i = 0; i < pn; i++) {
        sn46_push(c, a1, sn46_track(c, lpc_new_int(pu[i])));
        sn46_push(c, a2, sn46_track(c, lpc_new_float(pw[i])));
    }
    sn46_put(c, wo, "processed_uids", a1);
    sn46_put(c, wo, "processed_weights", a2);
    a1 = sn46_track(c, lpc_new_array());
    a2 = sn46_track(c, lpc_new_array());
    for (size_t i = 0; i < en; i++) {
        sn46_push(c, a1, sn46_track(c, lpc_new_int(eu[i])));
        sn46_push(c, a2, sn46_track(c, lpc_new_int(ew[i])));
    }
    sn46_put(c, wo, "uids", a1);
    sn46_put(c, wo, "weights_u16", a2);
    sn46_put(c, rep, "weights", wo);

    /* claimed weights (§11.2) */
    const lpc_value *cw = c->claimed ? lpc_get(c->claimed, "weights") : NULL;
    if (cw) {
        const lpc_value *cu = lpc_get(cw, "uids"), *cv = lpc_get(cw, "weights_u16");
        char det[96] = "";
        int ok = cu && cv && cu->type == LPC_ARRAY && cv->type == LPC_ARRAY && cu->u.a.n == cv->u.a.n && cu->u.a.n <= 65536;
        if (!ok) snprintf(det, sizeof det, "claimed uids and weights_u16 are not lists of equal length");
        int64_t maxd = 0;
        for (size_t i = 0; ok && i < cu->u.a.n; i++) {
            int64_t u, w;
            if (!get_i64(cu->u.a.items[i], &u) || !get_i64(cv->u.a.items[i], &w)) { ok = 0; snprintf(det, sizeof det, "claimed entry %zu is not an integer", i); break; }
            for (size_t j = 0; j < i; j++) {
                int64_t u2;
                get_i64(cu->u.a.items[j], &u2);
                if (u2 == u) { ok = 0; snprintf(det, sizeof det, "claimed uid %lld repeated", (long long)u); }
            }
            if (!ok) break;
            int64_t e = 0;
            for (size_t j = 0; j < en; j++)
                if (eu[j] == u) { e = ew[j]; break; }
            int64_t d = e > w ? e - w : w - e;
            if (d > maxd) maxd = d;
        }
        for (size_t j = 0; ok && j < en; j++) {
            int found = 0;
            for (size_t i = 0; i < cu->u.a.n; i++) {
                int64_t u;
                if (get_i64(cu->u.a.items[i], &u) && u == eu[j]) { found = 1; break; }
            }
            if (!found && ew[j] > maxd) maxd = ew[j];
        }
        if (ok && maxd > 1) { ok = 0; snprintf(det, sizeof det, "max |du16| = %lld", (long long)maxd); }
        if (ok) snprintf(det, sizeof det, "%s", maxd == 0 ? "exact" : "within 1");
        lp_check_add(ck, "weights_match", ok ? LP_CODE_OK : LP_CODE_WEIGHTS_MISMATCH, "%s", det);
    }
    rc = 0;
out:
    free(ab); free(mu);
    free(sv); free(raw); free(iu); free(iw); free(pu); free(pw); free(eu); free(ew); free(mv);
    return rc;
}

/* ---- the entry point ------------------------------------------------------------------ */

static lp_code precedence(const lp_checks *ck, lp_code early)
{
    static const lp_code order[] = {LP_CODE_INPUT_MALFORMED, LP_CODE_INPUT_TOO_LARGE, LP_CODE_UNSUPPORTED_INPUT,
                                    LP_CODE_SCORER_WOULD_RAISE, LP_CODE_SPOT_CHECK_RECORD_INVALID,
                                    LP_CODE_SPOT_CHECK_SAMPLE_MISMATCH, LP_CODE_ASSIGNMENT_INCONSISTENT,
                                    LP_CODE_ASSIGNMENT_OUT_OF_TOLERANCE, LP_CODE_ASSIGNMENT_OUT_OF_BOUNDS,
                                    LP_CODE_ASSIGNMENT_COOLDOWN_VIOLATION, LP_CODE_SCORE_MISMATCH,
                                    LP_CODE_CONSENSUS_HASH_MISMATCH, LP_CODE_WEIGHTS_MISMATCH};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        if (early == order[k]) return early;
        for (size_t i = 0; i < ck->n; i++)
            if (!ck->items[i].ok && ck->items[i].code == order[k]) return order[k];
    }
    if (early != LP_CODE_OK) return early;
    return LP_CODE_OK;
}

static void ctx_free(sn46_ctx *c)
{
    free(c->neurons);
    free(c->subs);
    free(c->groups);
    free(c->gmem);
    free(c->sel);
}

lp_code lp_sn46_replay(const uint8_t *buf, size_t len, const char *profile, lp_checks *checks,
                       lpc_value **report)
{
    sn46_ctx c;
    memset(&c, 0, sizeof c);
    c.code = LP_CODE_OK;
    c.profile_name = profile;
    *report = NULL;
    lpc_value *rep = lpc_new_object();
    if (!rep) return LP_CODE_OUT_OF_MEMORY;
    lp_checks ck;
    lp_checks_init(&ck);
    if (len > LP_SN46_MAX_INPUT) {
        sn46_fail(&c, LP_CODE_INPUT_TOO_LARGE, "input larger than %zu bytes", LP_SN46_MAX_INPUT);
    } else {
        size_t off = 0;
        lpc_err e = lpc_parse_budget(buf, len, LP_SN46_MAX_INPUT, LP_SN46_MAX_TREE, &c.doc, &off);
        if (e == LPC_ERR_TOO_LARGE) sn46_fail(&c, LP_CODE_INPUT_TOO_LARGE, "parsed input exceeds the memory cap");
        else if (e == LPC_ERR_NOMEM) c.oom = 1;
        else if (e != LPC_OK) sn46_fail(&c, LP_CODE_INPUT_MALFORMED, "not JSON (%s at byte %zu)", lpc_strerror(e), off);
    }
    c.root = c.doc;
    int stage_ok = c.code == LP_CODE_OK && !c.oom && load_input(&c) == 0;
    if (c.profile_name && lp_sn46_profile_known(c.profile_name)) sn46_put(&c, rep, "profile", sn46_str(&c, c.profile_name));
    if (stage_ok) {
        c.sel = calloc(c.ns ? c.ns : 1, sizeof *c.sel);
        if (!c.sel) c.oom = 1;
        for (size_t i = 0; i < c.ns && !c.oom; i++) dispositions(&c, &c.subs[i]);
        if (!c.oom && c.profile != SN46_PLAN) stage_ok = organise(&c) == 0;
        if (stage_ok && !c.oom) {
            assignment_checks(&c, &ck, rep);
            /* an early stop is recorded in c.code; the report keeps what ran before it */
            if (c.profile == SN46_PLAN) sn46_plan(&c, rep, &ck);
            else sn46_upstream(&c, rep, &ck);
            epoch_findings(&c, rep);
            submissions_report(&c, rep);
        }
    }
    lp_code res = c.oom ? LP_CODE_OUT_OF_MEMORY : precedence(&ck, c.code);
    if (c.code != LP_CODE_OK && !c.oom) {
        sn46_put(&c, rep, "error", sn46_str(&c, c.msg));
        if (c.code == LP_CODE_INPUT_MALFORMED || c.code == LP_CODE_INPUT_TOO_LARGE || c.code == LP_CODE_UNSUPPORTED_INPUT || c.code == LP_CODE_INTERNAL) {
            /* an undecidable input: no replay parts */
            lpc_value *keep = lpc_new_object();
            if (keep) {
                lpc_value *cl = NULL;
                if (lpc_get(rep, "profile") && lpc_clone(lpc_get(rep, "profile"), &cl) == LPC_OK) lpc_object_set(keep, "profile", 7, cl);
                cl = NULL;
                if (lpc_clone(lpc_get(rep, "error"), &cl) == LPC_OK) lpc_object_set(keep, "error", 5, cl);
                lpc_free(rep);
                rep = keep;
                lp_checks_free(&ck);
                lp_checks_init(&ck);
            }
        }
    }
    sn46_put(&c, rep, "result", sn46_str(&c, lp_sn46_code_name(res)));
    sn46_put(&c, rep, "exit", sn46_track(&c, lpc_new_int((int64_t)lp_code_exit(res))));
    lpc_value *ca = sn46_track(&c, lpc_new_array());
    for (size_t i = 0; i < ck.n; i++) {
        lpc_value *o = sn46_track(&c, lpc_new_object());
        sn46_put(&c, o, "detail", sn46_str(&c, ck.items[i].detail));
        sn46_put(&c, o, "name", sn46_str(&c, ck.items[i].name));
        sn46_put(&c, o, "ok", sn46_track(&c, lpc_new_bool(ck.items[i].ok)));
        sn46_push(&c, ca, o);
    }
    sn46_put(&c, rep, "checks", ca);
    /* the early stop leads the caller's list, so that lp_checks_verdict is §11.4's result */
    if (c.code != LP_CODE_OK) lp_check_add(checks, ck.n == 0 ? "input" : "replay", c.code, "%s", c.msg);
    lp_checks_append(checks, &ck);
    lp_checks_free(&ck);
    ctx_free(&c);
    lpc_free(c.doc);
    if (c.oom) {
        lpc_free(rep);
        return LP_CODE_OUT_OF_MEMORY;
    }
    *report = rep;
    return res;
}
