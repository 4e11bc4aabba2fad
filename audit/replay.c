/* Replay of commit-reveal hashes and weighted consensus (spec §8, §9).
 * See replay.h for the input format and the order-dependence rule. */
#include "audit/replay.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "canonical/lpc_codec.h"
#include "canonical/lpc_commit.h"
#include "canonical/lpc_sodium.h"

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

/* The chunks of lpau_replay.pool (kept row fields, see below). */
#define POOL_CHUNK ((size_t)64 << 10)
typedef struct pool_chunk {
    struct pool_chunk *next;
    size_t used;
    alignas(max_align_t) unsigned char data[POOL_CHUNK];
} pool_chunk;

void lpau_replay_free(lpau_replay *r)
{
    if (!r)
        return;
    free(r->leads);
    free(r->commits);
    lpc_free(r->doc);
    for (pool_chunk *c = r->pool; c;) {
        pool_chunk *n = c->next;
        free(c);
        c = n;
    }
    memset(r, 0, sizeof *r);
}

_Static_assert(LPAU_REPLAY_MAX_INPUT <= LPC_JSON_MAX_INPUT_HARD, "the parser accepts the replay cap");

/* ---- lead_id -> lead index, open addressing (keyed SipHash-2-4) ----
 * Lead ids come from the party being audited: the hash is keyed with random
 * bytes per map so no choice of ids can force collisions (and a slow replay).
 * The key changes only where keys land in the table, never the output. 
 * Sized from the leads seen so far (doubling at half load), so the table of an
 * epoch stays cache-sized.  A slot holds (hash32 << 32) | (lead index + 1);
 * 0 = empty.  Each lead's key bytes are copied into one contiguous block
 * (at most the input's size in total), so a probe compares against bytes in
 * cache rather than chasing the key's string in the parse tree. */
_Static_assert(LPAU_REPLAY_MAX_ROWS + LPAU_REPLAY_MAX_LEADS < UINT32_MAX,
               "row and lead indexes are held in 32 bits");
typedef struct {
    uint64_t *slot;
    size_t mask, used;
    unsigned char sip[crypto_shorthash_KEYBYTES];
    struct lead_key { size_t off, n; } *key;   /* by lead index, into bytes */
    char *bytes;
    size_t blen, bcap;
} lead_map;

static uint32_t key_hash(const lead_map *m, const char *p, size_t n)
{
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, (const unsigned char *)p, n, m->sip);
    return (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
}

static int map_init(lead_map *m, size_t max_keys)
{
    memset(m, 0, sizeof *m);
    if (!lpc_sodium_ready())
        return 0;
    randombytes_buf(m->sip, sizeof m->sip);
    m->mask = 1023;
    m->slot = calloc(m->mask + 1, sizeof *m->slot);
    m->key = malloc((max_keys ? max_keys : 1) * sizeof *m->key);
    m->bcap = 1 << 16;
    m->bytes = malloc(m->bcap);
    return m->slot && m->key && m->bytes;
}

static void map_free(lead_map *m)
{
    free(m->slot);
    free(m->key);
    free(m->bytes);
    memset(m, 0, sizeof *m);
}

static int map_grow(lead_map *m)
{
    size_t nsize = (m->mask + 1) * 2;
    uint64_t *ns = calloc(nsize, sizeof *ns);
    if (!ns)
        return 0;
    for (size_t i = 0; i <= m->mask; i++) {
        uint64_t s = m->slot[i];
        if (!s)
            continue;
        size_t j = (size_t)(s >> 32) & (nsize - 1);
        while (ns[j])
            j = (j + 1) & (nsize - 1);
        ns[j] = s;
    }
    free(m->slot);
    m->slot = ns;
    m->mask = nsize - 1;
    return 1;
}

/* Returns the index of key, adding it as lead n (and *added = 1) when new;
 * (size_t)-1 when out of memory. */
