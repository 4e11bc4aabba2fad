/* Replay of commit-reveal hashes and weighted consensus (spec §8, §9).
 * See replay.h for the input format and the order-dependence rule. */
#include "audit/replay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "canonical/lpc_commit.h"

#define FIELD(buf, ...) snprintf((buf), sizeof (buf), __VA_ARGS__)

const char *lpau_field_name(unsigned bit)
{
    switch (bit) {
    case LPAU_F_DECISION: return "final_decision";
    case LPAU_F_REP_SCORE: return "final_rep_score";
    case LPAU_F_REASON: return "primary_rejection_reason";
    case LPAU_F_COUNT: return "validator_count";
    case LPAU_F_WEIGHT: return "consensus_weight";
    case LPAU_F_RATIO: return "approval_ratio";
    case LPAU_F_EPOCH: return "epoch_id";
    }
    return "?";
}

void lpau_replay_free(lpau_replay *r)
{
    if (!r)
        return;
    free(r->leads);
    free(r->commits);
    lpc_free(r->doc);
    memset(r, 0, sizeof *r);
}

/* ---- lead_id -> lead index, open addressing (FNV-1a over the bytes) ---- */
typedef struct {
    size_t *slot;       /* lead index + 1; 0 = empty */
    size_t mask;
} lead_map;

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (uint8_t)p[i];
        h *= 1099511628211ull;
    }
    return h;
}

static int same_str(const lpc_value *a, const lpc_value *b)
{
    return a->u.s.len == b->u.s.len && memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
}

/* Returns the index of key, adding it as lead n (and *added = 1) when new. */
static size_t map_find_add(lead_map *m, lpau_lead *leads, size_t *n_leads,
                           const lpc_value *key, int *added)
{
    size_t i = (size_t)fnv1a(key->u.s.ptr, key->u.s.len) & m->mask;
    for (;;) {
        size_t s = m->slot[i];
        if (s == 0) {
            size_t idx = (*n_leads)++;
            memset(&leads[idx], 0, sizeof leads[idx]);
            leads[idx].lead_id = key;
            m->slot[i] = idx + 1;
            *added = 1;
            return idx;
        }
        if (same_str(leads[s - 1].lead_id, key)) {
            *added = 0;
            return s - 1;
        }
        i = (i + 1) & m->mask;
    }
}

