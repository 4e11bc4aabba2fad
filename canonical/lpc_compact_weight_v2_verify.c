/* verify_compact_weight_submission_v2 without the detached ancestry certificates
 * (compact_auditor_authority_v2.py:224-310 and the certificate-free parts of
 * compact_weight_authority_v2.py validate_compact_weight_ancestry_v2 at 5fe22c16;
 * leadpoet-weights-v2.md §8.4).  What is skipped is listed in lpc_compact_weight_v2.h. */
#include "canonical/lpc_compact_weight_v2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_attested_v2.h"
#include "canonical/lpc_attested_v2_internal.h"
#include "canonical/lpc_binding.h"
#include "canonical/lpc_codec.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_sodium.h"
#include "canonical/lpc_weight_authority_v2.h"

#define AUD_TYPE "CompactAuditorAuthorityV2Error"
#define CW_TYPE  "CompactWeightAuthorityV2Error"

static lp_code aud(lpc_referr *e, const char *msg) { return lpc_referr_set(e, LP_CODE_COMPACT_AUDITOR_AUTHORITY_V2_ERROR, AUD_TYPE, "%s", msg); }
static lp_code cwf(lpc_referr *e, const char *msg) { return lpc_referr_set(e, LP_CODE_COMPACT_WEIGHT_AUTHORITY_V2_ERROR, CW_TYPE, "%s", msg); }
static lp_code nomem(lpc_referr *e) { return lpc_referr_set(e, LP_CODE_OUT_OF_MEMORY, "MemoryError", "out of memory"); }
static lp_code too_many(lpc_referr *e, const char *what)
{
    return lpc_referr_set(e, LP_CODE_INPUT_TOO_LARGE, "InputTooLarge", "more than %zu %s", LPC_CWV2_MAX_DELTA_ITEMS, what);
}

static int is_obj(const lpc_value *v) { return v && v->type == LPC_OBJECT; }
static int is_arr(const lpc_value *v) { return v && v->type == LPC_ARRAY; }

/* a == b under Python ==, a missing value being None */
static int eqv(const lpc_value *a, const lpc_value *b)
{
    static const lpc_value none = {.type = LPC_NULL};
    return lpc_py_eq(a ? a : &none, b ? b : &none);
}
static int eq_str(const lpc_value *v, const char *s) { return lpc_str_eq(v, s); }

/* v is a str with exactly the bytes s[0..n) */
static int str_bytes(const lpc_value *v, const char *s, size_t n)
{
    return v && v->type == LPC_STR && v->u.s.len == n && memcmp(v->u.s.ptr, s, n) == 0;
}

/* str(v) of a validated identifier or hash (a string; anything else reads as a text
 * no string equals) */
static void text_of(const lpc_value *v, av2_text *t) { av2_text_of(v, 0, t); }

static int text_eq(const av2_text *a, const av2_text *b) { return a->n == b->n && memcmp(a->b, b->b, a->n) == 0; }

/* int(v) for an epoch comparison; 0 when Python's int() would not give an int64 */
static int py_int(const lpc_value *v, int64_t dflt, int64_t *out)
{
    if (!v) { *out = dflt; return 1; }
    return lpc_py_int(v, out) == LPC_PY_OK;
}

static lp_code refuse_int(lpc_referr *e, const char *what)
{
    return lpc_referr_set(e, LP_CODE_NON_CANONICAL_INPUT, "NonCanonicalInput", "int() of %s is not reproduced", what);
}

/* ---- the certificate-free part of validate_compact_weight_ancestry_v2 ---------------- */

/* The receipt of a disclosure list whose receipt_hash == want (Python ==); *count the
 * number of matches. */
static const lpc_value *disclosed_match(const lpc_value *list, const lpc_value *want, size_t *count)
{
    const lpc_value *found = NULL;
    *count = 0;
    for (size_t i = 0; is_arr(list) && i < list->u.a.n; i++) {
        const lpc_value *it = list->u.a.items[i];
        if (is_obj(it) && eqv(lpc_get(it, "receipt_hash"), want)) {
            if (!found) found = it;
            (*count)++;
        }
    }
    return found;
}

/* What the certificate validation guarantees of a disclosed receipt and that this port
 * re-checks on its own: the receipt's signature and body, and a disclosed boot of the
 * same proof that the receipt matches.  Failure is the reference's wrapper message. */