static size_t map_find_add(lead_map *m, lpau_lead *leads, size_t *n_leads,
                           const lpc_value *key, int *added)
{
    const char *kp = key->u.s.ptr;
    size_t kn = key->u.s.len;
    uint32_t h = key_hash(m, kp, kn);
    size_t i = h & m->mask;
    for (;;) {
        uint64_t s = m->slot[i];
        if (s == 0)
            break;
        size_t idx = (size_t)(uint32_t)s - 1;
        if ((uint32_t)(s >> 32) == h && m->key[idx].n == kn &&
            memcmp(m->bytes + m->key[idx].off, kp, kn) == 0) {
            *added = 0;
            return idx;
        }
        i = (i + 1) & m->mask;
    }
    if (kn > m->bcap - m->blen) {
        size_t nc = m->bcap;
        while (kn > nc - m->blen) {
            if (nc > SIZE_MAX / 2)
                return (size_t)-1;
            nc *= 2;
        }
        char *nb = realloc(m->bytes, nc);
        if (!nb)
            return (size_t)-1;
        m->bytes = nb;
        m->bcap = nc;
    }
    if (2 * (m->used + 1) > m->mask + 1) {
        if (!map_grow(m))
            return (size_t)-1;
        i = h & m->mask;
        while (m->slot[i])
            i = (i + 1) & m->mask;
    }
    size_t idx = (*n_leads)++;
    memset(&leads[idx], 0, sizeof leads[idx]);
    leads[idx].lead_id = key;
    if (kn)
        memcpy(m->bytes + m->blen, kp, kn);
    m->key[idx].off = m->blen;
    m->key[idx].n = kn;
    m->blen += kn;
    m->slot[i] = (uint64_t)h << 32 | (uint64_t)(idx + 1);
    m->used++;
    *added = 1;
    return idx;
}

static int is_lower_hex64(const lpc_value *v)
{
    return v && v->type == LPC_STR && v->u.s.len == LPC_SHA256_HEX_LEN && lpc_is_lower_hex(v->u.s.ptr, v->u.s.len);
}

static int is_number(const lpc_value *v)
{
    return v && (v->type == LPC_INT || v->type == LPC_FLOAT);
}

static const char *const commit_key[LPAU_CH_N] = {
    "decision_hash", "rep_score_hash", "rejection_reason_hash", "evidence_hash"
};

/* The members of one row this replay reads, found in one pass over the
 * object (NULL = absent; the first of equal keys wins, as lpc_get). */
typedef struct {
    const lpc_value *lead_id, *hotkey, *salt, *evidence;
    const lpc_value *hash[LPAU_CH_N];
    lpc_cons_row c;     /* decision, rep_score, rejection_reason, v_trust, stake */
} row_fields;

#define KEY_IS(m, lit) ((m)->klen == sizeof(lit) - 1 && memcmp((m)->key, (lit), sizeof(lit) - 1) == 0)
#define TAKE(dst) do { if (!(dst)) (dst) = v; } while (0)

static void row_scan(const lpc_value *row, row_fields *f)
{
    memset(f, 0, sizeof *f);
    for (size_t i = 0; i < row->u.o.n; i++) {
        const lpc_member *m = &row->u.o.items[i];
        const lpc_value *v = m->val;
        switch (m->klen) {
        case 4: if (KEY_IS(m, "salt")) TAKE(f->salt); break;
        case 5: if (KEY_IS(m, "stake")) TAKE(f->c.stake); break;
        case 7:
            if (KEY_IS(m, "lead_id")) TAKE(f->lead_id);
            else if (KEY_IS(m, "v_trust")) TAKE(f->c.v_trust);
            break;
        case 8:
            if (KEY_IS(m, "decision")) TAKE(f->c.decision);
            else if (KEY_IS(m, "evidence")) TAKE(f->evidence);
            break;
        case 9: if (KEY_IS(m, "rep_score")) TAKE(f->c.rep_score); break;
        case 13:
            if (KEY_IS(m, "decision_hash")) TAKE(f->hash[LPAU_CH_DECISION]);
            else if (KEY_IS(m, "evidence_hash")) TAKE(f->hash[LPAU_CH_EVIDENCE]);
            break;
        case 14: if (KEY_IS(m, "rep_score_hash")) TAKE(f->hash[LPAU_CH_REP_SCORE]); break;
        case 16:
            if (KEY_IS(m, "rejection_reason")) TAKE(f->c.rejection_reason);
            else if (KEY_IS(m, "validator_hotkey")) TAKE(f->hotkey);
            break;
        case 21: if (KEY_IS(m, "rejection_reason_hash")) TAKE(f->hash[LPAU_CH_REASON]); break;
        default: break;
        }
    }
}

/* Checks the commitments of row i; fills c.  Returns LPAU_OK or an input error. */
/* The field name is formatted only when a row fails (a million rows pass). */
#define FAIL_AT(name, code, e, ...) (FIELD(f, "validations[%zu]." name, i), lpau_fail(d, code, e, f, __VA_ARGS__))

