/* Compact weight submissions (leadpoet-weights-v2.md §8.4) against
 * vectors/leadpoet-v2/weights_v2.json `compact_weight_submissions` (outputs of
 * compact_weight_authority_v2.py at 5fe22c16: compact_submission_hash, bundle_hash and
 * its preimage, ancestry_commitment and its preimage, the snapshot receipt's artifact
 * root and its items, the four negatives) and `attested_v2_primitives.lineage_id`, plus
 * tampered submissions re-hashed so that exactly one rule fails (each message is the
 * reference's, from compact_weight_authority_v2.py / ancestry_checkpoint_v2.py /
 * subnet_epoch.py at 5fe22c16; each was replayed against the reference once), and
 * lpc_cwv2_verify_local on both submissions and on tampered ones (the outcomes were
 * replayed once against verify_compact_weight_submission_v2 with the certificate
 * validation passed through and the sr25519 step stubbed: same messages, both
 * submissions accepted with the vectors' bundle_hash; a disclosure missing or repeated
 * is what the real proof validation rejects, wrapped as "compact ancestry failed for"). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_attested_v2.h"
#include "canonical/lpc_buf.h"
#include "canonical/lpc_codec.h"
#include "canonical/lpc_compact_weight_v2.h"
#include "canonical/lpc_dump.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_parse.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_subnet_epoch.h"
#include "canonical/lpc_v2_common.h"
#include "tests/lp_test.h"

static lpc_value *g_vec;

static const lpc_value *vec(void)
{
    if (!g_vec) g_vec = lp_load_json_vector("leadpoet-v2/weights_v2.json");
    return g_vec;
}
static const lpc_value *cases(void) { return lp_field(vec(), "compact_weight_submissions"); }
static const lpc_value *manifest(void)
{
    return lp_field(lp_field(lp_field(vec(), "attested_v2_primitives"), "lineage_id"), "cutover_manifest");
}

static char *cs_u(const lpc_value *v)
{
    lpc_buf b = {0};
    ck_assert_int_eq(lpc_dump(v, LPC_PROFILE_CS_U_NONAN, &b), LPC_OK);
    ck_assert_int_eq(lpc_buf_append(&b, "", 1), LPC_OK);
    return (char *)b.ptr;
}

static void same_json(const lpc_value *a, const lpc_value *b, const char *what)
{
    char *x = cs_u(a), *y = cs_u(b);
    ck_assert_msg(strcmp(x, y) == 0, "%s differs:\n%s\n%s", what, x, y);
    free(x);
    free(y);
}

static lpc_value *parse(const char *s)
{
    lpc_value *v = NULL, *c = NULL;
    size_t off = 0;
    ck_assert_int_eq(lpc_parse((const uint8_t *)s, strlen(s), &v, &off), LPC_OK);
    ck_assert_int_eq(lpc_clone(v, &c), LPC_OK);
    lpc_free(v);
    return c;
}

static lpc_value *mut(const lpc_value *v) { return (lpc_value *)v; }

static lpc_value *copy(const lpc_value *v)
{
    lpc_value *c = NULL;
    ck_assert_int_eq(lpc_clone(v, &c), LPC_OK);
    return c;
}

/* The object at a dotted path of a built tree (path "" is root). */
static lpc_value *at(lpc_value *root, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    lpc_value *v = root;
    for (char *tok = strtok(buf, "."); tok; tok = strtok(NULL, ".")) {
        char *end;
        long idx = strtol(tok, &end, 10);
        v = mut(*end == 0 && v->type == LPC_ARRAY ? lpc_at(v, (size_t)idx) : lpc_get(v, tok));
        ck_assert_msg(v != NULL, "no %s in %s", tok, path);
    }
    return v;
}

static void set(lpc_value *root, const char *path, const char *key, const char *json)
{
    ck_assert_int_eq(lpc_object_set(at(root, path), key, strlen(key), parse(json)), LPC_OK);
}

/* Deletes key from the object at path (rebuilt without it, in place). */
static void del(lpc_value *root, const char *path, const char *key)
{
    lpc_value *o = at(root, path);
    size_t w = 0;
    for (size_t i = 0; i < o->u.o.n; i++) {
        if (strcmp(o->u.o.items[i].key, key) == 0) {
            lpc_free(o->u.o.items[i].val);
            free(o->u.o.items[i].key);
            continue;
        }
        o->u.o.items[w++] = o->u.o.items[i];
    }
    ck_assert_uint_eq(w + 1, o->u.o.n);
    o->u.o.n = w;
}

static void rehash(lpc_value *s)
{
    char h[LPC_CWV2_REF_SIZE];
    lpc_referr e;
    ck_assert_int_eq(lpc_cwv2_submission_hash(s, h, &e), LP_CODE_OK);
    char j[96];
    snprintf(j, sizeof j, "\"%s\"", h);
    set(s, "", "compact_submission_hash", j);
}

static void want_err(lp_code rc, const lpc_referr *e, lp_code code, const char *type, const char *msg, const char *what)
{
    ck_assert_msg(rc != LP_CODE_OK, "%s: accepted, want '%s'", what, msg);
    ck_assert_msg(rc == code, "%s: code %s want %s (%s: %s)", what, lp_code_name(rc), lp_code_name(code), e->type,
                  e->message);
    ck_assert_str_eq(e->type, type);
    ck_assert_msg(strcmp(e->message, msg) == 0, "%s: got '%s' want '%s'", what, e->message, msg);
}

#define CW LP_CODE_COMPACT_WEIGHT_AUTHORITY_V2_ERROR, "CompactWeightAuthorityV2Error"

/* ---- the vectors --------------------------------------------------------------------- */

START_TEST(submission_hashes_and_bundle_hashes)
{
    ck_assert_uint_eq(cases()->u.a.n, 2);
    for (size_t i = 0; i < 2; i++) {
        const lpc_value *c = lpc_at(cases(), i), *s = lp_field(c, "submission");
        lpc_referr e;
        char h[LPC_CWV2_REF_SIZE];
        ck_assert_int_eq(lpc_cwv2_submission_hash(s, h, &e), LP_CODE_OK);
        ck_assert_str_eq(h, lp_field_str(c, "compact_submission_hash"));
        ck_assert_str_eq(h, lp_field_str(s, "compact_submission_hash"));
        ck_assert_int_eq(lpc_cwv2_validate_shape(s, &e), LP_CODE_OK);
        lpc_value *pre = NULL;
        lp_code rc = lpc_cwv2_bundle_hash(s, h, &pre, &e);
        ck_assert_msg(rc == LP_CODE_OK, "%s: %s", lp_field_str(c, "name"), e.message);
        ck_assert_str_eq(h, lp_field_str(c, "bundle_hash"));
        same_json(pre, lp_field(c, "bundle_commitment_preimage"), "bundle_commitment_preimage");
        ck_assert_str_ne(h, lp_field_str(lp_field(c, "full_bundle_equivalent"), "bundle_hash_sha256_json"));
        lpc_free(pre);
        /* without the optional preimage */
        ck_assert_int_eq(lpc_cwv2_bundle_hash(s, h, NULL, &e), LP_CODE_OK);
        ck_assert_str_eq(h, lp_field_str(c, "bundle_hash"));
    }
}
END_TEST

