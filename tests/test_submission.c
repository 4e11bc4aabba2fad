/* lpau_submission_verify: the gateway's v1 weight submission checks (leadpoet-formats.md
 * §10.7, §10.6, §11, §13.3; sr25519.md §1.2), each of the eight steps passing and failing.
 *
 * Submissions are made here: an sr25519 signer for tests only (the library only
 * verifies) with the key of vector pub-001, an Ed25519 enclave key from a fixed seed,
 * and a validator_weights attestation signed under a generated test chain
 * (tests/lp_attest_fixture.h).  With LP_SUBMISSION_FIXTURES=DIR set the binary writes
 * the CLI test's fixtures into DIR instead of running the suite. */
#include "tests/lp_test.h"
#include "tests/lp_attest_fixture.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/policy.h"
#include "audit/submission.h"
#include "canonical/lpc_codec.h"
#include "canonical/lpc_sr25519.h"
#include "canonical/lpc_weights.h"

#define EPOCH      23929
#define BLOCK      (EPOCH * 360 + 340)          /* 8614780: block 340 of its epoch */
#define GW_BLOCK   (BLOCK + 5)
#define TS_MS      1767617000000ull             /* 2026-01-05T12:43:20Z */
#define AT_S       ((int64_t)(TS_MS / 1000) + 10)
#define PCR_FILL   0x21
#define CODE_HASH  "08e0f21f6672e24c894e05c58688eba3c1955de13f641787043d91baebf90e7a"
/* sha256 of {"block":8614780,"epoch_id":23929,"netuid":71,"weights":[[0,65535],[3,1200],[7,30000],[12,1]]},
 * computed with Python's hashlib */
#define BUNDLE_HASH "54f4f4d9f603cf2f571389c0a5743f9d5196b005f1ad5a55d49ab887d93b0c72"

/* ------------------------------------------------------------ keys */

typedef struct {
    lpt_pki pki;
    uint8_t x[32], nonce[32], hot_pk[32];   /* sr25519 secret scalar (reduced), nonce, public key */
    char ss58[64];
    uint8_t ed_pk[32], ed_sk[64], ed2_pk[32], ed2_sk[64];
    char ed_pk_hex[65], ed2_pk_hex[65];
    char pcr0_hex[97];
} fx_keys;

static fx_keys K;
static int K_ready;

/* schnorrkel sign_simple("substrate", m) with a deterministic nonce: r = SHA-512(nonce || m)
 * mod l, R = r*B, k = challenge(pk, m, R) mod l, s = k*x + r; sig = R || s, marker bit set. */
static void sr_sign(const uint8_t x[32], const uint8_t nonce[32], const uint8_t pk[32], const uint8_t *m, size_t n,
                    uint8_t sig[64])
{
    uint8_t h[64], r[32], R[32], c[64], k[32], kx[32], s[32];
    crypto_hash_sha512_state st;
    crypto_hash_sha512_init(&st);
    crypto_hash_sha512_update(&st, nonce, 32);
    crypto_hash_sha512_update(&st, m, n);
    crypto_hash_sha512_final(&st, h);
    crypto_core_ristretto255_scalar_reduce(r, h);
    ck_assert_int_eq(crypto_scalarmult_ristretto255_base(R, r), 0);
    lpc_iov iov = {m, n};
    lpc_sr25519_challenge(pk, (const uint8_t *)LPC_SR25519_CONTEXT, 9, &iov, 1, R, c);
    crypto_core_ristretto255_scalar_reduce(k, c);
    crypto_core_ristretto255_scalar_mul(kx, k, x);
    crypto_core_ristretto255_scalar_add(s, kx, r);
    memcpy(sig, R, 32);
    memcpy(sig + 32, s, 32);
    sig[63] |= 0x80;
}

static void keys_init(void)
{
    if (K_ready) return;
    ck_assert_int_ge(sodium_init(), 0);
    lpc_value *v = lp_load_json_vector("sr25519/sr25519_vectors.json");
    const lpc_value *cases = lp_field(v, "cases"), *key = NULL;
    for (size_t i = 0; i < cases->u.a.n && !key; i++)
        if (lpc_str_eq(lpc_get(cases->u.a.items[i], "id"), "pub-001")) key = lp_field(cases->u.a.items[i], "key");
    ck_assert_ptr_nonnull(key);
    size_t n;
    uint8_t *sk = lp_unhex(lp_field_str(key, "secret_key_substrate_hex"), &n);
    ck_assert_uint_eq(n, 64);
    uint8_t wide[64] = {0};
    memcpy(wide, sk, 32);
    crypto_core_ristretto255_scalar_reduce(K.x, wide);
    memcpy(K.nonce, sk + 32, 32);
    free(sk);
    uint8_t *pk = lp_unhex(lp_field_str(key, "public_key_hex"), &n);
    ck_assert_uint_eq(n, 32);
    memcpy(K.hot_pk, pk, 32);
    free(pk);
    snprintf(K.ss58, sizeof K.ss58, "%s", lp_field_str(key, "ss58_address"));
    /* the key is used right: x*B is the vector's public key */
    uint8_t xb[32];
    ck_assert_int_eq(crypto_scalarmult_ristretto255_base(xb, K.x), 0);
    ck_assert(memcmp(xb, K.hot_pk, 32) == 0);
    lpc_free(v);
    uint8_t seed[32];
    memset(seed, 0x42, sizeof seed);
    crypto_sign_seed_keypair(K.ed_pk, K.ed_sk, seed);
    memset(seed, 0x43, sizeof seed);
    crypto_sign_seed_keypair(K.ed2_pk, K.ed2_sk, seed);
    lpc_hex_encode(K.ed_pk, 32, K.ed_pk_hex);
    lpc_hex_encode(K.ed2_pk, 32, K.ed2_pk_hex);
    uint8_t pcr0[48];
    memset(pcr0, PCR_FILL, sizeof pcr0);
    lpc_hex_encode(pcr0, 48, K.pcr0_hex);
    lpt_pki_init(&K.pki);
    K_ready = 1;
}

