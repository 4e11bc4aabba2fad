/* attested_v2 primitives (lpc_attested_v2.h): Merkle roots, execution receipts, boot
 * identities and transport attempts, and the refcall adapters.  The receipt graph is
 * in lpc_attested_v2_graph.c. */
#include "canonical/lpc_attested_v2.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_attested_v2_internal.h"
#include "canonical/lpc_binding.h"
#include "canonical/lpc_codec.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_refcall.h"
#include "canonical/lpc_sodium.h"
#include "canonical/lpc_utf8.h"

/* ---- role and purpose sets (attested_v2.py:39-171, §7.1) ---- */

static const char *const k_coordinator_purposes[] = {
    "research_lab.admission.v2", "research_lab.provider_evidence.v2",
    "research_lab.provider_outcome_snapshot.v2", "research_lab.provider_outcome_state.v2",
    "research_lab.active_private_model.v2", "leadpoet.artifact_persistence.v2",
    "research_lab.ranking.v2", "research_lab.promotion_decision.v2", "research_lab.reward_decision.v2",
    "research_lab.legacy_finalized_allocation.v2", "research_lab.chain_weight_observation.v1",
    "research_lab.chain_realized_epoch_settlement.v1", "research_lab.subnet_epoch_cutover.v2",
    "research_lab.source_add_provenance.v2", "research_lab.source_add_functional_probe.v2",
    "research_lab.source_add_catalog_snapshot.v2", "research_lab.source_add_credential.v2",
    "research_lab.openrouter_credential.v2", "research_lab.openrouter_credit_preflight.v2",
    "research_lab.allocation.v2", "research_lab.champion_input.v2", "research_lab.reimbursement_input.v2",
    "research_lab.source_add_reward_input.v2", "research_lab.sourcing_input.v2",
    "research_lab.fulfillment_input.v2", "research_lab.leaderboard_input.v2", "research_lab.ban_input.v2",
    "research_lab.anomaly_adjustment_input.v2", "research_lab.ancestry_checkpoint_bootstrap.v2",
    "research_lab.allocation_settlement_frontier_bootstrap.v2", "gateway.weights.publication.v2", NULL};
static const char *const k_scoring_purposes[] = {
    "research_lab.private_model_run.v2", "research_lab.candidate_model_run.v2",
    "research_lab.provider_evidence_tape.v2", "research_lab.candidate_test.v2",
    "research_lab.candidate_hybrid_test.v2", "research_lab.candidate_hybrid_discovery.v2",
    "research_lab.model_compatibility.v2", "research_lab.company_score.v2",
    "research_lab.provider_preflight.v2", "research_lab.candidate_score.v2", "research_lab.baseline_score.v2",
    "research_lab.benchmark.v2", "research_lab.rebenchmark.v2", "research_lab.confirmation_score.v2",
    "research_lab.source_add_judge.v2", "qualification.lead_decision.v2", "qualification.email_evidence.v2",
    "qualification.sourcing_epoch.v2", NULL};
static const char *const k_autoresearch_purposes[] = {
    "research_lab.source_inspection.v2", "research_lab.research_plan.v2", "research_lab.patch_draft.v2",
    "research_lab.patch_validation.v2", "research_lab.candidate_test.v2", "research_lab.candidate_build.v2",
    "research_lab.candidate_decision.v2", "research_lab.stale_parent_repair.v2", "research_lab.checkpoint.v2",
    "research_lab.openrouter_guard.v2", NULL};
static const char *const k_weight_purposes[] = {
    "validator.weight_snapshot.v2", "validator.weights.computed.v2", "validator.chain_state.v2",
    "validator.subnet_epoch_snapshot.v2", "validator.metagraph_state.v2", "validator.burn_ownership.v2",
    "validator.feature_flags.v2", "validator.constants.v2", "validator.hotkey_signature.v2",
    "validator.serve_axon_extrinsic.v2", "validator.set_weights_extrinsic.v2", "validator.weights.finalized.v2",
    NULL};

static const char *const k_phys_coordinator[] = {"gateway_coordinator", NULL};
static const char *const k_phys_scoring[] = {"gateway_scoring", "gateway_scoring_a", "gateway_scoring_b", NULL};
static const char *const k_phys_autoresearch[] = {"gateway_autoresearch", NULL};
static const char *const k_phys_weight[] = {"validator_weights", NULL};

static const struct {
    const char *role;
    const char *const *purposes;
    const char *const *physical;
} k_roles[] = {
    {"gateway_coordinator", k_coordinator_purposes, k_phys_coordinator},
    {"gateway_scoring", k_scoring_purposes, k_phys_scoring},
    {"gateway_autoresearch", k_autoresearch_purposes, k_phys_autoresearch},
    {"validator_weights", k_weight_purposes, k_phys_weight},
};
#define N_ROLES (sizeof k_roles / sizeof k_roles[0])

static const char *const k_receipt_statuses[] = {"succeeded", "failed", NULL};
static const char *const k_terminal_statuses[] = {"authenticated_response", "attested_local_response",
                                                  "transport_failure", NULL};
static const char *const k_failure_codes[] = {
    "cancelled", "certificate_invalid", "connection_refused", "connection_reset", "dns_failure", "host_dropped",
    "malformed_reply", "plaintext_forbidden", "policy_denied", "proxy_failure", "response_too_large",
    "tls_failure", "timeout", "unexpected_eof", NULL};

static int in_list(const char *const *list, const char *s, size_t n)
{
    for (; *list; list++)
        if (strlen(*list) == n && memcmp(*list, s, n) == 0) return 1;
    return 0;
}

static int role_index(const char *s, size_t n)
{
    for (size_t i = 0; i < N_ROLES; i++)
        if (strlen(k_roles[i].role) == n && memcmp(k_roles[i].role, s, n) == 0) return (int)i;
    return -1;
}

static int purpose_of_any_role(const char *s, size_t n)
{
    for (size_t i = 0; i < N_ROLES; i++)
        if (in_list(k_roles[i].purposes, s, n)) return 1;
    return 0;
}

/* ---- errors ---- */

lp_code av2_fail(lpc_referr *err, const char *msg)
{
    return lpc_referr_set(err, LP_CODE_ATTESTED_V2_ERROR, "AttestedV2Error", "%s", msg);
}

static lp_code av2_failf(lpc_referr *err, const char *fmt, const char *field)
{
    return lpc_referr_set(err, LP_CODE_ATTESTED_V2_ERROR, "AttestedV2Error", fmt, field);
}

lp_code av2_nomem(lpc_referr *err)
{
    return lpc_referr_set(err, lpc_code(LPC_ERR_NOMEM), "MemoryError", "out of memory");
}

static lp_code type_error(lpc_referr *err, const char *fmt, const char *name)
{
    return lpc_referr_set(err, LP_CODE_PYTHON_TYPE_ERROR, "TypeError", fmt, name);
}

/* The signer fields of a signed object (§7.1): enclave_pubkey strip().lower() and
 * enclave_signature lower() as hex of 32 and 64 bytes, then, when verify, Ed25519 over
 * the 32 raw digest bytes of expected ("sha256:" + hex, §3). */
static lp_code signed_digest_check(const lpc_value *v, const char *expected, int verify, lpc_referr *err);

/* ---- text normalisation: str(v or "") then strip()/lower()/upper() (§3, §10.13) ---- */

/* Appends the case-mapped code point at p (length k).  Only the mappings that can turn
 * a non-ASCII character into ASCII matter (the patterns are ASCII); other non-ASCII
 * characters are kept, so the text still matches nothing. */
static void case_map(av2_text *t, const uint8_t *p, size_t k, uint32_t c, unsigned how)
{
    const char *rep = NULL;
    if (how & AV2_LOWER) {
        if (c >= 'A' && c <= 'Z') { t->b[t->n++] = (char)(c + 32); return; }
        if (c == 0x212A) rep = "k"; /* KELVIN SIGN */
    } else if (how & AV2_UPPER) {
        if (c >= 'a' && c <= 'z') { t->b[t->n++] = (char)(c - 32); return; }
        switch (c) {
        case 0x00DF: rep = "SS"; break;
        case 0x0131: rep = "I"; break;
        case 0x017F: rep = "S"; break;
        case 0xFB00: rep = "FF"; break;
        case 0xFB01: rep = "FI"; break;
        case 0xFB02: rep = "FL"; break;
        case 0xFB03: rep = "FFI"; break;
        case 0xFB04: rep = "FFL"; break;
        case 0xFB05: case 0xFB06: rep = "ST"; break;
        default: break;
        }
    }
    if (rep) {
        size_t r = strlen(rep);
        memcpy(t->b + t->n, rep, r);
        t->n += r;
    } else {
        memcpy(t->b + t->n, p, k);
        t->n += k;
    }
}

