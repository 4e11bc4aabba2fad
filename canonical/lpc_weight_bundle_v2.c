/* validate_weight_bundle_v2 (leadpoet-weights-v2.md §4), in the reference's order. */
#include "canonical/lpc_weight_bundle_v2.h"

#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_codec.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_receipt_v1.h"
#include "canonical/lpc_refcall.h"
#include "canonical/lpc_sodium.h"
#include "canonical/lpc_weight_computation.h"

#define BTYPE "WeightBundleV2Error"

static const char *const k_fields[LPC_WEIGHT_BUNDLE_V2_FIELDS] = {
    "schema_version", "validator_hotkey", "binding_message", "validator_hotkey_signature", "weight_snapshot",
    "weight_result", "weights_signature", "weight_receipt", "parent_receipts"};

static lp_code fail(lpc_referr *e, const char *msg)
{
    return lpc_referr_set(e, LP_CODE_WEIGHT_BUNDLE_V2_ERROR, BTYPE, "%s", msg);
}

static lp_code nomem(lpc_referr *e) { return lpc_referr_set(e, LP_CODE_OUT_OF_MEMORY, "MemoryError", "out of memory"); }

/* x.get(k) == y.get(k2) under Python ==, a missing key being None */
static int eq_or_none(const lpc_value *a, const lpc_value *b)
{
    static const lpc_value none = {.type = LPC_NULL};
    return lpc_py_eq(a ? a : &none, b ? b : &none);
}

static int str_is(const lpc_value *v, const char *s) { return lpc_str_eq(v, s); }

/* str(v or "") of a returned field; a container's repr is not reproduced */
static lp_code str_or_empty(const lpc_value *v, const char *field, lpc_value **out, lpc_referr *e)
{
    char buf[LPC_PY_STR_SCALAR_MAX];
    const char *p = "";
    size_t n = 0;
    if (lpc_py_truthy(v) && lpc_py_str(v, buf, &p, &n) != LPC_OK)
        return lpc_referr_set(e, LP_CODE_NON_CANONICAL_INPUT, "NonCanonicalInput",
                              "%s: str() of a list or object is not reproduced", field);
    *out = lpc_new_str(p, n);
    return *out ? LP_CODE_OK : nomem(e);
}

typedef struct {
    const char *p;
    size_t n;
} span;

static int span_cmp(const void *x, const void *y)
{
    const span *a = x, *b = y;
    size_t m = a->n < b->n ? a->n : b->n;
    int c = m ? memcmp(a->p, b->p, m) : 0;
    return c ? c : a->n < b->n ? -1 : a->n > b->n;
}

static size_t span_unique(span *s, size_t n)
{
    if (!n) return 0;
    qsort(s, n, sizeof *s, span_cmp);
    size_t w = 1;
    for (size_t i = 1; i < n; i++)
        if (span_cmp(&s[w - 1], &s[i]) != 0) s[w++] = s[i];
    return w;
}

/* int(parent.epoch_id) <= int(snapshot.epoch_id); both were validated (an int or bool
 * in a receipt, an int()-able value in the snapshot) */
static int epoch_not_newer(const lpc_value *parent, const lpc_value *snapshot)
{
    int64_t a, b;
    return lpc_py_int(lpc_get(parent, "epoch_id"), &a) == LPC_PY_OK &&
           lpc_py_int(lpc_get(snapshot, "epoch_id"), &b) == LPC_PY_OK && a <= b;
}

/* Step 4: Ed25519 by the receipt's key over bytes.fromhex(weights_hash). */
static int weights_signature_ok(const lpc_value *bundle, const lpc_value *receipt, const lpc_value *computed)
{
    const lpc_value *pk = lpc_get(receipt, "enclave_pubkey"), *sig = lpc_get(bundle, "weights_signature"),
                    *wh = lpc_get(computed, "weights_hash");
    /* str(v or "") of anything but a string is never 64 bytes of hex */
    if (!pk || pk->type != LPC_STR || !sig || sig->type != LPC_STR || !wh || wh->type != LPC_STR) return 0;
    return lpc_v2_ed25519_fromhex(pk->u.s.ptr, pk->u.s.len, sig->u.s.ptr, sig->u.s.len, wh->u.s.ptr, wh->u.s.len);
}

