/* Signature test suites run through the exact verify functions the tools use:
 *   lpa_es384_verify_rs   COSE ES384 (raw r||s) in lpa_verify / verify_attestation
 *   lpa_es384_verify_der  ECDSA P-384 / SHA-384 in DER form (strict DER)
 *   lpm_ed25519_verify    checkpoint headers, proof files, signed log entries
 *
 * Data, all in Wycheproof's JSON schemas (ecdsa_p1363_verify, ecdsa_verify,
 * eddsa_verify; v0 "key"/"keyDer" and v1 "publicKey"/"publicKeyDer" groups):
 *   - vectors/wycheproof/ecdsa_*_test.json and ed25519_test.json: upstream Wycheproof files, unmodified
 *     (vectors/wycheproof/README.md: commit, sha256, counts; the sha256 is checked);
 *   - vectors/wycheproof/selfmade_*.json: P-384 cases whose verdicts come from
 *     python3-cryptography or the ECDSA definition (vectors/wycheproof/gen_selfmade.py);
 *   - with WYCHEPROOF_DIR set, every suitable *.json in that folder
 *     (make wycheproof [WYCHEPROOF_DIR=...]).
 * "valid" must verify and "invalid" must not.  An "acceptable" case gets the
 * verdict accept_decision() gives its flags; a case whose flags have no recorded
 * decision fails the run (it is never passed with either verdict). */
#include <dirent.h>
#include <limits.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/nitro.h"
#include "canonical/lpc_hash.h"
#include "merkle/lpm.h"
#include "tests/lp_test.h"

typedef struct {
    size_t valid, invalid;          /* cases run, by expected verdict */
    size_t acceptable;              /* "acceptable" cases run against their decided verdict */
    size_t undecided;               /* "acceptable" with a flag that has no decision: a failure */
    size_t failed;                  /* verdict differs from the expected (or decided) one */
    size_t skipped_groups;          /* other curve or hash: not our algorithm */
} counts;

typedef enum { K_NONE, K_RAW, K_DER, K_ED25519 } kind;

/* What a strict verifier does with an "acceptable" case carrying a flag (names from
 * the files' "notes").  Every flag recorded here is a leniency in the signature's
 * encoding or range, which the tools refuse:
 *   - BER forms, non-minimal or missing-zero INTEGERs, wrong types: not DER
 *     (RFC 3279 §2.2.3 and X.690 §10 require DER for ECDSA-Sig-Value);
 *   - a raw signature that is not exactly 2 x 48 bytes (RFC 9053 §2.1);
 *   - r, s outside [1, n-1] (SEC 1 §4.1.4) or Ed25519 S >= L, garbage or truncation
 *     (RFC 8032 §5.1.7: 64 bytes, S < L).
 * A flag absent from the table has no decision yet: the run fails and names it. */
typedef enum { DECIDE_NONE, DECIDE_REJECT } decision;

static const char *const reject_flags[] = {
    "BER",                 /* Wycheproof v0 name of BerEncodedSignature */
    "BerEncodedSignature",
    "MissingZero",
    "InvalidEncoding",
    "InvalidTypesInSignature",
    "ModifiedSignature",
    "SignatureSize",
    "IntegerOverflow",
    "RangeCheck",
    "ModifiedInteger",
    "SignatureMalleability",
    "SignatureWithGarbage",
    "TruncatedSignature",
    "CompressedSignature",
    "TinkOverflow",
};

static decision flag_decision(const char *flag)
{
    for (size_t i = 0; i < sizeof reject_flags / sizeof reject_flags[0]; i++)
        if (!strcmp(flag, reject_flags[i])) return DECIDE_REJECT;
    return DECIDE_NONE;
}

/* An "acceptable" case is rejected when it has at least one flag and every flag has
 * the decision "reject"; otherwise it is undecided and *unknown names the first flag
 * without a decision (NULL when the case has no flags). */
static decision accept_decision(json_t *flags, const char **unknown)
{
    *unknown = NULL;
    if (!json_is_array(flags) || json_array_size(flags) == 0) return DECIDE_NONE;
    size_t i;
    json_t *f;
    json_array_foreach(flags, i, f) {
        if (!json_is_string(f) || flag_decision(json_string_value(f)) == DECIDE_NONE) {
            *unknown = json_is_string(f) ? json_string_value(f) : "(not a string)";
            return DECIDE_NONE;
        }
    }
    return DECIDE_REJECT;
}