static int is_lower_hex64(const lpc_value *v)
{
    if (!v || v->type != LPC_STR || v->u.s.len != LPC_SHA256_HEX_LEN)
        return 0;
    for (size_t i = 0; i < v->u.s.len; i++) {
        char c = v->u.s.ptr[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return 0;
    }
    return 1;
}

static int is_number(const lpc_value *v)
{
    return v && (v->type == LPC_INT || v->type == LPC_FLOAT);
}

static const char *const commit_key[LPAU_CH_N] = {
    "decision_hash", "rep_score_hash", "rejection_reason_hash", "evidence_hash"
};

/* Checks the commitments of row i; fills c.  Returns LPAU_OK or an input error. */
static lpau_err check_commit(const lpc_value *row, size_t i, lpau_commit *c, int *has, lpau_diag *d)
{
    char f[LPAU_FIELD_MAX];
    const lpc_value *h[LPAU_CH_N];
    int any_salted = 0;
    *has = 0;
    for (int k = 0; k < LPAU_CH_N; k++) {
        h[k] = lpc_get(row, commit_key[k]);
        c->status[k] = LPAU_HASH_ABSENT;
        if (h[k] && h[k]->type == LPC_NULL)
            h[k] = NULL;
        if (!h[k])
            continue;
        if (!is_lower_hex64(h[k])) {
            FIELD(f, "validations[%zu].%s", i, commit_key[k]);
            return lpau_fail(d, h[k]->type == LPC_STR ? LPAU_ERR_VALUE : LPAU_ERR_TYPE, LPC_OK, f,
                            "must be 64 lowercase hex characters");
        }
        *has = 1;
        if (k != LPAU_CH_EVIDENCE)
            any_salted = 1;
    }
    if (!*has)
        return LPAU_OK;
    const char *salt = NULL;
    size_t salt_len = 0;
    if (any_salted) {
        const lpc_value *s = lpc_get(row, "salt");
        FIELD(f, "validations[%zu].salt", i);
        if (!s)
            return lpau_fail(d, LPAU_ERR_MISSING, LPC_OK, f, "required when a salted hash is given");
        if (s->type != LPC_STR)
            return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, f, "must be a string");
        if (!lpc_commit_salt_is_canonical(s->u.s.ptr, s->u.s.len))
            return lpau_fail(d, LPAU_ERR_VALUE, LPC_OK, f, "must be 64 lowercase hex characters (§8)");
        salt = s->u.s.ptr;
        salt_len = s->u.s.len;
    }
    char hex[LPC_SHA256_HEX_LEN + 1];
    lpc_err e = LPC_OK;
    for (int k = 0; k < LPAU_CH_N; k++) {
        if (!h[k])
            continue;
        const lpc_value *v = NULL;
        switch (k) {
        case LPAU_CH_DECISION:
            v = lpc_get(row, "decision");
            FIELD(f, "validations[%zu].decision", i);
            if (!v || v->type != LPC_STR)
                return lpau_fail(d, v ? LPAU_ERR_TYPE : LPAU_ERR_MISSING, LPC_OK, f,
                                "a string is needed to check decision_hash");
            e = lpc_decision_hash(v->u.s.ptr, v->u.s.len, salt, salt_len, hex);
            break;
        case LPAU_CH_REP_SCORE:
            v = lpc_get(row, "rep_score");
            FIELD(f, "validations[%zu].rep_score", i);
            if (!is_number(v))
                return lpau_fail(d, v ? LPAU_ERR_TYPE : LPAU_ERR_MISSING, LPC_OK, f,
                                "an int (or legacy float) is needed to check rep_score_hash");
            e = lpc_rep_score_hash(v, salt, salt_len, hex);
            break;
        case LPAU_CH_REASON:
            v = lpc_get(row, "rejection_reason");
            FIELD(f, "validations[%zu].rejection_reason", i);
            if (!v)
                return lpau_fail(d, LPAU_ERR_MISSING, LPC_OK, f,
                                "needed to check rejection_reason_hash");
            if (v->type == LPC_STR)   /* stored text DU-A(reason), or legacy raw string */
                e = lpc_rejection_reason_text_hash(v->u.s.ptr, v->u.s.len, salt, salt_len, hex);
            else                       /* null: json.dumps(None) = "null" */
                e = lpc_rejection_reason_hash(v, salt, salt_len, hex);
            break;
        case LPAU_CH_EVIDENCE:
            v = lpc_get(row, "evidence");
            if (!v) {   /* nothing to recompute from: reported as not checked */
                h[k] = NULL;
                continue;
            }
            FIELD(f, "validations[%zu].evidence", i);
            if (v->type != LPC_OBJECT)
                return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, f, "must be an object (the result dict)");
            e = lpc_evidence_hash_clean(v, hex);
            break;
        }
        if (e == LPC_ERR_NOMEM)
            return lpau_fail(d, LPAU_ERR_NOMEM, e, f, "out of memory");
        if (e != LPC_OK)
            return lpau_fail(d, LPAU_ERR_VALUE, e, f, "cannot be hashed: %s", lpc_strerror(e));
        c->status[k] = memcmp(hex, h[k]->u.s.ptr, LPC_SHA256_HEX_LEN) == 0 ? LPAU_HASH_MATCH
                                                                          : LPAU_HASH_MISMATCH;
    }
    return LPAU_OK;
}