/* ------------------------------------------------------------ submissions */

typedef struct {
    int64_t netuid, epoch_id, block;
    int64_t uids[8], w[8];
    size_t n;
    /* attestation */
    const char *purpose;        /* NULL: no purpose in user_data */
    int64_t att_epoch;
    int att_no_epoch;
    const uint8_t *att_key;     /* the attested key (user_data and public_key) */
    uint8_t pcr_fill;
    int att_corrupt;            /* flip a bit of the COSE signature */
    /* binding */
    const char *chain, *binding_pk;
    const char *binding;        /* the whole message instead (JSON string content) */
    const char *hotkey;         /* the validator_hotkey text */
    int hk_other_msg, hk_other_key, hk_wrapped;
    /* enclave signature and hash */
    const char *weights_hash;   /* the claimed hash (default: the computed one) */
    int ed_other_key, ed_corrupt;
} sub_params;

static void sub_default(sub_params *p)
{
    keys_init();
    memset(p, 0, sizeof *p);
    p->netuid = 71;
    p->epoch_id = EPOCH;
    p->block = BLOCK;
    static const int64_t u[] = {0, 3, 7, 12}, w[] = {65535, 1200, 30000, 1};
    p->n = 4;
    memcpy(p->uids, u, sizeof u);
    memcpy(p->w, w, sizeof w);
    p->purpose = LPAU_SUBMISSION_PURPOSE;
    p->att_epoch = EPOCH;
    p->att_key = K.ed_pk;
    p->pcr_fill = PCR_FILL;
    p->chain = LPAU_SUBMISSION_CHAIN_DEFAULT;
    p->binding_pk = K.ed_pk_hex;
    p->hotkey = K.ss58;
}

static void attestation_b64(const sub_params *p, lpc_buf *out)
{
    static lpt_wbuf ud, pl, cose;
    char kh[65];
    lpc_hex_encode(p->att_key, 32, kh);
    ud.n = 0;
    lpt_w_head(&ud, 5, (uint64_t)(2 + (p->purpose != NULL) + !p->att_no_epoch));
    if (p->purpose) {
        lpt_w_text(&ud, "purpose");
        lpt_w_text(&ud, p->purpose);
    }
    if (!p->att_no_epoch) {
        lpt_w_text(&ud, "epoch_id");
        lpt_w_head(&ud, 0, (uint64_t)p->att_epoch);
    }
    lpt_w_text(&ud, "enclave_pubkey");
    lpt_w_text(&ud, kh);
    lpt_w_text(&ud, "code_hash");
    lpt_w_text(&ud, CODE_HASH);
    lpt_nitro_payload(&pl, &K.pki, TS_MS, p->pcr_fill, p->att_key, 32, ud.b, ud.n);
    lpt_build_cose(&cose, &K.pki, &pl);
    if (p->att_corrupt) cose.b[cose.n - 1] ^= 1;
    ck_assert_int_eq(lpc_b64_encode(cose.b, cose.n, LPC_B64_STD, out), LPC_OK);
}

static void append(lpc_buf *b, const char *s) { ck_assert_int_eq(lpc_buf_append(b, s, strlen(s)), LPC_OK); }