static const char *gstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static kind file_kind(json_t *root)
{
    const char *s = gstr(root, "schema");
    if (!s) return K_NONE;
    if (!strncmp(s, "ecdsa_p1363_verify_schema", 25)) return K_RAW;
    if (!strncmp(s, "ecdsa_verify_schema", 19)) return K_DER;
    if (!strncmp(s, "eddsa_verify_schema", 19)) return K_ED25519;
    return K_NONE;
}

/* The group's key object: v1 "publicKey", v0 "key". */
static json_t *group_key(json_t *g)
{
    json_t *k = json_object_get(g, "publicKey");
    return json_is_object(k) ? k : json_object_get(g, "key");
}

static void one_case(kind kd, EVP_PKEY *ec, const uint8_t *edpk, json_t *t, const char *file, counts *c)
{
    const char *msg_h = gstr(t, "msg"), *sig_h = gstr(t, "sig"), *res = gstr(t, "result");
    ck_assert_msg(msg_h && sig_h && res, "%s: test without msg/sig/result", file);
    json_int_t id = json_integer_value(json_object_get(t, "tcId"));
    const char *comment = gstr(t, "comment");
    size_t ml, sl;
    uint8_t *msg = lp_unhex(msg_h, &ml), *sig = lp_unhex(sig_h, &sl);
    int got;
    if (kd == K_ED25519) got = edpk ? lpm_ed25519_verify(sig, sl, msg, ml, edpk) : 0;
    else if (kd == K_RAW) got = ec ? lpa_es384_verify_rs(ec, msg, ml, sig, sl) : 0;
    else got = ec ? lpa_es384_verify_der(ec, msg, ml, sig, sl) : 0;
    free(msg);
    free(sig);
    int want;
    if (!strcmp(res, "acceptable")) {
        const char *unknown;
        c->acceptable++;
        if (accept_decision(json_object_get(t, "flags"), &unknown) == DECIDE_NONE) {
            c->undecided++;
            c->failed++;
            printf("wycheproof: %s tc %lld (%s): acceptable, no decision recorded for flag %s "
                   "(tests/test_wycheproof.c reject_flags)\n",
                   file, (long long)id, comment ? comment : "", unknown ? unknown : "(no flags)");
            return;
        }
        want = 0;
    } else {
        ck_assert_msg(!strcmp(res, "valid") || !strcmp(res, "invalid"), "%s tc %lld: result \"%s\"", file,
                      (long long)id, res);
        want = !strcmp(res, "valid");
        if (want) c->valid++;
        else c->invalid++;
    }
    if (got != want) {
        c->failed++;
        printf("wycheproof: %s tc %lld (%s): expected %s, verifier said %s\n", file, (long long)id,
               comment ? comment : "", want ? "valid" : !strcmp(res, "invalid") ? "invalid" : "acceptable, decided invalid",
               got ? "valid" : "invalid");
    }
}

/* SubjectPublicKeyInfo, decoded by OpenSSL exactly as a certificate's key is
 * (X509_get0_pubkey); a key that does not load, or has trailing bytes, is NULL
 * and verifies nothing. */
static EVP_PKEY *group_ec_key(json_t *g, const char *file, size_t gi)
{
    const char *kder = gstr(g, "publicKeyDer") ? gstr(g, "publicKeyDer") : gstr(g, "keyDer");
    ck_assert_msg(kder != NULL, "%s group %zu: no DER key", file, gi);
    size_t kl;
    uint8_t *kb = lp_unhex(kder, &kl);
    const unsigned char *p = kb;
    EVP_PKEY *ec = kl <= (size_t)LONG_MAX ? d2i_PUBKEY(NULL, &p, (long)kl) : NULL;
    if (ec && p != kb + kl) {
        EVP_PKEY_free(ec);
        ec = NULL;
    }
    free(kb);
    return ec;
}

/* Runs every case of a parsed file.  Returns the number of cases run (0 when the
 * file is not one of our algorithms). */
