/* Weighted consensus (spec §9).  See lpc_consensus.h for the rules. */
#include "canonical/lpc_consensus.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "canonical/lpc_num.h"

/* The Python results are binary64 operations performed one at a time. */
#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
#error "lpc_consensus.c needs FLT_EVAL_METHOD == 0 (SSE2 / binary64 evaluation)"
#endif

static const char S_PASS[] = "pass";
static const char S_UNKNOWN[] = "unknown";
static const char S_NO_VALIDATIONS[] = "no_validations";
static const char S_APPROVE[] = "approve";
static const char S_DENY[] = "deny";

/* Python float(x) for the value kinds a row can hold. */
lpc_err lpc_cons_py_float(const lpc_value *v, double *out)
{
    if (!out) return LPC_ERR_ARG;
    if (!v) return LPC_ERR_MISSING;                      /* KeyError */
    switch (v->type) {
    case LPC_FLOAT: *out = v->u.f; return LPC_OK;
    case LPC_BOOL:  *out = v->u.b ? 1.0 : 0.0; return LPC_OK;
    case LPC_INT: {
        double d;
        if (!lpc_number_as_double(v, &d)) return LPC_ERR_RANGE;
        if (!isfinite(d)) return LPC_ERR_RANGE;           /* OverflowError */
        *out = d;
        return LPC_OK;
    }
    case LPC_STR: {
        for (size_t i = 0; i < v->u.s.len; i++)
            if ((unsigned char)v->u.s.ptr[i] >= 0x80) return LPC_ERR_UNSUPPORTED;
        lpc_err e = lpc_py_float_from_str(v->u.s.ptr, v->u.s.len, out);
        if (e == LPC_ERR_SYNTAX) return LPC_ERR_NOT_FLOAT; /* ValueError */
        return e;
    }
    default:
        return LPC_ERR_TYPE;                              /* float(None) etc. */
    }
}

/* ---- reordering bounds ----
 * For k terms summed in any order, |fl - exact| <= gamma_{k-1} * sum|terms|.
 * Two orders differ by at most twice that; E = k * 2^-51 * sum|terms| covers it
 * with a factor-2 margin for the rounding of the bound itself. */
typedef struct {
    double abs;      /* sum |terms| (rounded; monotone) */
    int qmin;        /* lowest set-bit exponent over nonzero terms */
    size_t k;        /* terms */
    int nonfinite;   /* a term is inf/nan */
} bound_t;

static void bound_init(bound_t *b)
{
    b->abs = 0.0;
    b->qmin = INT32_MAX;
    b->k = 0;
    b->nonfinite = 0;
}

/* Exponent of the lowest set bit of a finite nonzero x (x = odd * 2^q). */
static int low_bit_exponent(double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int bexp = (int)((bits >> 52) & 0x7FF);
    uint64_t mant = bits & ((UINT64_C(1) << 52) - 1);
    int q = bexp ? bexp - 1075 : -1074;
    if (bexp) mant |= UINT64_C(1) << 52;
    while (!(mant & 1u)) { mant >>= 1; q++; }   /* mant != 0 for x != 0 */
    return q;
}

static void bound_add(bound_t *b, double x)
{
    b->k++;
    if (!isfinite(x)) { b->nonfinite = 1; return; }
    if (x == 0.0) return;
    b->abs += fabs(x);
    int q = low_bit_exponent(x);
    if (q < b->qmin) b->qmin = q;
}

/* 1 when every order gives the same sum: at most two terms (0 + a + b is
 * fl(a + b) = fl(b + a)), or every partial sum in any order is a multiple of
 * 2^qmin no larger than abs < 2^(qmin+53), hence representable and exact. */
static int bound_invariant(const bound_t *b)
{
    if (b->nonfinite) return 0;
    if (b->k <= 2 || b->abs == 0.0) return 1;
    return b->abs < ldexp(1.0, b->qmin + 53);
}

static double bound_err(const bound_t *b)
{
    if (bound_invariant(b)) return 0.0;
    return (double)b->k * ldexp(b->abs, -51);
}

static int bound_may_overflow(const bound_t *b)
{
    return b->nonfinite || !(b->abs <= DBL_MAX / 4);
}

static double widen_down(double x) { return nextafter(nextafter(x, -INFINITY), -INFINITY); }
static double widen_up(double x) { return nextafter(nextafter(x, INFINITY), INFINITY); }

