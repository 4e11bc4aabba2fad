/* verify_weight_bundle's procedure (audit/weight_bundle_v2_verify.h) on the real
 * attestation path: the production-shaped published bundle of
 * vectors/leadpoet-v2/weights_v2.json, re-issued for a hotkey whose secret is known
 * (key K1 of vectors/sr25519, schnorrkel-made) and with every boot carrying a
 * genuine-shaped Nitro document signed under the test root (tests/lp_attest_fixture.h):
 * PCR0 = the boot's pcr0, user_data = the claim the vectors give for that boot, public_key
 * = its signing key.  The snapshot, computed and binding receipts are re-signed with the
 * validator boot's vector seed.  The vectors' placeholders (not COSE, not sr25519) are
 * what the opt-out flags are for; this file shows the default path verifying. */
#include <check.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attest/policy.h"
#include "audit/weight_bundle_v2_verify.h"
#include "canonical/lpc_attested_v2.h"
#include "canonical/lpc_codec.h"
#include "canonical/lpc_dump.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_sr25519.h"
#include "canonical/lpc_v2_common.h"
#include "canonical/lpc_weight_authority_v2.h"
#include "tests/lp_attest_fixture.h"
#include "tests/lp_checkpoint_fixture.h"
#include "tests/lp_test.h"

#define DOC_TIME_MS 1787500000000ull   /* 2026-08-23, the boots' issued_at day */
#define PCR_FILL 0x5a

static lpc_value *g_vec, *g_sr;
static lpt_pki g_pki;

/* ---- keys ---- */

typedef struct {
    const char *ss58;
    uint8_t x[32], pk[32];   /* sr25519 secret scalar and public key */
} sr_key;

/* Key `name` of vectors/sr25519 (the scalar is the first half of SecretKey::to_bytes). */
static void sr_key_of(const char *name, sr_key *k)
{
    const lpc_value *cs = lp_field(g_sr, "cases");
    for (size_t i = 0; i < cs->u.a.n; i++) {
        const lpc_value *key = lpc_get(cs->u.a.items[i], "key");
        if (!key || key->type != LPC_OBJECT || !lpc_str_eq(lpc_get(key, "name"), name)) continue;
        size_t n;
        uint8_t *sk = lp_unhex(lp_field_str(key, "secret_key_substrate_hex"), &n);
        uint8_t *pk = lp_unhex(lp_field_str(key, "public_key_hex"), &n);
        memcpy(k->x, sk, 32);
        memcpy(k->pk, pk, 32);
        free(sk);
        free(pk);
        k->ss58 = lp_field_str(key, "ss58_address");
        /* the scalar is the key's: x*B is the published public key */
        uint8_t chk[32];
        ck_assert_int_eq(crypto_scalarmult_ristretto255_base(chk, k->x), 0);
        ck_assert_mem_eq(chk, k->pk, 32);
        return;
    }
    ck_abort_msg("no sr25519 key %s", name);
}

/* A schnorrkel simple signature (sr25519.md §3): R = r*B, k = challenge(pk, "substrate",
 * msg, R), s = k*x + r, marked.  Test-only: its output is checked by the verifier, which
 * is itself tested against schnorrkel's signatures. */
static void sr_sign(const sr_key *k, const char *msg, char hex[129])
{
    uint8_t r[32], R[32], c[64], kk[32], kx[32], sig[64];
    crypto_core_ristretto255_scalar_random(r);
    ck_assert_int_eq(crypto_scalarmult_ristretto255_base(R, r), 0);
    lpc_iov part = {(const uint8_t *)msg, strlen(msg)};
    lpc_sr25519_challenge(k->pk, (const uint8_t *)LPC_SR25519_CONTEXT, strlen(LPC_SR25519_CONTEXT), &part, 1, R, c);
    crypto_core_ristretto255_scalar_reduce(kk, c);
    crypto_core_ristretto255_scalar_mul(kx, kk, k->x);
    memcpy(sig, R, 32);
    crypto_core_ristretto255_scalar_add(sig + 32, kx, r);
    sig[63] |= 0x80;
    lpc_hex_encode(sig, 64, hex);
}

static void ed_keys(const char *name, uint8_t pk[32], uint8_t sk[64])
{
    size_t n;
    uint8_t *seed = lp_unhex(lp_field_str(lp_field(lp_field(g_vec, "keys"), name), "seed_hex"), &n);
    ck_assert_uint_eq(n, 32);
    crypto_sign_seed_keypair(pk, sk, seed);
    free(seed);
}