static size_t run_root(json_t *root, const char *file, counts *c)
{
    kind kd = file_kind(root);
    size_t before = c->valid + c->invalid + c->acceptable;
    json_t *groups = json_object_get(root, "testGroups");
    if (kd == K_NONE || !gstr(root, "algorithm") || !json_is_array(groups)) return 0;
    size_t gi;
    json_t *g;
    json_array_foreach(groups, gi, g) {
        json_t *key = group_key(g), *tests = json_object_get(g, "tests");
        ck_assert_msg(json_is_object(key) && json_is_array(tests), "%s group %zu: no key or tests", file, gi);
        const char *curve = gstr(key, "curve");
        EVP_PKEY *ec = NULL;
        uint8_t edpk[LPM_PUBKEY_LEN];
        int have_ed = 0;
        if (kd == K_ED25519) {
            if (!curve || strcmp(curve, "edwards25519") != 0) {
                c->skipped_groups++;
                continue;
            }
            size_t pl;
            uint8_t *pk = lp_unhex(gstr(key, "pk") ? gstr(key, "pk") : "", &pl);
            ck_assert_msg(pl == LPM_PUBKEY_LEN, "%s group %zu: Ed25519 key of %zu bytes", file, gi, pl);
            memcpy(edpk, pk, LPM_PUBKEY_LEN);
            free(pk);
            have_ed = 1;
        } else {
            /* Another hash is another algorithm.  A key on another curve is run only
             * when every case of its group expects a rejection (ES384 must refuse any
             * non-P-384 key); otherwise the group belongs to another algorithm. */
            const char *sha = gstr(g, "sha");
            int all_invalid = 1;
            size_t ti;
            json_t *t;
            json_array_foreach(tests, ti, t) {
                const char *r = gstr(t, "result");
                if (!r || strcmp(r, "invalid") != 0) all_invalid = 0;
            }
            if (!sha || strcmp(sha, "SHA-384") != 0 || ((!curve || strcmp(curve, "secp384r1") != 0) && !all_invalid)) {
                c->skipped_groups++;
                continue;
            }
            ec = group_ec_key(g, file, gi);
        }
        size_t ti;
        json_t *t;
        json_array_foreach(tests, ti, t) one_case(kd, ec, have_ed ? edpk : NULL, t, file, c);
        EVP_PKEY_free(ec);
    }
    return c->valid + c->invalid + c->acceptable - before;
}

static size_t run_file(const char *path, counts *c)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    ck_assert_msg(root != NULL, "%s: %s (line %d)", path, je.text, je.line);
    size_t n = run_root(root, path, c);
    json_decref(root);
    return n;
}

static void report(const char *what, const counts *c)
{
    printf("wycheproof: %s: %zu valid + %zu invalid + %zu acceptable (decided: reject), %zu disagree "
           "(%zu undecided), %zu groups of other algorithms skipped\n",
           what, c->valid, c->invalid, c->acceptable, c->failed, c->undecided, c->skipped_groups);
}

static void vector_path(const char *rel, char *out, size_t cap)
{
    const char *dir = getenv("LP_VECTORS") ? getenv("LP_VECTORS") : "vectors";
    int n = snprintf(out, cap, "%s/%s", dir, rel);
    ck_assert(n > 0 && (size_t)n < cap);
}

/* The vendored upstream files: sha256, test count and verdict split as recorded in
 * vectors/wycheproof/README.md (counted from the files with Python's json module). */
static const struct upstream {
    const char *file;
    kind kd;
    const char *sha256;
    size_t valid, invalid, acceptable;
} upstream[] = {
    {"ecdsa_secp384r1_sha384_p1363_test.json", K_RAW,
     "e27344bf6daae75fa19663620883809f91c79fc4b4420eff9eae8036b34476be", 193, 87, 0},
    {"ecdsa_secp384r1_sha384_test.json", K_DER,
     "8a5b3ae1760975143414811f13588c24d951d9d8c904195087ba327591dfe9cc", 194, 310, 0},
    {"ed25519_test.json", K_ED25519,
     "752d2ea7d7c6cf4736381b6cbacb61f8182b126ab7cd9b058f00c50084975536", 88, 63, 0},
};