void av2_text_of_bytes(const char *s, size_t n, unsigned how, av2_text *t)
{
    size_t off = 0;
    t->n = 0;
    t->b[0] = 0;
    if (how & AV2_STRIP) lpc_py_strip(s, n, &off, &n);
    s += off;
    if (how & AV2_RSTRIP_DOT)
        while (n && s[n - 1] == '.') n--;
    if (n > AV2_TEXT_MAX) {
        /* too long for any pattern: a text none accepts */
        t->b[0] = '[';
        t->n = 1;
        t->b[1] = 0;
        return;
    }
    if (!(how & (AV2_LOWER | AV2_UPPER))) {
        memcpy(t->b, s, n);
        t->n = n;
    } else {
        const uint8_t *p = (const uint8_t *)s;
        for (size_t i = 0; i < n;) {
            uint32_t c;
            size_t k = lpc_utf8_next(p + i, n - i, LPC_UTF8_SURROGATES, &c);
            if (!k) { t->b[t->n++] = (char)p[i]; i++; continue; }
            case_map(t, p + i, k, c, how);
            i += k;
        }
    }
    t->b[t->n] = 0;
}

void av2_text_of(const lpc_value *v, unsigned how, av2_text *t)
{
    if (!lpc_py_truthy(v)) { av2_text_of_bytes("", 0, how, t); return; }
    char buf[LPC_PY_STR_SCALAR_MAX];
    const char *p;
    size_t n;
    if (lpc_py_str(v, buf, &p, &n) != LPC_OK) { p = "["; n = 1; }  /* repr of a list/dict */
    av2_text_of_bytes(p, n, how, t);
}

/* ---- patterns ---- */

static int is_hex_len(const av2_text *t, size_t lo, size_t hi)
{
    return t->n >= lo && t->n <= hi && lpc_is_lower_hex(t->b, t->n);
}

/* ^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$ with Unicode \d (re, str pattern) */
static int is_timestamp(const av2_text *t)
{
    static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
    const uint8_t *p = (const uint8_t *)t->b;
    size_t i = 0;
    for (size_t j = 0; pat[j]; j++) {
        uint32_t c;
        size_t k = lpc_utf8_next(p + i, t->n - i, LPC_UTF8_SURROGATES, &c);
        if (!k) return 0;
        if (pat[j] == 'd') {
            int64_t dv;
            if (c < 0x80) {
                if (c < '0' || c > '9') return 0;
            } else if (lpc_py_int_parse(t->b + i, k, &dv) != LPC_OK || lpc_py_isspace(c)) {
                return 0;  /* one code point int() accepts alone is a decimal digit */
            }
        } else if (c != (uint32_t)pat[j]) {
            return 0;
        }
        i += k;
    }
    return i == t->n;
}

static int is_method(const av2_text *t)
{
    if (t->n < 3 || t->n > 12) return 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->b[i] < 'A' || t->b[i] > 'Z') return 0;
    return 1;
}

static int label_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/* _HOST_RE: 1..253 characters, two or more labels [a-z0-9]([a-z0-9-]{0,61}[a-z0-9])? */
static int is_host(const av2_text *t)
{
    if (t->n < 1 || t->n > 253) return 0;
    size_t labels = 0, i = 0;
    while (i <= t->n) {
        size_t j = i;
        while (j < t->n && t->b[j] != '.') j++;
        size_t len = j - i;
        if (len < 1 || len > 63 || !label_char(t->b[i]) || !label_char(t->b[j - 1])) return 0;
        for (size_t k = i; k < j; k++)
            if (!label_char(t->b[k]) && t->b[k] != '-') return 0;
        labels++;
        i = j + 1;
    }
    return labels >= 2;
}

/* ---- field normalisers (attested_v2.py:214-246) ---- */

lp_code av2_hash_item(const lpc_value *item, const char *s, size_t n, const char *field, av2_text *t,
                      lpc_referr *err)
{
    if (item) av2_text_of(item, AV2_STRIP | AV2_LOWER, t);
    else av2_text_of_bytes(s, n, AV2_STRIP | AV2_LOWER, t);
    if (!lpc_v2_is_sha256_ref(t->b, t->n)) return av2_failf(err, "%s must be sha256:<64 lowercase hex>", field);
    return LP_CODE_OK;
}

lp_code av2_identifier_item(const lpc_value *item, const char *s, size_t n, const char *field,
                            av2_text *t, lpc_referr *err)
{
    if (item) av2_text_of(item, AV2_STRIP, t);
    else av2_text_of_bytes(s, n, AV2_STRIP, t);
    if (!lpc_v2_is_identifier(t->b, t->n)) return av2_failf(err, "%s is invalid", field);
    return LP_CODE_OK;
}

/* ---- building the rebuilt objects ---- */

typedef struct {
    lpc_value *obj;
    lpc_referr *err;
    lp_code rc;
} builder;

static void put(builder *b, const char *key, lpc_value *v)
{
    if (b->rc) { lpc_free(v); return; }
    if (!v || lpc_object_set(b->obj, key, strlen(key), v) != LPC_OK) b->rc = av2_nomem(b->err);
}
static void put_text(builder *b, const char *key, const av2_text *t) { put(b, key, lpc_new_str(t->b, t->n)); }
static void put_cstr(builder *b, const char *key, const char *s) { put(b, key, lpc_new_str(s, strlen(s))); }
static void put_clone(builder *b, const char *key, const lpc_value *v)
{
    lpc_value *c = NULL;
    if (!v) c = lpc_new_null();
    else if (lpc_clone(v, &c) != LPC_OK) c = NULL;
    put(b, key, c);
}
static void put_hash(builder *b, const char *key, const lpc_value *v, const char *field)
{
    av2_text t;
    if (b->rc) return;
    if ((b->rc = av2_hash_item(v, NULL, 0, field, &t, b->err))) return;
    put_text(b, key, &t);
}
static void put_ident(builder *b, const char *key, const lpc_value *v, const char *field)
{
    av2_text t;
    if (b->rc) return;
    if ((b->rc = av2_identifier_item(v, NULL, 0, field, &t, b->err))) return;
    put_text(b, key, &t);
}
static void put_timestamp(builder *b, const char *key, const lpc_value *v, const char *field)
{
    av2_text t;
    if (b->rc) return;
    av2_text_of(v, 0, &t);
    if (!is_timestamp(&t)) { b->rc = av2_failf(b->err, "%s must be RFC3339 UTC seconds", field); return; }
    put_text(b, key, &t);
}
static void put_commit(builder *b, const char *key, const lpc_value *v)
{
    av2_text t;
    if (b->rc) return;
    av2_text_of(v, AV2_STRIP | AV2_LOWER, &t);
    if (!lpc_v2_is_commit_sha(t.b, t.n)) { b->rc = av2_fail(b->err, "commit_sha must be a full Git object id"); return; }
    put_text(b, key, &t);
}
static void put_pubkey(builder *b, const char *key, const lpc_value *v, const char *field)
{
    av2_text t;
    if (b->rc) return;
    av2_text_of(v, AV2_STRIP | AV2_LOWER, &t);
    if (!is_hex_len(&t, 64, 64)) { b->rc = av2_failf(b->err, "%s must be 32-byte lowercase hex", field); return; }
    put_text(b, key, &t);
}

static lp_code builder_start(builder *b, lpc_referr *err)
{
    b->err = err;
    b->rc = LP_CODE_OK;
    b->obj = lpc_new_object();
    if (!b->obj) return b->rc = av2_nomem(err);
    return LP_CODE_OK;
}

static lp_code builder_finish(builder *b, lpc_value **out)
{
    if (b->rc) { lpc_free(b->obj); *out = NULL; return b->rc; }
    *out = b->obj;
    return LP_CODE_OK;
}

/* isinstance(v, int) (booleans included) */
static int is_py_int(const lpc_value *v) { return v && (v->type == LPC_INT || v->type == LPC_BOOL); }
/* isinstance(v, int) and v >= 0 */
static int is_nonneg_int(const lpc_value *v)
{
    return is_py_int(v) && !(v->type == LPC_INT && v->u.i.digits[0] == '-');
}
/* isinstance(v, int) and v > 0 */
static int is_pos_int(const lpc_value *v)
{
    if (!is_nonneg_int(v)) return 0;
    return v->type == LPC_BOOL ? v->u.b : strcmp(v->u.i.digits, "0") != 0;
}
/* v in (None, "") */
static int is_none_or_empty(const lpc_value *v)
{
    return !v || v->type == LPC_NULL || (v->type == LPC_STR && v->u.s.len == 0);
}
/* v in frozenset_of_strings: TypeError for an unhashable value */
static lp_code in_str_set(const lpc_value *v, const char *const *set, int *found, lpc_referr *err)
{
    *found = 0;
    if (v && (v->type == LPC_ARRAY || v->type == LPC_OBJECT))
        return type_error(err, "unhashable type: '%s'", lpc_py_type_name(v));
    if (v && v->type == LPC_STR) *found = in_list(set, v->u.s.ptr, v->u.s.len);
    return LP_CODE_OK;
}

/* ---- exact field sets (attested_v2.py:_validate_exact_fields) ---- */