/* ---- value helpers ---- */

static lpc_value *clone(const lpc_value *v)
{
    lpc_value *c = NULL;
    ck_assert_int_eq(lpc_clone(v, &c), LPC_OK);
    return c;
}
static void set(lpc_value *o, const char *k, lpc_value *v)
{
    ck_assert_int_eq(lpc_object_set(o, k, strlen(k), v), LPC_OK);
}
static void set_s(lpc_value *o, const char *k, const char *s)
{
    set(o, k, lpc_new_str(s, strlen(s)));
}
static lpc_value *mut(const lpc_value *v)
{
    return (lpc_value *)v;
}
static void sha_json(const lpc_value *v, char out[72])
{
    lpc_referr e;
    ck_assert_int_eq(lpc_v2_sha256_json(v, out, &e), LP_CODE_OK);
}
static lpc_value *array_of(const char *s)
{
    lpc_value *a = lpc_new_array();
    ck_assert_int_eq(lpc_array_append(a, lpc_new_str(s, strlen(s))), LPC_OK);
    return a;
}

/* The receipt of graph with that purpose. */
static lpc_value *receipt(lpc_value *graph, const char *purpose, size_t *at)
{
    lpc_value *rs = mut(lpc_get(graph, "receipts"));
    for (size_t i = 0; i < rs->u.a.n; i++)
        if (lpc_str_eq(lpc_get(rs->u.a.items[i], "purpose"), purpose)) {
            *at = i;
            return rs->u.a.items[i];
        }
    ck_abort_msg("no receipt %s", purpose);
    return NULL;
}

/* Rebuilds receipt i of graph from its fields (edited) and signs it with sk. */
static void resign_receipt(lpc_value *graph, size_t i, const uint8_t pk[32], const uint8_t sk[64])
{
    lpc_value *rs = mut(lpc_get(graph, "receipts"));
    lpc_value *body = NULL;
    lpc_referr e;
    ck_assert_msg(lpc_av2_build_execution_receipt_body(rs->u.a.items[i], &body, &e) == LP_CODE_OK, "%s", e.message);
    char h[72], pkh[65], sh[129];
    sha_json(body, h);
    uint8_t d[32], sig[64];
    size_t n;
    ck_assert_int_eq(lpc_hex_decode(h + 7, 64, d, 32, &n), LPC_OK);
    crypto_sign_detached(sig, NULL, d, 32, sk);
    lpc_hex_encode(pk, 32, pkh);
    lpc_hex_encode(sig, 64, sh);
    set_s(body, "receipt_hash", h);
    set_s(body, "enclave_pubkey", pkh);
    set_s(body, "enclave_signature", sh);
    lpc_free(rs->u.a.items[i]);
    rs->u.a.items[i] = body;
}

/* ---- Nitro documents ---- */

/* The test leaf's COSE over a payload with PCR0 = pcr0, as base64. */
static char *nitro_doc(const uint8_t pcr0[48], const uint8_t *pk, size_t pkn, const char *user_data)
{
    static lpt_wbuf w, cose;
    lpt_nitro_payload(&w, &g_pki, DOC_TIME_MS, PCR_FILL, pk, pkn, (const uint8_t *)user_data, strlen(user_data));
    /* PCR 0: key 0x00, bstr head 0x58 0x30, 48 fill bytes */
    size_t at = 0;
    for (size_t i = 0; i + 51 <= w.n && !at; i++)
        if (w.b[i] == 0x00 && w.b[i + 1] == 0x58 && w.b[i + 2] == 0x30 && w.b[i + 3] == PCR_FILL && w.b[i + 50] == PCR_FILL)
            at = i + 3;
    ck_assert_uint_ne(at, 0);
    memcpy(w.b + at, pcr0, 48);
    lpt_build_cose(&cose, &g_pki, &w);
    lpc_buf b = {0};
    ck_assert_int_eq(lpc_b64_encode(cose.b, cose.n, LPC_B64_STD, &b), LPC_OK);
    return (char *)b.ptr;
}

