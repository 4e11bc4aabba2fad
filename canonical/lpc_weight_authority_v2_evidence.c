/* validate_weight_input_source_evidence_v2 (leadpoet-weights-v2.md §6.2,
 * weight_authority_v2.py:447-570): the source policy of one input receipt. */
#include "canonical/lpc_weight_authority_v2.h"

#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_python.h"
#include "canonical/lpc_weight_authority_v2_internal.h"

/* ---- source evidence (§6.2, :447-570) ---- */

/* x.get(key) of a Python object that must be a dict */
static lp_code need_get(const lpc_value *x, lpc_referr *err)
{
    if (x && x->type == LPC_OBJECT) return LP_CODE_OK;
    return wav2_type_error(err, "AttributeError", "'%s' object has no attribute 'get'", lpc_py_type_name(x));
}

/* x[key] of a dict that must hold key */
static lp_code need_key(const lpc_value *x, const char *key, const lpc_value **out, lpc_referr *err)
{
    *out = lpc_get(x, key);
    if (*out) return LP_CODE_OK;
    return lpc_referr_set(err, LP_CODE_PYTHON_TYPE_ERROR, "KeyError", "'%s'", key);
}

/* value in {"A", "B"}: unhashable containers raise */
static lp_code in_pair(const lpc_value *v, const char *a, const char *b, int *yes, lpc_referr *err)
{
    if (v && (v->type == LPC_ARRAY || v->type == LPC_OBJECT))
        return wav2_type_error(err, "TypeError", "unhashable type: '%s'", lpc_py_type_name(v));
    *yes = v && (lpc_str_eq(v, a) || lpc_str_eq(v, b));
    return LP_CODE_OK;
}

/* repr(s) is 's' itself in single quotes: printable ASCII without ' or \ (and short
 * enough for a message) */
static int repr_plain(const char *p, size_t n)
{
    if (n > 160) return 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] < 0x20 || p[i] > 0x7e || p[i] == '\'' || p[i] == '\\') return 0;
    return 1;
}

/* attempt.get("terminal_status") == "authenticated_response" and 200 <= int(http_status or 0) < 300 */
static lp_code authenticated_2xx(const lpc_value *a, int *yes, lpc_referr *err)
{
    *yes = 0;
    if (!wav2_eq_str(lpc_get(a, "terminal_status"), "authenticated_response")) return LP_CODE_OK;
    const lpc_value *s = lpc_get(a, "http_status");
    int64_t st = 0;
    if (lpc_py_truthy(s)) {
        lpc_py_status ps = lpc_py_int(s, &st);
        if (ps == LPC_PY_TYPE_ERROR && (s->type == LPC_ARRAY || s->type == LPC_OBJECT))
            return wav2_type_error(err, "TypeError", "int() argument must be a string, a bytes-like object or a real number, not '%s'",
                              lpc_py_type_name(s));
        if (ps == LPC_PY_VALUE_ERROR && s->type == LPC_STR && repr_plain(s->u.s.ptr, s->u.s.len))
            return lpc_referr_set(err, LP_CODE_PYTHON_VALUE_ERROR, "ValueError",
                                  "invalid literal for int() with base 10: '%s'", s->u.s.ptr);
        if (ps != LPC_PY_OK) return wav2_refuse(err, "int() of this http_status");
    }
    *yes = st >= 200 && st < 300;
    return LP_CODE_OK;
}

static lp_code append_clone(lpc_value *arr, const lpc_value *v, lpc_referr *err)
{
    lpc_value *c = wav2_clone(v);
    if (!c || lpc_array_append(arr, c) != LPC_OK) return wav2_nomem(err);
    return LP_CODE_OK;
}