/* The request body as JSON text (NUL-terminated, caller frees). */
static char *sub_build(const sub_params *p)
{
    char tmp[1024], hash[65];
    lpc_buf j = {0}, att = {0}, msg = {0};
    /* weights_hash */
    if (p->weights_hash) {
        snprintf(hash, sizeof hash, "%s", p->weights_hash);
    } else {
        lpc_weight_pair pairs[8];
        for (size_t i = 0; i < p->n; i++) pairs[i] = (lpc_weight_pair){p->uids[i], p->w[i]};
        lpc_buf pre = {0};
        ck_assert_int_eq(lpc_bundle_weights_hash(p->netuid, p->epoch_id, p->block, pairs, p->n, NULL, &pre, hash), LPC_OK);
        lpc_buf_free(&pre);
    }
    /* Ed25519 over bytes.fromhex(weights_hash) */
    uint8_t digest[32], sig[64];
    size_t dn = 0;
    char sig_hex[129];
    if (lpc_py_fromhex(hash, strlen(hash), digest, sizeof digest, &dn) != LPC_OK || dn != 32) memset(digest, 0, 32);
    crypto_sign_detached(sig, NULL, digest, 32, p->ed_other_key ? K.ed2_sk : K.ed_sk);
    if (p->ed_corrupt) sig[10] ^= 4;
    lpc_hex_encode(sig, 64, sig_hex);
    /* binding message and the hotkey's signature over its UTF-8 */
    if (p->binding) append(&msg, p->binding);
    else {
        snprintf(tmp, sizeof tmp, "LEADPOET_VALIDATOR_BINDING|netuid=%lld|chain=%s|enclave_pubkey=%s|validator_code_hash=%s|version=1",
                 (long long)p->netuid, p->chain, p->binding_pk, CODE_HASH);
        append(&msg, tmp);
    }
    lpc_buf signed_msg = {0};
    if (p->hk_wrapped) append(&signed_msg, "<Bytes>");
    ck_assert_int_eq(lpc_buf_append(&signed_msg, (const char *)msg.ptr, msg.len), LPC_OK);
    if (p->hk_wrapped) append(&signed_msg, "</Bytes>");
    if (p->hk_other_msg) append(&signed_msg, "|x");
    uint8_t hsig[64], x2[32], one[32] = {1};
    const uint8_t *x = K.x;
    if (p->hk_other_key) {
        crypto_core_ristretto255_scalar_add(x2, K.x, one);
        x = x2;
    }
    sr_sign(x, K.nonce, K.hot_pk, signed_msg.ptr, signed_msg.len, hsig);
    lpc_buf_free(&signed_msg);
    char hsig_hex[129];
    lpc_hex_encode(hsig, 64, hsig_hex);
    attestation_b64(p, &att);
    snprintf(tmp, sizeof tmp, "{\"netuid\":%lld,\"epoch_id\":%lld,\"block\":%lld,\"uids\":[", (long long)p->netuid,
             (long long)p->epoch_id, (long long)p->block);
    append(&j, tmp);
    for (size_t i = 0; i < p->n; i++) {
        snprintf(tmp, sizeof tmp, "%s%lld", i ? "," : "", (long long)p->uids[i]);
        append(&j, tmp);
    }
    append(&j, "],\"weights_u16\":[");
    for (size_t i = 0; i < p->n; i++) {
        snprintf(tmp, sizeof tmp, "%s%lld", i ? "," : "", (long long)p->w[i]);
        append(&j, tmp);
    }
    snprintf(tmp, sizeof tmp, "],\"weights_hash\":\"%s\",\"validator_hotkey\":\"%s\",\"validator_enclave_pubkey\":\"%s\","
             "\"validator_signature\":\"%s\",\"validator_attestation_b64\":\"", hash, p->hotkey, K.ed_pk_hex, sig_hex);
    append(&j, tmp);
    ck_assert_int_eq(lpc_buf_append(&j, (const char *)att.ptr, att.len), LPC_OK);
    snprintf(tmp, sizeof tmp, "\",\"validator_code_hash\":\"%s\",\"binding_message\":\"", CODE_HASH);
    append(&j, tmp);
    ck_assert_int_eq(lpc_buf_append(&j, (const char *)msg.ptr, msg.len), LPC_OK);
    snprintf(tmp, sizeof tmp, "\",\"validator_hotkey_signature\":\"%s\"}", hsig_hex);
    append(&j, tmp);
    char *out = malloc(j.len + 1);
    ck_assert_ptr_nonnull(out);
    memcpy(out, j.ptr, j.len);
    out[j.len] = 0;
    lpc_buf_free(&j);
    lpc_buf_free(&att);
    lpc_buf_free(&msg);
    return out;
}

/* s with its one occurrence of old replaced by rep (frees s). */
static char *edit(char *s, const char *old, const char *rep)
{
    char *at = strstr(s, old);
    ck_assert_msg(at != NULL, "edit: %s not found", old);
    ck_assert_msg(strstr(at + 1, old) == NULL, "edit: %s found twice", old);
    size_t a = (size_t)(at - s), ol = strlen(old), rl = strlen(rep), n = strlen(s);
    char *o = malloc(n - ol + rl + 1);
    ck_assert_ptr_nonnull(o);
    memcpy(o, s, a);
    memcpy(o + a, rep, rl);
    memcpy(o + a + rl, at + ol, n - a - ol + 1);
    free(s);
    return o;
}

/* ------------------------------------------------------------ running it */

typedef struct {
    const char *allowed, *accepted;
    int no_gateway;
    int64_t gateway_block, submission_block;
    int pin;                    /* 0: pin PCR0 to the fixture's value; 1: none; 2: another value */
    int any_pcr;
    const char *chain;
    unsigned hotkey_flags;
} run_opts;

static void run_default(run_opts *r)
{
    memset(r, 0, sizeof *r);
    r->allowed = NULL;
    r->gateway_block = GW_BLOCK;
    r->submission_block = LPAU_WEIGHT_SUBMISSION_BLOCK_V1;
}

static lpau_submission S;
static lp_checks C;

/* Runs json under r; returns the verdict, S and C hold the result (freed by the next run). */
static lp_code run(const char *json, const run_opts *r)
{
    lpau_submission_free(&S);
    lp_checks_free(&C);
    lp_checks_init(&C);
    static lpa_policy pol;
    lpa_policy_init(&pol);
    char perr[256], pin[128];
    if (r->pin != 1) {
        uint8_t other[48];
        memset(other, 0x77, sizeof other);
        char oh[97];
        lpc_hex_encode(other, 48, oh);
        snprintf(pin, sizeof pin, "0=%s", r->pin == 2 ? oh : K.pcr0_hex);
        ck_assert_int_eq(lpa_policy_expect_pcr(&pol, pin, perr, sizeof perr), LPA_OK);
    }
    lpa_evidence_opts eo;
    memset(&eo, 0, sizeof eo);
    eo.verify.mode = LPA_AT_TIME;
    eo.verify.time = AT_S;
    eo.verify.root_der = K.pki.root_der;
    eo.verify.root_der_len = K.pki.root_len;
    eo.any_pcr = r->any_pcr;
    lpau_submission_opts o;
    lpau_submission_opts_init(&o);
    o.attest = &eo;
    o.policy = &pol;
    if (r->allowed) {
        o.allowed_hotkeys = (const uint8_t *)r->allowed;
        o.allowed_hotkeys_len = strlen(r->allowed);
    }
    if (r->accepted) {
        o.accepted = (const uint8_t *)r->accepted;
        o.accepted_len = strlen(r->accepted);
    }
    o.has_gateway_block = !r->no_gateway;
    o.gateway_block = r->gateway_block;
    o.submission_block = r->submission_block;
    o.chain = r->chain;
    o.hotkey_flags = r->hotkey_flags;
    return lpau_submission_verify((const uint8_t *)json, strlen(json), &o, &S, &C);
}