START_TEST(ancestry_commitments_and_artifact_roots)
{
    for (size_t i = 0; i < 2; i++) {
        const lpc_value *c = lpc_at(cases(), i), *s = lp_field(c, "submission");
        lpc_referr e;
        char lin[LPC_CWV2_REF_SIZE], h[LPC_CWV2_REF_SIZE];
        ck_assert_int_eq(lpc_cwv2_lineage_id_from_manifest(manifest(), lin, NULL, &e), LP_CODE_OK);
        lpc_value *linv = lpc_new_str(lin, strlen(lin)), *pre = NULL;
        const lpc_value *snap = lp_field(s, "weight_snapshot");
        lp_code rc = lpc_cwv2_ancestry_commitment(linv, lp_field(snap, "input_receipt_hashes"),
                                                  lp_field(s, "upstream_ancestry_proofs"),
                                                  lp_field(s, "upstream_transport_attempts"), h, &pre, &e);
        ck_assert_msg(rc == LP_CODE_OK, "%s: %s", lp_field_str(c, "name"), e.message);
        ck_assert_str_eq(h, lp_field_str(c, "ancestry_commitment"));
        ck_assert_str_eq(h, lp_field_str(s, "ancestry_commitment"));
        same_json(pre, lp_field(c, "ancestry_commitment_preimage"), "ancestry_commitment_preimage");
        /* the frontier on its own */
        lpc_value *fr = NULL;
        ck_assert_int_eq(lpc_cwv2_gateway_frontier(lp_field(s, "upstream_ancestry_proofs"), &fr, &e), LP_CODE_OK);
        same_json(fr, lp_field(lp_field(c, "ancestry_commitment_preimage"), "gateway_frontier_receipt_hashes"),
                  "frontier");
        lpc_free(fr);
        lpc_free(pre);
        lpc_free(linv);
        /* artifact root: merkle_root([calculation_snapshot_hash, ancestry_commitment]) */
        const lpc_value *items = lp_field(c, "snapshot_receipt_artifact_root_items");
        ck_assert_uint_eq(items->u.a.n, 2);
        ck_assert_str_eq(lpc_at(items, 0)->u.s.ptr, lp_field_str(snap, "calculation_snapshot_hash"));
        ck_assert_str_eq(lpc_at(items, 1)->u.s.ptr, lp_field_str(s, "ancestry_commitment"));
        lpc_value *dom = lpc_new_str(LPC_AV2_DOMAIN_WEIGHT_ARTIFACT, strlen(LPC_AV2_DOMAIN_WEIGHT_ARTIFACT));
        char root[LPC_AV2_REF_SIZE];
        ck_assert_int_eq(lpc_av2_merkle_root(items, dom, root, &e), LP_CODE_OK);
        ck_assert_str_eq(root, lp_field_str(c, "snapshot_receipt_artifact_root"));
        lpc_free(dom);
        /* it is the snapshot receipt's artifact_root in the delta */
        const lpc_value *rs = lp_field(lp_field(s, "validator_receipt_delta"), "receipts");
        int found = 0;
        for (size_t k = 0; k < rs->u.a.n; k++)
            if (lpc_str_eq(lpc_get(rs->u.a.items[k], "purpose"), "validator.weight_snapshot.v2")) {
                ck_assert_str_eq(lp_field_str(rs->u.a.items[k], "artifact_root"), root);
                found++;
            }
        ck_assert_int_eq(found, 1);
    }
}
END_TEST

START_TEST(vector_negatives)
{
    const lpc_value *neg = lp_field(lpc_at(cases(), 0), "negatives");
    ck_assert_uint_eq(neg->u.a.n, 4);
    size_t errors = 0, accepted = 0;
    for (size_t i = 0; i < neg->u.a.n; i++) {
        const lpc_value *n = neg->u.a.items[i];
        const lpc_value *want = lp_field(n, "error");
        char h[LPC_CWV2_REF_SIZE];
        lpc_referr e;
        lpc_referr_clear(&e);
        lp_code rc = lpc_cwv2_bundle_hash(lp_field(n, "submission"), h, NULL, &e);
        if (want->type == LPC_NULL) {
            ck_assert_msg(rc == LP_CODE_OK, "%s: %s", lp_field_str(n, "name"), e.message);
            ck_assert_str_eq(h, lp_field_str(n, "bundle_hash"));
            accepted++;
        } else {
            ck_assert(lp_field(n, "bundle_hash")->type == LPC_NULL);
            want_err(rc, &e, CW, lp_field_str(want, "message"), lp_field_str(n, "name"));
            ck_assert_str_eq(lp_field_str(want, "type"), "CompactWeightAuthorityV2Error");
            errors++;
        }
    }
    ck_assert_uint_eq(errors, 3);
    ck_assert_uint_eq(accepted, 1);
}
END_TEST

/* The vector writes the NUL bytes of the preimage as the four characters \x00. */
static size_t unescape_nul(const char *s, char *out)
{
    size_t n = 0;
    for (size_t i = 0; s[i];) {
        if (strncmp(s + i, "\\x00", 4) == 0) { out[n++] = 0; i += 4; }
        else out[n++] = s[i++];
    }
    return n;
}

START_TEST(lineage_id)
{
    const lpc_value *l = lp_field(lp_field(vec(), "attested_v2_primitives"), "lineage_id");
    char id[LPC_CWV2_REF_SIZE];
    lpc_buf pre = {0};
    lpc_referr e;
    ck_assert_int_eq(lpc_cwv2_lineage_id_from_manifest(manifest(), id, &pre, &e), LP_CODE_OK);
    ck_assert_str_eq(id, lp_field_str(l, "lineage_id"));
    ck_assert_str_eq(id, "sha256:68c719dcc18353c20d330063d8e93f51e0287c1688193cbbc8468eea7dc8acc1"); /* spec §8.4 */
    const char *want = lp_field_str(l, "preimage");
    char *raw = malloc(strlen(want) + 1);
    size_t n = unescape_nul(want, raw);
    ck_assert_uint_eq(pre.len, n);
    ck_assert(memcmp(pre.ptr, raw, n) == 0);
    free(raw);
    /* the direct form from the manifest's fields */
    const lpc_value *m = manifest();
    ck_assert_int_eq(lpc_cwv2_lineage_id(lp_field(m, "mapping_hash"), lp_field(m, "network_genesis_hash"),
                                         lp_field(m, "netuid"), id, NULL, &e),
                     LP_CODE_OK);
    ck_assert_str_eq(id, lp_field_str(l, "lineage_id"));
    /* the lineage every proof claims */
    const lpc_value *p = lp_field(lp_field(lpc_at(cases(), 0), "submission"), "upstream_ancestry_proofs");
    ck_assert_str_eq(lp_field_str(lp_field(lp_field(lp_field(p, "bans"), "certificate"), "claim"), "lineage_id"), id);
    lpc_buf_free(&pre);
}
END_TEST

START_TEST(cutover_manifest_fields)
{
    lpc_se_cutover c;
    lpc_referr e;
    ck_assert_int_eq(lpc_se_cutover_from_manifest(manifest(), &c, &e), LP_CODE_OK);
    /* spec §9.2 */
    ck_assert_int_eq(c.first_subnet_epoch_index, 24020);
    ck_assert_int_eq(c.first_settlement_epoch_id, 24073);
    ck_assert_str_eq(c.mapping_hash, lp_field_str(manifest(), "mapping_hash"));
    ck_assert_str_eq(c.computed_mapping_hash, lp_field_str(manifest(), "mapping_hash"));
    int64_t sid;
    ck_assert_int_eq(lpc_se_settlement_epoch_id(&c, 24303, &sid), 0);
    ck_assert_int_eq(sid, 24356); /* README: weight epoch 24356 is official epoch 24303 */
    ck_assert_int_eq(lpc_se_settlement_epoch_id(&c, 24019, &sid), -1);
}
END_TEST