static lpau_err check_commit(const row_fields *rf, size_t i, lpau_commit *c, int *has, lpau_diag *d)
{
    char f[LPAU_FIELD_MAX];
    const lpc_value *h[LPAU_CH_N];
    int any_salted = 0;
    *has = 0;
    for (int k = 0; k < LPAU_CH_N; k++) {
        h[k] = rf->hash[k];
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
        const lpc_value *s = rf->salt;
        if (!s)
            return FAIL_AT("salt", LPAU_ERR_MISSING, LPC_OK, "required when a salted hash is given");
        if (s->type != LPC_STR)
            return FAIL_AT("salt", LPAU_ERR_TYPE, LPC_OK, "must be a string");
        if (!lpc_commit_salt_is_canonical(s->u.s.ptr, s->u.s.len))
            return FAIL_AT("salt", LPAU_ERR_VALUE, LPC_OK, "must be 64 lowercase hex characters (§8)");
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
            v = rf->c.decision;
            if (!v || v->type != LPC_STR)
                return FAIL_AT("decision", v ? LPAU_ERR_TYPE : LPAU_ERR_MISSING, LPC_OK,
                               "a string is needed to check decision_hash");
            e = lpc_decision_hash(v->u.s.ptr, v->u.s.len, salt, salt_len, hex);
            break;
        case LPAU_CH_REP_SCORE:
            v = rf->c.rep_score;
            if (!is_number(v))
                return FAIL_AT("rep_score", v ? LPAU_ERR_TYPE : LPAU_ERR_MISSING, LPC_OK,
                               "an int (or legacy float) is needed to check rep_score_hash");
            e = lpc_rep_score_hash(v, salt, salt_len, hex);
            break;
        case LPAU_CH_REASON:
            v = rf->c.rejection_reason;
            if (!v)
                return FAIL_AT("rejection_reason", LPAU_ERR_MISSING, LPC_OK, "needed to check rejection_reason_hash");
            if (v->type == LPC_STR)   /* stored text DU-A(reason), or legacy raw string */
                e = lpc_rejection_reason_text_hash(v->u.s.ptr, v->u.s.len, salt, salt_len, hex);
            else                       /* null: json.dumps(None) = "null" */
                e = lpc_rejection_reason_hash(v, salt, salt_len, hex);
            break;
        case LPAU_CH_EVIDENCE:
            v = rf->evidence;
            if (!v) {   /* nothing to recompute from: reported as not checked */
                h[k] = NULL;
                continue;
            }
            if (v->type != LPC_OBJECT)
                return FAIL_AT("evidence", LPAU_ERR_TYPE, LPC_OK, "must be an object (the result dict)");
            e = lpc_evidence_hash_clean(v, hex);
            break;
        }
        if (e != LPC_OK) {
            static const char *const input_key[LPAU_CH_N] = {"decision", "rep_score", "rejection_reason",
                                                             "evidence"};
            FIELD(f, "validations[%zu].%s", i, input_key[k]);
            if (e == LPC_ERR_NOMEM)
                return lpau_fail(d, LPAU_ERR_NOMEM, e, f, "out of memory");
            return lpau_fail(d, LPAU_ERR_VALUE, e, f, "cannot be hashed: %s", lpc_strerror(e));
        }
        c->status[k] = memcmp(hex, h[k]->u.s.ptr, LPC_SHA256_HEX_LEN) == 0 ? LPAU_HASH_MATCH
                                                                          : LPAU_HASH_MISMATCH;
    }
    return LPAU_OK;
}

#undef FAIL_AT

/* Validates the consensus inputs of row i as the gateway would use them. */
static lpau_err check_row(const row_fields *rf, size_t i, lpau_diag *d)
{
    char f[LPAU_FIELD_MAX];
    const lpc_value *dec = rf->c.decision;
    const lpc_value *rep = rf->c.rep_score;
    const lpc_value *rr = rf->c.rejection_reason;
    const lpc_value *hk = rf->hotkey;
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
    const lpc_value *nv[3] = { rf->c.v_trust, rf->c.stake, rf->c.rep_score };
    for (int k = 0; k < 3; k++) {
        const lpc_value *v = nv[k];
        /* The common cases need no conversion to be valid: float() of a
         * parsed float or bool always succeeds. */
        if (v && (v->type == LPC_FLOAT || v->type == LPC_BOOL))
            continue;
        double x;
        lpc_err e = v ? lpc_cons_py_float(v, &x) : LPC_ERR_MISSING;
        if (e == LPC_OK)
            continue;
        FIELD(f, "validations[%zu].%s", i, num[k]);
        if (!v)
            return lpau_fail(d, LPAU_ERR_MISSING, LPC_ERR_MISSING, f, "required for the consensus");
        if (e == LPC_ERR_TYPE)
            return lpau_fail(d, LPAU_ERR_TYPE, e, f, "must be a number or numeric string");
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
        if (!v[k] && k == 5)
            continue;   /* CONSENSUS_RESULT events carry no approval_ratio (§9) */
        if (!v[k]) {
            FIELD(f, "consensus_results[%zu].%s", pi, keys[k]);
            return lpau_fail(d, LPAU_ERR_MISSING, LPC_OK, f, "required in a published result");
        }
        int ok;
        switch (k) {
        case 0: case 2: ok = v[k]->type == LPC_STR; break;
        case 3: ok = v[k]->type == LPC_INT; break;
        default: ok = is_number(v[k]); break;
        }
        if (!ok) {
            FIELD(f, "consensus_results[%zu].%s", pi, keys[k]);
            return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, f, "%s",
                            k == 3 ? "must be an integer" : (k == 0 || k == 2) ? "must be a string"
                                                                               : "must be a number");
        }
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
        if (ep->type != LPC_INT) {
            FIELD(f, "consensus_results[%zu].epoch_id", pi);
            return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, f, "must be an integer");
        }
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