static const lp_check *find(const char *name)
{
    for (size_t i = 0; i < C.n; i++)
        if (strcmp(C.items[i].name, name) == 0) return &C.items[i];
    return NULL;
}

/* json (freed here) under r gives want, decided by the check named at. */
static void expect(char *json, const run_opts *r, lp_code want, const char *at)
{
    lp_code got = run(json, r);
    const lp_check *cul = lp_checks_culprit(&C);
    ck_assert_msg(got == want, "got %s (%s: %s), want %s", lp_code_name(got), cul ? cul->name : "-",
                  cul ? cul->detail : "", lp_code_name(want));
    if (at) {
        ck_assert_ptr_nonnull(cul);
        ck_assert_str_eq(cul->name, at);
    } else {
        ck_assert_ptr_null(cul);
    }
    free(json);
}

static void expect_p(const sub_params *p, const run_opts *r, lp_code want, const char *at)
{
    expect(sub_build(p), r, want, at);
}

/* ------------------------------------------------------------ tests */

START_TEST(fixture_keys)
{
    keys_init();   /* asserts x*B == public_key_hex */
    const char *m = "LEADPOET_VALIDATOR_BINDING|netuid=71|chain=c|enclave_pubkey=e|validator_code_hash=h";
    uint8_t sig[64];
    char hex[129];
    sr_sign(K.x, K.nonce, K.hot_pk, (const uint8_t *)m, strlen(m), sig);
    lpc_hex_encode(sig, 64, hex);
    lpc_hotkey_result res;
    ck_assert_int_eq(lpc_hotkey_verify(K.ss58, strlen(K.ss58), (const uint8_t *)m, strlen(m), hex, 128, 0, &res, NULL),
                     LP_CODE_OK);
    ck_assert_int_eq(lpc_hotkey_verify(K.ss58, strlen(K.ss58), (const uint8_t *)m, strlen(m) - 1, hex, 128, 0, &res, NULL),
                     LP_CODE_EQUATION_FALSE);
    /* the fixture bundle's hash is the value Python computes */
    sub_params p;
    sub_default(&p);
    char *j = sub_build(&p);
    ck_assert_ptr_nonnull(strstr(j, "\"weights_hash\":\"" BUNDLE_HASH "\""));
    free(j);
}
END_TEST

START_TEST(valid_submission)
{
    sub_params p;
    run_opts r;
    sub_default(&p);
    run_default(&r);
    r.allowed = "[\"5FakeOther\",\"5H6xdDPgpy1zmFRJWG8biNgtjUsxjEH6fM5EnUney6htMsDf\"]";
    r.accepted = "[{\"netuid\":71,\"epoch_id\":23928,\"validator_hotkey\":\"5H6xdDPgpy1zmFRJWG8biNgtjUsxjEH6fM5EnUney6htMsDf\"}]";
    expect_p(&p, &r, LP_CODE_OK, NULL);
    ck_assert_uint_eq(S.not_checked, 0);
    ck_assert_int_eq(S.failed_step, 0);
    ck_assert(S.pcr0_pinned && !S.any_pcr_used);
    ck_assert_str_eq(S.bundle_hash, BUNDLE_HASH);
    ck_assert_int_eq(S.hk.reason, LP_CODE_OK);
    static const char *const names[] = {"step1.invariants", "step2.allowed_hotkeys", "step3.accepted",
                                        "step4.block_freshness", "step4.epoch_of_block", "step4.submission_window",
                                        "step4.gateway_epoch", "step5.policy.pcr_pinned", "step5.purpose",
                                        "step5.epoch_id", "step5.enclave_pubkey", "step6.binding_parse",
                                        "step6.binding_fields", "step6.hotkey_signature", "step6.hotkey.equation",
                                        "step7.enclave_signature", "step8.bundle_weights_hash"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const lp_check *k = find(names[i]);
        ck_assert_msg(k && k->ok, "%s", names[i]);
    }
}
END_TEST

START_TEST(not_checked_state)
{
    sub_params p;
    run_opts r;
    sub_default(&p);
    run_default(&r);
    r.no_gateway = 1;
    expect_p(&p, &r, LP_CODE_OK, NULL);
    ck_assert_uint_eq(S.not_checked, LPAU_NC_ALLOWED_HOTKEYS | LPAU_NC_ACCEPTED | LPAU_NC_BLOCK_RULES);
    const char *w[] = {"step2.allowed_hotkeys", "step3.accepted", "step4.block_rules"};
    for (int i = 0; i < 3; i++) {
        const lp_check *k = find(w[i]);
        ck_assert_msg(k && !k->ok && (k->flags & LP_CHECK_WARNING), "%s", w[i]);
    }
    /* a stale block is not seen without the gateway's block */
    p.block = BLOCK - 100;
    p.epoch_id = (BLOCK - 100) / 360;
    p.att_epoch = p.epoch_id;
    expect_p(&p, &r, LP_CODE_OK, NULL);
}
END_TEST