static void run_upstream(const struct upstream *u)
{
    char rel[256], path[4096], h[LPC_SHA256_HEX_LEN + 1];
    int k = snprintf(rel, sizeof rel, "wycheproof/%s", u->file);
    ck_assert(k > 0 && (size_t)k < sizeof rel);
    size_t len;
    uint8_t *bytes = lp_read_vector(rel, &len);
    ck_assert(lpc_sha256_hex(bytes, len, h) == LPC_OK);
    ck_assert_msg(!strcmp(h, u->sha256), "%s has sha256 %s, not upstream's %s (vectors/wycheproof/README.md)", rel, h,
                  u->sha256);
    json_error_t je;
    json_t *root = json_loadb((const char *)bytes, len, 0, &je);
    free(bytes);
    ck_assert_msg(root != NULL, "%s: %s (line %d)", rel, je.text, je.line);
    ck_assert_int_eq(file_kind(root), u->kd);
    json_int_t declared = json_integer_value(json_object_get(root, "numberOfTests"));
    vector_path(rel, path, sizeof path);
    counts c = {0};
    size_t n = run_root(root, path, &c);
    json_decref(root);
    report(u->file, &c);
    ck_assert_uint_eq(n, (size_t)declared);
    ck_assert_uint_eq(c.valid, u->valid);
    ck_assert_uint_eq(c.invalid, u->invalid);
    ck_assert_uint_eq(c.acceptable, u->acceptable);
    ck_assert_uint_eq(c.skipped_groups, 0);
    ck_assert_uint_eq(c.failed, 0);
}

START_TEST(wycheproof_upstream)
{
    run_upstream(&upstream[_i]);
}
END_TEST

static void run_selfmade(const char *rel, kind want_kind, size_t min_cases)
{
    char path[4096];
    vector_path(rel, path, sizeof path);
    json_t *root = json_load_file(path, 0, NULL);
    ck_assert_msg(root != NULL, "%s missing or not JSON", path);
    ck_assert_int_eq(file_kind(root), want_kind);
    json_decref(root);
    counts c = {0};
    size_t n = run_file(path, &c);
    report(rel, &c);
    ck_assert_uint_ge(n, min_cases);
    ck_assert_uint_eq(c.skipped_groups, 0);
    ck_assert_uint_eq(c.acceptable, 0);
    ck_assert_uint_gt(c.valid, 0);
    ck_assert_uint_ge(c.invalid, c.valid); /* negatives are at least half */
    ck_assert_uint_eq(c.failed, 0);
}

START_TEST(ecdsa_p384_selfmade_raw)
{
    run_selfmade("wycheproof/selfmade_ecdsa_p384_sha384_p1363.json", K_RAW, 47);
}
END_TEST

START_TEST(ecdsa_p384_selfmade_der)
{
    run_selfmade("wycheproof/selfmade_ecdsa_p384_sha384_der.json", K_DER, 56);
}
END_TEST

static char *hex_of(const uint8_t *p, size_t n)
{
    char *h = malloc(2 * n + 1);
    ck_assert_ptr_nonnull(h);
    lpc_hex_encode(p, n, h);
    return h;
}

static json_t *make_case(json_int_t id, const char *msg_hex, const char *sig_hex, const char *result, json_t *flags)
{
    json_t *t = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o}", "tcId", id, "comment", "constructed", "msg", msg_hex,
                          "sig", sig_hex, "result", result, "flags", flags);
    ck_assert_ptr_nonnull(t);
    return t;
}

/* The runner's handling of "acceptable" (none of the vendored files has one): a BER
 * signature with a reject flag passes when rejected; a valid signature under the
 * same flag is a disagreement; an unknown flag, or no flag, is undecided and fails
 * whatever the verifier says. */
