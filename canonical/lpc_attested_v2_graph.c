/* The legacy receipt graph leadpoet.attested_receipt_graph.v2 (lpc_attested_v2.h;
 * spec §7.4, attested_v2.py:1519-1751): membership and scope checks, transport and host
 * operation roots, then an iterative DFS from the root with bounded, input-proportional
 * memory (hash maps for the sets, counting sorts for the per-scope groups). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_attested_v2.h"
#include "canonical/lpc_attested_v2_internal.h"
#include "canonical/lpc_codec.h"
#include "canonical/lpc_python.h"

lpc_av2_graph_opts lpc_av2_graph_opts_default(void)
{
    lpc_av2_graph_opts o = {NULL, 1, NULL, 0, NULL, NULL};
    return o;
}

/* ---- a string map: (text, text, text) -> index, open addressing, keys borrowed ---- */

typedef struct {
    const char *a, *b, *c;
    size_t na, nb, nc, val;
    int used;
} slot;
typedef struct {
    slot *s;
    size_t cap;
} smap;

static int smap_init(smap *m, size_t expect)
{
    size_t cap = 16;
    while (cap < 2 * expect + 2) cap <<= 1;
    m->s = calloc(cap, sizeof *m->s);
    m->cap = cap;
    return m->s != NULL;
}

static size_t fnv(const char *p, size_t n, size_t h)
{
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * (size_t)1099511628211u;
    return h;
}

static slot *smap_slot(const smap *m, const char *a, size_t na, const char *b, size_t nb, const char *c, size_t nc)
{
    size_t h = fnv(c, nc, fnv(b, nb, fnv(a, na, (size_t)14695981039346656037u) ^ 0xff) ^ 0xfe) & (m->cap - 1);
    for (;;) {
        slot *s = &m->s[h];
        if (!s->used) return s;
        if (s->na == na && s->nb == nb && s->nc == nc && memcmp(s->a, a, na) == 0 && memcmp(s->b, b, nb) == 0 &&
            memcmp(s->c, c, nc) == 0)
            return s;
        h = (h + 1) & (m->cap - 1);
    }
}

/* 1 and *val when present */
static int smap_get(const smap *m, const char *a, size_t na, const char *b, size_t nb, const char *c, size_t nc,
                    size_t *val)
{
    slot *s = smap_slot(m, a, na, b, nb, c, nc);
    if (!s->used) return 0;
    if (val) *val = s->val;
    return 1;
}

/* Inserts an absent key (callers check first; the map never fills past half). */
static void smap_put(smap *m, const char *a, size_t na, const char *b, size_t nb, const char *c, size_t nc,
                     size_t val)
{
    slot *s = smap_slot(m, a, na, b, nb, c, nc);
    s->a = a; s->na = na; s->b = b; s->nb = nb; s->c = c; s->nc = nc; s->val = val; s->used = 1;
}

/* ---- helpers ---- */

/* str(x.get(key) or "") for a validated object: the string's own bytes, or "" */
static void key_text(const lpc_value *obj, const char *key, const char **p, size_t *n)
{
    const lpc_value *v = lpc_get(obj, key);
    if (v && v->type == LPC_STR) { *p = v->u.s.ptr; *n = v->u.s.len; }
    else { *p = ""; *n = 0; }
}

/* int(a) <= int(b) for validated epoch ids (non-negative ints or bools) */
static int epoch_le(const lpc_value *a, const lpc_value *b)
{
    const char *da = a->type == LPC_BOOL ? (a->u.b ? "1" : "0") : a->u.i.digits;
    const char *db = b->type == LPC_BOOL ? (b->u.b ? "1" : "0") : b->u.i.digits;
    size_t la = strlen(da), lb = strlen(db);
    if (la != lb) return la < lb;
    return memcmp(da, db, la) <= 0;
}

static lp_code too_large(lpc_referr *err, const char *what)
{
    return lpc_referr_set(err, LP_CODE_INPUT_TOO_LARGE, "InputTooLarge", "receipt graph has too many %s", what);
}

static lp_code unsupported(lpc_referr *err, const char *what)
{
    return lpc_referr_set(err, LP_CODE_UNSUPPORTED, "Unsupported", "%s", what);
}

