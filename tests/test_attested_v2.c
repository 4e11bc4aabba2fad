/* attested_v2 primitives against vectors/leadpoet-v2/weights_v2.json (spec
 * leadpoet-weights-v2.md §3, §7): every attested_v2_primitives case (Merkle roots,
 * empty roots, execution receipts, boot identities with their claims and NSM
 * user_data, transport attempts), the receipt graph of every published bundle (valid
 * post-orders, the graph-step tampered messages, later-step bundles whose graphs are
 * valid), the refcall adapters, and hostile inputs (wrong types in every field, a deep
 * signed chain, non-iterables). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_attested_v2.h"
#include "canonical/lpc_buf.h"
#include "canonical/lpc_codec.h"
#include "canonical/lpc_dump.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_parse.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_refcall.h"
#include "canonical/lpc_v2_common.h"
#include "tests/lp_test.h"

#define VEC "leadpoet-v2/weights_v2.json"

static const lpc_value *prim(const lpc_value *doc, const char *k)
{
    const lpc_value *v = lp_field(lp_field(doc, "attested_v2_primitives"), k);
    return v;
}

static char *cs_u(const lpc_value *v)
{
    lpc_buf b = {0};
    ck_assert_int_eq(lpc_dump(v, LPC_PROFILE_CS_U_NONAN, &b), LPC_OK);
    return (char *)b.ptr;
}

/* The outcome against the vector's `error` ({type, message} or null). */
static void check_outcome(lp_code rc, const lpc_referr *err, const lpc_value *want, const char *what)
{
    if (!want || want->type == LPC_NULL) {
        ck_assert_msg(rc == LP_CODE_OK, "%s: unexpected %s: %s", what, err->type, err->message);
        return;
    }
    ck_assert_msg(rc != LP_CODE_OK, "%s: accepted, want %s", what, lp_field_str(want, "message"));
    ck_assert_str_eq(err->type, lp_field_str(want, "type"));
    ck_assert_msg(strcmp(err->message, lp_field_str(want, "message")) == 0, "%s: got '%s' want '%s'", what,
                  err->message, lp_field_str(want, "message"));
    if (strcmp(err->type, "AttestedV2Error") == 0) ck_assert_int_eq(rc, LP_CODE_ATTESTED_V2_ERROR);
}

static lpc_value *parse_text(const char *s)
{
    lpc_value *v = NULL;
    size_t off = 0;
    ck_assert_int_eq(lpc_parse((const uint8_t *)s, strlen(s), &v, &off), LPC_OK);
    return v;
}

START_TEST(merkle_roots)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *cs = prim(doc, "merkle_root");
    ck_assert_uint_eq(cs->u.a.n, 14);
    for (size_t i = 0; i < cs->u.a.n; i++) {
        const lpc_value *c = lpc_at(cs, i);
        char root[LPC_AV2_REF_SIZE];
        lpc_referr err;
        lpc_referr_clear(&err);
        lp_code rc = lpc_av2_merkle_root(lp_field(c, "items"), lp_field(c, "domain"), root, &err);
        char what[64];
        snprintf(what, sizeof what, "merkle case %zu", i);
        check_outcome(rc, &err, lpc_get(c, "error"), what);
        if (rc == LP_CODE_OK) ck_assert_str_eq(root, lp_field_str(c, "root"));
    }
    lpc_free(doc);
}
END_TEST

START_TEST(empty_roots_and_constants)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *er = prim(doc, "empty_roots");
    static const struct { const char *key, *domain, *macro; } k[] = {
        {"EMPTY_TRANSPORT_ROOT", LPC_AV2_DOMAIN_TRANSPORT, LPC_AV2_EMPTY_TRANSPORT_ROOT},
        {"EMPTY_ARTIFACT_ROOT", LPC_AV2_DOMAIN_ARTIFACT, LPC_AV2_EMPTY_ARTIFACT_ROOT},
        {"EMPTY_HOST_OPERATION_ROOT", LPC_AV2_DOMAIN_HOST_OPERATION, LPC_AV2_EMPTY_HOST_OPERATION_ROOT},
    };
    lpc_value *empty = lpc_new_array();
    for (size_t i = 0; i < 3; i++) {
        char root[LPC_AV2_REF_SIZE];
        lpc_referr err;
        lpc_value *dom = lpc_new_str(k[i].domain, strlen(k[i].domain));
        ck_assert_int_eq(lpc_av2_merkle_root(empty, dom, root, &err), LP_CODE_OK);
        ck_assert_str_eq(root, lp_field_str(er, k[i].key));
        ck_assert_str_eq(root, k[i].macro);
        lpc_free(dom);
    }
    /* a padded domain is stripped; "" iterates to nothing */
    {
        char root[LPC_AV2_REF_SIZE];
        lpc_referr err;
        lpc_value *dom = lpc_new_str(" leadpoet-transport-v2\n", 23), *s = lpc_new_str("", 0);
        ck_assert_int_eq(lpc_av2_merkle_root(s, dom, root, &err), LP_CODE_OK);
        ck_assert_str_eq(root, LPC_AV2_EMPTY_TRANSPORT_ROOT);
        lpc_free(dom);
        lpc_free(s);
    }
    /* a long string iterates to characters: the first one fails, no size limit applies */
    {
        char root[LPC_AV2_REF_SIZE];
        lpc_referr err;
        size_t n = (size_t)3 << 20;
        char *big = malloc(n);
        ck_assert_ptr_nonnull(big);
        memset(big, 'a', n);
        lpc_value *dom = lpc_new_str(LPC_AV2_DOMAIN_ARTIFACT, strlen(LPC_AV2_DOMAIN_ARTIFACT)), *s = lpc_new_str(big, n);
        free(big);
        ck_assert_int_eq(lpc_av2_merkle_root(s, dom, root, &err), LP_CODE_ATTESTED_V2_ERROR);
        ck_assert_str_eq(err.message, "merkle item must be sha256:<64 lowercase hex>");
        lpc_free(dom);
        lpc_free(s);
    }
    lpc_free(empty);
    lpc_value *egress = parse_text("{\"schema_version\":\"leadpoet.egress_route.v2\",\"route\":\"direct\"}");
    char h[LPC_AV2_REF_SIZE];
    lpc_referr err;
    ck_assert_int_eq(lpc_v2_sha256_json(egress, h, &err), LP_CODE_OK);
    ck_assert_str_eq(h, lp_field_str(er, "DIRECT_EGRESS_REF_HASH"));
    ck_assert_str_eq(h, LPC_AV2_DIRECT_EGRESS_REF_HASH);
    lpc_free(egress);
    lpc_free(doc);
}
END_TEST

