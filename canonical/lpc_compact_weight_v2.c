/* Compact weight submission: shape, commitments, frontier, lineage id
 * (compact_weight_authority_v2.py and ancestry_checkpoint_v2.py at 5fe22c16;
 * leadpoet-weights-v2.md §8.4), in the reference's order. */
#include "canonical/lpc_compact_weight_v2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_attested_v2.h"
#include "canonical/lpc_attested_v2_internal.h"
#include "canonical/lpc_dump.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_refcall.h"
#include "canonical/lpc_subnet_epoch.h"
#include "canonical/lpc_utf8.h"
#include "canonical/lpc_v2_common.h"

#define CTYPE "CompactWeightAuthorityV2Error"
#define ATYPE "AncestryCheckpointV2Error"

const char *const lpc_cwv2_gateway_categories[] = {
    "anomaly_adjustments", "bans", "champions", "fulfillment_rewards", "leaderboard", "reimbursements",
    "research_lab_allocation", "source_add_rewards", "sourcing_history", NULL};
const char *const lpc_cwv2_all_categories[] = {
    "anomaly_adjustments", "bans", "burn_ownership", "chain_state", "champions", "constants", "feature_flags",
    "fulfillment_rewards", "leaderboard", "metagraph_state", "reimbursements", "research_lab_allocation",
    "source_add_rewards", "sourcing_history", NULL};

/* _COMPACT_BODY_FIELDS (a set: order is irrelevant, sha256_json sorts) */
static const char *const k_body_fields[LPC_CWV2_FIELDS - 1] = {
    "schema_version",          "validator_hotkey",   "binding_message",        "validator_hotkey_signature",
    "weight_snapshot",         "weight_result",      "weights_signature",      "ancestry_commitment",
    "upstream_ancestry_proofs", "upstream_transport_attempts", "validator_receipt_delta", "binding_receipt",
    "validator_ancestry_proof", "epoch_authority",   "epoch_boundary"};
static const char *const k_delta_fields[] = {"schema_version", "root_receipt_hash", "boot_identities",
                                             "receipts",       "transport_attempts", "host_operations"};

static lp_code cfail(lpc_referr *e, const char *msg) { return lpc_referr_set(e, LP_CODE_COMPACT_WEIGHT_AUTHORITY_V2_ERROR, CTYPE, "%s", msg); }
static lp_code afail(lpc_referr *e, const char *msg) { return lpc_referr_set(e, LP_CODE_ANCESTRY_CHECKPOINT_V2_ERROR, ATYPE, "%s", msg); }
static lp_code nomem(lpc_referr *e) { return lpc_referr_set(e, LP_CODE_OUT_OF_MEMORY, "MemoryError", "out of memory"); }

static int is_obj(const lpc_value *v) { return v && v->type == LPC_OBJECT; }
static int is_arr(const lpc_value *v) { return v && v->type == LPC_ARRAY; }

static size_t count_names(const char *const *names)
{
    size_t n = 0;
    while (names[n]) n++;
    return n;
}

/* set(obj) == set(names): keys are unique, so equal counts and every name present */
static int keys_are(const lpc_value *obj, const char *const *names, size_t n)
{
    if (!is_obj(obj) || obj->u.o.n != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (!lpc_get(obj, names[i])) return 0;
    return 1;
}

/* _hash(value, field) of compact_weight_authority_v2: str(v or "").strip().lower() */
static lp_code chash(const lpc_value *v, const char *field, av2_text *t, lpc_referr *e)
{
    av2_text_of(v, AV2_STRIP | AV2_LOWER, t);
    if (!lpc_v2_is_sha256_ref(t->b, t->n))
        return lpc_referr_set(e, LP_CODE_COMPACT_WEIGHT_AUTHORITY_V2_ERROR, CTYPE, "%s is invalid", field);
    return LP_CODE_OK;
}

/* `proof.get(...)` on something that is not a dict: Python's AttributeError, refused */
static lp_code no_get(const lpc_value *v, lpc_referr *e)
{
    return lpc_referr_set(e, LP_CODE_UNSUPPORTED, "AttributeError", "'%s' object has no attribute 'get'",
                          lpc_py_type_name(v));
}

/* sha256_json of attested_v2 (AttestedV2Error on NaN or a lone surrogate) */
static lp_code sj(const lpc_value *v, char out[LPC_CWV2_REF_SIZE], lpc_referr *e) { return av2_sha256_json(v, out, e); }

/* str(v or "") for a length or character test: the text, or a refusal when Python would
 * take the repr of a non-empty list or dict */
static lp_code str_text(const lpc_value *v, const char *field, const char **p, size_t *n, char buf[LPC_PY_STR_SCALAR_MAX],
                        lpc_referr *e)
{
    *p = "";
    *n = 0;
    if (!lpc_py_truthy(v)) return LP_CODE_OK;
    if (lpc_py_str(v, buf, p, n) != LPC_OK)
        return lpc_referr_set(e, LP_CODE_NON_CANONICAL_INPUT, "NonCanonicalInput",
                              "%s: str() of a list or object is not reproduced", field);
    return LP_CODE_OK;
}

/* Code points of WTF-8 text (a byte that does not decode counts as one, as it never
 * occurs in text Python built) */
static size_t char_count(const char *s, size_t n, int *has_space)
{
    size_t count = 0;
    *has_space = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t k = lpc_utf8_next((const uint8_t *)s + i, n - i, LPC_UTF8_SURROGATES, &c);
        if (!k) { k = 1; c = 0xFFFD; }
        if (lpc_py_isspace(c)) *has_space = 1;
        count++;
        i += k;
    }
    return count;
}