static int disclosed_receipt_sound(const lpc_value *proof, const lpc_value *r)
{
    static const char *const pairs[][2] = {{"role", "role"}, {"commit_sha", "commit_sha"}, {"pcr0", "pcr0"},
                                           {"build_manifest_hash", "build_manifest_hash"},
                                           {"dependency_lock_hash", "dependency_lock_hash"},
                                           {"config_hash", "config_hash"}, {"enclave_pubkey", "signing_pubkey"}};
    lpc_referr sub;
    if (lpc_av2_validate_signed_execution_receipt(r, 1, &sub) != LP_CODE_OK) return 0;
    const lpc_value *boots = lpc_get(proof, "disclosed_boot_identities");
    for (size_t i = 0; is_arr(boots) && i < boots->u.a.n; i++) {
        const lpc_value *b = boots->u.a.items[i];
        if (!is_obj(b) || !eqv(lpc_get(b, "boot_identity_hash"), lpc_get(r, "boot_identity_hash"))) continue;
        if (lpc_av2_validate_boot_identity(b, &sub) != LP_CODE_OK) return 0;
        for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++)
            if (!eqv(lpc_get(r, pairs[k][0]), lpc_get(b, pairs[k][1]))) return 0;
        return 1;
    }
    return 0;
}

typedef struct {
    av2_text job, purpose;
} scope;

static int scope_eq(const scope *a, const scope *b) { return text_eq(&a->job, &b->job) && text_eq(&a->purpose, &b->purpose); }

static void scope_of(const lpc_value *v, scope *s)
{
    text_of(lpc_get(v, "job_id"), &s->job);
    text_of(lpc_get(v, "purpose"), &s->purpose);
}

