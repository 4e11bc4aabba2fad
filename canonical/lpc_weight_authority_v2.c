/* weight_authority_v2.py at 5fe22c16, the parts before the bundle validator: the 14
 * input categories, their value documents and output roots, the snapshot v2 builder and
 * validator, and the source-evidence policy (leadpoet-weights-v2.md §6). */
#include "canonical/lpc_weight_authority_v2.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_python.h"
#include "canonical/lpc_weight_authority_v2_internal.h"
#include "canonical/lpc_weight_computation.h"

#define COORD "gateway_coordinator"
#define WROLE "validator_weights"

/* WEIGHT_INPUT_PURPOSES, sorted by category (§6.2). */
const lpc_wav2_category lpc_wav2_categories[LPC_WAV2_NCATEGORIES] = {
    {"anomaly_adjustments", COORD, "research_lab.anomaly_adjustment_input.v2"},
    {"bans", COORD, "research_lab.ban_input.v2"},
    {"burn_ownership", WROLE, "validator.burn_ownership.v2"},
    {"chain_state", WROLE, "validator.chain_state.v2"},
    {"champions", COORD, "research_lab.champion_input.v2"},
    {"constants", WROLE, "validator.constants.v2"},
    {"feature_flags", WROLE, "validator.feature_flags.v2"},
    {"fulfillment_rewards", COORD, "research_lab.fulfillment_input.v2"},
    {"leaderboard", COORD, "research_lab.leaderboard_input.v2"},
    {"metagraph_state", WROLE, "validator.metagraph_state.v2"},
    {"reimbursements", COORD, "research_lab.reimbursement_input.v2"},
    {"research_lab_allocation", COORD, "research_lab.allocation.v2"},
    {"source_add_rewards", COORD, "research_lab.source_add_reward_input.v2"},
    {"sourcing_history", COORD, "research_lab.sourcing_input.v2"},
};

/* The source policy of each category, same index (§6.2, :447-570). */
const wav2_policy wav2_policies[LPC_WAV2_NCATEGORIES] = {
    POL_MEASURED, POL_TLS, POL_DERIVED, POL_CHAIN, POL_TLS, POL_DERIVED, POL_DERIVED,
    POL_TLS, POL_TLS, POL_CHAIN, POL_TLS, POL_TLS, POL_TLS, POL_TLS,
};

int wav2_category_index(const char *c)
{
    for (int i = 0; i < LPC_WAV2_NCATEGORIES; i++)
        if (strcmp(lpc_wav2_categories[i].category, c) == 0) return i;
    return -1;
}

/* ---- shared helpers ---- */

