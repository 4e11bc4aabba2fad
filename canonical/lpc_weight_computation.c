/* compute_final_weights (leadpoet-weights-v2.md §5), in the reference's order of checks
 * and of floating-point operations. */
#include "canonical/lpc_weight_computation.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_buf.h"
#include "canonical/lpc_codec.h"
#include "canonical/lpc_dump.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_refcall.h"
#include "canonical/lpc_v2_common.h"
#include "canonical/lpc_weights.h"

#define WCE_TYPE "WeightComputationError"

static const char *const k_fields[LPC_WCOMP_SNAPSHOT_FIELDS] = {
    "schema_version", "netuid", "epoch_id", "block", "commit_sha", "config_hash",
    "parent_receipt_hashes", "research_lab_allocation_receipt_hash", "burn_target_uid",
    "expected_burn_target_hotkey", "metagraph_hotkeys", "banned_hotkeys", "banned_lookup_ok",
    "ff_enabled", "base_burn_share", "champion_share", "champion_uid", "effective_champion_share",
    "research_lab_fallback_share", "research_lab_allocation_doc", "leaderboard_bonus_share",
    "leaderboard_rank_shares", "leaderboard_entries", "leaderboard_fetch_ok", "fulfillment_share",
    "fulfillment_rows", "fulfillment_fetch_ok", "rolling_lead_count", "rolling_scores",
    "sourcing_floor_threshold", "min_total_rep_for_distribution",
};

/* weight_config_document's keys, in its dict-literal order (§5.1). */
static const char *const k_config_fields[] = {
    "netuid", "burn_target_uid", "expected_burn_target_hotkey", "ff_enabled", "base_burn_share",
    "champion_share", "research_lab_fallback_share", "leaderboard_bonus_share",
    "leaderboard_rank_shares", "sourcing_floor_threshold", "min_total_rep_for_distribution",
};

static const char *const k_lab_sections[] = {
    "source_add_allocations", "reimbursement_allocations", "champion_allocations",
    "queued_champion_allocations",
};

const char *lpc_wcomp_sum_label(lpc_wcomp_sum s)
{
    static const char *const names[] = {"all_rolling_total", "registered_rolling_total",
                                        "weight_sum_before_clamp", "normalized_total", "u16_float32_sum"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "";
}

/* ---- errors ---------------------------------------------------------------------- */

static lp_code wce(lpc_referr *e, const char *msg) { return lpc_referr_set(e, LP_CODE_WEIGHT_COMPUTATION_ERROR, WCE_TYPE, "%s", msg); }

static lp_code wcef(lpc_referr *e, const char *field, const char *what)
{
    return lpc_referr_set(e, LP_CODE_WEIGHT_COMPUTATION_ERROR, WCE_TYPE, "%s %s", field, what);
}

static lp_code refuse(lpc_referr *e, const char *field, const char *why)
{
    return lpc_referr_set(e, LP_CODE_NON_CANONICAL_INPUT, "NonCanonicalInput", "%s: %s", field, why);
}

static lp_code nomem(lpc_referr *e) { return lpc_referr_set(e, LP_CODE_OUT_OF_MEMORY, "MemoryError", "out of memory"); }
/* repr() of an ASCII str into out (cap bytes, truncated); 0 when s is not ASCII. */
static int py_repr_ascii(const char *s, size_t n, char *out, size_t cap)
{
    int sq = 0, dq = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) return 0;
        sq |= c == '\'';
        dq |= c == '"';
    }
    char q = sq && !dq ? '"' : '\'';
    size_t k = 0;
#define PUT(ch) do { if (k + 1 < cap) out[k++] = (ch); } while (0)
    PUT(q);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        static const char hex[] = "0123456789abcdef";
        if (c == '\\' || c == (unsigned char)q) { PUT('\\'); PUT((char)c); }
        else if (c == '\t') { PUT('\\'); PUT('t'); }
        else if (c == '\n') { PUT('\\'); PUT('n'); }
        else if (c == '\r') { PUT('\\'); PUT('r'); }
        else if (c < 0x20 || c == 0x7f) { PUT('\\'); PUT('x'); PUT(hex[c >> 4]); PUT(hex[c & 15]); }
        else PUT((char)c);
    }
    PUT(q);
#undef PUT
    out[k] = '\0';
    return 1;
}

/* ---- Python coercions (§5.1) ------------------------------------------------------ */

/* _float(value, field); _non_negative_float when nonneg. */
static lp_code co_float(const lpc_value *v, const char *f, int nonneg, double *out, lpc_referr *e)
{
    switch (lpc_py_float(v, out)) {
    case LPC_PY_OK:
        if (!isfinite(*out)) return wcef(e, f, "must be finite");
        if (nonneg && *out < 0) return wcef(e, f, "must be non-negative");
        return LP_CODE_OK;
    case LPC_PY_UNSUPPORTED:
        if (v->type == LPC_INT)  /* float(10**400): OverflowError is not caught by _float */
            return lpc_referr_set(e, LP_CODE_PYTHON_OVERFLOW_ERROR, "OverflowError", "int too large to convert to float");
        return refuse(e, f, "float() of a non-ASCII text is not reproduced");
    default: return wcef(e, f, "must be numeric");
    }
}

/* _int(value, field, minimum) */
static lp_code co_int(const lpc_value *v, const char *f, int64_t min, int64_t *out, lpc_referr *e)
{
    if (v->type == LPC_BOOL) return wcef(e, f, "must be an integer");
    switch (lpc_py_int(v, out)) {
    case LPC_PY_OK: return *out < min ? wcef(e, f, "is below its minimum") : LP_CODE_OK;
    case LPC_PY_OVERFLOW_ERROR:  /* int(inf): OverflowError is not caught by _int */
        return lpc_referr_set(e, LP_CODE_PYTHON_OVERFLOW_ERROR, "OverflowError", "cannot convert float infinity to integer");
    case LPC_PY_UNSUPPORTED: return refuse(e, f, "an integer beyond int64 is not reproduced");
    default: return wcef(e, f, "must be an integer");
    }
}