static int field_listed(const char *const *fields, size_t nf, const char *s, size_t n)
{
    for (size_t i = 0; i < nf; i++)
        if (strlen(fields[i]) == n && memcmp(fields[i], s, n) == 0) return 1;
    return 0;
}

lp_code av2_exact_fields(const lpc_value *v, const char *const *fields, size_t nf, const char *label,
                         lpc_referr *err)
{
    if (!v || v->type == LPC_NULL || v->type == LPC_BOOL || v->type == LPC_INT || v->type == LPC_FLOAT)
        return type_error(err, "'%s' object is not iterable", lpc_py_type_name(v));
    int same = 1;
    if (v->type == LPC_OBJECT) {
        size_t hit = 0;
        for (size_t i = 0; i < v->u.o.n; i++) {
            if (field_listed(fields, nf, v->u.o.items[i].key, v->u.o.items[i].klen)) hit++;
            else same = 0;
        }
        if (hit != nf) same = 0;
    } else if (v->type == LPC_ARRAY) {
        /* set(list): unhashable items raise; equal sets make the next subscript raise */
        unsigned char seen[64] = {0};
        size_t hit = 0;
        for (size_t i = 0; i < v->u.a.n; i++) {
            const lpc_value *e = v->u.a.items[i];
            if (e->type == LPC_ARRAY || e->type == LPC_OBJECT)
                return type_error(err, "unhashable type: '%s'", lpc_py_type_name(e));
        }
        for (size_t i = 0; i < v->u.a.n; i++) {
            const lpc_value *e = v->u.a.items[i];
            size_t k = nf;
            if (e->type == LPC_STR)
                for (k = 0; k < nf && k < 64; k++)
                    if (strlen(fields[k]) == e->u.s.len && memcmp(fields[k], e->u.s.ptr, e->u.s.len) == 0) break;
            if (k >= nf || k >= 64) { same = 0; continue; }
            if (!seen[k]) { seen[k] = 1; hit++; }
        }
        if (hit != nf) same = 0;
        if (same) return type_error(err, "list indices must be integers or slices, not %s", "str");
    } else {
        same = 0;  /* a string's characters are never the field names */
    }
    if (!same) return av2_failf(err, "%s fields do not match canonical schema", label);
    return LP_CODE_OK;
}

lp_code av2_sha256_json(const lpc_value *v, char out[LPC_AV2_REF_SIZE], lpc_referr *err)
{
    lpc_referr e;
    lpc_referr_clear(&e);
    lp_code rc = lpc_v2_sha256_json(v, out, &e);
    if (rc == LP_CODE_PYTHON_VALUE_ERROR && strcmp(e.type, "ValueError") == 0)
        return lpc_referr_set(err, LP_CODE_ATTESTED_V2_ERROR, "AttestedV2Error", "value is not canonical JSON: %s",
                              e.message);
    if (rc && err) *err = e;
    return rc;
}

/* A new object holding clones of v's keys `fields` (the `{key: v[key] ...}` body). */
static lp_code subset(const lpc_value *v, const char *const *fields, size_t nf, lpc_value **out, lpc_referr *err)
{
    builder b;
    if (builder_start(&b, err)) return b.rc;
    for (size_t i = 0; i < nf; i++) put_clone(&b, fields[i], lpc_get(v, fields[i]));
    return builder_finish(&b, out);
}

/* Python == between a stored value and a rebuilt object, keys of `rebuilt` only
 * (v holds exactly those keys plus the ones excluded by the caller). */
static int eq_on_keys(const lpc_value *v, const lpc_value *rebuilt)
{
    for (size_t i = 0; i < rebuilt->u.o.n; i++) {
        const lpc_value *a = lpc_get(v, rebuilt->u.o.items[i].key);
        if (!a || !lpc_py_eq(a, rebuilt->u.o.items[i].val)) return 0;
    }
    return 1;
}

static int str_value_eq(const lpc_value *v, const char *s)
{
    return v && v->type == LPC_STR && v->u.s.len == strlen(s) && memcmp(v->u.s.ptr, s, v->u.s.len) == 0;
}

/* ---- Python iteration ---- */

lp_code av2_iter_start(const lpc_value *v, av2_iter *it, lpc_referr *err)
{
    it->v = v;
    it->pos = 0;
    if (!v) return LP_CODE_OK;  /* the empty tuple default */
    if (v->type == LPC_ARRAY || v->type == LPC_OBJECT || v->type == LPC_STR) return LP_CODE_OK;
    return type_error(err, "'%s' object is not iterable", lpc_py_type_name(v));
}

int av2_iter_next(av2_iter *it, const lpc_value **item, const char **s, size_t *n)
{
    const lpc_value *v = it->v;
    *item = NULL;
    if (!v) return 0;
    if (v->type == LPC_ARRAY) {
        if (it->pos >= v->u.a.n) return 0;
        *item = v->u.a.items[it->pos++];
        return 1;
    }
    if (v->type == LPC_OBJECT) {
        if (it->pos >= v->u.o.n) return 0;
        *s = v->u.o.items[it->pos].key;
        *n = v->u.o.items[it->pos].klen;
        it->pos++;
        return 1;
    }
    if (it->pos >= v->u.s.len) return 0;
    size_t k = lpc_utf8_next((const uint8_t *)v->u.s.ptr + it->pos, v->u.s.len - it->pos, LPC_UTF8_SURROGATES, NULL);
    if (!k) k = 1;
    *s = v->u.s.ptr + it->pos;
    *n = k;
    it->pos += k;
    return 1;
}

size_t av2_iter_count(const lpc_value *v)
{
    if (!v) return 0;
    if (v->type == LPC_ARRAY) return v->u.a.n;
    if (v->type == LPC_OBJECT) return v->u.o.n;
    return 0;  /* a string's characters: none is ever a valid sha256 reference */
}

/* ---- domain Merkle root (§3, attested_v2.py:275-291) ---- */

static int cmp32(const void *a, const void *b) { return memcmp(a, b, 32); }

void av2_merkle_digests(uint8_t (*d)[32], size_t n, const char *domain, char out[LPC_AV2_REF_SIZE])
{
    size_t dl = strlen(domain);
    uint8_t buf[1 + 256 + 64];
    uint8_t root[32];
    memcpy(out, "sha256:", 7);
    if (n == 0) {
        buf[0] = 2;
        memcpy(buf + 1, domain, dl);
        memcpy(buf + 1 + dl, ":empty", 6);
        lpc_sha256(buf, 1 + dl + 6, root);
        lpc_hex_encode(root, 32, out + 7);
        return;
    }
    qsort(d, n, 32, cmp32);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || memcmp(d[m - 1], d[i], 32) != 0) memmove(d[m++], d[i], 32);
    n = m;
    buf[0] = 0;
    memcpy(buf + 1, domain, dl);
    for (size_t i = 0; i < n; i++) {
        memcpy(buf + 1 + dl, d[i], 32);
        lpc_sha256(buf, 1 + dl + 32, d[i]);
    }
    buf[0] = 1;
    while (n > 1) {
        size_t k = 0;
        for (size_t i = 0; i < n; i += 2) {
            const uint8_t *r = i + 1 < n ? d[i + 1] : d[i];  /* odd level: the last node twice */
            memcpy(buf + 1 + dl, d[i], 32);
            memcpy(buf + 1 + dl + 32, r, 32);
            lpc_sha256(buf, 1 + dl + 64, d[k++]);
        }
        n = k;
    }
    lpc_hex_encode(d[0], 32, out + 7);
}

lp_code lpc_av2_merkle_root(const lpc_value *items, const lpc_value *domain,
                            char out[LPC_AV2_REF_SIZE], lpc_referr *err)
{
    av2_text dom, t;
    lp_code rc;
    if ((rc = av2_identifier_item(domain, NULL, 0, "merkle domain", &dom, err))) return rc;
    av2_iter it;
    if ((rc = av2_iter_start(items, &it, err))) return rc;
    size_t cap = av2_iter_count(items);
    if (cap > LPC_AV2_MAX_ITEMS)
        return lpc_referr_set(err, LP_CODE_INPUT_TOO_LARGE, "InputTooLarge", "more than %zu merkle items",
                              (size_t)LPC_AV2_MAX_ITEMS);
    uint8_t (*d)[32] = malloc((cap ? cap : 1) * 32);
    if (!d) return av2_nomem(err);
    size_t n = 0;
    const lpc_value *item;
    const char *s = NULL;
    size_t sn = 0;
    while (av2_iter_next(&it, &item, &s, &sn)) {
        if ((rc = av2_hash_item(item, s, sn, "merkle item", &t, err))) { free(d); return rc; }
        size_t got;
        lpc_hex_decode(t.b + 7, 64, d[n++], 32, &got);
    }
    av2_merkle_digests(d, n, dom.b, out);
    free(d);
    return LP_CODE_OK;
}

/* ---- execution receipt (§7.1, attested_v2.py:710-870) ---- */