START_TEST(common_patterns)
{
    ck_assert(lpc_v2_is_sha256_ref(LPC_AV2_EMPTY_ARTIFACT_ROOT, 71));
    ck_assert(!lpc_v2_is_sha256_ref("SHA256:787014e86f46cb11d352bac2eb4ff56922666d4d2ab237056c9d9d1b4cb768fd", 71));
    ck_assert(!lpc_v2_is_sha256_ref("sha256:787014E86f46cb11d352bac2eb4ff56922666d4d2ab237056c9d9d1b4cb768fd", 71));
    ck_assert(lpc_v2_is_identifier("a", 1));
    ck_assert(lpc_v2_is_identifier("weight-input:champions:24356/x_y.z", 34));
    ck_assert(!lpc_v2_is_identifier("-a", 2));
    ck_assert(!lpc_v2_is_identifier("a b", 3));
    ck_assert(!lpc_v2_is_identifier("a\0b", 3));
    char big[258];
    memset(big, 'a', sizeof big);
    ck_assert(lpc_v2_is_identifier(big, 256));
    ck_assert(!lpc_v2_is_identifier(big, 257));
    /* sha256_json refusals: NaN (json.dumps) and lone surrogates (.encode("utf-8")) */
    static const struct { const char *json, *type, *msg; } bad[] = {
        {"{\"a\":NaN}", "ValueError", "Out of range float values are not JSON compliant"},
        {"{\"a\":\"x\\ud800\"}", "UnicodeEncodeError",
         "'utf-8' codec can't encode character '\\ud800' in position 7: surrogates not allowed"},
        {"{\"a\":\"x\\udc00\\ud800y\", \"b\":\"\\ud801\"}", "UnicodeEncodeError",
         "'utf-8' codec can't encode characters in position 7-8: surrogates not allowed"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lpc_value *v = parse_text(bad[i].json);
        char h[LPC_AV2_REF_SIZE];
        lpc_referr err;
        ck_assert_int_eq(lpc_v2_sha256_json(v, h, &err), LP_CODE_PYTHON_VALUE_ERROR);
        ck_assert_str_eq(err.type, bad[i].type);
        ck_assert_str_eq(err.message, bad[i].msg);
        lpc_free(v);
    }
    ck_assert(lpc_v2_is_commit_sha("f040ef5047979578b7a9b095eca5dfebd1723d07", 40));
    ck_assert(!lpc_v2_is_commit_sha("F040ef5047979578b7a9b095eca5dfebd1723d07", 40));
    ck_assert(!lpc_v2_is_commit_sha("f040ef5047979578b7a9b095eca5dfebd1723d0", 39));
}
END_TEST

static const char *const k_body_fields[] = {
    "schema_version", "role", "purpose", "job_id", "epoch_id", "sequence", "commit_sha", "pcr0",
    "build_manifest_hash", "dependency_lock_hash", "config_hash", "boot_identity_hash", "input_root",
    "output_root", "transport_root", "host_operation_root", "artifact_root", "parent_receipt_hashes",
    "status", "failure_code", "issued_at"};

START_TEST(execution_receipts)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *cs = prim(doc, "execution_receipts");
    ck_assert_uint_eq(cs->u.a.n, 7);
    for (size_t i = 0; i < cs->u.a.n; i++) {
        const lpc_value *c = lpc_at(cs, i);
        const lpc_value *r = lp_field(c, "receipt");
        lpc_referr err;
        lpc_referr_clear(&err);
        lp_code rc = lpc_av2_validate_signed_execution_receipt(r, 1, &err);
        check_outcome(rc, &err, lpc_get(c, "error"), lp_field_str(c, "name"));
        const lpc_value *bcj = lpc_get(c, "body_canonical_json");
        if (bcj && bcj->type == LPC_STR) {
            lpc_value *body = lpc_new_object(), *rebuilt = NULL;
            for (size_t k = 0; k < 21; k++) {
                lpc_value *cl = NULL;
                ck_assert_int_eq(lpc_clone(lp_field(r, k_body_fields[k]), &cl), LPC_OK);
                ck_assert_int_eq(lpc_object_set(body, k_body_fields[k], strlen(k_body_fields[k]), cl), LPC_OK);
            }
            char *t = cs_u(body);
            ck_assert_str_eq(t, bcj->u.s.ptr);
            free(t);
            ck_assert_int_eq(lpc_av2_build_execution_receipt_body(r, &rebuilt, &err), LP_CODE_OK);
            t = cs_u(rebuilt);
            ck_assert_str_eq(t, bcj->u.s.ptr);
            free(t);
            char h[LPC_AV2_REF_SIZE];
            ck_assert_int_eq(lpc_v2_sha256_json(rebuilt, h, &err), LP_CODE_OK);
            ck_assert_str_eq(h, lp_field_str(r, "receipt_hash"));
            lpc_free(body);
            lpc_free(rebuilt);
        }
        /* without the signature check, only the signature case changes outcome */
        rc = lpc_av2_validate_signed_execution_receipt(r, 0, &err);
        if (strcmp(lp_field_str(c, "name"), "signature_over_other_digest") == 0) ck_assert_int_eq(rc, LP_CODE_OK);
    }
    lpc_free(doc);
}
END_TEST

START_TEST(boot_identities)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *cs = prim(doc, "boot_identities");
    ck_assert_uint_eq(cs->u.a.n, 4);
    for (size_t i = 0; i < cs->u.a.n; i++) {
        const lpc_value *c = lpc_at(cs, i);
        const lpc_value *id = lp_field(c, "identity");
        lpc_referr err;
        lpc_referr_clear(&err);
        lp_code rc = lpc_av2_validate_boot_identity(id, &err);
        check_outcome(rc, &err, lpc_get(c, "error"), lp_field_str(c, "name"));
        const lpc_value *bcj = lpc_get(c, "body_canonical_json");
        if (bcj && bcj->type == LPC_STR) {
            lpc_value *rebuilt = NULL;
            ck_assert_int_eq(lpc_av2_build_boot_identity_body(id, &rebuilt, &err), LP_CODE_OK);
            char *t = cs_u(rebuilt);
            ck_assert_str_eq(t, bcj->u.s.ptr);
            free(t);
            lpc_free(rebuilt);
        }
        const lpc_value *want_claim = lpc_get(c, "boot_attestation_claim");
        if (want_claim && want_claim->type == LPC_OBJECT) {
            lpc_value *claim = NULL, *ud = NULL;
            ck_assert_int_eq(lpc_av2_build_boot_attestation_claim(id, &claim, &err), LP_CODE_OK);
            char *a = cs_u(claim), *b = cs_u(want_claim);
            ck_assert_str_eq(a, b);
            free(a);
            free(b);
            ck_assert_int_eq(lpc_av2_build_boot_attestation_user_data(id, &ud, &err), LP_CODE_OK);
            const lpc_value *want_ud = lp_field(c, "boot_attestation_user_data");
            a = cs_u(ud);
            b = cs_u(want_ud);
            ck_assert_str_eq(a, b);
            free(a);
            free(b);
            /* attestation_user_data_hash = sha256_json(user_data) (§7.2) */
            char h[LPC_AV2_REF_SIZE];
            ck_assert_int_eq(lpc_v2_sha256_json(ud, h, &err), LP_CODE_OK);
            ck_assert_str_eq(h, lp_field_str(id, "attestation_user_data_hash"));
            lpc_free(claim);
            lpc_free(ud);
        }
    }
    lpc_free(doc);
}
END_TEST

START_TEST(transport_attempts)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *cs = prim(doc, "transport_attempts");
    ck_assert_uint_eq(cs->u.a.n, 4);
    for (size_t i = 0; i < cs->u.a.n; i++) {
        const lpc_value *c = lpc_at(cs, i);
        const lpc_value *a = lp_field(c, "attempt");
        lpc_referr err;
        lpc_referr_clear(&err);
        char what[64];
        snprintf(what, sizeof what, "attempt %zu", i);
        lp_code rc = lpc_av2_validate_transport_attempt(a, &err);
        check_outcome(rc, &err, lpc_get(c, "error"), what);
        const lpc_value *rdh = lpc_get(c, "request_descriptor_hash");
        if (rdh && rdh->type == LPC_STR) {
            lpc_value *rebuilt = NULL;
            ck_assert_str_eq(rdh->u.s.ptr, lp_field_str(a, "request_hash"));
            ck_assert_int_eq(lpc_av2_build_transport_attempt(a, &rebuilt, &err), LP_CODE_OK);
            ck_assert_str_eq(lp_field_str(rebuilt, "request_hash"), rdh->u.s.ptr);
            ck_assert_str_eq(lp_field_str(rebuilt, "attempt_hash"), lp_field_str(a, "attempt_hash"));
            ck_assert_uint_eq(rebuilt->u.o.n, 29);
            lpc_free(rebuilt);
        }
    }
    lpc_free(doc);
}
END_TEST