START_TEST(acceptable_follows_decision)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    ck_assert_ptr_nonnull(k);
    uint8_t msg[5] = {'h', 'e', 'l', 'l', 'o'}, der[LPA_SIG_DER_MAX], ber[LPA_SIG_DER_MAX + 1];
    size_t dl = sizeof der;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    ck_assert(m && EVP_DigestSignInit(m, NULL, EVP_sha384(), NULL, k) == 1 &&
              EVP_DigestSign(m, der, &dl, msg, sizeof msg) == 1);
    EVP_MD_CTX_free(m);
    /* The same SEQUENCE with its (short) length in BER long form: 30 81 LEN ... */
    ck_assert(der[0] == 0x30 && der[1] < 0x80 && (size_t)der[1] + 2 == dl);
    ber[0] = 0x30;
    ber[1] = 0x81;
    memcpy(ber + 2, der + 1, dl - 1);
    ck_assert_int_eq(lpa_es384_verify_der(k, msg, sizeof msg, der, dl), 1);
    ck_assert_int_eq(lpa_es384_verify_der(k, msg, sizeof msg, ber, dl + 1), 0);

    unsigned char *spki = NULL;
    int sl = i2d_PUBKEY(k, &spki);
    ck_assert_int_gt(sl, 0);
    char *spki_h = hex_of(spki, (size_t)sl), *msg_h = hex_of(msg, sizeof msg), *der_h = hex_of(der, dl),
         *ber_h = hex_of(ber, dl + 1);
    OPENSSL_free(spki);
    EVP_PKEY_free(k);

    json_t *tests = json_array();
    json_array_append_new(tests, make_case(1, msg_h, ber_h, "acceptable", json_pack("[s]", "BerEncodedSignature")));
    json_array_append_new(tests, make_case(2, msg_h, der_h, "valid", json_array()));
    json_array_append_new(tests, make_case(3, msg_h, ber_h, "invalid", json_array()));
    json_t *group = json_pack("{s:{s:s}, s:s, s:s, s:o}", "publicKey", "curve", "secp384r1", "publicKeyDer", spki_h,
                              "sha", "SHA-384", "tests", tests);
    json_t *root = json_pack("{s:s, s:s, s:[o]}", "schema", "ecdsa_verify_schema_v1.json", "algorithm", "ECDSA",
                             "testGroups", group);
    ck_assert_ptr_nonnull(root);
    counts c = {0};
    ck_assert_uint_eq(run_root(root, "constructed (its disagreements are expected)", &c), 3);
    ck_assert_uint_eq(c.acceptable, 1);
    ck_assert_uint_eq(c.valid, 1);
    ck_assert_uint_eq(c.invalid, 1);
    ck_assert_uint_eq(c.failed, 0);

    /* The decision is asserted: a valid signature under a reject flag disagrees. */
    json_array_append_new(tests, make_case(4, msg_h, der_h, "acceptable", json_pack("[s]", "BerEncodedSignature")));
    /* Undecided: an unknown flag (whatever the verdict), a known flag beside an unknown one, no flags. */
    json_array_append_new(tests, make_case(5, msg_h, ber_h, "acceptable", json_pack("[s]", "NoSuchFlag")));
    json_array_append_new(tests, make_case(6, msg_h, der_h, "acceptable", json_pack("[s]", "NoSuchFlag")));
    json_array_append_new(tests,
                          make_case(7, msg_h, ber_h, "acceptable", json_pack("[s,s]", "BerEncodedSignature", "X")));
    json_array_append_new(tests, make_case(8, msg_h, ber_h, "acceptable", json_array()));
    memset(&c, 0, sizeof c);
    ck_assert_uint_eq(run_root(root, "constructed (its disagreements are expected)", &c), 8);
    ck_assert_uint_eq(c.acceptable, 6);
    ck_assert_uint_eq(c.undecided, 4);
    ck_assert_uint_eq(c.failed, 5);
    json_decref(root);
    free(spki_h);
    free(msg_h);
    free(der_h);
    free(ber_h);
}
END_TEST

/* The verifiers really discriminate: a valid case stops verifying when one
 * bit of message, signature or key changes (guards against a runner that
 * passes because everything returns the same answer). */
