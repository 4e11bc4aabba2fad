/* The refcall adapters of the weight_authority_v2 port (lpc_refcall.h): the module's
 * functions by name, with Python's call errors for wrong arguments. */
#include "canonical/lpc_weight_authority_v2.h"

#include <stdio.h>
#include <string.h>

#include "canonical/lpc_python.h"
#include "canonical/lpc_refcall.h"
#include "canonical/lpc_weight_authority_v2_internal.h"

/* ---- refcall adapters ---- */

static lp_code call_check(const char *fn, const lpc_value *args, const lpc_value *kwargs, size_t npos_max,
                          const char *const *kw, lpc_referr *err)
{
    size_t npos = args && args->type == LPC_ARRAY ? args->u.a.n : 0;
    if (args && args->type != LPC_ARRAY)
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "%s() arguments must be a list", fn);
    if (npos > npos_max)
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "%s() takes %zu positional argument%s but %zu %s given",
                              fn, npos_max, npos_max == 1 ? "" : "s", npos, npos == 1 ? "was" : "were");
    if (kwargs && kwargs->type != LPC_OBJECT)
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "%s() keyword arguments must be a dict", fn);
    for (size_t i = 0; kwargs && i < kwargs->u.o.n; i++) {
        int known = 0;
        for (const char *const *w = kw; *w; w++) known |= strcmp(kwargs->u.o.items[i].key, *w) == 0;
        if (!known)
            return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "%s() got an unexpected keyword argument '%s'", fn,
                                  kwargs->u.o.items[i].key);
    }
    return LP_CODE_OK;
}

/* required keyword-only arguments, named in Python's message */
static lp_code need_kw(const char *fn, const lpc_value *kwargs, const char *const *req, lpc_referr *err)
{
    const char *missing[8];
    size_t nm = 0;
    for (const char *const *w = req; *w && nm < 8; w++)
        if (!lpc_get(kwargs, *w)) missing[nm++] = *w;
    if (!nm) return LP_CODE_OK;
    char list[256] = "";
    size_t at = 0;
    for (size_t k = 0; k < nm && at < sizeof list - 1; k++) {
        const char *sep = k == 0 ? "" : k + 1 == nm ? (nm > 2 ? ", and " : " and ") : ", ";
        size_t room = sizeof list - at;
        int w = snprintf(list + at, room, "%s'%s'", sep, missing[k]);
        at = w < 0 || (size_t)w >= room ? sizeof list - 1 : at + (size_t)w;
    }
    return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "%s() missing %zu required keyword-only argument%s: %s",
                          fn, nm, nm > 1 ? "s" : "", list);
}

static const char *const k_doc_kw[] = {"calculation_snapshot", "finalized_chain_state_root",
                                       "gateway_authority_event_hash", NULL};

static lp_code ref_documents(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    lp_code rc;
    *result = NULL;
    if ((rc = call_check("weight_input_value_documents_v2", args, kwargs, 0, k_doc_kw, err)) ||
        (rc = need_kw("weight_input_value_documents_v2", kwargs, k_doc_kw, err)))
        return rc;
    return lpc_wav2_input_value_documents(lpc_get(kwargs, k_doc_kw[0]), lpc_get(kwargs, k_doc_kw[1]),
                                          lpc_get(kwargs, k_doc_kw[2]), result, err);
}

static lp_code ref_roots(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    lp_code rc;
    *result = NULL;
    if ((rc = call_check("weight_input_output_roots_v2", args, kwargs, 0, k_doc_kw, err)) ||
        (rc = need_kw("weight_input_output_roots_v2", kwargs, k_doc_kw, err)))
        return rc;
    return lpc_wav2_input_output_roots(lpc_get(kwargs, k_doc_kw[0]), lpc_get(kwargs, k_doc_kw[1]),
                                       lpc_get(kwargs, k_doc_kw[2]), result, err);
}

static lp_code ref_gateway_documents(const lpc_value *args, const lpc_value *kwargs, lpc_value **result,
                                     lpc_referr *err)
{
    static const char *const kw[] = {"calculation_snapshot", "gateway_authority_event_hash", NULL};
    static const char *const fn = "gateway_weight_input_value_documents_v2";
    lp_code rc;
    *result = NULL;
    if ((rc = call_check(fn, args, kwargs, 0, kw, err)) || (rc = need_kw(fn, kwargs, kw, err))) return rc;
    return lpc_wav2_gateway_input_value_documents(lpc_get(kwargs, kw[0]), lpc_get(kwargs, kw[1]), result, err);
}