/* Validates the consensus inputs of row i as the gateway would use them. */
static lpau_err check_row(const lpc_value *row, size_t i, lpau_diag *d)
{
    char f[LPAU_FIELD_MAX];
    const lpc_value *dec = lpc_get(row, "decision");
    const lpc_value *rep = lpc_get(row, "rep_score");
    const lpc_value *rr = lpc_get(row, "rejection_reason");
    const lpc_value *hk = lpc_get(row, "validator_hotkey");
    if (hk && hk->type != LPC_STR) {
        FIELD(f, "validations[%zu].validator_hotkey", i);
        return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, f, "must be a string");
    }
    if (dec && dec->type != LPC_STR && dec->type != LPC_NULL) {
        FIELD(f, "validations[%zu].decision", i);
        return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, f, "must be a string or null");
    }
    if (rr && rr->type != LPC_STR && rr->type != LPC_NULL) {
        FIELD(f, "validations[%zu].rejection_reason", i);
        return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, f, "must be the stored text (a string) or null");
    }
    if (!dec || dec->type == LPC_NULL || !rep || rep->type == LPC_NULL)
        return LPAU_OK;   /* dropped from the consensus (§9 step 1) */
    static const char *const num[3] = { "v_trust", "stake", "rep_score" };
    for (int k = 0; k < 3; k++) {
        const lpc_value *v = lpc_get(row, num[k]);
        FIELD(f, "validations[%zu].%s", i, num[k]);
        if (!v)
            return lpau_fail(d, LPAU_ERR_MISSING, LPC_ERR_MISSING, f, "required for the consensus");
        double x;
        lpc_err e = lpc_cons_py_float(v, &x);
        if (e == LPC_ERR_TYPE)
            return lpau_fail(d, LPAU_ERR_TYPE, e, f, "must be a number or numeric string");
        if (e != LPC_OK)
            return lpau_fail(d, LPAU_ERR_VALUE, e, f, "float() fails: %s", lpc_strerror(e));
    }
    return LPAU_OK;
}

/* Published result of lead; fills mismatch bits.  Input errors name the field. */
static lpau_err compare_published(const lpau_replay *r, lpau_lead *L, size_t pi, lpau_diag *d)
{
    char f[LPAU_FIELD_MAX];
    const lpc_value *p = L->published;
    const lpc_cons_result *c = &L->rec;
    static const char *const keys[6] = { "final_decision", "final_rep_score",
        "primary_rejection_reason", "validator_count", "consensus_weight", "approval_ratio" };
    const lpc_value *v[6];
    for (int k = 0; k < 6; k++) {
        v[k] = lpc_get(p, keys[k]);
        FIELD(f, "consensus_results[%zu].%s", pi, keys[k]);
        if (!v[k] && k == 5)
            continue;   /* CONSENSUS_RESULT events carry no approval_ratio (§9) */
        if (!v[k])
            return lpau_fail(d, LPAU_ERR_MISSING, LPC_OK, f, "required in a published result");
        int ok;
        switch (k) {
        case 0: case 2: ok = v[k]->type == LPC_STR; break;
        case 3: ok = v[k]->type == LPC_INT; break;
        default: ok = is_number(v[k]); break;
        }
        if (!ok)
            return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, f, "%s",
                            k == 3 ? "must be an integer" : (k == 0 || k == 2) ? "must be a string"
                                                                               : "must be a number");
    }
    unsigned m = 0;
    if (!lpc_str_eq(v[0], c->final_decision))
        m |= LPAU_F_DECISION;
    double x;
    if (!lpc_number_as_double(v[1], &x) || !(x == c->final_rep_score))
        m |= LPAU_F_REP_SCORE;
    if (v[2]->u.s.len != c->primary_reason_len ||
        memcmp(v[2]->u.s.ptr, c->primary_reason, c->primary_reason_len) != 0)
        m |= LPAU_F_REASON;
    int64_t n;
    if (!lpc_int_i64(v[3], &n) || n < 0 || (uint64_t)n != (uint64_t)c->validator_count)
        m |= LPAU_F_COUNT;
    if (!lpc_number_as_double(v[4], &x) || !(x == c->consensus_weight))
        m |= LPAU_F_WEIGHT;
    if (v[5] && (!lpc_number_as_double(v[5], &x) || !(x == c->approval_ratio)))
        m |= LPAU_F_RATIO;
    const lpc_value *ep = lpc_get(p, "epoch_id");
    if (ep && ep->type != LPC_NULL) {
        int64_t e;
        FIELD(f, "consensus_results[%zu].epoch_id", pi);
        if (ep->type != LPC_INT)
            return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, f, "must be an integer");
        if (r->has_epoch && (!lpc_int_i64(ep, &e) || e != r->epoch_id))
            m |= LPAU_F_EPOCH;
    }
    /* Which differences another row order could explain (lpc_consensus.h). */
    unsigned of = c->order_flags & LPC_CONS_ORDER_MASK, cover = 0;
    if (of & LPC_CONS_ORDER_NONFINITE)
        cover |= LPAU_F_DECISION | LPAU_F_REP_SCORE | LPAU_F_REASON | LPAU_F_WEIGHT | LPAU_F_RATIO;
    if (of & LPC_CONS_ORDER_DECISION)
        cover |= LPAU_F_DECISION | LPAU_F_REASON;   /* an approve's reason is "pass" */
    if (of & LPC_CONS_ORDER_REASON)
        cover |= LPAU_F_REASON;
    if (of & LPC_CONS_ORDER_ROUNDING)
        cover |= LPAU_F_REP_SCORE | LPAU_F_WEIGHT | LPAU_F_RATIO;
    L->mismatch = m;
    L->uncertain = (m & ~cover) == 0 ? m : 0;
    return LPAU_OK;
}