static const char *const k_receipt_body_fields[] = {
    "schema_version", "role", "purpose", "job_id", "epoch_id", "sequence", "commit_sha", "pcr0",
    "build_manifest_hash", "dependency_lock_hash", "config_hash", "boot_identity_hash", "input_root",
    "output_root", "transport_root", "host_operation_root", "artifact_root", "parent_receipt_hashes",
    "status", "failure_code", "issued_at"};
#define N_RECEIPT_BODY 21
static const char *const k_signed_receipt_fields[] = {
    "schema_version", "role", "purpose", "job_id", "epoch_id", "sequence", "commit_sha", "pcr0",
    "build_manifest_hash", "dependency_lock_hash", "config_hash", "boot_identity_hash", "input_root",
    "output_root", "transport_root", "host_operation_root", "artifact_root", "parent_receipt_hashes",
    "status", "failure_code", "issued_at", "receipt_hash", "enclave_pubkey", "enclave_signature"};
#define N_SIGNED_RECEIPT 24

/* sorted({_hash(item, "parent_receipt_hash") for item in parents}) */
static lpc_value *sorted_parents(const lpc_value *parents, lpc_referr *err, lp_code *rc)
{
    av2_iter it;
    if ((*rc = av2_iter_start(parents, &it, err))) return NULL;
    if (!parents) { *rc = type_error(err, "'%s' object is not iterable", "NoneType"); return NULL; }
    size_t cap = av2_iter_count(parents);
    if (cap > LPC_AV2_MAX_ITEMS) {
        *rc = lpc_referr_set(err, LP_CODE_INPUT_TOO_LARGE, "InputTooLarge", "more than %zu parent hashes",
                             (size_t)LPC_AV2_MAX_ITEMS);
        return NULL;
    }
    uint8_t (*d)[32] = malloc((cap ? cap : 1) * 32);
    if (!d) { *rc = av2_nomem(err); return NULL; }
    size_t n = 0;
    const lpc_value *item;
    const char *s = NULL;
    size_t sn = 0;
    av2_text t;
    while (av2_iter_next(&it, &item, &s, &sn)) {
        if ((*rc = av2_hash_item(item, s, sn, "parent_receipt_hash", &t, err))) { free(d); return NULL; }
        size_t got;
        lpc_hex_decode(t.b + 7, 64, d[n++], 32, &got);
    }
    if (n) qsort(d, n, 32, cmp32);
    lpc_value *arr = lpc_new_array();
    for (size_t i = 0; arr && i < n; i++) {
        if (i && memcmp(d[i - 1], d[i], 32) == 0) continue;
        char ref[LPC_AV2_REF_SIZE];
        memcpy(ref, "sha256:", 7);
        lpc_hex_encode(d[i], 32, ref + 7);
        if (lpc_array_append(arr, lpc_new_str(ref, 71)) != LPC_OK) { lpc_free(arr); arr = NULL; }
    }
    free(d);
    if (!arr) *rc = av2_nomem(err);
    return arr;
}

lp_code lpc_av2_build_execution_receipt_body(const lpc_value *f, lpc_value **out, lpc_referr *err)
{
    av2_text role, purpose, pcr0, failure;
    *out = NULL;
    av2_text_of(lpc_get(f, "role"), 0, &role);
    av2_text_of(lpc_get(f, "purpose"), 0, &purpose);
    int ri = role_index(role.b, role.n);
    if (ri < 0) return av2_fail(err, "unsupported execution role");
    if (!in_list(k_roles[ri].purposes, purpose.b, purpose.n)) return av2_fail(err, "purpose is invalid for execution role");
    if (!is_nonneg_int(lpc_get(f, "epoch_id"))) return av2_fail(err, "epoch_id must be non-negative");
    if (!is_nonneg_int(lpc_get(f, "sequence"))) return av2_fail(err, "sequence must be non-negative");
    av2_text_of(lpc_get(f, "pcr0"), AV2_STRIP | AV2_LOWER, &pcr0);
    if (!is_hex_len(&pcr0, 96, 96)) return av2_fail(err, "pcr0 must be 48-byte lowercase hex");
    const lpc_value *status = lpc_get(f, "status");
    int found;
    lp_code rc;
    if ((rc = in_str_set(status, k_receipt_statuses, &found, err))) return rc;
    if (!found) return av2_fail(err, "execution receipt status is invalid");
    int failed = str_value_eq(status, "failed");
    if (failed) {
        if ((rc = av2_identifier_item(lpc_get(f, "failure_code"), NULL, 0, "failure_code", &failure, err))) return rc;
    } else if (!is_none_or_empty(lpc_get(f, "failure_code"))) {
        return av2_fail(err, "successful receipt cannot have failure_code");
    }
    builder b;
    if (builder_start(&b, err)) return b.rc;
    put_cstr(&b, "schema_version", LPC_AV2_EXECUTION_RECEIPT_SCHEMA);
    put_text(&b, "role", &role);
    put_text(&b, "purpose", &purpose);
    put_ident(&b, "job_id", lpc_get(f, "job_id"), "job_id");
    put_clone(&b, "epoch_id", lpc_get(f, "epoch_id"));
    put_clone(&b, "sequence", lpc_get(f, "sequence"));
    put_commit(&b, "commit_sha", lpc_get(f, "commit_sha"));
    put_text(&b, "pcr0", &pcr0);
    static const char *const hashes[] = {"build_manifest_hash", "dependency_lock_hash", "config_hash",
                                         "boot_identity_hash", "input_root", "output_root", "transport_root",
                                         "host_operation_root", "artifact_root"};
    for (size_t i = 0; i < sizeof hashes / sizeof hashes[0]; i++)
        put_hash(&b, hashes[i], lpc_get(f, hashes[i]), hashes[i]);
    if (!b.rc) {
        lpc_value *parents = sorted_parents(lpc_get(f, "parent_receipt_hashes"), err, &b.rc);
        if (parents) put(&b, "parent_receipt_hashes", parents);
    }
    put_clone(&b, "status", status);
    if (failed) put_text(&b, "failure_code", &failure);
    else put(&b, "failure_code", lpc_new_null());
    put_timestamp(&b, "issued_at", lpc_get(f, "issued_at"), "issued_at");
    return builder_finish(&b, out);
}

lp_code lpc_av2_validate_signed_execution_receipt(const lpc_value *receipt, int verify_signature,
                                                  lpc_referr *err)
{
    lp_code rc;
    lpc_value *body = NULL, *rebuilt = NULL;
    char expected[LPC_AV2_REF_SIZE];
    if ((rc = av2_exact_fields(receipt, k_signed_receipt_fields, N_SIGNED_RECEIPT, "signed execution receipt", err)))
        return rc;
    if ((rc = lpc_av2_build_execution_receipt_body(receipt, &rebuilt, err))) return rc;
    if (!eq_on_keys(receipt, rebuilt)) { rc = av2_fail(err, "execution receipt body is not canonical"); goto out; }
    if ((rc = subset(receipt, k_receipt_body_fields, N_RECEIPT_BODY, &body, err))) goto out;
    if ((rc = av2_sha256_json(body, expected, err))) goto out;
    if (!str_value_eq(lpc_get(receipt, "receipt_hash"), expected)) {
        rc = av2_fail(err, "receipt_hash does not match body");
        goto out;
    }
    rc = signed_digest_check(receipt, expected, verify_signature, err);
out:
    lpc_free(body);
    lpc_free(rebuilt);
    return rc;
}

static lp_code signed_digest_check(const lpc_value *v, const char *expected, int verify, lpc_referr *err)
{
    av2_text pk, sig;
    av2_text_of(lpc_get(v, "enclave_pubkey"), AV2_STRIP | AV2_LOWER, &pk);
    if (!is_hex_len(&pk, 64, 64)) return av2_fail(err, "enclave_pubkey must be 32-byte lowercase hex");
    av2_text_of(lpc_get(v, "enclave_signature"), AV2_LOWER, &sig);
    if (!is_hex_len(&sig, 128, 128)) return av2_fail(err, "signature must be 64-byte lowercase hex");
    if (!verify) return LP_CODE_OK;
    uint8_t pkb[32], sb[64], digest[32];
    size_t got;
    lpc_hex_decode(pk.b, 64, pkb, 32, &got);
    lpc_hex_decode(sig.b, 128, sb, 64, &got);
    lpc_hex_decode(expected + 7, 64, digest, 32, &got);
    return lpc_ed25519_verify(sb, digest, 32, pkb) ? LP_CODE_OK : av2_fail(err, "invalid Ed25519 signature");
}

/* ---- boot identity (§7.2, attested_v2.py:299-501) ---- */

static const char *const k_boot_body_fields[] = {
    "schema_version", "role", "physical_role", "commit_sha", "pcr0", "build_manifest_hash",
    "dependency_lock_hash", "config_hash", "boot_nonce", "signing_pubkey", "transport_pubkey",
    "transport_certificate_hash", "attestation_user_data_hash", "issued_at"};