/* float(x or 0.0) with nothing caught (§5.5 PF): the raw exception escapes. */
static lp_code co_float_raw(const lpc_value *v, const char *f, double *out, lpc_referr *e)
{
    if (!lpc_py_truthy(v)) {
        *out = 0.0;
        return LP_CODE_OK;
    }
    switch (lpc_py_float(v, out)) {
    case LPC_PY_OK: return LP_CODE_OK;
    case LPC_PY_TYPE_ERROR:
        return lpc_referr_set(e, LP_CODE_PYTHON_TYPE_ERROR, "TypeError",
                              "float() argument must be a string or a real number, not '%s'", lpc_py_type_name(v));
    case LPC_PY_VALUE_ERROR: {
        char r[LPC_REFERR_MSG_MAX];
        if (!py_repr_ascii(v->u.s.ptr, v->u.s.len, r, sizeof r)) break;
        return lpc_referr_set(e, LP_CODE_PYTHON_VALUE_ERROR, "ValueError", "could not convert string to float: %s", r);
    }
    default:
        if (v->type == LPC_INT)
            return lpc_referr_set(e, LP_CODE_PYTHON_OVERFLOW_ERROR, "OverflowError", "int too large to convert to float");
        break;
    }
    return refuse(e, f, "float() of a non-ASCII text is not reproduced");
}

/* str(v) for a value compared as a hotkey; a list or dict (whose repr is not
 * reproduced) refuses. */
static lp_code co_str(const lpc_value *v, const char *f, char buf[LPC_PY_STR_SCALAR_MAX], const char **p, size_t *n,
                      lpc_referr *e)
{
    if (lpc_py_str(v, buf, p, n) != LPC_OK) return refuse(e, f, "str() of a list or object is not reproduced");
    return LP_CODE_OK;
}

/* str(v or "") fullmatching ^[0-9a-f]{40}([0-9a-f]{24})?$ (commit) or
 * ^sha256:[0-9a-f]{64}$ (hash).  A container's repr matches neither. */
static int str_or_empty(const lpc_value *v, char buf[LPC_PY_STR_SCALAR_MAX], const char **p, size_t *n)
{
    if (!lpc_py_truthy(v)) {
        *p = "";
        *n = 0;
        return 1;
    }
    return lpc_py_str(v, buf, p, n) == LPC_OK;
}

static int value_matches(const lpc_value *v, int (*pred)(const char *, size_t))
{
    char buf[LPC_PY_STR_SCALAR_MAX];
    const char *p;
    size_t n;
    return str_or_empty(v, buf, &p, &n) && pred(p, n);
}

/* ---- sha256_json ------------------------------------------------------------------ */

lp_code lpc_wcomp_sha256_json(const lpc_value *v, char out[LPC_SHA256_REF_SIZE], lpc_referr *err)
{
    if (!v || !out) return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "missing value");
    lpc_referr e;
    lp_code c = lpc_v2_sha256_json(v, out, &e);
    /* canonical_json turns json.dumps' ValueError into its own; .encode's
     * UnicodeEncodeError escapes as it is (weight_computation.py:67-81) */
    if (c == LP_CODE_PYTHON_VALUE_ERROR && strcmp(e.type, "ValueError") == 0)
        return wce(err, "weight value is not canonical JSON");
    if (c != LP_CODE_OK && err) *err = e;
    return c;
}

lp_code lpc_weight_config_document(const lpc_value *snapshot, lpc_value **out, lpc_referr *err)
{
    if (!out) return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "missing output");
    *out = NULL;
    if (!snapshot || snapshot->type != LPC_OBJECT)
        return lpc_referr_set(err, LP_CODE_PYTHON_TYPE_ERROR, "AttributeError", "'%s' object has no attribute 'get'",
                              lpc_py_type_name(snapshot));
    lpc_value *doc = lpc_new_object();
    if (!doc) return nomem(err);
    for (size_t i = 0; i < sizeof k_config_fields / sizeof k_config_fields[0]; i++) {
        const lpc_value *v = lpc_get(snapshot, k_config_fields[i]);
        lpc_value *c = NULL;
        if (v ? lpc_clone(v, &c) != LPC_OK : !(c = lpc_new_null())) {
            lpc_free(doc);
            return nomem(err);
        }
        if (lpc_object_set(doc, k_config_fields[i], strlen(k_config_fields[i]), c) != LPC_OK) {
            lpc_free(doc);
            return nomem(err);
        }
    }
    *out = doc;
    return LP_CODE_OK;
}

lp_code lpc_weight_config_hash(const lpc_value *snapshot, char out[LPC_SHA256_REF_SIZE], lpc_referr *err)
{
    lpc_value *doc = NULL;
    lp_code c = lpc_weight_config_document(snapshot, &doc, err);
    if (c == LP_CODE_OK) c = lpc_wcomp_sha256_json(doc, out, err);
    lpc_free(doc);
    return c;
}

/* ---- the ordered sum (_ordered_float_sum) ----------------------------------------- */

static double osum(const lpc_wcomp_trace *t, lpc_wcomp_sum which, const double *x, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += x[i];
    if (t && t->fn) t->fn(t->ctx, which, x, n, s);
    return s;
}

/* Python's int / int for 0 <= a < b: the correctly rounded quotient (§10 item 7). */
static double int_div_below_one(uint64_t a, uint64_t b)
{
    if (a == 0) return 0.0;
    if (a < ((uint64_t)1 << 53) && b < ((uint64_t)1 << 53)) return (double)a / (double)b;  /* both exact */
    /* long division: 55 significant bits (53 + guard) and a sticky bit */
    uint64_t r = a, m = 0;
    int exp = 0, bits = 0;
    while (bits < 55) {
        int bit;
        if (r >= b - r) { bit = 1; r -= b - r; } else { bit = 0; r <<= 1; }
        exp--;
        if (bits || bit) { m = (m << 1) | (uint64_t)bit; bits++; }
    }
    int sticky = r != 0;
    uint64_t q = m >> 2, g = (m >> 1) & 1, s = (m & 1) | (uint64_t)sticky;
    if (g && (s || (q & 1))) q++;
    return ldexp((double)q, exp + 2);
}

static double pymax0(double x) { return x > 0.0 ? x : 0.0; }            /* max(0.0, x) */
static double pymin(double a, double x) { return x < a ? x : a; }       /* min(a, x) */

/* ---- string sets and the hotkey -> uid map ---------------------------------------- */

typedef struct {
    const char *p;
    size_t n;
    size_t idx;
} skey;

static int skey_cmp_bytes(const skey *a, const skey *b)
{
    size_t m = a->n < b->n ? a->n : b->n;
    int c = m ? memcmp(a->p, b->p, m) : 0;
    if (c) return c;
    return a->n < b->n ? -1 : a->n > b->n;
}