static lp_code ref_source_root(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    static const char *const kw[] = {"input_receipt_hashes", "finalized_chain_state_root",
                                     "gateway_authority_event_hash", NULL};
    static const char *const fn = "weight_source_input_root";
    char h[72];
    lp_code rc;
    *result = NULL;
    if ((rc = call_check(fn, args, kwargs, 0, kw, err)) || (rc = need_kw(fn, kwargs, kw, err))) return rc;
    if ((rc = lpc_wav2_source_input_root(lpc_get(kwargs, kw[0]), lpc_get(kwargs, kw[1]), lpc_get(kwargs, kw[2]), h, err)))
        return rc;
    *result = lpc_new_str(h, strlen(h));
    return *result ? LP_CODE_OK : wav2_nomem(err);
}

static lp_code ref_build_snapshot(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    static const char *const kw[] = {"validator_hotkey", "calculation_snapshot", "input_receipt_hashes",
                                     "finalized_chain_state_root", "gateway_authority_event_hash", NULL};
    lp_code rc;
    *result = NULL;
    if ((rc = call_check("build_weight_snapshot_v2", args, kwargs, 0, kw, err))) return rc;
    return lpc_wav2_build_weight_snapshot(kwargs, result, err);
}

static lp_code ref_validate_snapshot(const lpc_value *args, const lpc_value *kwargs, lpc_value **result,
                                     lpc_referr *err)
{
    static const char *const kw[] = {"snapshot", NULL};
    lp_code rc;
    *result = NULL;
    if ((rc = call_check("validate_weight_snapshot_v2", args, kwargs, 1, kw, err))) return rc;
    const lpc_value *s = lpc_refcall_arg(args, kwargs, 0, "snapshot");
    if (!s)
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError",
                              "validate_weight_snapshot_v2() missing 1 required positional argument: 'snapshot'");
    return lpc_wav2_validate_weight_snapshot(s, result, err);
}

static lp_code ref_source_evidence(const lpc_value *args, const lpc_value *kwargs, lpc_value **result,
                                   lpc_referr *err)
{
    static const char *const kw[] = {"category", "receipt", "document", "transport_attempts", NULL};
    static const char *const fn = "validate_weight_input_source_evidence_v2";
    lp_code rc;
    *result = NULL;
    if ((rc = call_check(fn, args, kwargs, 0, kw, err)) || (rc = need_kw(fn, kwargs, kw, err))) return rc;
    /* str(category or ""): only a string can name a category; one with a NUL names none */
    const lpc_value *c = lpc_get(kwargs, "category");
    const char *cat = "";
    if (c && c->type == LPC_STR) cat = strlen(c->u.s.ptr) == c->u.s.len ? c->u.s.ptr : "\x01";
    else if (lpc_py_truthy(c)) cat = "\x01";
    if ((rc = lpc_wav2_validate_input_source_evidence(cat, lpc_get(kwargs, "receipt"), lpc_get(kwargs, "document"),
                                                      lpc_get(kwargs, "transport_attempts"), err)))
        return rc;
    *result = lpc_new_null();
    return *result ? LP_CODE_OK : wav2_nomem(err);
}

static lp_code ref_validate_bundle(const lpc_value *args, const lpc_value *kwargs, lpc_value **result,
                                   lpc_referr *err)
{
    static const char *const kw[] = {"bundle", "boot_attestation_verifier", "require_boot_attestation_verification", NULL};
    lp_code rc;
    *result = NULL;
    if ((rc = call_check("validate_published_weight_bundle_v2", args, kwargs, 1, kw, err))) return rc;
    const lpc_value *b = lpc_refcall_arg(args, kwargs, 0, "bundle");
    if (!b)
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError",
                              "validate_published_weight_bundle_v2() missing 1 required positional argument: 'bundle'");
    /* a callable cannot cross the JSON boundary: only None is accepted here */
    const lpc_value *verifier = lpc_get(kwargs, "boot_attestation_verifier");
    if (verifier && verifier->type != LPC_NULL)
        return lpc_referr_set(err, LP_CODE_UNSUPPORTED, "Unsupported", "boot_attestation_verifier is not supported");
    lpc_wav2_opts o = {NULL, NULL, 0};
    const lpc_value *v = lpc_get(kwargs, "require_boot_attestation_verification");
    if (v) o.require_boot_attestation_verification = lpc_py_truthy(v);
    return lpc_wav2_validate_published_bundle(b, &o, result, NULL, err);
}

const lpc_refcall_entry lpc_refcall_weight_authority_v2[] = {
    {"weight_authority_v2.weight_input_value_documents_v2", ref_documents},
    {"weight_authority_v2.weight_input_output_roots_v2", ref_roots},
    {"weight_authority_v2.gateway_weight_input_value_documents_v2", ref_gateway_documents},
    {"weight_authority_v2.weight_source_input_root", ref_source_root},
    {"weight_authority_v2.build_weight_snapshot_v2", ref_build_snapshot},
    {"weight_authority_v2.validate_weight_snapshot_v2", ref_validate_snapshot},
    {"weight_authority_v2.validate_weight_input_source_evidence_v2", ref_source_evidence},
    {"weight_authority_v2.validate_published_weight_bundle_v2", ref_validate_bundle},
    {NULL, NULL},
};