typedef struct {
    int user_data_of;    /* boot i's document carries boot j's claim (-1: its own) */
    int pcr0_of;         /* boot i's document carries boot j's PCR0 (-1: its own) */
    int wrong_pubkey;    /* the document's public_key is another key */
    int other_signer;    /* the hotkey signature is by another key */
} variant;

/* The production bundle re-issued as the file header says. */
static lpc_value *real_bundle(const variant *var, int victim)
{
    const lpc_value *valid = lp_field(lp_field(g_vec, "published_weight_bundles_v2"), "valid");
    const lpc_value *c0 = valid->u.a.items[0];
    ck_assert_str_eq(lp_field_str(c0, "name"), "published_production_256");
    lpc_value *b = clone(lp_field(c0, "bundle"));
    sr_key k1, k0;
    sr_key_of("K1", &k1);
    sr_key_of("K0", &k0);
    /* the snapshot names the new hotkey */
    const lpc_value *old = lp_field(b, "weight_snapshot");
    lpc_value *kw = lpc_new_object();
    set_s(kw, "validator_hotkey", k1.ss58);
    static const char *const keep[] = {"calculation_snapshot", "input_receipt_hashes", "finalized_chain_state_root",
                                       "gateway_authority_event_hash"};
    for (size_t i = 0; i < 4; i++) set(kw, keep[i], clone(lp_field(old, keep[i])));
    lpc_value *snap = NULL;
    lpc_referr e;
    ck_assert_msg(lpc_wav2_build_weight_snapshot(kw, &snap, &e) == LP_CODE_OK, "%s", e.message);
    lpc_free(kw);
    set(b, "weight_snapshot", snap);
    set_s(b, "validator_hotkey", k1.ss58);
    const char *msg = lp_field_str(b, "binding_message");
    char sig[129];
    sr_sign(var->other_signer ? &k0 : &k1, msg, sig);
    set_s(b, "validator_hotkey_signature", sig);
    /* snapshot -> computed -> binding receipts, re-signed by the validator boot */
    uint8_t pk[32], sk[64];
    ed_keys("v2_validator_boot", pk, sk);
    lpc_value *g = mut(lp_field(b, "receipt_graph"));
    size_t is, ic, ib;
    set_s(receipt(g, "validator.weight_snapshot.v2", &is), "output_root", lp_field_str(snap, "snapshot_hash"));
    resign_receipt(g, is, pk, sk);
    lpc_value *rc = receipt(g, "validator.weights.computed.v2", &ic);
    set(rc, "parent_receipt_hashes", array_of(lp_field_str(receipt(g, "validator.weight_snapshot.v2", &is), "receipt_hash")));
    set_s(rc, "input_root", lp_field_str(snap, "snapshot_hash"));
    resign_receipt(g, ic, pk, sk);
    lpc_value *rb = receipt(g, "validator.hotkey_signature.v2", &ib);
    set(rb, "parent_receipt_hashes", array_of(lp_field_str(receipt(g, "validator.weights.computed.v2", &ic), "receipt_hash")));
    /* weights-v2 §8.1 step 11: the application-signature request and its result */
    lpc_value *req = lpc_new_object();
    set_s(req, "schema_version", "leadpoet.application_signature.v2");
    set_s(req, "purpose", "validator.gateway_binding.v2");
    set_s(req, "validator_hotkey", k1.ss58);
    set_s(req, "boot_identity_hash", lp_field_str(rb, "boot_identity_hash"));
    char *mh = malloc(2 * strlen(msg) + 1);
    lpc_hex_encode((const uint8_t *)msg, strlen(msg), mh);
    set_s(req, "message_hex", mh);
    free(mh);
    uint8_t d[32];
    char dh[72] = "sha256:";
    lpc_sha256(msg, strlen(msg), d);
    lpc_hex_encode(d, 32, dh + 7);
    set_s(req, "message_hash", dh);
    char rq[72], out[72];
    sha_json(req, rq);
    lpc_free(req);
    lpc_value *res = lpc_new_object();
    set_s(res, "schema_version", "leadpoet.application_signature_result.v2");
    set_s(res, "request_hash", rq);
    set_s(res, "purpose", "validator.gateway_binding.v2");
    set_s(res, "validator_hotkey", k1.ss58);
    set_s(res, "signature", sig);
    sha_json(res, out);
    lpc_free(res);
    set_s(rb, "input_root", rq);
    set_s(rb, "output_root", out);
    resign_receipt(g, ib, pk, sk);
    set_s(g, "root_receipt_hash", lp_field_str(receipt(g, "validator.hotkey_signature.v2", &ib), "receipt_hash"));
    /* the boots' documents; claims from the vector, by physical role */
    const lpc_value *ud = lp_field(c0, "boot_attestation_user_data_bytes_utf8");
    static const char *const who[] = {"coordinator", "scoring", "validator"};
    lpc_value *boots = mut(lp_field(g, "boot_identities"));
    ck_assert_uint_eq(boots->u.a.n, 3);
    for (size_t i = 0; i < 3; i++) {
        lpc_value *boot = boots->u.a.items[i];
        size_t n;
        size_t pi = var->pcr0_of >= 0 && (int)i == victim ? (size_t)var->pcr0_of : i;
        size_t ui = var->user_data_of >= 0 && (int)i == victim ? (size_t)var->user_data_of : i;
        uint8_t *pcr0 = lp_unhex(lp_field_str(boots->u.a.items[pi], "pcr0"), &n);
        uint8_t *key = lp_unhex(lp_field_str(boots->u.a.items[ui], "signing_pubkey"), &n);   /* the claim's key */
        if (var->wrong_pubkey && (int)i == victim) key[0] ^= 1;
        char *doc = nitro_doc(pcr0, key, 32, lp_field_str(ud, who[ui]));
        set_s(boot, "attestation_document_b64", doc);
        free(doc);
        free(pcr0);
        free(key);
    }
    return b;
}