/* ---- tampered submissions ------------------------------------------------------------ */

typedef struct {
    const char *name;
    const char *path;   /* object to edit */
    const char *key;
    const char *json;   /* new value; NULL deletes the key */
    int rehash;
    lp_code code;
    const char *type;
    const char *message; /* NULL: accepted */
} edit;

#define SUB(n, p, k, j, msg) {n, p, k, j, 1, CW, msg}

static const edit k_shape_edits[] = {
    {"extra field", "", "extra", "1", 0, CW, "compact weight submission fields are invalid"},
    {"missing field", "", "epoch_boundary", NULL, 0, CW, "compact weight submission fields are invalid"},
    {"schema other", "", "schema_version", "\"leadpoet.compact_weight_submission.v3\"", 1, CW,
     "compact weight submission schema is invalid"},
    {"hash not re-computed", "", "binding_message", "\"LEADPOET_VALIDATOR_BINDING|x\"", 0, CW,
     "compact weight submission hash differs"},
    {"hash upper-case", "", "compact_submission_hash", "\"SHA256:00\"", 0, CW, "compact weight submission hash differs"},
    SUB("hotkey with a space", "", "validator_hotkey", "\"5Fy Ezh\"", "compact validator hotkey is invalid"),
    SUB("hotkey empty", "", "validator_hotkey", "\"\"", "compact validator hotkey is invalid"),
    SUB("hotkey 129 characters", "", "validator_hotkey",
        "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
        "compact validator hotkey is invalid"),
    SUB("hotkey with U+3000", "", "validator_hotkey", "\"5Fy\\u3000\"", "compact validator hotkey is invalid"),
    {"hotkey a list", "", "validator_hotkey", "[\"5Fy\"]", 1, LP_CODE_NON_CANONICAL_INPUT, "NonCanonicalInput",
     "validator_hotkey: str() of a list or object is not reproduced"},
    SUB("binding message null", "", "binding_message", "null", "compact binding message is invalid"),
    SUB("hotkey signature 127 hex", "", "validator_hotkey_signature",
        "\"a44c0923da2aa4882e04ad903f7eeb30a9681a1aa5e281710b940761a6b4aff899fc81aac0a2d19fc4f444b416e45fd82a548481a302359b3e25c1430aae70e\"",
        "compact validator_hotkey_signature is invalid"),
    SUB("weights signature with a space", "", "weights_signature",
        "\" bfb8426cb9de49605f7dc1e714a3c0e982f66dac6ebbe4f02b04f3fa290663c588ee55114a822b8d34356b00d73fae010b618f0833d96c3425eb834a87a9240\"",
        "compact weights_signature is invalid"),
    SUB("ancestry commitment bare hex", "", "ancestry_commitment",
        "\"f69f7dd1dc4067061847e2e4e3e38f585260b61a011534af18aa3dda9aa7120c\"", "ancestry commitment is invalid"),
    SUB("weight_result a list", "", "weight_result", "[]", "compact weight documents are invalid"),
    {"proof category missing", "upstream_ancestry_proofs", "bans", NULL, 1, CW, "compact proof categories are incomplete"},
    SUB("proof category extra", "upstream_ancestry_proofs", "constants", "{}", "compact proof categories are incomplete"),
    SUB("attempts an object", "", "upstream_transport_attempts", "{}", "compact transport evidence is invalid"),
    SUB("delta extra field", "validator_receipt_delta", "parents", "[]", "validator receipt delta fields are invalid"),
    SUB("delta schema other", "validator_receipt_delta", "schema_version",
        "\"leadpoet.validator_weight_finalization_delta.v2\"", "validator receipt delta schema is invalid"),
    SUB("delta receipts null", "validator_receipt_delta", "receipts", "null", "validator delta receipts is invalid"),
    SUB("delta host operations object", "validator_receipt_delta", "host_operations", "{}",
        "validator delta host_operations is invalid"),
    SUB("binding receipt a list", "", "binding_receipt", "[]", "binding receipt is missing"),
    SUB("delta root bare", "validator_receipt_delta", "root_receipt_hash", "\"a9e1\"", "validator delta root is invalid"),
    SUB("binding two parents", "binding_receipt", "parent_receipt_hashes",
        "[\"sha256:a9e1ee50121e76a1424f9664bb9967ea7ac7ecc815eb30ee7dcaca5825a3b0df\",\"sha256:a9e1ee50121e76a1424f9664bb9967ea7ac7ecc815eb30ee7dcaca5825a3b0df\"]",
        "binding receipt does not extend the validator delta"),
    SUB("binding parent upper-case", "binding_receipt", "parent_receipt_hashes",
        "[\"SHA256:A9E1EE50121E76A1424F9664BB9967EA7AC7ECC815EB30EE7DCACA5825A3B0DF\"]",
        "binding receipt does not extend the validator delta"),
    SUB("validator proof a string", "", "validator_ancestry_proof", "\"proof\"", "validator ancestry proof is missing"),
    SUB("epoch authority a list", "", "epoch_authority", "[]", "compact epoch_authority is invalid"),
    SUB("epoch boundary a string", "", "epoch_boundary", "\"x\"", "compact epoch_boundary is invalid"),
    SUB("epoch authority alone", "", "epoch_authority", "{}", "compact epoch evidence is incomplete"),
    /* the bundle commitment's own checks */
    SUB("netuid zero", "weight_result", "netuid", "0", "compact weight netuid is invalid"),
    SUB("netuid float", "weight_result", "netuid", "71.0", "compact weight netuid is invalid"),
    SUB("netuid bool", "weight_result", "netuid", "true", "compact weight netuid is invalid"),
    SUB("epoch negative", "weight_result", "epoch_id", "-1", "compact weight epoch is invalid"),
    SUB("epoch string", "weight_result", "epoch_id", "\"24356\"", "compact weight epoch is invalid"),
    SUB("weights hash prefixed", "weight_result", "weights_hash",
        "\"sha256:e1d63f4572fc4215d6c5db8195600e86777e6e14d900218a88969ca7bf994c36\"", "compact weights hash is invalid"),
    SUB("weights hash padded", "weight_result", "weights_hash",
        "\" e1d63f4572fc4215d6c5db8195600e86777e6e14d900218a88969ca7bf994c36\"", "compact weights hash is invalid"),
    SUB("binding receipt hash missing", "binding_receipt", "receipt_hash", "null", "compact weight receipt hash is invalid"),
    {"NaN in the snapshot", "weight_snapshot", "extra", "NaN", 0, LP_CODE_ATTESTED_V2_ERROR, "AttestedV2Error",
     "value is not canonical JSON: Out of range float values are not JSON compliant"},
};

static lpc_value *apply(const edit *d)
{
    lpc_value *s = copy(lp_field(lpc_at(cases(), 0), "submission"));
    if (d->json) set(s, d->path, d->key, d->json);
    else del(s, d->path, d->key);
    if (d->rehash) rehash(s);
    return s;
}