/* ---- the replay state, fed one row at a time ----
 * From a tree (lpau_replay_run) rows stay in the caller's document.  From text
 * (lpau_replay_bytes*) the rows of "validations" are parsed one at a time and dropped
 * (lpc_parse_each), so the fields a row leaves for later (lead id, hotkey and the
 * five consensus inputs) are copied into pool chunks owned by the result; their
 * strings lie in the input text, which the result's document keeps.  A kept
 * container keeps only its type: none of them reaches the consensus (check_row
 * refuses them in every row that is not dropped, and lpc_consensus skips those). */

typedef struct {
    lpau_replay *r;
    int copy;                 /* rows vanish after row_add: keep what they leave */
    lead_map map;
    uint32_t *lead_of;        /* by row */
    lpc_cons_row *rowc;       /* by row, file order */
    size_t row_cap, lead_cap; /* of lead_of, rowc and r->commits; of r->leads and map.key */
    size_t seen;              /* rows seen, the cap passed or not */
    lpau_err err;             /* the first row's input error, then rows are only counted */
    lpau_diag d;
    const lpc_value **pubs;   /* lpc_parse_each: the published results kept */
    size_t n_pubs, pub_cap, pub_seen;
    lpau_err pub_err;         /* the first published result that cannot be one */
    lpau_diag pub_d;
    int in;                   /* the array being parsed: 1 rows, 2 published results, 0 another */
} replay_acc;

static lpau_err nomem(lpau_diag *d) { return lpau_fail(d, LPAU_ERR_NOMEM, LPC_ERR_NOMEM, "", "out of memory"); }