/* ---- running it ---- */

static char g_policy[2048];

/* A leadpoet-verify policy pinning the three boots' PCR0s. */
static void make_policy(const lpc_value *bundle)
{
    const lpc_value *boots = lp_field(lp_field(bundle, "receipt_graph"), "boot_identities");
    int n = snprintf(g_policy, sizeof g_policy, "{\"builds\":[");
    for (size_t i = 0; i < boots->u.a.n; i++)
        n += snprintf(g_policy + n, sizeof g_policy - (size_t)n, "%s{\"label\":\"boot %zu\",\"pcrs\":{\"0\":\"%s\"}}",
                      i ? "," : "", i, lp_field_str(boots->u.a.items[i], "pcr0"));
    snprintf(g_policy + n, sizeof g_policy - (size_t)n, "]}");
}

typedef struct {
    lp_code verdict;
    lp_checks ck;
    lpau_wbv2_result res;
} run_t;

static void run(const lpc_value *bundle, int pinned, int aws_root, int no_boot, run_t *r)
{
    lpc_buf b = {0};
    ck_assert_int_eq(lpc_dump(bundle, LPC_PROFILE_CS_U, &b), LPC_OK);
    static lpa_policy p;
    lpa_policy_init(&p);
    char perr[256];
    make_policy(bundle);
    if (pinned) ck_assert_int_eq(lpa_policy_load(&p, (const uint8_t *)g_policy, strlen(g_policy), NULL, perr, sizeof perr), LPA_OK);
    lpa_evidence_opts eo;
    memset(&eo, 0, sizeof eo);
    eo.verify.mode = LPA_AT_DOC;
    if (!aws_root) {
        eo.verify.root_der = g_pki.root_der;
        eo.verify.root_der_len = g_pki.root_len;
    }
    lpau_wbv2_opts o;
    memset(&o, 0, sizeof o);
    o.att = &eo;
    o.p_gateway = o.p_validator = &p;
    o.no_boot_attestation = no_boot;
    lp_checks_init(&r->ck);
    r->verdict = lpau_wbv2_verify(b.ptr, b.len, &o, &r->res, &r->ck);
    lpc_buf_free(&b);
}

static void done(run_t *r)
{
    lp_checks_free(&r->ck);
    lpau_wbv2_result_free(&r->res);
}

static const lp_check *check_named(const run_t *r, const char *name)
{
    for (size_t i = 0; i < r->ck.n; i++)
        if (strcmp(r->ck.items[i].name, name) == 0) return &r->ck.items[i];
    return NULL;
}

static void setup(void)
{
    ck_assert(sodium_init() >= 0);
    g_vec = lp_load_json_vector("leadpoet-v2/weights_v2.json");
    g_sr = lp_load_json_vector("sr25519/sr25519_vectors.json");
    lpt_pki_init(&g_pki);
}