static int sig_ok(const lpc_value *v)
{
    av2_text t;
    av2_text_of(v, AV2_LOWER, &t);
    return t.n == 128 && lpc_is_lower_hex(t.b, t.n);
}

/* ---- compact_submission_hash ---------------------------------------------------------- */

lp_code lpc_cwv2_submission_hash(const lpc_value *s, char out[LPC_CWV2_REF_SIZE], lpc_referr *err)
{
    lpc_member items[LPC_CWV2_FIELDS - 1];
    if (!is_obj(s)) return cfail(err, "compact weight submission is invalid");
    for (size_t i = 0; i < LPC_CWV2_FIELDS - 1; i++) {
        const lpc_value *v = lpc_get(s, k_body_fields[i]);
        if (!v) return cfail(err, "compact weight submission fields are invalid");
        items[i].key = (char *)k_body_fields[i];
        items[i].klen = strlen(k_body_fields[i]);
        items[i].val = (lpc_value *)v; /* read-only view: the dump never writes */
    }
    /* a borrowed view of the 15 members: nothing is copied or freed */
    lpc_value body = {.type = LPC_OBJECT, .flags = 0, .u.o = {items, LPC_CWV2_FIELDS - 1}};
    return sj(&body, out, err);
}

/* ---- validate_compact_weight_submission_shape_v2 ------------------------------------- */