static lp_code ancestry_local(const lpc_value *s, const char *lineage, lpc_referr *e)
{
    const lpc_value *snap = lpc_get(s, "weight_snapshot");
    const lpc_value *inputs = lpc_get(snap, "input_receipt_hashes");
    size_t ncat = 0;
    while (lpc_cwv2_all_categories[ncat]) ncat++;
    int complete = is_obj(inputs) && inputs->u.o.n == ncat;
    for (size_t i = 0; complete && i < ncat; i++) complete = lpc_get(inputs, lpc_cwv2_all_categories[i]) != NULL;
    if (!complete) return cwf(e, "compact snapshot inputs are incomplete");
    const lpc_value *proofs = lpc_get(s, "upstream_ancestry_proofs");
    scope scopes[16];
    size_t nscopes = 0;
    for (size_t i = 0; lpc_cwv2_gateway_categories[i]; i++) {
        const char *c = lpc_cwv2_gateway_categories[i];
        const lpc_wav2_category *cat = NULL;
        for (size_t k = 0; k < LPC_WAV2_NCATEGORIES; k++)
            if (strcmp(lpc_wav2_categories[k].category, c) == 0) cat = &lpc_wav2_categories[k];
        if (!cat) return lpc_referr_set(e, LP_CODE_INTERNAL, "InternalError", "category table mismatch");
        av2_text dh;
        av2_text_of(lpc_get(inputs, c), AV2_STRIP | AV2_LOWER, &dh);
        if (!lpc_v2_is_sha256_ref(dh.b, dh.n))
            return lpc_referr_set(e, LP_CODE_COMPACT_WEIGHT_AUTHORITY_V2_ERROR, CW_TYPE, "%s input receipt is invalid", c);
        /* validate_compact_ancestry_proof_v2 would run here (not ported); the disclosed
         * receipt it returns is taken from the proof as given */
        const lpc_value *proof = lpc_get(proofs, c);
        const lpc_value *list = lpc_get(proof, "disclosed_receipts");
        if (!is_obj(proof) || !is_arr(list))
            return lpc_referr_set(e, LP_CODE_COMPACT_WEIGHT_AUTHORITY_V2_ERROR, CW_TYPE, "compact ancestry failed for %s", c);
        lpc_value *dv = lpc_new_str(dh.b, dh.n);
        if (!dv) return nomem(e);
        size_t count;
        const lpc_value *r = disclosed_match(list, dv, &count);
        lpc_free(dv);
        /* none: the proof validation raises "compact proof is missing required receipt";
         * two or more: "proof receipt is duplicated" (_projection_from_disclosures); both
         * come back wrapped.  So "compact direct receipt is ambiguous" is not reached. */
        if (count != 1 || !disclosed_receipt_sound(proof, r))
            return lpc_referr_set(e, LP_CODE_COMPACT_WEIGHT_AUTHORITY_V2_ERROR, CW_TYPE, "compact ancestry failed for %s", c);
        int64_t re, se;
        if (!py_int(lpc_get(r, "epoch_id"), -1, &re) || !py_int(lpc_get(snap, "epoch_id"), -2, &se))
            return refuse_int(e, "an epoch_id");
        if (!eq_str(lpc_get(r, "role"), cat->role) || !eq_str(lpc_get(r, "purpose"), cat->purpose) || re != se)
            return lpc_referr_set(e, LP_CODE_COMPACT_WEIGHT_AUTHORITY_V2_ERROR, CW_TYPE,
                                  "compact direct receipt differs for %s", c);
        scope_of(r, &scopes[nscopes++]);
    }
    const lpc_value *atts = lpc_get(s, "upstream_transport_attempts");
    if (atts->u.a.n > LPC_CWV2_MAX_DELTA_ITEMS) return too_many(e, "upstream transport attempts");
    for (size_t i = 0; i < atts->u.a.n; i++) {
        const lpc_value *a = atts->u.a.items[i];
        lpc_referr sub;
        lp_code rc = lpc_av2_validate_transport_attempt(a, &sub);
        if (rc == LP_CODE_ATTESTED_V2_ERROR || rc == LP_CODE_PYTHON_TYPE_ERROR || rc == LP_CODE_PYTHON_VALUE_ERROR)
            return cwf(e, "compact transport attempt is invalid");
        if (rc) {
            if (e) *e = sub;
            return rc;
        }
        scope sc;
        scope_of(a, &sc);
        int in = 0;
        for (size_t k = 0; k < nscopes && !in; k++) in = scope_eq(&sc, &scopes[k]);
        if (!in) return cwf(e, "compact transport attempt is outside the direct input scopes");
        for (size_t k = 0; k < i; k++)
            if (eqv(lpc_get(atts->u.a.items[k], "attempt_hash"), lpc_get(a, "attempt_hash")))
                return cwf(e, "compact transport attempt is duplicated");
    }
    if (!lineage) return LP_CODE_OK; /* no manifest: the lineage-bound recomputation is skipped */
    lpc_value *lv = lpc_new_str(lineage, strlen(lineage));
    if (!lv) return nomem(e);
    char expected[LPC_CWV2_REF_SIZE];
    lp_code rc = lpc_cwv2_ancestry_commitment(lv, inputs, proofs, atts, expected, NULL, e);
    lpc_free(lv);
    if (rc) return rc;
    if (!eq_str(lpc_get(s, "ancestry_commitment"), expected)) return cwf(e, "compact ancestry commitment differs");
    /* validate_compact_ancestry_proof_v2 of validator_ancestry_proof, its root and its
     * binding disclosure, and validate_local_delta_against_certificate_v2: not ported */
    return LP_CODE_OK;
}

/* ---- _validate_receipt_delta ------------------------------------------------------- */

typedef struct {
    const lpc_value **boots;
    size_t nboots;
    const lpc_value **receipts;
    size_t nreceipts;
    const lpc_value **attempts;
    size_t nattempts;
} delta_index;

static void delta_free(delta_index *d)
{
    free(d->boots);
    free(d->receipts);
    free(d->attempts);
}

static const lpc_value *find_by(const lpc_value *const *items, size_t n, const char *key, const av2_text *want)
{
    for (size_t i = 0; i < n; i++) {
        av2_text t;
        av2_text_of(lpc_get(items[i], key), 0, &t);
        if (text_eq(&t, want)) return items[i];
    }
    return NULL;
}