static int skey_cmp(const void *x, const void *y)
{
    const skey *a = x, *b = y;
    int c = skey_cmp_bytes(a, b);
    if (c) return c;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Sorts k[0..n) and keeps one entry per distinct string: the one with the largest idx
 * when keep_last, else the smallest.  Returns the new count. */
static size_t skey_unique(skey *k, size_t n, int keep_last)
{
    if (n == 0) return 0;
    qsort(k, n, sizeof *k, skey_cmp);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (w && skey_cmp_bytes(&k[w - 1], &k[i]) == 0) {
            if (keep_last) k[w - 1] = k[i];
            continue;
        }
        k[w++] = k[i];
    }
    return w;
}

static const skey *skey_find(const skey *k, size_t n, const char *p, size_t len)
{
    skey want = {p, len, 0};
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = skey_cmp_bytes(&k[mid], &want);
        if (c == 0) return &k[mid];
        if (c < 0) lo = mid + 1; else hi = mid;
    }
    return NULL;
}

/* ---- insertion-ordered uid -> float maps ------------------------------------------ */

/* Keys are int64; those in [-span, span) find their slot directly, any other (only a
 * champion uid, which is not checked against the metagraph) by a scan of the few
 * outliers. */
typedef struct {
    int64_t *key;
    double *val;
    size_t n, cap;
    int32_t *slot;     /* slot[uid + span] = index + 1, 0 = absent */
    int64_t span;
    size_t *out;       /* indices of keys outside the span */
    size_t nout;
} omap;

static int omap_init(omap *m, int64_t span, size_t cap)
{
    memset(m, 0, sizeof *m);
    m->span = span;
    m->cap = cap ? cap : 1;
    m->key = malloc(m->cap * sizeof *m->key);
    m->val = malloc(m->cap * sizeof *m->val);
    m->out = malloc(m->cap * sizeof *m->out);
    m->slot = calloc((size_t)(2 * span) + 1, sizeof *m->slot);
    return m->key && m->val && m->out && m->slot;
}

static void omap_free(omap *m)
{
    free(m->key);
    free(m->val);
    free(m->out);
    free(m->slot);
}

static int omap_index(const omap *m, int64_t k)
{
    if (k >= -m->span && k < m->span) return m->slot[k + m->span] - 1;
    for (size_t i = 0; i < m->nout; i++)
        if (m->key[m->out[i]] == k) return (int)m->out[i];
    return -1;
}

/* uid_weights[k] = uid_weights.get(k, 0.0) + w; the map never exceeds cap entries
 * (the caller sized it by the number of credits). */
static int omap_add(omap *m, int64_t k, double w)
{
    int i = omap_index(m, k);
    if (i >= 0) {
        m->val[i] += w;
        return 1;
    }
    if (m->n == m->cap) return 0;
    m->key[m->n] = k;
    m->val[m->n] = 0.0 + w;
    if (k >= -m->span && k < m->span) m->slot[k + m->span] = (int32_t)(m->n + 1);
    else m->out[m->nout++] = m->n;
    m->n++;
    return 1;
}

/* ---- the computation -------------------------------------------------------------- */

/* A rolling-score row.  p/n (str(hotkey), possibly in a buffer local to sourcing()) are
 * read only inside sourcing(); afterwards only s and uid are. */
typedef struct {
    const char *p;
    size_t n;
    double s;
    int64_t uid;       /* registered rows */
} rrow;

typedef struct {
    /* inputs */
    const lpc_value *snap;
    const lpc_wcomp_trace *trace;
    lpc_referr *err;
    /* §5.1 */
    int64_t netuid, epoch_id, block, burn_uid;
    const lpc_value *mg;  /* metagraph_hotkeys */
    size_t nmg;
    skey *hk2uid;
    size_t nhk;
    /* §5.2 */
    double fallback, lab, base, champ, effc, lb, pool, maxs;
    int has_cuid;
    int64_t cuid;
    /* §5.3 */
    rrow *rows;
    rrow *reg;
    size_t nreg;
    double all, regt, effs, dburn, tominers;
    /* §5.4 */
    int ff;
    double fs, unused_ff, lburn;
    const lpc_value *frows;
    omap lbw;
    /* §5.5 */
    omap labw;
    double labburn, paid;
    /* §5.6 */
    omap W;
    double burn;
    double *scratch;      /* room for max(rows, 2 * nmg + 1) + 1 doubles */
    char config_hash[LPC_SHA256_REF_SIZE];
} wc;

static const lpc_value *F(const wc *c, const char *k) { return lpc_get(c->snap, k); }

static lp_code validate_head(wc *c)
{
    lpc_referr *e = c->err;
    const lpc_value *s = c->snap;
    if (s->type != LPC_OBJECT || s->u.o.n != LPC_WCOMP_SNAPSHOT_FIELDS)
        return wce(e, "weight snapshot fields do not match the canonical schema");
    for (size_t i = 0; i < LPC_WCOMP_SNAPSHOT_FIELDS; i++)
        if (!lpc_get(s, k_fields[i])) return wce(e, "weight snapshot fields do not match the canonical schema");
    if (!lpc_str_eq(F(c, "schema_version"), LPC_WCOMP_SNAPSHOT_SCHEMA)) return wce(e, "unsupported weight snapshot schema");
    lp_code r;
    if ((r = co_int(F(c, "netuid"), "netuid", 0, &c->netuid, e)) ||
        (r = co_int(F(c, "epoch_id"), "epoch_id", 0, &c->epoch_id, e)) ||
        (r = co_int(F(c, "block"), "block", 0, &c->block, e)))
        return r;
    if (!value_matches(F(c, "commit_sha"), lpc_v2_is_commit_sha)) return wce(e, "commit_sha must be a full Git object id");
    const lpc_value *ch = F(c, "config_hash");
    if (!value_matches(ch, lpc_v2_is_sha256_ref)) return wce(e, "config_hash must be a canonical SHA256 hash");
    if ((r = lpc_weight_config_hash(s, c->config_hash, e))) return r;
    /* the regex passed on str(v or ""), so v is the 71-character string itself */
    if (!lpc_str_eq(ch, c->config_hash)) return wce(e, "config_hash does not match weight behavior configuration");
    const lpc_value *pr = F(c, "parent_receipt_hashes");
    if (pr->type != LPC_ARRAY) return wce(e, "parent_receipt_hashes are invalid");
    for (size_t i = 0; i < pr->u.a.n; i++)
        if (!value_matches(pr->u.a.items[i], lpc_v2_is_sha256_ref)) return wce(e, "parent_receipt_hashes are invalid");
    {
        char buf[LPC_PY_STR_SCALAR_MAX];
        const char *p;
        size_t n;
        const lpc_value *a = F(c, "research_lab_allocation_receipt_hash");
        if (!str_or_empty(a, buf, &p, &n)) return wce(e, "research_lab_allocation_receipt_hash is invalid");
        if (n && !lpc_v2_is_sha256_ref(p, n)) return wce(e, "research_lab_allocation_receipt_hash is invalid");
    }
    if ((r = co_int(F(c, "burn_target_uid"), "burn_target_uid", 0, &c->burn_uid, e))) return r;
    c->mg = F(c, "metagraph_hotkeys");
    if (c->mg->type != LPC_ARRAY) return wce(e, "metagraph_hotkeys must be a list of strings");
    for (size_t i = 0; i < c->mg->u.a.n; i++)
        if (c->mg->u.a.items[i]->type != LPC_STR) return wce(e, "metagraph_hotkeys must be a list of strings");
    c->nmg = c->mg->u.a.n;
    if (c->nmg > LPC_WCOMP_MAX_METAGRAPH)
        return lpc_referr_set(e, LP_CODE_INPUT_TOO_LARGE, "LimitExceeded",
                              "metagraph_hotkeys has more than %d entries", LPC_WCOMP_MAX_METAGRAPH);
    if ((uint64_t)c->burn_uid >= c->nmg) return wce(e, "burn target UID is not registered");
    {
        char buf[LPC_PY_STR_SCALAR_MAX];
        const char *p;
        size_t n;
        if (!str_or_empty(F(c, "expected_burn_target_hotkey"), buf, &p, &n))
            return refuse(e, "expected_burn_target_hotkey", "str() of a list or object is not reproduced");
        const lpc_value *a = c->mg->u.a.items[c->burn_uid];
        if (n && (a->u.s.len != n || memcmp(a->u.s.ptr, p, n) != 0)) return wce(e, "burn target hotkey ownership mismatch");
    }
    return LP_CODE_OK;
}