lp_code lpc_cwv2_validate_shape(const lpc_value *s, lpc_referr *e)
{
    static const char *const all16[LPC_CWV2_FIELDS] = {
        "schema_version",  "validator_hotkey",  "binding_message",        "validator_hotkey_signature",
        "weight_snapshot", "weight_result",     "weights_signature",      "ancestry_commitment",
        "upstream_ancestry_proofs", "upstream_transport_attempts", "validator_receipt_delta", "binding_receipt",
        "validator_ancestry_proof", "epoch_authority", "epoch_boundary", "compact_submission_hash"};
    lp_code rc;
    if (!is_obj(s)) return cfail(e, "compact weight submission is invalid");
    if (!keys_are(s, all16, LPC_CWV2_FIELDS)) return cfail(e, "compact weight submission fields are invalid");
    if (!lpc_str_eq(lpc_get(s, "schema_version"), LPC_CWV2_SUBMISSION_SCHEMA))
        return cfail(e, "compact weight submission schema is invalid");
    char h[LPC_CWV2_REF_SIZE];
    if ((rc = lpc_cwv2_submission_hash(s, h, e))) return rc;
    if (!lpc_str_eq(lpc_get(s, "compact_submission_hash"), h)) return cfail(e, "compact weight submission hash differs");

    char buf[LPC_PY_STR_SCALAR_MAX];
    const char *p;
    size_t n;
    int space;
    if ((rc = str_text(lpc_get(s, "validator_hotkey"), "validator_hotkey", &p, &n, buf, e))) return rc;
    size_t chars = char_count(p, n, &space);
    if (chars < 1 || chars > 128 || space) return cfail(e, "compact validator hotkey is invalid");
    if ((rc = str_text(lpc_get(s, "binding_message"), "binding_message", &p, &n, buf, e))) return rc;
    chars = char_count(p, n, &space);
    if (chars < 1 || chars > 4096) return cfail(e, "compact binding message is invalid");
    if (!sig_ok(lpc_get(s, "validator_hotkey_signature"))) return cfail(e, "compact validator_hotkey_signature is invalid");
    if (!sig_ok(lpc_get(s, "weights_signature"))) return cfail(e, "compact weights_signature is invalid");
    av2_text t;
    if ((rc = chash(lpc_get(s, "ancestry_commitment"), "ancestry commitment", &t, e))) return rc;
    if (!is_obj(lpc_get(s, "weight_snapshot")) || !is_obj(lpc_get(s, "weight_result")))
        return cfail(e, "compact weight documents are invalid");
    if (!keys_are(lpc_get(s, "upstream_ancestry_proofs"), lpc_cwv2_gateway_categories,
                  count_names(lpc_cwv2_gateway_categories)))
        return cfail(e, "compact proof categories are incomplete");
    if (!is_arr(lpc_get(s, "upstream_transport_attempts"))) return cfail(e, "compact transport evidence is invalid");
    const lpc_value *delta = lpc_get(s, "validator_receipt_delta");
    if (!keys_are(delta, k_delta_fields, sizeof k_delta_fields / sizeof k_delta_fields[0]))
        return cfail(e, "validator receipt delta fields are invalid");
    if (!lpc_str_eq(lpc_get(delta, "schema_version"), LPC_CWV2_DELTA_SCHEMA))
        return cfail(e, "validator receipt delta schema is invalid");
    static const char *const lists[] = {"boot_identities", "receipts", "transport_attempts", "host_operations"};
    for (size_t i = 0; i < 4; i++)
        if (!is_arr(lpc_get(delta, lists[i])))
            return lpc_referr_set(e, LP_CODE_COMPACT_WEIGHT_AUTHORITY_V2_ERROR, CTYPE, "validator delta %s is invalid",
                                  lists[i]);
    const lpc_value *binding = lpc_get(s, "binding_receipt");
    if (!is_obj(binding)) return cfail(e, "binding receipt is missing");
    if ((rc = chash(lpc_get(delta, "root_receipt_hash"), "validator delta root", &t, e))) return rc;
    const lpc_value *parents = lpc_get(binding, "parent_receipt_hashes");
    const lpc_value *p0 = lpc_at(parents, 0);
    if (!is_arr(parents) || parents->u.a.n != 1 || !p0 || p0->type != LPC_STR || p0->u.s.len != t.n ||
        memcmp(p0->u.s.ptr, t.b, t.n) != 0)
        return cfail(e, "binding receipt does not extend the validator delta");
    if (!is_obj(lpc_get(s, "validator_ancestry_proof"))) return cfail(e, "validator ancestry proof is missing");
    const lpc_value *ea = lpc_get(s, "epoch_authority"), *eb = lpc_get(s, "epoch_boundary");
    if (ea->type != LPC_NULL && ea->type != LPC_OBJECT) return cfail(e, "compact epoch_authority is invalid");
    if (eb->type != LPC_NULL && eb->type != LPC_OBJECT) return cfail(e, "compact epoch_boundary is invalid");
    if ((ea->type == LPC_NULL) != (eb->type == LPC_NULL)) return cfail(e, "compact epoch evidence is incomplete");
    return LP_CODE_OK;
}

/* ---- compact_weight_bundle_hash_v2 ---------------------------------------------------- */

static int put(lpc_value *o, const char *k, lpc_value *v) { return v && lpc_object_set(o, k, strlen(k), v) == LPC_OK; }
static lpc_value *clone_of(const lpc_value *v)
{
    lpc_value *c = NULL;
    return lpc_clone(v, &c) == LPC_OK ? c : NULL;
}
static lpc_value *str_of(const char *s, size_t n) { return lpc_new_str(s, n); }