static void *pool_alloc(lpau_replay *r, size_t n)
{
    pool_chunk *c = r->pool;
    n = (n + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
    if (n > POOL_CHUNK) return NULL;
    if (!c || POOL_CHUNK - c->used < n) {
        c = malloc(sizeof *c);
        if (!c) return NULL;
        c->next = r->pool;
        c->used = 0;
        r->pool = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

/* A copy of v that outlives its document (see above); v itself from a tree. */
static int keep(replay_acc *a, const lpc_value **v)
{
    if (!a->copy || !*v) return 1;
    lpc_value *k = pool_alloc(a->r, sizeof *k);
    if (!k) return 0;
    *k = **v;
    k->flags = 0;
    if (k->type == LPC_INT && k->u.i.len > 1) {
        char *dg = pool_alloc(a->r, k->u.i.len + 1);
        if (!dg) return 0;
        memcpy(dg, (*v)->u.i.digits, k->u.i.len + 1);
        k->u.i.digits = dg;
    } else if (k->type == LPC_ARRAY) {
        k->u.a.items = NULL, k->u.a.n = 0;
    } else if (k->type == LPC_OBJECT) {
        k->u.o.items = NULL, k->u.o.n = 0;
    }
    *v = k;
    return 1;
}

static int grow(void **p, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap) return 1;
    size_t nc = *cap ? *cap : 1024;
    while (nc < need) {
        if (nc > SIZE_MAX / 2 / sz) return 0;
        nc *= 2;
    }
    void *q = realloc(*p, nc * sz);
    if (!q) return 0;
    *p = q;
    *cap = nc;
    return 1;
}

/* Room for one more lead (r->leads and the map's key table). */
static int lead_room(replay_acc *a)
{
    size_t cap = a->lead_cap;
    if (a->r->n_leads < cap) return 1;
    if (!grow((void **)&a->r->leads, &cap, a->r->n_leads + 1, sizeof *a->r->leads)) return 0;
    size_t kc = a->lead_cap;
    if (!grow((void **)&a->map.key, &kc, cap, sizeof *a->map.key)) return 0;
    a->lead_cap = cap;
    return 1;
}

/* rows and leads: the tables' first sizes (grown as needed). */
static int acc_init(replay_acc *a, lpau_replay *r, int copy, size_t rows, size_t leads)
{
    memset(a, 0, sizeof *a);
    a->r = r;
    a->copy = copy;
    if (!map_init(&a->map, leads)) return 0;
    a->lead_cap = leads ? leads : 1;
    r->leads = malloc(a->lead_cap * sizeof *r->leads);
    size_t rc = 0, lc = 0, cc = 0;
    int ok = r->leads && grow((void **)&a->lead_of, &lc, rows, sizeof *a->lead_of) &&
             grow((void **)&a->rowc, &rc, rows, sizeof *a->rowc) && grow((void **)&r->commits, &cc, rows, sizeof *r->commits);
    a->row_cap = lc < rc ? (lc < cc ? lc : cc) : (rc < cc ? rc : cc);
    return ok;
}

static void acc_free(replay_acc *a)
{
    map_free(&a->map);
    free(a->lead_of);
    free(a->rowc);
    free(a->pubs);
    memset(a, 0, sizeof *a);
}

/* A second "validations" array replaces the first (json.loads keeps the last). */
static void acc_restart_rows(replay_acc *a)
{
    lpau_replay *r = a->r;
    if (a->map.slot) memset(a->map.slot, 0, (a->map.mask + 1) * sizeof *a->map.slot);
    a->map.used = a->map.blen = 0;
    r->n_leads = r->n_commits = r->n_rows = r->commit_failures = 0;
    a->seen = 0;
    a->err = LPAU_OK;
    memset(&a->d, 0, sizeof a->d);
}

/* Row i: its checks, its commitments and its lead.  Errors are the row's. */
static lpau_err acc_row(replay_acc *a, size_t i, const lpc_value *row, lpau_diag *d)
{
    lpau_replay *r = a->r;
    char f[LPAU_FIELD_MAX];
    if (row->type != LPC_OBJECT) {
        FIELD(f, "validations[%zu]", i);
        return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, f, "must be an object");
    }
    row_fields rf;
    row_scan(row, &rf);
    const lpc_value *lid = rf.lead_id;
    if (!lid || lid->type != LPC_STR) {
        FIELD(f, "validations[%zu].lead_id", i);
        return lpau_fail(d, lid ? LPAU_ERR_TYPE : LPAU_ERR_MISSING, LPC_OK, f, "a string is required");
    }
    lpau_err err = check_row(&rf, i, d);
    if (err != LPAU_OK) return err;
    if (i >= a->row_cap) {
        size_t c1 = a->row_cap, c2 = a->row_cap, c3 = a->row_cap;
        if (!grow((void **)&a->lead_of, &c1, i + 1, sizeof *a->lead_of) ||
            !grow((void **)&a->rowc, &c2, i + 1, sizeof *a->rowc) ||
            !grow((void **)&r->commits, &c3, i + 1, sizeof *r->commits))
            return nomem(d);
        a->row_cap = c1 < c2 ? (c1 < c3 ? c1 : c3) : (c2 < c3 ? c2 : c3);
    }
    lpau_commit *c = &r->commits[r->n_commits];
    int has = 0;
    if ((err = check_commit(&rf, i, c, &has, d)) != LPAU_OK) return err;
    if (!keep(a, &rf.lead_id) || !keep(a, &rf.hotkey) || !keep(a, &rf.c.decision) || !keep(a, &rf.c.rep_score) ||
        !keep(a, &rf.c.rejection_reason) || !keep(a, &rf.c.v_trust) || !keep(a, &rf.c.stake))
        return nomem(d);
    lid = rf.lead_id;
    if (has) {
        c->index = i;
        c->lead_id = lid;
        c->hotkey = rf.hotkey;
        for (int k = 0; k < LPAU_CH_N; k++)
            if (c->status[k] == LPAU_HASH_MISMATCH) {
                r->commit_failures++;
                break;
            }
        r->n_commits++;
    }
    int added;
    if (!lead_room(a)) return nomem(d);
    size_t li = map_find_add(&a->map, r->leads, &r->n_leads, lid, &added);
    if (li == (size_t)-1) return nomem(d);
    r->leads[li].n_rows++;
    a->lead_of[i] = (uint32_t)li;
    a->rowc[i] = rf.c;
    r->n_rows = i + 1;
    return LPAU_OK;
}

/* A published result's own shape (its lead is looked up later). */
static lpau_err pub_shape(size_t j, const lpc_value *p, lpau_diag *d)
{
    char f[LPAU_FIELD_MAX];
    if (p->type != LPC_OBJECT) {
        FIELD(f, "consensus_results[%zu]", j);
        return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, f, "must be an object");
    }
    const lpc_value *lid = lpc_get(p, "lead_id");
    if (!lid || lid->type != LPC_STR) {
        FIELD(f, "consensus_results[%zu].lead_id", j);
        return lpau_fail(d, lid ? LPAU_ERR_TYPE : LPAU_ERR_MISSING, LPC_OK, f, "a string is required");
    }
    return LPAU_OK;
}