/* _doc_percent_share(doc, key, fallback) */
static lp_code doc_percent(const lpc_value *doc, const char *key, double fb, double *out, lpc_referr *e)
{
    *out = fb;
    const lpc_value *v = lpc_get(doc, key);
    if (!v || v->type == LPC_NULL || (v->type == LPC_STR && v->u.s.len == 0)) return LP_CODE_OK;
    double x;
    switch (lpc_py_float(v, &x)) {
    case LPC_PY_OK: *out = pymax0(pymin(1.0, x / 100.0)); return LP_CODE_OK;
    case LPC_PY_TYPE_ERROR:
    case LPC_PY_VALUE_ERROR: return LP_CODE_OK;
    default:
        if (v->type == LPC_INT)
            return lpc_referr_set(e, LP_CODE_PYTHON_OVERFLOW_ERROR, "OverflowError", "int too large to convert to float");
        return refuse(e, key, "float() of a non-ASCII text is not reproduced");
    }
}

static lp_code shares(wc *c)
{
    lpc_referr *e = c->err;
    lp_code r;
    const lpc_value *doc = F(c, "research_lab_allocation_doc");
    if ((r = co_float(F(c, "research_lab_fallback_share"), "research_lab_fallback_share", 1, &c->fallback, e)) ||
        (r = doc_percent(doc, "lab_cap_percent", c->fallback, &c->lab, e)) ||
        (r = co_float(F(c, "base_burn_share"), "base_burn_share", 1, &c->base, e)) ||
        (r = co_float(F(c, "champion_share"), "champion_share", 1, &c->champ, e)) ||
        (r = co_float(F(c, "effective_champion_share"), "effective_champion_share", 1, &c->effc, e)))
        return r;
    const lpc_value *cu = F(c, "champion_uid");
    c->has_cuid = cu->type != LPC_NULL;
    if (c->has_cuid && (r = co_int(cu, "champion_uid", 0, &c->cuid, e))) return r;
    if ((r = co_float(F(c, "leaderboard_bonus_share"), "leaderboard_bonus_share", 1, &c->lb, e))) return r;
    c->pool = pymax0(((1.0 - c->lab) - c->champ) - c->lb);
    c->maxs = pymax0((((1.0 - c->lab) - c->champ) - c->pool) - c->lb);
    return LP_CODE_OK;
}

/* banned = {str(item) for item in (banned_hotkeys or [])} */
static lp_code banned_set(wc *c, skey **out, size_t *nout)
{
    lpc_referr *e = c->err;
    const lpc_value *b = F(c, "banned_hotkeys");
    *out = NULL;
    *nout = 0;
    if (!lpc_py_truthy(b)) return LP_CODE_OK;
    size_t n;
    switch (b->type) {
    case LPC_ARRAY: n = b->u.a.n; break;
    case LPC_OBJECT: n = b->u.o.n; break;
    case LPC_STR: n = b->u.s.len; break;  /* at most one code point per byte */
    default:
        return lpc_referr_set(e, LP_CODE_PYTHON_TYPE_ERROR, "TypeError", "'%s' object is not iterable", lpc_py_type_name(b));
    }
    skey *k = malloc((n ? n : 1) * sizeof *k);
    if (!k) return nomem(e);
    size_t m = 0;
    if (b->type == LPC_ARRAY) {
        for (size_t i = 0; i < n; i++) {
            const lpc_value *it = b->u.a.items[i];
            /* str(item): a float's repr is not kept here, a container's not reproduced */
            if (it->type == LPC_STR) k[m++] = (skey){it->u.s.ptr, it->u.s.len, i};
            else if (it->type == LPC_INT) k[m++] = (skey){it->u.i.digits, it->u.i.len, i};
            else if (it->type == LPC_NULL) k[m++] = (skey){"None", 4, i};
            else if (it->type == LPC_BOOL) k[m++] = (skey){it->u.b ? "True" : "False", it->u.b ? 4u : 5u, i};
            else if (it->type == LPC_FLOAT) {
                free(k);
                return refuse(e, "banned_hotkeys", "a float item is not reproduced");
            } else {
                free(k);
                return refuse(e, "banned_hotkeys", "str() of a list or object is not reproduced");
            }
        }
    } else if (b->type == LPC_OBJECT) {
        for (size_t i = 0; i < n; i++) k[m++] = (skey){b->u.o.items[i].key, b->u.o.items[i].klen, i};
    } else {  /* iterating a str: its code points (WTF-8 sequences) */
        const unsigned char *p = (const unsigned char *)b->u.s.ptr;
        size_t i = 0;
        while (i < n) {
            size_t l = p[i] < 0x80 ? 1 : p[i] < 0xE0 ? 2 : p[i] < 0xF0 ? 3 : 4;
            if (i + l > n) l = n - i;
            k[m++] = (skey){(const char *)p + i, l, i};
            i += l;
        }
    }
    *nout = skey_unique(k, m, 0);
    *out = k;
    return LP_CODE_OK;
}