static void teardown(void)
{
    lpc_free(g_vec);
    lpc_free(g_sr);
    lpt_pki_free(&g_pki);
}

static const variant k_none = {-1, -1, 0, 0};

START_TEST(genuine_bundle_verifies_by_default)
{
    lpc_value *b = real_bundle(&k_none, -1);
    run_t r;
    run(b, 1, 0, 0, &r);
    const lp_check *why = lp_checks_culprit(&r.ck);
    ck_assert_msg(r.verdict == LP_CODE_OK, "%s: %s %s", lp_code_name(r.verdict), why ? why->name : "", why ? why->detail : "");
    for (size_t i = 0; i < 3; i++) {
        char name[40];
        snprintf(name, sizeof name, "boot[%zu].boot_claim", i);
        ck_assert_ptr_nonnull(check_named(&r, name));
        snprintf(name, sizeof name, "boot[%zu].policy.pcr_pinned", i);
        const lp_check *k = check_named(&r, name);
        ck_assert_ptr_nonnull(k);
        ck_assert_int_eq(k->ok, 1);
    }
    ck_assert_int_eq(check_named(&r, "hotkey_signature")->code, LP_CODE_OK);
    ck_assert_int_eq(check_named(&r, "binding_fields")->code, LP_CODE_OK);
    ck_assert_uint_eq(r.res.boots->u.a.n, 3);
    /* the reference's return value names the re-issued hotkey and the original weights */
    const lpc_value *want = lp_field(lpc_at(lp_field(lp_field(g_vec, "published_weight_bundles_v2"), "valid"), 0), "verified");
    ck_assert_str_eq(lp_field_str(r.res.verified, "weights_hash"), lp_field_str(want, "weights_hash"));
    ck_assert(lpc_py_eq(lp_field(r.res.verified, "weights_u16"), lp_field(want, "weights_u16")));
    ck_assert(lpc_py_eq(lp_field(r.res.verified, "uids"), lp_field(want, "uids")));
    ck_assert_str_ne(lp_field_str(r.res.verified, "root_receipt_hash"), lp_field_str(want, "root_receipt_hash"));
    done(&r);
    lpc_free(b);
}
END_TEST

/* Each failure of the attestation path, one at a time; the rest of the bundle genuine. */
static void expect(const variant *var, int victim, int pinned, int aws_root, lp_code want, const char *check)
{
    lpc_value *b = real_bundle(var, victim);
    run_t r;
    run(b, pinned, aws_root, 0, &r);
    const lp_check *why = lp_checks_culprit(&r.ck);
    ck_assert_msg(r.verdict == want, "want %s, got %s: %s %s", lp_code_name(want), lp_code_name(r.verdict),
                  why ? why->name : "", why ? why->detail : "");
    ck_assert_ptr_nonnull(why);
    ck_assert_msg(strcmp(why->name, check) == 0, "culprit %s, want %s", why->name, check);
    done(&r);
    lpc_free(b);
}

START_TEST(nothing_pinned_is_pcr_not_pinned)
{
    /* genuine documents, no PCR0 pinned: the graph stops at the first boot */
    expect(&k_none, -1, 0, 0, LP_CODE_PCR_NOT_PINNED, "boot[0].policy.pcr_pinned");
}
END_TEST

START_TEST(aws_root_refuses_test_chain)
{
    lpc_value *b = real_bundle(&k_none, -1);
    run_t r;
    run(b, 1, 1, 0, &r);
    ck_assert_int_ne(r.verdict, LP_CODE_OK);
    ck_assert_int_eq(lp_code_exit(r.verdict), LP_EXIT_FAIL);
    ck_assert_str_eq(lp_code_name(r.verdict), "UNTRUSTED_ROOT");
    done(&r);
    lpc_free(b);
}
END_TEST

START_TEST(claim_of_another_boot)
{
    variant v = k_none;
    v.user_data_of = 0;   /* the validator boot's document carries the coordinator's claim */
    expect(&v, 2, 1, 0, LP_CODE_USER_DATA_MISMATCH, "boot[2].boot_claim");
}
END_TEST

START_TEST(pcr0_of_another_boot)
{
    variant v = k_none;
    v.pcr0_of = 2;        /* the coordinator's document measures the validator's (pinned) code */
    expect(&v, 0, 1, 0, LP_CODE_PCR_MISMATCH, "boot[0].boot_pcr0");
}
END_TEST