START_TEST(tampered_shapes)
{
    for (size_t i = 0; i < sizeof k_shape_edits / sizeof k_shape_edits[0]; i++) {
        const edit *d = &k_shape_edits[i];
        lpc_value *s = apply(d);
        char h[LPC_CWV2_REF_SIZE];
        lpc_referr e;
        lpc_referr_clear(&e);
        lp_code rc = lpc_cwv2_bundle_hash(s, h, NULL, &e);
        want_err(rc, &e, d->code, d->type, d->message, d->name);
        lpc_free(s);
    }
}
END_TEST

/* Edits the reference accepts: the bundle hash covers the raw hotkey and the lowered
 * weights hash. */
START_TEST(tampered_accepted)
{
    static const edit ok[] = {
        {"weights hash upper-case", "weight_result", "weights_hash",
         "\"E1D63F4572FC4215D6C5DB8195600E86777E6E14D900218A88969CA7BF994C36\"", 1, LP_CODE_OK, "", NULL},
        {"weights signature upper-case", "", "weights_signature",
         "\"BFB8426CB9DE49605F7DC1E714A3C0E982F66DAC6EBBE4F02B04F3FA290663C588EE55114A822B8D34356B00D73FAE010B618F0833D96C3425EB834A87A92404\"",
         1, LP_CODE_OK, "", NULL},
        {"epoch evidence both objects", "", "epoch_authority", "{}", 1, LP_CODE_OK, "", NULL},
        {"receipt hash padded", "binding_receipt", "receipt_hash",
         "\" SHA256:9C3D1D10525FA0B9D3824E6755ABB5A0620E1F984640A370D12C62C0F8B59E7A \"", 1, LP_CODE_OK, "", NULL},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        lpc_value *s = apply(&ok[i]);
        if (i == 2) {
            set(s, "", "epoch_boundary", "{}");
            rehash(s);
        }
        char h[LPC_CWV2_REF_SIZE];
        lpc_value *pre = NULL;
        lpc_referr e;
        ck_assert_msg(lpc_cwv2_bundle_hash(s, h, &pre, &e) == LP_CODE_OK, "%s: %s", ok[i].name, e.message);
        ck_assert_str_ne(h, lp_field_str(lpc_at(cases(), 0), "bundle_hash")); /* the submission hash changed */
        ck_assert_str_eq(lp_field_str(pre, "weights_hash"),
                         "e1d63f4572fc4215d6c5db8195600e86777e6e14d900218a88969ca7bf994c36");
        ck_assert_str_eq(lp_field_str(pre, "weight_receipt_hash"),
                         "sha256:9c3d1d10525fa0b9d3824e6755abb5a0620e1f984640a370d12c62c0f8b59e7a");
        lpc_free(pre);
        lpc_free(s);
    }
}
END_TEST

/* build_weight_ancestry_commitment_v2 on edited arguments of the first submission. */
static lp_code commit(lpc_value *s, const char *lineage, char out[LPC_CWV2_REF_SIZE], lpc_referr *e)
{
    lpc_value *l = parse(lineage);
    lp_code rc = lpc_cwv2_ancestry_commitment(l, lpc_get(lpc_get(s, "weight_snapshot"), "input_receipt_hashes"),
                                              lpc_get(s, "upstream_ancestry_proofs"),
                                              lpc_get(s, "upstream_transport_attempts"), out, NULL, e);
    lpc_free(l);
    return rc;
}

#define LIN "\"sha256:68c719dcc18353c20d330063d8e93f51e0287c1688193cbbc8468eea7dc8acc1\""

START_TEST(tampered_commitments)
{
    static const edit eds[] = {
        {"input category missing", "weight_snapshot.input_receipt_hashes", "bans", NULL, 0, CW,
         "weight input receipt categories are incomplete"},
        {"proof category extra", "upstream_ancestry_proofs", "chain_state", "{}", 0, CW,
         "gateway compact proof categories are incomplete"},
        {"attempt invalid", "upstream_transport_attempts.1", "destination_port", "80", 0, CW,
         "gateway compact transport attempt is invalid"},
        {"certificate missing", "upstream_ancestry_proofs.bans", "certificate", NULL, 0, CW,
         "gateway compact certificate is missing"},
        {"proof hash upper-case bare", "upstream_ancestry_proofs.bans", "proof_hash", "\"1A7E\"", 0, CW,
         "compact proof hash is invalid"},
        {"certificate hash null", "upstream_ancestry_proofs.champions.certificate", "certificate_hash", "null", 0, CW,
         "compact certificate hash is invalid"},
        {"input hash bare", "weight_snapshot.input_receipt_hashes", "anomaly_adjustments", "\"290736a5\"", 0, CW,
         "anomaly_adjustments input receipt hash is invalid"},
        {"claim missing", "upstream_ancestry_proofs.leaderboard.certificate", "claim", NULL, 0, CW,
         "compact proof claim is missing"},
        {"claim root invalid", "upstream_ancestry_proofs.bans.certificate.claim", "output_root_receipt_hash", "1", 0, CW,
         "proof root is invalid"},
        {"claim parents null", "upstream_ancestry_proofs.bans.certificate.claim", "parent_authorities", "null", 0, CW,
         "compact proof parents are invalid"},
        {"claim parent a string", "upstream_ancestry_proofs.bans.certificate.claim", "parent_authorities", "[\"x\"]", 0,
         CW, "compact proof parent is invalid"},
        {"claim parent root invalid", "upstream_ancestry_proofs.bans.certificate.claim", "parent_authorities",
         "[{\"parent_receipt_hash\":\"sha256:zz\"}]", 0, CW, "proof parent root is invalid"},
        {"proof a list", "upstream_ancestry_proofs", "bans", "[]", 0, LP_CODE_UNSUPPORTED, "AttributeError",
         "'list' object has no attribute 'get'"},
    };
    for (size_t i = 0; i < sizeof eds / sizeof eds[0]; i++) {
        lpc_value *s = apply(&eds[i]);
        char h[LPC_CWV2_REF_SIZE];
        lpc_referr e;
        lpc_referr_clear(&e);
        want_err(commit(s, LIN, h, &e), &e, eds[i].code, eds[i].type, eds[i].message, eds[i].name);
        lpc_free(s);
    }
    /* lineage ids */
    lpc_value *s = copy(lp_field(lpc_at(cases(), 0), "submission"));
    char h[LPC_CWV2_REF_SIZE];
    lpc_referr e;
    want_err(commit(s, "\"68c719dc\"", h, &e), &e, CW, "ancestry lineage id is invalid", "lineage bare");
    ck_assert_int_eq(commit(s, "\" SHA256:68C719DCC18353C20D330063D8E93F51E0287C1688193CBBC8468EEA7DC8ACC1 \"", h, &e),
                     LP_CODE_OK); /* the compact _hash normalises */
    ck_assert_str_eq(h, lp_field_str(lpc_at(cases(), 0), "ancestry_commitment"));
    /* an attempt repeated: duplicated (it is valid) */
    lpc_value *atts = at(s, "upstream_transport_attempts");
    ck_assert_int_eq(lpc_array_append(atts, copy(lpc_at(atts, 0))), LPC_OK);
    want_err(commit(s, LIN, h, &e), &e, CW, "gateway compact transport attempt is duplicated", "attempt duplicated");
    /* a duplicate before an invalid attempt is reported first; an invalid one before a duplicate */
    lpc_value *bad = copy(lpc_at(atts, 1));
    ck_assert_int_eq(lpc_object_set(bad, "destination_port", 16, lpc_new_int(80)), LPC_OK);
    ck_assert_int_eq(lpc_array_append(atts, bad), LPC_OK);
    want_err(commit(s, LIN, h, &e), &e, CW, "gateway compact transport attempt is duplicated", "dup then invalid");
    lpc_free(s);
    s = copy(lp_field(lpc_at(cases(), 0), "submission"));
    atts = at(s, "upstream_transport_attempts");
    bad = copy(lpc_at(atts, 1));
    ck_assert_int_eq(lpc_object_set(bad, "destination_port", 16, lpc_new_int(80)), LPC_OK);
    ck_assert_int_eq(lpc_array_append(atts, bad), LPC_OK);
    ck_assert_int_eq(lpc_array_append(atts, copy(lpc_at(atts, 0))), LPC_OK);
    want_err(commit(s, LIN, h, &e), &e, CW, "gateway compact transport attempt is invalid", "invalid then dup");
    lpc_free(s);
    /* no attempts at all: a different, valid commitment */
    s = copy(lp_field(lpc_at(cases(), 0), "submission"));
    set(s, "", "upstream_transport_attempts", "[]");
    ck_assert_int_eq(commit(s, LIN, h, &e), LP_CODE_OK);
    ck_assert_str_ne(h, lp_field_str(lpc_at(cases(), 0), "ancestry_commitment"));
    lpc_free(s);
    /* a frontier that references itself is empty */
    s = copy(lp_field(lpc_at(cases(), 0), "submission"));
    lpc_value *proofs = at(s, "upstream_ancestry_proofs");
    for (size_t i = 0; i < proofs->u.o.n; i++) {
        lpc_value *claim = at(proofs->u.o.items[i].val, "certificate.claim");
        char j[200];
        snprintf(j, sizeof j, "[{\"parent_receipt_hash\":\"%s\"}]", lp_field_str(claim, "output_root_receipt_hash"));
        set(claim, "", "parent_authorities", j);
    }
    want_err(commit(s, LIN, h, &e), &e, CW, "compact proof frontier is empty", "frontier empty");
    lpc_free(s);
    /* non-objects are refused, not guessed */
    lpc_value *nul = parse("null");
    ck_assert_int_eq(lpc_cwv2_ancestry_commitment(nul, nul, nul, nul, h, NULL, &e), LP_CODE_UNSUPPORTED);
    lpc_value *fr = NULL;
    ck_assert_int_eq(lpc_cwv2_gateway_frontier(nul, &fr, &e), LP_CODE_UNSUPPORTED);
    ck_assert_ptr_null(fr);
    lpc_free(nul);
}
END_TEST

