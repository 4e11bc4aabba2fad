/* validate_published_weight_bundle_v2 (leadpoet-weights-v2.md §8.1), its twelve steps in
 * the reference's order, and the enclave's weights signature (step 12). */
#include "canonical/lpc_weight_authority_v2.h"

#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_codec.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_sodium.h"
#include "canonical/lpc_weight_authority_v2_internal.h"

#define SNAPSHOT_PURPOSE "validator.weight_snapshot.v2"
#define COMPUTED_PURPOSE "validator.weights.computed.v2"
#define BINDING_PURPOSE  "validator.hotkey_signature.v2"
#define WEIGHT_ROLE      "validator_weights"

static const char *const k_bundle_fields[] = {"schema_version", "validator_hotkey", "binding_message",
                                              "validator_hotkey_signature", "weight_snapshot", "weight_result",
                                              "weights_signature", "receipt_graph"};

typedef struct {
    const char *p;
    size_t n;
    size_t idx;
} span;

static int span_cmp(const void *x, const void *y)
{
    const span *a = x, *b = y;
    size_t m = a->n < b->n ? a->n : b->n;
    int c = m ? memcmp(a->p, b->p, m) : 0;
    return c ? c : a->n < b->n ? -1 : a->n > b->n;
}

static const span *span_find(const span *s, size_t n, const char *p, size_t len)
{
    span key = {p, len, 0};
    return bsearch(&key, s, n, sizeof *s, span_cmp);
}

/* receipts = {str(r["receipt_hash"]): r}: a sorted index over the validated graph */
typedef struct {
    const lpc_value *arr;
    span *by_hash;
    size_t n;
} receipt_map;

static const lpc_value *rget(const receipt_map *m, const char *p, size_t len)
{
    const span *s = span_find(m->by_hash, m->n, p, len);
    return s ? m->arr->u.a.items[s->idx] : NULL;
}

static const lpc_value *rget_v(const receipt_map *m, const lpc_value *h)
{
    return h && h->type == LPC_STR ? rget(m, h->u.s.ptr, h->u.s.len) : NULL;
}

/* int(receipt.get("epoch_id", -1)) == epoch */
static lp_code epoch_is(const lpc_value *r, int64_t epoch, int *yes, lpc_referr *err)
{
    const lpc_value *e = lpc_get(r, "epoch_id");
    int64_t x = -1;
    if (e && lpc_py_int(e, &x) != LPC_PY_OK) return wav2_refuse(err, "int() of this receipt epoch_id");
    *yes = x == epoch;
    return LP_CODE_OK;
}

/* _verify_weight_signature(pubkey, signature, weights_hash) */
static lp_code weights_signature(const lpc_value *pubkey, const lpc_value *signature, const lpc_value *weights_hash,
                                 lpc_referr *err)
{
    av2_text wh, sig;
    av2_text_of(weights_hash, 0, &wh);
    if (!(wh.n == 64 && lpc_is_lower_hex(wh.b, 64))) return wav2_fail(err, "weights_hash is invalid");
    av2_text_of(signature, AV2_STRIP | AV2_LOWER, &sig);
    if (!(sig.n == 128 && lpc_is_lower_hex(sig.b, 128))) return wav2_fail(err, "weights_signature is invalid");
    int good = pubkey && pubkey->type == LPC_STR &&
               lpc_v2_ed25519_fromhex(pubkey->u.s.ptr, pubkey->u.s.len, sig.b, sig.n, wh.b, wh.n);
    if (!good) return wav2_fail(err, "invalid enclave-computed weight signature");
    return LP_CODE_OK;
}

/* ---- the bundle ---- */