/* After every row: the published results pubs[0..np) (pub_err, when set, is the error
 * of the one after them), the per-lead consensus and the comparisons. */
static lpau_err acc_finish(replay_acc *a, const lpc_value *const *pubs, size_t np, lpau_err pub_err,
                           const lpau_diag *pub_d, lpc_cons_rules rules, lpau_diag *d)
{
    lpau_replay *r = a->r;
    char f[LPAU_FIELD_MAX];
    size_t nr = r->n_rows;
    for (size_t j = 0; j < np; j++) {
        const lpc_value *p = pubs[j];
        lpau_err err = pub_shape(j, p, d);
        if (err != LPAU_OK) return err;
        const lpc_value *lid = lpc_get(p, "lead_id");
        int added;
        if (!lead_room(a)) return nomem(d);
        size_t li = map_find_add(&a->map, r->leads, &r->n_leads, lid, &added);
        if (li == (size_t)-1) return nomem(d);
        if (r->leads[li].published) {
            FIELD(f, "consensus_results[%zu].lead_id", j);
            return lpau_fail(d, LPAU_ERR_DUPLICATE, LPC_OK, f, "lead published twice");
        }
        r->leads[li].published = p;
        r->published++;
    }
    if (pub_err != LPAU_OK) {
        if (d) *d = *pub_d;
        return pub_err;
    }

    /* Counting sort of row indexes by lead, keeping file order within a lead. */
    size_t nl = r->n_leads, maxg = 0;
    lpau_err err = LPAU_OK;
    size_t *start = calloc(nl + 1, sizeof *start), *fill = NULL;
    uint32_t *order = malloc((nr ? nr : 1) * sizeof *order);
    lpc_cons_row *crow = NULL;
    lpc_cons_reason *work = NULL;
    if (!start || !order) {
        err = nomem(d);
        goto out;
    }
    for (size_t l = 0; l < nl; l++) {
        start[l + 1] = start[l] + r->leads[l].n_rows;
        if (r->leads[l].n_rows > maxg) maxg = r->leads[l].n_rows;
    }
    if (maxg > LPC_CONS_MAX_ROWS) {
        for (size_t l = 0; l < nl; l++)
            if (r->leads[l].n_rows > LPC_CONS_MAX_ROWS) {
                const lpc_value *id = r->leads[l].lead_id;
                lpau_quote q = lpau_clip(id->u.s.ptr, id->u.s.len, 60);
                FIELD(f, "validations (lead %.*s%s)", q.n, id->u.s.ptr, q.more);
                break;
            }
        err = lpau_fail(d, LPAU_ERR_TOO_LARGE, LPC_ERR_TOO_LARGE, f, "more than %d rows for one lead", LPC_CONS_MAX_ROWS);
        goto out;
    }
    fill = malloc((nl ? nl : 1) * sizeof *fill);
    crow = malloc((maxg ? maxg : 1) * sizeof *crow);
    work = malloc((maxg ? maxg : 1) * sizeof *work);
    if (!fill || !crow || !work) {
        err = nomem(d);
        goto out;
    }
    memcpy(fill, start, nl * sizeof *fill);
    for (size_t i = 0; i < nr; i++) order[fill[a->lead_of[i]]++] = (uint32_t)i;
    for (size_t l = 0; l < nl; l++) {
        lpau_lead *L = &r->leads[l];
        size_t g = L->n_rows;
        for (size_t k = 0; k < g; k++) crow[k] = a->rowc[order[start[l] + k]];
        lpc_err e = lpc_consensus(crow, g, rules, LPC_CONS_PATH_EVIDENCE, work, maxg ? maxg : 1, &L->rec);
        if (e != LPC_OK) {
            size_t gi = g ? order[start[l] + (L->rec.err_row < g ? L->rec.err_row : 0)] : 0;
            FIELD(f, "validations[%zu]", gi);
            err = lpau_fail(d, e == LPC_ERR_NOMEM ? LPAU_ERR_NOMEM : LPAU_ERR_VALUE, e, f, "consensus input rejected: %s",
                            lpc_strerror(e));
            goto out;
        }
        L->order_dependent = (L->rec.order_flags & LPC_CONS_ORDER_MASK) != 0;
        if (L->order_dependent) r->order_dependent++;
    }
    for (size_t j = 0; j < np; j++) {
        const lpc_value *lid = lpc_get(pubs[j], "lead_id");
        int added;
        size_t li = map_find_add(&a->map, r->leads, &r->n_leads, lid, &added); /* present: no growth */
        lpau_lead *L = &r->leads[li];
        if ((err = compare_published(r, L, j, d)) != LPAU_OK) goto out;
        if (L->mismatch && !L->uncertain) r->certain_mismatches++;
        else if (L->mismatch) r->order_mismatches++;
    }
out:
    free(start);
    free(fill);
    free(order);
    free(crow);
    free(work);
    return err;
}