lpau_err lpau_replay_run(const lpc_value *doc, lpc_cons_rules rules, lpau_replay *r, lpau_diag *d)
{
    if (!r || !doc)
        return lpau_fail(d, LPAU_ERR_ARG, LPC_OK, "", "NULL argument");
    lpc_value *keep = r->doc;
    memset(r, 0, sizeof *r);
    r->doc = keep;
    if (d)
        memset(d, 0, sizeof *d);
    if (doc->type != LPC_OBJECT)
        return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, "(document)", "must be a JSON object");
    const lpc_value *ep = lpc_get(doc, "epoch_id");
    if (ep && ep->type != LPC_NULL) {
        if (ep->type != LPC_INT)
            return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, "epoch_id", "must be an integer");
        if (!lpc_int_i64(ep, &r->epoch_id))
            return lpau_fail(d, LPAU_ERR_VALUE, LPC_OK, "epoch_id", "out of int64 range");
        r->has_epoch = 1;
    }
    const lpc_value *rows = lpc_get(doc, "validations");
    if (!rows)
        return lpau_fail(d, LPAU_ERR_MISSING, LPC_OK, "validations", "required (may be [])");
    if (rows->type != LPC_ARRAY)
        return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, "validations", "must be an array");
    const lpc_value *pubs = lpc_get(doc, "consensus_results");
    if (pubs && pubs->type == LPC_NULL)
        pubs = NULL;
    if (pubs && pubs->type != LPC_ARRAY)
        return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, "consensus_results", "must be an array");
    size_t nr = rows->u.a.n, np = pubs ? pubs->u.a.n : 0;
    if (nr > LPAU_REPLAY_MAX_ROWS || np > LPAU_REPLAY_MAX_LEADS)
        return lpau_fail(d, LPAU_ERR_TOO_LARGE, LPC_OK, nr > LPAU_REPLAY_MAX_ROWS ? "validations"
                        : "consensus_results", "more than %zu entries", LPAU_REPLAY_MAX_ROWS);
    r->n_rows = nr;

    lpau_err err = LPAU_OK;
    size_t cap = nr + np, tsize = 16;
    while (tsize < 2 * cap)
        tsize <<= 1;
    lead_map map = { calloc(tsize, sizeof(size_t)), tsize - 1 };
    size_t *lead_of = malloc((nr ? nr : 1) * sizeof *lead_of);
    size_t *start = NULL, *order = NULL;
    lpc_cons_row *crow = NULL;
    lpc_cons_reason *work = NULL;
    r->leads = malloc((cap ? cap : 1) * sizeof *r->leads);
    r->commits = malloc((nr ? nr : 1) * sizeof *r->commits);
    if (!map.slot || !lead_of || !r->leads || !r->commits) {
        err = lpau_fail(d, LPAU_ERR_NOMEM, LPC_ERR_NOMEM, "", "out of memory");
        goto out;
    }
    char f[LPAU_FIELD_MAX];
    for (size_t i = 0; i < nr; i++) {
        const lpc_value *row = rows->u.a.items[i];
        if (row->type != LPC_OBJECT) {
            FIELD(f, "validations[%zu]", i);
            err = lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, f, "must be an object");
            goto out;
        }
        const lpc_value *lid = lpc_get(row, "lead_id");
        FIELD(f, "validations[%zu].lead_id", i);
        if (!lid || lid->type != LPC_STR) {
            err = lpau_fail(d, lid ? LPAU_ERR_TYPE : LPAU_ERR_MISSING, LPC_OK, f, "a string is required");
            goto out;
        }
        if ((err = check_row(row, i, d)) != LPAU_OK)
            goto out;
        lpau_commit *c = &r->commits[r->n_commits];
        int has = 0;
        if ((err = check_commit(row, i, c, &has, d)) != LPAU_OK)
            goto out;
        if (has) {
            c->index = i;
            c->lead_id = lid;
            c->hotkey = lpc_get(row, "validator_hotkey");
            for (int k = 0; k < LPAU_CH_N; k++)
                if (c->status[k] == LPAU_HASH_MISMATCH) {
                    r->commit_failures++;
                    break;
                }
            r->n_commits++;
        }
        int added;
        size_t li = map_find_add(&map, r->leads, &r->n_leads, lid, &added);
        r->leads[li].n_rows++;
        lead_of[i] = li;
    }
    size_t n_row_leads = r->n_leads;
    for (size_t j = 0; j < np; j++) {
        const lpc_value *p = pubs->u.a.items[j];
        if (p->type != LPC_OBJECT) {
            FIELD(f, "consensus_results[%zu]", j);
            err = lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, f, "must be an object");
            goto out;
        }
        const lpc_value *lid = lpc_get(p, "lead_id");
        FIELD(f, "consensus_results[%zu].lead_id", j);
        if (!lid || lid->type != LPC_STR) {
            err = lpau_fail(d, lid ? LPAU_ERR_TYPE : LPAU_ERR_MISSING, LPC_OK, f, "a string is required");
            goto out;
        }
        int added;
        size_t li = map_find_add(&map, r->leads, &r->n_leads, lid, &added);
        if (r->leads[li].published) {
            err = lpau_fail(d, LPAU_ERR_DUPLICATE, LPC_OK, f, "lead published twice");
            goto out;
        }
        r->leads[li].published = p;
        r->published++;
    }
    (void)n_row_leads;

    /* Counting sort of row indexes by lead, keeping file order within a lead. */
    size_t nl = r->n_leads, maxg = 0;
    start = calloc(nl + 1, sizeof *start);
    order = malloc((nr ? nr : 1) * sizeof *order);
    if (!start || !order) {
        err = lpau_fail(d, LPAU_ERR_NOMEM, LPC_ERR_NOMEM, "", "out of memory");
        goto out;
    }
    for (size_t l = 0; l < nl; l++) {
        start[l + 1] = start[l] + r->leads[l].n_rows;
        if (r->leads[l].n_rows > maxg)
            maxg = r->leads[l].n_rows;
    }
    if (maxg > LPC_CONS_MAX_ROWS) {
        for (size_t l = 0; l < nl; l++)
            if (r->leads[l].n_rows > LPC_CONS_MAX_ROWS) {
                FIELD(f, "validations (lead %.60s)", r->leads[l].lead_id->u.s.ptr);
                break;
            }
        err = lpau_fail(d, LPAU_ERR_TOO_LARGE, LPC_ERR_TOO_LARGE, f,
                       "more than %d rows for one lead", LPC_CONS_MAX_ROWS);
        goto out;
    }
    {
        size_t *fill = malloc((nl ? nl : 1) * sizeof *fill);
        if (!fill) {
            err = lpau_fail(d, LPAU_ERR_NOMEM, LPC_ERR_NOMEM, "", "out of memory");
            goto out;
        }
        memcpy(fill, start, nl * sizeof *fill);
        for (size_t i = 0; i < nr; i++)
            order[fill[lead_of[i]]++] = i;
        free(fill);
    }
    crow = malloc((maxg ? maxg : 1) * sizeof *crow);
    work = malloc((maxg ? maxg : 1) * sizeof *work);
    if (!crow || !work) {
        err = lpau_fail(d, LPAU_ERR_NOMEM, LPC_ERR_NOMEM, "", "out of memory");
        goto out;
    }
    for (size_t l = 0; l < nl; l++) {
        lpau_lead *L = &r->leads[l];
        size_t g = L->n_rows;
        for (size_t k = 0; k < g; k++) {
            lpc_err e = lpc_cons_row_from_object(rows->u.a.items[order[start[l] + k]], NULL, &crow[k]);
            if (e != LPC_OK) {
                err = lpau_fail(d, LPAU_ERR_CANONICAL, e, "validations", "%s", lpc_strerror(e));
                goto out;
            }
        }
        lpc_err e = lpc_consensus(crow, g, rules, LPC_CONS_PATH_EVIDENCE, work, maxg ? maxg : 1, &L->rec);
        if (e != LPC_OK) {
            size_t gi = g ? order[start[l] + (L->rec.err_row < g ? L->rec.err_row : 0)] : 0;
            FIELD(f, "validations[%zu]", gi);
            err = lpau_fail(d, e == LPC_ERR_NOMEM ? LPAU_ERR_NOMEM : LPAU_ERR_VALUE, e, f,
                           "consensus input rejected: %s", lpc_strerror(e));
            goto out;
        }
        L->order_dependent = (L->rec.order_flags & LPC_CONS_ORDER_MASK) != 0;
        if (L->order_dependent)
            r->order_dependent++;
    }
    for (size_t j = 0; j < np; j++) {
        const lpc_value *lid = lpc_get(pubs->u.a.items[j], "lead_id");
        int added;
        size_t li = map_find_add(&map, r->leads, &r->n_leads, lid, &added);
        lpau_lead *L = &r->leads[li];
        if ((err = compare_published(r, L, j, d)) != LPAU_OK)
            goto out;
        if (L->mismatch && !L->uncertain)
            r->certain_mismatches++;
        else if (L->mismatch)
            r->order_mismatches++;
    }
out:
    free(map.slot);
    free(lead_of);
    free(start);
    free(order);
    free(crow);
    free(work);
    if (err != LPAU_OK) {
        lpc_value *k2 = r->doc;
        r->doc = NULL;
        lpau_replay_free(r);
        r->doc = k2;
    }
    return err;
}

lpau_err lpau_replay_bytes(const uint8_t *buf, size_t len, lpc_cons_rules rules,
                         lpau_replay *r, lpau_diag *d)
{
    if (!r || (!buf && len))
        return lpau_fail(d, LPAU_ERR_ARG, LPC_OK, "", "NULL argument");
    memset(r, 0, sizeof *r);
    if (d)
        memset(d, 0, sizeof *d);
    size_t off = 0;
    lpc_value *doc = NULL;
    lpc_err e = lpc_parse(buf, len, &doc, &off);
    if (e != LPC_OK)
        return lpau_fail(d, e == LPC_ERR_NOMEM ? LPAU_ERR_NOMEM : LPAU_ERR_CANONICAL, e, "",
                        "%s at byte %zu", lpc_strerror(e), off);
    r->doc = doc;
    lpau_err a = lpau_replay_run(doc, rules, r, d);
    if (a != LPAU_OK)
        lpau_replay_free(r);
    return a;
}