#define N_BOOT_BODY 14
static const char *const k_boot_fields[] = {
    "schema_version", "role", "physical_role", "commit_sha", "pcr0", "build_manifest_hash",
    "dependency_lock_hash", "config_hash", "boot_nonce", "signing_pubkey", "transport_pubkey",
    "transport_certificate_hash", "attestation_user_data_hash", "issued_at", "boot_identity_hash",
    "attestation_document_b64"};
#define N_BOOT 16

lp_code lpc_av2_build_boot_identity_body(const lpc_value *f, lpc_value **out, lpc_referr *err)
{
    av2_text role, phys, pcr0, nonce;
    lp_code rc;
    *out = NULL;
    av2_text_of(lpc_get(f, "role"), 0, &role);
    int ri = role_index(role.b, role.n);
    if (ri < 0) return av2_fail(err, "unsupported boot identity role");
    if ((rc = av2_identifier_item(lpc_get(f, "physical_role"), NULL, 0, "physical_role", &phys, err))) return rc;
    if (!in_list(k_roles[ri].physical, phys.b, phys.n)) return av2_fail(err, "physical_role is invalid for boot identity role");
    av2_text_of(lpc_get(f, "pcr0"), AV2_STRIP | AV2_LOWER, &pcr0);
    if (!is_hex_len(&pcr0, 96, 96)) return av2_fail(err, "pcr0 must be 48-byte lowercase hex");
    av2_text_of(lpc_get(f, "boot_nonce"), AV2_STRIP | AV2_LOWER, &nonce);
    if (!is_hex_len(&nonce, 32, 64)) return av2_fail(err, "boot_nonce must be 16-32 bytes lowercase hex");
    builder b;
    if (builder_start(&b, err)) return b.rc;
    put_cstr(&b, "schema_version", LPC_AV2_BOOT_IDENTITY_SCHEMA);
    put_text(&b, "role", &role);
    put_text(&b, "physical_role", &phys);
    put_commit(&b, "commit_sha", lpc_get(f, "commit_sha"));
    put_text(&b, "pcr0", &pcr0);
    put_hash(&b, "build_manifest_hash", lpc_get(f, "build_manifest_hash"), "build_manifest_hash");
    put_hash(&b, "dependency_lock_hash", lpc_get(f, "dependency_lock_hash"), "dependency_lock_hash");
    put_hash(&b, "config_hash", lpc_get(f, "config_hash"), "config_hash");
    put_text(&b, "boot_nonce", &nonce);
    put_pubkey(&b, "signing_pubkey", lpc_get(f, "signing_pubkey"), "signing_pubkey");
    put_pubkey(&b, "transport_pubkey", lpc_get(f, "transport_pubkey"), "transport_pubkey");
    put_hash(&b, "transport_certificate_hash", lpc_get(f, "transport_certificate_hash"), "transport_certificate_hash");
    put_hash(&b, "attestation_user_data_hash", lpc_get(f, "attestation_user_data_hash"), "attestation_user_data_hash");
    put_timestamp(&b, "issued_at", lpc_get(f, "issued_at"), "issued_at");
    return builder_finish(&b, out);
}

/* base64.b64decode(s, validate=True), which on Python 3.11 is binascii.a2b_base64 in
 * strict mode: alphabet characters, then the padding the last quantum needs ("==" after
 * 2, "=" after 3; after a whole quantum any '=' run, unless nothing precedes it); the
 * decoded length in *len.  Unlike lpc_codec's
 * decoder it does not require the unused trailing bits to be zero ("QR==" is b"A"). */
static int py_b64_validate(const char *s, size_t n, size_t *len)
{
    size_t d = 0;
    while (d < n && ((s[d] >= 'A' && s[d] <= 'Z') || (s[d] >= 'a' && s[d] <= 'z') || (s[d] >= '0' && s[d] <= '9') ||
                     s[d] == '+' || s[d] == '/'))
        d++;
    size_t pads = n - d, q = d % 4;
    for (size_t i = d; i < n; i++)
        if (s[i] != '=') return 0;
    /* after a whole quantum '=' is skipped (but not leading); else the exact padding */
    if (!((q == 0 && (d > 0 || pads == 0)) || (q == 2 && pads == 2) || (q == 3 && pads == 1))) return 0;
    *len = d / 4 * 3 + (q ? q - 1 : 0);
    return 1;
}

lp_code lpc_av2_validate_boot_identity(const lpc_value *identity, lpc_referr *err)
{
    lp_code rc;
    lpc_value *body = NULL, *rebuilt = NULL;
    char expected[LPC_AV2_REF_SIZE];
    if ((rc = av2_exact_fields(identity, k_boot_fields, N_BOOT, "boot identity", err))) return rc;
    if ((rc = lpc_av2_build_boot_identity_body(identity, &rebuilt, err))) return rc;
    if (!eq_on_keys(identity, rebuilt)) { rc = av2_fail(err, "boot identity body is not canonical"); goto out; }
    if ((rc = subset(identity, k_boot_body_fields, N_BOOT_BODY, &body, err))) goto out;
    if ((rc = av2_sha256_json(body, expected, err))) goto out;
    if (!str_value_eq(lpc_get(identity, "boot_identity_hash"), expected)) {
        rc = av2_fail(err, "boot_identity_hash does not match body");
        goto out;
    }
    /* str(identity["attestation_document_b64"]): no `or ""` here */
    const lpc_value *doc = lpc_get(identity, "attestation_document_b64");
    char buf[LPC_PY_STR_SCALAR_MAX];
    const char *p;
    size_t n, len;
    if (lpc_py_str(doc, buf, &p, &n) != LPC_OK) { p = "["; n = 1; }
    if (!py_b64_validate(p, n, &len)) { rc = av2_fail(err, "attestation_document_b64 is invalid"); goto out; }
    if (len == 0) rc = av2_fail(err, "attestation document is empty");
out:
    lpc_free(body);
    lpc_free(rebuilt);
    return rc;
}

static const char *const k_claim_fields[] = {
    "role", "physical_role", "commit_sha", "pcr0", "build_manifest_hash", "dependency_lock_hash",
    "config_hash", "boot_nonce", "signing_pubkey", "transport_pubkey", "transport_certificate_hash", "issued_at"};
#define N_CLAIM 12

/* `field in identity` for a non-object identity (list membership, substring), then the
 * subscript TypeError. */
static lp_code claim_non_object(const lpc_value *v, lpc_referr *err)
{
    if (!v || v->type == LPC_NULL || v->type == LPC_BOOL || v->type == LPC_INT || v->type == LPC_FLOAT)
        return type_error(err, "argument of type '%s' is not iterable", lpc_py_type_name(v));
    for (size_t i = 0; i < N_CLAIM; i++) {
        size_t fl = strlen(k_claim_fields[i]);
        int hit = 0;
        if (v->type == LPC_STR) {
            for (size_t k = 0; !hit && k + fl <= v->u.s.len; k++) hit = memcmp(v->u.s.ptr + k, k_claim_fields[i], fl) == 0;
        } else {
            for (size_t k = 0; !hit && k < v->u.a.n; k++) hit = str_value_eq(v->u.a.items[k], k_claim_fields[i]);
        }
        if (!hit) return av2_fail(err, "boot attestation claim fields are missing");
    }
    if (v->type == LPC_STR) return type_error(err, "string indices must be integers, not '%s'", "str");
    return type_error(err, "list indices must be integers or slices, not %s", "str");
}

lp_code lpc_av2_build_boot_attestation_claim(const lpc_value *identity, lpc_value **out, lpc_referr *err)
{
    *out = NULL;
    if (!identity || identity->type != LPC_OBJECT) return claim_non_object(identity, err);
    for (size_t i = 0; i < N_CLAIM; i++)
        if (!lpc_get(identity, k_claim_fields[i])) return av2_fail(err, "boot attestation claim fields are missing");
    builder b;
    if (builder_start(&b, err)) return b.rc;
    put_cstr(&b, "schema_version", LPC_AV2_BOOT_CLAIM_SCHEMA);
    for (size_t i = 0; i < N_CLAIM; i++) put_clone(&b, k_claim_fields[i], lpc_get(identity, k_claim_fields[i]));
    return builder_finish(&b, out);
}

lp_code lpc_av2_build_boot_attestation_user_data(const lpc_value *identity, lpc_value **out, lpc_referr *err)
{
    lpc_value *claim = NULL;
    char h[LPC_AV2_REF_SIZE];
    lp_code rc;
    *out = NULL;
    if ((rc = lpc_av2_build_boot_attestation_claim(identity, &claim, err))) return rc;
    rc = av2_sha256_json(claim, h, err);
    lpc_free(claim);
    if (rc) return rc;
    builder b;
    if (builder_start(&b, err)) return b.rc;
    put_cstr(&b, "schema_version", LPC_AV2_BOOT_CLAIM_SCHEMA);
    put_cstr(&b, "purpose", LPC_AV2_BOOT_PURPOSE);
    put_cstr(&b, "claim_hash", h);
    put_pubkey(&b, "enclave_pubkey", lpc_get(identity, "signing_pubkey"), "signing_pubkey");
    return builder_finish(&b, out);
}