#define AC LP_CODE_ANCESTRY_CHECKPOINT_V2_ERROR, "AncestryCheckpointV2Error"
#define MH "\"sha256:58d9048c3c96c8f82ccd6e2c2445ed497539022f5e539b2b4af6ddb0f5dd50c2\""
#define GH "\"0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03\""

START_TEST(tampered_lineage)
{
    static const struct {
        const char *mh, *gh, *nu, *msg;
    } cs[] = {
        {MH, GH, "true", "lineage netuid is outside the canonical bound"},
        {MH, GH, "-1", "lineage netuid is outside the canonical bound"},
        {MH, GH, "2147483648", "lineage netuid is outside the canonical bound"},
        {MH, GH, "71.0", "lineage netuid is outside the canonical bound"},
        {"\"sha256:58D9048C3C96C8F82CCD6E2C2445ED497539022F5E539B2B4AF6DDB0F5DD50C2\"", GH, "71",
         "cutover mapping hash is not canonical"},
        {"\" sha256:58d9048c3c96c8f82ccd6e2c2445ed497539022f5e539b2b4af6ddb0f5dd50c2\"", GH, "71",
         "cutover mapping hash is not canonical"},
        {"\"58d9048c3c96c8f82ccd6e2c2445ed497539022f5e539b2b4af6ddb0f5dd50c2\"", GH, "71",
         "cutover mapping hash is invalid"},
        {MH, "\"0x2F0555CC76FC2840A25A6EA3B9637146806F1F44B090C175FFDE2A7E5AB36C03\"", "71",
         "network genesis hash is invalid"},
        {MH, "\"2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03\"", "71",
         "network genesis hash is invalid"},
    };
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        lpc_value *a = parse(cs[i].mh), *b = parse(cs[i].gh), *c = parse(cs[i].nu);
        char id[LPC_CWV2_REF_SIZE];
        lpc_referr e;
        lpc_referr_clear(&e);
        char what[32];
        snprintf(what, sizeof what, "lineage case %zu", i);
        want_err(lpc_cwv2_lineage_id(a, b, c, id, NULL, &e), &e, AC, cs[i].msg, what);
        lpc_free(a);
        lpc_free(b);
        lpc_free(c);
    }
    /* netuid 0 and the bound itself are inside */
    lpc_value *a = parse(MH), *b = parse(GH), *c = parse("2147483647");
    char id[LPC_CWV2_REF_SIZE];
    lpc_referr e;
    ck_assert_int_eq(lpc_cwv2_lineage_id(a, b, c, id, NULL, &e), LP_CODE_OK);
    ck_assert_str_ne(id, "sha256:68c719dcc18353c20d330063d8e93f51e0287c1688193cbbc8468eea7dc8acc1");
    lpc_free(a);
    lpc_free(b);
    lpc_free(c);
}
END_TEST

#define SE LP_CODE_SUBNET_EPOCH_ERROR, "SubnetEpochError"