lp_code lpc_cwv2_bundle_hash(const lpc_value *s, char out[LPC_CWV2_REF_SIZE], lpc_value **preimage, lpc_referr *e)
{
    if (preimage) *preimage = NULL;
    lp_code rc = lpc_cwv2_validate_shape(s, e);
    if (rc) return rc;
    const lpc_value *result = lpc_get(s, "weight_result");
    const lpc_value *netuid = lpc_get(result, "netuid"), *epoch = lpc_get(result, "epoch_id");
    /* isinstance(x, int) and not bool: the JSON int kind; digits carry the sign */
    if (!netuid || netuid->type != LPC_INT || netuid->u.i.digits[0] == '-' || strcmp(netuid->u.i.digits, "0") == 0)
        return cfail(e, "compact weight netuid is invalid");
    if (!epoch || epoch->type != LPC_INT || epoch->u.i.digits[0] == '-') return cfail(e, "compact weight epoch is invalid");
    av2_text wh, rh;
    av2_text_of(lpc_get(result, "weights_hash"), AV2_LOWER, &wh);
    if (wh.n != 64 || !lpc_is_lower_hex(wh.b, wh.n)) return cfail(e, "compact weights hash is invalid");
    if ((rc = chash(lpc_get(lpc_get(s, "binding_receipt"), "receipt_hash"), "compact weight receipt hash", &rh, e)))
        return rc;
    lpc_value *o = lpc_new_object();
    int ok = o && put(o, "schema_version", str_of(LPC_CWV2_BUNDLE_SCHEMA, strlen(LPC_CWV2_BUNDLE_SCHEMA))) &&
             put(o, "compact_submission_hash", clone_of(lpc_get(s, "compact_submission_hash"))) &&
             put(o, "validator_hotkey", clone_of(lpc_get(s, "validator_hotkey"))) &&
             put(o, "netuid", clone_of(netuid)) && put(o, "epoch_id", clone_of(epoch)) &&
             put(o, "weights_hash", str_of(wh.b, wh.n)) && put(o, "weight_receipt_hash", str_of(rh.b, rh.n));
    if (!ok) {
        lpc_free(o);
        return nomem(e);
    }
    rc = sj(o, out, e);
    if (rc == LP_CODE_OK && preimage) *preimage = o;
    else lpc_free(o);
    return rc;
}

/* ---- sets of sha256 references ----------------------------------------------------- */

typedef struct {
    char (*h)[LPC_CWV2_REF_SIZE];
    size_t n, cap;
} refset;

static int refset_add(refset *r, const av2_text *t)
{
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 16;
        void *p = realloc(r->h, nc * sizeof *r->h);
        if (!p) return 0;
        r->h = p;
        r->cap = nc;
    }
    memcpy(r->h[r->n], t->b, t->n);
    r->h[r->n][t->n] = 0;
    r->n++;
    return 1;
}

static int ref_cmp(const void *a, const void *b) { return strcmp(a, b); }

static void refset_sort_unique(refset *r)
{
    if (!r->n) return;
    qsort(r->h, r->n, sizeof *r->h, ref_cmp);
    size_t w = 1;
    for (size_t i = 1; i < r->n; i++)
        if (strcmp(r->h[w - 1], r->h[i]) != 0) memmove(r->h[w++], r->h[i], LPC_CWV2_REF_SIZE);
    r->n = w;
}

static int refset_has(const refset *r, const char *s)
{
    return r->n && bsearch(s, r->h, r->n, sizeof *r->h, ref_cmp) != NULL;
}

/* sorted(obj) of an object's keys, as pointers into it (Python sorts str by code
 * point; WTF-8 byte order is code-point order) */
static int key_cmp(const void *a, const void *b)
{
    const lpc_member *x = *(const lpc_member *const *)a, *y = *(const lpc_member *const *)b;
    size_t m = x->klen < y->klen ? x->klen : y->klen;
    int c = m ? memcmp(x->key, y->key, m) : 0;
    return c ? c : (x->klen > y->klen) - (x->klen < y->klen);
}

static const lpc_member **sorted_members(const lpc_value *obj)
{
    const lpc_member **m = malloc((obj->u.o.n ? obj->u.o.n : 1) * sizeof *m);
    if (!m) return NULL;
    for (size_t i = 0; i < obj->u.o.n; i++) m[i] = &obj->u.o.items[i];
    qsort(m, obj->u.o.n, sizeof *m, key_cmp);
    return m;
}

/* ---- compact_gateway_frontier_receipt_hashes_v2 ------------------------------------ */