static lp_code validate_delta(const lpc_value *delta, delta_index *d, lpc_referr *e)
{
    static const char *const pairs[][2] = {{"role", "role"}, {"commit_sha", "commit_sha"}, {"pcr0", "pcr0"},
                                           {"build_manifest_hash", "build_manifest_hash"},
                                           {"dependency_lock_hash", "dependency_lock_hash"},
                                           {"config_hash", "config_hash"}, {"enclave_pubkey", "signing_pubkey"}};
    lp_code rc;
    memset(d, 0, sizeof *d);
    if (!is_obj(delta) || delta->u.o.n != 6 || !eq_str(lpc_get(delta, "schema_version"), LPC_CWV2_DELTA_SCHEMA) ||
        !lpc_get(delta, "root_receipt_hash") || !lpc_get(delta, "boot_identities") || !lpc_get(delta, "receipts") ||
        !lpc_get(delta, "transport_attempts") || !lpc_get(delta, "host_operations"))
        return aud(e, "validator receipt delta is invalid");
    const lpc_value *hops = lpc_get(delta, "host_operations");
    if (!is_arr(hops) || hops->u.a.n) return aud(e, "validator receipt delta has host operations");
    const lpc_value *bl = lpc_get(delta, "boot_identities"), *rl = lpc_get(delta, "receipts"),
                    *al = lpc_get(delta, "transport_attempts");
    /* the shape made each a list */
    if (bl->u.a.n > LPC_CWV2_MAX_DELTA_ITEMS || rl->u.a.n > LPC_CWV2_MAX_DELTA_ITEMS ||
        al->u.a.n > LPC_CWV2_MAX_DELTA_ITEMS)
        return too_many(e, "delta items");
    d->boots = malloc((bl->u.a.n + 1) * sizeof *d->boots);
    d->receipts = malloc((rl->u.a.n + 1) * sizeof *d->receipts);
    d->attempts = malloc((al->u.a.n + 1) * sizeof *d->attempts);
    if (!d->boots || !d->receipts || !d->attempts) return nomem(e);
    for (size_t i = 0; i < bl->u.a.n; i++) {
        const lpc_value *b = bl->u.a.items[i];
        if (!is_obj(b)) return aud(e, "validator delta boot is invalid");
        /* the boot verifier: structural here (a Nitro document is not verified) */
        if ((rc = lpc_av2_validate_boot_identity(b, e))) return rc;
        av2_text h;
        av2_text_of(lpc_get(b, "boot_identity_hash"), 0, &h);
        if (find_by(d->boots, d->nboots, "boot_identity_hash", &h)) return aud(e, "validator delta boot is duplicated");
        d->boots[d->nboots++] = b;
    }
    if (!d->nboots) return aud(e, "validator delta boot is missing");
    for (size_t i = 0; i < rl->u.a.n; i++) {
        const lpc_value *r = rl->u.a.items[i];
        if (!is_obj(r)) return aud(e, "validator delta receipt is invalid");
        if ((rc = lpc_av2_validate_signed_execution_receipt(r, 1, e))) return rc;
        av2_text h;
        scope sc;
        av2_text_of(lpc_get(r, "receipt_hash"), 0, &h);
        scope_of(r, &sc);
        int dup = find_by(d->receipts, d->nreceipts, "receipt_hash", &h) != NULL;
        for (size_t k = 0; !dup && k < d->nreceipts; k++) {
            scope o;
            scope_of(d->receipts[k], &o);
            dup = scope_eq(&o, &sc);
        }
        if (dup) return aud(e, "validator delta receipt is duplicated");
        av2_text bh;
        av2_text_of(lpc_get(r, "boot_identity_hash"), 0, &bh);
        const lpc_value *boot = find_by(d->boots, d->nboots, "boot_identity_hash", &bh);
        if (!boot) return aud(e, "validator delta receipt boot is missing");
        for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++)
            if (!eqv(lpc_get(r, pairs[k][0]), lpc_get(boot, pairs[k][1])))
                return aud(e, "validator delta receipt differs from boot");
        if (!eq_str(lpc_get(r, "host_operation_root"), LPC_AV2_EMPTY_HOST_OPERATION_ROOT))
            return aud(e, "validator delta receipt host root differs");
        d->receipts[d->nreceipts++] = r;
    }
    for (size_t i = 0; i < al->u.a.n; i++) {
        const lpc_value *a = al->u.a.items[i];
        if ((rc = lpc_av2_validate_transport_attempt(a, e))) return rc;
        av2_text h;
        av2_text_of(lpc_get(a, "attempt_hash"), 0, &h);
        if (find_by(d->attempts, d->nattempts, "attempt_hash", &h)) return aud(e, "validator delta attempt is duplicated");
        d->attempts[d->nattempts++] = a;
    }
    /* each receipt's transport root over the attempts of its scope, in list order */
    unsigned char *claimed = calloc(d->nattempts + 1, 1);
    if (!claimed) return nomem(e);
    rc = LP_CODE_OK;
    for (size_t i = 0; !rc && i < d->nreceipts; i++) {
        scope sc;
        scope_of(d->receipts[i], &sc);
        lpc_value *hashes = lpc_new_array();
        if (!hashes) { rc = nomem(e); break; }
        for (size_t k = 0; !rc && k < d->nattempts; k++) {
            scope o;
            scope_of(d->attempts[k], &o);
            if (!scope_eq(&o, &sc)) continue;
            claimed[k] = 1;
            lpc_value *c = NULL;
            if (lpc_clone(lpc_get(d->attempts[k], "attempt_hash"), &c) != LPC_OK || lpc_array_append(hashes, c) != LPC_OK)
                rc = nomem(e);
        }
        char root[LPC_AV2_REF_SIZE];
        if (!rc) {
            if (hashes->u.a.n) {
                lpc_value *dom = lpc_new_str(LPC_AV2_DOMAIN_TRANSPORT, strlen(LPC_AV2_DOMAIN_TRANSPORT));
                rc = dom ? lpc_av2_merkle_root(hashes, dom, root, e) : nomem(e);
                lpc_free(dom);
            } else {
                memcpy(root, LPC_AV2_EMPTY_TRANSPORT_ROOT, sizeof LPC_AV2_EMPTY_TRANSPORT_ROOT);
            }
        }
        lpc_free(hashes);
        if (!rc && !eq_str(lpc_get(d->receipts[i], "transport_root"), root))
            rc = aud(e, "validator delta transport root differs");
    }
    for (size_t k = 0; !rc && k < d->nattempts; k++)
        if (!claimed[k]) rc = aud(e, "validator delta has unclaimed transport");
    free(claimed);
    return rc;
}