/* The 17 purposes validate_published_weight_bundle_v2 requires (weight_authority_v2.py:701-707). */
static lpc_value *required_purposes(void)
{
    return parse_text(
        "[\"research_lab.allocation.v2\",\"research_lab.champion_input.v2\",\"research_lab.reimbursement_input.v2\","
        "\"research_lab.source_add_reward_input.v2\",\"research_lab.fulfillment_input.v2\","
        "\"research_lab.leaderboard_input.v2\",\"research_lab.ban_input.v2\",\"research_lab.sourcing_input.v2\","
        "\"research_lab.anomaly_adjustment_input.v2\",\"validator.chain_state.v2\",\"validator.metagraph_state.v2\","
        "\"validator.burn_ownership.v2\",\"validator.feature_flags.v2\",\"validator.constants.v2\","
        "\"validator.weight_snapshot.v2\",\"validator.weights.computed.v2\",\"validator.hotkey_signature.v2\"]");
}

static lp_code graph_of(const lpc_value *bundle, const lpc_value *req, lpc_value **order, lpc_referr *err)
{
    lpc_av2_graph_opts o = lpc_av2_graph_opts_default();
    o.required_purposes = req;
    return lpc_av2_validate_receipt_graph(lp_field(bundle, "receipt_graph"), &o, order, err);
}

START_TEST(published_graphs_valid)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    lpc_value *req = required_purposes();
    const lpc_value *vs = lp_field(lp_field(doc, "published_weight_bundles_v2"), "valid");
    ck_assert_uint_eq(vs->u.a.n, 6);
    size_t with_order = 0, checked_ud = 0;
    for (size_t i = 0; i < vs->u.a.n; i++) {
        const lpc_value *c = lpc_at(vs, i);
        lpc_value *order = NULL;
        lpc_referr err;
        lpc_referr_clear(&err);
        lp_code rc = graph_of(lp_field(c, "bundle"), req, &order, &err);
        ck_assert_msg(rc == LP_CODE_OK, "%s: %s", lp_field_str(c, "name"), err.message);
        const lpc_value *want = lpc_get(c, "receipt_graph_post_order");
        if (want) {
            ck_assert_msg(lpc_py_eq(order, want), "%s: post-order differs", lp_field_str(c, "name"));
            with_order++;
        }
        /* the root is last; its hash is the verified root */
        const lpc_value *last = lpc_at(order, order->u.a.n - 1);
        ck_assert_str_eq(last->u.s.ptr, lp_field_str(lp_field(c, "verified"), "root_receipt_hash"));
        lpc_free(order);
        /* every boot's expected NSM user_data */
        const lpc_value *uds = lpc_get(c, "boot_attestation_user_data");
        const lpc_value *boots = lp_field(lp_field(lp_field(c, "bundle"), "receipt_graph"), "boot_identities");
        for (size_t k = 0; uds && k < uds->u.o.n; k++) {
            const lpc_value *w = uds->u.o.items[k].val;
            /* the boot of that key, when this graph holds it (two-boot graphs omit scoring) */
            for (size_t b = 0; b < boots->u.a.n; b++) {
                if (!lpc_py_eq(lp_field(lpc_at(boots, b), "signing_pubkey"), lp_field(w, "enclave_pubkey"))) continue;
                lpc_value *ud = NULL;
                ck_assert_int_eq(lpc_av2_build_boot_attestation_user_data(lpc_at(boots, b), &ud, &err), LP_CODE_OK);
                ck_assert_msg(lpc_py_eq(ud, w), "%s: user_data %s", lp_field_str(c, "name"), uds->u.o.items[k].key);
                lpc_free(ud);
                checked_ud++;
            }
        }
    }
    ck_assert_uint_eq(with_order, 5);
    ck_assert_uint_eq(checked_ud, 13);
    lpc_free(req);
    lpc_free(doc);
}
END_TEST

START_TEST(published_graphs_tampered)
{
    static const char prefix[] = "invalid V2 receipt graph: ";
    lpc_value *doc = lp_load_json_vector(VEC);
    lpc_value *req = required_purposes();
    const lpc_value *ts = lp_field(lp_field(doc, "published_weight_bundles_v2"), "tampered");
    ck_assert_uint_eq(ts->u.a.n, 37);
    size_t graph_cases = 0, later_cases = 0;
    for (size_t i = 0; i < ts->u.a.n; i++) {
        const lpc_value *c = lpc_at(ts, i);
        const char *step = lp_field_str(c, "step");
        const char *msg = lp_field_str(lp_field(c, "validate_error"), "message");
        const lpc_value *graph = lpc_get(lp_field(c, "bundle"), "receipt_graph");
        if (!graph) continue;
        lpc_value *order = NULL;
        lpc_referr err;
        lpc_referr_clear(&err);
        lp_code rc = graph_of(lp_field(c, "bundle"), req, &order, &err);
        if (strncmp(msg, prefix, sizeof prefix - 1) == 0) {
            ck_assert_msg(rc == LP_CODE_ATTESTED_V2_ERROR, "%s: accepted", lp_field_str(c, "name"));
            ck_assert_str_eq(err.type, "AttestedV2Error");
            ck_assert_msg(strcmp(err.message, msg + sizeof prefix - 1) == 0, "%s: got '%s' want '%s'",
                          lp_field_str(c, "name"), err.message, msg + sizeof prefix - 1);
            ck_assert_str_eq(step, "graph");
            graph_cases++;
        } else if (strcmp(step, "root") == 0 || strcmp(step, "inputs") == 0 || strcmp(step, "validator_chain") == 0 ||
                   strcmp(step, "binding") == 0 || strcmp(step, "weights_signature") == 0) {
            /* rejected after the graph check (§8.1 steps 5-12): the graph itself is valid */
            ck_assert_msg(rc == LP_CODE_OK, "%s: %s", lp_field_str(c, "name"), err.message);
            later_cases++;
        }
        lpc_free(order);
    }
    ck_assert_uint_eq(graph_cases, 8);
    ck_assert_uint_eq(later_cases, 19);
    lpc_free(req);
    lpc_free(doc);
}
END_TEST

/* A graph edited in the ways the reference names but no vector pins (§7.4). */
static lpc_value *first_graph(const lpc_value *doc)
{
    const lpc_value *vs = lp_field(lp_field(doc, "published_weight_bundles_v2"), "valid");
    lpc_value *g = NULL;
    ck_assert_int_eq(lpc_clone(lp_field(lp_field(lpc_at(vs, 0), "bundle"), "receipt_graph"), &g), LPC_OK);
    return g;
}

static void set_key(lpc_value *obj, const char *key, lpc_value *v)
{
    ck_assert_int_eq(lpc_object_set(obj, key, strlen(key), v), LPC_OK);
}

static void expect_graph_error(const lpc_value *g, const lpc_av2_graph_opts *o, const char *msg)
{
    lpc_value *order = NULL;
    lpc_referr err;
    lpc_referr_clear(&err);
    lp_code rc = lpc_av2_validate_receipt_graph(g, o, &order, &err);
    ck_assert_msg(rc != LP_CODE_OK, "accepted, want %s", msg);
    ck_assert_msg(strcmp(err.message, msg) == 0, "got '%s' want '%s'", err.message, msg);
    ck_assert_ptr_null(order);
}