/* The checks of the document itself, in the order lpau_replay_run makes them: *rows and
 * *pubs (NULL when absent or null) are its members. */
static lpau_err doc_shape(const lpc_value *doc, lpau_replay *r, const lpc_value **rows, const lpc_value **pubs,
                          lpau_diag *d)
{
    if (doc->type != LPC_OBJECT) return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, "(document)", "must be a JSON object");
    const lpc_value *ep = lpc_get(doc, "epoch_id");
    if (ep && ep->type != LPC_NULL) {
        if (ep->type != LPC_INT) return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, "epoch_id", "must be an integer");
        if (!lpc_int_i64(ep, &r->epoch_id)) return lpau_fail(d, LPAU_ERR_VALUE, LPC_OK, "epoch_id", "out of int64 range");
        r->has_epoch = 1;
    }
    *rows = lpc_get(doc, "validations");
    if (!*rows) return lpau_fail(d, LPAU_ERR_MISSING, LPC_OK, "validations", "required (may be [])");
    if ((*rows)->type != LPC_ARRAY) return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, "validations", "must be an array");
    *pubs = lpc_get(doc, "consensus_results");
    if (*pubs && (*pubs)->type == LPC_NULL) *pubs = NULL;
    if (*pubs && (*pubs)->type != LPC_ARRAY)
        return lpau_fail(d, LPAU_ERR_TYPE, LPC_OK, "consensus_results", "must be an array");
    return LPAU_OK;
}

static lpau_err over_cap(size_t nr, lpau_diag *d)
{
    return lpau_fail(d, LPAU_ERR_TOO_LARGE, LPC_OK, nr > LPAU_REPLAY_MAX_ROWS ? "validations" : "consensus_results",
                     "more than %zu entries", LPAU_REPLAY_MAX_ROWS);
}

/* On error *r is emptied, its document kept for the caller. */
static lpau_err run_end(lpau_replay *r, replay_acc *a, lpau_err err)
{
    acc_free(a);
    if (err != LPAU_OK) {
        lpc_value *k2 = r->doc;
        r->doc = NULL;
        lpau_replay_free(r);
        r->doc = k2;
    }
    return err;
}

lpau_err lpau_replay_run(const lpc_value *doc, lpc_cons_rules rules, lpau_replay *r, lpau_diag *d)
{
    if (!r || !doc) return lpau_fail(d, LPAU_ERR_ARG, LPC_OK, "", "NULL argument");
    lpc_value *kd = r->doc;
    memset(r, 0, sizeof *r);
    r->doc = kd;
    if (d) memset(d, 0, sizeof *d);
    const lpc_value *rows, *pubs;
    lpau_err err = doc_shape(doc, r, &rows, &pubs, d);
    if (err != LPAU_OK) return run_end(r, &(replay_acc){0}, err);
    size_t nr = rows->u.a.n, np = pubs ? pubs->u.a.n : 0;
    if (nr > LPAU_REPLAY_MAX_ROWS || np > LPAU_REPLAY_MAX_LEADS) return run_end(r, &(replay_acc){0}, over_cap(nr, d));
    replay_acc a;
    if (!acc_init(&a, r, 0, nr, nr + np)) return run_end(r, &a, nomem(d));
    for (size_t i = 0; i < nr && err == LPAU_OK; i++) err = acc_row(&a, i, rows->u.a.items[i], d);
    if (err == LPAU_OK)
        err = acc_finish(&a, (const lpc_value *const *)(pubs ? pubs->u.a.items : NULL), np, LPAU_OK, NULL, rules, d);
    return run_end(r, &a, err);
}

/* ---- text: the rows one at a time (lpc_parse_each) ---- */
static lpc_each_mode each_begin(void *ctx, const char *key, size_t klen, lpc_type type)
{
    replay_acc *a = ctx;
    a->in = 0;
    if (type == LPC_ARRAY && lpc_key_is(key, klen, "validations")) {
        acc_restart_rows(a);
        a->in = 1;
        return LPC_EACH_DROP;
    }
    if (type == LPC_ARRAY && lpc_key_is(key, klen, "consensus_results")) {
        a->n_pubs = a->pub_seen = 0;
        a->pub_err = LPAU_OK;
        a->in = 2;
        return LPC_EACH_KEEP;
    }
    return LPC_EACH_DROP;   /* nothing the replay reads: checked, not kept */
}