/* ---- verify_compact_weight_submission_v2 ------------------------------------------- */

static int put(lpc_value *o, const char *k, lpc_value *v) { return v && lpc_object_set(o, k, strlen(k), v) == LPC_OK; }
static lpc_value *clone_of(const lpc_value *v)
{
    lpc_value *c = NULL;
    return v && lpc_clone(v, &c) == LPC_OK ? c : NULL;
}

/* Ed25519 by pubkey (bytes.fromhex(str(..))) over bytes.fromhex(weights_hash) */
static int weights_signature_ok(const lpc_value *pk, const lpc_value *sig, const lpc_value *wh)
{
    if (!pk || pk->type != LPC_STR || !sig || sig->type != LPC_STR || !wh || wh->type != LPC_STR) return 0;
    return lpc_v2_ed25519_fromhex(pk->u.s.ptr, pk->u.s.len, sig->u.s.ptr, sig->u.s.len, wh->u.s.ptr, wh->u.s.len);
}

static lp_code build_verified(const lpc_value *s, const lpc_value *computed, const lpc_value *binding,
                              const lpc_value *root_hash, const lpc_value *computed_receipt, const lpc_value *boot,
                              lpc_value **out, lpc_referr *e)
{
    char bh[LPC_CWV2_REF_SIZE];
    lp_code rc = lpc_cwv2_bundle_hash(s, bh, NULL, e);
    if (rc) return rc;
    lpc_value *o = lpc_new_object();
    int ok = o && put(o, "validator_hotkey", clone_of(lpc_get(s, "validator_hotkey"))) &&
             put(o, "netuid", clone_of(lpc_get(computed, "netuid"))) &&
             put(o, "epoch_id", clone_of(lpc_get(computed, "epoch_id"))) &&
             put(o, "block", clone_of(lpc_get(computed, "block"))) &&
             put(o, "uids", clone_of(lpc_get(computed, "sparse_uids"))) &&
             put(o, "weights_u16", clone_of(lpc_get(computed, "sparse_weights_u16"))) &&
             put(o, "weights_hash", clone_of(lpc_get(computed, "weights_hash"))) &&
             put(o, "root_receipt_hash", clone_of(lpc_get(binding, "receipt_hash"))) &&
             put(o, "weight_receipt_hash", clone_of(root_hash)) &&
             put(o, "snapshot_hash", clone_of(lpc_get(lpc_get(s, "weight_snapshot"), "snapshot_hash"))) &&
             put(o, "validator_enclave_pubkey", clone_of(lpc_get(computed_receipt, "enclave_pubkey"))) &&
             put(o, "validator_boot_identity_hash", clone_of(lpc_get(boot, "boot_identity_hash"))) &&
             put(o, "compact_submission_hash", clone_of(lpc_get(s, "compact_submission_hash"))) &&
             put(o, "bundle_hash", lpc_new_str(bh, strlen(bh)));
    if (!ok) {
        lpc_free(o);
        return nomem(e);
    }
    /* str(...) of the text fields: each was validated as a string above, except the
     * hotkey, which the shape allows to be a non-container scalar */
    const lpc_value *hk = lpc_get(o, "validator_hotkey");
    if (hk->type != LPC_STR) {
        lpc_free(o);
        return lpc_referr_set(e, LP_CODE_NON_CANONICAL_INPUT, "NonCanonicalInput",
                              "a validator_hotkey that is not a string is not reproduced");
    }
    *out = o;
    return LP_CODE_OK;
}