START_TEST(graph_edits)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    lpc_value *g;

    g = first_graph(doc);
    set_key(g, "schema_version", lpc_new_str("leadpoet.attested_receipt_graph.V2", 34));
    expect_graph_error(g, NULL, "unsupported receipt graph schema");
    lpc_free(g);

    g = first_graph(doc);
    set_key(g, "extra", lpc_new_null());
    expect_graph_error(g, NULL, "receipt graph fields do not match canonical schema");
    lpc_free(g);

    g = first_graph(doc);
    set_key(g, "receipts", lpc_new_object());
    expect_graph_error(g, NULL, "receipts must be a list");
    lpc_free(g);

    g = first_graph(doc);
    set_key(g, "host_operations", parse_text("[{\"request\":null}]"));
    expect_graph_error(g, NULL, "host operation request is missing");
    lpc_free(g);

    g = first_graph(doc);
    set_key(g, "root_receipt_hash", lpc_new_str(LPC_AV2_EMPTY_ARTIFACT_ROOT, 71));
    expect_graph_error(g, NULL, "root receipt is missing");
    lpc_free(g);

    /* a duplicated boot, then a dropped attempt list */
    g = first_graph(doc);
    {
        lpc_value *boots = (lpc_value *)lpc_get(g, "boot_identities"), *cl = NULL;
        ck_assert_int_eq(lpc_clone(lpc_at(boots, 0), &cl), LPC_OK);
        ck_assert_int_eq(lpc_array_append(boots, cl), LPC_OK);
    }
    expect_graph_error(g, NULL, "boot identity is duplicated");
    lpc_free(g);

    g = first_graph(doc);
    set_key(g, "transport_attempts", lpc_new_array());
    expect_graph_error(g, NULL, "receipt transport root does not match terminal attempts");
    lpc_free(g);

    /* without required purposes the default call validates the whole graph */
    g = first_graph(doc);
    {
        lpc_value *order = NULL;
        lpc_referr err;
        ck_assert_int_eq(lpc_av2_validate_receipt_graph(g, NULL, &order, &err), LP_CODE_OK);
        ck_assert_uint_eq(order->u.a.n, lpc_get(g, "receipts")->u.a.n);
        lpc_free(order);
    }
    lpc_free(g);

    /* required purposes: one invalid, one absent, non-iterable */
    g = first_graph(doc);
    {
        lpc_av2_graph_opts o = lpc_av2_graph_opts_default();
        lpc_value *rp = parse_text("[\"validator.weight_snapshot.v2\", \" -bad\"]");
        o.required_purposes = rp;
        expect_graph_error(g, &o, "required purpose is invalid");
        lpc_free(rp);
        rp = parse_text("[\" validator.nothing.v2 \"]");
        o.required_purposes = rp;
        expect_graph_error(g, &o, "receipt graph is missing required purpose  validator.nothing.v2 ");
        lpc_free(rp);
        rp = lpc_new_int(5);
        o.required_purposes = rp;
        expect_graph_error(g, &o, "'int' object is not iterable");
        lpc_free(rp);
        o.required_purposes = NULL;
        rp = parse_text("[\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"]");
        o.allowed_failed_receipt_hashes = rp;
        expect_graph_error(g, &o, "allowed failed receipt is absent from graph");
        lpc_free(rp);
        rp = parse_text("[\"nope\"]");
        o.allowed_failed_receipt_hashes = rp;
        expect_graph_error(g, &o, "allowed_failed_receipt_hash must be sha256:<64 lowercase hex>");
        lpc_free(rp);
        o.allowed_failed_receipt_hashes = NULL;
        o.require_boot_attestation_verification = 1;
        expect_graph_error(g, &o, "boot attestation verifier is required");
    }
    lpc_free(g);
    lpc_free(doc);
}
END_TEST

/* ---- hostile inputs ---- */

static const char *const k_junk[] = {"null", "true", "false", "0", "-1", "1.5", "1e400", "\"\"", "\" \"",
                                     "[]", "[1]", "{}", "{\"a\":1}", "\"\\ud800\"", "\"sha256:\"",
                                     "12345678901234567890123456789012345678901234567890"};
#define N_JUNK (sizeof k_junk / sizeof k_junk[0])

/* Every field of obj replaced by each junk value: never OK, never a crash. */
static void junk_every_field(const lpc_value *obj, lp_code (*fn)(const lpc_value *, lpc_referr *))
{
    for (size_t k = 0; k < obj->u.o.n; k++) {
        for (size_t j = 0; j < N_JUNK; j++) {
            lpc_value *c = NULL, *jv = parse_text(k_junk[j]);
            ck_assert_int_eq(lpc_clone(obj, &c), LPC_OK);
            set_key(c, obj->u.o.items[k].key, jv);
            lpc_referr err;
            lpc_referr_clear(&err);
            lp_code rc = fn(c, &err);
            /* a few junk values are legitimately accepted (failure_code "" on success,
             * null optional hashes); those must equal the original under == */
            if (rc == LP_CODE_OK) ck_assert(lpc_py_eq(obj->u.o.items[k].val, jv) ||
                                            strcmp(obj->u.o.items[k].key, "attestation_document_b64") == 0);
            else ck_assert(err.message[0] != 0);
            lpc_free(c);
        }
    }
}

static lp_code receipt_fn(const lpc_value *v, lpc_referr *e) { return lpc_av2_validate_signed_execution_receipt(v, 1, e); }
static lp_code boot_fn(const lpc_value *v, lpc_referr *e) { return lpc_av2_validate_boot_identity(v, e); }
static lp_code attempt_fn(const lpc_value *v, lpc_referr *e) { return lpc_av2_validate_transport_attempt(v, e); }
static lp_code graph_fn(const lpc_value *v, lpc_referr *e)
{
    lpc_value *o = NULL;
    lp_code rc = lpc_av2_validate_receipt_graph(v, NULL, &o, e);
    lpc_free(o);
    return rc;
}

START_TEST(hostile_fields)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    junk_every_field(lp_field(lpc_at(prim(doc, "execution_receipts"), 0), "receipt"), receipt_fn);
    junk_every_field(lp_field(lpc_at(prim(doc, "boot_identities"), 0), "identity"), boot_fn);
    junk_every_field(lp_field(lpc_at(prim(doc, "transport_attempts"), 0), "attempt"), attempt_fn);
    junk_every_field(lp_field(lpc_at(prim(doc, "transport_attempts"), 1), "attempt"), attempt_fn);
    lpc_value *g = first_graph(doc);
    junk_every_field(g, graph_fn);
    lpc_free(g);
    /* whole-value junk: TypeError or AttestedV2Error, as Python */
    for (size_t j = 0; j < N_JUNK; j++) {
        lpc_value *jv = parse_text(k_junk[j]);
        lpc_referr err;
        ck_assert_int_ne(receipt_fn(jv, &err), LP_CODE_OK);
        ck_assert_int_ne(boot_fn(jv, &err), LP_CODE_OK);
        ck_assert_int_ne(attempt_fn(jv, &err), LP_CODE_OK);
        ck_assert_int_ne(graph_fn(jv, &err), LP_CODE_OK);
        lpc_value *claim = NULL;
        ck_assert_int_ne(lpc_av2_build_boot_attestation_claim(jv, &claim, &err), LP_CODE_OK);
        ck_assert_ptr_null(claim);
        lpc_free(jv);
    }
    lpc_referr err;
    lpc_value *n = lpc_new_null();
    ck_assert_int_eq(boot_fn(n, &err), LP_CODE_PYTHON_TYPE_ERROR);
    ck_assert_str_eq(err.message, "'NoneType' object is not iterable");
    lpc_value *s = lpc_new_str("role", 4);
    ck_assert_int_eq(boot_fn(s, &err), LP_CODE_ATTESTED_V2_ERROR);
    ck_assert_str_eq(err.message, "boot identity fields do not match canonical schema");
    lpc_value *l = parse_text("[[1]]");
    ck_assert_int_eq(boot_fn(l, &err), LP_CODE_PYTHON_TYPE_ERROR);
    ck_assert_str_eq(err.message, "unhashable type: 'list'");
    lpc_free(n);
    lpc_free(s);
    lpc_free(l);
    lpc_free(doc);
}
END_TEST