lp_code wav2_fail(lpc_referr *err, const char *fmt, ...)
{
    char msg[LPC_REFERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return lpc_referr_set(err, LP_CODE_WEIGHT_AUTHORITY_V2_ERROR, WAV2_TYPE, "%s", msg);
}

lp_code wav2_nomem(lpc_referr *err) { return lpc_referr_set(err, LP_CODE_OUT_OF_MEMORY, "MemoryError", "out of memory"); }

lp_code wav2_refuse(lpc_referr *err, const char *what)
{
    return lpc_referr_set(err, LP_CODE_NON_CANONICAL_INPUT, "NonCanonicalInput", "%s is not reproduced", what);
}

lp_code wav2_type_error(lpc_referr *err, const char *type, const char *fmt, const char *arg)
{
    return lpc_referr_set(err, LP_CODE_PYTHON_TYPE_ERROR, type, fmt, arg);
}

int wav2_eq(const lpc_value *a, const lpc_value *b)
{
    static const lpc_value none = {.type = LPC_NULL};
    return lpc_py_eq(a ? a : &none, b ? b : &none);
}

int wav2_eq_str(const lpc_value *v, const char *s) { return v && lpc_str_eq(v, s); }

lp_code wav2_hash(const lpc_value *v, const char *field, char out[LPC_AV2_REF_SIZE], lpc_referr *err)
{
    av2_text t;
    av2_text_of(v, AV2_STRIP | AV2_LOWER, &t);
    if (!lpc_v2_is_sha256_ref(t.b, t.n)) return wav2_fail(err, "%s must be sha256:<64 lowercase hex>", field);
    memcpy(out, t.b, LPC_V2_SHA256_REF_LEN);
    out[LPC_V2_SHA256_REF_LEN] = 0;
    return LP_CODE_OK;
}

/* One WTF-8 code point at s[*i..n) (a stray byte counts as one). */
static uint32_t next_cp(const char *s, size_t n, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char c = p[*i];
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (*i + len > n) len = 1;
    uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1Fu : len == 3 ? c & 0x0Fu : c & 0x07u;
    for (size_t k = 1; k < len; k++) cp = (cp << 6) | (p[*i + k] & 0x3Fu);
    *i += len;
    return cp;
}

lp_code wav2_validator_hotkey(const lpc_value *v, lpc_value **out, lpc_referr *err)
{
    char buf[LPC_PY_STR_SCALAR_MAX];
    const char *p = "";
    size_t n = 0, off = 0, sn = 0;
    *out = NULL;
    if (lpc_py_truthy(v) && lpc_py_str(v, buf, &p, &n) != LPC_OK) return wav2_refuse(err, "str() of a container validator_hotkey");
    lpc_py_strip(p, n, &off, &sn);
    size_t chars = 0, i = off;
    int space = 0;
    while (i < off + sn) {
        space |= lpc_py_isspace(next_cp(p, off + sn, &i));
        chars++;
    }
    if (chars < 1 || chars > LPC_WAV2_HOTKEY_MAX || space) return wav2_fail(err, "validator_hotkey is invalid");
    *out = lpc_new_str(p + off, sn);
    return *out ? LP_CODE_OK : wav2_nomem(err);
}

/* _int(value, field): a JSON integer (not a bool), >= 0. */
static lp_code nonneg_int(const lpc_value *v, const char *field, lpc_referr *err)
{
    if (!v || v->type != LPC_INT) return wav2_fail(err, "%s must be an integer", field);
    if (v->u.i.digits[0] == '-') return wav2_fail(err, "%s must be non-negative", field);
    return LP_CODE_OK;
}

lp_code wav2_normalized_inputs(const lpc_value *v, char out[LPC_WAV2_NCATEGORIES][LPC_AV2_REF_SIZE], lpc_referr *err)
{
    lp_code rc;
    if (!v || v->type != LPC_OBJECT) return wav2_fail(err, "input_receipt_hashes must be an object");
    int ok = v->u.o.n == LPC_WAV2_NCATEGORIES;  /* keys are unique: n equal and each present */
    for (int i = 0; ok && i < LPC_WAV2_NCATEGORIES; i++) ok = lpc_get(v, lpc_wav2_categories[i].category) != NULL;
    if (!ok) return wav2_fail(err, "weight input receipt categories are incomplete");
    for (int i = 0; i < LPC_WAV2_NCATEGORIES; i++) {
        char field[64];
        snprintf(field, sizeof field, "%s receipt hash", lpc_wav2_categories[i].category);
        if ((rc = wav2_hash(lpc_get(v, lpc_wav2_categories[i].category), field, out[i], err))) return rc;
    }
    for (int i = 0; i < LPC_WAV2_NCATEGORIES; i++)
        for (int j = i + 1; j < LPC_WAV2_NCATEGORIES; j++)
            if (strcmp(out[i], out[j]) == 0) return wav2_fail(err, "one receipt cannot satisfy multiple weight input categories");
    return LP_CODE_OK;
}

/* ---- value construction ---- */

/* obj[key] = val (ownership taken); *ok cleared on any failure, later puts are no-ops. */
void wav2_put(lpc_value *obj, const char *key, lpc_value *val, int *ok)
{
    if (!*ok || !val) {
        lpc_free(val);
        *ok = 0;
        return;
    }
    if (lpc_object_set(obj, key, strlen(key), val) != LPC_OK) *ok = 0;
}

lpc_value *wav2_clone(const lpc_value *v)
{
    lpc_value *c = NULL;
    if (!v) return lpc_new_null();
    return lpc_clone(v, &c) == LPC_OK ? c : NULL;
}

lpc_value *wav2_str(const char *s) { return lpc_new_str(s, strlen(s)); }

/* list(v) as Python builds it: a list copied, a str's characters, a dict's keys;
 * anything else is a TypeError. */
static lp_code py_list(const lpc_value *v, lpc_value **out, lpc_referr *err)
{
    *out = NULL;
    if (v && v->type == LPC_ARRAY) return lpc_clone(v, out) == LPC_OK ? LP_CODE_OK : wav2_nomem(err);
    if (!v || (v->type != LPC_STR && v->type != LPC_OBJECT))
        return wav2_type_error(err, "TypeError", "'%s' object is not iterable", lpc_py_type_name(v));
    lpc_value *a = lpc_new_array();
    if (!a) return wav2_nomem(err);
    int ok = 1;
    if (v->type == LPC_STR) {
        size_t i = 0;
        while (ok && i < v->u.s.len) {
            size_t s = i;
            next_cp(v->u.s.ptr, v->u.s.len, &i);
            lpc_value *c = lpc_new_str(v->u.s.ptr + s, i - s);
            ok = c && lpc_array_append(a, c) == LPC_OK;
        }
    } else {
        for (size_t k = 0; ok && k < v->u.o.n; k++) {
            lpc_value *c = lpc_new_str(v->u.o.items[k].key, v->u.o.items[k].klen);
            ok = c && lpc_array_append(a, c) == LPC_OK;
        }
    }
    if (!ok) {
        lpc_free(a);
        return wav2_nomem(err);
    }
    *out = a;
    return LP_CODE_OK;
}

/* list(x or []) */
static lp_code py_list_or_empty(const lpc_value *v, lpc_value **out, lpc_referr *err)
{
    if (!lpc_py_truthy(v)) {
        *out = lpc_new_array();
        return *out ? LP_CODE_OK : wav2_nomem(err);
    }
    return py_list(v, out, err);
}

/* int(v) of a value compute_final_weights has already int()-ed */
static lp_code py_int_val(const lpc_value *v, const char *field, int64_t *out, lpc_referr *err)
{
    if (lpc_py_int(v, out) != LPC_PY_OK) return wav2_refuse(err, field);
    return LP_CODE_OK;
}

static int is_validator_category(const char *c)
{
    int i = wav2_category_index(c);
    return i >= 0 && strcmp(lpc_wav2_categories[i].role, WROLE) == 0;
}

/* document(category, value): takes value. */
static lp_code document(const lpc_value *calc, const char *category, lpc_value *value, lpc_value *docs,
                        lpc_referr *err)
{
    int64_t netuid, epoch, block = 0;
    lp_code rc;
    if ((rc = py_int_val(lpc_get(calc, "netuid"), "int(netuid)", &netuid, err)) ||
        (rc = py_int_val(lpc_get(calc, "epoch_id"), "int(epoch_id)", &epoch, err)) ||
        (is_validator_category(category) && (rc = py_int_val(lpc_get(calc, "block"), "int(block)", &block, err)))) {
        lpc_free(value);
        return rc;
    }
    lpc_value *d = lpc_new_object();
    int ok = d != NULL;
    wav2_put(d, "schema_version", wav2_str(LPC_WAV2_INPUT_VALUE_SCHEMA), &ok);
    wav2_put(d, "category", wav2_str(category), &ok);
    wav2_put(d, "netuid", lpc_new_int(netuid), &ok);
    wav2_put(d, "epoch_id", lpc_new_int(epoch), &ok);
    wav2_put(d, "value", value, &ok);
    if (is_validator_category(category)) wav2_put(d, "block", lpc_new_int(block), &ok);
    if (ok) wav2_put(docs, category, d, &ok);
    else lpc_free(d);
    return ok ? LP_CODE_OK : wav2_nomem(err);
}

/* value[key] = clone of calc[key] */
static void put_calc(lpc_value *value, const lpc_value *calc, const char *key, int *ok)
{
    wav2_put(value, key, wav2_clone(lpc_get(calc, key)), ok);
}

lp_code wav2_documents(const lpc_value *calc, const lpc_value *finalized, const lpc_value *gateway,
                       lpc_value **documents, lpc_referr *err)
{
    lp_code rc;
    lpc_value *result = NULL, *docs = NULL, *meta = NULL, *post = NULL, *v = NULL, *tmp = NULL;
    *documents = NULL;
    if (!calc || calc->type != LPC_OBJECT) return wav2_fail(err, "calculation_snapshot must be an object");
    if ((rc = lpc_compute_final_weights(calc, NULL, &result, err))) return rc;
    lpc_free(result);
    const lpc_value *alloc = lpc_get(calc, "research_lab_allocation_doc");
    if (!alloc || alloc->type != LPC_OBJECT) return wav2_fail(err, "research_lab_allocation_doc must be an object");
    if ((rc = py_list_or_empty(lpc_get(calc, "metagraph_hotkeys"), &meta, err))) return rc;
    int64_t burn_uid;
    if ((rc = py_int_val(lpc_get(calc, "burn_target_uid"), "int(burn_target_uid)", &burn_uid, err))) goto out;
    const lpc_value *actual = burn_uid >= 0 && (uint64_t)burn_uid < meta->u.a.n ? meta->u.a.items[burn_uid] : NULL;

    /* post_adjustment_values, built before the documents (its list() calls come first) */
    int ok = 1;
    post = lpc_new_object();
    if (!post) { rc = wav2_nomem(err); goto out; }
    wav2_put(post, "research_lab_allocation_doc", wav2_clone(alloc), &ok);
    static const char *const post_lists[] = {"fulfillment_rows", "leaderboard_entries", "banned_hotkeys", "rolling_scores"};
    for (size_t i = 0; i < 4; i++) {
        if ((rc = py_list(lpc_get(calc, post_lists[i]), &tmp, err))) goto out;
        wav2_put(post, post_lists[i], tmp, &ok);
        tmp = NULL;
    }
    if (!ok) { rc = wav2_nomem(err); goto out; }

    docs = lpc_new_object();
    if (!docs) { rc = wav2_nomem(err); goto out; }
    char h[LPC_AV2_REF_SIZE];

    /* research_lab_allocation */
    if (!(v = lpc_new_object())) { rc = wav2_nomem(err); goto out; }
    wav2_put(v, "allocation_doc", wav2_clone(alloc), &ok);
    if ((rc = wav2_hash(gateway, "gateway_authority_event_hash", h, err))) goto out;
    wav2_put(v, "gateway_authority_event_hash", wav2_str(h), &ok);
    if (!ok) { rc = wav2_nomem(err); goto out; }
    rc = document(calc, "research_lab_allocation", v, docs, err);
    v = NULL;
    if (rc) goto out;

    /* champions */
    if (!(v = lpc_new_object())) { rc = wav2_nomem(err); goto out; }
    put_calc(v, calc, "champion_share", &ok);
    put_calc(v, calc, "champion_uid", &ok);
    put_calc(v, calc, "effective_champion_share", &ok);
    if ((rc = py_list_or_empty(lpc_get(alloc, "champion_allocations"), &tmp, err))) goto out;
    wav2_put(v, "champion_allocations", tmp, &ok);
    tmp = NULL;
    if ((rc = py_list_or_empty(lpc_get(alloc, "queued_champion_allocations"), &tmp, err))) goto out;
    wav2_put(v, "queued_champion_allocations", tmp, &ok);
    tmp = NULL;
    if (!ok) { rc = wav2_nomem(err); goto out; }
    rc = document(calc, "champions", v, docs, err);
    v = NULL;
    if (rc) goto out;

    /* reimbursements, source_add_rewards: one list from the allocation doc each */
    static const char *const from_alloc[][2] = {{"reimbursements", "reimbursement_allocations"},
                                                {"source_add_rewards", "source_add_allocations"}};
    for (size_t i = 0; i < 2; i++) {
        if (!(v = lpc_new_object())) { rc = wav2_nomem(err); goto out; }
        if ((rc = py_list_or_empty(lpc_get(alloc, from_alloc[i][1]), &tmp, err))) goto out;
        wav2_put(v, from_alloc[i][1], tmp, &ok);
        tmp = NULL;
        if (!ok) { rc = wav2_nomem(err); goto out; }
        rc = document(calc, from_alloc[i][0], v, docs, err);
        v = NULL;
        if (rc) goto out;
    }

    /* fulfillment_rewards, leaderboard, bans, sourcing_history: calculation fields,
     * 'L' = list(calc[key]) */
    static const struct {
        const char *category;
        const char *keys[4];
        const char *kinds;
    } from_calc[] = {
        {"fulfillment_rewards", {"fulfillment_share", "fulfillment_rows", "fulfillment_fetch_ok", NULL}, "vLv"},
        {"leaderboard", {"leaderboard_bonus_share", "leaderboard_rank_shares", "leaderboard_entries", "leaderboard_fetch_ok"}, "vLLv"},
        {"bans", {"banned_hotkeys", "banned_lookup_ok", NULL, NULL}, "Lv"},
        {"sourcing_history", {"rolling_lead_count", "rolling_scores", NULL, NULL}, "vL"},
    };
    for (size_t i = 0; i < sizeof from_calc / sizeof from_calc[0]; i++) {
        if (!(v = lpc_new_object())) { rc = wav2_nomem(err); goto out; }
        for (size_t k = 0; k < 4 && from_calc[i].keys[k]; k++) {
            const char *key = from_calc[i].keys[k];
            if (from_calc[i].kinds[k] == 'L') {
                if ((rc = py_list(lpc_get(calc, key), &tmp, err))) goto out;
                wav2_put(v, key, tmp, &ok);
                tmp = NULL;
            } else {
                put_calc(v, calc, key, &ok);
            }
        }
        if (!ok) { rc = wav2_nomem(err); goto out; }
        rc = document(calc, from_calc[i].category, v, docs, err);
        v = NULL;
        if (rc) goto out;
    }

    /* anomaly_adjustments */
    if ((rc = av2_sha256_json(post, h, err))) goto out;
    if (!(v = lpc_new_object())) { rc = wav2_nomem(err); goto out; }
    wav2_put(v, "post_adjustment_values_hash", wav2_str(h), &ok);
    if (!ok) { rc = wav2_nomem(err); goto out; }
    rc = document(calc, "anomaly_adjustments", v, docs, err);
    v = NULL;
    if (rc) goto out;

    if (finalized && finalized->type != LPC_NULL) {
        /* chain_state */
        if ((rc = wav2_hash(finalized, "finalized_chain_state_root", h, err))) goto out;
        if (!(v = lpc_new_object())) { rc = wav2_nomem(err); goto out; }
        wav2_put(v, "finalized_chain_state_root", wav2_str(h), &ok);
        put_calc(v, calc, "netuid", &ok);
        put_calc(v, calc, "epoch_id", &ok);
        put_calc(v, calc, "block", &ok);
        if (!ok) { rc = wav2_nomem(err); goto out; }
        rc = document(calc, "chain_state", v, docs, err);
        v = NULL;
        if (rc) goto out;
        /* metagraph_state */
        if (!(v = lpc_new_object())) { rc = wav2_nomem(err); goto out; }
        wav2_put(v, "metagraph_hotkeys", wav2_clone(meta), &ok);
        if (!ok) { rc = wav2_nomem(err); goto out; }
        rc = document(calc, "metagraph_state", v, docs, err);
        v = NULL;
        if (rc) goto out;
        /* burn_ownership */
        if (!(v = lpc_new_object())) { rc = wav2_nomem(err); goto out; }
        wav2_put(v, "burn_target_uid", lpc_new_int(burn_uid), &ok);
        put_calc(v, calc, "expected_burn_target_hotkey", &ok);
        wav2_put(v, "actual_burn_target_hotkey", wav2_clone(actual), &ok);
        if (!ok) { rc = wav2_nomem(err); goto out; }
        rc = document(calc, "burn_ownership", v, docs, err);
        v = NULL;
        if (rc) goto out;
        /* feature_flags */
        if (!(v = lpc_new_object())) { rc = wav2_nomem(err); goto out; }
        put_calc(v, calc, "ff_enabled", &ok);
        if (!ok) { rc = wav2_nomem(err); goto out; }
        rc = document(calc, "feature_flags", v, docs, err);
        v = NULL;
        if (rc) goto out;
        /* constants */
        static const char *const consts[] = {"commit_sha", "config_hash", "base_burn_share", "champion_share",
                                             "research_lab_fallback_share", "leaderboard_bonus_share",
                                             "leaderboard_rank_shares", "sourcing_floor_threshold",
                                             "min_total_rep_for_distribution"};
        if (!(v = lpc_new_object())) { rc = wav2_nomem(err); goto out; }
        for (size_t k = 0; k < sizeof consts / sizeof consts[0]; k++) {
            if (strcmp(consts[k], "leaderboard_rank_shares") == 0) {
                if ((rc = py_list(lpc_get(calc, consts[k]), &tmp, err))) goto out;
                wav2_put(v, consts[k], tmp, &ok);
                tmp = NULL;
            } else {
                put_calc(v, calc, consts[k], &ok);
            }
        }
        if (!ok) { rc = wav2_nomem(err); goto out; }
        rc = document(calc, "constants", v, docs, err);
        v = NULL;
        if (rc) goto out;
    }
    *documents = docs;
    docs = NULL;
out:
    lpc_free(v);
    lpc_free(tmp);
    lpc_free(docs);
    lpc_free(post);
    lpc_free(meta);
    return rc;
}

lp_code lpc_wav2_input_value_documents(const lpc_value *calculation_snapshot, const lpc_value *finalized_chain_state_root,
                                       const lpc_value *gateway_authority_event_hash, lpc_value **documents,
                                       lpc_referr *err)
{
    lp_code rc = wav2_documents(calculation_snapshot, finalized_chain_state_root, gateway_authority_event_hash,
                                documents, err);
    if (rc) return rc;
    if ((*documents)->u.o.n != LPC_WAV2_NCATEGORIES) {
        lpc_free(*documents);
        *documents = NULL;
        return wav2_fail(err, "weight input value categories are incomplete");
    }
    return LP_CODE_OK;
}

lp_code lpc_wav2_gateway_input_value_documents(const lpc_value *calculation_snapshot,
                                               const lpc_value *gateway_authority_event_hash, lpc_value **documents,
                                               lpc_referr *err)
{
    /* the nine gateway categories, always: "gateway weight input value categories are
     * incomplete" cannot be raised */
    return wav2_documents(calculation_snapshot, NULL, gateway_authority_event_hash, documents, err);
}

lp_code lpc_wav2_source_input_root(const lpc_value *input_receipt_hashes, const lpc_value *finalized_chain_state_root,
                                   const lpc_value *gateway_authority_event_hash, char out[72], lpc_referr *err)
{
    char in[LPC_WAV2_NCATEGORIES][LPC_AV2_REF_SIZE], fin[LPC_AV2_REF_SIZE], gw[LPC_AV2_REF_SIZE];
    lp_code rc;
    if ((rc = wav2_normalized_inputs(input_receipt_hashes, in, err)) ||
        (rc = wav2_hash(finalized_chain_state_root, "finalized_chain_state_root", fin, err)) ||
        (rc = wav2_hash(gateway_authority_event_hash, "gateway_authority_event_hash", gw, err)))
        return rc;
    lpc_value *src = lpc_new_object(), *norm = lpc_new_object();
    int ok = src && norm;
    for (int i = 0; ok && i < LPC_WAV2_NCATEGORIES; i++) wav2_put(norm, lpc_wav2_categories[i].category, wav2_str(in[i]), &ok);
    wav2_put(src, "input_receipt_hashes", norm, &ok);
    norm = NULL;
    wav2_put(src, "finalized_chain_state_root", wav2_str(fin), &ok);
    wav2_put(src, "gateway_authority_event_hash", wav2_str(gw), &ok);
    rc = ok ? av2_sha256_json(src, out, err) : wav2_nomem(err);
    lpc_free(src);
    lpc_free(norm);
    return rc;
}

lp_code lpc_wav2_input_output_roots(const lpc_value *calculation_snapshot, const lpc_value *finalized_chain_state_root,
                                    const lpc_value *gateway_authority_event_hash, lpc_value **roots, lpc_referr *err)
{
    lpc_value *docs = NULL, *r = NULL;
    lp_code rc;
    *roots = NULL;
    if ((rc = lpc_wav2_input_value_documents(calculation_snapshot, finalized_chain_state_root,
                                             gateway_authority_event_hash, &docs, err)))
        return rc;
    if (!(r = lpc_new_object())) { rc = wav2_nomem(err); goto out; }
    int ok = 1;
    for (int i = 0; i < LPC_WAV2_NCATEGORIES; i++) {
        char h[LPC_AV2_REF_SIZE];
        if ((rc = av2_sha256_json(lpc_get(docs, lpc_wav2_categories[i].category), h, err))) goto out;
        wav2_put(r, lpc_wav2_categories[i].category, wav2_str(h), &ok);
    }
    if (!ok) { rc = wav2_nomem(err); goto out; }
    *roots = r;
    r = NULL;
out:
    lpc_free(r);
    lpc_free(docs);
    return rc;
}

/* ---- the snapshot (§6.1) ---- */

static int cmp_ref(const void *a, const void *b) { return strcmp(a, b); }

lp_code wav2_build_snapshot(const lpc_value *validator_hotkey, const lpc_value *calc, const lpc_value *inputs,
                            const lpc_value *finalized, const lpc_value *gateway, lpc_value **snapshot,
                            lpc_value **computed, lpc_referr *err)
{
    lp_code rc;
    lpc_value *result = NULL, *body = NULL, *norm = NULL, *parents = NULL, *src = NULL, *hk = NULL;
    char in[LPC_WAV2_NCATEGORIES][LPC_AV2_REF_SIZE], sorted[LPC_WAV2_NCATEGORIES][LPC_AV2_REF_SIZE];
    char fin[LPC_AV2_REF_SIZE], gw[LPC_AV2_REF_SIZE], h[LPC_AV2_REF_SIZE];
    int ok = 1;
    *snapshot = NULL;
    if (computed) *computed = NULL;
    if (!calc || calc->type != LPC_OBJECT) return wav2_fail(err, "calculation_snapshot must be an object");
    if ((rc = lpc_compute_final_weights(calc, NULL, &result, err))) return rc;
    if ((rc = wav2_normalized_inputs(inputs, in, err))) goto out;
    memcpy(sorted, in, sizeof in);
    qsort(sorted, LPC_WAV2_NCATEGORIES, sizeof sorted[0], cmp_ref);
    if (!(parents = lpc_new_array()) || !(norm = lpc_new_object())) { rc = wav2_nomem(err); goto out; }
    for (int i = 0; ok && i < LPC_WAV2_NCATEGORIES; i++) {
        lpc_value *s = wav2_str(sorted[i]);
        ok = s && lpc_array_append(parents, s) == LPC_OK;
        wav2_put(norm, lpc_wav2_categories[i].category, wav2_str(in[i]), &ok);
    }
    if (!ok) { rc = wav2_nomem(err); goto out; }
    if (!wav2_eq(lpc_get(calc, "parent_receipt_hashes"), parents)) {
        rc = wav2_fail(err, "calculation snapshot parents differ from complete V2 weight inputs");
        goto out;
    }
    if (!wav2_eq_str(lpc_get(calc, "research_lab_allocation_receipt_hash"), in[11])) {
        rc = wav2_fail(err, "calculation snapshot allocation receipt differs from V2 input");
        goto out;
    }
    /* weight_source_input_root: the inputs again (they pass), then the two roots */
    if ((rc = wav2_hash(finalized, "finalized_chain_state_root", fin, err)) ||
        (rc = wav2_hash(gateway, "gateway_authority_event_hash", gw, err)))
        goto out;
    if (!(src = lpc_new_object())) { rc = wav2_nomem(err); goto out; }
    wav2_put(src, "input_receipt_hashes", wav2_clone(norm), &ok);
    wav2_put(src, "finalized_chain_state_root", wav2_str(fin), &ok);
    wav2_put(src, "gateway_authority_event_hash", wav2_str(gw), &ok);
    if (!ok) { rc = wav2_nomem(err); goto out; }
    char source_root[LPC_AV2_REF_SIZE];
    if ((rc = av2_sha256_json(src, source_root, err))) goto out;

    if ((rc = wav2_validator_hotkey(validator_hotkey, &hk, err))) goto out;
    if ((rc = nonneg_int(lpc_get(calc, "netuid"), "netuid", err)) ||
        (rc = nonneg_int(lpc_get(calc, "epoch_id"), "epoch_id", err)) ||
        (rc = nonneg_int(lpc_get(calc, "block"), "block", err)))
        goto out;
    if ((rc = av2_sha256_json(calc, h, err))) goto out;
    if (!(body = lpc_new_object())) { rc = wav2_nomem(err); goto out; }
    wav2_put(body, "schema_version", wav2_str(LPC_WAV2_SNAPSHOT_SCHEMA), &ok);
    wav2_put(body, "validator_hotkey", hk, &ok);
    hk = NULL;
    wav2_put(body, "netuid", wav2_clone(lpc_get(calc, "netuid")), &ok);
    wav2_put(body, "epoch_id", wav2_clone(lpc_get(calc, "epoch_id")), &ok);
    wav2_put(body, "block", wav2_clone(lpc_get(calc, "block")), &ok);
    wav2_put(body, "finalized_chain_state_root", wav2_str(fin), &ok);
    wav2_put(body, "gateway_authority_event_hash", wav2_str(gw), &ok);
    wav2_put(body, "calculation_snapshot", wav2_clone(calc), &ok);
    wav2_put(body, "calculation_snapshot_hash", wav2_str(h), &ok);
    wav2_put(body, "input_receipt_hashes", norm, &ok);
    norm = NULL;
    wav2_put(body, "source_input_root", wav2_str(source_root), &ok);
    if (!ok) { rc = wav2_nomem(err); goto out; }
    if ((rc = av2_sha256_json(body, h, err))) goto out;
    wav2_put(body, "snapshot_hash", wav2_str(h), &ok);
    if (!ok) { rc = wav2_nomem(err); goto out; }
    *snapshot = body;
    body = NULL;
    if (computed) {
        *computed = result;
        result = NULL;
    }
out:
    lpc_free(result);
    lpc_free(body);
    lpc_free(norm);
    lpc_free(parents);
    lpc_free(src);
    lpc_free(hk);
    return rc;
}

static const char *const k_build_kw[] = {"validator_hotkey", "calculation_snapshot", "input_receipt_hashes",
                                         "finalized_chain_state_root", "gateway_authority_event_hash"};

lp_code lpc_wav2_build_weight_snapshot(const lpc_value *kwargs, lpc_value **snapshot, lpc_referr *err)
{
    *snapshot = NULL;
    if (kwargs && kwargs->type != LPC_OBJECT)
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "build_weight_snapshot_v2() keyword arguments must be a dict");
    for (size_t i = 0; kwargs && i < kwargs->u.o.n; i++) {
        int known = 0;
        for (size_t k = 0; k < 5; k++) known |= strcmp(kwargs->u.o.items[i].key, k_build_kw[k]) == 0;
        if (!known)
            return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError",
                                  "build_weight_snapshot_v2() got an unexpected keyword argument '%s'",
                                  kwargs->u.o.items[i].key);
    }
    /* Python: "missing 2 required keyword-only arguments: 'a' and 'b'" */
    const char *missing[5];
    size_t nm = 0;
    for (size_t k = 0; k < 5; k++)
        if (!lpc_get(kwargs, k_build_kw[k])) missing[nm++] = k_build_kw[k];
    if (nm) {
        char list[256] = "";
        size_t at = 0;
        for (size_t k = 0; k < nm; k++) {
            const char *sep = k == 0 ? "" : k + 1 == nm ? (nm > 2 ? ", and " : " and ") : ", ";
            int w = snprintf(list + at, sizeof list - at, "%s'%s'", sep, missing[k]);
            if (w > 0) at += (size_t)w;
            if (at >= sizeof list) at = sizeof list - 1;
        }
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError",
                              "build_weight_snapshot_v2() missing %zu required keyword-only argument%s: %s", nm,
                              nm > 1 ? "s" : "", list);
    }
    return wav2_build_snapshot(lpc_get(kwargs, "validator_hotkey"), lpc_get(kwargs, "calculation_snapshot"),
                               lpc_get(kwargs, "input_receipt_hashes"), lpc_get(kwargs, "finalized_chain_state_root"),
                               lpc_get(kwargs, "gateway_authority_event_hash"), snapshot, NULL, err);
}