lp_code lpc_cwv2_verify_local(const lpc_value *s, const lpc_value *manifest, lpc_value **verified, lpc_referr *e)
{
    *verified = NULL;
    lp_code rc;
    char lineage[LPC_CWV2_REF_SIZE];
    if (manifest && (rc = lpc_cwv2_lineage_id_from_manifest(manifest, lineage, NULL, e))) return rc;
    if ((rc = lpc_cwv2_validate_shape(s, e))) return rc;
    if ((rc = ancestry_local(s, manifest ? lineage : NULL, e))) return rc;

    const lpc_value *snap = lpc_get(s, "weight_snapshot");
    lpc_value *computed = NULL, *docs = NULL, *all_attempts = NULL, *request = NULL, *output = NULL;
    delta_index d = {0};
    if ((rc = lpc_wav2_validate_weight_snapshot(snap, &computed, e))) goto out;
    if (!lpc_py_eq(lpc_get(s, "weight_result"), computed)) { rc = aud(e, "compact weight result is not canonical"); goto out; }
    const lpc_value *delta = lpc_get(s, "validator_receipt_delta");
    if ((rc = validate_delta(delta, &d, e))) goto out;
    if ((rc = lpc_wav2_input_value_documents(lpc_get(snap, "calculation_snapshot"),
                                             lpc_get(snap, "finalized_chain_state_root"),
                                             lpc_get(snap, "gateway_authority_event_hash"), &docs, e)))
        goto out;
    /* [*upstream_transport_attempts, *delta attempts] */
    all_attempts = lpc_new_array();
    if (!all_attempts) { rc = nomem(e); goto out; }
    const lpc_value *ups = lpc_get(s, "upstream_transport_attempts");
    for (size_t i = 0; i < ups->u.a.n; i++)
        if (lpc_array_append(all_attempts, clone_of(ups->u.a.items[i])) != LPC_OK) { rc = nomem(e); goto out; }
    for (size_t i = 0; i < d.nattempts; i++)
        if (lpc_array_append(all_attempts, clone_of(d.attempts[i])) != LPC_OK) { rc = nomem(e); goto out; }
    int64_t cepoch;
    if (!py_int(lpc_get(computed, "epoch_id"), 0, &cepoch)) { rc = refuse_int(e, "epoch_id"); goto out; }

    const lpc_value *inputs = lpc_get(snap, "input_receipt_hashes");
    for (size_t i = 0; i < inputs->u.o.n; i++) {
        const char *c = inputs->u.o.items[i].key;
        const lpc_value *rh = inputs->u.o.items[i].val;
        av2_text want;
        av2_text_of(rh, 0, &want);
        if (rh->type != LPC_STR) want.n = 0, want.b[0] = 1; /* str() of a non-string is never a receipt hash */
        const lpc_value *r = find_by(d.receipts, d.nreceipts, "receipt_hash", &want);
        if (!r) {
            size_t count = 0;
            const lpc_value *proof = lpc_get(lpc_get(s, "upstream_ancestry_proofs"), c);
            r = is_obj(proof) ? disclosed_match(lpc_get(proof, "disclosed_receipts"), rh, &count) : NULL;
            if (count != 1) {
                rc = lpc_referr_set(e, LP_CODE_COMPACT_AUDITOR_AUTHORITY_V2_ERROR, AUD_TYPE,
                                    "%s compact input receipt is missing", c);
                goto out;
            }
        }
        const lpc_wav2_category *cat = NULL;
        for (size_t k = 0; k < LPC_WAV2_NCATEGORIES; k++)
            if (strcmp(lpc_wav2_categories[k].category, c) == 0) cat = &lpc_wav2_categories[k];
        /* the shape check made the keys exactly the 14 categories */
        if (!cat || !eq_str(lpc_get(r, "role"), cat->role) || !eq_str(lpc_get(r, "purpose"), cat->purpose)) {
            rc = lpc_referr_set(e, LP_CODE_COMPACT_AUDITOR_AUTHORITY_V2_ERROR, AUD_TYPE,
                                "%s compact input scope differs", c);
            goto out;
        }
        int64_t re;
        if (!py_int(lpc_get(r, "epoch_id"), -1, &re)) { rc = refuse_int(e, "a receipt epoch_id"); goto out; }
        if (re != cepoch) {
            rc = lpc_referr_set(e, LP_CODE_COMPACT_AUDITOR_AUTHORITY_V2_ERROR, AUD_TYPE,
                                "%s compact input epoch differs", c);
            goto out;
        }
        const lpc_value *doc = lpc_get(docs, c);
        char root[LPC_AV2_REF_SIZE];
        if ((rc = av2_sha256_json(doc, root, e))) goto out;
        if (!eq_str(lpc_get(r, "output_root"), root)) {
            rc = lpc_referr_set(e, LP_CODE_COMPACT_AUDITOR_AUTHORITY_V2_ERROR, AUD_TYPE,
                                "%s compact input value differs", c);
            goto out;
        }
        if ((rc = lpc_wav2_validate_input_source_evidence(c, r, doc, all_attempts, e))) goto out;
    }

    const lpc_value *root_hash = lpc_get(delta, "root_receipt_hash");
    av2_text rt;
    av2_text_of(root_hash, 0, &rt);
    if (root_hash->type != LPC_STR) rt.n = 0, rt.b[0] = 1;
    const lpc_value *cr = find_by(d.receipts, d.nreceipts, "receipt_hash", &rt);
    char result_root[LPC_AV2_REF_SIZE];
    if ((rc = av2_sha256_json(computed, result_root, e))) goto out;
    if (!cr || !eq_str(lpc_get(cr, "purpose"), "validator.weights.computed.v2") ||
        !eq_str(lpc_get(cr, "output_root"), result_root)) {
        rc = aud(e, "compact computed receipt differs");
        goto out;
    }
    const lpc_value *sp = lpc_get(cr, "parent_receipt_hashes");
    if (!is_arr(sp) || sp->u.a.n != 1) { rc = aud(e, "compact computed receipt parent differs"); goto out; }
    av2_text pt;
    av2_text_of(sp->u.a.items[0], 0, &pt);
    const lpc_value *sr = find_by(d.receipts, d.nreceipts, "receipt_hash", &pt);
    if (!sr || !eq_str(lpc_get(sr, "purpose"), "validator.weight_snapshot.v2") ||
        !eqv(lpc_get(sr, "input_root"), lpc_get(snap, "source_input_root")) ||
        !eqv(lpc_get(sr, "output_root"), lpc_get(snap, "snapshot_hash"))) {
        rc = aud(e, "compact snapshot receipt differs");
        goto out;
    }
    {
        lpc_value *items = lpc_new_array(), *dom = lpc_new_str(LPC_AV2_DOMAIN_WEIGHT_ARTIFACT,
                                                               strlen(LPC_AV2_DOMAIN_WEIGHT_ARTIFACT));
        int ok = items && dom && lpc_array_append(items, clone_of(lpc_get(snap, "calculation_snapshot_hash"))) == LPC_OK &&
                 lpc_array_append(items, clone_of(lpc_get(s, "ancestry_commitment"))) == LPC_OK;
        char art[LPC_AV2_REF_SIZE];
        rc = ok ? lpc_av2_merkle_root(items, dom, art, e) : nomem(e);
        lpc_free(items);
        lpc_free(dom);
        if (rc) goto out;
        if (!eq_str(lpc_get(sr, "artifact_root"), art)) { rc = aud(e, "compact snapshot ancestry commitment differs"); goto out; }
    }
    const lpc_value *binding = lpc_get(s, "binding_receipt");
    if ((rc = lpc_av2_validate_signed_execution_receipt(binding, 1, e))) goto out;
    const lpc_value *bp = lpc_get(binding, "parent_receipt_hashes");
    if (!is_arr(bp) || bp->u.a.n != 1 || !str_bytes(bp->u.a.items[0], rt.b, rt.n) || root_hash->type != LPC_STR ||
        !eq_str(lpc_get(binding, "purpose"), "validator.hotkey_signature.v2")) {
        rc = aud(e, "compact binding receipt differs");
        goto out;
    }
    /* parse_binding_message(str(binding_message)): the shape allowed a scalar; a message
     * that is not a string is never a binding (no prefix) */
    const lpc_value *msg = lpc_get(s, "binding_message");
    lpc_binding_parts parts;
    if (msg->type != LPC_STR || lpc_binding_parse(msg->u.s.ptr, msg->u.s.len, &parts, NULL) != LPC_OK) {
        rc = aud(e, "compact binding message is invalid");
        goto out;
    }
    av2_text cb;
    av2_text_of(lpc_get(cr, "boot_identity_hash"), 0, &cb);
    const lpc_value *boot = find_by(d.boots, d.nboots, "boot_identity_hash", &cb);
    if (!boot) { rc = aud(e, "compact computing boot is missing"); goto out; }
    /* verify_binding_message: the field checks; the sr25519 signature is the caller's */
    {
        int64_t nu;
        const lpc_value *pk = lpc_get(cr, "enclave_pubkey"), *code = lpc_get(boot, "build_manifest_hash");
        if (!lpc_int_i64(lpc_get(computed, "netuid"), &nu) || pk->type != LPC_STR || !code || code->type != LPC_STR) {
            rc = aud(e, "compact validator hotkey signature is invalid");
            goto out;
        }
        lpc_strview chain = {LPC_CWV2_EXPECTED_CHAIN, strlen(LPC_CWV2_EXPECTED_CHAIN)};
        lpc_strview epk = {pk->u.s.ptr, pk->u.s.len}, ech = {code->u.s.ptr, code->u.s.len};
        if (lpc_binding_check_fields(&parts, nu, chain, epk, ech, NULL) != LPC_OK) {
            rc = aud(e, "compact validator hotkey signature is invalid");
            goto out;
        }
    }
    if (lpc_get(s, "validator_hotkey")->type != LPC_STR || lpc_get(s, "validator_hotkey_signature")->type != LPC_STR) {
        rc = lpc_referr_set(e, LP_CODE_NON_CANONICAL_INPUT, "NonCanonicalInput",
                            "a validator_hotkey or hotkey signature that is not a string is not reproduced");
        goto out;
    }
    rc = lpc_wav2_binding_documents(msg, lpc_get(s, "validator_hotkey"), lpc_get(boot, "boot_identity_hash"),
                                    lpc_get(s, "validator_hotkey_signature"), &request, &output, e);
    if (rc == LP_CODE_WEIGHT_AUTHORITY_V2_ERROR) {
        /* the reference lets build_application_signature_request_v2's own
         * HotkeyAuthorityV2Error through here; its message is not reproduced */
        rc = lpc_referr_set(e, LP_CODE_UNSUPPORTED, "HotkeyAuthorityV2Error",
                            "the binding request is rejected by hotkey_authority_v2 (message not reproduced)");
        goto out;
    }
    if (rc) goto out;
    {
        char out_root[LPC_AV2_REF_SIZE];
        if ((rc = av2_sha256_json(output, out_root, e))) goto out;
        if (!eqv(lpc_get(binding, "input_root"), lpc_get(request, "request_hash")) ||
            !eq_str(lpc_get(binding, "output_root"), out_root)) {
            rc = aud(e, "compact binding receipt output differs");
            goto out;
        }
    }
    if (!weights_signature_ok(lpc_get(cr, "enclave_pubkey"), lpc_get(s, "weights_signature"),
                              lpc_get(computed, "weights_hash"))) {
        rc = aud(e, "compact weight signature is invalid");
        goto out;
    }
    rc = build_verified(s, computed, binding, root_hash, cr, boot, verified, e);
out:
    delta_free(&d);
    lpc_free(computed);
    lpc_free(docs);
    lpc_free(all_attempts);
    lpc_free(request);
    lpc_free(output);
    return rc;
}