START_TEST(tampered_manifest)
{
    static const edit eds[] = {
        {"mapping hash other", "", "mapping_hash",
         "\"sha256:58d9048c3c96c8f82ccd6e2c2445ed497539022f5e539b2b4af6ddb0f5dd50c3\"", 0, SE,
         "epoch cutover mapping hash mismatch"},
        {"netuid 72", "", "netuid", "72", 0, SE, "epoch cutover mapping hash mismatch"},
        {"netuid zero", "", "netuid", "0", 0, SE, "netuid must be positive"},
        {"netuid bool", "", "netuid", "true", 0, SE, "netuid must be an integer"},
        {"netuid null", "", "netuid", "null", 0, SE, "netuid must be an integer"},
        {"cutover block negative", "", "cutover_block", "-5", 0, SE, "cutover_block must be >= 0"},
        {"genesis short", "", "network_genesis_hash", "\"0x2f05\"", 0, SE,
         "network_genesis_hash must be a 32-byte lowercase hex hash"},
        {"block hash null", "", "cutover_block_hash", "null", 0, SE,
         "cutover_block_hash must be a 32-byte lowercase hex hash"},
        {"schema other", "", "schema_version", "\"leadpoet.subnet_epoch_cutover.v2\"", 0, SE,
         "unsupported epoch cutover schema"},
        {"scheme other", "", "epoch_scheme", "\"bittensor.subnet_epoch_index.v2\"", 0, SE, "unsupported epoch scheme"},
        {"legacy gap", "", "last_legacy_epoch_id", "24071", 0, SE,
         "first settlement epoch must immediately follow the last legacy epoch"},
        {"unknown key", "", "note", "\"x\"", 0, LP_CODE_PYTHON_TYPE_ERROR, "TypeError",
         "SubnetEpochCutover.__init__() got an unexpected keyword argument 'note'"},
        {"missing netuid", "", "netuid", NULL, 0, LP_CODE_PYTHON_TYPE_ERROR, "TypeError",
         "SubnetEpochCutover.__init__() missing 1 required positional argument: 'netuid'"},
    };
    for (size_t i = 0; i < sizeof eds / sizeof eds[0]; i++) {
        lpc_value *m = copy(manifest());
        if (eds[i].json) set(m, "", eds[i].key, eds[i].json);
        else del(m, "", eds[i].key);
        lpc_se_cutover c;
        lpc_referr e;
        lpc_referr_clear(&e);
        want_err(lpc_se_cutover_from_manifest(m, &c, &e), &e, eds[i].code, eds[i].type, eds[i].message, eds[i].name);
        char id[LPC_CWV2_REF_SIZE];
        want_err(lpc_cwv2_lineage_id_from_manifest(m, id, NULL, &e), &e, eds[i].code, eds[i].type, eds[i].message,
                 eds[i].name);
        lpc_free(m);
    }
    /* three missing: Python's list form */
    lpc_value *m = copy(manifest());
    del(m, "", "netuid");
    del(m, "", "cutover_block");
    del(m, "", "last_legacy_epoch_id");
    lpc_se_cutover c;
    lpc_referr e;
    want_err(lpc_se_cutover_from_manifest(m, &c, &e), &e, LP_CODE_PYTHON_TYPE_ERROR, "TypeError",
             "SubnetEpochCutover.__init__() missing 3 required positional arguments: 'netuid', 'cutover_block', and "
             "'last_legacy_epoch_id'",
             "three missing");
    lpc_free(m);
    /* accepted variants: no mapping_hash (computed), an upper-case one (compared lowered),
     * which the lineage then refuses as not canonical */
    m = copy(manifest());
    del(m, "", "mapping_hash");
    char id[LPC_CWV2_REF_SIZE];
    ck_assert_int_eq(lpc_cwv2_lineage_id_from_manifest(m, id, NULL, &e), LP_CODE_OK);
    ck_assert_str_eq(id, "sha256:68c719dcc18353c20d330063d8e93f51e0287c1688193cbbc8468eea7dc8acc1");
    set(m, "", "mapping_hash", "\"SHA256:58D9048C3C96C8F82CCD6E2C2445ED497539022F5E539B2B4AF6DDB0F5DD50C2\"");
    ck_assert_int_eq(lpc_se_cutover_from_manifest(m, &c, &e), LP_CODE_OK);
    want_err(lpc_cwv2_lineage_id_from_manifest(m, id, NULL, &e), &e, AC, "cutover mapping hash is not canonical",
             "upper-case mapping hash");
    lpc_free(m);
    lpc_value *arr = parse("[]");
    want_err(lpc_se_cutover_from_manifest(arr, &c, &e), &e, SE, "subnet epoch cutover manifest must be an object", "list");
    lpc_free(arr);
}
END_TEST


/* ---- verify_local --------------------------------------------------------------------- */

/* The verified bundle the event records name for each compact submission (`ties` of
 * weight_submission_v2_events.records, bundle_kind compact, source_case = the name). */
static const lpc_value *ties_for(const char *name)
{
    const lpc_value *r = lp_field(lp_field(vec(), "weight_submission_v2_events"), "records");
    for (size_t i = 0; i < r->u.a.n; i++)
        if (lpc_str_eq(lp_field(r->u.a.items[i], "source_case"), name)) return lp_field(r->u.a.items[i], "ties");
    ck_abort_msg("no record for %s", name);
    return NULL;
}

START_TEST(verify_local_submissions)
{
    for (size_t i = 0; i < 2; i++) {
        const lpc_value *c = lpc_at(cases(), i), *s = lp_field(c, "submission");
        for (int with_manifest = 1; with_manifest >= 0; with_manifest--) {
            lpc_value *v = NULL;
            lpc_referr e;
            lpc_referr_clear(&e);
            lp_code rc = lpc_cwv2_verify_local(s, with_manifest ? manifest() : NULL, &v, &e);
            ck_assert_msg(rc == LP_CODE_OK, "%s: %s %s: %s", lp_field_str(c, "name"), lp_code_name(rc), e.type, e.message);
            const lpc_value *t = ties_for(lp_field_str(c, "name"));
            for (size_t k = 0; k < t->u.o.n; k++)
                same_json(lp_field(v, t->u.o.items[k].key), t->u.o.items[k].val, t->u.o.items[k].key);
            ck_assert_str_eq(lp_field_str(v, "bundle_hash"), lp_field_str(c, "bundle_hash"));
            ck_assert_str_eq(lp_field_str(v, "compact_submission_hash"), lp_field_str(c, "compact_submission_hash"));
            const lpc_value *res = lp_field(s, "weight_result");
            same_json(lp_field(v, "uids"), lp_field(res, "sparse_uids"), "uids");
            same_json(lp_field(v, "weights_u16"), lp_field(res, "sparse_weights_u16"), "weights_u16");
            ck_assert_str_eq(lp_field_str(v, "weight_receipt_hash"),
                             lp_field_str(lp_field(s, "validator_receipt_delta"), "root_receipt_hash"));
            ck_assert_str_eq(lp_field_str(v, "snapshot_hash"), lp_field_str(lp_field(s, "weight_snapshot"), "snapshot_hash"));
            ck_assert_str_eq(lp_field_str(v, "validator_enclave_pubkey"),
                             lp_field_str(lp_field(lp_field(vec(), "keys"), "v2_validator_boot"), "public_key_hex"));
            ck_assert_uint_eq(v->u.o.n, 14);
            lpc_free(v);
        }
    }
}
END_TEST

/* Re-signs a receipt of a built tree with the validator boot's public test seed
 * (keys.v2_validator_boot): receipt_hash = sha256_json(the 21 body fields), Ed25519 over
 * its digest. */
static void resign(lpc_value *r)
{
    ck_assert_int_ge(sodium_init(), 0);
    const lpc_value *key = lp_field(lp_field(vec(), "keys"), "v2_validator_boot");
    size_t n;
    uint8_t *seed = lp_unhex(lp_field_str(key, "seed_hex"), &n), pk[32], sk[64], d[32], sig[64];
    crypto_sign_seed_keypair(pk, sk, seed);
    free(seed);
    lpc_value *body = copy(r);
    del(body, "", "receipt_hash");
    del(body, "", "enclave_pubkey");
    del(body, "", "enclave_signature");
    char h[LPC_CWV2_REF_SIZE], sh[129], j[160];
    lpc_referr e;
    ck_assert_int_eq(lpc_v2_sha256_json(body, h, &e), LP_CODE_OK);
    lpc_free(body);
    lpc_hex_decode(h + 7, 64, d, 32, &n);
    crypto_sign_detached(sig, NULL, d, 32, sk);
    lpc_hex_encode(sig, 64, sh);
    snprintf(j, sizeof j, "\"%s\"", h);
    set(r, "", "receipt_hash", j);
    snprintf(j, sizeof j, "\"%s\"", sh);
    set(r, "", "enclave_signature", j);
}