static lp_code sourcing(wc *c)
{
    lpc_referr *e = c->err;
    lp_code r;
    const lpc_value *rs = F(c, "rolling_scores");
    if (rs->type != LPC_ARRAY) return wce(e, "rolling_scores must be a list");
    skey *banned;
    size_t nbanned;
    if ((r = banned_set(c, &banned, &nbanned))) return r;
    size_t n = rs->u.a.n;
    c->rows = malloc((n ? n : 1) * sizeof *c->rows);
    c->reg = malloc((n ? n : 1) * sizeof *c->reg);
    skey *seen = malloc((n ? n : 1) * sizeof *seen);
    unsigned char *dup = calloc(n ? n : 1, 1);
    char (*sbuf)[LPC_PY_STR_SCALAR_MAX] = malloc((n ? n : 1) * sizeof *sbuf);
    if (!c->rows || !c->reg || !seen || !dup || !sbuf) {
        r = nomem(e);
        goto out;
    }
    /* Pass 1: the hotkeys of the well-formed rows before the first malformed one, and
     * which of them repeat an earlier row (Python raises at the repeat). */
    size_t stop = n, m = 0;
    for (size_t i = 0; i < n; i++) {
        const lpc_value *row = rs->u.a.items[i];
        const lpc_value *h = lpc_get(row, "hotkey");
        if (row->type != LPC_OBJECT || row->u.o.n != 2 || !h || !lpc_get(row, "score")) {
            stop = i;
            break;
        }
        const char *p;
        size_t l;
        if (lpc_py_str(h, sbuf[i], &p, &l) != LPC_OK) {
            stop = i;
            break;
        }
        c->rows[i].p = p;
        c->rows[i].n = l;
        seen[m++] = (skey){p, l, i};
    }
    qsort(seen, m, sizeof *seen, skey_cmp);
    for (size_t i = 1; i < m; i++)
        if (skey_cmp_bytes(&seen[i - 1], &seen[i]) == 0) dup[seen[i].idx] = 1;
    /* Pass 2: the reference's loop. */
    for (size_t i = 0; i < n; i++) {
        if (i == stop) {
            const lpc_value *row = rs->u.a.items[i];
            const lpc_value *h = lpc_get(row, "hotkey");
            if (row->type != LPC_OBJECT || row->u.o.n != 2 || !h || !lpc_get(row, "score"))
                r = wce(e, "rolling score row is invalid");
            else
                r = refuse(e, "rolling score hotkey", "str() of a list or object is not reproduced");
            goto out;
        }
        if (dup[i]) {
            r = wce(e, "rolling score hotkey is duplicated");
            goto out;
        }
        if ((r = co_float(lpc_get(rs->u.a.items[i], "score"), "rolling score", 0, &c->rows[i].s, e))) goto out;
        if (c->rows[i].s > 0 && skey_find(banned, nbanned, c->rows[i].p, c->rows[i].n)) {
            r = wce(e, "banned hotkey has a positive sourcing score");
            goto out;
        }
    }
    /* hotkey_to_uid: the last index of each metagraph hotkey */
    c->hk2uid = malloc((c->nmg ? c->nmg : 1) * sizeof *c->hk2uid);
    if (!c->hk2uid) {
        r = nomem(e);
        goto out;
    }
    for (size_t i = 0; i < c->nmg; i++)
        c->hk2uid[i] = (skey){c->mg->u.a.items[i]->u.s.ptr, c->mg->u.a.items[i]->u.s.len, i};
    c->nhk = skey_unique(c->hk2uid, c->nmg, 1);

    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (c->rows[i].s > 0) c->scratch[k++] = c->rows[i].s;
    c->all = osum(c->trace, LPC_WCOMP_SUM_ALL_ROLLING, c->scratch, k);
    c->nreg = 0;
    for (size_t i = 0; i < n; i++) {
        const skey *f = skey_find(c->hk2uid, c->nhk, c->rows[i].p, c->rows[i].n);
        if (!f) continue;
        c->reg[c->nreg] = c->rows[i];
        c->reg[c->nreg].uid = (int64_t)f->idx;
        c->nreg++;
    }
    k = 0;
    for (size_t i = 0; i < c->nreg; i++)
        if (c->reg[i].s > 0) c->scratch[k++] = c->reg[i].s;
    c->regt = osum(c->trace, LPC_WCOMP_SUM_REGISTERED_ROLLING, c->scratch, k);
    double dpts = c->all - c->regt;
    int64_t cnt, fl;
    if ((r = co_int(F(c, "rolling_lead_count"), "rolling_lead_count", 0, &cnt, e)) ||
        (r = co_int(F(c, "sourcing_floor_threshold"), "sourcing_floor_threshold", 1, &fl, e)))
        goto out;
    c->effs = cnt >= fl ? c->maxs : int_div_below_one((uint64_t)cnt, (uint64_t)fl) * c->maxs;
    c->dburn = 0.0;
    if (c->all > 0 && dpts > 0) c->dburn = c->effs * (dpts / c->all);
    c->tominers = c->effs - c->dburn;
    r = LP_CODE_OK;
out:
    free(banned);
    free(seen);
    free(dup);
    free(sbuf);
    return r;
}

static const skey *hk_lookup(const wc *c, const char *p, size_t n) { return skey_find(c->hk2uid, c->nhk, p, n); }