START_TEST(step1_invariants)
{
    sub_params p;
    run_opts r;
    run_default(&r);
    sub_default(&p);
    p.uids[1] = 9;   /* 0, 9, 7, 12: not increasing */
    expect_p(&p, &r, LP_CODE_WEIGHTS_INVARIANT, "step1.invariants");
    sub_default(&p);
    p.w[3] = 0;
    expect_p(&p, &r, LP_CODE_WEIGHTS_INVARIANT, "step1.invariants");
    sub_default(&p);
    p.w[0] = 65536;
    expect_p(&p, &r, LP_CODE_WEIGHTS_INVARIANT, "step1.invariants");
    sub_default(&p);
    p.uids[2] = 3;   /* duplicate uid */
    expect_p(&p, &r, LP_CODE_WEIGHTS_INVARIANT, "step1.invariants");
    sub_default(&p);
    expect(edit(sub_build(&p), "\"weights_u16\":[65535,1200,30000,1]", "\"weights_u16\":[65535,1200,30000]"), &r,
           LP_CODE_WEIGHTS_INVARIANT, "step1.invariants");
    /* shapes: missing, mistyped, out of range (undecided) */
    expect(edit(sub_build(&p), "\"netuid\":71,", ""), &r, LP_CODE_MISSING_FIELD, "step1.fields");
    expect(edit(sub_build(&p), "\"netuid\":71,", "\"netuid\":\"71\","), &r, LP_CODE_BAD_TYPE, "step1.fields");
    expect(edit(sub_build(&p), "\"netuid\":71,", "\"netuid\":true,"), &r, LP_CODE_BAD_TYPE, "step1.fields");
    expect(edit(sub_build(&p), "\"uids\":[0,", "\"uids\":[0.0,"), &r, LP_CODE_BAD_TYPE, "step1.fields");
    expect(edit(sub_build(&p), "\"block\":8614780,", "\"block\":99999999999999999999,"), &r, LP_CODE_OUT_OF_RANGE,
           "step1.fields");
    expect(edit(sub_build(&p), "\"validator_signature\":", "\"validator_signaturX\":"), &r, LP_CODE_MISSING_FIELD,
           "step1.fields");
    expect(edit(sub_build(&p), "{\"netuid\"", "[{\"netuid\"") , &r, LP_CODE_JSON_SYNTAX, "input");
    char *arr = malloc(3);
    memcpy(arr, "[]", 3);
    expect(arr, &r, LP_CODE_BAD_TYPE, "step1.fields");
    ck_assert_int_eq(lp_code_exit(run("{}", &r)), LP_EXIT_UNDECIDED);
}
END_TEST

START_TEST(step2_allowlist)
{
    sub_params p;
    run_opts r;
    sub_default(&p);
    run_default(&r);
    r.allowed = "[\"5H6xdDPgpy1zmFRJWG8biNgtjUsxjEH6fM5EnUney6htMsDf\"]";
    expect_p(&p, &r, LP_CODE_OK, NULL);
    ck_assert(find("step2.allowed_hotkeys")->ok);
    r.allowed = "[\"5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty\"]";
    expect_p(&p, &r, LP_CODE_HOTKEY_NOT_ALLOWED, "step2.allowed_hotkeys");
    r.allowed = "[]";
    expect_p(&p, &r, LP_CODE_HOTKEY_NOT_ALLOWED, "step2.allowed_hotkeys");
    /* byte for byte: a trailing space is another hotkey */
    r.allowed = "[\"5H6xdDPgpy1zmFRJWG8biNgtjUsxjEH6fM5EnUney6htMsDf \"]";
    expect_p(&p, &r, LP_CODE_HOTKEY_NOT_ALLOWED, "step2.allowed_hotkeys");
    /* step 2 comes before step 8: a wrong hash is not the verdict */
    p.weights_hash = "00000000000000000000000000000000000000000000000000000000000000ff";
    expect_p(&p, &r, LP_CODE_HOTKEY_NOT_ALLOWED, "step2.allowed_hotkeys");
    sub_default(&p);
    r.allowed = "{\"hotkeys\":[]}";
    expect_p(&p, &r, LP_CODE_BAD_TYPE, "input.allowed_hotkeys");
    r.allowed = "[5]";
    expect_p(&p, &r, LP_CODE_BAD_TYPE, "input.allowed_hotkeys");
    r.allowed = "[\"a\",";
    expect_p(&p, &r, LP_CODE_JSON_SYNTAX, "input.allowed_hotkeys");
}
END_TEST

START_TEST(step3_duplicates)
{
    sub_params p;
    run_opts r;
    sub_default(&p);
    run_default(&r);
    const char *hk = "5H6xdDPgpy1zmFRJWG8biNgtjUsxjEH6fM5EnUney6htMsDf";
    char acc[512];
    snprintf(acc, sizeof acc, "[{\"netuid\":71,\"epoch_id\":23929,\"validator_hotkey\":\"5Other\"},"
             "{\"netuid\":72,\"epoch_id\":23929,\"validator_hotkey\":\"%s\"},"
             "{\"netuid\":71,\"epoch_id\":23928,\"validator_hotkey\":\"%s\"}]", hk, hk);
    r.accepted = acc;
    expect_p(&p, &r, LP_CODE_OK, NULL);
    ck_assert(find("step3.accepted")->ok);
    snprintf(acc, sizeof acc, "[{\"netuid\":71,\"epoch_id\":23928,\"validator_hotkey\":\"%s\"},"
             "{\"netuid\":71,\"epoch_id\":23929,\"validator_hotkey\":\"%s\"}]", hk, hk);
    expect_p(&p, &r, LP_CODE_DUPLICATE_SUBMISSION, "step3.accepted");
    ck_assert_uint_eq(lp_checks_culprit(&C)->index, 1);
    r.accepted = "[{\"netuid\":71,\"epoch_id\":23929}]";
    expect_p(&p, &r, LP_CODE_MISSING_FIELD, "input.accepted");
    r.accepted = "[{\"netuid\":\"71\",\"epoch_id\":23929,\"validator_hotkey\":\"x\"}]";
    expect_p(&p, &r, LP_CODE_BAD_TYPE, "input.accepted");
}
END_TEST