/* Could round(x, nd) differ for a value in [lo, hi]?  round(., nd) is
 * monotone and steps only at (k + 1/2) * 10^-nd: when no such point lies
 * near [lo, hi] (checked with a wide margin for the scaling error) the answer
 * is no; otherwise the two ends are rounded exactly. */
static int round_may_differ(double lo, double hi, int nd)
{
    static const double p10[] = {1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
    if (nd >= 0 && nd < (int)(sizeof p10 / sizeof p10[0]) && isfinite(lo) && isfinite(hi)) {
        double ylo = lo * p10[nd], yhi = hi * p10[nd];
        if (fabs(ylo) < 0x1p50 && fabs(yhi) < 0x1p50) {
            double m = ldexp(fabs(ylo) + fabs(yhi) + 1.0, -40);
            double a = ylo - m, b = yhi + m;
            if (ceil(a - 0.5) + 0.5 > b) return 0;    /* no half-step in [a, b] */
        }
    }
    return lpc_py_round(widen_down(lo), nd) != lpc_py_round(widen_up(hi), nd);
}

/* Range of a'/b' for a' in a +- ea, b' in b +- eb with b - eb > 0. */
static int quotient_may_round_differently(double a, double ea, double b, double eb, int nd)
{
    double blo = b - eb, bhi = b + eb, alo = a - ea, ahi = a + ea;
    double c1 = alo / blo, c2 = alo / bhi, c3 = ahi / blo, c4 = ahi / bhi;
    double lo = fmin(fmin(c1, c2), fmin(c3, c4));
    double hi = fmax(fmax(c1, c2), fmax(c3, c4));
    return round_may_differ(lo, hi, nd);
}

/* ---- reason table ----
 * A few distinct reasons per lead, each ~100 bytes: a constant-time key
 * (length and the first and last 8 bytes) screens, memcmp decides. */
static uint64_t reason_key(const char *s, size_t n)
{
    uint64_t a = 0, b = 0;
    memcpy(&a, s, n < 8 ? n : 8);
    if (n > 8) memcpy(&b, s + n - 8, 8);
    return (a * 0x9E3779B97F4A7C15ull) ^ (b + 0x632BE59BD9B4E019ull) ^ ((uint64_t)n << 1);
}

static lpc_cons_reason *reason_slot(lpc_cons_reason *tab, size_t *n, const char *s, size_t len,
                                    int *fresh)
{
    uint64_t h = reason_key(s, len);
    for (size_t i = 0; i < *n; i++)
        if (tab[i].h == h && tab[i].len == len && memcmp(tab[i].text, s, len) == 0) {
            *fresh = 0;
            return &tab[i];
        }
    lpc_cons_reason *r = &tab[(*n)++];
    r->text = s;
    r->len = len;
    r->h = h;
    r->weight = 0.0;
    r->abs_weight = 0.0;
    r->qmin = INT32_MAX;
    r->count = 0;
    *fresh = 1;
    return r;
}

static int str_is(const lpc_value *v, const char *lit, size_t n)
{
    return v->type == LPC_STR && v->u.s.len == n && memcmp(v->u.s.ptr, lit, n) == 0;
}

/* INVALID_REJECTION_REASONS of 8db521b0 / 5fe22c16 (None and '' handled by the caller). */
static int reason_invalid(const lpc_value *v)
{
    return str_is(v, "{}", 2) || str_is(v, "\"\"", 2) || str_is(v, "null", 4) ||
           str_is(v, "{\"message\": \"pass\"}", 19);
}

static void set_empty(lpc_cons_result *out)
{
    out->approve = 0;
    out->final_decision = S_DENY;
    out->final_rep_score = 0.0;
    out->primary_reason = S_NO_VALIDATIONS;
    out->primary_reason_len = sizeof S_NO_VALIDATIONS - 1;
    out->validator_count = 0;
    out->consensus_weight = 0.0;
    out->approval_ratio = 0.0;
}

static lpc_err run(const lpc_cons_row *rows, size_t n_rows, lpc_cons_rules rules,
                   lpc_cons_path path, lpc_cons_reason *tab, lpc_cons_result *out)
{
    const int counter = rules == LPC_CONS_RULES_2025_11_13;
    double total = 0.0, wrep = 0.0, wapp = 0.0;
    bound_t b_tot, b_rep, b_app;
    bound_init(&b_tot);
    bound_init(&b_rep);
    bound_init(&b_app);
    size_t kept = 0, n_reasons = 0;

    for (size_t i = 0; i < n_rows; i++) {
        const lpc_cons_row *r = &rows[i];
        if (path == LPC_CONS_PATH_EVIDENCE &&
            (!r->decision || r->decision->type == LPC_NULL ||
             !r->rep_score || r->rep_score->type == LPC_NULL))
            continue;
        kept++;
        out->err_row = i;
        double vt, st, rs;
        lpc_err e = lpc_cons_py_float(r->v_trust, &vt);
        if (e == LPC_OK) e = lpc_cons_py_float(r->stake, &st);
        if (e != LPC_OK) return e;
        double w = vt * st;
        total += w;
        bound_add(&b_tot, w);
        e = lpc_cons_py_float(r->rep_score, &rs);
        if (e != LPC_OK) return e;
        double prod = rs * w;   /* its own statement: no fused multiply-add */
        wrep += prod;
        bound_add(&b_rep, prod);
        if (!r->decision) return LPC_ERR_MISSING;          /* v["decision"] */
        if (str_is(r->decision, S_APPROVE, 7)) {
            wapp += w;
            bound_add(&b_app, w);
            continue;
        }
        /* A deny (any decision other than exactly "approve"). */
        const lpc_value *rr = r->rejection_reason;
        const char *text;
        size_t len;
        if (counter) {
            /* v.get("rejection_reason", "unknown"); falsy values skipped. */
            if (!rr) { text = S_UNKNOWN; len = sizeof S_UNKNOWN - 1; }
            else if (rr->type == LPC_NULL) continue;
            else if (rr->type != LPC_STR) return LPC_ERR_TYPE;
            else if (rr->u.s.len == 0) continue;
            else { text = rr->u.s.ptr; len = rr->u.s.len; }
        } else {
            if (!rr || rr->type == LPC_NULL) continue;
            if (rr->type != LPC_STR) return LPC_ERR_TYPE;
            if (rr->u.s.len == 0 || reason_invalid(rr)) continue;
            text = rr->u.s.ptr;
            len = rr->u.s.len;
        }
        int fresh;
        lpc_cons_reason *slot = reason_slot(tab, &n_reasons, text, len, &fresh);
        /* first sight stores w itself, later sights add, as the Python dict */
        slot->weight = fresh ? w : slot->weight + w;
        slot->count++;
        if (isfinite(w)) {
            slot->abs_weight += fabs(w);
            if (w != 0.0) {
                int q = low_bit_exponent(w);
                if (q < slot->qmin) slot->qmin = q;
            }
        } else {
            slot->abs_weight = INFINITY;
        }
    }
    out->err_row = 0;
    out->n_reasons = n_reasons;
    if (kept == 0) {
        set_empty(out);
        return LPC_OK;
    }

    double rep = 0.0, ratio = 0.0;
    if (total > 0) {
        rep = wrep / total;
        ratio = wapp / total;
    }
    out->approve = ratio > 0.5;
    out->final_decision = out->approve ? S_APPROVE : S_DENY;
    out->validator_count = kept;
    out->total_weight = total;
    out->rep_unrounded = rep;
    out->ratio_unrounded = ratio;
    out->final_rep_score = lpc_py_round(rep, 4);
    out->approval_ratio = lpc_py_round(ratio, 4);
    out->consensus_weight = lpc_py_round(total, 2);

    size_t best = 0;
    if (out->approve) {
        out->primary_reason = S_PASS;
        out->primary_reason_len = sizeof S_PASS - 1;
    } else if (n_reasons == 0) {
        out->primary_reason = S_UNKNOWN;
        out->primary_reason_len = sizeof S_UNKNOWN - 1;
    } else {
        /* Python max(): the first element wins unless a later one is strictly greater. */
        for (size_t j = 1; j < n_reasons; j++) {
            if (counter ? tab[j].count > tab[best].count : tab[j].weight > tab[best].weight)
                best = j;
        }
        out->primary_reason = tab[best].text;
        out->primary_reason_len = tab[best].len;
    }

    /* ---- could another row order change the outcome? ---- */
    unsigned fl = 0;
    if (total > 0 && ratio == 0.5) fl |= LPC_CONS_INFO_EXACT_HALF;
    if (bound_may_overflow(&b_tot) || bound_may_overflow(&b_rep)) fl |= LPC_CONS_ORDER_NONFINITE;
    double e_tot = bound_err(&b_tot), e_app = bound_err(&b_app), e_rep = bound_err(&b_rep);
    /* A zero bound means that sum is the same in every order; an output only
     * moves when one of the sums it depends on can. */
    if (e_tot > 0 && total <= e_tot) {
        fl |= LPC_CONS_ORDER_DECISION | LPC_CONS_ORDER_ROUNDING;  /* total > 0 may flip */
    } else if (total > 0) {
        if ((e_app > 0 || e_tot > 0) &&
            fabs(wapp - 0.5 * total) <= e_app + 0.5 * e_tot + ldexp(total, -52))
            fl |= LPC_CONS_ORDER_DECISION;
        if ((e_rep > 0 || e_tot > 0) && quotient_may_round_differently(wrep, e_rep, total, e_tot, 4))
            fl |= LPC_CONS_ORDER_ROUNDING;
        if ((e_app > 0 || e_tot > 0) && quotient_may_round_differently(wapp, e_app, total, e_tot, 4))
            fl |= LPC_CONS_ORDER_ROUNDING;
    }
    if (e_tot > 0 && round_may_differ(total - e_tot, total + e_tot, 2))
        fl |= LPC_CONS_ORDER_ROUNDING;
    if (!out->approve && n_reasons > 1) {
        const lpc_cons_reason *w = &tab[best];
        for (size_t j = 0; j < n_reasons; j++) {
            if (j == best) continue;
            if (counter) {
                if (tab[j].count == w->count) fl |= LPC_CONS_ORDER_REASON;
                continue;
            }
            bound_t bw = {w->abs_weight, w->qmin, w->count, !isfinite(w->weight)};
            bound_t bj = {tab[j].abs_weight, tab[j].qmin, tab[j].count, !isfinite(tab[j].weight)};
            if (bw.nonfinite || bj.nonfinite) {
                fl |= LPC_CONS_ORDER_NONFINITE;
                continue;
            }
            if (fabs(w->weight - tab[j].weight) <= bound_err(&bw) + bound_err(&bj))
                fl |= LPC_CONS_ORDER_REASON;
        }
    }
    out->order_flags = fl;
    return LPC_OK;
}

lpc_err lpc_consensus(const lpc_cons_row *rows, size_t n_rows,
                      lpc_cons_rules rules, lpc_cons_path path,
                      lpc_cons_reason *work, size_t work_cap,
                      lpc_cons_result *out)
{
    if (!out) return LPC_ERR_ARG;
    memset(out, 0, sizeof *out);
    if ((!rows && n_rows) || (unsigned)rules > LPC_CONS_RULES_2025_11_13 ||
        (unsigned)path > LPC_CONS_PATH_DB)
        return LPC_ERR_ARG;
    if (n_rows > LPC_CONS_MAX_ROWS) return LPC_ERR_TOO_LARGE;
    lpc_cons_reason *tab = work, *owned = NULL;
    if (!tab) {
        if (n_rows) {
            owned = malloc(n_rows * sizeof *owned);
            if (!owned) return LPC_ERR_NOMEM;
        }
        tab = owned;
    } else if (work_cap < n_rows) {
        return LPC_ERR_ARG;
    }
    lpc_err e = run(rows, n_rows, rules, path, tab, out);
    size_t err_row = out->err_row;
    if (e != LPC_OK) {
        memset(out, 0, sizeof *out);
        out->err_row = err_row;
    }
    free(owned);
    return e;
}

lpc_err lpc_cons_row_from_object(const lpc_value *obj, const char *v_score_key,
                                 lpc_cons_row *row)
{
    if (!obj || !row) return LPC_ERR_ARG;
    memset(row, 0, sizeof *row);
    if (obj->type != LPC_OBJECT) return LPC_ERR_TYPE;
    row->decision = lpc_get(obj, "decision");
    row->rep_score = lpc_get(obj, "rep_score");
    row->rejection_reason = lpc_get(obj, "rejection_reason");
    row->v_trust = lpc_get(obj, v_score_key ? v_score_key : "v_trust");
    row->stake = lpc_get(obj, "stake");
    return LPC_OK;
}

const char *lpc_cons_rules_name(lpc_cons_rules r)
{
    switch (r) {
    case LPC_CONS_RULES_CURRENT:    return "current";
    case LPC_CONS_RULES_2025_12_15: return "2025-12-15";
    case LPC_CONS_RULES_2025_11_13: return "2025-11-13";
    }
    return "unknown";
}

const char *lpc_cons_path_name(lpc_cons_path p)
{
    switch (p) {
    case LPC_CONS_PATH_EVIDENCE: return "evidence";
    case LPC_CONS_PATH_DB:       return "db";
    }
    return "unknown";
}