static lp_code fulfillment_and_leaderboard(wc *c)
{
    lpc_referr *e = c->err;
    lp_code r;
    c->ff = lpc_py_truthy(F(c, "ff_enabled"));
    if ((r = co_float(F(c, "fulfillment_share"), "fulfillment_share", 1, &c->fs, e))) return r;
    c->frows = F(c, "fulfillment_rows");
    if (c->frows->type != LPC_ARRAY) return wce(e, "fulfillment_rows must be a list");
    if (!lpc_py_truthy(F(c, "fulfillment_fetch_ok")) || !c->ff) {
        c->fs = 0.0;
        c->frows = NULL;
    }
    c->unused_ff = c->pool - c->fs;
    const lpc_value *ranks = F(c, "leaderboard_rank_shares"), *ent = F(c, "leaderboard_entries");
    if (ranks->type != LPC_ARRAY || ent->type != LPC_ARRAY) return wce(e, "leaderboard inputs must be lists");
    size_t nr = ranks->u.a.n;
    double *rv = malloc((nr ? nr : 1) * sizeof *rv);
    if (!rv) return nomem(e);
    for (size_t i = 0; i < nr; i++)
        if ((r = co_float(ranks->u.a.items[i], "leaderboard rank share", 1, &rv[i], e))) {
            free(rv);
            return r;
        }
    if (!omap_init(&c->lbw, (int64_t)c->nmg, nr)) {
        free(rv);
        return nomem(e);
    }
    c->lburn = c->ff ? 0.0 : c->lb;
    if (c->ff && !lpc_py_truthy(F(c, "leaderboard_fetch_ok"))) {
        c->lburn = c->lb;
    } else if (c->ff) {
        for (size_t i = 0; i < nr; i++) {
            if (i >= ent->u.a.n) {
                c->lburn += rv[i];
                continue;
            }
            const lpc_value *en = ent->u.a.items[i];
            if (en->type != LPC_OBJECT) {
                free(rv);
                return wce(e, "leaderboard entry is invalid");
            }
            char buf[LPC_PY_STR_SCALAR_MAX];
            const char *p;
            size_t n;
            if (!str_or_empty(lpc_get(en, "miner_hotkey"), buf, &p, &n)) {
                free(rv);
                return refuse(e, "leaderboard miner_hotkey", "str() of a list or object is not reproduced");
            }
            const skey *f = hk_lookup(c, p, n);
            if (f) {
                if (!omap_add(&c->lbw, (int64_t)f->idx, rv[i])) {
                    free(rv);
                    return nomem(e);
                }
            } else {
                c->lburn += rv[i];
            }
        }
    }
    free(rv);
    return LP_CODE_OK;
}

/* research_lab_uid_weights_from_allocation(doc, metagraph, reserved = lab) (§5.5) */
static lp_code research_lab(wc *c)
{
    lpc_referr *e = c->err;
    lp_code r;
    const lpc_value *doc = F(c, "research_lab_allocation_doc");
    double reserved = c->lab;
    size_t credits = 0;
    if (doc->type == LPC_OBJECT)
        for (size_t s = 0; s < 4; s++) {
            const lpc_value *sec = lpc_get(doc, k_lab_sections[s]);
            if (sec && sec->type == LPC_ARRAY) credits += sec->u.a.n;
        }
    if (!omap_init(&c->labw, (int64_t)c->nmg, credits)) return nomem(e);
    c->paid = 0.0;
    if (doc->type != LPC_OBJECT || doc->u.o.n == 0) {
        c->labburn = reserved;
        return LP_CODE_OK;
    }
    double capv, unv;
    if ((r = co_float_raw(lpc_get(doc, "lab_cap_percent"), "lab_cap_percent", &capv, e))) return r;
    double cap = pymax0(pymin(reserved, capv / 100.0));
    if ((r = co_float_raw(lpc_get(doc, "unallocated_percent"), "unallocated_percent", &unv, e))) return r;
    double unalloc = pymin(cap, pymax0(unv / 100.0));
    double paid = 0.0, dereg = 0.0;
    for (size_t s = 0; s < 4; s++) {
        const lpc_value *sec = lpc_get(doc, k_lab_sections[s]);
        if (!lpc_py_truthy(sec)) continue;
        if (sec->type == LPC_STR || sec->type == LPC_OBJECT) continue;  /* iterates to non-dict items */
        if (sec->type != LPC_ARRAY)
            return lpc_referr_set(e, LP_CODE_PYTHON_TYPE_ERROR, "TypeError", "'%s' object is not iterable",
                                  lpc_py_type_name(sec));
        for (size_t i = 0; i < sec->u.a.n; i++) {
            const lpc_value *row = sec->u.a.items[i];
            if (row->type != LPC_OBJECT) continue;
            double pv;
            if ((r = co_float_raw(lpc_get(row, "paid_alpha_percent"), "paid_alpha_percent", &pv, e))) return r;
            double pct = pymax0(pv / 100.0);
            if (pct <= 0) continue;
            paid += pct;
            /* try: uid = int(row.uid); exp = str(row.miner_hotkey or ""); act = metagraph[uid]
             * except Exception: deregistered */
            static const lpc_value none = {.type = LPC_NULL};
            const lpc_value *uv = lpc_get(row, "uid");
            int64_t uid;
            lpc_py_status st = lpc_py_int(uv ? uv : &none, &uid);
            if (st != LPC_PY_OK) {  /* TypeError, ValueError, OverflowError; a huge int: IndexError */
                dereg += pct;
                continue;
            }
            char buf[LPC_PY_STR_SCALAR_MAX];
            const char *p;
            size_t n;
            int str_ok = str_or_empty(lpc_get(row, "miner_hotkey"), buf, &p, &n);
            int64_t nmg = (int64_t)c->nmg;
            if (!(uid >= -nmg && uid < nmg)) {
                dereg += pct;
                continue;
            }
            if (!str_ok) return refuse(e, "research lab miner_hotkey", "str() of a list or object is not reproduced");
            const lpc_value *act = c->mg->u.a.items[uid < 0 ? uid + nmg : uid];
            if (n && (act->u.s.len != n || memcmp(act->u.s.ptr, p, n) != 0)) {
                dereg += pct;
                continue;
            }
            if (!omap_add(&c->labw, uid, pct)) return nomem(e);
        }
    }
    double payable = pymax0(cap - unalloc);
    if (paid > payable && paid > 0) {
        double scale = payable / paid;
        for (size_t i = 0; i < c->labw.n; i++) c->labw.val[i] = c->labw.val[i] * scale;
        dereg *= scale;
        paid = payable;
    }
    double rgap = pymax0(cap - (paid + unalloc));
    double resgap = pymax0(reserved - cap);
    c->labburn = ((unalloc + dereg) + rgap) + resgap;
    c->paid = paid;
    return LP_CODE_OK;
}