static lp_code build_result(const lpc_value *bundle, const lpc_value *computed, const lpc_value *receipt,
                            lpc_value **result, lpc_referr *e)
{
    static const char *const from_computed[][2] = {{"netuid", "netuid"}, {"epoch_id", "epoch_id"},
                                                   {"block", "block"}, {"uids", "sparse_uids"},
                                                   {"weights_u16", "sparse_weights_u16"},
                                                   {"weights_hash", "weights_hash"}};
    static const char *const strs[] = {"validator_hotkey", "binding_message", "validator_hotkey_signature"};
    lpc_value *r = lpc_new_object();
    if (!r) return nomem(e);
    lp_code c = LP_CODE_OK;
    int ok = 1;
    for (size_t i = 0; ok && i < 6; i++) {
        lpc_value *v = NULL;
        ok = lpc_clone(lpc_get(computed, from_computed[i][1]), &v) == LPC_OK &&
             lpc_object_set(r, from_computed[i][0], strlen(from_computed[i][0]), v) == LPC_OK;
    }
    const char *const rk[][2] = {{"validator_enclave_pubkey", "enclave_pubkey"},
                                 {"validator_attestation_b64", "attestation_document_b64"},
                                 {"weight_receipt_hash", "receipt_hash"}};
    for (size_t i = 0; ok && i < 3; i++) {
        lpc_value *v = NULL;
        ok = lpc_clone(lpc_get(receipt, rk[i][1]), &v) == LPC_OK && lpc_object_set(r, rk[i][0], strlen(rk[i][0]), v) == LPC_OK;
    }
    if (ok) {
        lpc_value *v = NULL;
        ok = lpc_clone(lpc_get(computed, "snapshot_hash"), &v) == LPC_OK &&
             lpc_object_set(r, "weight_snapshot_hash", 20, v) == LPC_OK;
    }
    for (size_t i = 0; ok && c == LP_CODE_OK && i < 3; i++) {
        lpc_value *v = NULL;
        c = str_or_empty(lpc_get(bundle, strs[i]), strs[i], &v, e);
        if (c == LP_CODE_OK) ok = lpc_object_set(r, strs[i], strlen(strs[i]), v) == LPC_OK;
    }
    if (c == LP_CODE_OK && !ok) c = nomem(e);
    if (c != LP_CODE_OK) {
        lpc_free(r);
        return c;
    }
    *result = r;
    return LP_CODE_OK;
}