/* ---- transport attempt (§7.3, attested_v2.py:504-707) ---- */

static const char *const k_transport_fields[] = {
    "schema_version", "attempt_hash", "request_id", "logical_operation_id", "job_id", "purpose", "provider_id",
    "attempt_number", "method", "destination_host", "destination_port", "path_hash", "nonsecret_headers_hash",
    "body_hash", "credential_ref_hash", "egress_proxy_ref_hash", "retry_policy_hash", "timeout_ms",
    "request_hash", "started_at", "terminal_status", "http_status", "response_hash", "request_artifact_hash",
    "response_artifact_hash", "tls_peer_chain_hash", "tls_protocol", "failure_code", "completed_at"};
#define N_TRANSPORT 29

/* 100 <= v <= 599 for an int or bool */
static int http_status_ok(const lpc_value *v)
{
    int64_t x;
    if (!is_py_int(v)) return 0;
    if (v->type == LPC_BOOL) return 0;
    return lpc_int_i64(v, &x) && x >= 100 && x <= 599;
}

/* destination_port == 443 (Python ==: 443 and 443.0) */
static int port_is_443(const lpc_value *v)
{
    if (!v) return 0;
    lpc_value *k = lpc_new_int(443);
    int r = k && lpc_py_eq(v, k);
    lpc_free(k);
    return r;
}

lp_code lpc_av2_build_transport_attempt(const lpc_value *f, lpc_value **out, lpc_referr *err)
{
    av2_text rid, purpose, method, host;
    lp_code rc;
    *out = NULL;
    av2_text_of(lpc_get(f, "request_id"), AV2_STRIP | AV2_LOWER, &rid);
    if (!is_hex_len(&rid, 32, 32)) return av2_fail(err, "request_id must be 16-byte lowercase hex");
    if ((rc = av2_identifier_item(lpc_get(f, "purpose"), NULL, 0, "purpose", &purpose, err))) return rc;
    if (!purpose_of_any_role(purpose.b, purpose.n)) return av2_fail(err, "transport purpose is unsupported");
    if (!is_nonneg_int(lpc_get(f, "attempt_number"))) return av2_fail(err, "attempt_number must be non-negative");
    av2_text_of(lpc_get(f, "method"), AV2_STRIP | AV2_UPPER, &method);
    if (!is_method(&method)) return av2_fail(err, "transport method is invalid");
    av2_text_of(lpc_get(f, "destination_host"), AV2_STRIP | AV2_RSTRIP_DOT | AV2_LOWER, &host);
    if (!is_host(&host)) return av2_fail(err, "destination_host must be a public DNS name");
    if (!port_is_443(lpc_get(f, "destination_port"))) return av2_fail(err, "external attested transport requires port 443");
    if (!is_pos_int(lpc_get(f, "timeout_ms"))) return av2_fail(err, "timeout_ms must be positive");
    const lpc_value *terminal = lpc_get(f, "terminal_status");
    int found;
    if ((rc = in_str_set(terminal, k_terminal_statuses, &found, err))) return rc;
    if (!found) return av2_fail(err, "transport terminal_status is invalid");

    builder b;
    lpc_value *body = NULL;
    if (builder_start(&b, err)) return b.rc;
    put_cstr(&b, "schema_version", LPC_AV2_TRANSPORT_ATTEMPT_SCHEMA);
    /* the request descriptor, in its key order; hashed from a copy below */
    put_text(&b, "request_id", &rid);
    put_ident(&b, "logical_operation_id", lpc_get(f, "logical_operation_id"), "logical_operation_id");
    put_ident(&b, "job_id", lpc_get(f, "job_id"), "job_id");
    put_text(&b, "purpose", &purpose);
    put_ident(&b, "provider_id", lpc_get(f, "provider_id"), "provider_id");
    put_clone(&b, "attempt_number", lpc_get(f, "attempt_number"));
    put_text(&b, "method", &method);
    put_text(&b, "destination_host", &host);
    put_clone(&b, "destination_port", lpc_get(f, "destination_port"));
    put_hash(&b, "path_hash", lpc_get(f, "path_hash"), "path_hash");
    put_hash(&b, "nonsecret_headers_hash", lpc_get(f, "nonsecret_headers_hash"), "nonsecret_headers_hash");
    put_hash(&b, "body_hash", lpc_get(f, "body_hash"), "body_hash");
    put_hash(&b, "credential_ref_hash", lpc_get(f, "credential_ref_hash"), "credential_ref_hash");
    if (!b.rc) {
        const lpc_value *egress = lpc_get(f, "egress_proxy_ref_hash");
        if (lpc_py_truthy(egress)) {
            put_hash(&b, "egress_proxy_ref_hash", egress, "egress_proxy_ref_hash");
        } else {
            put_cstr(&b, "egress_proxy_ref_hash", LPC_AV2_DIRECT_EGRESS_REF_HASH);
        }
    }
    put_hash(&b, "retry_policy_hash", lpc_get(f, "retry_policy_hash"), "retry_policy_hash");
    put_clone(&b, "timeout_ms", lpc_get(f, "timeout_ms"));
    put_timestamp(&b, "started_at", lpc_get(f, "started_at"), "started_at");
    if (!b.rc) {
        /* request_hash = sha256_json(descriptor): everything so far but schema_version */
        char h[LPC_AV2_REF_SIZE];
        lpc_value *desc = lpc_new_object();
        for (size_t i = 1; desc && i < b.obj->u.o.n; i++) {
            lpc_value *c = NULL;
            if (lpc_clone(b.obj->u.o.items[i].val, &c) != LPC_OK ||
                lpc_object_set(desc, b.obj->u.o.items[i].key, b.obj->u.o.items[i].klen, c) != LPC_OK) {
                lpc_free(desc);
                desc = NULL;
            }
        }
        if (!desc) b.rc = av2_nomem(err);
        else if (!(b.rc = av2_sha256_json(desc, h, err))) put_cstr(&b, "request_hash", h);
        lpc_free(desc);
    }
    put_hash(&b, "request_artifact_hash", lpc_get(f, "request_artifact_hash"), "request_artifact_hash");
    put_clone(&b, "terminal_status", terminal);
    put_clone(&b, "http_status", lpc_get(f, "http_status"));
    const lpc_value *http = lpc_get(f, "http_status"), *resp = lpc_get(f, "response_hash"),
                    *rart = lpc_get(f, "response_artifact_hash"), *tls = lpc_get(f, "tls_peer_chain_hash"),
                    *proto = lpc_get(f, "tls_protocol"), *fc = lpc_get(f, "failure_code");
    if (b.rc) goto done;
    if (!str_value_eq(terminal, "transport_failure")) {
        if (!http_status_ok(http)) { b.rc = av2_fail(err, "authenticated response needs HTTP status"); goto done; }
        put_hash(&b, "response_hash", resp, "response_hash");
        put_hash(&b, "response_artifact_hash", rart, "response_artifact_hash");
        if (str_value_eq(terminal, "authenticated_response")) {
            put_hash(&b, "tls_peer_chain_hash", tls, "tls_peer_chain_hash");
            put_ident(&b, "tls_protocol", proto, "tls_protocol");
        } else if (!b.rc) {
            if (!is_none_or_empty(tls) || !is_none_or_empty(proto)) {
                b.rc = av2_fail(err, "attested local response cannot claim provider TLS");
                goto done;
            }
            put(&b, "tls_peer_chain_hash", lpc_new_null());
            put(&b, "tls_protocol", lpc_new_null());
        }
        if (b.rc) goto done;
        if (!is_none_or_empty(fc)) { b.rc = av2_fail(err, "authenticated response cannot have failure_code"); goto done; }
        put(&b, "failure_code", lpc_new_null());
    } else {
        if (http && http->type != LPC_NULL) { b.rc = av2_fail(err, "transport failure cannot claim an HTTP status"); goto done; }
        if (!is_none_or_empty(resp)) { b.rc = av2_fail(err, "transport failure cannot claim response_hash"); goto done; }
        if (!is_none_or_empty(rart)) { b.rc = av2_fail(err, "transport failure cannot claim response artifact"); goto done; }
        put(&b, "response_hash", lpc_new_null());
        put(&b, "response_artifact_hash", lpc_new_null());
        if (!is_none_or_empty(tls)) put_hash(&b, "tls_peer_chain_hash", tls, "tls_peer_chain_hash");
        else put(&b, "tls_peer_chain_hash", lpc_new_null());
        if (!is_none_or_empty(proto)) put_ident(&b, "tls_protocol", proto, "tls_protocol");
        else put(&b, "tls_protocol", lpc_new_null());
        if (b.rc) goto done;
        av2_text fct;
        av2_text_of(fc, 0, &fct);
        if (!in_list(k_failure_codes, fct.b, fct.n)) { b.rc = av2_fail(err, "transport failure_code is invalid"); goto done; }
        put_text(&b, "failure_code", &fct);
    }
    put_timestamp(&b, "completed_at", lpc_get(f, "completed_at"), "completed_at");
    if (b.rc) goto done;
    {
        /* attempt_hash = sha256_json(attempt_body) (key order is immaterial: CS-U sorts) */
        char h[LPC_AV2_REF_SIZE];
        if ((b.rc = av2_sha256_json(b.obj, h, err))) goto done;
        put_cstr(&b, "attempt_hash", h);
        if (b.rc) goto done;
        body = b.obj;
        b.obj = NULL;
    }
done:
    lpc_free(b.obj);
    if (b.rc) { lpc_free(body); return b.rc; }
    *out = body;
    return LP_CODE_OK;
}