static lp_code assemble(wc *c, double **weights_out)
{
    lpc_referr *e = c->err;
    lp_code r;
    c->burn = (((((c->base + (c->maxs - c->effs)) + (c->champ - c->effc)) + c->dburn) + c->unused_ff) + c->lburn) + c->labburn;
    size_t nf = c->frows ? c->frows->u.a.n : 0;
    if (!omap_init(&c->W, (int64_t)c->nmg, 2 + nf + c->lbw.n + c->labw.n + c->nreg)) return nomem(e);
    omap_add(&c->W, c->burn_uid, c->burn);
    if (c->effc > 0 && c->has_cuid) omap_add(&c->W, c->cuid, c->effc);
    for (size_t i = 0; i < nf; i++) {
        const lpc_value *row = c->frows->u.a.items[i];
        const lpc_value *h = lpc_get(row, "hotkey"), *sh = lpc_get(row, "share");
        if (row->type != LPC_OBJECT || row->u.o.n != 2 || !h || !sh) return wce(e, "fulfillment row is invalid");
        char buf[LPC_PY_STR_SCALAR_MAX];
        const char *p;
        size_t n;
        if ((r = co_str(h, "fulfillment row hotkey", buf, &p, &n, e))) return r;
        double share;
        if ((r = co_float(sh, "fulfillment row share", 1, &share, e))) return r;
        const skey *f = hk_lookup(c, p, n);
        omap_add(&c->W, f ? (int64_t)f->idx : c->burn_uid, share);
    }
    for (size_t i = 0; i < c->lbw.n; i++) omap_add(&c->W, c->lbw.key[i], c->lbw.val[i]);
    for (size_t i = 0; i < c->labw.n; i++) omap_add(&c->W, c->labw.key[i], c->labw.val[i]);
    double minrep;
    if ((r = co_float(F(c, "min_total_rep_for_distribution"), "min_total_rep_for_distribution", 1, &minrep, e))) return r;
    if (c->regt < minrep) {
        omap_add(&c->W, c->burn_uid, c->tominers);
    } else {
        for (size_t i = 0; i < c->nreg; i++) {
            if (c->reg[i].s <= 0) continue;
            omap_add(&c->W, c->reg[i].uid, c->tominers * (c->reg[i].s / c->regt));
        }
    }
    double s1 = osum(c->trace, LPC_WCOMP_SUM_BEFORE_CLAMP, c->W.val, c->W.n);
    if (!(0.999 <= s1 && s1 <= 1.001)) return wce(e, "weights do not sum to one before normalization");
    double *w = malloc((c->W.n ? c->W.n : 1) * sizeof *w);
    if (!w) return nomem(e);
    for (size_t i = 0; i < c->W.n; i++) w[i] = pymax0(c->W.val[i]);
    double s2 = osum(c->trace, LPC_WCOMP_SUM_NORMALIZED, w, c->W.n);
    if (s2 <= 0) {
        free(w);
        return wce(e, "sanitized weights sum to zero");
    }
    for (size_t i = 0; i < c->W.n; i++) w[i] = w[i] / s2;
    *weights_out = w;
    return LP_CODE_OK;
}

typedef struct {
    int64_t uid;
    double w;
} uw;

static int uw_cmp(const void *x, const void *y)
{
    const uw *a = x, *b = y;
    return a->uid < b->uid ? -1 : a->uid > b->uid;  /* uids are unique: stability is moot */
}

static lpc_value *int_array(const int64_t *x, size_t n)
{
    lpc_value *a = lpc_new_array();
    for (size_t i = 0; a && i < n; i++)
        if (lpc_array_append(a, lpc_new_int(x[i])) != LPC_OK) {
            lpc_free(a);
            a = NULL;
        }
    return a;
}

static int set(lpc_value *o, const char *k, lpc_value *v) { return v && lpc_object_set(o, k, strlen(k), v) == LPC_OK; }