START_TEST(document_key_is_another)
{
    variant v = k_none;
    v.wrong_pubkey = 1;   /* the claim names the boot key, the document's public_key another */
    lpc_value *b = real_bundle(&v, 1);
    run_t r;
    run(b, 1, 0, 0, &r);
    ck_assert_int_eq(r.verdict, LP_CODE_PUBLIC_KEY_MISMATCH);
    ck_assert(strncmp(lp_checks_culprit(&r.ck)->name, "boot[1].", 8) == 0);
    done(&r);
    lpc_free(b);
}
END_TEST

START_TEST(hotkey_signature_by_another_key)
{
    variant v = k_none;
    v.other_signer = 1;   /* every receipt consistent; the signature is K0's, the hotkey K1 */
    expect(&v, -1, 1, 0, LP_CODE_HOTKEY_SIGNATURE_INVALID, "hotkey_signature");
}
END_TEST

START_TEST(opt_out_is_structural)
{
    lpc_value *b = real_bundle(&k_none, -1);
    run_t r;
    run(b, 0, 1, 1, &r);   /* nothing pinned, AWS root: unchecked, so it cannot fail */
    ck_assert_int_eq(r.verdict, LP_CODE_OK_STRUCTURAL);
    const lp_check *k = check_named(&r, "boot_attestation");
    ck_assert_ptr_nonnull(k);
    ck_assert(k->flags & LP_CHECK_WARNING);
    ck_assert_uint_eq(r.res.boots->u.a.n, 0);
    done(&r);
    lpc_free(b);
}
END_TEST

/* The tool as a user runs it: default flags, a test root and a policy file. */
static int tool(const char *dir, const char *extra, char *out, size_t cap)
{
    const char *bin = getenv("LP_BIN");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "\"%s/verify_weight_bundle\" --json --root \"%s/root.der\" %s \"%s/bundle.json\" 2>/dev/null",
             bin ? bin : "build/bin", dir, extra, dir);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(p, 1, n, f), n);
    fclose(f);
}