START_TEST(step4_blocks)
{
    sub_params p;
    run_opts r;
    sub_default(&p);
    run_default(&r);
    /* freshness: 30 blocks either way pass, 31 fail */
    r.gateway_block = BLOCK + 19;   /* 8614799: block 359 of the same epoch */
    expect_p(&p, &r, LP_CODE_OK, NULL);
    r.gateway_block = BLOCK - 30;
    expect_p(&p, &r, LP_CODE_OK, NULL);
    r.gateway_block = BLOCK - 31;
    expect_p(&p, &r, LP_CODE_BLOCK_NOT_FRESH, "step4.block_freshness");
    r.gateway_block = BLOCK + 31;
    expect_p(&p, &r, LP_CODE_BLOCK_NOT_FRESH, "step4.block_freshness");
    r.gateway_block = GW_BLOCK;
    /* epoch_id must be block // 360 */
    p.epoch_id = EPOCH + 1;
    p.att_epoch = EPOCH + 1;
    expect_p(&p, &r, LP_CODE_EPOCH_MISMATCH, "step4.epoch_of_block");
    /* the window opens at block 330 of the epoch (345 - 15) */
    sub_default(&p);
    p.block = EPOCH * 360 + 330;
    r.gateway_block = p.block;
    expect_p(&p, &r, LP_CODE_OK, NULL);
    p.block = EPOCH * 360 + 329;
    r.gateway_block = p.block;
    expect_p(&p, &r, LP_CODE_OUTSIDE_SUBMISSION_WINDOW, "step4.submission_window");
    /* a later era's WEIGHT_SUBMISSION_BLOCK (300) opens it at 285 */
    r.submission_block = 300;
    expect_p(&p, &r, LP_CODE_OK, NULL);
    /* the previous epoch while the gateway is in the first 30 blocks of the next */
    sub_default(&p);
    p.block = EPOCH * 360 + 355;
    r.submission_block = 345;
    r.gateway_block = (EPOCH + 1) * 360 + 10;
    expect_p(&p, &r, LP_CODE_OK, NULL);
    ck_assert_ptr_nonnull(strstr(find("step4.gateway_epoch")->detail, "previous"));
    /* with the 345 block no fresh block is outside the gateway's epochs; an early window
     * (submission_block 15, open from block 0) shows the rule: the gateway one block
     * before the submission's epoch */
    p.block = EPOCH * 360;
    r.submission_block = 15;
    r.gateway_block = p.block - 1;
    expect_p(&p, &r, LP_CODE_EPOCH_MISMATCH, "step4.gateway_epoch");
    r.gateway_block = p.block + 1;
    expect_p(&p, &r, LP_CODE_OK, NULL);
}
END_TEST

START_TEST(step5_attestation)
{
    sub_params p;
    run_opts r;
    sub_default(&p);
    run_default(&r);
    p.purpose = "gateway_event_signing";
    expect_p(&p, &r, LP_CODE_PURPOSE_MISMATCH, "step5.purpose");
    p.purpose = NULL;
    expect_p(&p, &r, LP_CODE_PURPOSE_MISMATCH, "step5.purpose");
    sub_default(&p);
    p.att_epoch = EPOCH - 1;
    expect_p(&p, &r, LP_CODE_USER_DATA_MISMATCH, "step5.epoch_id");
    p.att_no_epoch = 1;
    expect_p(&p, &r, LP_CODE_USER_DATA_MISMATCH, "step5.epoch_id");
    /* the attested key is another one: the binding and signature by the submitted key
     * would pass, the attestation does not vouch for it */
    sub_default(&p);
    p.att_key = K.ed2_pk;
    expect_p(&p, &r, LP_CODE_PUBLIC_KEY_MISMATCH, "step5.enclave_pubkey");
    /* the COSE signature */
    sub_default(&p);
    p.att_corrupt = 1;
    expect_p(&p, &r, LP_CODE_SIGNATURE_INVALID, "step5.cose.signature");
    /* PCR0: none pinned, then --any-pcr (another value pinned: step5_pcr_mismatch) */
    sub_default(&p);
    r.pin = 1;
    expect_p(&p, &r, LP_CODE_PCR_NOT_PINNED, "step5.policy.pcr_pinned");
    ck_assert(find("step8.bundle_weights_hash")->ok);   /* the later steps still ran */
    /* a finding about the evidence comes before the missing anchor */
    p.ed_corrupt = 1;
    expect_p(&p, &r, LP_CODE_SIGNATURE_INVALID, "step7.enclave_signature");
    p.ed_corrupt = 0;
    r.any_pcr = 1;
    expect_p(&p, &r, LP_CODE_OK, NULL);
    ck_assert(S.any_pcr_used && !S.pcr0_pinned);
    /* not base64 */
    r.pin = 0;
    r.any_pcr = 0;
    expect(edit(sub_build(&p), "\"validator_attestation_b64\":\"", "\"validator_attestation_b64\":\"*"), &r,
           LP_CODE_INPUT_DECODE_ERROR, "step5.attestation.decode");
}
END_TEST

START_TEST(step5_pcr_mismatch)
{
    sub_params p;
    run_opts r;
    sub_default(&p);
    run_default(&r);
    r.pin = 2;
    char *j = sub_build(&p);
    lp_code c = run(j, &r);
    free(j);
    ck_assert_int_eq(c, LP_CODE_PCR_MISMATCH);
    ck_assert(strncmp(lp_checks_culprit(&C)->name, "step5.", 6) == 0);
    ck_assert_ptr_null(find("step6.binding_parse"));
}
END_TEST