/* Python-semantics details of §10 on the receipt and attempt builders. */
START_TEST(python_semantics)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    lpc_referr err;
    /* status [] is unhashable: TypeError from `status in RECEIPT_STATUSES` */
    lpc_value *r = NULL;
    ck_assert_int_eq(lpc_clone(lp_field(lpc_at(prim(doc, "execution_receipts"), 0), "receipt"), &r), LPC_OK);
    set_key(r, "status", lpc_new_array());
    ck_assert_int_eq(receipt_fn(r, &err), LP_CODE_PYTHON_TYPE_ERROR);
    ck_assert_str_eq(err.type, "TypeError");
    ck_assert_str_eq(err.message, "unhashable type: 'list'");
    /* epoch_id true passes isinstance(int) and equals 1: body canonical, hash differs */
    set_key(r, "status", lpc_new_str("succeeded", 9));
    set_key(r, "epoch_id", lpc_new_bool(1));
    ck_assert_int_eq(receipt_fn(r, &err), LP_CODE_ATTESTED_V2_ERROR);
    ck_assert_str_eq(err.message, "receipt_hash does not match body");
    set_key(r, "epoch_id", lpc_new_int(-1));
    ck_assert_int_eq(receipt_fn(r, &err), LP_CODE_ATTESTED_V2_ERROR);
    ck_assert_str_eq(err.message, "epoch_id must be non-negative");
    set_key(r, "epoch_id", lpc_new_float(24356.0));
    ck_assert_str_eq((receipt_fn(r, &err), err.message), "epoch_id must be non-negative");
    lpc_free(r);
    /* an upper-case signature is lowered; a padded one is not stripped */
    ck_assert_int_eq(lpc_clone(lp_field(lpc_at(prim(doc, "execution_receipts"), 0), "receipt"), &r), LPC_OK);
    {
        char sig[140];
        snprintf(sig, sizeof sig, "%s", lp_field_str(r, "enclave_signature"));
        for (char *p = sig; *p; p++) if (*p >= 'a' && *p <= 'f') *p = (char)(*p - 32);
        set_key(r, "enclave_signature", lpc_new_str(sig, strlen(sig)));
        ck_assert_int_eq(receipt_fn(r, &err), LP_CODE_OK);
        char pad[160];
        snprintf(pad, sizeof pad, " %s", sig);
        set_key(r, "enclave_signature", lpc_new_str(pad, strlen(pad)));
        ck_assert_int_eq(receipt_fn(r, &err), LP_CODE_ATTESTED_V2_ERROR);
        ck_assert_str_eq(err.message, "signature must be 64-byte lowercase hex");
    }
    lpc_free(r);
    /* attempts: destination_port 443.0 == 443 (then the hash differs), timeout true > 0,
     * a trailing-dot host is not canonical, a Unicode-digit timestamp passes the regex */
    lpc_value *a = NULL;
    ck_assert_int_eq(lpc_clone(lp_field(lpc_at(prim(doc, "transport_attempts"), 1), "attempt"), &a), LPC_OK);
    set_key(a, "destination_port", lpc_new_float(443.0));
    ck_assert_int_eq(attempt_fn(a, &err), LP_CODE_ATTESTED_V2_ERROR);
    ck_assert_str_eq(err.message, "transport attempt is not canonical");
    set_key(a, "destination_port", lpc_new_bool(1));
    attempt_fn(a, &err);
    ck_assert_str_eq(err.message, "external attested transport requires port 443");
    set_key(a, "destination_port", lpc_new_int(443));
    set_key(a, "timeout_ms", lpc_new_int(0));
    attempt_fn(a, &err);
    ck_assert_str_eq(err.message, "timeout_ms must be positive");
    set_key(a, "timeout_ms", lpc_new_bool(1));
    attempt_fn(a, &err);
    ck_assert_str_eq(err.message, "transport attempt is not canonical");
    lpc_value *orig = NULL;
    ck_assert_int_eq(lpc_clone(lp_field(lpc_at(prim(doc, "transport_attempts"), 1), "attempt"), &orig), LPC_OK);
    set_key(a, "timeout_ms", lpc_new_int(lp_field_i64(orig, "timeout_ms")));
    {
        char host[300];
        snprintf(host, sizeof host, "%s..", lp_field_str(orig, "destination_host"));
        set_key(a, "destination_host", lpc_new_str(host, strlen(host)));
        attempt_fn(a, &err);
        ck_assert_str_eq(err.message, "transport attempt is not canonical");
        set_key(a, "destination_host", lpc_new_str("localhost", 9));
        attempt_fn(a, &err);
        ck_assert_str_eq(err.message, "destination_host must be a public DNS name");
        set_key(a, "destination_host", lpc_new_str("a-.example.com", 14));
        attempt_fn(a, &err);
        ck_assert_str_eq(err.message, "destination_host must be a public DNS name");
    }
    set_key(a, "destination_host", lpc_new_str(lp_field_str(orig, "destination_host"), strlen(lp_field_str(orig, "destination_host"))));
    set_key(a, "method", lpc_new_str("po\xc3\x9f", 4));  /* "poß".upper() == "POSS" */
    attempt_fn(a, &err);
    ck_assert_str_eq(err.message, "transport attempt is not canonical");
    set_key(a, "method", lpc_new_str("p\xc3\xb6st", 5));
    attempt_fn(a, &err);
    ck_assert_str_eq(err.message, "transport method is invalid");
    set_key(a, "method", lpc_new_str(lp_field_str(orig, "method"), strlen(lp_field_str(orig, "method"))));
    /* U+0662 ARABIC-INDIC DIGIT TWO in the year: \d matches, the body stays canonical */
    {
        char ts[64];
        const char *st = lp_field_str(orig, "started_at");
        snprintf(ts, sizeof ts, "\xd9\xa2%s", st + 1);
        set_key(a, "started_at", lpc_new_str(ts, strlen(ts)));
        attempt_fn(a, &err);
        ck_assert_str_eq(err.message, "transport attempt is not canonical");  /* request_hash changes */
        snprintf(ts, sizeof ts, "x%s", st + 1);
        set_key(a, "started_at", lpc_new_str(ts, strlen(ts)));
        attempt_fn(a, &err);
        ck_assert_str_eq(err.message, "started_at must be RFC3339 UTC seconds");
    }
    lpc_free(orig);
    lpc_free(a);
    /* boot: binascii strict mode of Python 3.11 (trailing bits and '=' after a whole quantum allowed) */
    lpc_value *b = NULL;
    ck_assert_int_eq(lpc_clone(lp_field(lpc_at(prim(doc, "boot_identities"), 0), "identity"), &b), LPC_OK);
    static const struct { const char *b64; const char *msg; } bc[] = {
        {"QQ==", NULL}, {"QR==", NULL}, {"QUI=", NULL}, {"QUJD=", NULL}, {"QUJD===", NULL}, {"QUJD=Q", "attestation_document_b64 is invalid"},
        {"QQ=", "attestation_document_b64 is invalid"}, {"QUJDR", "attestation_document_b64 is invalid"},
        {"QU JD", "attestation_document_b64 is invalid"}, {"QQ\n", "attestation_document_b64 is invalid"},
        {"", "attestation document is empty"}, {"==", "attestation_document_b64 is invalid"},
        {"QQ===", "attestation_document_b64 is invalid"}, {"QUI==", "attestation_document_b64 is invalid"},
    };
    for (size_t i = 0; i < sizeof bc / sizeof bc[0]; i++) {
        set_key(b, "attestation_document_b64", lpc_new_str(bc[i].b64, strlen(bc[i].b64)));
        lpc_referr_clear(&err);
        lp_code rc = boot_fn(b, &err);
        if (!bc[i].msg) ck_assert_msg(rc == LP_CODE_OK, "%s: %s", bc[i].b64, err.message);
        else ck_assert_msg(rc != LP_CODE_OK && strcmp(err.message, bc[i].msg) == 0, "%s: %s", bc[i].b64, err.message);
    }
    set_key(b, "attestation_document_b64", lpc_new_null());  /* str(None) == "None": valid base64 */
    ck_assert_int_eq(boot_fn(b, &err), LP_CODE_OK);
    lpc_free(b);
    lpc_free(doc);
}
END_TEST

