/* Signature test suites run through the exact verify functions the tools use:
 *   lpa_es384_verify_rs   COSE ES384 (raw r||s) in lpa_verify / verify_attestation
 *   lpa_es384_verify_der  ECDSA P-384 / SHA-384 in DER form
 *   lpm_ed25519_verify    checkpoint headers, proof files, signed log entries
 *
 * Data, all in Wycheproof's JSON schemas (ecdsa_p1363_verify, ecdsa_verify,
 * eddsa_verify; v0 "key"/"keyDer" and v1 "publicKey"/"publicKeyDer" groups):
 *   - Wycheproof's Ed25519 file as Debian ships it (vectors/wycheproof/README.md;
 *     the test fails when the file is missing or differs from the recorded one);
 *   - vectors/wycheproof/selfmade_*.json: P-384 cases whose verdicts come from
 *     python3-cryptography or the ECDSA definition (vectors/wycheproof/gen_selfmade.py);
 *   - with WYCHEPROOF_DIR set, also every suitable *.json in that folder
 *     (make wycheproof WYCHEPROOF_DIR=...), e.g. upstream testvectors_v1.
 * "valid" must verify, "invalid" must not; "acceptable" is counted, either
 * verdict allowed.  With WYCHEPROOF_DIR the folder runs in addition to the rest. */
#include <dirent.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/nitro.h"
#include "merkle/lpm.h"
#include "tests/lp_test.h"

#define DEBIAN_ED25519 "/usr/share/gocode/src/github.com/cloudflare/circl/sign/ed25519/testdata/wycheproof_Ed25519.json"
/* sha256 of the file in golang-github-cloudflare-circl-dev 1.3.1-2 (Debian 12) */
#define DEBIAN_ED25519_SHA256 "a77b00e6399d13da54d28f4b4f26995977bf8a9780e5756a1c0fce85d260e041"

typedef struct {
    size_t valid, invalid, acceptable, acceptable_ok; /* cases run, by expected verdict */
    size_t failed;                                    /* verdict differs from the expected one */
    size_t skipped_groups;                            /* other curve or hash: not our algorithm */
} counts;

typedef enum { K_NONE, K_RAW, K_DER, K_ED25519 } kind;

static uint8_t *hexdup(const char *h, size_t *n)
{
    size_t l = strlen(h);
    uint8_t *o = malloc(l / 2 + 1);
    ck_assert_ptr_nonnull(o);
    ck_assert_msg(l % 2 == 0 && lpa_unhex(h, l, o, l / 2 + 1, n) == 0, "bad hex in vector: %.40s", h);
    return o;
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
    size_t ml, sl;
    uint8_t *msg = hexdup(msg_h, &ml), *sig = hexdup(sig_h, &sl);
    int got;
    if (kd == K_ED25519) got = edpk ? lpm_ed25519_verify(sig, sl, msg, ml, edpk) : 0;
    else if (kd == K_RAW) got = ec ? lpa_es384_verify_rs(ec, msg, ml, sig, sl) : 0;
    else got = ec ? lpa_es384_verify_der(ec, msg, ml, sig, sl) : 0;
    free(msg);
    free(sig);
    json_int_t id = json_integer_value(json_object_get(t, "tcId"));
    const char *comment = gstr(t, "comment");
    if (!strcmp(res, "acceptable")) {
        c->acceptable++;
        c->acceptable_ok += got;
        return;
    }
    int want = !strcmp(res, "valid");
    ck_assert_msg(want || !strcmp(res, "invalid"), "%s tc %lld: result \"%s\"", file, (long long)id, res);
    if (want) c->valid++;
    else c->invalid++;
    if (got != want) {
        c->failed++;
        printf("wycheproof: %s tc %lld (%s): expected %s, verifier said %s\n", file, (long long)id,
               comment ? comment : "", res, got ? "valid" : "invalid");
    }
}

/* Runs every case of one file.  Returns the number of cases run (0 when the
 * file is not one of our algorithms). */
static size_t run_file(const char *path, counts *c)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    ck_assert_msg(root != NULL, "%s: %s (line %d)", path, je.text, je.line);
    kind kd = file_kind(root);
    const char *alg = gstr(root, "algorithm");
    size_t before = c->valid + c->invalid + c->acceptable;
    json_t *groups = json_object_get(root, "testGroups");
    if (kd == K_NONE || !alg || !json_is_array(groups)) {
        json_decref(root);
        return 0;
    }
    size_t gi;
    json_t *g;
    json_array_foreach(groups, gi, g) {
        json_t *key = group_key(g), *tests = json_object_get(g, "tests");
        ck_assert_msg(json_is_object(key) && json_is_array(tests), "%s group %zu: no key or tests", path, gi);
        const char *curve = gstr(key, "curve");
        EVP_PKEY *ec = NULL;
        uint8_t edpk[LPM_PUBKEY_LEN];
        int have_ed = 0;
        if (kd == K_ED25519) {
            if (!curve || strcmp(curve, "edwards25519") != 0) { c->skipped_groups++; continue; }
            size_t pl;
            uint8_t *pk = hexdup(gstr(key, "pk") ? gstr(key, "pk") : "", &pl);
            ck_assert_msg(pl == LPM_PUBKEY_LEN, "%s group %zu: Ed25519 key of %zu bytes", path, gi, pl);
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
            json_array_foreach(tests, ti, t) if (!gstr(t, "result") || strcmp(gstr(t, "result"), "invalid")) all_invalid = 0;
            if (!sha || strcmp(sha, "SHA-384") != 0 || ((!curve || strcmp(curve, "secp384r1") != 0) && !all_invalid)) {
                c->skipped_groups++;
                continue;
            }
            /* SubjectPublicKeyInfo, decoded by OpenSSL exactly as a certificate's key is
             * (X509_get0_pubkey); a key that does not load cannot verify anything. */
            const char *kder = gstr(g, "publicKeyDer") ? gstr(g, "publicKeyDer") : gstr(g, "keyDer");
            ck_assert_msg(kder != NULL, "%s group %zu: no DER key", path, gi);
            size_t kl;
            uint8_t *kb = hexdup(kder, &kl);
            const unsigned char *p = kb;
            ec = d2i_PUBKEY(NULL, &p, (long)kl);
            if (ec && p != kb + kl) {
                EVP_PKEY_free(ec);
                ec = NULL;
            }
            free(kb);
        }
        size_t ti;
        json_t *t;
        json_array_foreach(tests, ti, t) one_case(kd, ec, have_ed ? edpk : NULL, t, path, c);
        EVP_PKEY_free(ec);
    }
    json_decref(root);
    return c->valid + c->invalid + c->acceptable - before;
}