START_TEST(step6_binding)
{
    sub_params p;
    run_opts r;
    sub_default(&p);
    run_default(&r);
    /* the binding names another enclave key */
    p.binding_pk = K.ed2_pk_hex;
    expect_p(&p, &r, LP_CODE_BINDING_MISMATCH, "step6.binding_fields");
    sub_default(&p);
    p.chain = "wss://test.finney.opentensor.ai:443";
    expect_p(&p, &r, LP_CODE_BINDING_MISMATCH, "step6.binding_fields");
    r.chain = "wss://test.finney.opentensor.ai:443";
    expect_p(&p, &r, LP_CODE_OK, NULL);
    r.chain = NULL;
    sub_default(&p);
    p.binding = "LEADPOET_VALIDATOR_BINDING|netuid=71|chain=x";
    expect_p(&p, &r, LP_CODE_BINDING_REJECTED, "step6.binding_parse");
    /* a lone surrogate from a JSON escape cannot be encoded: refused */
    sub_default(&p);
    char m[512];
    snprintf(m, sizeof m, "LEADPOET_VALIDATOR_BINDING|netuid=71|chain=%s\\ud800|enclave_pubkey=%s|validator_code_hash=%s",
             LPAU_SUBMISSION_CHAIN_DEFAULT, K.ed_pk_hex, CODE_HASH);
    p.binding = m;
    expect_p(&p, &r, LP_CODE_BINDING_REJECTED, "step6.binding_parse");
    ck_assert_ptr_nonnull(strstr(lp_checks_culprit(&C)->detail, "surrogate"));
    /* hotkey signatures: over another message, by another key */
    sub_default(&p);
    p.hk_other_msg = 1;
    expect_p(&p, &r, LP_CODE_HOTKEY_SIGNATURE_INVALID, "step6.hotkey_signature");
    ck_assert_int_eq(S.hk.reason, LP_CODE_EQUATION_FALSE);
    ck_assert_ptr_nonnull(strstr(lp_checks_culprit(&C)->detail, "EQUATION_FALSE"));
    ck_assert_int_eq(find("step6.hotkey.equation")->code, LP_CODE_EQUATION_FALSE);
    sub_default(&p);
    p.hk_other_key = 1;
    expect_p(&p, &r, LP_CODE_HOTKEY_SIGNATURE_INVALID, "step6.hotkey_signature");
    ck_assert_int_eq(S.hk.reason, LP_CODE_EQUATION_FALSE);
    /* the hotkey of another account signed nothing here */
    sub_default(&p);
    p.hotkey = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
    expect_p(&p, &r, LP_CODE_HOTKEY_SIGNATURE_INVALID, "step6.hotkey_signature");
    p.hotkey = "5H6xdDPgpy1zmFRJWG8biNgtjUsxjEH6fM5EnUney6htMsDX";
    expect_p(&p, &r, LP_CODE_HOTKEY_SIGNATURE_INVALID, "step6.hotkey_signature");
    ck_assert_int_eq(S.hk.reason, LP_CODE_SS58_BAD_CHECKSUM);
    /* the <Bytes> wrapper verifies, as Keypair.verify retries it */
    sub_default(&p);
    p.hk_wrapped = 1;
    expect_p(&p, &r, LP_CODE_OK, NULL);
    ck_assert(S.hk.wrapped);
    ck_assert_int_eq(S.hk.reason, LP_CODE_OK_BYTES_WRAPPED);
}
END_TEST

START_TEST(step7_enclave_signature)
{
    sub_params p;
    run_opts r;
    sub_default(&p);
    run_default(&r);
    p.ed_corrupt = 1;
    expect_p(&p, &r, LP_CODE_SIGNATURE_INVALID, "step7.enclave_signature");
    sub_default(&p);
    p.ed_other_key = 1;
    expect_p(&p, &r, LP_CODE_SIGNATURE_INVALID, "step7.enclave_signature");
    sub_default(&p);
    char *j = sub_build(&p);
    char *at = strstr(j, "\"validator_signature\":\"") + 23;
    at[0] = 'z';
    expect(j, &r, LP_CODE_SIGNATURE_INVALID, "step7.enclave_signature");
    ck_assert_ptr_nonnull(strstr(lp_checks_culprit(&C)->detail, "64 bytes"));
}
END_TEST

START_TEST(step8_bundle_hash)
{
    sub_params p;
    run_opts r;
    sub_default(&p);
    run_default(&r);
    /* a wrong hash the enclave did sign */
    p.weights_hash = "00000000000000000000000000000000000000000000000000000000000000ff";
    expect_p(&p, &r, LP_CODE_WEIGHTS_HASH_MISMATCH, "step8.bundle_weights_hash");
    ck_assert(find("step7.enclave_signature")->ok);
    ck_assert_str_eq(S.bundle_hash, BUNDLE_HASH);
    /* the same digest in uppercase: the signature holds, the string comparison does not */
    char up[65];
    for (int i = 0; i < 64; i++) up[i] = (char)(BUNDLE_HASH[i] >= 'a' ? BUNDLE_HASH[i] - 32 : BUNDLE_HASH[i]);
    up[64] = 0;
    p.weights_hash = up;
    expect_p(&p, &r, LP_CODE_WEIGHTS_HASH_MISMATCH, "step8.bundle_weights_hash");
    ck_assert(find("step7.enclave_signature")->ok);
    /* the hash of the block-less compare preimage is not the bundle hash */
    sub_default(&p);
    lpc_weight_pair pairs[4] = {{0, 65535}, {3, 1200}, {7, 30000}, {12, 1}};
    lpc_buf pre = {0};
    char ch[65];
    ck_assert_int_eq(lpc_compare_weights_hash(71, EPOCH, pairs, 4, NULL, &pre, ch), LPC_OK);
    lpc_buf_free(&pre);
    p.weights_hash = ch;
    expect_p(&p, &r, LP_CODE_WEIGHTS_HASH_MISMATCH, "step8.bundle_weights_hash");
}
END_TEST