/* ---- a deep signed chain (iterative DFS) built with the public test seed ---- */

static lpc_value *sign_as(lpc_value *body, const char *hash_key, const uint8_t sk[64], const char *pkhex)
{
    char h[LPC_AV2_REF_SIZE], sig[129];
    lpc_referr err;
    uint8_t d[32], s[64];
    size_t got;
    ck_assert_int_eq(lpc_v2_sha256_json(body, h, &err), LP_CODE_OK);
    lpc_hex_decode(h + 7, 64, d, 32, &got);
    crypto_sign_detached(s, NULL, d, 32, sk);
    lpc_hex_encode(s, 64, sig);
    set_key(body, hash_key, lpc_new_str(h, 71));
    set_key(body, "enclave_pubkey", lpc_new_str(pkhex, 64));
    set_key(body, "enclave_signature", lpc_new_str(sig, 128));
    return body;
}

static void validator_key(const lpc_value *doc, uint8_t sk[64], char pkhex[65])
{
    ck_assert_int_ge(sodium_init(), 0);
    const lpc_value *key = lp_field(lp_field(doc, "keys"), "v2_validator_boot");
    size_t n;
    uint8_t *seed = lp_unhex(lp_field_str(key, "seed_hex"), &n), pk[32];
    ck_assert_uint_eq(n, 32);
    crypto_sign_seed_keypair(pk, sk, seed);
    free(seed);
    lpc_hex_encode(pk, 32, pkhex);
    ck_assert_str_eq(pkhex, lp_field_str(key, "public_key_hex"));
}

static lpc_value *sign_receipt(lpc_value *body, const uint8_t sk[64], const char *pkhex)
{
    return sign_as(body, "receipt_hash", sk, pkhex);
}

START_TEST(deep_chain)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    uint8_t sk[64];
    char pkhex[65];
    validator_key(doc, sk, pkhex);

    const lpc_value *boot = lp_field(lpc_at(prim(doc, "boot_identities"), 1), "identity");
    ck_assert_str_eq(lp_field_str(boot, "signing_pubkey"), pkhex);
    const lpc_value *tmpl = lp_field(lpc_at(prim(doc, "execution_receipts"), 0), "receipt");
    const size_t depth = 3000;
    lpc_value *g = lpc_new_object(), *receipts = lpc_new_array(), *boots = lpc_new_array(), *bc = NULL;
    ck_assert_int_eq(lpc_clone(boot, &bc), LPC_OK);
    ck_assert_int_eq(lpc_array_append(boots, bc), LPC_OK);
    char prev[LPC_AV2_REF_SIZE] = "";
    for (size_t i = 0; i < depth; i++) {
        lpc_value *b = lpc_new_object();
        for (size_t k = 0; k < 21; k++) {
            lpc_value *cl = NULL;
            ck_assert_int_eq(lpc_clone(lp_field(tmpl, k_body_fields[k]), &cl), LPC_OK);
            set_key(b, k_body_fields[k], cl);
        }
        char job[64];
        snprintf(job, sizeof job, "deep-chain:%zu", i);
        set_key(b, "job_id", lpc_new_str(job, strlen(job)));
        lpc_value *parents = lpc_new_array();
        if (i) ck_assert_int_eq(lpc_array_append(parents, lpc_new_str(prev, 71)), LPC_OK);
        set_key(b, "parent_receipt_hashes", parents);
        sign_receipt(b, sk, pkhex);
        snprintf(prev, sizeof prev, "%s", lp_field_str(b, "receipt_hash"));
        ck_assert_int_eq(lpc_array_append(receipts, b), LPC_OK);
    }
    set_key(g, "schema_version", lpc_new_str(LPC_AV2_RECEIPT_GRAPH_SCHEMA, strlen(LPC_AV2_RECEIPT_GRAPH_SCHEMA)));
    set_key(g, "root_receipt_hash", lpc_new_str(prev, 71));
    set_key(g, "boot_identities", boots);
    set_key(g, "receipts", receipts);
    set_key(g, "transport_attempts", lpc_new_array());
    set_key(g, "host_operations", lpc_new_array());
    lpc_value *order = NULL;
    lpc_referr err;
    lpc_referr_clear(&err);
    ck_assert_msg(lpc_av2_validate_receipt_graph(g, NULL, &order, &err) == LP_CODE_OK, "%s", err.message);
    ck_assert_uint_eq(order->u.a.n, depth);
    ck_assert_str_eq(lpc_at(order, depth - 1)->u.s.ptr, prev);
    ck_assert(lpc_py_eq(lpc_at(order, 0), lp_field(lpc_at(receipts, 0), "receipt_hash")));
    lpc_free(order);
    /* the deepest receipt re-signed: receipt 1 names a parent that is gone */
    {
        lpc_value *r0 = receipts->u.a.items[0], *body = lpc_new_object();
        for (size_t k = 0; k < 21; k++) {
            lpc_value *cl = NULL;
            ck_assert_int_eq(lpc_clone(lp_field(r0, k_body_fields[k]), &cl), LPC_OK);
            set_key(body, k_body_fields[k], cl);
        }
        set_key(body, "sequence", lpc_new_int(7));
        sign_receipt(body, sk, pkhex);
        receipts->u.a.items[0] = body;
        lpc_free(r0);
        expect_graph_error(g, NULL, "receipt graph parent is missing");
    }
    /* the root re-signed with epoch 0: its parent is now in a newer epoch */
    {
        lpc_value *top = receipts->u.a.items[depth - 1], *body = lpc_new_object();
        for (size_t k = 0; k < 21; k++) {
            lpc_value *cl = NULL;
            ck_assert_int_eq(lpc_clone(lp_field(top, k_body_fields[k]), &cl), LPC_OK);
            set_key(body, k_body_fields[k], cl);
        }
        set_key(body, "epoch_id", lpc_new_int(0));
        sign_receipt(body, sk, pkhex);
        receipts->u.a.items[depth - 1] = body;
        lpc_free(top);
        set_key(g, "root_receipt_hash", lpc_new_str(lp_field_str(body, "receipt_hash"), 71));
        expect_graph_error(g, NULL, "receipt parent epoch is newer than child");
    }
    lpc_free(g);
    lpc_free(doc);
}
END_TEST

/* Host operation records (attested_v2.py:1006-1250) on the root receipt of a published
 * graph, signed with the public validator seed: accepted once the root commits their
 * terminals, then the reference's rejections. */