lp_code lpc_av2_validate_transport_attempt(const lpc_value *attempt, lpc_referr *err)
{
    lp_code rc;
    lpc_value *rebuilt = NULL;
    if ((rc = av2_exact_fields(attempt, k_transport_fields, N_TRANSPORT, "transport attempt", err))) return rc;
    if ((rc = lpc_av2_build_transport_attempt(attempt, &rebuilt, err))) return rc;
    if (!eq_on_keys(attempt, rebuilt)) rc = av2_fail(err, "transport attempt is not canonical");
    lpc_free(rebuilt);
    return rc;
}

/* ---- host operation records (attested_v2.py:1006-1250; §2: absent from weight graphs) ---- */

static const char *const k_hop_request_body_fields[] = {
    "schema_version", "job_id", "purpose", "operation", "sequence", "payload_hash", "expected_state_hash",
    "boot_identity_hash", "request_nonce", "issued_at", "expires_at"};
#define N_HOP_REQUEST_BODY 11
static const char *const k_hop_request_fields[] = {
    "schema_version", "job_id", "purpose", "operation", "sequence", "payload_hash", "expected_state_hash",
    "boot_identity_hash", "request_nonce", "issued_at", "expires_at", "request_hash", "enclave_pubkey",
    "enclave_signature"};
#define N_HOP_REQUEST 14
static const char *const k_hop_terminal_body_fields[] = {
    "schema_version", "request_hash", "job_id", "purpose", "operation", "sequence", "terminal_status",
    "response_hash", "failure_code", "completed_at"};
#define N_HOP_TERMINAL_BODY 10
static const char *const k_hop_terminal_fields[] = {
    "schema_version", "request_hash", "job_id", "purpose", "operation", "sequence", "terminal_status",
    "response_hash", "failure_code", "completed_at", "terminal_hash", "enclave_pubkey", "enclave_signature"};
#define N_HOP_TERMINAL 13
static const char *const k_hop_record_fields[] = {"request", "terminal"};
static const char *const k_hop_statuses[] = {"succeeded", "failed", NULL};

/* Python str > str: code-point order, which is WTF-8 byte order */
static int text_gt(const av2_text *a, const av2_text *b)
{
    size_t n = a->n < b->n ? a->n : b->n;
    int c = memcmp(a->b, b->b, n);
    return c > 0 || (c == 0 && a->n > b->n);
}

static lp_code hop_purpose(const lpc_value *f, av2_text *purpose, lpc_referr *err)
{
    lp_code rc;
    if ((rc = av2_identifier_item(lpc_get(f, "purpose"), NULL, 0, "purpose", purpose, err))) return rc;
    if (!purpose_of_any_role(purpose->b, purpose->n)) return av2_fail(err, "host operation purpose is unsupported");
    if (!is_nonneg_int(lpc_get(f, "sequence"))) return av2_fail(err, "host operation sequence is invalid");
    return LP_CODE_OK;
}

static lp_code build_hop_request_body(const lpc_value *f, lpc_value **out, lpc_referr *err)
{
    av2_text purpose, nonce, issued, expires;
    lp_code rc;
    *out = NULL;
    if ((rc = hop_purpose(f, &purpose, err))) return rc;
    av2_text_of(lpc_get(f, "request_nonce"), AV2_STRIP | AV2_LOWER, &nonce);
    if (!is_hex_len(&nonce, 32, 64)) return av2_fail(err, "host operation nonce is invalid");
    av2_text_of(lpc_get(f, "issued_at"), 0, &issued);
    if (!is_timestamp(&issued)) return av2_fail(err, "issued_at must be RFC3339 UTC seconds");
    av2_text_of(lpc_get(f, "expires_at"), 0, &expires);
    if (!is_timestamp(&expires)) return av2_fail(err, "expires_at must be RFC3339 UTC seconds");
    if (!text_gt(&expires, &issued)) return av2_fail(err, "host operation request must expire");
    builder b;
    if (builder_start(&b, err)) return b.rc;
    put_cstr(&b, "schema_version", "leadpoet.host_operation_request.v2");
    put_ident(&b, "job_id", lpc_get(f, "job_id"), "job_id");
    put_text(&b, "purpose", &purpose);
    put_ident(&b, "operation", lpc_get(f, "operation"), "operation");
    put_clone(&b, "sequence", lpc_get(f, "sequence"));
    put_hash(&b, "payload_hash", lpc_get(f, "payload_hash"), "payload_hash");
    put_hash(&b, "expected_state_hash", lpc_get(f, "expected_state_hash"), "expected_state_hash");
    put_hash(&b, "boot_identity_hash", lpc_get(f, "boot_identity_hash"), "boot_identity_hash");
    put_text(&b, "request_nonce", &nonce);
    put_text(&b, "issued_at", &issued);
    put_text(&b, "expires_at", &expires);
    return builder_finish(&b, out);
}

static lp_code build_hop_terminal_body(const lpc_value *f, lpc_value **out, lpc_referr *err)
{
    av2_text purpose, resp, failure;
    lp_code rc;
    int found, has_resp = 0;
    *out = NULL;
    if ((rc = hop_purpose(f, &purpose, err))) return rc;
    const lpc_value *status = lpc_get(f, "terminal_status"), *rh = lpc_get(f, "response_hash"),
                    *fc = lpc_get(f, "failure_code");
    if ((rc = in_str_set(status, k_hop_statuses, &found, err))) return rc;
    if (!found) return av2_fail(err, "host operation terminal status is invalid");
    int ok = str_value_eq(status, "succeeded");
    if (ok) {
        if ((rc = av2_hash_item(rh, NULL, 0, "response_hash", &resp, err))) return rc;
        has_resp = 1;
        if (!is_none_or_empty(fc)) return av2_fail(err, "successful host operation cannot have failure");
    } else {
        if (!is_none_or_empty(rh)) {
            if ((rc = av2_hash_item(rh, NULL, 0, "response_hash", &resp, err))) return rc;
            has_resp = 1;
        }
        if ((rc = av2_identifier_item(fc, NULL, 0, "failure_code", &failure, err))) return rc;
    }
    builder b;
    if (builder_start(&b, err)) return b.rc;
    put_cstr(&b, "schema_version", "leadpoet.host_operation_terminal.v2");
    put_hash(&b, "request_hash", lpc_get(f, "request_hash"), "request_hash");
    put_ident(&b, "job_id", lpc_get(f, "job_id"), "job_id");
    put_text(&b, "purpose", &purpose);
    put_ident(&b, "operation", lpc_get(f, "operation"), "operation");
    put_clone(&b, "sequence", lpc_get(f, "sequence"));
    put_clone(&b, "terminal_status", status);
    if (has_resp) put_text(&b, "response_hash", &resp);
    else put(&b, "response_hash", lpc_new_null());
    if (ok) put(&b, "failure_code", lpc_new_null());
    else put_text(&b, "failure_code", &failure);
    put_timestamp(&b, "completed_at", lpc_get(f, "completed_at"), "completed_at");
    return builder_finish(&b, out);
}

/* The validate_signed_* pattern shared by host operation requests and terminals. */
static lp_code validate_signed_hop(const lpc_value *v, const char *const *fields, size_t nf,
                                   const char *const *body_fields, size_t nb, const char *label,
                                   lp_code (*build)(const lpc_value *, lpc_value **, lpc_referr *),
                                   const char *not_canonical, const char *hash_key, const char *hash_msg,
                                   lpc_referr *err)
{
    lp_code rc;
    lpc_value *body = NULL, *rebuilt = NULL;
    char expected[LPC_AV2_REF_SIZE];
    if ((rc = av2_exact_fields(v, fields, nf, label, err))) return rc;
    if ((rc = build(v, &rebuilt, err))) return rc;
    if (!eq_on_keys(v, rebuilt)) { rc = av2_fail(err, not_canonical); goto out; }
    if ((rc = subset(v, body_fields, nb, &body, err))) goto out;
    if ((rc = av2_sha256_json(body, expected, err))) goto out;
    if (!str_value_eq(lpc_get(v, hash_key), expected)) { rc = av2_fail(err, hash_msg); goto out; }
    rc = signed_digest_check(v, expected, 1, err);
out:
    lpc_free(body);
    lpc_free(rebuilt);
    return rc;
}