static void sha256_file_hex(const char *path, char out[65])
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "%s is missing: install Debian's golang-github-cloudflare-circl-dev "
                             "(sh scripts/install-deps.sh)", path);
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    ck_assert(m && EVP_DigestInit_ex(m, EVP_sha256(), NULL) == 1);
    uint8_t buf[8192], h[32];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) ck_assert(EVP_DigestUpdate(m, buf, n) == 1);
    fclose(f);
    unsigned hl = 0;
    ck_assert(EVP_DigestFinal_ex(m, h, &hl) == 1 && hl == 32);
    EVP_MD_CTX_free(m);
    lpa_hex(h, 32, out);
}

static void report(const char *what, const counts *c)
{
    printf("wycheproof: %s: %zu valid + %zu invalid expected, %zu acceptable (%zu accepted), %zu disagree, "
           "%zu groups of other algorithms skipped\n",
           what, c->valid, c->invalid, c->acceptable, c->acceptable_ok, c->failed, c->skipped_groups);
}

/* Wycheproof Ed25519 (Debian's copy: 145 cases, 84 valid, 61 invalid). */
START_TEST(ed25519_wycheproof_debian)
{
    char h[65];
    sha256_file_hex(DEBIAN_ED25519, h);
    ck_assert_msg(!strcmp(h, DEBIAN_ED25519_SHA256), "%s has sha256 %s, not the recorded %s (see vectors/wycheproof/README.md)",
                  DEBIAN_ED25519, h, DEBIAN_ED25519_SHA256);
    counts c = {0};
    ck_assert_uint_eq(run_file(DEBIAN_ED25519, &c), 145);
    report("Debian wycheproof_Ed25519.json", &c);
    ck_assert_uint_eq(c.valid, 84);
    ck_assert_uint_eq(c.invalid, 61);
    ck_assert_uint_eq(c.failed, 0);
}
END_TEST

static void run_selfmade(const char *rel, kind want_kind, size_t min_cases)
{
    char path[512];
    const char *dir = getenv("LP_VECTORS") ? getenv("LP_VECTORS") : "vectors";
    snprintf(path, sizeof path, "%s/%s", dir, rel);
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
    run_selfmade("wycheproof/selfmade_ecdsa_p384_sha384_p1363.json", K_RAW, 30);
}
END_TEST

START_TEST(ecdsa_p384_selfmade_der)
{
    run_selfmade("wycheproof/selfmade_ecdsa_p384_sha384_der.json", K_DER, 30);
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

/* make wycheproof WYCHEPROOF_DIR=dir: every *.json of dir with one of our
 * schemas; other files and other curves/hashes are listed as skipped. */
START_TEST(wycheproof_dir)
{
    const char *dir = getenv("WYCHEPROOF_DIR");
    DIR *dp = opendir(dir);
    ck_assert_msg(dp != NULL, "WYCHEPROOF_DIR=%s: cannot open", dir);
    char *names[4096];
    size_t nn = 0;
    struct dirent *de;
    while ((de = readdir(dp)) && nn < 4096)
        if (is_json(de->d_name)) names[nn++] = strdup(de->d_name);
    closedir(dp);
    qsort(names, nn, sizeof names[0], cmp_str);
    counts total = {0};
    size_t files = 0;
    for (size_t i = 0; i < nn; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        counts c = {0};
        size_t n = run_file(path, &c);
        if (n) {
            files++;
            report(names[i], &c);
        }
        total.valid += c.valid;
        total.invalid += c.invalid;
        total.acceptable += c.acceptable;
        total.acceptable_ok += c.acceptable_ok;
        total.failed += c.failed;
        total.skipped_groups += c.skipped_groups;
        free(names[i]);
    }
    printf("wycheproof: %zu files run from WYCHEPROOF_DIR\n", files);
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
    tcase_add_test(tc, ed25519_wycheproof_debian);
    tcase_add_test(tc, ecdsa_p384_selfmade_raw);
    tcase_add_test(tc, ecdsa_p384_selfmade_der);
    tcase_add_test(tc, verifiers_discriminate);
    if (getenv("WYCHEPROOF_DIR") && *getenv("WYCHEPROOF_DIR")) tcase_add_test(tc, wycheproof_dir);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(wycheproof_suite)