START_TEST(cli_default_path)
{
    lpc_value *b = real_bundle(&k_none, -1);
    char dir[] = "/tmp/lp_wbv_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[512];
    lpc_buf j = {0};
    ck_assert_int_eq(lpc_dump(b, LPC_PROFILE_CS_U, &j), LPC_OK);
    snprintf(path, sizeof path, "%s/bundle.json", dir);
    write_file(path, j.ptr, j.len);
    lpc_buf_free(&j);
    snprintf(path, sizeof path, "%s/root.der", dir);
    write_file(path, g_pki.root_der, g_pki.root_len);
    make_policy(b);
    snprintf(path, sizeof path, "%s/policy.json", dir);
    write_file(path, g_policy, strlen(g_policy));
    static char out[1 << 20];
    char extra[600];
    snprintf(extra, sizeof extra, "--pcr-policy \"%s/policy.json\"", dir);
    ck_assert_int_eq(tool(dir, extra, out, sizeof out), 0);
    ck_assert_ptr_nonnull(strstr(out, "\"result\":\"OK\""));
    ck_assert_ptr_nonnull(strstr(out, "\"not_checked\":[]"));
    ck_assert_int_eq(tool(dir, "", out, sizeof out), 1);
    ck_assert_ptr_nonnull(strstr(out, "\"result\":\"PCR_NOT_PINNED\""));
    ck_assert_int_eq(tool(dir, "--no-boot-attestation", out, sizeof out), 2);   /* --root contradicts it */
    static const char *const names[] = {"bundle.json", "root.der", "policy.json"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    lpc_free(b);
}
END_TEST

/* ---- the event in an Arweave checkpoint (tests/lp_checkpoint_fixture.h) ---- */

typedef struct {
    lpc_buf cp;
    char signer[65], other[65];
} cp_fx;

/* A checkpoint of the vectors' six entries (as signed by v2_event_signer), its header
 * signed by sk; upto: only the entries before it, a consistent chain (-1: all). */
static void make_checkpoint(cp_fx *f, const uint8_t sk[64], int upto)
{
    const lpc_value *ents = lp_field(lp_field(g_vec, "weight_submission_v2_events"), "entries");
    lpc_value *arr = lpc_new_array();
    for (size_t i = 0; i < ents->u.a.n; i++)
        if (upto < 0 || (int)i < upto) ck_assert_int_eq(lpc_array_append(arr, clone(ents->u.a.items[i])), LPC_OK);
    memset(&f->cp, 0, sizeof f->cp);
    ck_assert_int_eq(lpt_checkpoint_build(arr, sk, 7, NULL, &f->cp), 0);
    lpc_free(arr);
}

static lp_code run_cp(const cp_fx *f, const char *event_key, const char *header_key, run_t *r)
{
    const lpc_value *c0 = lpc_at(lp_field(lp_field(g_vec, "published_weight_bundles_v2"), "valid"), 0);
    lpc_buf b = {0};
    ck_assert_int_eq(lpc_dump(lp_field(c0, "bundle"), LPC_PROFILE_CS_U, &b), LPC_OK);
    size_t len;
    uint8_t *m = lp_read_vector("leadpoet-v2/stateful-epoch-cutover-sn71.json", &len);
    lpc_value *manifest = NULL;
    ck_assert_int_eq(lpc_parse(m, len, &manifest, NULL), LPC_OK);
    free(m);
    lpau_wbv2_opts o;
    memset(&o, 0, sizeof o);
    o.no_boot_attestation = o.no_hotkey_signature = 1;
    o.checkpoint = f->cp.ptr;
    o.checkpoint_len = f->cp.len;
    o.event_pubkey = event_key;
    o.checkpoint_pubkey = header_key;
    o.cutover_manifest = manifest;
    lp_checks_init(&r->ck);
    r->verdict = lpau_wbv2_verify(b.ptr, b.len, &o, &r->res, &r->ck);
    lpc_free(manifest);
    lpc_buf_free(&b);
    return r->verdict;
}

static void cp_keys(uint8_t sk[64], uint8_t wsk[64], char signer[65], char other[65])
{
    uint8_t pk[32], wpk[32];
    ed_keys("v2_event_signer", pk, sk);
    ed_keys("wrong_key", wpk, wsk);
    lpc_hex_encode(pk, 32, signer);
    lpc_hex_encode(wpk, 32, other);
    ck_assert_str_eq(signer, lp_field_str(lp_field(lp_field(g_vec, "weight_submission_v2_events"), "event_signer"),
                                          "public_key_hex"));
}

START_TEST(checkpoint_event_found_and_included)
{
    uint8_t sk[64], wsk[64];
    cp_fx f;
    cp_keys(sk, wsk, f.signer, f.other);
    make_checkpoint(&f, sk, -1);
    run_t r;
    lp_code v = run_cp(&f, f.signer, NULL, &r);
    const lp_check *why = lp_checks_culprit(&r.ck);
    ck_assert_msg(v == LP_CODE_OK_STRUCTURAL, "%s: %s %s", lp_code_name(v), why ? why->name : "", why ? why->detail : "");
    const lp_check *k = check_named(&r, "event_found");
    ck_assert_ptr_nonnull(k);
    ck_assert_uint_eq(k->index, 1);   /* entries[1]: the production bundle's event, after the restart */
    ck_assert_int_eq(check_named(&r, "event_inclusion")->code, LP_CODE_OK);
    ck_assert_int_eq(check_named(&r, "checkpoint.header_signature")->code, LP_CODE_OK);
    ck_assert_int_eq(check_named(&r, "event_signature")->code, LP_CODE_OK);
    ck_assert_int_eq(check_named(&r, "ties.bundle_hash")->code, LP_CODE_OK);
    const lpc_value *ev = r.res.event;
    ck_assert_str_eq(lp_field_str(ev, "source"), "checkpoint");
    ck_assert_str_eq(lp_field_str(ev, "event_hash"),
                     lp_field_str(lpc_at(lp_field(lp_field(g_vec, "weight_submission_v2_events"), "records"), 0), "event_hash"));
    done(&r);
    /* the header signed by another key (formats §5.4: the header key is not the event key) */
    lpc_buf_free(&f.cp);
    make_checkpoint(&f, wsk, -1);
    ck_assert_int_eq(run_cp(&f, f.signer, NULL, &r), LP_CODE_SIGNATURE_INVALID);
    ck_assert_str_eq(lp_checks_culprit(&r.ck)->name, "checkpoint.header_signature");
    done(&r);
    ck_assert_int_eq(run_cp(&f, f.signer, f.other, &r), LP_CODE_OK_STRUCTURAL);
    done(&r);
    /* the event key pinned wrongly: every envelope fails under it */
    ck_assert_int_ne(run_cp(&f, f.other, f.other, &r), LP_CODE_OK_STRUCTURAL);
    ck_assert_int_eq(lp_code_exit(r.verdict), LP_EXIT_FAIL);
    done(&r);
    lpc_buf_free(&f.cp);
}
END_TEST

START_TEST(checkpoint_without_the_event)
{
    uint8_t sk[64], wsk[64];
    cp_fx f;
    cp_keys(sk, wsk, f.signer, f.other);
    make_checkpoint(&f, sk, 1);   /* the restart alone: the production bundle's entry is not there */
    run_t r;
    lp_code v = run_cp(&f, f.signer, NULL, &r);
    const lp_check *why = lp_checks_culprit(&r.ck);
    ck_assert_msg(v == LP_CODE_EVENT_MISMATCH, "%s: %s %s", lp_code_name(v), why ? why->name : "", why ? why->detail : "");
    ck_assert_str_eq(why->name, "event_found");
    ck_assert_ptr_null(r.res.event);
    done(&r);
    lpc_buf_free(&f.cp);
}
END_TEST

START_TEST(checkpoint_cli)
{
    uint8_t sk[64], wsk[64];
    cp_fx f;
    cp_keys(sk, wsk, f.signer, f.other);
    make_checkpoint(&f, sk, -1);
    char dir[] = "/tmp/lp_wbc_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[512], cmd[2048];
    snprintf(path, sizeof path, "%s/cp.json", dir);
    write_file(path, f.cp.ptr, f.cp.len);
    const lpc_value *c0 = lpc_at(lp_field(lp_field(g_vec, "published_weight_bundles_v2"), "valid"), 0);
    lpc_buf b = {0};
    ck_assert_int_eq(lpc_dump(lp_field(c0, "bundle"), LPC_PROFILE_CS_U, &b), LPC_OK);
    snprintf(path, sizeof path, "%s/bundle.json", dir);
    write_file(path, b.ptr, b.len);
    lpc_buf_free(&b);
    const char *bin = getenv("LP_BIN");
    snprintf(cmd, sizeof cmd,
             "\"%s/verify_weight_bundle\" --json --offline --no-boot-attestation --no-hotkey-signature --checkpoint "
             "\"%s/cp.json\" --event-pubkey %s \"%s/bundle.json\" >/dev/null 2>&1",
             bin ? bin : "build/bin", dir, f.signer, dir);
    int st = system(cmd);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    snprintf(cmd, sizeof cmd,
             "\"%s/verify_weight_bundle\" --json --offline --no-boot-attestation --no-hotkey-signature --checkpoint "
             "\"%s/cp.json\" --event-pubkey %s \"%s/bundle.json\" >/dev/null 2>&1",
             bin ? bin : "build/bin", dir, f.other, dir);
    st = system(cmd);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1);
    snprintf(path, sizeof path, "%s/cp.json", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/bundle.json", dir);
    unlink(path);
    rmdir(dir);
    lpc_buf_free(&f.cp);
}
END_TEST

Suite *weight_bundle_verify_suite(void);
Suite *weight_bundle_verify_suite(void)
{
    Suite *s = suite_create("weight_bundle_verify");
    TCase *t = tcase_create("real_attestation");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, genuine_bundle_verifies_by_default);
    tcase_add_test(t, nothing_pinned_is_pcr_not_pinned);
    tcase_add_test(t, aws_root_refuses_test_chain);
    tcase_add_test(t, claim_of_another_boot);
    tcase_add_test(t, pcr0_of_another_boot);
    tcase_add_test(t, document_key_is_another);
    tcase_add_test(t, hotkey_signature_by_another_key);
    tcase_add_test(t, opt_out_is_structural);
    tcase_add_test(t, cli_default_path);
    suite_add_tcase(s, t);
    TCase *c = tcase_create("checkpoint_event");
    tcase_add_checked_fixture(c, setup, teardown);
    tcase_set_timeout(c, 120);
    tcase_add_test(c, checkpoint_event_found_and_included);
    tcase_add_test(c, checkpoint_without_the_event);
    tcase_add_test(c, checkpoint_cli);
    suite_add_tcase(s, c);
    return s;
}

LP_TEST_MAIN(weight_bundle_verify_suite)