lp_code lpc_cwv2_gateway_frontier(const lpc_value *proofs, lpc_value **out, lpc_referr *e)
{
    *out = NULL;
    if (!is_obj(proofs))
        return lpc_referr_set(e, LP_CODE_UNSUPPORTED, "TypeError", "proofs that are not a mapping are not reproduced");
    const lpc_member **m = sorted_members(proofs);
    if (!m) return nomem(e);
    refset roots = {0}, refs = {0};
    lp_code rc = LP_CODE_OK;
    size_t total = 0;
    av2_text t;
    for (size_t i = 0; !rc && i < proofs->u.o.n; i++) {
        const lpc_value *proof = m[i]->val;
        if (!is_obj(proof)) { rc = no_get(proof, e); break; }
        const lpc_value *cert = lpc_get(proof, "certificate");
        const lpc_value *claim = is_obj(cert) ? lpc_get(cert, "claim") : NULL;
        if (!is_obj(claim)) { rc = cfail(e, "compact proof claim is missing"); break; }
        if ((rc = chash(lpc_get(claim, "output_root_receipt_hash"), "proof root", &t, e))) break;
        if (++total > LPC_CWV2_MAX_PROOF_ROOTS) { rc = lpc_referr_set(e, LP_CODE_INPUT_TOO_LARGE, "InputTooLarge", "more than %zu proof roots", LPC_CWV2_MAX_PROOF_ROOTS); break; }
        if (!refset_add(&roots, &t)) { rc = nomem(e); break; }
        const lpc_value *parents = lpc_get(claim, "parent_authorities");
        if (!is_arr(parents)) { rc = cfail(e, "compact proof parents are invalid"); break; }
        for (size_t j = 0; j < parents->u.a.n; j++) {
            const lpc_value *pa = parents->u.a.items[j];
            if (!is_obj(pa)) { rc = cfail(e, "compact proof parent is invalid"); break; }
            if ((rc = chash(lpc_get(pa, "parent_receipt_hash"), "proof parent root", &t, e))) break;
            if (++total > LPC_CWV2_MAX_PROOF_ROOTS) { rc = lpc_referr_set(e, LP_CODE_INPUT_TOO_LARGE, "InputTooLarge", "more than %zu proof roots", LPC_CWV2_MAX_PROOF_ROOTS); break; }
            if (!refset_add(&refs, &t)) { rc = nomem(e); break; }
        }
    }
    free(m);
    lpc_value *arr = NULL;
    if (!rc) {
        refset_sort_unique(&roots);
        refset_sort_unique(&refs);
        arr = lpc_new_array();
        if (!arr) rc = nomem(e);
        for (size_t i = 0; !rc && i < roots.n; i++)
            if (!refset_has(&refs, roots.h[i]) &&
                lpc_array_append(arr, lpc_new_str(roots.h[i], strlen(roots.h[i]))) != LPC_OK)
                rc = nomem(e);
        if (!rc && arr->u.a.n == 0) rc = cfail(e, "compact proof frontier is empty");
    }
    free(roots.h);
    free(refs.h);
    if (rc) lpc_free(arr);
    else *out = arr;
    return rc;
}

/* ---- build_weight_ancestry_commitment_v2 ---------------------------------------------- */

/* A reference-class failure of validate_transport_attempt is caught by `except Exception`
 * and re-raised; a refusal of this port (it could not decide) stays a refusal. */
static int is_reference_error(lp_code c)
{
    return c == LP_CODE_ATTESTED_V2_ERROR || c == LP_CODE_PYTHON_TYPE_ERROR || c == LP_CODE_PYTHON_VALUE_ERROR ||
           c == LP_CODE_PYTHON_OVERFLOW_ERROR;
}

typedef struct {
    const char *h;
    size_t idx;
} hidx;