lp_code lpc_av2_validate_host_operation_record(const lpc_value *record, lpc_referr *err)
{
    lp_code rc;
    if ((rc = av2_exact_fields(record, k_hop_record_fields, 2, "host operation record", err))) return rc;
    const lpc_value *req = lpc_get(record, "request"), *term = lpc_get(record, "terminal");
    if (req->type != LPC_OBJECT) return av2_fail(err, "host operation request is missing");
    if (term->type != LPC_OBJECT) return av2_fail(err, "host operation terminal is missing");
    if ((rc = validate_signed_hop(req, k_hop_request_fields, N_HOP_REQUEST, k_hop_request_body_fields,
                                  N_HOP_REQUEST_BODY, "signed host operation request", build_hop_request_body,
                                  "host operation request body is not canonical", "request_hash",
                                  "host operation request hash mismatch", err)))
        return rc;
    if ((rc = validate_signed_hop(term, k_hop_terminal_fields, N_HOP_TERMINAL, k_hop_terminal_body_fields,
                                  N_HOP_TERMINAL_BODY, "signed host operation terminal", build_hop_terminal_body,
                                  "host operation terminal body is not canonical", "terminal_hash",
                                  "host operation terminal hash mismatch", err)))
        return rc;
    static const char *const ties[] = {"job_id", "purpose", "operation", "sequence"};
    for (size_t i = 0; i < 4; i++)
        if (!lpc_py_eq(lpc_get(req, ties[i]), lpc_get(term, ties[i])))
            return av2_failf(err, "host operation terminal differs from request at %s", ties[i]);
    if (!lpc_py_eq(lpc_get(term, "request_hash"), lpc_get(req, "request_hash")))
        return av2_fail(err, "host operation terminal request hash mismatch");
    if (!lpc_py_eq(lpc_get(term, "enclave_pubkey"), lpc_get(req, "enclave_pubkey")))
        return av2_fail(err, "host operation terminal key mismatch");
    return LP_CODE_OK;
}

/* ---- refcall adapters (lpc_refcall.h): attested_v2.<function>(*args, **kwargs) ---- */

/* Python's argument binding for f(pos, *, kw...): TypeError (LP_CODE_BAD_ARGUMENT) on a
 * wrong call.  required_kw names a keyword-only argument without default, or NULL. */
static lp_code bind_call(const char *fn, const lpc_value *args, const lpc_value *kwargs, const char *pos,
                         const char *const *kwonly, const char *required_kw, lpc_referr *err)
{
    size_t npos = args && args->type == LPC_ARRAY ? args->u.a.n : 0;
    if (args && args->type != LPC_ARRAY)
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "%s() arguments must be a list", fn);
    if (npos > 1)
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError",
                              "%s() takes 1 positional argument but %zu were given", fn, npos);
    if (kwargs && kwargs->type != LPC_OBJECT)
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError", "%s() keyword arguments must be a dict", fn);
    for (size_t i = 0; kwargs && i < kwargs->u.o.n; i++) {
        const char *k = kwargs->u.o.items[i].key;
        if (strcmp(k, pos) == 0) {
            if (npos)
                return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError",
                                      "%s() got multiple values for argument '%s'", fn, pos);
            continue;
        }
        int ok = 0;
        for (const char *const *w = kwonly; *w; w++) ok |= strcmp(k, *w) == 0;
        if (!ok)
            return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError",
                                  "%s() got an unexpected keyword argument '%s'", fn, k);
    }
    if (!npos && !lpc_get(kwargs, pos))
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError",
                              "%s() missing 1 required positional argument: '%s'", fn, pos);
    if (required_kw && !lpc_get(kwargs, required_kw))
        return lpc_referr_set(err, LP_CODE_BAD_ARGUMENT, "TypeError",
                              "%s() missing 1 required keyword-only argument: '%s'", fn, required_kw);
    return LP_CODE_OK;
}

static const char *const k_no_kw[] = {NULL};

static lp_code none_result(lp_code rc, lpc_value **result, lpc_referr *err)
{
    if (rc) return rc;
    *result = lpc_new_null();
    return *result ? LP_CODE_OK : av2_nomem(err);
}

static lp_code ref_merkle_root(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    static const char *const kw[] = {"domain", NULL};
    char root[LPC_AV2_REF_SIZE];
    lp_code rc;
    *result = NULL;
    if ((rc = bind_call("merkle_root", args, kwargs, "hashes", kw, "domain", err))) return rc;
    if ((rc = lpc_av2_merkle_root(lpc_refcall_arg(args, kwargs, 0, "hashes"), lpc_get(kwargs, "domain"), root, err)))
        return rc;
    *result = lpc_new_str(root, 71);
    return *result ? LP_CODE_OK : av2_nomem(err);
}

static lp_code ref_validate_receipt(const lpc_value *args, const lpc_value *kwargs, lpc_value **result,
                                    lpc_referr *err)
{
    static const char *const kw[] = {"verify_signature", NULL};
    lp_code rc;
    *result = NULL;
    if ((rc = bind_call("validate_signed_execution_receipt", args, kwargs, "receipt", kw, NULL, err))) return rc;
    const lpc_value *vs = lpc_get(kwargs, "verify_signature");
    int verify = vs ? lpc_py_truthy(vs) : 1;
    return none_result(lpc_av2_validate_signed_execution_receipt(lpc_refcall_arg(args, kwargs, 0, "receipt"), verify, err),
                       result, err);
}

static lp_code ref_validate_boot(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    lp_code rc;
    *result = NULL;
    if ((rc = bind_call("validate_boot_identity", args, kwargs, "identity", k_no_kw, NULL, err))) return rc;
    return none_result(lpc_av2_validate_boot_identity(lpc_refcall_arg(args, kwargs, 0, "identity"), err), result, err);
}

static lp_code ref_boot_claim(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    lp_code rc;
    *result = NULL;
    if ((rc = bind_call("build_boot_attestation_claim", args, kwargs, "identity", k_no_kw, NULL, err))) return rc;
    return lpc_av2_build_boot_attestation_claim(lpc_refcall_arg(args, kwargs, 0, "identity"), result, err);
}

static lp_code ref_boot_user_data(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    lp_code rc;
    *result = NULL;
    if ((rc = bind_call("build_boot_attestation_user_data", args, kwargs, "identity", k_no_kw, NULL, err))) return rc;
    return lpc_av2_build_boot_attestation_user_data(lpc_refcall_arg(args, kwargs, 0, "identity"), result, err);
}

static lp_code ref_validate_attempt(const lpc_value *args, const lpc_value *kwargs, lpc_value **result,
                                    lpc_referr *err)
{
    lp_code rc;
    *result = NULL;
    if ((rc = bind_call("validate_transport_attempt", args, kwargs, "attempt", k_no_kw, NULL, err))) return rc;
    return none_result(lpc_av2_validate_transport_attempt(lpc_refcall_arg(args, kwargs, 0, "attempt"), err), result, err);
}

static lp_code ref_validate_graph(const lpc_value *args, const lpc_value *kwargs, lpc_value **result, lpc_referr *err)
{
    static const char *const kw[] = {"required_purposes", "require_success", "allowed_failed_receipt_hashes",
                                     "boot_attestation_verifier", "require_boot_attestation_verification", NULL};
    lp_code rc;
    *result = NULL;
    if ((rc = bind_call("validate_receipt_graph", args, kwargs, "graph", kw, NULL, err))) return rc;
    const lpc_value *verifier = lpc_get(kwargs, "boot_attestation_verifier");
    if (verifier && verifier->type != LPC_NULL)
        return lpc_referr_set(err, LP_CODE_UNSUPPORTED, "Unsupported", "boot_attestation_verifier is not supported");
    lpc_av2_graph_opts o = lpc_av2_graph_opts_default();
    const lpc_value *v;
    o.required_purposes = lpc_get(kwargs, "required_purposes");
    o.allowed_failed_receipt_hashes = lpc_get(kwargs, "allowed_failed_receipt_hashes");
    if ((v = lpc_get(kwargs, "require_success"))) o.require_success = lpc_py_truthy(v);
    if ((v = lpc_get(kwargs, "require_boot_attestation_verification")))
        o.require_boot_attestation_verification = lpc_py_truthy(v);
    return lpc_av2_validate_receipt_graph(lpc_refcall_arg(args, kwargs, 0, "graph"), &o, result, err);
}

const lpc_refcall_entry lpc_refcall_attested_v2[] = {
    {"attested_v2.merkle_root", ref_merkle_root},
    {"attested_v2.validate_signed_execution_receipt", ref_validate_receipt},
    {"attested_v2.validate_boot_identity", ref_validate_boot},
    {"attested_v2.build_boot_attestation_claim", ref_boot_claim},
    {"attested_v2.build_boot_attestation_user_data", ref_boot_user_data},
    {"attested_v2.validate_transport_attempt", ref_validate_attempt},
    {"attested_v2.validate_receipt_graph", ref_validate_graph},
    {NULL, NULL},
};