START_TEST(host_operations)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    uint8_t sk[64];
    char pkhex[65];
    validator_key(doc, sk, pkhex);
    lpc_value *g = first_graph(doc);
    lpc_value *receipts = (lpc_value *)lpc_get(g, "receipts");
    size_t ri = 0;
    while (!lpc_py_eq(lp_field(lpc_at(receipts, ri), "receipt_hash"), lp_field(g, "root_receipt_hash"))) ri++;
    const lpc_value *root = lpc_at(receipts, ri);
    ck_assert_str_eq(lp_field_str(root, "enclave_pubkey"), pkhex);
    char txt[2048];
    snprintf(txt, sizeof txt,
             "{\"schema_version\":\"leadpoet.host_operation_request.v2\",\"job_id\":\"%s\",\"purpose\":\"%s\","
             "\"operation\":\"db.write\",\"sequence\":0,\"payload_hash\":\"sha256:%064d\","
             "\"expected_state_hash\":\"sha256:%064d\",\"boot_identity_hash\":\"%s\",\"request_nonce\":\"%032d\","
             "\"issued_at\":\"2026-08-23T07:41:26Z\",\"expires_at\":\"2026-08-23T07:51:26Z\"}",
             lp_field_str(root, "job_id"), lp_field_str(root, "purpose"), 1, 2, lp_field_str(root, "boot_identity_hash"), 3);
    lpc_value *req = NULL, *parsed = parse_text(txt);
    ck_assert_int_eq(lpc_clone(parsed, &req), LPC_OK);
    lpc_free(parsed);
    sign_as(req, "request_hash", sk, pkhex);
    snprintf(txt, sizeof txt,
             "{\"schema_version\":\"leadpoet.host_operation_terminal.v2\",\"request_hash\":\"%s\",\"job_id\":\"%s\","
             "\"purpose\":\"%s\",\"operation\":\"db.write\",\"sequence\":0,\"terminal_status\":\"succeeded\","
             "\"response_hash\":\"sha256:%064d\",\"failure_code\":null,\"completed_at\":\"2026-08-23T07:42:26Z\"}",
             lp_field_str(req, "request_hash"), lp_field_str(root, "job_id"), lp_field_str(root, "purpose"), 4);
    lpc_value *term = NULL;
    parsed = parse_text(txt);
    ck_assert_int_eq(lpc_clone(parsed, &term), LPC_OK);
    lpc_free(parsed);
    sign_as(term, "terminal_hash", sk, pkhex);
    lpc_value *rec = lpc_new_object();
    set_key(rec, "request", req);
    set_key(rec, "terminal", term);
    lpc_referr err;
    ck_assert_msg(lpc_av2_validate_host_operation_record(rec, &err) == LP_CODE_OK, "%s", err.message);

    /* the root without the terminal in its host_operation_root */
    lpc_value *ops = lpc_new_array(), *cl = NULL;
    ck_assert_int_eq(lpc_clone(rec, &cl), LPC_OK);
    ck_assert_int_eq(lpc_array_append(ops, cl), LPC_OK);
    set_key(g, "host_operations", ops);
    expect_graph_error(g, NULL, "receipt host operation root does not match signed terminals");

    /* the root re-signed over merkle_root([terminal_hash]) */
    lpc_value *items = lpc_new_array(), *dom = lpc_new_str(LPC_AV2_DOMAIN_HOST_OPERATION, strlen(LPC_AV2_DOMAIN_HOST_OPERATION));
    ck_assert_int_eq(lpc_array_append(items, lpc_new_str(lp_field_str(term, "terminal_hash"), 71)), LPC_OK);
    char hroot[LPC_AV2_REF_SIZE];
    ck_assert_int_eq(lpc_av2_merkle_root(items, dom, hroot, &err), LP_CODE_OK);
    lpc_free(items);
    lpc_free(dom);
    lpc_value *nroot = lpc_new_object();
    for (size_t k = 0; k < 21; k++) {
        lpc_value *c = NULL;
        ck_assert_int_eq(lpc_clone(lp_field(root, k_body_fields[k]), &c), LPC_OK);
        set_key(nroot, k_body_fields[k], c);
    }
    set_key(nroot, "host_operation_root", lpc_new_str(hroot, 71));
    sign_receipt(nroot, sk, pkhex);
    lpc_free(receipts->u.a.items[ri]);
    receipts->u.a.items[ri] = nroot;
    set_key(g, "root_receipt_hash", lpc_new_str(lp_field_str(nroot, "receipt_hash"), 71));
    lpc_value *order = NULL;
    ck_assert_msg(lpc_av2_validate_receipt_graph(g, NULL, &order, &err) == LP_CODE_OK, "%s", err.message);
    ck_assert_uint_eq(order->u.a.n, receipts->u.a.n);
    lpc_free(order);

    /* the same record twice */
    ck_assert_int_eq(lpc_clone(rec, &cl), LPC_OK);
    ck_assert_int_eq(lpc_array_append(ops, cl), LPC_OK);
    expect_graph_error(g, NULL, "host operation request is duplicated");
    ops->u.a.n--;
    lpc_free(cl);

    /* record-level rejections */
    static const struct { const char *part, *key, *json, *msg; } bad[] = {
        {"terminal", "sequence", "1", "host operation terminal hash mismatch"},
        {"terminal", "terminal_status", "\"failed\"", "failure_code is invalid"},
        {"terminal", "terminal_status", "[]", "unhashable type: 'list'"},
        {"request", "expires_at", "\"2026-08-23T07:41:26Z\"", "host operation request must expire"},
        {"request", "sequence", "-1", "host operation sequence is invalid"},
        {"request", "purpose", "\"validator.nothing.v2\"", "host operation purpose is unsupported"},
        {"request", "enclave_signature", "\"00\"", "signature must be 64-byte lowercase hex"},
        {"request", "request_nonce", "\"abc\"", "host operation nonce is invalid"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lpc_value *r2 = NULL;
        ck_assert_int_eq(lpc_clone(rec, &r2), LPC_OK);
        set_key((lpc_value *)lpc_get(r2, bad[i].part), bad[i].key, parse_text(bad[i].json));
        lpc_referr_clear(&err);
        ck_assert_int_ne(lpc_av2_validate_host_operation_record(r2, &err), LP_CODE_OK);
        ck_assert_msg(strcmp(err.message, bad[i].msg) == 0, "%zu: got '%s' want '%s'", i, err.message, bad[i].msg);
        lpc_free(r2);
    }
    set_key(rec, "extra", lpc_new_null());
    ck_assert_int_eq(lpc_av2_validate_host_operation_record(rec, &err), LP_CODE_ATTESTED_V2_ERROR);
    ck_assert_str_eq(err.message, "host operation record fields do not match canonical schema");
    lpc_free(rec);
    lpc_free(g);
    lpc_free(doc);
}
END_TEST

/* ---- refcall adapters ---- */

static lp_code call(const char *name, const char *args, const char *kwargs, lpc_value **res, lpc_referr *err)
{
    lpc_refcall_fn fn = lpc_refcall_find(name);
    ck_assert_msg(fn != NULL, "%s not registered", name);
    lpc_value *a = parse_text(args), *k = kwargs ? parse_text(kwargs) : NULL;
    lpc_referr_clear(err);
    lp_code rc = fn(a, k, res, err);
    lpc_free(a);
    lpc_free(k);
    return rc;
}

static lp_code call_v(const char *name, const lpc_value *arg0, const lpc_value *kwargs, lpc_value **res, lpc_referr *err)
{
    lpc_refcall_fn fn = lpc_refcall_find(name);
    ck_assert_msg(fn != NULL, "%s not registered", name);
    lpc_value *a = lpc_new_array(), *c = NULL;
    ck_assert_int_eq(lpc_clone(arg0, &c), LPC_OK);
    ck_assert_int_eq(lpc_array_append(a, c), LPC_OK);
    lpc_referr_clear(err);
    lp_code rc = fn(a, kwargs, res, err);
    lpc_free(a);
    return rc;
}