/* An attempt rebuilt (request_hash, attempt_hash) with another job_id. */
static lpc_value *attempt_with_job(const lpc_value *a, const char *job)
{
    lpc_value *f = copy(a), *out = NULL;
    char j[128];
    snprintf(j, sizeof j, "\"%s\"", job);
    set(f, "", "job_id", j);
    lpc_referr e;
    ck_assert_int_eq(lpc_av2_build_transport_attempt(f, &out, &e), LP_CODE_OK);
    lpc_free(f);
    return out;
}

typedef void (*tamper_fn)(lpc_value *s);

static void t_result_block(lpc_value *s) { set(s, "weight_result", "block", "8772931"); }
static void t_snapshot_block(lpc_value *s) { set(s, "weight_snapshot", "block", "8772931"); }
static void t_snapshot_inputs(lpc_value *s) { del(s, "weight_snapshot.input_receipt_hashes", "bans"); }
static void t_host_ops(lpc_value *s) { set(s, "validator_receipt_delta", "host_operations", "[{}]"); }
static void t_no_boot(lpc_value *s) { set(s, "validator_receipt_delta", "boot_identities", "[]"); }
static void t_boot_string(lpc_value *s)
{
    ck_assert_int_eq(lpc_array_append(at(s, "validator_receipt_delta.boot_identities"), lpc_new_str("x", 1)), LPC_OK);
}
static void t_boot_dup(lpc_value *s)
{
    lpc_value *b = at(s, "validator_receipt_delta.boot_identities");
    ck_assert_int_eq(lpc_array_append(b, copy(lpc_at(b, 0))), LPC_OK);
}
static void t_boot_key(lpc_value *s)
{
    set(s, "validator_receipt_delta.boot_identities.0", "signing_pubkey",
        "\"01e95963bc8941a006e8cc5d64b1386a31ff076c6cbd26e18729c1a32fc19ce3\"");
}
static void t_receipt_int(lpc_value *s)
{
    ck_assert_int_eq(lpc_array_append(at(s, "validator_receipt_delta.receipts"), lpc_new_int(5)), LPC_OK);
}
static void t_receipt_dup(lpc_value *s)
{
    lpc_value *r = at(s, "validator_receipt_delta.receipts");
    ck_assert_int_eq(lpc_array_append(r, copy(lpc_at(r, 3))), LPC_OK);
}
static void t_attempt_dup(lpc_value *s)
{
    lpc_value *a = at(s, "validator_receipt_delta.transport_attempts");
    ck_assert_int_eq(lpc_array_append(a, copy(lpc_at(a, 0))), LPC_OK);
}
static void t_attempt_unclaimed(lpc_value *s)
{
    lpc_value *a = at(s, "validator_receipt_delta.transport_attempts");
    ck_assert_int_eq(lpc_array_append(a, attempt_with_job(lpc_at(a, 0), "weight-input:chain_state:24355")), LPC_OK);
}
static void t_attempt_dropped(lpc_value *s)
{
    lpc_value *a = at(s, "validator_receipt_delta.transport_attempts");
    lpc_free(a->u.a.items[2]);
    a->u.a.n = 2;
}
static void t_receipt_dropped(lpc_value *s)
{
    lpc_value *r = at(s, "validator_receipt_delta.receipts");
    ck_assert_str_eq(lp_field_str(lpc_at(r, 4), "purpose"), "validator.feature_flags.v2");
    lpc_free(r->u.a.items[4]);
    for (size_t i = 4; i + 1 < r->u.a.n; i++) r->u.a.items[i] = r->u.a.items[i + 1];
    r->u.a.n--;
}
static void t_disclosed_edited(lpc_value *s)
{
    set(s, "upstream_ancestry_proofs.bans.disclosed_receipts.0", "output_root",
        "\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"");
}
static void t_disclosed_twice(lpc_value *s)
{
    lpc_value *l = at(s, "upstream_ancestry_proofs.bans.disclosed_receipts");
    ck_assert_int_eq(lpc_array_append(l, copy(lpc_at(l, 0))), LPC_OK);
}
static void t_disclosed_none(lpc_value *s) { set(s, "upstream_ancestry_proofs.bans", "disclosed_receipts", "[]"); }
static void t_up_attempt_scope(lpc_value *s)
{
    lpc_value *a = at(s, "upstream_transport_attempts");
    ck_assert_int_eq(lpc_array_append(a, attempt_with_job(lpc_at(a, 0), "weight-input:bans:24355")), LPC_OK);
}
static void t_up_attempt_dup(lpc_value *s)
{
    lpc_value *a = at(s, "upstream_transport_attempts");
    ck_assert_int_eq(lpc_array_append(a, copy(lpc_at(a, 3))), LPC_OK);
}
static void t_up_attempt_port(lpc_value *s) { set(s, "upstream_transport_attempts.0", "destination_port", "80"); }
static void t_commitment(lpc_value *s)
{
    set(s, "", "ancestry_commitment", "\"sha256:8ca3d046d1753c758532cbd72fd16ad2b7b02816192b9a74526d2a61921b6409\"");
}
static void t_root_is_snapshot(lpc_value *s)
{
    const char *snap = lp_field_str(lpc_at(at(s, "validator_receipt_delta.receipts"), 5), "receipt_hash");
    char j[96], l[100];
    snprintf(j, sizeof j, "\"%s\"", snap);
    snprintf(l, sizeof l, "[%s]", j);
    set(s, "binding_receipt", "parent_receipt_hashes", l);
    set(s, "validator_receipt_delta", "root_receipt_hash", j);
}
static void t_binding_unsigned(lpc_value *s) { set(s, "binding_receipt", "sequence", "3"); }
static void t_binding_purpose(lpc_value *s)
{
    set(s, "binding_receipt", "purpose", "\"validator.weights.computed.v2\"");
    resign(at(s, "binding_receipt"));
}
static void t_binding_input(lpc_value *s)
{
    set(s, "binding_receipt", "input_root", "\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"");
    resign(at(s, "binding_receipt"));
}
static void t_binding_resigned(lpc_value *s)
{
    set(s, "binding_receipt", "issued_at", "\"2026-08-23T07:41:27Z\"");
    resign(at(s, "binding_receipt"));
}
static void t_message_invalid(lpc_value *s) { set(s, "", "binding_message", "\"LEADPOET_VALIDATOR_BINDING|netuid=71\""); }
static void t_message_chain(lpc_value *s)
{
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", lp_field_str(lp_field(lpc_at(cases(), 0), "submission"), "binding_message"));
    char *p = strstr(msg, "entrypoint-finney");
    ck_assert_ptr_nonnull(p);
    memcpy(p, "entrypoint-testnt", 17);
    char j[1100];
    snprintf(j, sizeof j, "\"%s\"", msg);
    set(s, "", "binding_message", j);
}
static void t_hotkey_signature(lpc_value *s)
{
    set(s, "", "validator_hotkey_signature",
        "\"b44c0923da2aa4882e04ad903f7eeb30a9681a1aa5e281710b940761a6b4aff899fc81aac0a2d19fc4f444b416e45fd82a548481a302359b3e25c1430aae70ef\"");
}
static void t_weights_signature(lpc_value *s)
{
    set(s, "", "weights_signature",
        "\"cfb8426cb9de49605f7dc1e714a3c0e982f66dac6ebbe4f02b04f3fa290663c588ee55114a822b8d34356b00d73fae010b618f0833d96c3425eb834a87a92404\"");
}
static void t_netuid_float(lpc_value *s) { set(s, "weight_result", "netuid", "71.0"); }

typedef struct {
    const char *name;
    tamper_fn fn;
    lp_code code;
    const char *type, *message;
} vcase;

#define AU LP_CODE_COMPACT_AUDITOR_AUTHORITY_V2_ERROR, "CompactAuditorAuthorityV2Error"

START_TEST(verify_local_tampered)
{
    static const vcase cs[] = {
        {"result block", t_result_block, AU, "compact weight result is not canonical"},
        {"snapshot block", t_snapshot_block, LP_CODE_WEIGHT_AUTHORITY_V2_ERROR, "WeightAuthorityV2Error",
         "weight_snapshot is not canonical"},
        {"snapshot inputs", t_snapshot_inputs, CW, "compact snapshot inputs are incomplete"},
        {"host operations", t_host_ops, AU, "validator receipt delta has host operations"},
        {"no boot", t_no_boot, AU, "validator delta boot is missing"},
        {"boot a string", t_boot_string, AU, "validator delta boot is invalid"},
        {"boot twice", t_boot_dup, AU, "validator delta boot is duplicated"},
        {"boot key changed", t_boot_key, LP_CODE_ATTESTED_V2_ERROR, "AttestedV2Error",
         "boot_identity_hash does not match body"},
        {"receipt an int", t_receipt_int, AU, "validator delta receipt is invalid"},
        {"receipt twice", t_receipt_dup, AU, "validator delta receipt is duplicated"},
        {"attempt twice", t_attempt_dup, AU, "validator delta attempt is duplicated"},
        {"attempt of no receipt", t_attempt_unclaimed, AU, "validator delta has unclaimed transport"},
        {"attempt dropped", t_attempt_dropped, AU, "validator delta transport root differs"},
        {"feature_flags receipt dropped", t_receipt_dropped, AU, "feature_flags compact input receipt is missing"},
        {"disclosed receipt edited", t_disclosed_edited, CW, "compact ancestry failed for bans"},
        /* the proof validation rejects a repeated disclosure ("proof receipt is duplicated") */
        {"disclosed receipt twice", t_disclosed_twice, CW, "compact ancestry failed for bans"},
        {"direct receipt not disclosed", t_disclosed_none, CW, "compact ancestry failed for bans"},
        {"upstream attempt of another job", t_up_attempt_scope, CW,
         "compact transport attempt is outside the direct input scopes"},
        {"upstream attempt twice", t_up_attempt_dup, CW, "compact transport attempt is duplicated"},
        {"upstream attempt port 80", t_up_attempt_port, CW, "compact transport attempt is invalid"},
        {"ancestry commitment of the other case", t_commitment, CW, "compact ancestry commitment differs"},
        {"delta root is the snapshot receipt", t_root_is_snapshot, AU, "compact computed receipt differs"},
        {"binding edited unsigned", t_binding_unsigned, LP_CODE_ATTESTED_V2_ERROR, "AttestedV2Error",
         "receipt_hash does not match body"},
        {"binding purpose re-signed", t_binding_purpose, AU, "compact binding receipt differs"},
        {"binding input re-signed", t_binding_input, AU, "compact binding receipt output differs"},
        {"binding message truncated", t_message_invalid, AU, "compact binding message is invalid"},
        {"binding message other chain", t_message_chain, AU, "compact validator hotkey signature is invalid"},
        {"hotkey signature other", t_hotkey_signature, AU, "compact binding receipt output differs"},
        {"weights signature other", t_weights_signature, AU, "compact weight signature is invalid"},
        {"result netuid 71.0", t_netuid_float, CW, "compact weight netuid is invalid"},
    };
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        lpc_value *s = copy(lp_field(lpc_at(cases(), 0), "submission"));
        cs[i].fn(s);
        rehash(s);
        lpc_value *v = NULL;
        lpc_referr e;
        lpc_referr_clear(&e);
        lp_code rc = lpc_cwv2_verify_local(s, manifest(), &v, &e);
        want_err(rc, &e, cs[i].code, cs[i].type, cs[i].message, cs[i].name);
        ck_assert_ptr_null(v);
        lpc_free(s);
    }
    /* the binding receipt re-signed with an unchanged meaning: it verifies, with another
     * root_receipt_hash and bundle_hash */
    lpc_value *s = copy(lp_field(lpc_at(cases(), 0), "submission"));
    t_binding_resigned(s);
    rehash(s);
    lpc_value *v = NULL;
    lpc_referr e;
    ck_assert_msg(lpc_cwv2_verify_local(s, manifest(), &v, &e) == LP_CODE_OK, "%s", e.message);
    ck_assert_str_eq(lp_field_str(v, "root_receipt_hash"), lp_field_str(lp_field(s, "binding_receipt"), "receipt_hash"));
    ck_assert_str_ne(lp_field_str(v, "bundle_hash"), lp_field_str(lpc_at(cases(), 0), "bundle_hash"));
    lpc_free(v);
    lpc_free(s);
    /* without a manifest the commitment is not recomputed: the artifact root catches it */
    s = copy(lp_field(lpc_at(cases(), 0), "submission"));
    t_commitment(s);
    rehash(s);
    want_err(lpc_cwv2_verify_local(s, NULL, &v, &e), &e, AU, "compact snapshot ancestry commitment differs", "no manifest");
    lpc_free(s);
    /* a manifest of another lineage */
    lpc_value *m = copy(manifest());
    set(m, "", "netuid", "72");
    del(m, "", "mapping_hash");
    want_err(lpc_cwv2_verify_local(lp_field(lpc_at(cases(), 0), "submission"), m, &v, &e), &e, CW,
             "compact ancestry commitment differs", "other lineage");
    set(m, "", "mapping_hash", "\"sha256:00\"");
    want_err(lpc_cwv2_verify_local(lp_field(lpc_at(cases(), 0), "submission"), m, &v, &e), &e,
             LP_CODE_SUBNET_EPOCH_ERROR, "SubnetEpochError", "epoch cutover mapping hash mismatch", "bad manifest");
    lpc_free(m);
    /* the vector's accepted upper-case hotkey signature: bundle_hash accepts it, the
     * binding receipt's output does not */
    const lpc_value *up = lp_field(lpc_at(lp_field(lpc_at(cases(), 0), "negatives"), 1), "submission");
    want_err(lpc_cwv2_verify_local(up, manifest(), &v, &e), &e, AU, "compact binding receipt output differs", "upper sig");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("compact_weight_v2");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, submission_hashes_and_bundle_hashes);
    tcase_add_test(tc, ancestry_commitments_and_artifact_roots);
    tcase_add_test(tc, vector_negatives);
    tcase_add_test(tc, lineage_id);
    tcase_add_test(tc, cutover_manifest_fields);
    tcase_add_test(tc, tampered_shapes);
    tcase_add_test(tc, tampered_accepted);
    tcase_add_test(tc, tampered_commitments);
    tcase_add_test(tc, tampered_lineage);
    tcase_add_test(tc, tampered_manifest);
    tcase_add_test(tc, verify_local_submissions);
    tcase_add_test(tc, verify_local_tampered);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(suite)