START_TEST(verifiers_discriminate)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    ck_assert_ptr_nonnull(k);
    uint8_t msg[3] = {1, 2, 3}, der[LPA_SIG_DER_MAX + 8];
    size_t dl = sizeof der;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    ck_assert(EVP_DigestSignInit(m, NULL, EVP_sha384(), NULL, k) == 1 && EVP_DigestSign(m, der, &dl, msg, 3) == 1);
    EVP_MD_CTX_free(m);
    ck_assert_int_eq(lpa_es384_verify_der(k, msg, 3, der, dl), 1);
    msg[0] ^= 1;
    ck_assert_int_eq(lpa_es384_verify_der(k, msg, 3, der, dl), 0);
    msg[0] ^= 1;
    der[dl] = 0; /* one trailing byte */
    ck_assert_int_eq(lpa_es384_verify_der(k, msg, 3, der, dl + 1), 0);
    ck_assert_int_eq(lpa_es384_verify_der(NULL, msg, 3, der, dl), 0);
    EVP_PKEY *p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    ck_assert_int_eq(lpa_es384_verify_der(p256, msg, 3, der, dl), 0);
    EVP_PKEY_free(p256);
    EVP_PKEY_free(k);

    uint8_t pk[32], sk[64], sig[64], d[32] = {7};
    ck_assert(lpm_sodium_ready());
    crypto_sign_keypair(pk, sk);
    crypto_sign_detached(sig, NULL, d, sizeof d, sk);
    ck_assert_int_eq(lpm_ed25519_verify(sig, 64, d, sizeof d, pk), 1);
    ck_assert_int_eq(lpm_ed25519_verify(sig, 63, d, sizeof d, pk), 0);
    sig[63] ^= 0x10;
    ck_assert_int_eq(lpm_ed25519_verify(sig, 64, d, sizeof d, pk), 0);
}
END_TEST

static int is_json(const char *n)
{
    size_t l = strlen(n);
    return l > 5 && !strcmp(n + l - 5, ".json");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

#define WYCHEPROOF_DIR_MAX_FILES 4096

/* make wycheproof [WYCHEPROOF_DIR=dir]: every *.json of dir with one of our
 * schemas; other files and other curves/hashes are listed as skipped. */
START_TEST(wycheproof_dir)
{
    const char *dir = getenv("WYCHEPROOF_DIR");
    DIR *dp = opendir(dir);
    ck_assert_msg(dp != NULL, "WYCHEPROOF_DIR=%s: cannot open", dir);
    char **names = calloc(WYCHEPROOF_DIR_MAX_FILES, sizeof *names);
    ck_assert_ptr_nonnull(names);
    size_t nn = 0;
    struct dirent *de;
    while ((de = readdir(dp)) && nn < WYCHEPROOF_DIR_MAX_FILES)
        if (is_json(de->d_name)) {
            names[nn] = strdup(de->d_name);
            ck_assert_ptr_nonnull(names[nn]);
            nn++;
        }
    closedir(dp);
    qsort(names, nn, sizeof names[0], cmp_str);
    counts total = {0};
    size_t files = 0;
    for (size_t i = 0; i < nn; i++) {
        char path[4096];
        int pl = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        ck_assert(pl > 0 && (size_t)pl < sizeof path);
        counts c = {0};
        if (run_file(path, &c)) {
            files++;
            report(names[i], &c);
        }
        total.valid += c.valid;
        total.invalid += c.invalid;
        total.acceptable += c.acceptable;
        total.undecided += c.undecided;
        total.failed += c.failed;
        total.skipped_groups += c.skipped_groups;
        free(names[i]);
    }
    free(names);
    printf("wycheproof: %zu files run from WYCHEPROOF_DIR=%s\n", files, dir);
    report("total", &total);
    ck_assert_msg(files > 0, "no ECDSA P-384/SHA-384 or Ed25519 Wycheproof file in %s", dir);
    ck_assert_uint_eq(total.failed, 0);
}
END_TEST

static Suite *wycheproof_suite(void)
{
    Suite *s = suite_create("wycheproof");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, wycheproof_upstream, 0, (int)(sizeof upstream / sizeof upstream[0]));
    tcase_add_test(tc, ecdsa_p384_selfmade_raw);
    tcase_add_test(tc, ecdsa_p384_selfmade_der);
    tcase_add_test(tc, acceptable_follows_decision);
    tcase_add_test(tc, verifiers_discriminate);
    if (getenv("WYCHEPROOF_DIR") && *getenv("WYCHEPROOF_DIR")) tcase_add_test(tc, wycheproof_dir);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(wycheproof_suite)