static int hidx_cmp(const void *a, const void *b)
{
    const hidx *x = a, *y = b;
    int c = strcmp(x->h, y->h);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* The attempts loop: the first attempt that is invalid or repeats an earlier hash, in
 * list order.  *hashes receives the hashes (sorted) when all pass. */
static lp_code check_attempts(const lpc_value *attempts, refset *hashes, const char *invalid_msg, const char *dup_msg,
                              lpc_referr *e)
{
    size_t n = attempts->u.a.n, valid = 0;
    if (n > LPC_CWV2_MAX_ATTEMPTS)
        return lpc_referr_set(e, LP_CODE_INPUT_TOO_LARGE, "InputTooLarge", "more than %zu transport attempts",
                              LPC_CWV2_MAX_ATTEMPTS);
    lpc_referr sub;
    lp_code bad = LP_CODE_OK;
    for (; valid < n; valid++) {
        lpc_referr_clear(&sub);
        bad = lpc_av2_validate_transport_attempt(attempts->u.a.items[valid], &sub);
        if (bad) break;
        const lpc_value *ah = lpc_get(attempts->u.a.items[valid], "attempt_hash");
        av2_text t;
        av2_text_of(ah, 0, &t);
        if (t.n >= LPC_CWV2_REF_SIZE) { bad = LP_CODE_INTERNAL; break; } /* validated: a sha256 reference */
        if (!refset_add(hashes, &t)) return nomem(e);
    }
    /* the earliest index whose hash repeats an earlier one, among the valid prefix */
    size_t first_dup = (size_t)-1;
    if (valid > 1) {
        hidx *ix = malloc(valid * sizeof *ix);
        if (!ix) return nomem(e);
        for (size_t i = 0; i < valid; i++) ix[i] = (hidx){hashes->h[i], i};
        qsort(ix, valid, sizeof *ix, hidx_cmp);
        for (size_t i = 1; i < valid; i++)
            if (strcmp(ix[i - 1].h, ix[i].h) == 0 && (i < 2 || strcmp(ix[i - 2].h, ix[i].h) != 0) &&
                ix[i].idx < first_dup)
                first_dup = ix[i].idx;
        free(ix);
    }
    if (first_dup != (size_t)-1) return cfail(e, dup_msg);
    if (bad == LP_CODE_INTERNAL) return lpc_referr_set(e, LP_CODE_INTERNAL, "InternalError", "attempt hash is not a reference");
    if (bad) {
        if (is_reference_error(bad)) return cfail(e, invalid_msg);
        if (e) *e = sub;
        return bad;
    }
    if (hashes->n) qsort(hashes->h, hashes->n, sizeof *hashes->h, ref_cmp);
    return LP_CODE_OK;
}

lp_code lpc_cwv2_ancestry_commitment(const lpc_value *lineage_id, const lpc_value *inputs, const lpc_value *proofs,
                                     const lpc_value *attempts, char out[LPC_CWV2_REF_SIZE], lpc_value **preimage,
                                     lpc_referr *e)
{
    if (preimage) *preimage = NULL;
    if (!is_obj(inputs) || !is_obj(proofs) || !is_arr(attempts))
        return lpc_referr_set(e, LP_CODE_UNSUPPORTED, "TypeError",
                              "input_receipt_hashes and upstream_ancestry_proofs must be objects and "
                              "upstream_transport_attempts an array (other iterables are not reproduced)");
    if (!keys_are(inputs, lpc_cwv2_all_categories, count_names(lpc_cwv2_all_categories)))
        return cfail(e, "weight input receipt categories are incomplete");
    if (!keys_are(proofs, lpc_cwv2_gateway_categories, count_names(lpc_cwv2_gateway_categories)))
        return cfail(e, "gateway compact proof categories are incomplete");
    refset ah = {0};
    lp_code rc = check_attempts(attempts, &ah, "gateway compact transport attempt is invalid",
                                "gateway compact transport attempt is duplicated", e);
    lpc_value *o = NULL, *ph = NULL, *chs = NULL, *ins = NULL, *frontier = NULL, *ats = NULL;
    if (rc) goto out;
    ph = lpc_new_object();
    chs = lpc_new_object();
    ins = lpc_new_object();
    ats = lpc_new_array();
    o = lpc_new_object();
    if (!ph || !chs || !ins || !ats || !o) { rc = nomem(e); goto out; }
    av2_text t;
    /* the 9 keys are exactly the gateway categories, already sorted */
    for (size_t i = 0; lpc_cwv2_gateway_categories[i]; i++) {
        const char *c = lpc_cwv2_gateway_categories[i];
        const lpc_value *proof = lpc_get(proofs, c);
        if (!is_obj(proof)) { rc = no_get(proof, e); goto out; }
        const lpc_value *cert = lpc_get(proof, "certificate");
        if (!is_obj(cert)) { rc = cfail(e, "gateway compact certificate is missing"); goto out; }
        if ((rc = chash(lpc_get(proof, "proof_hash"), "compact proof hash", &t, e))) goto out;
        if (!put(ph, c, str_of(t.b, t.n))) { rc = nomem(e); goto out; }
        if ((rc = chash(lpc_get(cert, "certificate_hash"), "compact certificate hash", &t, e))) goto out;
        if (!put(chs, c, str_of(t.b, t.n))) { rc = nomem(e); goto out; }
    }
    /* the dict literal, evaluated in order */
    av2_text lin;
    if ((rc = chash(lineage_id, "ancestry lineage id", &lin, e))) goto out;
    for (size_t i = 0; lpc_cwv2_all_categories[i]; i++) {
        const char *c = lpc_cwv2_all_categories[i];
        char field[64];
        snprintf(field, sizeof field, "%s input receipt hash", c);
        if ((rc = chash(lpc_get(inputs, c), field, &t, e))) goto out;
        if (!put(ins, c, str_of(t.b, t.n))) { rc = nomem(e); goto out; }
    }
    if ((rc = lpc_cwv2_gateway_frontier(proofs, &frontier, e))) goto out;
    for (size_t i = 0; i < ah.n; i++)
        if (lpc_array_append(ats, lpc_new_str(ah.h[i], strlen(ah.h[i]))) != LPC_OK) { rc = nomem(e); goto out; }
    int ok = put(o, "schema_version", str_of(LPC_CWV2_ANCESTRY_SCHEMA, strlen(LPC_CWV2_ANCESTRY_SCHEMA))) &&
             put(o, "lineage_id", str_of(lin.b, lin.n)) && put(o, "input_receipt_hashes", ins) &&
             put(o, "proof_hashes", ph) && put(o, "certificate_hashes", chs) &&
             put(o, "gateway_frontier_receipt_hashes", frontier) && put(o, "transport_attempt_hashes", ats);
    ins = ph = chs = frontier = ats = NULL; /* owned by o (or freed by put on failure) */
    if (!ok) { rc = nomem(e); goto out; }
    if ((rc = sj(o, out, e))) goto out;
    if (preimage) { *preimage = o; o = NULL; }
out:
    free(ah.h);
    lpc_free(o);
    lpc_free(ph);
    lpc_free(chs);
    lpc_free(ins);
    lpc_free(frontier);
    lpc_free(ats);
    return rc;
}

/* ---- derive_ancestry_lineage_id_v2 ---------------------------------------------------- */

lp_code lpc_cwv2_lineage_id(const lpc_value *mapping_hash, const lpc_value *genesis, const lpc_value *netuid,
                            char out[LPC_CWV2_REF_SIZE], lpc_buf *preimage, lpc_referr *e)
{
    int64_t nu;
    /* _count: isinstance(int) and not bool and 0 <= netuid <= MAX_NETUID */
    if (!netuid || netuid->type != LPC_INT || !lpc_int_i64(netuid, &nu) || nu < 0 || nu > LPC_CWV2_MAX_NETUID)
        return afail(e, "lineage netuid is outside the canonical bound");
    av2_text t;
    av2_text_of(mapping_hash, AV2_STRIP | AV2_LOWER, &t);
    if (!lpc_v2_is_sha256_ref(t.b, t.n)) return afail(e, "cutover mapping hash is invalid");
    /* raw == normalized: only a str can equal it (no other type's str() matches) */
    if (!mapping_hash || mapping_hash->type != LPC_STR || mapping_hash->u.s.len != t.n ||
        memcmp(mapping_hash->u.s.ptr, t.b, t.n) != 0)
        return afail(e, "cutover mapping hash is not canonical");
    if (!genesis || genesis->type != LPC_STR || genesis->u.s.len != 66 || genesis->u.s.ptr[0] != '0' ||
        genesis->u.s.ptr[1] != 'x' || !lpc_is_lower_hex(genesis->u.s.ptr + 2, 64))
        return afail(e, "network genesis hash is invalid");
    lpc_value *o = lpc_new_object();
    int ok = o && put(o, "cutover_mapping_hash", str_of(t.b, t.n)) &&
             put(o, "network_genesis_hash", str_of(genesis->u.s.ptr, 66)) && put(o, "netuid", lpc_new_int(nu));
    if (!ok) {
        lpc_free(o);
        return nomem(e);
    }
    lpc_buf b = {0};
    static const char dom[] = LPC_CWV2_LINEAGE_DOMAIN;
    lpc_err r = lpc_buf_append(&b, "\0", 1);
    if (r == LPC_OK) r = lpc_buf_append(&b, dom, sizeof dom - 1);
    if (r == LPC_OK) r = lpc_buf_append(&b, "\0", 1);
    if (r == LPC_OK) r = lpc_dump(o, LPC_PROFILE_CS_U_NONAN, &b);
    lpc_free(o);
    char hex[LPC_SHA256_HEX_LEN + 1];
    if (r == LPC_OK) r = lpc_sha256_hex(b.ptr, b.len, hex);
    if (r != LPC_OK) {
        lpc_buf_free(&b);
        return lpc_referr_set(e, lpc_code(r), "Error", "%s", lpc_strerror(r));
    }
    memcpy(out, "sha256:", 7);
    memcpy(out + 7, hex, 65);
    if (preimage) {
        preimage->len = 0;
        r = lpc_buf_append(preimage, b.ptr, b.len);
    }
    lpc_buf_free(&b);
    return r == LPC_OK ? LP_CODE_OK : nomem(e);
}

lp_code lpc_cwv2_lineage_id_from_manifest(const lpc_value *manifest, char out[LPC_CWV2_REF_SIZE], lpc_buf *preimage,
                                          lpc_referr *e)
{
    lpc_se_cutover c;
    lp_code rc = lpc_se_cutover_from_manifest(manifest, &c, e);
    if (rc) return rc;
    lpc_value *mh = lpc_new_str(c.mapping_hash, strlen(c.mapping_hash));
    lpc_value *gh = lpc_new_str(c.network_genesis_hash, strlen(c.network_genesis_hash));
    lpc_value *nu = lpc_new_int(c.netuid);
    if (!mh || !gh || !nu) rc = nomem(e);
    else rc = lpc_cwv2_lineage_id(mh, gh, nu, out, preimage, e);
    lpc_free(mh);
    lpc_free(gh);
    lpc_free(nu);
    return rc;
}

/* ---- the binding's entry points (lpc_refcall.h) -------------------------------------- */

static lp_code rc_missing(lpc_referr *e, const char *fn, const char *kind, const char *arg)
{
    return lpc_referr_set(e, LP_CODE_BAD_ARGUMENT, "TypeError", "%s() missing 1 required %s argument: '%s'", fn, kind,
                          arg);
}

static lp_code rc_ref_result(lp_code rc, const char *h, lpc_value **result, lpc_referr *e)
{
    if (rc) return rc;
    *result = lpc_new_str(h, strlen(h));
    return *result ? LP_CODE_OK : nomem(e);
}

static lp_code rc_bundle_hash(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *e)
{
    *result = NULL;
    const lpc_value *v = lpc_refcall_arg(args, kwargs, 0, "value");
    if (!v) return rc_missing(e, "compact_weight_bundle_hash_v2", "positional", "value");
    char h[LPC_CWV2_REF_SIZE];
    return rc_ref_result(lpc_cwv2_bundle_hash(v, h, NULL, e), h, result, e);
}

static lp_code rc_frontier(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *e)
{
    *result = NULL;
    const lpc_value *v = lpc_refcall_arg(args, kwargs, 0, "proofs");
    if (!v) return rc_missing(e, "compact_gateway_frontier_receipt_hashes_v2", "positional", "proofs");
    return lpc_cwv2_gateway_frontier(v, result, e);
}

static lp_code rc_ancestry(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *e)
{
    static const char *const kw[] = {"lineage_id", "input_receipt_hashes", "upstream_ancestry_proofs",
                                     "upstream_transport_attempts"};
    *result = NULL;
    if (args && args->type == LPC_ARRAY && args->u.a.n)
        return lpc_referr_set(e, LP_CODE_BAD_ARGUMENT, "TypeError",
                              "build_weight_ancestry_commitment_v2() takes 0 positional arguments but %zu were given",
                              args->u.a.n);
    for (size_t i = 0; i < 4; i++)
        if (!lpc_get(kwargs, kw[i])) return rc_missing(e, "build_weight_ancestry_commitment_v2", "keyword-only", kw[i]);
    char h[LPC_CWV2_REF_SIZE];
    return rc_ref_result(lpc_cwv2_ancestry_commitment(lpc_get(kwargs, kw[0]), lpc_get(kwargs, kw[1]),
                                                      lpc_get(kwargs, kw[2]), lpc_get(kwargs, kw[3]), h, NULL, e),
                         h, result, e);
}

const lpc_refcall_entry lpc_refcall_compact_weight_authority_v2[] = {
    {"compact_weight_authority_v2.compact_weight_bundle_hash_v2", rc_bundle_hash},
    {"compact_weight_authority_v2.build_weight_ancestry_commitment_v2", rc_ancestry},
    {"compact_weight_authority_v2.compact_gateway_frontier_receipt_hashes_v2", rc_frontier},
    {NULL, NULL},
};