/* Steps 5 and 6 over the validated receipt and the parents' map. */
static lp_code ancestry(const lpc_value *snapshot, const lpc_value *receipt, const lpc_value *parents,
                        int require_alloc, lpc_referr *e)
{
    lpc_value *ordered = NULL;
    lp_code c = lpc_receipt_v1_verify_lineage(receipt, parents, &ordered, e);
    if (c != LP_CODE_OK) return c;
    /* set(ordered) == set(parents) | {receipt_hash} */
    size_t np = parents->u.o.n, no = ordered->u.a.n;
    span *a = malloc((no ? no : 1) * sizeof *a), *b = malloc((np + 1) * sizeof *b);
    const lpc_value *pr = lpc_get(snapshot, "parent_receipt_hashes");
    size_t nsp = pr && pr->type == LPC_ARRAY ? pr->u.a.n : 0;
    span *want = malloc((nsp ? nsp : 1) * sizeof *want);
    if (!a || !b || !want) {
        c = nomem(e);
        goto out;
    }
    for (size_t i = 0; i < no; i++) a[i] = (span){ordered->u.a.items[i]->u.s.ptr, ordered->u.a.items[i]->u.s.len};
    for (size_t i = 0; i < np; i++) b[i] = (span){parents->u.o.items[i].key, parents->u.o.items[i].klen};
    const lpc_value *rh = lpc_get(receipt, "receipt_hash");
    b[np] = (span){rh->u.s.ptr, rh->u.s.len};
    size_t ua = span_unique(a, no), ub = span_unique(b, np + 1);
    int same = ua == ub;
    for (size_t i = 0; same && i < ua; i++) same = span_cmp(&a[i], &b[i]) == 0;
    if (!same) {
        c = fail(e, "v2 bundle contains disconnected parent receipts");
        goto out;
    }
    /* receipt.parent_receipt_hashes == sorted(set(snapshot.parent_receipt_hashes or []));
     * compute_final_weights accepted the snapshot, so its items are hash strings */
    for (size_t i = 0; i < nsp; i++) want[i] = (span){pr->u.a.items[i]->u.s.ptr, pr->u.a.items[i]->u.s.len};
    size_t uw = span_unique(want, nsp);
    const lpc_value *rp = lpc_get(receipt, "parent_receipt_hashes");
    same = rp && rp->type == LPC_ARRAY && rp->u.a.n == uw;
    for (size_t i = 0; same && i < uw; i++) {
        const lpc_value *x = rp->u.a.items[i];
        same = x->type == LPC_STR && x->u.s.len == want[i].n && memcmp(x->u.s.ptr, want[i].p, want[i].n) == 0;
    }
    if (!same) {
        c = fail(e, "weight receipt parents differ from immutable snapshot");
        goto out;
    }
    for (size_t i = 0; i < np; i++) {
        const lpc_value *p = parents->u.o.items[i].val;
        if (!str_is(lpc_get(p, "role"), LPC_RECEIPT_V1_ROLE_SCORING)) { c = fail(e, "weight ancestry receipt role mismatch"); goto out; }
        if (!lpc_receipt_v1_is_scoring_purpose(lpc_get(p, "purpose"))) { c = fail(e, "weight ancestry receipt purpose mismatch"); goto out; }
        if (!str_is(lpc_get(p, "status"), "succeeded")) { c = fail(e, "weight ancestry receipt is not successful"); goto out; }
        if (!epoch_not_newer(p, snapshot)) { c = fail(e, "weight ancestry receipt epoch is newer than weight epoch"); goto out; }
    }
    /* allocation_hash = str(snapshot.research_lab_allocation_receipt_hash or ""): empty or
     * a hash string, as compute_final_weights checked */
    const lpc_value *ah = lpc_get(snapshot, "research_lab_allocation_receipt_hash");
    const char *ap = lpc_py_truthy(ah) && ah->type == LPC_STR ? ah->u.s.ptr : "";
    size_t an = *ap ? ah->u.s.len : 0;
    if (require_alloc && !an) { c = fail(e, "Research Lab allocation receipt is required"); goto out; }
    const lpc_value *ev = lpc_get(receipt, "evidence_roots");
    const lpc_value *committed = lpc_get(ev, "research_lab_allocation_receipt");
    if (an) {
        int direct = 0;
        span key = {ap, an};
        for (size_t i = 0; !direct && i < uw; i++) direct = span_cmp(&want[i], &key) == 0;
        if (!direct) { c = fail(e, "Research Lab allocation receipt is not a direct weight parent"); goto out; }
        const lpc_value *ar = lpc_get(parents, ap);  /* ap: a validated hash string */
        if (!ar) { c = fail(e, "Research Lab allocation receipt is missing"); goto out; }
        if (!str_is(lpc_get(ar, "role"), LPC_RECEIPT_V1_ROLE_SCORING)) { c = fail(e, "allocation receipt role mismatch"); goto out; }
        if (!str_is(lpc_get(ar, "purpose"), LPC_ALLOCATION_PURPOSE)) { c = fail(e, "allocation receipt purpose mismatch"); goto out; }
        if (!str_is(lpc_get(ar, "status"), "succeeded")) { c = fail(e, "allocation receipt is not successful"); goto out; }
        if (!epoch_not_newer(ar, snapshot)) { c = fail(e, "allocation receipt epoch is newer than weight epoch"); goto out; }
        if (!committed || committed->type != LPC_STR || committed->u.s.len != an || memcmp(committed->u.s.ptr, ap, an) != 0) {
            c = fail(e, "weight receipt does not commit its allocation parent");
            goto out;
        }
    } else if (committed) {
        c = fail(e, "weight receipt contains an undeclared allocation parent");
        goto out;
    }
    c = LP_CODE_OK;
out:
    free(a);
    free(b);
    free(want);
    lpc_free(ordered);
    return c;
}