static const char *const k_snapshot_fields[] = {
    "schema_version", "validator_hotkey", "netuid", "epoch_id", "block", "finalized_chain_state_root",
    "gateway_authority_event_hash", "calculation_snapshot", "calculation_snapshot_hash", "input_receipt_hashes",
    "source_input_root", "snapshot_hash"};

lp_code lpc_wav2_validate_weight_snapshot(const lpc_value *snapshot, lpc_value **computed, lpc_referr *err)
{
    lpc_value *rebuilt = NULL, *result = NULL;
    lp_code rc;
    *computed = NULL;
    if (!snapshot || snapshot->type != LPC_OBJECT) return wav2_fail(err, "weight_snapshot must be an object");
    int ok = snapshot->u.o.n == 12;
    for (size_t i = 0; ok && i < 12; i++) ok = lpc_get(snapshot, k_snapshot_fields[i]) != NULL;
    if (!ok) return wav2_fail(err, "weight_snapshot fields do not match V2 schema");
    if ((rc = wav2_build_snapshot(lpc_get(snapshot, "validator_hotkey"), lpc_get(snapshot, "calculation_snapshot"),
                                  lpc_get(snapshot, "input_receipt_hashes"),
                                  lpc_get(snapshot, "finalized_chain_state_root"),
                                  lpc_get(snapshot, "gateway_authority_event_hash"), &rebuilt, &result, err)))
        return rc;
    if (!lpc_py_eq(snapshot, rebuilt)) {
        rc = wav2_fail(err, "weight_snapshot is not canonical");
        lpc_free(result);
        result = NULL;
    }
    lpc_free(rebuilt);
    /* the reference computes again over the same calculation: the same, pure result */
    *computed = result;
    return rc;
}