lp_code lpc_wav2_validate_published_bundle(const lpc_value *bundle, const lpc_wav2_opts *opts, lpc_value **verified,
                                           const char **step, lpc_referr *err)
{
    lp_code rc = LP_CODE_OK;
    const char *st = "envelope";
    lpc_value *computed = NULL, *hotkey = NULL, *purposes = NULL, *order = NULL, *docs = NULL, *roots_tmp = NULL,
              *expected = NULL, *req = NULL, *bout = NULL, *out = NULL, *msg_str = NULL, *sig_str = NULL;
    receipt_map rm = {0};
    span *parents = NULL, *pre = NULL;
    char in[LPC_WAV2_NCATEGORIES][LPC_AV2_REF_SIZE];
    int ok = 1, yes;
    *verified = NULL;
    if (step) *step = NULL;

#define FAIL(...) do { rc = wav2_fail(err, __VA_ARGS__); goto done; } while (0)
#define TRY(x) do { if ((rc = (x)) != LP_CODE_OK) goto done; } while (0)

    /* 1. envelope */
    if (!bundle || bundle->type != LPC_OBJECT) FAIL("published weight bundle must be an object");
    ok = bundle->u.o.n == 8;
    for (size_t i = 0; ok && i < 8; i++) ok = lpc_get(bundle, k_bundle_fields[i]) != NULL;
    if (!ok) FAIL("published weight bundle fields do not match V2 schema");
    if (!wav2_eq_str(lpc_get(bundle, "schema_version"), LPC_WAV2_BUNDLE_SCHEMA)) FAIL("unsupported published weight bundle schema");
    const lpc_value *snapshot = lpc_get(bundle, "weight_snapshot"), *claimed = lpc_get(bundle, "weight_result"),
                    *graph = lpc_get(bundle, "receipt_graph");
    if (snapshot->type != LPC_OBJECT) FAIL("weight_snapshot is missing");
    if (claimed->type != LPC_OBJECT) FAIL("weight_result is missing");
    if (graph->type != LPC_OBJECT) FAIL("receipt_graph is missing");

    /* 2. snapshot, result */
    st = "snapshot";
    TRY(lpc_wav2_validate_weight_snapshot(snapshot, &computed, err));
    st = "result";
    if (!lpc_py_eq(claimed, computed)) FAIL("weight_result differs from canonical computation");

    /* 3. hotkey, binding message, hotkey signature */
    st = "hotkey";
    TRY(wav2_validator_hotkey(lpc_get(bundle, "validator_hotkey"), &hotkey, err));
    if (!lpc_py_eq(hotkey, lpc_get(snapshot, "validator_hotkey"))) FAIL("bundle validator_hotkey differs from immutable snapshot");
    {
        const lpc_value *bm = lpc_get(bundle, "binding_message");
        char buf[LPC_PY_STR_SCALAR_MAX];
        const char *p = "";
        size_t n = 0;
        if (lpc_py_truthy(bm) && lpc_py_str(bm, buf, &p, &n) != LPC_OK) {
            rc = wav2_refuse(err, "str() of a container binding_message");
            goto done;
        }
        if (!(msg_str = lpc_new_str(p, n))) { rc = wav2_nomem(err); goto done; }
        size_t chars = wav2_code_points(p, n);
        if (chars < 1 || chars > LPC_WAV2_BINDING_MESSAGE_MAX) FAIL("binding_message is invalid");
    }
    {
        av2_text t;
        av2_text_of(lpc_get(bundle, "validator_hotkey_signature"), AV2_STRIP | AV2_LOWER, &t);
        if (!(t.n == 128 && lpc_is_lower_hex(t.b, 128))) FAIL("validator_hotkey_signature is invalid");
        if (!(sig_str = lpc_new_str(t.b, t.n))) { rc = wav2_nomem(err); goto done; }
    }

    /* 4. the receipt graph with the 17 purposes */
    st = "graph";
    if (!(purposes = lpc_new_array())) { rc = wav2_nomem(err); goto done; }
    {
        static const char *const extra[] = {SNAPSHOT_PURPOSE, COMPUTED_PURPOSE, BINDING_PURPOSE};
        for (size_t i = 0; ok && i < LPC_WAV2_NCATEGORIES + 3; i++) {
            lpc_value *s = wav2_str(i < LPC_WAV2_NCATEGORIES ? lpc_wav2_categories[i].purpose : extra[i - LPC_WAV2_NCATEGORIES]);
            ok = s && lpc_array_append(purposes, s) == LPC_OK;
        }
        if (!ok) { rc = wav2_nomem(err); goto done; }
        lpc_av2_graph_opts go = lpc_av2_graph_opts_default();
        go.required_purposes = purposes;
        if (opts) {
            go.boot_verifier = opts->boot_verifier;
            go.boot_verifier_ctx = opts->boot_verifier_ctx;
            go.require_boot_attestation_verification = opts->require_boot_attestation_verification;
        }
        lpc_referr gerr;
        lpc_referr_clear(&gerr);
        rc = lpc_av2_validate_receipt_graph(graph, &go, &order, &gerr);
        if (rc == LP_CODE_ATTESTED_V2_ERROR) {
            rc = wav2_fail(err, "invalid V2 receipt graph: %s", gerr.message);
            goto done;
        }
        if (rc) {
            if (err) *err = gerr;
            goto done;
        }
    }
    /* a validated legacy graph: receipts a list of objects with unique string hashes */
    rm.arr = lpc_get(graph, "receipts");
    rm.n = rm.arr->u.a.n;
    if (!(rm.by_hash = malloc((rm.n ? rm.n : 1) * sizeof *rm.by_hash))) { rc = wav2_nomem(err); goto done; }
    for (size_t i = 0; i < rm.n; i++) {
        const lpc_value *h = lpc_get(rm.arr->u.a.items[i], "receipt_hash");
        if (!h || h->type != LPC_STR) { rc = wav2_refuse(err, "a receipt hash that is not a string"); goto done; }
        rm.by_hash[i] = (span){h->u.s.ptr, h->u.s.len, i};
    }
    qsort(rm.by_hash, rm.n, sizeof *rm.by_hash, span_cmp);

    /* 5. root: str(graph.get("root_receipt_hash") or "") looked up without normalisation */
    st = "root";
    const lpc_value *root_hash_v = lpc_get(graph, "root_receipt_hash");
    const lpc_value *root = root_hash_v && root_hash_v->type == LPC_STR ? rget_v(&rm, root_hash_v) : NULL;
    if (!root) FAIL("weight receipt graph root is missing");
    if (!wav2_eq_str(lpc_get(root, "role"), WEIGHT_ROLE)) FAIL("weight graph root role is invalid");
    if (!wav2_eq_str(lpc_get(root, "purpose"), BINDING_PURPOSE)) FAIL("weight graph root must be the enclave hotkey binding receipt");

    /* 6. the inputs, in sorted category order */
    st = "inputs";
    TRY(wav2_normalized_inputs(lpc_get(snapshot, "input_receipt_hashes"), in, err));
    const lpc_value *calc = lpc_get(snapshot, "calculation_snapshot");
    TRY(lpc_wav2_input_value_documents(calc, lpc_get(snapshot, "finalized_chain_state_root"),
                                       lpc_get(snapshot, "gateway_authority_event_hash"), &docs, err));
    char roots[LPC_WAV2_NCATEGORIES][LPC_AV2_REF_SIZE];
    for (size_t i = 0; i < docs->u.o.n; i++) {   /* computed for every document first, in their order */
        char h[LPC_AV2_REF_SIZE];
        TRY(av2_sha256_json(docs->u.o.items[i].val, h, err));
        for (int c = 0; c < LPC_WAV2_NCATEGORIES; c++)
            if (strcmp(docs->u.o.items[i].key, lpc_wav2_categories[c].category) == 0) memcpy(roots[c], h, sizeof h);
    }
    int64_t epoch;
    if (lpc_py_int(lpc_get(snapshot, "epoch_id"), &epoch) != LPC_PY_OK) { rc = wav2_refuse(err, "int(epoch_id)"); goto done; }
    const lpc_value *attempts = lpc_get(graph, "transport_attempts");
    const lpc_value *inr[LPC_WAV2_NCATEGORIES];
    for (int c = 0; c < LPC_WAV2_NCATEGORIES; c++) {
        const char *cat = lpc_wav2_categories[c].category;
        const lpc_value *r = rget(&rm, in[c], strlen(in[c]));
        inr[c] = r;
        if (!r) FAIL("weight input receipt %s is missing", cat);
        if (!wav2_eq_str(lpc_get(r, "role"), lpc_wav2_categories[c].role)) FAIL("%s receipt role is invalid", cat);
        if (!wav2_eq_str(lpc_get(r, "purpose"), lpc_wav2_categories[c].purpose)) FAIL("%s receipt purpose is invalid", cat);
        TRY(epoch_is(r, epoch, &yes, err));
        if (!yes) FAIL("%s receipt epoch differs from weight epoch", cat);
        if (!wav2_eq_str(lpc_get(r, "output_root"), roots[c])) FAIL("%s receipt output does not bind its weight input", cat);
        TRY(lpc_wav2_validate_input_source_evidence(cat, r, lpc_get(docs, cat), attempts, err));
    }

    /* 7. the validator inputs' own ancestry (indices in lpc_wav2_categories) */
    {
        enum { BURN = 2, CHAIN = 3, CONSTANTS = 5, FLAGS = 6, META = 9 };
        const lpc_value *mp = lpc_get(inr[META], "parent_receipt_hashes");
        if (!(mp && mp->type == LPC_ARRAY && mp->u.a.n == 1 && lpc_str_eq(mp->u.a.items[0], in[CHAIN])))
            FAIL("metagraph receipt must directly bind finalized chain state");
        const lpc_value *bp = lpc_get(inr[BURN], "parent_receipt_hashes");
        if (!(bp && bp->type == LPC_ARRAY && bp->u.a.n == 1 && lpc_str_eq(bp->u.a.items[0], in[META])))
            FAIL("burn ownership receipt must directly bind metagraph state");
        const int none[2] = {FLAGS, CONSTANTS};
        for (int k = 0; k < 2; k++) {
            const lpc_value *pp = lpc_get(inr[none[k]], "parent_receipt_hashes");
            if (!(pp && pp->type == LPC_ARRAY && pp->u.a.n == 0))
                FAIL("%s receipt cannot inherit host-provided ancestry", lpc_wav2_categories[none[k]].category);
        }
    }

    /* 8. binding <- computed <- snapshot, one boot */
    st = "validator_chain";
    const lpc_value *rp = lpc_get(root, "parent_receipt_hashes");
    size_t nrp = rp && rp->type == LPC_ARRAY ? rp->u.a.n : 0;   /* validated: a list */
    if (nrp != 1) FAIL("hotkey binding receipt must have one computed-weight parent");
    const lpc_value *comp = rget_v(&rm, rp->u.a.items[0]);
    if (!(comp && wav2_eq_str(lpc_get(comp, "role"), WEIGHT_ROLE) && wav2_eq_str(lpc_get(comp, "purpose"), COMPUTED_PURPOSE)))
        FAIL("hotkey binding receipt parent is not computed weights");
    const lpc_value *cp = lpc_get(comp, "parent_receipt_hashes");
    size_t ncp = cp && cp->type == LPC_ARRAY ? cp->u.a.n : 0;
    if (ncp != 1) FAIL("computed weight receipt must have one snapshot parent");
    const lpc_value *snap_r = rget_v(&rm, cp->u.a.items[0]);
    if (!(snap_r && wav2_eq_str(lpc_get(snap_r, "role"), WEIGHT_ROLE) &&
          wav2_eq_str(lpc_get(snap_r, "purpose"), SNAPSHOT_PURPOSE)))
        FAIL("computed weight receipt parent is not a weight snapshot");
    if (!(wav2_eq(lpc_get(snap_r, "boot_identity_hash"), lpc_get(comp, "boot_identity_hash")) &&
          wav2_eq(lpc_get(comp, "boot_identity_hash"), lpc_get(root, "boot_identity_hash"))))
        FAIL("current weight receipts use different validator boots");

    /* 9. the snapshot receipt binds the complete input proof frontier */
    {
        const lpc_value *cur[3] = {root, comp, snap_r};
        size_t npre = 0, nedges = 0;
        for (size_t i = 0; i < rm.n; i++) {
            const lpc_value *ps = lpc_get(rm.arr->u.a.items[i], "parent_receipt_hashes");
            if (ps && ps->type == LPC_ARRAY) nedges += ps->u.a.n;
        }
        if (!(pre = malloc((rm.n ? rm.n : 1) * sizeof *pre)) || !(parents = malloc((nedges ? nedges : 1) * sizeof *parents))) {
            rc = wav2_nomem(err);
            goto done;
        }
        size_t np = 0;
        for (size_t i = 0; i < rm.n; i++) {
            const lpc_value *r = rm.arr->u.a.items[i];
            if (r == cur[0] || r == cur[1] || r == cur[2]) continue;
            const lpc_value *h = lpc_get(r, "receipt_hash");
            pre[npre++] = (span){h->u.s.ptr, h->u.s.len, i};
            const lpc_value *ps = lpc_get(r, "parent_receipt_hashes");
            for (size_t k = 0; ps && ps->type == LPC_ARRAY && k < ps->u.a.n; k++) {
                const lpc_value *x = ps->u.a.items[k];
                if (x->type != LPC_STR) { rc = wav2_refuse(err, "a parent hash that is not a string"); goto done; }
                parents[np++] = (span){x->u.s.ptr, x->u.s.len, 0};
            }
        }
        qsort(parents, np, sizeof *parents, span_cmp);
        /* sorted(set(inputs) | set(terminal)): the terminal pre-snapshot hashes plus the inputs */
        size_t nt = 0;
        for (size_t i = 0; i < npre; i++)
            if (!span_find(parents, np, pre[i].p, pre[i].n)) pre[nt++] = pre[i];
        span *all = realloc(pre, (nt + LPC_WAV2_NCATEGORIES + 1) * sizeof *all);
        if (!all) { rc = wav2_nomem(err); goto done; }
        pre = all;
        for (int c = 0; c < LPC_WAV2_NCATEGORIES; c++) pre[nt++] = (span){in[c], strlen(in[c]), 0};
        qsort(pre, nt, sizeof *pre, span_cmp);
        if (!(expected = lpc_new_array())) { rc = wav2_nomem(err); goto done; }
        for (size_t i = 0; ok && i < nt; i++) {
            if (i && span_cmp(&pre[i - 1], &pre[i]) == 0) continue;
            lpc_value *s = lpc_new_str(pre[i].p, pre[i].n);
            ok = s && lpc_array_append(expected, s) == LPC_OK;
        }
        if (!ok) { rc = wav2_nomem(err); goto done; }
        if (!wav2_eq(lpc_get(snap_r, "parent_receipt_hashes"), expected))
            FAIL("snapshot receipt parents differ from the complete input proof frontier");
    }
    if (!wav2_eq(lpc_get(snap_r, "input_root"), lpc_get(snapshot, "source_input_root"))) FAIL("snapshot receipt input root mismatch");
    if (!wav2_eq(lpc_get(snap_r, "output_root"), lpc_get(snapshot, "snapshot_hash"))) FAIL("snapshot receipt output root mismatch");
    TRY(epoch_is(snap_r, epoch, &yes, err));
    if (!yes) FAIL("snapshot receipt epoch mismatch");

    /* 10. the computed receipt */
    {
        const lpc_value *sh = lpc_get(snap_r, "receipt_hash");
        if (!(cp->u.a.n == 1 && wav2_eq(cp->u.a.items[0], sh))) FAIL("computed weight receipt must directly bind the snapshot receipt");
    }
    if (!wav2_eq(lpc_get(comp, "input_root"), lpc_get(snapshot, "snapshot_hash"))) FAIL("computed weight receipt input mismatch");
    {
        char h[LPC_AV2_REF_SIZE];
        TRY(av2_sha256_json(computed, h, err));
        if (!wav2_eq_str(lpc_get(comp, "output_root"), h)) FAIL("computed weight receipt output mismatch");
    }
    TRY(epoch_is(comp, epoch, &yes, err));
    if (!yes) FAIL("computed weight receipt epoch mismatch");
    if (!wav2_eq(lpc_get(comp, "commit_sha"), lpc_get(calc, "commit_sha"))) FAIL("computed weight receipt commit mismatch");

    /* 11. the hotkey binding receipt */
    st = "binding";
    {
        TRY(lpc_wav2_binding_documents(msg_str, hotkey, lpc_get(root, "boot_identity_hash"), sig_str, &req, &bout, err));
        char h[LPC_AV2_REF_SIZE];
        TRY(av2_sha256_json(bout, h, err));
        if (!wav2_eq(lpc_get(root, "input_root"), lpc_get(req, "request_hash"))) FAIL("hotkey binding receipt input mismatch");
        if (!wav2_eq_str(lpc_get(root, "output_root"), h)) FAIL("hotkey binding receipt output mismatch");
        TRY(epoch_is(root, epoch, &yes, err));
        if (!yes) FAIL("hotkey binding receipt epoch mismatch");
    }

    /* 12. the enclave's signature over the weights hash */
    st = "weights_signature";
    TRY(weights_signature(lpc_get(comp, "enclave_pubkey"), lpc_get(bundle, "weights_signature"),
                          lpc_get(computed, "weights_hash"), err));

    /* the return value */
    st = NULL;
    {
        char bh[LPC_AV2_REF_SIZE];
        TRY(av2_sha256_json(bundle, bh, err));
        if (!(out = lpc_new_object())) { rc = wav2_nomem(err); goto done; }
        ok = 1;
        wav2_put(out, "bundle_hash", wav2_str(bh), &ok);
        wav2_put(out, "root_receipt_hash", wav2_clone(root_hash_v), &ok);
        wav2_put(out, "weight_receipt_hash", wav2_clone(lpc_get(comp, "receipt_hash")), &ok);
        wav2_put(out, "snapshot_receipt_hash", wav2_clone(lpc_get(snap_r, "receipt_hash")), &ok);
        wav2_put(out, "snapshot_hash", wav2_clone(lpc_get(snapshot, "snapshot_hash")), &ok);
        wav2_put(out, "validator_hotkey", wav2_clone(hotkey), &ok);
        wav2_put(out, "binding_message", wav2_clone(msg_str), &ok);
        wav2_put(out, "validator_hotkey_signature", wav2_clone(sig_str), &ok);
        wav2_put(out, "netuid", wav2_clone(lpc_get(computed, "netuid")), &ok);
        wav2_put(out, "epoch_id", wav2_clone(lpc_get(computed, "epoch_id")), &ok);
        wav2_put(out, "block", wav2_clone(lpc_get(computed, "block")), &ok);
        wav2_put(out, "uids", wav2_clone(lpc_get(computed, "sparse_uids")), &ok);
        wav2_put(out, "weights_u16", wav2_clone(lpc_get(computed, "sparse_weights_u16")), &ok);
        wav2_put(out, "weights_hash", wav2_clone(lpc_get(computed, "weights_hash")), &ok);
        wav2_put(out, "validator_enclave_pubkey", wav2_clone(lpc_get(comp, "enclave_pubkey")), &ok);
        wav2_put(out, "validator_boot_identity_hash", wav2_clone(lpc_get(comp, "boot_identity_hash")), &ok);
        if (!ok) { rc = wav2_nomem(err); goto done; }
        *verified = out;
        out = NULL;
    }
#undef FAIL
#undef TRY
done:
    if (rc != LP_CODE_OK && step) *step = st;
    lpc_free(computed);
    lpc_free(hotkey);
    lpc_free(purposes);
    lpc_free(order);
    lpc_free(docs);
    lpc_free(roots_tmp);
    lpc_free(expected);
    lpc_free(req);
    lpc_free(bout);
    lpc_free(out);
    lpc_free(msg_str);
    lpc_free(sig_str);
    free(rm.by_hash);
    free(parents);
    free(pre);
    return rc;
}