static int each_item(void *ctx, size_t index, const lpc_value *v)
{
    replay_acc *a = ctx;
    if (a->in == 1) {
        a->seen = index + 1;
        if (a->err == LPAU_OK && index < LPAU_REPLAY_MAX_ROWS) a->err = acc_row(a, index, v, &a->d);
        return 0;
    }
    if (a->in != 2) return 1;
    a->pub_seen = index + 1;
    if (a->pub_err != LPAU_OK || index >= LPAU_REPLAY_MAX_LEADS) return 1;
    if ((a->pub_err = pub_shape(index, v, &a->pub_d)) != LPAU_OK) return 1;
    if (!grow((void **)&a->pubs, &a->pub_cap, a->n_pubs + 1, sizeof *a->pubs)) {
        a->pub_err = nomem(&a->pub_d);
        return 1;
    }
    a->pubs[a->n_pubs++] = v;
    return 0;
}

/* buf (from malloc) is taken. */
static lpau_err replay_text(uint8_t *buf, size_t len, lpc_cons_rules rules, lpau_replay *r, lpau_diag *d)
{
    memset(r, 0, sizeof *r);
    if (d) memset(d, 0, sizeof *d);
    replay_acc a;
    if (!acc_init(&a, r, 1, 0, 0)) {
        free(buf);
        return run_end(r, &a, nomem(d));
    }
    size_t off = 0;
    lpc_value *doc = NULL;
    lpc_each each = {each_begin, each_item, &a, LPC_EACH_TREE};
    size_t budget = len > SIZE_MAX - LPAU_REPLAY_TREE_SLACK ? SIZE_MAX : len + LPAU_REPLAY_TREE_SLACK;
    lpc_err e = lpc_parse_each(buf, len, LPAU_REPLAY_MAX_INPUT, budget, &each, &doc, &off);
    if (e != LPC_OK) {
        run_end(r, &a, LPAU_ERR_ARG);
        return lpau_fail(d, e == LPC_ERR_NOMEM ? LPAU_ERR_NOMEM : LPAU_ERR_CANONICAL, e, "", "%s at byte %zu",
                         lpc_strerror(e), off);
    }
    r->doc = doc;
    const lpc_value *rows, *pubs;
    lpau_err err = doc_shape(doc, r, &rows, &pubs, d);
    if (err == LPAU_OK) {
        /* Every array member of the root was elided, so rows and pubs are the last
         * "validations" and "consensus_results" arrays, whose state a holds. */
        size_t nr = a.seen, np = pubs ? a.pub_seen : 0;
        if (!(rows->flags & LPC_VALUE_ELIDED) || (pubs && !(pubs->flags & LPC_VALUE_ELIDED)))
            err = lpau_fail(d, LPAU_ERR_ARG, LPC_OK, "", "internal: a member was not elided");
        else if (nr > LPAU_REPLAY_MAX_ROWS || np > LPAU_REPLAY_MAX_LEADS)
            err = over_cap(nr, d);
        else if (a.err != LPAU_OK) {
            err = a.err;
            if (d) *d = a.d;
        } else {
            err = acc_finish(&a, a.pubs, pubs ? a.n_pubs : 0, pubs ? a.pub_err : LPAU_OK, &a.pub_d, rules, d);
        }
    }
    err = run_end(r, &a, err);
    if (err != LPAU_OK) lpau_replay_free(r);
    return err;
}

lpau_err lpau_replay_bytes(const uint8_t *buf, size_t len, lpc_cons_rules rules, lpau_replay *r, lpau_diag *d)
{
    if (!r || (!buf && len)) return lpau_fail(d, LPAU_ERR_ARG, LPC_OK, "", "NULL argument");
    if (len > LPAU_REPLAY_MAX_INPUT) {
        memset(r, 0, sizeof *r);
        if (d) memset(d, 0, sizeof *d);
        return lpau_fail(d, LPAU_ERR_CANONICAL, LPC_ERR_TOO_LARGE, "", "%s at byte 0", lpc_strerror(LPC_ERR_TOO_LARGE));
    }
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) {
        memset(r, 0, sizeof *r);
        return nomem(d);
    }
    if (len) memcpy(copy, buf, len);
    return replay_text(copy, len, rules, r, d);
}

lpau_err lpau_replay_bytes_take(uint8_t *buf, size_t len, lpc_cons_rules rules, lpau_replay *r, lpau_diag *d)
{
    if (!r || (!buf && len)) {
        free(buf);
        return lpau_fail(d, LPAU_ERR_ARG, LPC_OK, "", "NULL argument");
    }
    return replay_text(buf, len, rules, r, d);
}