START_TEST(refcall_adapters)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    lpc_value *res = NULL;
    lpc_referr err;
    const lpc_value *m = lpc_at(prim(doc, "merkle_root"), 1);
    {
        lpc_value *kw = lpc_new_object(), *d = NULL;
        ck_assert_int_eq(lpc_clone(lp_field(m, "domain"), &d), LPC_OK);
        set_key(kw, "domain", d);
        ck_assert_int_eq(call_v("attested_v2.merkle_root", lp_field(m, "items"), kw, &res, &err), LP_CODE_OK);
        ck_assert(lpc_str_eq(res, lp_field_str(m, "root")));
        lpc_free(res);
        lpc_free(kw);
    }
    ck_assert_int_eq(call("attested_v2.merkle_root", "[[]]", NULL, &res, &err), LP_CODE_BAD_ARGUMENT);
    ck_assert_str_eq(err.message, "merkle_root() missing 1 required keyword-only argument: 'domain'");
    ck_assert_int_eq(call("attested_v2.merkle_root", "[[], \"leadpoet-artifact-v2\"]", NULL, &res, &err), LP_CODE_BAD_ARGUMENT);
    ck_assert_int_eq(call("attested_v2.merkle_root", "[]", "{\"hashes\":[],\"domain\":\"leadpoet-artifact-v2\"}", &res, &err),
                     LP_CODE_OK);
    ck_assert(lpc_str_eq(res, LPC_AV2_EMPTY_ARTIFACT_ROOT));
    lpc_free(res);
    ck_assert_int_eq(call("attested_v2.merkle_root", "[null]", "{\"domain\":\"leadpoet-artifact-v2\"}", &res, &err),
                     LP_CODE_PYTHON_TYPE_ERROR);
    ck_assert_str_eq(err.message, "'NoneType' object is not iterable");
    ck_assert_int_eq(call("attested_v2.merkle_root", "[[]]", "{\"domain\":\"a\",\"x\":1}", &res, &err), LP_CODE_BAD_ARGUMENT);
    ck_assert_str_eq(err.message, "merkle_root() got an unexpected keyword argument 'x'");

    const lpc_value *rc0 = lpc_at(prim(doc, "execution_receipts"), 0), *rc6 = lpc_at(prim(doc, "execution_receipts"), 6);
    ck_assert_int_eq(call_v("attested_v2.validate_signed_execution_receipt", lp_field(rc0, "receipt"), NULL, &res, &err),
                     LP_CODE_OK);
    ck_assert_int_eq(res->type, LPC_NULL);
    lpc_free(res);
    ck_assert_int_eq(call_v("attested_v2.validate_signed_execution_receipt", lp_field(rc6, "receipt"), NULL, &res, &err),
                     LP_CODE_ATTESTED_V2_ERROR);
    ck_assert_str_eq(err.message, "invalid Ed25519 signature");
    ck_assert_ptr_null(res);
    {
        lpc_value *kw = parse_text("{\"verify_signature\":false}");
        ck_assert_int_eq(call_v("attested_v2.validate_signed_execution_receipt", lp_field(rc6, "receipt"), kw, &res, &err),
                         LP_CODE_OK);
        lpc_free(res);
        lpc_free(kw);
    }

    const lpc_value *b0 = lpc_at(prim(doc, "boot_identities"), 0), *b3 = lpc_at(prim(doc, "boot_identities"), 3);
    ck_assert_int_eq(call_v("attested_v2.validate_boot_identity", lp_field(b0, "identity"), NULL, &res, &err), LP_CODE_OK);
    ck_assert_int_eq(res->type, LPC_NULL);
    lpc_free(res);
    ck_assert_int_eq(call_v("attested_v2.validate_boot_identity", lp_field(b3, "identity"), NULL, &res, &err),
                     LP_CODE_ATTESTED_V2_ERROR);
    ck_assert_str_eq(err.message, lp_field_str(lp_field(b3, "error"), "message"));
    ck_assert_int_eq(call_v("attested_v2.build_boot_attestation_claim", lp_field(b0, "identity"), NULL, &res, &err), LP_CODE_OK);
    ck_assert(lpc_py_eq(res, lp_field(b0, "boot_attestation_claim")));
    lpc_free(res);
    ck_assert_int_eq(call("attested_v2.build_boot_attestation_claim", "[{\"role\":1}]", NULL, &res, &err),
                     LP_CODE_ATTESTED_V2_ERROR);
    ck_assert_str_eq(err.message, "boot attestation claim fields are missing");
    ck_assert_int_eq(call_v("attested_v2.build_boot_attestation_user_data", lp_field(b0, "identity"), NULL, &res, &err),
                     LP_CODE_OK);
    ck_assert(lpc_py_eq(res, lp_field(b0, "boot_attestation_user_data")));
    lpc_free(res);

    const lpc_value *t0 = lpc_at(prim(doc, "transport_attempts"), 0), *t2 = lpc_at(prim(doc, "transport_attempts"), 2);
    ck_assert_int_eq(call_v("attested_v2.validate_transport_attempt", lp_field(t0, "attempt"), NULL, &res, &err), LP_CODE_OK);
    lpc_free(res);
    ck_assert_int_eq(call_v("attested_v2.validate_transport_attempt", lp_field(t2, "attempt"), NULL, &res, &err),
                     LP_CODE_ATTESTED_V2_ERROR);
    ck_assert_str_eq(err.message, "external attested transport requires port 443");

    const lpc_value *v0 = lpc_at(lp_field(lp_field(doc, "published_weight_bundles_v2"), "valid"), 0);
    {
        lpc_value *kw = lpc_new_object();
        set_key(kw, "required_purposes", required_purposes());
        set_key(kw, "require_success", lpc_new_bool(1));
        ck_assert_int_eq(call_v("attested_v2.validate_receipt_graph", lp_field(lp_field(v0, "bundle"), "receipt_graph"), kw,
                                &res, &err),
                         LP_CODE_OK);
        ck_assert(lpc_py_eq(res, lp_field(v0, "receipt_graph_post_order")));
        lpc_free(res);
        set_key(kw, "boot_attestation_verifier", lpc_new_str("x", 1));
        ck_assert_int_eq(call_v("attested_v2.validate_receipt_graph", lp_field(lp_field(v0, "bundle"), "receipt_graph"), kw,
                                &res, &err),
                         LP_CODE_UNSUPPORTED);
        lpc_free(kw);
    }
    ck_assert_int_eq(call("attested_v2.validate_receipt_graph", "[]", NULL, &res, &err), LP_CODE_BAD_ARGUMENT);
    ck_assert_str_eq(err.message, "validate_receipt_graph() missing 1 required positional argument: 'graph'");
    lpc_free(doc);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("attested_v2");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, merkle_roots);
    tcase_add_test(tc, empty_roots_and_constants);
    tcase_add_test(tc, common_patterns);
    tcase_add_test(tc, execution_receipts);
    tcase_add_test(tc, boot_identities);
    tcase_add_test(tc, transport_attempts);
    tcase_add_test(tc, published_graphs_valid);
    tcase_add_test(tc, published_graphs_tampered);
    tcase_add_test(tc, graph_edits);
    tcase_add_test(tc, hostile_fields);
    tcase_add_test(tc, python_semantics);
    tcase_add_test(tc, deep_chain);
    tcase_add_test(tc, host_operations);
    tcase_add_test(tc, refcall_adapters);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(suite)