lp_code lpc_wav2_validate_input_source_evidence(const char *category, const lpc_value *receipt,
                                                const lpc_value *document, const lpc_value *transport_attempts,
                                                lpc_referr *err)
{
    const char *c = category ? category : "";
    int ci = wav2_category_index(c);
    lp_code rc;
    if (ci < 0) return wav2_fail(err, "weight input source category is invalid");
    if ((rc = need_get(receipt, err))) return rc;
    if (!wav2_eq_str(lpc_get(receipt, "host_operation_root"), LPC_AV2_EMPTY_HOST_OPERATION_ROOT))
        return wav2_fail(err, "%s input cannot depend on a host operation", c);

    /* the scoped attempts: for attempt in transport_attempts (a list; a str or dict
     * iterates texts, which have no .get) */
    const lpc_value *ta = transport_attempts;
    size_t na = 0;
    if (ta && ta->type == LPC_ARRAY) na = ta->u.a.n;
    else if (ta && ta->type == LPC_STR) { if (ta->u.s.len) return wav2_type_error(err, "AttributeError", "'%s' object has no attribute 'get'", "str"); }
    else if (ta && ta->type == LPC_OBJECT) { if (ta->u.o.n) return wav2_type_error(err, "AttributeError", "'%s' object has no attribute 'get'", "str"); }
    else return wav2_type_error(err, "TypeError", "'%s' object is not iterable", lpc_py_type_name(ta));
    if (na > LPC_AV2_MAX_ITEMS)
        return lpc_referr_set(err, LP_CODE_INPUT_TOO_LARGE, "InputTooLarge", "too many transport attempts");
    const lpc_value **scoped = malloc((na ? na : 1) * sizeof *scoped);
    lpc_value *artifacts = lpc_new_array(), *atts = lpc_new_array();
    size_t ns = 0;
    if (!scoped || !artifacts || !atts) { rc = wav2_nomem(err); goto out; }
    for (size_t i = 0; i < na; i++) {
        const lpc_value *a = ta->u.a.items[i];
        if ((rc = need_get(a, err))) goto out;
        if (wav2_eq(lpc_get(a, "job_id"), lpc_get(receipt, "job_id")) &&
            wav2_eq(lpc_get(a, "purpose"), lpc_get(receipt, "purpose")))
            scoped[ns++] = a;
    }
    const lpc_value *value;
    if (!document || document->type != LPC_OBJECT) {
        if (document && document->type == LPC_ARRAY)
            rc = wav2_type_error(err, "TypeError", "%s", "list indices must be integers or slices, not str");
        else if (document && document->type == LPC_STR)
            rc = wav2_type_error(err, "TypeError", "%s", "string indices must be integers, not 'str'");
        else
            rc = wav2_type_error(err, "TypeError", "'%s' object is not subscriptable", lpc_py_type_name(document));
        goto out;
    }
    if ((rc = need_key(document, "value", &value, err))) goto out;
    char vh[LPC_AV2_REF_SIZE];
    if ((rc = av2_sha256_json(value, vh, err))) goto out;
    {
        lpc_value *s = wav2_str(vh);
        if (!s || lpc_array_append(artifacts, s) != LPC_OK) { rc = wav2_nomem(err); goto out; }
    }

    wav2_policy pol = wav2_policies[ci];
    if (pol == POL_TLS || pol == POL_CHAIN) {
        const char *what = pol == POL_TLS ? "database" : "chain";
        if (!ns) { rc = wav2_fail(err, "%s input has no authenticated %s read", c, what); goto out; }
        for (size_t i = 0; i < ns; i++) {
            const lpc_value *a = scoped[i], *x;
            int yes;
            if (pol == POL_TLS) {
                if (!wav2_eq_str(lpc_get(a, "provider_id"), "supabase")) {
                    rc = wav2_fail(err, "%s input used an unauthorized source", c);
                    goto out;
                }
                if (!wav2_eq_str(lpc_get(a, "destination_host"), LPC_WAV2_SUPABASE_HOST)) {
                    rc = wav2_fail(err, "%s input used the wrong Supabase project", c);
                    goto out;
                }
                if ((rc = in_pair(lpc_get(a, "method"), "GET", "POST", &yes, err))) goto out;
                if (!yes) { rc = wav2_fail(err, "%s input used an invalid database method", c); goto out; }
            } else {
                const lpc_value *p = lpc_get(a, "provider_id"), *hst = lpc_get(a, "destination_host");
                if (!((wav2_eq_str(p, "bittensor_chain") && wav2_eq_str(hst, LPC_WAV2_CHAIN_HOST)) ||
                      (wav2_eq_str(p, "bittensor_archive") && wav2_eq_str(hst, LPC_WAV2_CHAIN_ARCHIVE_HOST)))) {
                    rc = wav2_fail(err, "%s input used an unauthorized chain source", c);
                    goto out;
                }
                if ((rc = in_pair(lpc_get(a, "method"), "WSS", "POST", &yes, err))) goto out;
                if (!yes) { rc = wav2_fail(err, "%s input used an invalid chain method", c); goto out; }
            }
            if ((rc = need_key(a, "request_artifact_hash", &x, err)) || (rc = append_clone(artifacts, x, err))) goto out;
            if (wav2_eq_str(lpc_get(a, "terminal_status"), "authenticated_response")) {
                if ((rc = need_key(a, "response_artifact_hash", &x, err)) || (rc = append_clone(artifacts, x, err)))
                    goto out;
            }
        }
        int any = 0;
        for (size_t i = 0; !any && i < ns; i++)
            if ((rc = authenticated_2xx(scoped[i], &any, err))) goto out;
        if (!any) {
            rc = wav2_fail(err, "%s input has no successful authenticated %s response", c, what);
            goto out;
        }
    } else if (pol == POL_DERIVED) {
        if (ns) { rc = wav2_fail(err, "%s derived validator input unexpectedly used external transport", c); goto out; }
    } else {
        if (ns) { rc = wav2_fail(err, "%s measured input unexpectedly used external transport", c); goto out; }
    }

    char root[LPC_AV2_REF_SIZE];
    if (ns) {
        for (size_t i = 0; i < ns; i++) {
            const lpc_value *x;
            if ((rc = need_key(scoped[i], "attempt_hash", &x, err)) || (rc = append_clone(atts, x, err))) goto out;
        }
        lpc_value dom = {.type = LPC_STR, .u.s = {(char *)LPC_AV2_DOMAIN_TRANSPORT, sizeof LPC_AV2_DOMAIN_TRANSPORT - 1}};
        if ((rc = lpc_av2_merkle_root(atts, &dom, root, err))) goto out;
    } else {
        memcpy(root, LPC_AV2_EMPTY_TRANSPORT_ROOT, sizeof LPC_AV2_EMPTY_TRANSPORT_ROOT);
    }
    if (!wav2_eq_str(lpc_get(receipt, "transport_root"), root)) {
        rc = wav2_fail(err, "%s input transport root is invalid", c);
        goto out;
    }
    {
        lpc_value dom = {.type = LPC_STR, .u.s = {(char *)LPC_AV2_DOMAIN_ARTIFACT, sizeof LPC_AV2_DOMAIN_ARTIFACT - 1}};
        if ((rc = lpc_av2_merkle_root(artifacts, &dom, root, err))) goto out;
    }
    if (!wav2_eq_str(lpc_get(receipt, "artifact_root"), root)) {
        rc = wav2_fail(err, "%s input artifact evidence is incomplete", c);
        goto out;
    }
    rc = LP_CODE_OK;
out:
    free(scoped);
    lpc_free(artifacts);
    lpc_free(atts);
    return rc;
}