static const char *const k_graph_fields[] = {"schema_version", "root_receipt_hash", "boot_identities",
                                             "receipts", "transport_attempts", "host_operations"};

typedef struct {
    size_t idx;
    int expanded;
} frame;

lp_code lpc_av2_validate_receipt_graph(const lpc_value *graph, const lpc_av2_graph_opts *opts,
                                       lpc_value **post_order, lpc_referr *err)
{
    lpc_av2_graph_opts o = opts ? *opts : lpc_av2_graph_opts_default();
    lp_code rc = LP_CODE_OK;
    smap boots = {0}, receipts = {0}, scopes = {0}, attempts = {0}, failed = {0}, purposes = {0}, hreq = {0},
         hseq = {0}, hscopes = {0};
    size_t *hop_scope = NULL, *hgroup = NULL, *hgroup_start = NULL;
    uint8_t (*hdig)[32] = NULL;
    unsigned char *hclaimed = NULL;
    const lpc_value **rec = NULL;
    size_t *att_scope = NULL, *group = NULL, *group_start = NULL;
    unsigned char *state = NULL;
    frame *stack = NULL;
    uint8_t (*dig)[32] = NULL;
    uint8_t (*failed_d)[32] = NULL;
    lpc_value *out = NULL;
    av2_text t;
    *post_order = NULL;

    const lpc_value *schema = lpc_get(graph, "schema_version");
    /* graph.get("schema_version") in CHECKPOINTED_RECEIPT_GRAPH_SCHEMA_VERSIONS (a frozenset) */
    if (schema && (schema->type == LPC_ARRAY || schema->type == LPC_OBJECT))
        return lpc_referr_set(err, LP_CODE_PYTHON_TYPE_ERROR, "TypeError", "unhashable type: '%s'",
                              lpc_py_type_name(schema));
    if (graph && graph->type == LPC_OBJECT && schema && schema->type == LPC_STR &&
        (lpc_str_eq(schema, "leadpoet.attested_checkpointed_receipt_graph.v3") ||
         lpc_str_eq(schema, "leadpoet.attested_checkpointed_receipt_graph.v4")))
        return unsupported(err, "checkpointed receipt graphs are not supported by this port");
    if ((rc = av2_exact_fields(graph, k_graph_fields, 6, "receipt graph", err))) return rc;
    if (!lpc_str_eq(schema, LPC_AV2_RECEIPT_GRAPH_SCHEMA)) return av2_fail(err, "unsupported receipt graph schema");
    const lpc_value *gb = lpc_get(graph, "boot_identities"), *gr = lpc_get(graph, "receipts"),
                    *ga = lpc_get(graph, "transport_attempts"), *gh = lpc_get(graph, "host_operations");
    if (gb->type != LPC_ARRAY) return av2_fail(err, "boot_identities must be a list");
    if (gr->type != LPC_ARRAY) return av2_fail(err, "receipts must be a list");
    if (ga->type != LPC_ARRAY) return av2_fail(err, "transport_attempts must be a list");
    if (gh->type != LPC_ARRAY) return av2_fail(err, "host_operations must be a list");
    if (gb->u.a.n > LPC_AV2_GRAPH_MAX_OBJECTS) return too_large(err, "boot identities");
    if (gr->u.a.n > LPC_AV2_GRAPH_MAX_OBJECTS) return too_large(err, "receipts");
    if (ga->u.a.n > LPC_AV2_GRAPH_MAX_OBJECTS) return too_large(err, "transport attempts");

    size_t nb = gb->u.a.n, nr = gr->u.a.n, na = ga->u.a.n;
    if (!smap_init(&boots, nb) || !smap_init(&receipts, nr) || !smap_init(&scopes, nr + na) ||
        !smap_init(&attempts, na)) { rc = av2_nomem(err); goto out; }

    /* boots: validated, unique by boot_identity_hash */
    for (size_t i = 0; i < nb; i++) {
        const lpc_value *id = gb->u.a.items[i];
        if (id->type != LPC_OBJECT) { rc = av2_fail(err, "boot identity is not an object"); goto out; }
        const char *h;
        size_t hn;
        key_text(id, "boot_identity_hash", &h, &hn);
        if ((rc = lpc_av2_validate_boot_identity(id, err))) goto out;
        if (o.boot_verifier) {
            /* the verifier's exception propagates unchanged; a code without a message
             * set by a careless verifier still fails closed */
            lpc_referr verr;
            lpc_referr_clear(&verr);
            lp_code vrc = o.boot_verifier(o.boot_verifier_ctx, id, &verr);
            if (vrc != LP_CODE_OK) {
                if (err) *err = verr;
                if (err && err->code != vrc) err->code = vrc;
                rc = vrc;
                goto out;
            }
        } else if (o.require_boot_attestation_verification) {
            rc = av2_fail(err, "boot attestation verifier is required");
            goto out;
        }
        if (smap_get(&boots, h, hn, "", 0, "", 0, NULL)) { rc = av2_fail(err, "boot identity is duplicated"); goto out; }
        smap_put(&boots, h, hn, "", 0, "", 0, i);
    }

    /* allowed_failed = {_hash(v, "allowed_failed_receipt_hash") for v in ...} */
    av2_iter it;
    if ((rc = av2_iter_start(o.allowed_failed_receipt_hashes, &it, err))) goto out;
    size_t nf_cap = av2_iter_count(o.allowed_failed_receipt_hashes), nf = 0;
    if (nf_cap > LPC_AV2_GRAPH_MAX_OBJECTS) { rc = too_large(err, "allowed failed receipts"); goto out; }
    failed_d = malloc((nf_cap ? nf_cap : 1) * sizeof *failed_d);
    if (!failed_d || !smap_init(&failed, nf_cap)) { rc = av2_nomem(err); goto out; }
    {
        const lpc_value *item;
        const char *s = NULL;
        size_t sn = 0;
        while (av2_iter_next(&it, &item, &s, &sn)) {
            if ((rc = av2_hash_item(item, s, sn, "allowed_failed_receipt_hash", &t, err))) goto out;
            size_t got;
            lpc_hex_decode(t.b + 7, 64, failed_d[nf], 32, &got);
            nf++;
        }
    }
    /* the failed set keyed by the 32 raw bytes (its texts are normalised refs) */
    for (size_t i = 0; i < nf; i++)
        if (!smap_get(&failed, (const char *)failed_d[i], 32, "", 0, "", 0, NULL))
            smap_put(&failed, (const char *)failed_d[i], 32, "", 0, "", 0, i);

    /* receipts: validated, unique by hash and by (job_id, purpose), bound to their boot */
    rec = calloc(nr ? nr : 1, sizeof *rec);
    if (!rec) { rc = av2_nomem(err); goto out; }
    size_t nrec = 0;
    for (size_t i = 0; i < nr; i++) {
        const lpc_value *r = gr->u.a.items[i];
        if (r->type != LPC_OBJECT) { rc = av2_fail(err, "receipt is not an object"); goto out; }
        const char *h, *job, *pur, *bh;
        size_t hn, jn, pn, bn;
        key_text(r, "receipt_hash", &h, &hn);
        if ((rc = lpc_av2_validate_signed_execution_receipt(r, 1, err))) goto out;
        if (smap_get(&receipts, h, hn, "", 0, "", 0, NULL)) { rc = av2_fail(err, "receipt is duplicated"); goto out; }
        key_text(r, "job_id", &job, &jn);
        key_text(r, "purpose", &pur, &pn);
        if (smap_get(&scopes, job, jn, pur, pn, "", 0, NULL)) { rc = av2_fail(err, "job/purpose receipt scope is duplicated"); goto out; }
        smap_put(&scopes, job, jn, pur, pn, "", 0, nrec);
        key_text(r, "boot_identity_hash", &bh, &bn);
        size_t bi;
        if (!smap_get(&boots, bh, bn, "", 0, "", 0, &bi)) { rc = av2_fail(err, "receipt boot identity is missing"); goto out; }
        const lpc_value *boot = gb->u.a.items[bi];
        static const struct { const char *bk, *rk, *msg; } ties[] = {
            {"role", "role", "receipt role differs from boot role"},
            {"commit_sha", "commit_sha", "receipt commit differs from boot commit"},
            {"pcr0", "pcr0", "receipt PCR0 differs from boot PCR0"},
            {"build_manifest_hash", "build_manifest_hash", "receipt build manifest differs from boot identity"},
            {"dependency_lock_hash", "dependency_lock_hash", "receipt dependency lock differs from boot identity"},
            {"config_hash", "config_hash", "receipt config differs from boot identity"},
            {"signing_pubkey", "enclave_pubkey", "receipt key differs from attested boot key"},
        };
        for (size_t k = 0; k < sizeof ties / sizeof ties[0]; k++)
            if (!lpc_py_eq(lpc_get(boot, ties[k].bk), lpc_get(r, ties[k].rk))) { rc = av2_fail(err, ties[k].msg); goto out; }
        if (o.require_success && !lpc_str_eq(lpc_get(r, "status"), "succeeded")) {
            uint8_t d[32];
            size_t got;
            lpc_hex_decode(h + 7, 64, d, 32, &got);
            if (!smap_get(&failed, (const char *)d, 32, "", 0, "", 0, NULL)) {
                rc = av2_fail(err, "receipt graph contains an unauthorized failed receipt");
                goto out;
            }
        }
        smap_put(&receipts, h, hn, "", 0, "", 0, nrec);
        rec[nrec++] = r;
    }
    for (size_t i = 0; i < nf; i++) {
        char ref[LPC_AV2_REF_SIZE];
        memcpy(ref, "sha256:", 7);
        lpc_hex_encode(failed_d[i], 32, ref + 7);
        if (!smap_get(&receipts, ref, 71, "", 0, "", 0, NULL)) { rc = av2_fail(err, "allowed failed receipt is absent from graph"); goto out; }
    }
    for (size_t i = 0; i < nf; i++) {
        char ref[LPC_AV2_REF_SIZE];
        size_t ri;
        memcpy(ref, "sha256:", 7);
        lpc_hex_encode(failed_d[i], 32, ref + 7);
        smap_get(&receipts, ref, 71, "", 0, "", 0, &ri);
        if (!lpc_str_eq(lpc_get(rec[ri], "status"), "failed")) { rc = av2_fail(err, "allowed failed receipt is not failed"); goto out; }
    }

    /* attempts: validated, unique, grouped by (job_id, purpose) */
    att_scope = malloc((na ? na : 1) * sizeof *att_scope);
    if (!att_scope) { rc = av2_nomem(err); goto out; }
    smap ascopes = {0};
    if (!smap_init(&ascopes, na)) { rc = av2_nomem(err); goto out; }
    size_t nscope = 0;
    for (size_t i = 0; i < na; i++) {
        const lpc_value *a = ga->u.a.items[i];
        if (a->type != LPC_OBJECT) { rc = av2_fail(err, "transport attempt is not an object"); free(ascopes.s); goto out; }
        const char *h, *job, *pur;
        size_t hn, jn, pn, sid;
        key_text(a, "attempt_hash", &h, &hn);
        if ((rc = lpc_av2_validate_transport_attempt(a, err))) { free(ascopes.s); goto out; }
        if (smap_get(&attempts, h, hn, "", 0, "", 0, NULL)) { rc = av2_fail(err, "transport attempt is duplicated"); free(ascopes.s); goto out; }
        smap_put(&attempts, h, hn, "", 0, "", 0, i);
        key_text(a, "job_id", &job, &jn);
        key_text(a, "purpose", &pur, &pn);
        if (!smap_get(&ascopes, job, jn, pur, pn, "", 0, &sid)) { sid = nscope++; smap_put(&ascopes, job, jn, pur, pn, "", 0, sid); }
        att_scope[i] = sid;
    }
    /* group attempts by scope id (counting sort, list order kept) */
    group_start = calloc(nscope + 1, sizeof *group_start);
    group = malloc((na ? na : 1) * sizeof *group);
    dig = malloc((na ? na : 1) * sizeof *dig);
    unsigned char *claimed = calloc(nscope ? nscope : 1, 1);
    if (!group_start || !group || !dig || !claimed) { free(claimed); free(ascopes.s); rc = av2_nomem(err); goto out; }
    for (size_t i = 0; i < na; i++) group_start[att_scope[i] + 1]++;
    for (size_t s = 0; s < nscope; s++) group_start[s + 1] += group_start[s];
    {
        size_t *fill = calloc(nscope ? nscope : 1, sizeof *fill);
        if (!fill) { free(claimed); free(ascopes.s); rc = av2_nomem(err); goto out; }
        for (size_t i = 0; i < na; i++) group[group_start[att_scope[i]] + fill[att_scope[i]]++] = i;
        free(fill);
    }
    size_t nclaimed = 0;
    for (size_t i = 0; i < nrec; i++) {
        const char *job, *pur;
        size_t jn, pn, sid, n = 0;
        char root[LPC_AV2_REF_SIZE];
        key_text(rec[i], "job_id", &job, &jn);
        key_text(rec[i], "purpose", &pur, &pn);
        if (smap_get(&ascopes, job, jn, pur, pn, "", 0, &sid) && !claimed[sid]) {
            claimed[sid] = 1;
            nclaimed++;
            for (size_t k = group_start[sid]; k < group_start[sid + 1]; k++) {
                const lpc_value *ah = lpc_get(ga->u.a.items[group[k]], "attempt_hash");
                size_t got;
                lpc_hex_decode(ah->u.s.ptr + 7, 64, dig[n++], 32, &got);
            }
        }
        av2_merkle_digests(dig, n, LPC_AV2_DOMAIN_TRANSPORT, root);
        if (!lpc_str_eq(lpc_get(rec[i], "transport_root"), root)) {
            free(claimed); free(ascopes.s);
            rc = av2_fail(err, "receipt transport root does not match terminal attempts");
            goto out;
        }
    }
    free(claimed);
    free(ascopes.s);
    if (nclaimed != nscope) { rc = av2_fail(err, "receipt graph contains unclaimed transport attempts"); goto out; }

    /* host operations (§2: never present in weight graphs): validated, unique by request
     * hash and by (job_id, purpose, int(sequence)), grouped by (job_id, purpose) */
    size_t nh = gh->u.a.n;
    if (nh > LPC_AV2_GRAPH_MAX_OBJECTS) { rc = too_large(err, "host operations"); goto out; }
    if (!smap_init(&hreq, nh) || !smap_init(&hseq, nh) || !smap_init(&hscopes, nh)) { rc = av2_nomem(err); goto out; }
    hop_scope = malloc((nh ? nh : 1) * sizeof *hop_scope);
    if (!hop_scope) { rc = av2_nomem(err); goto out; }
    size_t nhscope = 0;
    for (size_t i = 0; i < nh; i++) {
        const lpc_value *h = gh->u.a.items[i];
        if (h->type != LPC_OBJECT) { rc = av2_fail(err, "host operation record is not an object"); goto out; }
        const lpc_value *req = lpc_get(h, "request");
        if (!req || req->type != LPC_OBJECT) { rc = av2_fail(err, "host operation request is missing"); goto out; }
        const char *rh, *job, *pur, *seq;
        size_t rn, jn, pn, qn, sid;
        key_text(req, "request_hash", &rh, &rn);
        if ((rc = lpc_av2_validate_host_operation_record(h, err))) goto out;
        if (smap_get(&hreq, rh, rn, "", 0, "", 0, NULL)) { rc = av2_fail(err, "host operation request is duplicated"); goto out; }
        smap_put(&hreq, rh, rn, "", 0, "", 0, i);
        key_text(req, "job_id", &job, &jn);
        key_text(req, "purpose", &pur, &pn);
        const lpc_value *sq = lpc_get(req, "sequence");  /* int(sequence): a validated int or bool */
        seq = sq->type == LPC_BOOL ? (sq->u.b ? "1" : "0") : sq->u.i.digits;
        qn = strlen(seq);
        if (smap_get(&hseq, job, jn, pur, pn, seq, qn, NULL)) { rc = av2_fail(err, "host operation sequence is duplicated"); goto out; }
        smap_put(&hseq, job, jn, pur, pn, seq, qn, i);
        if (!smap_get(&hscopes, job, jn, pur, pn, "", 0, &sid)) { sid = nhscope++; smap_put(&hscopes, job, jn, pur, pn, "", 0, sid); }
        hop_scope[i] = sid;
    }
    hdig = malloc((nh ? nh : 1) * sizeof *hdig);
    hclaimed = calloc(nhscope ? nhscope : 1, 1);
    hgroup_start = calloc(nhscope + 1, sizeof *hgroup_start);
    hgroup = malloc((nh ? nh : 1) * sizeof *hgroup);
    if (!hdig || !hclaimed || !hgroup_start || !hgroup) { rc = av2_nomem(err); goto out; }
    /* records grouped by scope id, list order kept (counting sort, as for attempts) */
    for (size_t i = 0; i < nh; i++) hgroup_start[hop_scope[i] + 1]++;
    for (size_t sc = 0; sc < nhscope; sc++) hgroup_start[sc + 1] += hgroup_start[sc];
    for (size_t i = 0; i < nh; i++) hgroup[hgroup_start[hop_scope[i]]++] = i;
    for (size_t sc = nhscope; sc > 0; sc--) hgroup_start[sc] = hgroup_start[sc - 1];
    hgroup_start[0] = 0;
    size_t nhclaimed = 0;
    for (size_t i = 0; i < nrec; i++) {
        const char *job, *pur;
        size_t jn, pn, sid, n = 0;
        char root_h[LPC_AV2_REF_SIZE];
        key_text(rec[i], "job_id", &job, &jn);
        key_text(rec[i], "purpose", &pur, &pn);
        if (smap_get(&hscopes, job, jn, pur, pn, "", 0, &sid) && !hclaimed[sid]) {
            hclaimed[sid] = 1;
            nhclaimed++;
            for (size_t g = hgroup_start[sid]; g < hgroup_start[sid + 1]; g++) {
                const lpc_value *req = lpc_get(gh->u.a.items[hgroup[g]], "request");
                if (!lpc_py_eq(lpc_get(req, "enclave_pubkey"), lpc_get(rec[i], "enclave_pubkey"))) {
                    rc = av2_fail(err, "host operation key differs from receipt key");
                    goto out;
                }
                if (!lpc_py_eq(lpc_get(req, "boot_identity_hash"), lpc_get(rec[i], "boot_identity_hash"))) {
                    rc = av2_fail(err, "host operation boot differs from receipt boot");
                    goto out;
                }
            }
            for (size_t g = hgroup_start[sid]; g < hgroup_start[sid + 1]; g++) {
                const lpc_value *th = lpc_get(lpc_get(gh->u.a.items[hgroup[g]], "terminal"), "terminal_hash");
                size_t got;
                lpc_hex_decode(th->u.s.ptr + 7, 64, hdig[n++], 32, &got);
            }
        }
        av2_merkle_digests(hdig, n, LPC_AV2_DOMAIN_HOST_OPERATION, root_h);
        if (!lpc_str_eq(lpc_get(rec[i], "host_operation_root"), root_h)) {
            rc = av2_fail(err, "receipt host operation root does not match signed terminals");
            goto out;
        }
    }
    if (nhclaimed != nhscope) { rc = av2_fail(err, "receipt graph contains unclaimed host operations"); goto out; }

    /* root, then the DFS (parents pushed in reverse list order; post-order output) */
    if ((rc = av2_hash_item(lpc_get(graph, "root_receipt_hash"), NULL, 0, "root_receipt_hash", &t, err))) goto out;
    size_t root;
    if (!smap_get(&receipts, t.b, t.n, "", 0, "", 0, &root)) { rc = av2_fail(err, "root receipt is missing"); goto out; }
    size_t edges = 0;
    for (size_t i = 0; i < nrec; i++) edges += lpc_get(rec[i], "parent_receipt_hashes")->u.a.n;
    if (edges > LPC_AV2_GRAPH_MAX_EDGES) { rc = too_large(err, "parent edges"); goto out; }
    /* each receipt is expanded once (one marker) and each edge pushes at most once */
    size_t stack_cap = 1 + nrec + edges, sp = 0;
    stack = malloc(stack_cap * sizeof *stack);
    state = calloc(nrec ? nrec : 1, 1);  /* 0 new, 1 visiting, 2 visited */
    out = lpc_new_array();
    if (!stack || !state || !out) { rc = av2_nomem(err); goto out; }
    size_t nvisited = 0;
    stack[sp++] = (frame){root, 0};
    while (sp) {
        frame f = stack[--sp];
        if (f.expanded) {
            if (state[f.idx] == 2) continue;
            state[f.idx] = 2;
            nvisited++;
            const lpc_value *h = lpc_get(rec[f.idx], "receipt_hash");
            if (lpc_array_append(out, lpc_new_str(h->u.s.ptr, h->u.s.len)) != LPC_OK) { rc = av2_nomem(err); goto out; }
            continue;
        }
        if (state[f.idx] == 2) continue;
        if (state[f.idx] == 1) { rc = av2_fail(err, "receipt graph contains a cycle"); goto out; }
        state[f.idx] = 1;
        stack[sp++] = (frame){f.idx, 1};
        const lpc_value *r = rec[f.idx], *parents = lpc_get(r, "parent_receipt_hashes");
        for (size_t k = parents->u.a.n; k-- > 0;) {
            const lpc_value *p = parents->u.a.items[k];
            size_t pi;
            if (!smap_get(&receipts, p->u.s.ptr, p->u.s.len, "", 0, "", 0, &pi)) { rc = av2_fail(err, "receipt graph parent is missing"); goto out; }
            if (!epoch_le(lpc_get(rec[pi], "epoch_id"), lpc_get(r, "epoch_id"))) {
                rc = av2_fail(err, "receipt parent epoch is newer than child");
                goto out;
            }
            if (state[pi] != 2) {
                if (sp >= stack_cap) { rc = lpc_referr_set(err, LP_CODE_INTERNAL, "InternalError", "DFS stack bound"); goto out; }
                stack[sp++] = (frame){pi, 0};
            }
        }
    }
    if (nvisited != nrec) { rc = av2_fail(err, "receipt graph contains disconnected receipts"); goto out; }

    /* required purposes, in the caller's iteration order */
    if (!smap_init(&purposes, nrec)) { rc = av2_nomem(err); goto out; }
    for (size_t i = 0; i < nrec; i++) {
        const char *pur;
        size_t pn;
        key_text(rec[i], "purpose", &pur, &pn);
        if (!smap_get(&purposes, pur, pn, "", 0, "", 0, NULL)) smap_put(&purposes, pur, pn, "", 0, "", 0, i);
    }
    if ((rc = av2_iter_start(o.required_purposes, &it, err))) goto out;
    {
        const lpc_value *item;
        const char *s = NULL;
        size_t sn = 0;
        while (av2_iter_next(&it, &item, &s, &sn)) {
            if ((rc = av2_identifier_item(item, s, sn, "required purpose", &t, err))) goto out;
            if (!smap_get(&purposes, t.b, t.n, "", 0, "", 0, NULL)) {
                char buf[LPC_PY_STR_SCALAR_MAX];
                const char *p = s;
                size_t pn = sn;
                if (item && lpc_py_str(item, buf, &p, &pn) != LPC_OK) { p = "?"; pn = 1; }
                rc = lpc_referr_set(err, LP_CODE_ATTESTED_V2_ERROR, "AttestedV2Error",
                                    "receipt graph is missing required purpose %.*s", (int)(pn > 200 ? 200 : pn), p);
                goto out;
            }
        }
    }
    *post_order = out;
    out = NULL;
out:
    free(boots.s); free(receipts.s); free(scopes.s); free(attempts.s); free(failed.s); free(purposes.s);
    free(hreq.s); free(hseq.s); free(hscopes.s); free(hop_scope); free(hdig); free(hclaimed);
    free(hgroup); free(hgroup_start);
    free(rec); free(att_scope); free(group); free(group_start); free(state); free(stack); free(dig); free(failed_d);
    lpc_free(out);
    return rc;
}