/* Sparse u16 vector, weights_hash and the result document (§5.6 end, §5.7). */
static lp_code finish(wc *c, const double *w, lpc_value **result)
{
    lpc_referr *e = c->err;
    size_t n = c->W.n, k = 0;
    lp_code r = LP_CODE_OK;
    uw *pairs = malloc((n ? n : 1) * sizeof *pairs);
    int64_t *su = malloc((n ? n : 1) * sizeof *su), *su16 = malloc((n ? n : 1) * sizeof *su16);
    int64_t *pu = malloc((n ? n : 1) * sizeof *pu);
    double *pw = malloc((n ? n : 1) * sizeof *pw);
    uint16_t *w16 = malloc((n ? n : 1) * sizeof *w16);
    lpc_weight_pair *wp = malloc((n ? n : 1) * sizeof *wp);
    lpc_value *doc = NULL;
    lpc_buf pre = {0};
    if (!pairs || !su || !su16 || !pu || !pw || !w16 || !wp) {
        r = nomem(e);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (w[i] > 0) pairs[k++] = (uw){c->W.key[i], w[i]};
    qsort(pairs, k, sizeof *pairs, uw_cmp);
    for (size_t i = 0; i < k; i++) {
        pu[i] = pairs[i].uid;
        pw[i] = pairs[i].w;
        if (pu[i] < 0) {
            r = wce(e, "uid is below its minimum");
            goto out;
        }
    }
    if (c->trace && c->trace->fn && k) {
        /* normalize_to_u16_with_uids_pure sums the binary32-quantised weights */
        for (size_t i = 0; i < k; i++) c->scratch[i] = (double)(float)pw[i];
        osum(c->trace, LPC_WCOMP_SUM_U16_FLOAT32, c->scratch, k);
    }
    size_t ns = 0;
    if (lpc_normalize_to_u16(pu, pw, k, su, w16, &ns) != LPC_OK) {
        r = lpc_referr_set(e, LP_CODE_INTERNAL, "RuntimeError", "u16 conversion failed on weights in [0, 1]");
        goto out;
    }
    for (size_t i = 0; i < ns; i++) {
        su16[i] = w16[i];
        wp[i] = (lpc_weight_pair){su[i], w16[i]};
    }
    char wh[LPC_SHA256_HEX_LEN + 1];
    if (lpc_bundle_weights_hash(c->netuid, c->epoch_id, c->block, wp, ns, NULL, &pre, wh) != LPC_OK) {
        r = nomem(e);
        goto out;
    }
    char sh[LPC_SHA256_REF_SIZE];
    if ((r = lpc_wcomp_sha256_json(c->snap, sh, e))) goto out;

    doc = lpc_new_object();
    lpc_value *uids = int_array(c->W.key, n), *wv = lpc_new_array(), *bits = lpc_new_array(), *comp = lpc_new_object();
    for (size_t i = 0; wv && i < n; i++)
        if (lpc_array_append(wv, lpc_new_float(w[i])) != LPC_OK) { lpc_free(wv); wv = NULL; }
    for (size_t i = 0; bits && i < n; i++) {
        uint64_t u;
        memcpy(&u, &w[i], sizeof u);
        char hx[17];
        for (int j = 0; j < 16; j++) hx[j] = "0123456789abcdef"[(u >> (60 - 4 * j)) & 15];
        hx[16] = '\0';
        if (lpc_array_append(bits, lpc_new_str(hx, 16)) != LPC_OK) { lpc_free(bits); bits = NULL; }
    }
    int ok = doc && comp &&
             set(comp, "research_lab_share", lpc_new_float(c->lab)) &&
             set(comp, "research_lab_burn", lpc_new_float(c->labburn)) &&
             set(comp, "research_lab_paid", lpc_new_float(c->paid)) &&
             set(comp, "fulfillment_pool_share", lpc_new_float(c->pool)) &&
             set(comp, "fulfillment_share", lpc_new_float(c->fs)) &&
             set(comp, "leaderboard_burn", lpc_new_float(c->lburn)) &&
             set(comp, "max_sourcing_share", lpc_new_float(c->maxs)) &&
             set(comp, "effective_sourcing_share", lpc_new_float(c->effs)) &&
             set(comp, "deregistered_sourcing_burn", lpc_new_float(c->dburn)) &&
             set(comp, "total_burn_share_before_deregistered_fulfillment", lpc_new_float(c->burn));
    ok = ok && set(doc, "schema_version", lpc_new_str(LPC_WCOMP_RESULT_SCHEMA, strlen(LPC_WCOMP_RESULT_SCHEMA))) &&
         set(doc, "snapshot_hash", lpc_new_str(sh, strlen(sh))) &&
         set(doc, "netuid", lpc_new_int(c->netuid)) &&
         set(doc, "epoch_id", lpc_new_int(c->epoch_id)) &&
         set(doc, "block", lpc_new_int(c->block));
    /* set() takes ownership of each value, also on failure; unset ones are freed here */
    if (ok) { ok = set(doc, "uids", uids); uids = NULL; }
    if (ok) { ok = set(doc, "weights", wv); wv = NULL; }
    if (ok) { ok = set(doc, "weight_float_bits", bits); bits = NULL; }
    ok = ok && set(doc, "sparse_uids", int_array(su, ns)) &&
         set(doc, "sparse_weights_u16", int_array(su16, ns)) &&
         set(doc, "weights_hash", lpc_new_str(wh, strlen(wh)));
    if (ok) { ok = set(doc, "components", comp); comp = NULL; }
    lpc_free(comp);
    lpc_free(uids);
    lpc_free(wv);
    lpc_free(bits);
    if (!ok) {
        r = nomem(e);
        goto out;
    }
    *result = doc;
    doc = NULL;
out:
    lpc_free(doc);
    lpc_buf_free(&pre);
    free(pairs);
    free(su);
    free(su16);
    free(pu);
    free(pw);
    free(w16);
    free(wp);
    return r;
}

lp_code lpc_compute_final_weights(const lpc_value *snapshot, const lpc_wcomp_trace *trace, lpc_value **result,
                                  lpc_referr *err)
{
    lpc_referr_clear(err);
    if (!result) return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "missing output");
    *result = NULL;
    if (!snapshot) return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "missing snapshot");
    wc c;
    memset(&c, 0, sizeof c);
    c.snap = snapshot;
    c.trace = trace;
    c.err = err;
    double *w = NULL;
    lp_code r = validate_head(&c);
    if (r == LP_CODE_OK) r = shares(&c);
    if (r == LP_CODE_OK) {
        /* the rolling sums need one slot per row, the u16 trace one per uid: W's keys
         * are distinct uids in [-nmg, nmg) plus at most the champion's */
        const lpc_value *rs = F(&c, "rolling_scores");
        size_t rows = rs->type == LPC_ARRAY ? rs->u.a.n : 0, uids = 2 * c.nmg + 1;
        c.scratch = malloc(((rows > uids ? rows : uids) + 1) * sizeof *c.scratch);
        if (!c.scratch) r = nomem(err);
    }
    if (r == LP_CODE_OK) r = sourcing(&c);
    if (r == LP_CODE_OK) r = fulfillment_and_leaderboard(&c);
    if (r == LP_CODE_OK) r = research_lab(&c);
    if (r == LP_CODE_OK) r = assemble(&c, &w);
    if (r == LP_CODE_OK) r = finish(&c, w, result);
    free(w);
    free(c.scratch);
    free(c.rows);
    free(c.reg);
    free(c.hk2uid);
    omap_free(&c.lbw);
    omap_free(&c.labw);
    omap_free(&c.W);
    return r;
}

/* ---- the binding's entry points (lpc_refcall.h) ----------------------------------- */

static const lpc_value *one_arg(const lpc_value *args, const lpc_value *kwargs, const char *fn, const char *name,
                                lpc_referr *err)
{
    const lpc_value *v = lpc_refcall_arg(args, kwargs, 0, name);
    if (!v)
        lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "%s() missing 1 required positional argument: '%s'", fn,
                       name);
    return v;
}

static lp_code str_result(const char *s, lpc_value **result, lpc_referr *err)
{
    *result = lpc_new_str(s, strlen(s));
    return *result ? LP_CODE_OK : nomem(err);
}

static lp_code rc_compute(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    *result = NULL;
    const lpc_value *s = one_arg(args, kwargs, "compute_final_weights", "snapshot", err);
    return s ? lpc_compute_final_weights(s, NULL, result, err) : LP_CODE_BAD_ARGUMENT;
}

static lp_code rc_doc(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    *result = NULL;
    const lpc_value *s = one_arg(args, kwargs, "weight_config_document", "snapshot", err);
    return s ? lpc_weight_config_document(s, result, err) : LP_CODE_BAD_ARGUMENT;
}

static lp_code rc_hash(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    *result = NULL;
    const lpc_value *s = one_arg(args, kwargs, "weight_config_hash", "snapshot", err);
    if (!s) return LP_CODE_BAD_ARGUMENT;
    char h[LPC_SHA256_REF_SIZE];
    lp_code r = lpc_weight_config_hash(s, h, err);
    return r ? r : str_result(h, result, err);
}

static lp_code rc_sha256_json(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    *result = NULL;
    const lpc_value *v = one_arg(args, kwargs, "sha256_json", "value", err);
    if (!v) return LP_CODE_BAD_ARGUMENT;
    char h[LPC_SHA256_REF_SIZE];
    lp_code r = lpc_wcomp_sha256_json(v, h, err);
    return r ? r : str_result(h, result, err);
}

const lpc_refcall_entry lpc_refcall_weight_computation[] = {
    {"weight_computation.compute_final_weights", rc_compute},
    {"weight_computation.weight_config_document", rc_doc},
    {"weight_computation.weight_config_hash", rc_hash},
    {"weight_computation.sha256_json", rc_sha256_json},
    {NULL, NULL},
};