lp_code lpc_weight_bundle_v2_validate(const lpc_value *bundle, int require_alloc, lpc_value **result, lpc_referr *err)
{
    lpc_referr_clear(err);
    if (!result) return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "missing output");
    *result = NULL;
    if (!bundle) return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "missing bundle");
    /* step 1 */
    int fields = bundle->type == LPC_OBJECT && bundle->u.o.n == LPC_WEIGHT_BUNDLE_V2_FIELDS;
    for (size_t i = 0; fields && i < LPC_WEIGHT_BUNDLE_V2_FIELDS; i++) fields = lpc_get(bundle, k_fields[i]) != NULL;
    if (!fields) return fail(err, "v2 bundle fields do not match schema");
    if (!str_is(lpc_get(bundle, "schema_version"), LPC_WEIGHT_BUNDLE_V2_SCHEMA)) return fail(err, "unsupported v2 bundle schema");
    const lpc_value *snapshot = lpc_get(bundle, "weight_snapshot"), *claimed = lpc_get(bundle, "weight_result"),
                    *receipt = lpc_get(bundle, "weight_receipt"), *plist = lpc_get(bundle, "parent_receipts");
    if (snapshot->type != LPC_OBJECT) return fail(err, "weight_snapshot is missing");
    if (claimed->type != LPC_OBJECT) return fail(err, "weight_result is missing");
    if (receipt->type != LPC_OBJECT) return fail(err, "weight_receipt is missing");
    if (plist->type != LPC_ARRAY) return fail(err, "parent_receipts must be a list");
    if (plist->u.a.n > LPC_WEIGHT_BUNDLE_V2_MAX_PARENTS)
        return lpc_referr_set(err, LP_CODE_INPUT_TOO_LARGE, "LimitExceeded", "more than %d parent receipts",
                              LPC_WEIGHT_BUNDLE_V2_MAX_PARENTS);
    /* step 2 */
    lpc_value *computed = NULL, *parents = NULL;
    lp_code c = lpc_compute_final_weights(snapshot, NULL, &computed, err);
    if (c != LP_CODE_OK) return c;
    char out_root[LPC_SHA256_REF_SIZE];
    if (!lpc_py_eq(claimed, computed)) {
        c = fail(err, "weight_result differs from canonical snapshot computation");
        goto out;
    }
    /* step 3 */
    if ((c = lpc_receipt_v1_validate_signed(receipt, 1, err))) goto out;
    if (!str_is(lpc_get(receipt, "role"), LPC_RECEIPT_V1_ROLE_WEIGHTS)) { c = fail(err, "weight receipt role mismatch"); goto out; }
    if (!str_is(lpc_get(receipt, "purpose"), LPC_RECEIPT_V1_WEIGHT_PURPOSE)) { c = fail(err, "weight receipt purpose mismatch"); goto out; }
    if (!str_is(lpc_get(receipt, "status"), "succeeded")) { c = fail(err, "weight receipt is not successful"); goto out; }
    if (!eq_or_none(lpc_get(receipt, "epoch_id"), lpc_get(snapshot, "epoch_id"))) { c = fail(err, "weight receipt epoch mismatch"); goto out; }
    if (!eq_or_none(lpc_get(receipt, "commit_sha"), lpc_get(snapshot, "commit_sha"))) { c = fail(err, "weight receipt commit mismatch"); goto out; }
    if (!eq_or_none(lpc_get(receipt, "config_hash"), lpc_get(snapshot, "config_hash"))) { c = fail(err, "weight receipt config mismatch"); goto out; }
    if (!eq_or_none(lpc_get(receipt, "input_root"), lpc_get(computed, "snapshot_hash"))) { c = fail(err, "weight receipt input mismatch"); goto out; }
    if ((c = lpc_wcomp_sha256_json(computed, out_root, err))) goto out;
    if (!lpc_str_eq(lpc_get(receipt, "output_root"), out_root)) { c = fail(err, "weight receipt output mismatch"); goto out; }
    /* step 4 */
    if (!weights_signature_ok(bundle, receipt, computed)) { c = fail(err, "invalid enclave-computed weight signature"); goto out; }
    /* step 5: the parents as a map by receipt_hash, in list order */
    if (!(parents = lpc_new_object())) { c = nomem(err); goto out; }
    for (size_t i = 0; i < plist->u.a.n; i++) {
        const lpc_value *p = plist->u.a.items[i];
        if (p->type != LPC_OBJECT) { c = fail(err, "parent receipt is not an object"); goto out; }
        if ((c = lpc_receipt_v1_validate_signed(p, 1, err))) goto out;
        const lpc_value *h = lpc_get(p, "receipt_hash");   /* a hash string once validated */
        if (lpc_get(parents, h->u.s.ptr)) { c = fail(err, "parent receipt is duplicated"); goto out; }
        lpc_value *copy = NULL;
        if (lpc_clone(p, &copy) != LPC_OK || lpc_object_set(parents, h->u.s.ptr, h->u.s.len, copy) != LPC_OK) {
            c = nomem(err);
            goto out;
        }
    }
    if ((c = ancestry(snapshot, receipt, parents, require_alloc, err))) goto out;
    c = build_result(bundle, computed, receipt, result, err);
out:
    lpc_free(computed);
    lpc_free(parents);
    return c;
}

/* ---- the binding's entry point (lpc_refcall.h) ------------------------------------ */

static lp_code rc_validate(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    *result = NULL;
    const lpc_value *b = lpc_refcall_arg(args, kwargs, 0, "bundle");
    const lpc_value *req = lpc_get(kwargs, "require_allocation_ancestry");
    if (!b)
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError",
                              "validate_weight_bundle_v2() missing 1 required positional argument: 'bundle'");
    if (!req)
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError",
                              "validate_weight_bundle_v2() missing 1 required keyword-only argument: "
                              "'require_allocation_ancestry'");
    return lpc_weight_bundle_v2_validate(b, lpc_py_truthy(req), result, err);
}

const lpc_refcall_entry lpc_refcall_weight_bundle_v2[] = {
    {"weight_bundle_v2.validate_weight_bundle_v2", rc_validate},
    {NULL, NULL},
};