START_TEST(bad_arguments)
{
    lp_checks c;
    lp_checks_init(&c);
    lpau_submission s;
    lpau_submission_opts o;
    lpau_submission_opts_init(&o);
    ck_assert_int_eq(lpau_submission_verify((const uint8_t *)"{}", 2, &o, &s, &c), LP_CODE_BAD_ARGUMENT);
    ck_assert_int_eq(lpau_submission_verify((const uint8_t *)"{}", 2, &o, &s, NULL), LP_CODE_BAD_ARGUMENT);
    lpau_submission_free(&s);
    lp_checks_free(&c);
    ck_assert_str_eq(lpau_submission_nc_name(LPAU_NC_BLOCK_RULES), "gateway_block");
}
END_TEST

/* ------------------------------------------------------------ CLI fixtures */

static void write_file(const char *dir, const char *name, const void *p, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    ck_assert_uint_eq(fwrite(p, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

static void write_sub(const char *dir, const char *name, char *json)
{
    write_file(dir, name, json, strlen(json));
    free(json);
}

/* The fixtures tests/cli/test_verify_weight_submission.sh runs the tool on. */
static void write_fixtures(const char *dir)
{
    sub_params p;
    char t[256];
    sub_default(&p);
    write_sub(dir, "valid.json", sub_build(&p));
    write_file(dir, "root.der", K.pki.root_der, K.pki.root_len);
    write_file(dir, "pcr0.hex", K.pcr0_hex, strlen(K.pcr0_hex));
    snprintf(t, sizeof t, "%lld", (long long)AT_S);
    write_file(dir, "at.txt", t, strlen(t));
    snprintf(t, sizeof t, "%lld", (long long)GW_BLOCK);
    write_file(dir, "gateway_block.txt", t, strlen(t));
    snprintf(t, sizeof t, "[\"%s\"]\n", K.ss58);
    write_file(dir, "allowed.json", t, strlen(t));
    snprintf(t, sizeof t, "[\"5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty\"]\n");
    write_file(dir, "allowed_other.json", t, strlen(t));
    snprintf(t, sizeof t, "[{\"netuid\":71,\"epoch_id\":%d,\"validator_hotkey\":\"%s\"}]\n", EPOCH, K.ss58);
    write_file(dir, "accepted_dup.json", t, strlen(t));
    snprintf(t, sizeof t, "[{\"netuid\":71,\"epoch_id\":%d,\"validator_hotkey\":\"%s\"}]\n", EPOCH - 1, K.ss58);
    write_file(dir, "accepted_other.json", t, strlen(t));
    p.uids[1] = 9;
    write_sub(dir, "unsorted.json", sub_build(&p));
    sub_default(&p);
    p.purpose = "gateway_event_signing";
    write_sub(dir, "wrong_purpose.json", sub_build(&p));
    sub_default(&p);
    p.att_epoch = EPOCH - 1;
    write_sub(dir, "wrong_att_epoch.json", sub_build(&p));
    sub_default(&p);
    p.binding_pk = K.ed2_pk_hex;
    write_sub(dir, "binding_other_key.json", sub_build(&p));
    sub_default(&p);
    p.hk_other_msg = 1;
    write_sub(dir, "hotkey_sig_other_msg.json", sub_build(&p));
    sub_default(&p);
    char m[512];
    snprintf(m, sizeof m, "LEADPOET_VALIDATOR_BINDING|netuid=71|chain=%s\\ud800|enclave_pubkey=%s|validator_code_hash=%s",
             LPAU_SUBMISSION_CHAIN_DEFAULT, K.ed_pk_hex, CODE_HASH);
    p.binding = m;
    write_sub(dir, "binding_surrogate.json", sub_build(&p));
    sub_default(&p);
    p.ed_corrupt = 1;
    write_sub(dir, "bad_enclave_sig.json", sub_build(&p));
    sub_default(&p);
    p.weights_hash = "00000000000000000000000000000000000000000000000000000000000000ff";
    write_sub(dir, "wrong_hash.json", sub_build(&p));
    sub_default(&p);
    p.block = EPOCH * 360 + 329;
    write_sub(dir, "too_early.json", sub_build(&p));
}

static Suite *suite(void)
{
    Suite *s = suite_create("submission");
    TCase *t = tcase_create("steps");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, fixture_keys);
    tcase_add_test(t, valid_submission);
    tcase_add_test(t, not_checked_state);
    tcase_add_test(t, step1_invariants);
    tcase_add_test(t, step2_allowlist);
    tcase_add_test(t, step3_duplicates);
    tcase_add_test(t, step4_blocks);
    tcase_add_test(t, step5_attestation);
    tcase_add_test(t, step5_pcr_mismatch);
    tcase_add_test(t, step6_binding);
    tcase_add_test(t, step7_enclave_signature);
    tcase_add_test(t, step8_bundle_hash);
    tcase_add_test(t, bad_arguments);
    suite_add_tcase(s, t);
    return s;
}

START_TEST(write_cli_fixtures)
{
    write_fixtures(getenv("LP_SUBMISSION_FIXTURES"));
}
END_TEST

int main(void)
{
    if (getenv("LP_SUBMISSION_FIXTURES")) {
        Suite *s = suite_create("submission fixtures");
        TCase *t = tcase_create("write");
        tcase_set_timeout(t, 60);
        tcase_add_test(t, write_cli_fixtures);
        suite_add_tcase(s, t);
        return lp_run_suite(s);
    }
    return lp_run_suite(suite());
}
