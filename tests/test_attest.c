/* attest/: Nitro attestation verification over the real AWS documents of
 * vectors/nitro (expected codes from manifest.json), the derived mutations,
 * the Leadpoet synthetic documents (test root), and documents re-signed here
 * with a throw-away test PKI for every syntactic rule of spec §2 (an edit to a
 * real payload would break the AWS signature and mask the syntax error). */
#include "tests/lp_test.h"
#include "tests/lp_attest_fixture.h"

#include <jansson.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attest/evidence.h"
#include "attest/leadpoet.h"
#include "attest/lpa_cbor.h"
#include "attest/nitro.h"
#include "attest/policy.h"
#include "canonical/lpc_hash.h"

/* The result every helper fills (44 KB: heap, one per test through the fixture). */
static lpa_result *R;

static void result_new(void)
{
    R = calloc(1, sizeof *R);
    ck_assert_ptr_nonnull(R);
}

static void result_free(void)
{
    free(R);
    R = NULL;
}

static json_t *load_json(const char *rel)
{
    size_t n;
    uint8_t *b = lp_read_vector(rel, &n);
    json_error_t je;
    json_t *j = json_loadb((const char *)b, n, 0, &je);
    free(b);
    ck_assert_msg(j != NULL, "%s: %s", rel, je.text);
    return j;
}

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    ck_assert_msg(json_is_string(v), "field %s", k);
    return json_string_value(v);
}

static int64_t days_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DDTHH:MM:SSZ" (manifest format). */
static int64_t iso(const char *s)
{
    int Y, M, D, h, m, sec;
    ck_assert_msg(sscanf(s, "%d-%d-%dT%d:%d:%dZ", &Y, &M, &D, &h, &m, &sec) == 6, "time %s", s);
    return days_civil(Y, M, D) * 86400 + h * 3600 + m * 60 + sec;
}

static lpa_err verify_file(const char *rel, lpa_time_mode mode, int64_t t)
{
    size_t n;
    uint8_t *b = lp_read_vector(rel, &n);
    lpa_opts o = {mode, t, NULL, 0};
    lpa_verify(b, n, &o, R);
    free(b);
    return R->result;
}

static void expect_code(lpa_err got, const char *want, const char *what)
{
    lpa_err w;
    ck_assert_msg(lpa_code_parse(want, &w) == 0, "unknown expected code %s", want);
    ck_assert_msg(got == w, "%s: got %s (%s), want %s", what, lpa_code(got), R->detail, want);
}

static void pcr_hex(int i, char out[97])
{
    lpc_hex_encode(R->doc.pcrs[i], LPA_PCR_LEN, out);
}

/* ------------------------------------------------------------------ real */

START_TEST(real_at_doc_time)
{
    json_t *m = load_json("nitro/manifest.json");
    json_t *real = json_object_get(m, "real"), *e;
    size_t i, n_ok = 0;
    json_array_foreach(real, i, e) {
        const char *f = jstr(e, "file");
        char rel[256];
        snprintf(rel, sizeof rel, "nitro/%s", f);
        json_t *exp = json_object_get(e, "expected");
        lpa_err got = verify_file(rel, LPA_AT_DOC, 0);
        expect_code(got, jstr(exp, "at_doc_time"), f);
        ck_assert_int_eq(R->verified_at, json_integer_value(json_object_get(e, "timestamp_ms")) / 1000);
        if (got != LPA_OK) continue;
        n_ok++;
        char h[97];
        pcr_hex(0, h);
        ck_assert_str_eq(h, jstr(e, "pcr0"));
        ck_assert_str_eq(R->doc.module_id, jstr(e, "module_id"));
        ck_assert_uint_eq(R->doc.timestamp_ms, (uint64_t)json_integer_value(json_object_get(e, "timestamp_ms")));
        ck_assert_int_eq(__builtin_popcount(R->doc.pcr_mask), json_integer_value(json_object_get(e, "pcr_count")));
        const char *k;
        json_t *v;
        json_object_foreach(json_object_get(e, "nonzero_pcrs"), k, v) {
            pcr_hex(atoi(k), h);
            ck_assert_msg(strcmp(h, json_string_value(v)) == 0, "%s PCR%s", f, k);
        }
        ck_assert_int_eq(R->doc.tagged, json_is_true(json_object_get(e, "cose_tag18")));
        ck_assert_int_eq((json_int_t)R->n_certs, 1 + json_integer_value(json_object_get(e, "cabundle_len")));
        ck_assert_int_eq(R->certs[0].not_before, iso(jstr(e, "leaf_not_before")));
        ck_assert_int_eq(R->certs[0].not_after, iso(jstr(e, "leaf_not_after")));
        ck_assert_int_eq(R->warnings, 0); /* all §5 invariants hold on genuine documents */
        /* default policy: debug rejected, production accepted */
        lpa_policy p;
        lpa_policy_init(&p);
        lpa_policy_apply(&p, R);
        json_t *rej = json_object_get(exp, "policy_reject_debug");
        if (json_is_string(rej)) expect_code(R->result, json_string_value(rej), f);
        else ck_assert_msg(R->result == LPA_OK, "%s: %s", f, R->detail);
        ck_assert_int_eq(R->debug, json_is_true(json_object_get(e, "pcr0_all_zero")));
        /* and --allow-debug accepts the debug ones */
        verify_file(rel, LPA_AT_DOC, 0);
        p.allow_debug = 1;
        lpa_policy_apply(&p, R);
        ck_assert_msg(R->result == LPA_OK, "%s with allow_debug: %s", f, R->detail);
    }
    ck_assert_uint_eq(n_ok, 13); /* 13 genuine documents */
    json_decref(m);
}
END_TEST

START_TEST(real_at_now)
{
    json_t *m = load_json("nitro/manifest.json");
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(m, "real"), i, e) {
        char rel[256];
        snprintf(rel, sizeof rel, "nitro/%s", jstr(e, "file"));
        lpa_err got = verify_file(rel, LPA_AT_NOW, (int64_t)time(NULL));
        expect_code(got, jstr(json_object_get(e, "expected"), "at_now"), rel);
    }
    json_decref(m);
}
END_TEST

/* §3.4: OpenSSL's half-open window: notBefore-1 no, notBefore ok, notAfter-1 ok, notAfter expired. */
START_TEST(real_time_boundaries)
{
    json_t *m = load_json("nitro/manifest.json");
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(m, "real"), i, e) {
        if (strcmp(jstr(json_object_get(e, "expected"), "at_doc_time"), "OK") != 0) continue;
        char rel[256];
        snprintf(rel, sizeof rel, "nitro/%s", jstr(e, "file"));
        json_t *w = json_object_get(e, "chain_valid_window_utc"); /* [notBefore, notAfter] */
        ck_assert(json_is_array(w) && json_array_size(w) == 2);
        int64_t lo = iso(json_string_value(json_array_get(w, 0))), hi = iso(json_string_value(json_array_get(w, 1)));
        ck_assert_int_eq(lo, iso(jstr(e, "leaf_not_before"))); /* window bounded by the leaf */
        ck_assert_msg(verify_file(rel, LPA_AT_TIME, lo - 1) == LPA_CERT_NOT_YET_VALID, "%s nb-1: %s", rel, lpa_code(R->result));
        ck_assert_msg(verify_file(rel, LPA_AT_TIME, lo) == LPA_OK, "%s nb: %s", rel, R->detail);
        ck_assert_msg(verify_file(rel, LPA_AT_TIME, hi - 1) == LPA_OK, "%s na-1: %s", rel, R->detail);
        ck_assert_msg(verify_file(rel, LPA_AT_TIME, hi) == LPA_CERT_EXPIRED, "%s na: %s", rel, lpa_code(R->result));
        ck_assert_int_eq(R->window_lo, lo);
        ck_assert_int_eq(R->window_hi, hi);
    }
    /* anjuna-prod-2021-03-17: document second == leaf notBefore */
    ck_assert_int_eq(verify_file("nitro/real/anjuna-prod-2021-03-17.cose", LPA_AT_DOC, 0), LPA_OK);
    ck_assert_int_eq(R->verified_at, R->certs[0].not_before);
    ck_assert_int_eq(verify_file("nitro/real/anjuna-prod-2021-03-17.cose", LPA_AT_TIME, 1616018515 - 1), LPA_CERT_NOT_YET_VALID);
    json_decref(m);
}
END_TEST

START_TEST(derived_mutations)
{
    json_t *m = load_json("nitro/manifest.json");
    json_t *e;
    size_t i, n = 0;
    json_array_foreach(json_object_get(m, "derived"), i, e) {
        json_t *exp = json_object_get(e, "expected");
        const char *f = jstr(e, "file");
        if (!json_is_object(exp) || !json_object_get(e, "verify_time_unix") || strstr(f, ".cose") == NULL) continue;
        char rel[256];
        snprintf(rel, sizeof rel, "nitro/%s", f);
        lpa_err got = verify_file(rel, LPA_AT_TIME, json_integer_value(json_object_get(e, "verify_time_unix")));
        expect_code(got, jstr(exp, "strict"), f);
        n++;
    }
    ck_assert_uint_eq(n, 10);
    /* d02 (r, n-s) verifies but is the same document: same payload (§1.5). */
    size_t a_len, b_len;
    uint8_t *a = lp_read_vector("nitro/real/veracruz-2022-11-09.cose", &a_len);
    uint8_t *b = lp_read_vector("nitro/derived/d02-sig-s-negated.cose", &b_len);
    lpa_doc *da = calloc(1, sizeof *da);
    ck_assert_ptr_nonnull(da);
    lpa_doc *db = calloc(1, sizeof *db);
    ck_assert_ptr_nonnull(db);
    int st;
    ck_assert_int_eq(lpa_parse(a, a_len, da, &st, NULL, 0), LPA_OK);
    ck_assert_int_eq(lpa_parse(b, b_len, db, &st, NULL, 0), LPA_OK);
    ck_assert_uint_eq(da->payload_len, db->payload_len);
    ck_assert(memcmp(da->payload, db->payload, da->payload_len) == 0);
    ck_assert(memcmp(da->signature, db->signature, LPA_SIG_LEN) != 0);
    free(a);
    free(b);
    json_decref(m);
    free(da);
    free(db);
}
END_TEST

/* §1.3 / §1.4 reference bytes. */
START_TEST(sig_structure_and_der)
{
    size_t n, sn, dn;
    uint8_t *cose = lp_read_vector("nitro/real/veracruz-2022-11-09.cose", &n);
    uint8_t *ref = lp_read_vector("nitro/derived/d11-sig-structure.bin", &sn);
    uint8_t *der = lp_read_vector("nitro/derived/d11-signature-der.bin", &dn);
    lpa_doc *d = calloc(1, sizeof *d);
    ck_assert_ptr_nonnull(d);
    static uint8_t tbs[LPA_SIG_STRUCTURE_MAX];
    int st;
    ck_assert_int_eq(lpa_parse(cose, n, d, &st, NULL, 0), LPA_OK);
    size_t tl = lpa_sig_structure(d, tbs);
    ck_assert_uint_eq(tl, sn);
    ck_assert(memcmp(tbs, ref, sn) == 0);
    uint8_t mine[LPA_SIG_DER_MAX];
    size_t ml = lpa_sig_to_der(d->signature, mine);
    ck_assert_uint_eq(ml, dn);
    ck_assert_uint_eq(ml, 103);
    ck_assert(memcmp(mine, der, dn) == 0);
    /* the bstr head rule of §1.3 */
    uint8_t h[9];
    ck_assert_uint_eq(lpa_cbor_bstr_head(23, h), 1);
    ck_assert_uint_eq(h[0], 0x57);
    ck_assert_uint_eq(lpa_cbor_bstr_head(24, h), 2);
    ck_assert_uint_eq(h[0], 0x58);
    ck_assert_uint_eq(lpa_cbor_bstr_head(256, h), 3);
    ck_assert_uint_eq(h[0], 0x59);
    ck_assert_uint_eq(lpa_cbor_bstr_head(65536, h), 5);
    ck_assert_uint_eq(h[0], 0x5a);
    free(cose);
    free(ref);
    free(der);
    free(d);
}
END_TEST

/* §0 step 1: transport encodings. */
START_TEST(transport_decoding)
{
    lpa_source *s = calloc(1, sizeof *s);
    ck_assert_ptr_nonnull(s);
    char detail[200];
    size_t n, bn, vn;
    uint8_t *cose = lp_read_vector("nitro/real/ev-ga-debug-2023-09-18.cose", &n);
    uint8_t *b64 = lp_read_vector("nitro/real/ev-ga-debug-2023-09-18.b64", &bn);
    ck_assert_int_eq(lpa_source_decode(b64, bn, s, detail, sizeof detail), LPA_OK);
    ck_assert_int_eq(s->format, LPA_FMT_BASE64);
    ck_assert_uint_eq(s->cose_len, n);
    ck_assert(memcmp(s->cose, cose, n) == 0);
    ck_assert_int_eq(lpa_source_decode(cose, n, s, detail, sizeof detail), LPA_OK);
    ck_assert_int_eq(s->format, LPA_FMT_COSE);

    uint8_t *ver = lp_read_vector("nitro/real/veracruz-2022-11-09.cose", &vn);
    const char *shapes[2] = {"nitro/derived/d12-leadpoet-attest-shape.json", "nitro/derived/d13-leadpoet-attestation-document-shape.json"};
    lpa_format fmts[2] = {LPA_FMT_ATTEST_JSON, LPA_FMT_ATTDOC_JSON};
    for (int k = 0; k < 2; k++) {
        size_t jn;
        uint8_t *j = lp_read_vector(shapes[k], &jn);
        ck_assert_int_eq(lpa_source_decode(j, jn, s, detail, sizeof detail), LPA_OK);
        ck_assert_int_eq(s->format, fmts[k]);
        ck_assert_uint_eq(s->cose_len, vn);
        ck_assert(memcmp(s->cose, ver, vn) == 0);
        free(j);
    }
    /* hex text (upper case, surrounding whitespace) */
    char *hx = malloc(2 * vn + 4);
    static const char HX[] = "0123456789ABCDEF";
    hx[0] = '\n';
    for (size_t i = 0; i < vn; i++) {
        hx[1 + 2 * i] = HX[ver[i] >> 4];
        hx[2 + 2 * i] = HX[ver[i] & 15];
    }
    hx[1 + 2 * vn] = '\n';
    ck_assert_int_eq(lpa_source_decode((uint8_t *)hx, 2 * vn + 2, s, detail, sizeof detail), LPA_OK);
    ck_assert_int_eq(s->format, LPA_FMT_HEX);
    ck_assert(memcmp(s->cose, ver, vn) == 0);
    hx[5] = 'G'; /* neither hex nor base64 now? 'G' is base64 but length/alphabet mix fails */
    hx[6] = '!';
    ck_assert_int_eq(lpa_source_decode((uint8_t *)hx, 2 * vn + 2, s, detail, sizeof detail), LPA_INPUT_DECODE_ERROR);
    free(hx);

    const char *bad[] = {"", "   ", "{}", "{\"attestation_document\": \"\"}", "{\"attestation_document\": 5}",
                         "{\"attestation_document\": \"84\", \"attestation_document\": \"84\"}",
                         "{\"attestation_document\": \"8444\", \"enclave_public_key\": \"abcd\"}", "[1,2]", "not base64 !"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        ck_assert_msg(lpa_source_decode((const uint8_t *)bad[k], strlen(bad[k]), s, detail, sizeof detail) == LPA_INPUT_DECODE_ERROR,
                      "accepted \"%s\"", bad[k]);
    /* caps */
    uint8_t *big = calloc(1, LPA_MAX_SOURCE + 1);
    big[0] = 0x84;
    ck_assert_int_eq(lpa_source_decode(big, LPA_MAX_SOURCE + 1, s, detail, sizeof detail), LPA_INPUT_TOO_LARGE);
    ck_assert_int_eq(lpa_source_decode(big, LPA_MAX_INPUT + 1, s, detail, sizeof detail), LPA_INPUT_TOO_LARGE);
    /* base64 of a document one byte over the cap: oversized, not undecodable text
     * ("hE" + "SE" repeated is base64 of 0x84 bytes; 43692 symbols = 32769 bytes) */
    char *b64big = malloc(43693);
    for (size_t k = 0; k < 43692; k++) b64big[k] = "hISE"[k % 4];
    b64big[43692] = '\n';
    ck_assert_int_eq(lpa_source_decode((uint8_t *)b64big, 43693, s, detail, sizeof detail), LPA_INPUT_TOO_LARGE);
    ck_assert_int_eq(lpa_source_decode((uint8_t *)b64big, 43688, s, detail, sizeof detail), LPA_OK); /* 32766 bytes */
    b64big[100] = '!';
    ck_assert_int_eq(lpa_source_decode((uint8_t *)b64big, 43693, s, detail, sizeof detail), LPA_INPUT_DECODE_ERROR);
    free(b64big);
    lpa_opts o = {LPA_AT_DOC, 0, NULL, 0};
    lpa_verify(big, LPA_MAX_INPUT + 1, &o, R);
    ck_assert_int_eq(R->result, LPA_INPUT_TOO_LARGE);
    free(big);
    free(cose);
    free(b64);
    free(ver);
    free(s);
}
END_TEST

/* --expect-pcr, policy files, user_data / nonce / public_key expectations, freshness. */
START_TEST(policy_rules)
{
    lpa_policy *p = calloc(1, sizeof *p);
    ck_assert_ptr_nonnull(p);
    char err[200];
    const char *ver = "nitro/real/veracruz-2022-11-09.cose";
    const char *pcr0 = "22f9e1c949208da55eb01b9b9fc88f87454f77ba133f0d82320b509621c92482152a99d0a12335b97178c02d6f977d01";
    char arg[128];

    lpa_policy_init(p);
    snprintf(arg, sizeof arg, "0=%s", pcr0);
    ck_assert_int_eq(lpa_policy_expect_pcr(p, arg, err, sizeof err), LPA_OK);
    verify_file(ver, LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    ck_assert_msg(R->result == LPA_OK, "%s", R->detail);
    ck_assert_str_eq(R->policy, "expect-pcr");
    /* uppercase hex is the same value */
    lpa_policy_init(p);
    snprintf(arg, sizeof arg, "0=%s", pcr0);
    for (char *q = arg; *q; q++) if (*q >= 'a' && *q <= 'f') *q = (char)(*q - 32);
    ck_assert_int_eq(lpa_policy_expect_pcr(p, arg, err, sizeof err), LPA_OK);
    verify_file(ver, LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    ck_assert_int_eq(R->result, LPA_OK);
    /* one flipped nibble */
    lpa_policy_init(p);
    snprintf(arg, sizeof arg, "0=%s", pcr0);
    arg[2 + 95] = arg[2 + 95] == '1' ? '2' : '1';
    ck_assert_int_eq(lpa_policy_expect_pcr(p, arg, err, sizeof err), LPA_OK);
    verify_file(ver, LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    ck_assert_int_eq(R->result, LPA_PCR_MISMATCH);
    /* a pinned index the document does not have */
    lpa_policy_init(p);
    snprintf(arg, sizeof arg, "20=%s", pcr0);
    ck_assert_int_eq(lpa_policy_expect_pcr(p, arg, err, sizeof err), LPA_OK);
    verify_file(ver, LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    ck_assert_int_eq(R->result, LPA_PCR_MISMATCH);
    /* bad arguments */
    const char *bad_args[] = {"0=abc", "32=00", "-1=00", "x=00", "0", "00=" , "0=zz"};
    for (size_t k = 0; k < sizeof bad_args / sizeof bad_args[0]; k++)
        ck_assert_msg(lpa_policy_expect_pcr(p, bad_args[k], err, sizeof err) == LPA_POLICY_ERROR, "%s", bad_args[k]);

    /* policy file: second build matches */
    char doc[1024];
    snprintf(doc, sizeof doc,
             "{\"schema\":\"leadpoet-verify/pcr-policy/1\",\"builds\":[{\"label\":\"old\",\"pcrs\":{\"0\":\"%096d\"}},"
             "{\"label\":\"current\",\"pcrs\":{\"0\":\"%s\"}}]}", 1, pcr0);
    lpa_policy_init(p);
    ck_assert_msg(lpa_policy_load(p, (uint8_t *)doc, strlen(doc), NULL, err, sizeof err) == LPA_OK, "%s", err);
    verify_file(ver, LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    ck_assert_msg(R->result == LPA_OK, "%s", R->detail);
    ck_assert_str_eq(R->policy, "pcr-policy: current");
    /* no build matches */
    snprintf(doc, sizeof doc, "{\"pcrs\":{\"any_of\":[{\"label\":\"a\",\"0\":\"%096d\"},{\"0\":\"%s\",\"1\":\"%096d\"}]}}", 1, pcr0, 2);
    lpa_policy_init(p);
    ck_assert_msg(lpa_policy_load(p, (uint8_t *)doc, strlen(doc), NULL, err, sizeof err) == LPA_OK, "%s", err);
    verify_file(ver, LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    ck_assert_int_eq(R->result, LPA_PCR_MISMATCH);
    /* policies that pin nothing or are malformed are errors, never passes */
    const char *badp[] = {"{}", "{\"builds\":[]}", "{\"builds\":[{\"label\":\"x\"}]}", "{\"builds\":[{\"pcrs\":{}}]}",
                          "{\"pcrs\":{\"any_of\":[]}}", "{\"pcrs\":{\"any_of\":[{\"label\":\"only a label\"}]}}",
                          "{\"builds\":[{\"pcrs\":{\"0\":\"00\"}}]}", "{\"builds\":[{\"pcrs\":{\"32\":\"00\"}}]}",
                          "{\"bulids\":[]}", "{\"builds\":[],\"builds\":[]}", "[]", "{\"schema\":\"other\",\"builds\":[]}",
                          "{\"allow_debug\":\"yes\"}", "not json"};
    for (size_t k = 0; k < sizeof badp / sizeof badp[0]; k++) {
        lpa_policy_init(p);
        ck_assert_msg(lpa_policy_load(p, (const uint8_t *)badp[k], strlen(badp[k]), NULL, err, sizeof err) == LPA_POLICY_ERROR,
                      "accepted policy %s", badp[k]);
    }

    /* user_data: ev-ga-debug's user_data is the SPKI of ev-ga-bound-cert.der (README) */
    size_t cn;
    uint8_t *cert = lp_read_vector("nitro/real/ev-ga-bound-cert.der", &cn);
    const unsigned char *q = cert;
    X509 *x = d2i_X509(NULL, &q, (long)cn);
    ck_assert_ptr_nonnull(x);
    unsigned char *spki = NULL;
    int sl = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &spki);
    ck_assert_int_eq(sl, 91);
    char *sh = malloc(2 * (size_t)sl + 1);
    lpc_hex_encode(spki, (size_t)sl, sh);
    lpa_policy_init(p);
    p->allow_debug = 1;
    ck_assert_int_eq(lpa_policy_expect_hex(p, "user_data", sh, err, sizeof err), LPA_OK);
    verify_file("nitro/real/ev-ga-debug-2023-09-18.cose", LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    ck_assert_msg(R->result == LPA_OK, "%s", R->detail);
    verify_file("nitro/real/ev-san-debug-2023-01-18.cose", LPA_AT_DOC, 0); /* another document */
    lpa_policy_apply(p, R);
    ck_assert_int_eq(R->result, LPA_USER_DATA_MISMATCH);
    verify_file("nitro/real/ev-beta-valid-2022-10-13.cose", LPA_AT_DOC, 0); /* user_data null */
    lpa_policy_apply(p, R);
    ck_assert_int_eq(R->result, LPA_USER_DATA_MISMATCH);
    free(sh);
    OPENSSL_free(spki);
    X509_free(x);
    free(cert);

    /* nonce / public_key: ev-beta-debug has public_key "my super secret key", nonce null */
    lpa_policy_init(p);
    p->allow_debug = 1;
    ck_assert_int_eq(lpa_policy_expect_hex(p, "public_key", "6d7920737570657220736563726574206b6579", err, sizeof err), LPA_OK);
    verify_file("nitro/real/ev-beta-debug-2022-10-12.cose", LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    ck_assert_msg(R->result == LPA_OK, "%s", R->detail);
    ck_assert_int_eq(lpa_policy_expect_hex(p, "public_key", "6d7920737570657220736563726574206b6578", err, sizeof err), LPA_OK);
    verify_file("nitro/real/ev-beta-debug-2022-10-12.cose", LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    ck_assert_int_eq(R->result, LPA_PUBLIC_KEY_MISMATCH);
    lpa_policy_init(p);
    p->allow_debug = 1;
    ck_assert_int_eq(lpa_policy_expect_hex(p, "nonce", "00", err, sizeof err), LPA_OK);
    verify_file("nitro/real/ev-beta-debug-2022-10-12.cose", LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    ck_assert_int_eq(R->result, LPA_NONCE_MISMATCH);
    verify_file(ver, LPA_AT_DOC, 0); /* 32-byte nonce, different value */
    lpa_policy_apply(p, R);
    ck_assert_int_eq(R->result, LPA_NONCE_MISMATCH);
    ck_assert_int_eq(lpa_policy_expect_hex(p, "nonce", "0g", err, sizeof err), LPA_POLICY_ERROR);

    /* freshness: marlin-aws leaf was issued 6016 s before the document */
    const char *ma = "nitro/real/marlin-aws-2024-12-13.cose";
    int64_t ts = 1734075478; /* floor(1734075478960 / 1000) */
    lpa_policy_init(p);
    p->max_age_s = 100;
    verify_file(ma, LPA_AT_TIME, ts + 100);
    lpa_policy_apply(p, R);
    ck_assert_msg(R->result == LPA_OK, "%s", R->detail);
    p->max_age_s = 99;
    verify_file(ma, LPA_AT_TIME, ts + 100);
    lpa_policy_apply(p, R);
    ck_assert_int_eq(R->result, LPA_STALE);
    lpa_policy_init(p);
    verify_file(ma, LPA_AT_TIME, ts - 60);
    lpa_policy_apply(p, R);
    ck_assert_msg(R->result == LPA_OK, "%s", R->detail);
    verify_file(ma, LPA_AT_TIME, ts - 61);
    lpa_policy_apply(p, R);
    ck_assert_int_eq(R->result, LPA_FUTURE_TIMESTAMP);
    /* a chain failure stays the reported result even when policy would also fail */
    verify_file(ma, LPA_AT_NOW, (int64_t)time(NULL));
    p->max_age_s = 1;
    lpa_policy_apply(p, R);
    ck_assert_int_eq(R->result, LPA_CERT_EXPIRED);
    free(p);
}
END_TEST

/* ------------------------------------------------------- Leadpoet synthetic */

static uint8_t *unhex_dup(const char *h, size_t *n)
{
    size_t l = strlen(h);
    uint8_t *b = malloc(l / 2 + 1);
    ck_assert_int_eq(lpc_hex_decode(h, l, b, l / 2 + 1, n), LPC_OK);
    return b;
}

/* Decodes a JSON value (as text) as evidence, verifies with the test root, applies
 * the default policy and the Leadpoet binding. */
static lpa_err lp_run(json_t *evidence, const uint8_t *root, size_t root_len, lpa_binding *b)
{
    lpa_source *s = calloc(1, sizeof *s);
    lpa_policy *p = calloc(1, sizeof *p);
    char detail[200];
    ck_assert(s && p);
    char *txt = json_is_string(evidence) ? strdup(json_string_value(evidence)) : json_dumps(evidence, 0);
    lpa_err e = lpa_source_decode((uint8_t *)txt, strlen(txt), s, detail, sizeof detail);
    free(txt);
    if (e == LPA_OK) {
        lpa_opts o = {LPA_AT_DOC, 0, root, root_len};
        lpa_verify(s->cose, s->cose_len, &o, R);
        lpa_policy_init(p);
        lpa_policy_apply(p, R);
        lpa_leadpoet_bind(s, R, b);
        e = R->result;
    }
    free(s);
    free(p);
    return e;
}

START_TEST(leadpoet_synthetic)
{
    json_t *v = load_json("leadpoet/attestation.json");
    size_t rl;
    uint8_t *root = unhex_dup(jstr(v, "test_root_cert_der_hex"), &rl);
    json_t *res = json_object_get(v, "nitro_py_verification_results");
    lpa_binding b;

    /* /attest response */
    json_t *ae = json_object_get(v, "attest_endpoint");
    json_t *resp = json_deep_copy(json_object_get(ae, "attest_response_json"));
    ck_assert_msg(lp_run(resp, root, rl, &b) == LPA_OK, "%s", R->detail);
    ck_assert(!R->root_is_aws);
    ck_assert(b.found);
    ck_assert_str_eq(b.enclave_public_key, jstr(json_object_get(res, "attest_endpoint_doc"), "enclave_pubkey"));
    ck_assert_str_eq(b.code_hash, jstr(json_object_get(json_object_get(ae, "tee_attestation_dict"), "user_data"), "code_hash"));
    char h[97];
    pcr_hex(0, h);
    ck_assert_str_eq(h, jstr(json_object_get(res, "attest_endpoint_doc"), "pcr0"));
    ck_assert_uint_eq(R->doc.user_data_len, strlen(jstr(ae, "user_data_bytes_utf8")));
    /* the same bytes under the pinned AWS root: untrusted */
    ck_assert_int_eq(lp_run(resp, NULL, 0, &b), LPA_UNTRUSTED_ROOT);
    /* response key swapped for the event-signer key */
    json_object_set_new(resp, "enclave_public_key", json_string("efe7d2eb35d61f9ad94644c5f7caacc778761676a3f88d9cd0e68d444e5a5780"));
    ck_assert_int_eq(lp_run(resp, root, rl, &b), LPA_USER_DATA_MISMATCH);
    json_decref(resp);
    resp = json_deep_copy(json_object_get(ae, "attest_response_json"));
    json_object_set_new(resp, "code_hash", json_string("beadbeadbeadbeadbeadbeadbeadbeadbeadbeadbeadbeadbeadbeadbeadbead"));
    ck_assert_int_eq(lp_run(resp, root, rl, &b), LPA_USER_DATA_MISMATCH);
    json_decref(resp);
    resp = json_deep_copy(json_object_get(ae, "attest_response_json"));
    json_object_set_new(resp, "pcr1", json_string(jstr(v, "pcr2_hex")));
    ck_assert_int_eq(lp_run(resp, root, rl, &b), LPA_PCR_MISMATCH);
    /* payload byte flipped: SIGNATURE_INVALID (nitro.py "tampered") */
    json_decref(resp);
    resp = json_deep_copy(json_object_get(ae, "attest_response_json"));
    char *doc = strdup(jstr(resp, "attestation_document"));
    char *at = strstr(doc, jstr(v, "pcr1_hex")); /* inside the signed PCR1 value */
    ck_assert_ptr_nonnull(at);
    at[10] = at[10] == '0' ? '1' : '0';
    json_object_set_new(resp, "attestation_document", json_string(doc));
    free(doc);
    ck_assert_int_eq(lp_run(resp, root, rl, &b), LPA_SIGNATURE_INVALID);
    json_decref(resp);

    /* /attestation/document response: CBOR user_data + raw public_key */
    json_t *ev = json_object_get(v, "event_signer_attestation");
    resp = json_deep_copy(json_object_get(ev, "attestation_document_response_json"));
    ck_assert_msg(lp_run(resp, root, rl, &b) == LPA_OK, "%s", R->detail);
    ck_assert_str_eq(b.enclave_public_key, jstr(ev, "nsm_public_key_hex"));
    ck_assert_str_eq(b.user_data_format, "cbor");
    ck_assert_str_eq(b.purpose, "gateway_event_signing");
    ck_assert(!b.has_epoch_id);   /* §13.2 user_data has no epoch_id */
    json_object_set_new(resp, "enclave_pubkey", json_string("760f59645a444276a285e300f92aaa817865a7f1fbf95a3cf4d615b370cccc54"));
    ck_assert_int_eq(lp_run(resp, root, rl, &b), LPA_PUBLIC_KEY_MISMATCH);
    json_decref(resp);
    resp = json_deep_copy(json_object_get(ev, "attestation_document_response_json"));
    json_object_set_new(resp, "code_hash", json_string("c0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0df"));
    ck_assert_int_eq(lp_run(resp, root, rl, &b), LPA_USER_DATA_MISMATCH);
    json_decref(resp);
    /* /attest document presented as an /attestation/document: no public_key */
    resp = json_pack("{s:s, s:s, s:s}", "attestation_document", jstr(ae, "cose_sign1_hex"), "enclave_pubkey",
                     "760f59645a444276a285e300f92aaa817865a7f1fbf95a3cf4d615b370cccc54", "trust_level", "full_nitro");
    ck_assert_int_eq(lp_run(resp, root, rl, &b), LPA_PUBLIC_KEY_MISMATCH);
    json_decref(resp);

    /* validator v1 weights documents, untagged and tagged (bare base64) */
    json_t *vv = json_object_get(v, "validator_v1_weights_attestation");
    ck_assert_msg(lp_run(json_object_get(vv, "cose_sign1_b64_untagged"), root, rl, &b) == LPA_OK, "%s", R->detail);
    ck_assert(!R->doc.tagged);
    ck_assert_str_eq(b.enclave_public_key, jstr(json_object_get(res, "validator_v1_doc"), "enclave_pubkey"));
    /* §13.3 user_data: purpose and the integer epoch_id */
    ck_assert(b.has_purpose);
    ck_assert_str_eq(b.purpose, "validator_weights");
    ck_assert(b.has_epoch_id);
    ck_assert_int_eq(b.epoch_id, 23929);
    ck_assert_msg(lp_run(json_object_get(vv, "cose_sign1_b64_tagged18"), root, rl, &b) == LPA_OK, "%s", R->detail);
    ck_assert(R->doc.tagged);
    /* sig_structure of the vector equals ours */
    static uint8_t tbs[LPA_SIG_STRUCTURE_MAX];
    size_t tl = lpa_sig_structure(&R->doc, tbs), rn;
    uint8_t *ref = unhex_dup(jstr(json_object_get(vv, "cose_parts_untagged"), "sig_structure_hex"), &rn);
    ck_assert_uint_eq(tl, rn);
    ck_assert(memcmp(tbs, ref, rn) == 0);
    free(ref);
    free(root);
    json_decref(v);
}
END_TEST

/* ------------------------------------------ re-signed documents (spec §9.10)
 * The writer, test chain and COSE signer are tests/lp_attest_fixture.h. */

enum mut {
    M_NONE, M_MISSING_NONCE, M_DIGEST_SHA256, M_TS_NEGINT, M_TS_ZERO, M_TS_TAGGED, M_PCR_INDEX_32, M_PCR_47,
    M_PCR_DUP, M_PCRS_EMPTY, M_PCR_NEG_INDEX, M_DUP_KEY, M_UNKNOWN_KEY, M_NULL_MODULE_ID, M_MODULE_ID_EMPTY,
    M_INT_KEY, M_NONCE_512, M_NONCE_513, M_USER_DATA_EMPTY, M_USER_DATA_513, M_PUBKEY_EMPTY, M_PUBKEY_1025,
    M_CABUNDLE_8, M_CABUNDLE_9, M_CABUNDLE_EMPTY, M_CERT_TRAILING, M_INDEF_MAP, M_CHUNKED_MODULE_ID,
    M_TRAILING_PAYLOAD, M_DEBUG_PCRS, M_PARTIAL_DEBUG, M_TS_BEFORE_LEAF, M_ROOT_NOT_FIRST, M_TIMESTAMP_TEXT,
    M_PCRS_17, M_COUNT
};

static const struct { enum mut m; const char *want; } mut_expect[] = {
    {M_NONE, "OK"}, {M_MISSING_NONCE, "SYNTAX_INVALID"}, {M_DIGEST_SHA256, "SYNTAX_INVALID"},
    {M_TS_NEGINT, "SYNTAX_INVALID"}, {M_TS_ZERO, "SYNTAX_INVALID"}, {M_TS_TAGGED, "SYNTAX_INVALID"},
    {M_PCR_INDEX_32, "SYNTAX_INVALID"}, {M_PCR_47, "SYNTAX_INVALID"}, {M_PCR_DUP, "SYNTAX_INVALID"},
    {M_PCRS_EMPTY, "SYNTAX_INVALID"}, {M_PCR_NEG_INDEX, "SYNTAX_INVALID"}, {M_DUP_KEY, "SYNTAX_INVALID"},
    {M_UNKNOWN_KEY, "SYNTAX_INVALID"}, {M_NULL_MODULE_ID, "SYNTAX_INVALID"}, {M_MODULE_ID_EMPTY, "SYNTAX_INVALID"},
    {M_INT_KEY, "SYNTAX_INVALID"}, {M_NONCE_512, "OK"}, {M_NONCE_513, "SYNTAX_INVALID"},
    {M_USER_DATA_EMPTY, "OK"}, {M_USER_DATA_513, "SYNTAX_INVALID"}, {M_PUBKEY_EMPTY, "SYNTAX_INVALID"},
    {M_PUBKEY_1025, "SYNTAX_INVALID"}, {M_CABUNDLE_8, "CHAIN_INVALID"} /* bundle not used completely */, {M_CABUNDLE_9, "SYNTAX_INVALID"},
    {M_CABUNDLE_EMPTY, "SYNTAX_INVALID"}, {M_CERT_TRAILING, "SYNTAX_INVALID"}, {M_INDEF_MAP, "OK"},
    {M_CHUNKED_MODULE_ID, "SYNTAX_INVALID"}, {M_TRAILING_PAYLOAD, "SYNTAX_INVALID"}, {M_DEBUG_PCRS, "OK"},
    {M_PARTIAL_DEBUG, "OK"}, {M_TS_BEFORE_LEAF, "TIMESTAMP_OUTSIDE_LEAF"}, {M_ROOT_NOT_FIRST, "UNTRUSTED_ROOT"},
    {M_TIMESTAMP_TEXT, "SYNTAX_INVALID"}, {M_PCRS_17, "OK"},
};

#define TEST_TS_MS 1764576000123ull

static void build_payload(lpt_wbuf *w, const lpt_pki *k, enum mut m)
{
    int keys = 9 + (m == M_DUP_KEY) + (m == M_UNKNOWN_KEY) + (m == M_INT_KEY) - (m == M_MISSING_NONCE);
    if (m == M_INDEF_MAP) lpt_w_byte(w, 0xbf);
    else lpt_w_head(w, 5, (uint64_t)keys);
    lpt_w_text(w, "module_id");
    if (m == M_NULL_MODULE_ID) lpt_w_byte(w, 0xf6);
    else if (m == M_MODULE_ID_EMPTY) lpt_w_text(w, "");
    else if (m == M_CHUNKED_MODULE_ID) { lpt_w_byte(w, 0x7f); lpt_w_text(w, "i-0123456789abcdef0"); lpt_w_text(w, "-enc0123456789abcdef"); lpt_w_byte(w, 0xff); }
    else lpt_w_text(w, "i-0123456789abcdef0-enc0123456789abcdef");
    if (m == M_DUP_KEY) { lpt_w_text(w, "module_id"); lpt_w_text(w, "i-0fedcba987654321-enc0123456789abcdef"); }
    lpt_w_text(w, "digest");
    lpt_w_text(w, m == M_DIGEST_SHA256 ? "SHA256" : "SHA384");
    lpt_w_text(w, "timestamp");
    uint64_t ts = m == M_TS_BEFORE_LEAF ? 1735689600000ull - 1000 : TEST_TS_MS;
    if (m == M_TS_NEGINT) lpt_w_head(w, 1, ts);
    else if (m == M_TS_ZERO) lpt_w_head(w, 0, 0);
    else if (m == M_TS_TAGGED) { lpt_w_byte(w, 0xc1); lpt_w_head(w, 0, ts / 1000); }
    else if (m == M_TIMESTAMP_TEXT) lpt_w_text(w, "1764576000123");
    else { lpt_w_byte(w, 0x1b); for (int i = 0; i < 8; i++) lpt_w_byte(w, (uint8_t)(ts >> (56 - 8 * i))); } /* AWS's 8-byte head */
    lpt_w_text(w, "pcrs");
    int npcr = m == M_PCRS_EMPTY ? 0 : m == M_PCRS_17 ? 17 : 16;
    lpt_w_head(w, 5, (uint64_t)npcr);
    for (int i = 0; i < npcr; i++) {
        uint8_t v[LPA_PCR_LEN];
        memset(v, (i < 3 && m != M_DEBUG_PCRS && !(m == M_PARTIAL_DEBUG && i == 0)) ? 0x10 + i : 0, sizeof v);
        if (m == M_PCR_INDEX_32 && i == 15) lpt_w_head(w, 0, 32);
        else if (m == M_PCR_DUP && i == 15) lpt_w_head(w, 0, 14);
        else if (m == M_PCR_NEG_INDEX && i == 15) lpt_w_head(w, 1, 0);
        else lpt_w_head(w, 0, (uint64_t)i);
        lpt_w_bstr(w, v, m == M_PCR_47 && i == 5 ? 47 : LPA_PCR_LEN);
    }
    lpt_w_text(w, "certificate");
    if (m == M_CERT_TRAILING) {
        lpt_w_head(w, 2, k->leaf_len + 1);
        lpt_w_raw(w, k->leaf_der, k->leaf_len);
        lpt_w_byte(w, 0);
    } else {
        lpt_w_bstr(w, k->leaf_der, k->leaf_len);
    }
    lpt_w_text(w, "cabundle");
    int nb = m == M_CABUNDLE_9 ? 9 : m == M_CABUNDLE_8 ? 8 : m == M_CABUNDLE_EMPTY ? 0 : m == M_ROOT_NOT_FIRST ? 2 : 1;
    lpt_w_head(w, 4, (uint64_t)nb);
    for (int i = 0; i < nb; i++) {
        if (m == M_ROOT_NOT_FIRST && i == 0) lpt_w_bstr(w, k->leaf_der, k->leaf_len);
        else lpt_w_bstr(w, k->root_der, k->root_len);
    }
    static uint8_t big[1100];
    memset(big, 0x41, sizeof big);
    lpt_w_text(w, "public_key");
    if (m == M_PUBKEY_EMPTY) lpt_w_bstr(w, big, 0);
    else if (m == M_PUBKEY_1025) lpt_w_bstr(w, big, 1025);
    else lpt_w_byte(w, 0xf6);
    lpt_w_text(w, "user_data");
    if (m == M_USER_DATA_EMPTY) lpt_w_bstr(w, big, 0);
    else if (m == M_USER_DATA_513) lpt_w_bstr(w, big, 513);
    else lpt_w_bstr(w, "hello", 5);
    if (m != M_MISSING_NONCE) {
        lpt_w_text(w, "nonce");
        if (m == M_NONCE_512) lpt_w_bstr(w, big, 512);
        else if (m == M_NONCE_513) lpt_w_bstr(w, big, 513);
        else lpt_w_byte(w, 0xf6);
    }
    if (m == M_UNKNOWN_KEY) { lpt_w_text(w, "extra"); lpt_w_byte(w, 0xf6); }
    if (m == M_INT_KEY) { lpt_w_head(w, 0, 1); lpt_w_byte(w, 0xf6); }
    if (m == M_INDEF_MAP) lpt_w_byte(w, 0xff);
    if (m == M_TRAILING_PAYLOAD) lpt_w_byte(w, 0x00);
}

START_TEST(resigned_syntax_rules)
{
    static lpt_pki k;
    static lpt_wbuf pl, cose;
    lpa_policy *p = calloc(1, sizeof *p);
    ck_assert_ptr_nonnull(p);
    lpt_pki_init(&k);
    ck_assert_uint_eq(sizeof mut_expect / sizeof mut_expect[0], M_COUNT);
    for (size_t i = 0; i < M_COUNT; i++) {
        ck_assert_int_eq(mut_expect[i].m, (int)i);
        pl.n = 0;
        build_payload(&pl, &k, (enum mut)i);
        lpt_build_cose(&cose, &k, &pl);
        lpa_opts o = {LPA_AT_TIME, 1764576000 + 10, k.root_der, k.root_len};
        lpa_verify(cose.b, cose.n, &o, R);
        char what[32];
        snprintf(what, sizeof what, "mutation %zu", i);
        expect_code(R->result, mut_expect[i].want, what);
        /* the signature is valid in every case that reaches it */
        for (size_t c = 0; c < R->n_checks; c++)
            if (strcmp(R->checks[c].name, "cose.signature") == 0) ck_assert_msg(R->checks[c].ok, "%s: signature", what);
    }
    /* its name invariants X1-X4, X6 do not hold under the test root: flagged
     * warnings with code INVARIANT, and the result stays OK */
    pl.n = 0;
    build_payload(&pl, &k, M_NONE);
    lpt_build_cose(&cose, &k, &pl);
    lpa_opts ot = {LPA_AT_TIME, 1764576000 + 10, k.root_der, k.root_len};
    lpa_verify(cose.b, cose.n, &ot, R);
    ck_assert_int_eq(R->result, LPA_OK);
    int nw = 0;
    for (size_t c = 0; c < R->n_checks; c++) {
        const lpa_check *ck = &R->checks[c];
        if (ck->ok) continue;
        ck_assert_msg(ck->warning && ck->code == LPA_INVARIANT && strncmp(ck->name, "invariant.x", 11) == 0, "%s", ck->name);
        nw++;
    }
    ck_assert_int_eq(nw, 5);
    ck_assert_int_eq(R->warnings, 5);
    /* same test document under the AWS root */
    pl.n = 0;
    build_payload(&pl, &k, M_NONE);
    lpt_build_cose(&cose, &k, &pl);
    lpa_opts aws = {LPA_AT_DOC, 0, NULL, 0};
    lpa_verify(cose.b, cose.n, &aws, R);
    ck_assert_int_eq(R->result, LPA_UNTRUSTED_ROOT);
    /* empty user_data is present-empty, not null */
    pl.n = 0;
    build_payload(&pl, &k, M_USER_DATA_EMPTY);
    lpt_build_cose(&cose, &k, &pl);
    lpa_opts o = {LPA_AT_DOC, 0, k.root_der, k.root_len};
    lpa_verify(cose.b, cose.n, &o, R);
    ck_assert(R->doc.has_user_data && R->doc.user_data_len == 0 && !R->doc.has_nonce);
    /* debug policy on re-signed documents */
    pl.n = 0;
    build_payload(&pl, &k, M_DEBUG_PCRS);
    lpt_build_cose(&cose, &k, &pl);
    lpa_verify(cose.b, cose.n, &o, R);
    lpa_policy_init(p);
    lpa_policy_apply(p, R);
    ck_assert_int_eq(R->result, LPA_DEBUG_ENCLAVE);
    pl.n = 0;
    build_payload(&pl, &k, M_PARTIAL_DEBUG);
    lpt_build_cose(&cose, &k, &pl);
    lpa_verify(cose.b, cose.n, &o, R);
    p->allow_debug = 1; /* a partial zero set is anomalous even when debug is allowed */
    lpa_policy_apply(p, R);
    ck_assert_int_eq(R->result, LPA_DEBUG_ENCLAVE);
    /* the leaf key must have signed: sign with the root key instead */
    pl.n = 0;
    build_payload(&pl, &k, M_NONE);
    EVP_PKEY *t = k.leaf_key;
    k.leaf_key = k.root_key;
    lpt_build_cose(&cose, &k, &pl);
    k.leaf_key = t;
    lpa_verify(cose.b, cose.n, &o, R);
    ck_assert_int_eq(R->result, LPA_SIGNATURE_INVALID);
    lpt_pki_free(&k);
    free(p);
}
END_TEST

/* Bounded, fail-closed parsing: no prefix or single-byte change of a genuine
 * document verifies; nothing crashes. */
START_TEST(truncations_and_flips)
{
    size_t n;
    uint8_t *b = lp_read_vector("nitro/real/veracruz-2022-11-09.cose", &n);
    lpa_doc *d = calloc(1, sizeof *d);
    ck_assert_ptr_nonnull(d);
    int st;
    for (size_t l = 0; l < n; l++) ck_assert_msg(lpa_parse(b, l, d, &st, NULL, 0) != LPA_OK, "prefix %zu parsed", l);
    lpa_opts o = {LPA_AT_DOC, 0, NULL, 0};
    for (size_t i = 0; i < n; i += 41) {
        b[i] ^= 0x01;
        lpa_verify(b, n, &o, R);
        ck_assert_msg(R->result != LPA_OK, "flip at %zu verified", i);
        b[i] ^= 0x01;
    }
    lpa_verify(b, n, &o, R);
    ck_assert_int_eq(R->result, LPA_OK);
    free(b);
    free(d);
}
END_TEST

/* ------------------------------------------------- PCR pinning, allowlist */

static lpa_err load_policy_json(json_t *j, const char *role, lpa_policy *p, char *err, size_t errlen)
{
    char *t = json_dumps(j, 0);
    ck_assert_ptr_nonnull(t);
    lpa_policy_init(p);
    lpa_err e = lpa_policy_load(p, (const uint8_t *)t, strlen(t), role, err, errlen);
    free(t);
    if (e != LPA_OK) ck_assert_uint_eq(p->n_builds, 0);
    return e;
}

static const lpa_check *find_check(const lpa_result *r, const char *name)
{
    for (size_t i = 0; i < r->n_checks; i++)
        if (strcmp(r->checks[i].name, name) == 0) return &r->checks[i];
    return NULL;
}

/* Issue defect 2: a genuine document whose PCR0 nobody pinned is PCR_NOT_PINNED,
 * with its PCRs still reported; --any-pcr makes that a warning. */
START_TEST(pcr_pinning)
{
    lpa_policy *p = calloc(1, sizeof *p);
    char err[200], arg[128], h0[97], h4[97], doc[1024];
    const char *ver = "nitro/real/veracruz-2022-11-09.cose";
    const char *pcr0 = "22f9e1c949208da55eb01b9b9fc88f87454f77ba133f0d82320b509621c92482152a99d0a12335b97178c02d6f977d01";
    lpa_pcr_match m;
    ck_assert_ptr_nonnull(p);
    verify_file(ver, LPA_AT_DOC, 0);
    pcr_hex(0, h0);
    ck_assert_str_eq(h0, pcr0); /* manifest.json */
    pcr_hex(4, h4);

    /* nothing pinned */
    lpa_policy_init(p);
    lpa_policy_apply(p, R);
    ck_assert_int_eq(R->result, LPA_OK); /* lpa_policy_apply alone does not require a pin */
    lpa_policy_pin(p, 0, R, &m);
    ck_assert_int_eq(R->result, LPA_PCR_NOT_PINNED);
    ck_assert_str_eq(R->policy, "none");
    ck_assert(R->doc_parsed && __builtin_popcount(R->doc.pcr_mask) == 16); /* PCRs still reported */
    ck_assert(!m.pcr0_pinned && m.build == -1);
    const lpa_check *c = find_check(R, "policy.pcr_pinned");
    ck_assert(c && !c->ok && !c->warning && c->code == LPA_PCR_NOT_PINNED);
    ck_assert_msg(strstr(c->detail, "proves nothing about Leadpoet") && strstr(c->detail, "--expect-pcr"), "%s", c->detail);
    /* the explicit opt-in: a warning, the result stays OK */
    verify_file(ver, LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    lpa_policy_pin(p, 1, R, &m);
    ck_assert_int_eq(R->result, LPA_OK);
    c = find_check(R, "policy.pcr_pinned");
    ck_assert(c && !c->ok && c->warning && c->code == LPA_PCR_NOT_PINNED);
    ck_assert_int_eq(R->warnings, 1);
    ck_assert(!m.pcr0_pinned);

    /* --expect-pcr 0= pins; 4= alone does not; a wrong 0= is PCR_MISMATCH */
    snprintf(arg, sizeof arg, "0=%s", pcr0);
    ck_assert_int_eq(lpa_policy_expect_pcr(p, arg, err, sizeof err), LPA_OK);
    verify_file(ver, LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    lpa_policy_pin(p, 0, R, &m);
    ck_assert_msg(R->result == LPA_OK, "%s", R->detail);
    ck_assert(m.pcr0_pinned && find_check(R, "policy.pcr_pinned")->ok);
    lpa_policy_init(p);
    snprintf(arg, sizeof arg, "4=%s", h4);
    ck_assert_int_eq(lpa_policy_expect_pcr(p, arg, err, sizeof err), LPA_OK);
    verify_file(ver, LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    lpa_policy_pin(p, 0, R, &m);
    ck_assert_int_eq(R->result, LPA_PCR_NOT_PINNED);
    ck_assert_str_eq(R->policy, "expect-pcr");
    ck_assert(strstr(find_check(R, "policy.pcr_pinned")->detail, "do not include PCR0") != NULL);
    lpa_policy_init(p);
    snprintf(arg, sizeof arg, "0=%096d", 7);
    ck_assert_int_eq(lpa_policy_expect_pcr(p, arg, err, sizeof err), LPA_OK);
    verify_file(ver, LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    lpa_policy_pin(p, 0, R, &m);
    ck_assert_int_eq(R->result, LPA_PCR_MISMATCH);
    ck_assert_ptr_null(find_check(R, "policy.pcr_pinned"));
    ck_assert(!m.pcr0_pinned);

    /* builds: the matching one must pin PCR0; one that does is preferred */
    snprintf(doc, sizeof doc, "{\"builds\":[{\"label\":\"pcr4 only\",\"pcrs\":{\"4\":\"%s\"}}]}", h4);
    lpa_policy_init(p);
    ck_assert_msg(lpa_policy_load(p, (uint8_t *)doc, strlen(doc), NULL, err, sizeof err) == LPA_OK, "%s", err);
    verify_file(ver, LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    lpa_policy_pin(p, 0, R, &m);
    ck_assert_int_eq(R->result, LPA_PCR_NOT_PINNED);
    ck_assert(m.build == 0 && !m.pcr0_pinned);
    snprintf(doc, sizeof doc, "{\"builds\":[{\"label\":\"pcr4 only\",\"pcrs\":{\"4\":\"%s\"}},"
             "{\"label\":\"other\",\"pcrs\":{\"0\":\"%096d\"}},{\"label\":\"this\",\"pcrs\":{\"0\":\"%s\",\"4\":\"%s\"}}]}",
             h4, 3, pcr0, h4);
    lpa_policy_init(p);
    ck_assert_msg(lpa_policy_load(p, (uint8_t *)doc, strlen(doc), NULL, err, sizeof err) == LPA_OK, "%s", err);
    verify_file(ver, LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    lpa_policy_pin(p, 0, R, &m);
    ck_assert_msg(R->result == LPA_OK, "%s", R->detail);
    ck_assert(m.build == 2 && m.pcr0_pinned);
    ck_assert_str_eq(R->policy, "pcr-policy: this");
    /* no document: nothing to pin, nothing added */
    memset(R, 0, sizeof *R);
    lpa_policy_pin(p, 0, R, &m);
    ck_assert(R->n_checks == 0 && m.build == -1 && !m.pcr0_pinned);
    free(p);
}
END_TEST

/* Leadpoet's pcr0_allowlist.json as published (vectors/leadpoet/README.md). */
START_TEST(leadpoet_allowlist)
{
    lpa_policy *p = calloc(1, sizeof *p);
    char err[256];
    json_t *al = load_json("leadpoet/pcr0_allowlist.json");
    static const char *const roles[2] = {"gateway", "validator"};
    ck_assert_ptr_nonnull(p);
    for (int r = 0; r < 2; r++) {
        char list[32];
        snprintf(list, sizeof list, "%s_pcr0", roles[r]);
        json_t *L = json_object_get(al, list);
        ck_assert_msg(load_policy_json(al, roles[r], p, err, sizeof err) == LPA_OK, "%s: %s", roles[r], err);
        ck_assert_uint_eq(p->n_builds, 18);
        ck_assert_uint_eq(json_array_size(L), 18);
        for (size_t i = 0; i < p->n_builds; i++) {
            json_t *e = json_array_get(L, i);
            const lpa_pcr_set *b = &p->builds[i];
            char h[97];
            lpc_hex_encode(b->pcrs[0], LPA_PCR_LEN, h);
            ck_assert_str_eq(h, jstr(e, "pcr0"));
            ck_assert_str_eq(b->version, jstr(e, "version"));
            ck_assert_str_eq(b->label, jstr(e, "version"));
            json_t *ch = json_object_get(e, "commit_hash");
            ck_assert_str_eq(b->commit, ch ? json_string_value(ch) : "");
            ck_assert_uint_eq(b->mask, 1u);
        }
        /* no real document of vectors/nitro was made by these enclaves */
        json_t *man = load_json("nitro/manifest.json"), *e;
        size_t k, n_docs = 0;
        json_array_foreach(json_object_get(man, "real"), k, e) {
            if (strcmp(jstr(json_object_get(e, "expected"), "at_doc_time"), "OK") != 0) continue;
            char rel[256];
            snprintf(rel, sizeof rel, "nitro/%s", jstr(e, "file"));
            verify_file(rel, LPA_AT_DOC, 0);
            p->allow_debug = 1;
            lpa_policy_apply(p, R);
            ck_assert_msg(R->result == LPA_PCR_MISMATCH, "%s %s: %s", roles[r], rel, lpa_code(R->result));
            n_docs++;
        }
        ck_assert_uint_eq(n_docs, 13);
        json_decref(man);
    }
    /* no role, a wrong role, a role with the other format */
    ck_assert_int_eq(load_policy_json(al, NULL, p, err, sizeof err), LPA_POLICY_ERROR);
    ck_assert_msg(strstr(err, "role") != NULL, "%s", err);
    ck_assert_int_eq(load_policy_json(al, "auditor", p, err, sizeof err), LPA_POLICY_ERROR);
    json_t *other = json_pack("{s:[{s:s,s:{s:s}}]}", "builds", "label", "x", "pcrs", "0",
                              "222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222222");
    ck_assert_int_eq(load_policy_json(other, NULL, p, err, sizeof err), LPA_OK);
    ck_assert_int_eq(load_policy_json(other, "gateway", p, err, sizeof err), LPA_POLICY_ERROR);
    ck_assert_msg(strstr(err, "pcr0_allowlist") != NULL, "%s", err);
    json_decref(other);

    /* a copy with the veracruz document's PCR0 as a gateway entry (manifest.json) */
    const char *pcr0 = "22f9e1c949208da55eb01b9b9fc88f87454f77ba133f0d82320b509621c92482152a99d0a12335b97178c02d6f977d01";
    const char *commit = "0123456789ABCDEF0123456789abcdef01234567";
    json_t *cp = json_deep_copy(al);
    json_array_insert_new(json_object_get(cp, "gateway_pcr0"), 5,
                          json_pack("{s:s,s:s,s:s,s:s,s:s}", "pcr0", pcr0, "version", "test-2026-12-02", "deployed", "2026-12-02",
                                    "commit_hash", commit, "notes", "veracruz sample, added for the test"));
    ck_assert_msg(load_policy_json(cp, "gateway", p, err, sizeof err) == LPA_OK, "%s", err);
    ck_assert_uint_eq(p->n_builds, 19);
    verify_file("nitro/real/veracruz-2022-11-09.cose", LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    lpa_pcr_match m;
    lpa_policy_pin(p, 0, R, &m);
    ck_assert_msg(R->result == LPA_OK, "%s", R->detail);
    ck_assert(m.pcr0_pinned && m.build == 5);
    ck_assert_str_eq(p->builds[5].version, "test-2026-12-02");
    ck_assert_str_eq(p->builds[5].commit, "0123456789abcdef0123456789abcdef01234567");
    ck_assert_str_eq(R->policy, "pcr-policy: test-2026-12-02");
    ck_assert(strstr(find_check(R, "policy.pcr_policy")->detail, "0123456789abcdef0123456789abcdef01234567") != NULL);
    /* the validator list of that copy does not have it */
    ck_assert_int_eq(load_policy_json(cp, "validator", p, err, sizeof err), LPA_OK);
    verify_file("nitro/real/veracruz-2022-11-09.cose", LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    ck_assert_int_eq(R->result, LPA_PCR_MISMATCH);
    /* the same PCR0 twice: the first entry names the match; no commit_hash: "" */
    json_array_append_new(json_object_get(cp, "gateway_pcr0"), json_pack("{s:s,s:s}", "pcr0", pcr0, "version", "later"));
    ck_assert_int_eq(load_policy_json(cp, "gateway", p, err, sizeof err), LPA_OK);
    ck_assert_str_eq(p->builds[19].commit, "");
    verify_file("nitro/real/veracruz-2022-11-09.cose", LPA_AT_DOC, 0);
    lpa_policy_apply(p, R);
    lpa_policy_pin(p, 0, R, &m);
    ck_assert(R->result == LPA_OK && m.build == 5);
    json_decref(cp);

    /* caps: 64 entries load, 65 do not */
    cp = json_deep_copy(al);
    json_t *g = json_object_get(cp, "gateway_pcr0");
    while (json_array_size(g) < LPA_POLICY_MAX_BUILDS) json_array_append(g, json_array_get(g, 0));
    ck_assert_int_eq(load_policy_json(cp, "gateway", p, err, sizeof err), LPA_OK);
    ck_assert_uint_eq(p->n_builds, LPA_POLICY_MAX_BUILDS);
    json_array_append(g, json_array_get(g, 0));
    ck_assert_int_eq(load_policy_json(cp, "gateway", p, err, sizeof err), LPA_POLICY_ERROR);
    json_decref(cp);

    /* malformed variants of the real file, each a POLICY_ERROR */
    static const struct { const char *list, *key; int kind; } bad[] = {
        /* kind 0: entry 0's key set to the JSON value given; 1: key removed; 2: list replaced */
        {"gateway_pcr0", "pcr0", 0}, {"gateway_pcr0", "pcr0", 1}, {"gateway_pcr0", "version", 1},
        {"gateway_pcr0", "version", 0}, {"gateway_pcr0", "commit_hash", 0}, {"gateway_pcr0", "notes", 0},
        {"gateway_pcr0", "deployed", 0}, {"gateway_pcr0", "pcr1", 0}, {"validator_pcr0", "pcr0", 0},
        {"gateway_pcr0", NULL, 2}, {"validator_pcr0", NULL, 2},
    };
    static const char *const values[] = {
        "\"22f9e1c949208da55eb01b9b9fc88f87454f77ba133f0d82320b509621c92482152a99d0a12335b97178c02d6f977d0\"", /* 95 hex */
        "\"22f9e1c949208da55eb01b9b9fc88f87454f77ba133f0d82320b509621c92482152a99d0a12335b97178c02d6f977d01a\"", /* 97 */
        "\"22f9e1c949208da55eb01b9b9fc88f87454f77ba133f0d82320b509621c92482152a99d0a12335b97178c02d6f977d0g\"", /* non-hex */
        "42", "null", "\"\"",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t nv = bad[i].kind == 0 ? sizeof values / sizeof values[0] : 1;
        for (size_t v = 0; v < nv; v++) {
            const char *val = values[v];
            if (bad[i].kind == 0 && strcmp(bad[i].key, "pcr0") != 0 && v < 3) {
                /* other keys: text with a control character, over-long, wrong type */
                val = v == 0 ? "\"line\\nbreak\"" : v == 1 ? "\"0123456789abcdef0123456789abcdef0123456\"" : "[]";
            }
            json_t *c2 = json_deep_copy(al);
            json_t *e0 = json_array_get(json_object_get(c2, bad[i].list), 0);
            if (bad[i].kind == 0) {
                json_error_t je;
                json_t *jv = json_loads(val, JSON_DECODE_ANY, &je);
                ck_assert_ptr_nonnull(jv);
                json_object_set_new(e0, bad[i].key, jv);
            } else if (bad[i].kind == 1) {
                json_object_del(e0, bad[i].key);
            } else {
                json_object_set_new(c2, bad[i].list, json_array());
            }
            /* the mutated list is loaded (its own role), or validated beside the other */
            const char *role = strcmp(bad[i].list, "gateway_pcr0") == 0 ? "gateway" : "validator";
            lpa_err want = LPA_POLICY_ERROR;
            /* an empty list of the other role is allowed; a notes/deployed value of 39 chars is fine */
            if (bad[i].key && (strcmp(bad[i].key, "notes") == 0 || strcmp(bad[i].key, "deployed") == 0 ||
                               strcmp(bad[i].key, "version") == 0) && v == 1)
                want = LPA_OK;
            lpa_err got = load_policy_json(c2, role, p, err, sizeof err);
            ck_assert_msg(got == want, "%s.%s = %s (%s): got %s", bad[i].list, bad[i].key ? bad[i].key : "[]", val, role, lpa_code(got));
            if (bad[i].kind == 2) ck_assert_int_eq(load_policy_json(c2, strcmp(role, "gateway") == 0 ? "validator" : "gateway", p, err, sizeof err), LPA_OK);
            else ck_assert_int_eq(load_policy_json(c2, strcmp(role, "gateway") == 0 ? "validator" : "gateway", p, err, sizeof err), want);
            json_decref(c2);
        }
    }
    /* structure: unknown top-level key, remark not text, list not a list, role's list absent */
    json_t *c3 = json_deep_copy(al);
    json_object_set_new(c3, "auditor_pcr0", json_array());
    ck_assert_int_eq(load_policy_json(c3, "gateway", p, err, sizeof err), LPA_POLICY_ERROR);
    json_decref(c3);
    c3 = json_deep_copy(al);
    json_object_set_new(c3, "_comment", json_integer(1));
    ck_assert_int_eq(load_policy_json(c3, "gateway", p, err, sizeof err), LPA_POLICY_ERROR);
    json_decref(c3);
    c3 = json_deep_copy(al);
    json_object_set_new(c3, "gateway_pcr0", json_object());
    ck_assert_int_eq(load_policy_json(c3, "validator", p, err, sizeof err), LPA_POLICY_ERROR);
    json_decref(c3);
    c3 = json_deep_copy(al);
    json_object_del(c3, "validator_pcr0");
    ck_assert_int_eq(load_policy_json(c3, "gateway", p, err, sizeof err), LPA_OK);
    ck_assert_int_eq(load_policy_json(c3, "validator", p, err, sizeof err), LPA_POLICY_ERROR);
    json_array_set_new(json_object_get(c3, "gateway_pcr0"), 3, json_string("not an entry"));
    ck_assert_int_eq(load_policy_json(c3, "gateway", p, err, sizeof err), LPA_POLICY_ERROR);
    json_decref(c3);
    /* duplicate keys (text level) and truncated text */
    size_t n;
    uint8_t *raw = lp_read_vector("leadpoet/pcr0_allowlist.json", &n);
    char *t = malloc(n + 64);
    const char *needle = "\"version\": \"2026-07-14\",";
    memcpy(t, raw, n);
    t[n] = 0;
    char *at = strstr(t, needle);
    ck_assert_ptr_nonnull(at);
    size_t off = (size_t)(at - t) + strlen(needle);
    char *t2 = malloc(n + 64);
    memcpy(t2, t, off);
    size_t extra = (size_t)sprintf(t2 + off, " \"version\": \"x\",");
    memcpy(t2 + off + extra, t + off, n - off);
    lpa_policy_init(p);
    ck_assert_int_eq(lpa_policy_load(p, (uint8_t *)t2, n + extra, "gateway", err, sizeof err), LPA_POLICY_ERROR);
    ck_assert_int_eq(lpa_policy_load(p, raw, n / 2, "gateway", err, sizeof err), LPA_POLICY_ERROR);
    ck_assert_int_eq(lpa_policy_load(p, raw, n, "gateway", err, sizeof err), LPA_OK);
    free(t);
    free(t2);
    free(raw);
    json_decref(al);
    free(p);
}
END_TEST

/* ------------------------------------------------------- the evidence flow */

/* What verify_attestation and verify_merkle_inclusion ran before lpa_verify_evidence
 * (decode, lpa_verify, lpa_policy_apply, lpa_leadpoet_bind): its result. */
static lpa_err old_flow(const uint8_t *raw, size_t len, const lpa_opts *o, const lpa_policy *p)
{
    lpa_source *s = calloc(1, sizeof *s);
    lpa_binding b;
    char detail[200];
    ck_assert_ptr_nonnull(s);
    lpa_err e = lpa_source_decode(raw, len, s, detail, sizeof detail);
    if (e == LPA_OK) {
        lpa_verify(s->cose, s->cose_len, o, R);
        lpa_policy_apply(p, R);
        lpa_leadpoet_bind(s, R, &b);
        e = R->result;
    }
    free(s);
    return e;
}

static lp_code run_evidence(const char *rel, const lpa_evidence_opts *o, const lpa_policy *p, lpa_evidence *ev,
                            lp_checks *c)
{
    size_t n;
    uint8_t *b = lp_read_vector(rel, &n);
    lp_checks_free(c);
    lp_checks_init(c);
    lp_code v = lpa_verify_evidence(b, n, o, p, ev, c);
    ck_assert_int_eq(v, ev->result);
    ck_assert_int_eq(v, lp_checks_verdict(c));
    free(b);
    return v;
}

static lp_code code_named(const char *name)
{
    lp_code c;
    ck_assert_msg(lp_code_from_name(name, strlen(name), &c) == 0, "no code %s", name);
    return c;
}

static const lp_check *lp_find(const lp_checks *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->items[i].name, name) == 0) return &c->items[i];
    return NULL;
}

/* The real documents (manifest.json): pinned OK, unpinned PCR_NOT_PINNED with the
 * PCRs still there, --any-pcr OK with a warning, a wrong pin PCR_MISMATCH, the
 * negatives unchanged; and the verdict is the old flow's result wherever the old
 * flow and the pinning rule agree. */
START_TEST(evidence_real_documents)
{
    json_t *man = load_json("nitro/manifest.json"), *e;
    lpa_evidence *ev = lpa_evidence_new();
    lpa_policy *p = calloc(1, sizeof *p);
    lp_checks c;
    size_t i, n_ok = 0;
    char err[200], arg[128];
    ck_assert(ev && p);
    lp_checks_init(&c);
    json_array_foreach(json_object_get(man, "real"), i, e) {
        char rel[256];
        snprintf(rel, sizeof rel, "nitro/%s", jstr(e, "file"));
        json_t *exp = json_object_get(e, "expected");
        lp_code at_doc = code_named(jstr(exp, "at_doc_time")), at_now = code_named(jstr(exp, "at_now"));
        size_t n;
        uint8_t *raw = lp_read_vector(rel, &n);
        lpa_evidence_opts o = {{LPA_AT_DOC, 0, NULL, 0}, 0};

        /* pinned to its own PCR0 (debug documents allowed) */
        lpa_policy_init(p);
        p->allow_debug = 1;
        snprintf(arg, sizeof arg, "0=%s", jstr(e, "pcr0"));
        ck_assert_int_eq(lpa_policy_expect_pcr(p, arg, err, sizeof err), LPA_OK);
        lp_code v = run_evidence(rel, &o, p, ev, &c);
        ck_assert_msg(v == at_doc, "%s pinned: %s, want %s", rel, lp_code_name(v), lp_code_name(at_doc));
        ck_assert_int_eq(v, lpa_code_of(old_flow(raw, n, &o.verify, p)));
        ck_assert_uint_eq(c.n, ev->r.n_checks + 1);
        ck_assert(strcmp(c.items[0].name, "input.decode") == 0 && c.items[0].ok);
        for (size_t k = 0; k < ev->r.n_checks; k++) {
            ck_assert_str_eq(c.items[k + 1].name, ev->r.checks[k].name);
            ck_assert_int_eq(c.items[k + 1].ok, ev->r.checks[k].ok);
            ck_assert_int_eq(c.items[k + 1].code, lpa_code_of(ev->r.checks[k].code));
        }
        if (v == LP_CODE_OK) {
            ck_assert(ev->pcr0_pinned && lp_find(&c, "policy.pcr_pinned")->ok);
            ck_assert_str_eq(ev->match_label, ""); /* pinned by --expect-pcr, no build */
            n_ok++;
        }
        /* the same at the current time */
        o.verify.mode = LPA_AT_NOW;
        o.verify.time = (int64_t)time(NULL);
        v = run_evidence(rel, &o, p, ev, &c);
        ck_assert_msg(v == at_now, "%s now: %s", rel, lp_code_name(v));
        ck_assert_int_eq(lp_code_exit(v), LP_EXIT_FAIL);
        o.verify.mode = LPA_AT_DOC;

        /* nothing pinned */
        lpa_policy_init(p);
        p->allow_debug = 1;
        v = run_evidence(rel, &o, p, ev, &c);
        lp_code want = at_doc == LP_CODE_OK ? LP_CODE_PCR_NOT_PINNED : at_doc;
        ck_assert_msg(v == want, "%s unpinned: %s", rel, lp_code_name(v));
        ck_assert_int_eq(lp_code_exit(v), LP_EXIT_FAIL);
        ck_assert_str_eq(ev->r.policy, "none");
        ck_assert(!ev->pcr0_pinned && lpa_evidence_key(ev) == NULL);
        if (at_doc == LP_CODE_OK) {
            ck_assert_str_eq(lp_checks_culprit(&c)->name, "policy.pcr_pinned");
            char h[97];
            lpc_hex_encode(ev->r.doc.pcrs[0], LPA_PCR_LEN, h);
            ck_assert_str_eq(h, jstr(e, "pcr0")); /* still reported */
            ck_assert_int_eq(__builtin_popcount(ev->r.doc.pcr_mask), json_integer_value(json_object_get(e, "pcr_count")));
        }
        /* --any-pcr: the old result, with the pinning check as a warning */
        o.any_pcr = 1;
        v = run_evidence(rel, &o, p, ev, &c);
        ck_assert_msg(v == at_doc, "%s any-pcr: %s", rel, lp_code_name(v));
        ck_assert_int_eq(v, lpa_code_of(old_flow(raw, n, &o.verify, p)));
        if (at_doc == LP_CODE_OK) {
            const lp_check *w = lp_find(&c, "policy.pcr_pinned");
            ck_assert(w && !w->ok && (w->flags & LP_CHECK_WARNING) && w->code == LP_CODE_PCR_NOT_PINNED);
            ck_assert(!ev->pcr0_pinned);
        }
        o.any_pcr = 0;
        /* a pin one nibble off */
        lpa_policy_init(p);
        p->allow_debug = 1;
        snprintf(arg, sizeof arg, "0=%s", jstr(e, "pcr0"));
        arg[2] = arg[2] == '0' ? '1' : '0';
        ck_assert_int_eq(lpa_policy_expect_pcr(p, arg, err, sizeof err), LPA_OK);
        v = run_evidence(rel, &o, p, ev, &c);
        ck_assert_msg(v == (at_doc == LP_CODE_OK ? LP_CODE_PCR_MISMATCH : at_doc), "%s wrong pin: %s", rel, lp_code_name(v));
        ck_assert_int_eq(v, lpa_code_of(old_flow(raw, n, &o.verify, p)));
        /* debug rejected by default, even when pinned */
        json_t *rej = json_object_get(exp, "policy_reject_debug");
        if (json_is_string(rej)) {
            lpa_policy_init(p);
            snprintf(arg, sizeof arg, "0=%s", jstr(e, "pcr0"));
            ck_assert_int_eq(lpa_policy_expect_pcr(p, arg, err, sizeof err), LPA_OK);
            ck_assert_int_eq(run_evidence(rel, &o, p, ev, &c), code_named(json_string_value(rej)));
        }
        free(raw);
    }
    ck_assert_uint_eq(n_ok, 13);

    /* the derived documents at their instants: the manifest's strict verdict */
    json_array_foreach(json_object_get(man, "derived"), i, e) {
        json_t *exp = json_object_get(e, "expected");
        const char *f = jstr(e, "file");
        if (!json_is_object(exp) || !json_object_get(e, "verify_time_unix") || !strstr(f, ".cose")) continue;
        char rel[256];
        snprintf(rel, sizeof rel, "nitro/%s", f);
        lpa_evidence_opts o = {{LPA_AT_TIME, json_integer_value(json_object_get(e, "verify_time_unix")), NULL, 0}, 1};
        lpa_policy_init(p);
        lp_code v = run_evidence(rel, &o, p, ev, &c), want = code_named(jstr(exp, "strict"));
        ck_assert_msg(v == want, "%s: %s", rel, lp_code_name(v));
        size_t n;
        uint8_t *raw = lp_read_vector(rel, &n);
        ck_assert_int_eq(v, lpa_code_of(old_flow(raw, n, &o.verify, p)));
        free(raw);
        ck_assert_int_eq(lp_code_exit(v), want == LP_CODE_OK ? LP_EXIT_OK : want == LP_CODE_MALFORMED_COSE ? LP_EXIT_UNDECIDED : LP_EXIT_FAIL);
    }
    /* the Leadpoet shapes of d12/d13 carry veracruz, whose 32-byte user_data names no
     * enclave key, beside placeholder keys: genuine and pinned, the binding fails */
    lpa_policy_init(p);
    ck_assert_int_eq(lpa_policy_expect_pcr(p, "0=22f9e1c949208da55eb01b9b9fc88f87454f77ba133f0d82320b509621c92482152a99d0a12335b97178c02d6f977d01",
                                           err, sizeof err), LPA_OK);
    lpa_evidence_opts od = {{LPA_AT_DOC, 0, NULL, 0}, 0};
    ck_assert_int_eq(run_evidence("nitro/derived/d12-leadpoet-attest-shape.json", &od, p, ev, &c), LP_CODE_USER_DATA_MISMATCH);
    ck_assert_int_eq(ev->src.format, LPA_FMT_ATTEST_JSON);
    ck_assert(ev->pcr0_pinned && ev->r.doc_parsed);
    ck_assert_str_eq(lp_checks_culprit(&c)->name, "leadpoet.user_data_key");
    ck_assert_int_ne(run_evidence("nitro/derived/d13-leadpoet-attestation-document-shape.json", &od, p, ev, &c), LP_CODE_OK);
    ck_assert_int_eq(ev->src.format, LPA_FMT_ATTDOC_JSON);
    ck_assert_str_eq(lp_checks_culprit(&c)->name, "leadpoet.public_key"); /* veracruz's public_key is null */

    /* input that is no evidence: one check, undecided */
    lp_checks_free(&c);
    lp_checks_init(&c);
    ck_assert_int_eq(lpa_verify_evidence((const uint8_t *)"{}", 2, &od, p, ev, &c), LP_CODE_INPUT_DECODE_ERROR);
    ck_assert(c.n == 1 && strcmp(c.items[0].name, "input.decode") == 0 && !ev->decoded);
    ck_assert_int_eq(lp_code_exit(ev->result), LP_EXIT_UNDECIDED);
    ck_assert_int_eq(lpa_verify_evidence(NULL, 0, &od, p, ev, &c), LP_CODE_INPUT_DECODE_ERROR);
    uint8_t *big = calloc(1, LPA_MAX_SOURCE + 1);
    ck_assert_int_eq(lpa_verify_evidence(big, LPA_MAX_SOURCE + 1, &od, p, ev, &c), LP_CODE_INPUT_TOO_LARGE);
    free(big);
    /* checks accumulate in the caller's list; each call's verdict is its own */
    ck_assert_uint_eq(c.n, 3);
    ck_assert_int_eq(lp_checks_verdict(&c), LP_CODE_INPUT_DECODE_ERROR);
    ck_assert_int_eq(lpa_verify_evidence(NULL, 1, &od, p, ev, &c), LP_CODE_BAD_ARGUMENT);
    ck_assert_int_eq(lpa_verify_evidence((const uint8_t *)"x", 1, &od, NULL, ev, &c), LP_CODE_BAD_ARGUMENT);
    ck_assert_int_eq(lpa_verify_evidence((const uint8_t *)"x", 1, NULL, p, ev, NULL), LP_CODE_BAD_ARGUMENT);
    ck_assert_ptr_null(lpa_evidence_key(NULL));
    lp_checks_free(&c);
    lpa_evidence_free(ev);
    free(p);
    json_decref(man);
}
END_TEST

/* The Leadpoet synthetic /attest and /attestation/document responses (test root):
 * the enclave key is handed out only with an OK verdict and a pinned PCR0. */
START_TEST(evidence_leadpoet)
{
    json_t *v = load_json("leadpoet/attestation.json");
    size_t rl;
    uint8_t *root = unhex_dup(jstr(v, "test_root_cert_der_hex"), &rl);
    json_t *res = json_object_get(v, "nitro_py_verification_results");
    const char *key = jstr(json_object_get(res, "attest_endpoint_doc"), "enclave_pubkey");
    const char *pcr0 = jstr(json_object_get(res, "attest_endpoint_doc"), "pcr0");
    lpa_evidence *ev = lpa_evidence_new();
    lpa_policy *p = calloc(1, sizeof *p);
    lp_checks c;
    char err[200], arg[128];
    ck_assert(ev && p);
    lp_checks_init(&c);
    lpa_evidence_opts o = {{LPA_AT_DOC, 0, root, rl}, 0};
    char *resp = json_dumps(json_object_get(json_object_get(v, "attest_endpoint"), "attest_response_json"), 0);
#define RUN(text) (lp_checks_free(&c), lp_checks_init(&c), lpa_verify_evidence((const uint8_t *)(text), strlen(text), &o, p, ev, &c))
    /* unpinned: PCR_NOT_PINNED, no key */
    lpa_policy_init(p);
    ck_assert_int_eq(RUN(resp), LP_CODE_PCR_NOT_PINNED);
    ck_assert(ev->b.found && lpa_evidence_key(ev) == NULL);
    /* --any-pcr: OK, and still no key for a merkle tool to trust */
    o.any_pcr = 1;
    ck_assert_int_eq(RUN(resp), LP_CODE_OK);
    ck_assert_ptr_null(lpa_evidence_key(ev));
    o.any_pcr = 0;
    /* pinned: OK and the key */
    snprintf(arg, sizeof arg, "0=%s", pcr0);
    ck_assert_int_eq(lpa_policy_expect_pcr(p, arg, err, sizeof err), LPA_OK);
    ck_assert_int_eq(RUN(resp), LP_CODE_OK);
    ck_assert_ptr_nonnull(lpa_evidence_key(ev));
    ck_assert_str_eq(lpa_evidence_key(ev), key);
    /* under the AWS root: UNTRUSTED_ROOT, no key */
    o.verify.root_der = NULL;
    ck_assert_int_eq(RUN(resp), LP_CODE_UNTRUSTED_ROOT);
    ck_assert_ptr_null(lpa_evidence_key(ev));
    o.verify.root_der = root;
    /* the response's key swapped: USER_DATA_MISMATCH, no key */
    json_t *bad = json_deep_copy(json_object_get(json_object_get(v, "attest_endpoint"), "attest_response_json"));
    json_object_set_new(bad, "enclave_public_key", json_string(jstr(json_object_get(v, "event_signer_attestation"), "nsm_public_key_hex")));
    char *badt = json_dumps(bad, 0);
    ck_assert_int_eq(RUN(badt), LP_CODE_USER_DATA_MISMATCH);
    ck_assert_ptr_null(lpa_evidence_key(ev));
    free(badt);
    json_decref(bad);

    /* through Leadpoet's allowlist with the synthetic PCR0 added to a copy */
    json_t *al = load_json("leadpoet/pcr0_allowlist.json");
    ck_assert_int_eq(load_policy_json(al, "gateway", p, err, sizeof err), LPA_OK);
    ck_assert_int_eq(RUN(resp), LP_CODE_PCR_MISMATCH);
    ck_assert_str_eq(lp_checks_culprit(&c)->name, "policy.pcr_policy");
    json_array_append_new(json_object_get(al, "gateway_pcr0"),
                          json_pack("{s:s,s:s,s:s}", "pcr0", pcr0, "version", "synthetic", "commit_hash",
                                    "5fe22c16265e8391d4bf4ce2fd02f507324d0dc1"));
    ck_assert_int_eq(load_policy_json(al, "gateway", p, err, sizeof err), LPA_OK);
    ck_assert_int_eq(RUN(resp), LP_CODE_OK);
    ck_assert_str_eq(ev->match_label, "synthetic");
    ck_assert_str_eq(ev->match_version, "synthetic");
    ck_assert_str_eq(ev->match_commit, "5fe22c16265e8391d4bf4ce2fd02f507324d0dc1");
    ck_assert_str_eq(lpa_evidence_key(ev), key);
    ck_assert_int_eq(load_policy_json(al, "validator", p, err, sizeof err), LPA_OK);
    ck_assert_int_eq(RUN(resp), LP_CODE_PCR_MISMATCH);
    ck_assert_str_eq(ev->match_commit, "");
#undef RUN
    json_decref(al);
    free(resp);
    free(root);
    lp_checks_free(&c);
    lpa_evidence_free(ev);
    free(p);
    json_decref(v);
}
END_TEST

/* ------------------------------------------------------------ result codes */

/* Every lpa_err names its registry code; exit classes are those verify_attestation
 * has always used (exit_for: undecided for the input, COSE-envelope, policy and
 * internal failures, failed for every verdict on a document). */
START_TEST(error_codes_registry)
{
    static const struct { lpa_err e; const char *name; int exit; } rows[] = {
        {LPA_OK, "OK", 0}, {LPA_INPUT_DECODE_ERROR, "INPUT_DECODE_ERROR", 2}, {LPA_INPUT_TOO_LARGE, "INPUT_TOO_LARGE", 2},
        {LPA_MALFORMED_COSE, "MALFORMED_COSE", 2}, {LPA_UNSUPPORTED_ALG, "UNSUPPORTED_ALG", 1},
        {LPA_BAD_SIGNATURE_LENGTH, "BAD_SIGNATURE_LENGTH", 1}, {LPA_SYNTAX_INVALID, "SYNTAX_INVALID", 1},
        {LPA_UNTRUSTED_ROOT, "UNTRUSTED_ROOT", 1}, {LPA_CHAIN_INVALID, "CHAIN_INVALID", 1}, {LPA_CERT_EXPIRED, "CERT_EXPIRED", 1},
        {LPA_CERT_NOT_YET_VALID, "CERT_NOT_YET_VALID", 1}, {LPA_CERT_PROFILE_INVALID, "CERT_PROFILE_INVALID", 1},
        {LPA_REVOKED, "REVOKED", 1}, {LPA_SIGNATURE_INVALID, "SIGNATURE_INVALID", 1},
        {LPA_TIMESTAMP_OUTSIDE_LEAF, "TIMESTAMP_OUTSIDE_LEAF", 1}, {LPA_INVARIANT, "INVARIANT", 1}, {LPA_STALE, "STALE", 1},
        {LPA_FUTURE_TIMESTAMP, "FUTURE_TIMESTAMP", 1}, {LPA_DEBUG_ENCLAVE, "DEBUG_ENCLAVE", 1},
        {LPA_PCR_NOT_PINNED, "PCR_NOT_PINNED", 1}, {LPA_PCR_MISMATCH, "PCR_MISMATCH", 1}, {LPA_NONCE_MISMATCH, "NONCE_MISMATCH", 1},
        {LPA_USER_DATA_MISMATCH, "USER_DATA_MISMATCH", 1}, {LPA_PUBLIC_KEY_MISMATCH, "PUBLIC_KEY_MISMATCH", 1},
        {LPA_REPLAY, "REPLAY", 1}, {LPA_POLICY_ERROR, "POLICY_ERROR", 2}, {LPA_OUT_OF_MEMORY, "OUT_OF_MEMORY", 2},
        {LPA_CRYPTO_BACKEND, "CRYPTO_BACKEND", 2}, {LPA_INTERNAL, "INTERNAL", 2},
    };
    ck_assert_uint_eq(sizeof rows / sizeof rows[0], LPA_INTERNAL + 1);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        lpa_err e = rows[i].e, back;
        ck_assert_str_eq(lpa_code(e), rows[i].name);
        ck_assert_str_eq(lp_code_name(lpa_code_of(e)), rows[i].name);
        ck_assert_msg((int)lp_code_exit(lpa_code_of(e)) == rows[i].exit, "%s exit class", rows[i].name);
        ck_assert_int_eq(lpa_code_parse(rows[i].name, &back), 0);
        ck_assert_int_eq(back, e);
        ck_assert(lpa_strerror(e)[0] != 0);
    }
    ck_assert_str_eq(lpa_code((lpa_err)(LPA_INTERNAL + 1)), "INTERNAL");
    ck_assert_int_eq(lpa_code_of((lpa_err)-1), LP_CODE_INTERNAL);
    lpa_err e;
    ck_assert_int_eq(lpa_code_parse("KEY_NOT_PINNED", &e), -1); /* a registry name no lpa_err has */
    ck_assert_int_eq(lpa_code_parse("ok", &e), -1);
}
END_TEST

/* Warnings are a flag, not a detail prefix: a failed, unenforced check is flagged,
 * counted and never the result; an enforced failure always carries a code. */
START_TEST(warning_flag)
{
    lpa_result *r = calloc(1, sizeof *r);
    ck_assert_ptr_nonnull(r);
    lpa_add_warning(r, "w", 0, LPA_INVARIANT, "no prefix here");
    ck_assert_int_eq(r->result, LPA_OK);
    ck_assert_int_eq(r->warnings, 1);
    ck_assert(r->checks[0].warning && !r->checks[0].ok && r->checks[0].code == LPA_INVARIANT);
    lpa_add_warning(r, "w_ok", 1, LPA_INVARIANT, "passed");
    ck_assert(!r->checks[1].warning && r->checks[1].ok && r->checks[1].code == LPA_OK);
    lpa_add_check(r, "f", 0, LPA_OK, "warning: a failure whose detail starts like a warning");
    ck_assert_int_eq(r->result, LPA_INTERNAL); /* a failure without a code is a bug, not a pass */
    ck_assert(!r->checks[2].warning);
    ck_assert_int_eq(r->warnings, 1);
    /* full list: a failure still becomes the result, a dropped warning an INTERNAL failure */
    memset(r, 0, sizeof *r);
    for (unsigned i = 0; i < LPA_MAX_CHECKS; i++) lpa_add_check(r, "pass", 1, LPA_OK, "%u", i);
    lpa_add_warning(r, "dropped", 0, LPA_INVARIANT, "no room");
    ck_assert_int_eq(r->result, LPA_INTERNAL);
    ck_assert_uint_eq(r->n_checks, LPA_MAX_CHECKS);
    memset(r, 0, sizeof *r);
    for (unsigned i = 0; i < LPA_MAX_CHECKS; i++) lpa_add_check(r, "pass", 1, LPA_OK, "%u", i);
    lpa_add_check(r, "dropped", 0, LPA_STALE, "no room");
    ck_assert_int_eq(r->result, LPA_STALE);

    /* genuine documents: no warnings (re-signed ones under a test root: see
     * resigned_syntax_rules) */
    lpa_opts o = {LPA_AT_DOC, 0, NULL, 0};
    size_t n;
    uint8_t *b = lp_read_vector("nitro/real/veracruz-2022-11-09.cose", &n);
    lpa_verify(b, n, &o, r);
    ck_assert_int_eq(r->result, LPA_OK);
    for (size_t i = 0; i < r->n_checks; i++) ck_assert(r->checks[i].ok && !r->checks[i].warning && r->checks[i].code == LPA_OK);
    free(b);
    free(r);
}
END_TEST

/* The one CBOR pre-scanner on RFC 8949 Appendix F's not-well-formed examples and
 * its flags. */
START_TEST(cbor_scanner)
{
    static const struct { const char *hex; unsigned flags; size_t depth; lpa_scan_status want; size_t end; } cases[] = {
        {"83010203", 0, 8, LPA_SCAN_OK, 4},
        {"830102", 0, 8, LPA_SCAN_TRUNCATED, 0},                 /* F.1: missing array item */
        {"1c", 0, 8, LPA_SCAN_MALFORMED, 0},                     /* F.1: reserved additional information */
        {"ff", 0, 8, LPA_SCAN_MALFORMED, 0},                     /* F.1: break outside an indefinite item */
        {"f818", 0, 8, LPA_SCAN_MALFORMED, 0},                   /* F.1: two-byte simple value < 32 */
        {"5f4100ff", 0, 8, LPA_SCAN_OK, 4},                      /* chunked byte string */
        {"5f01ff", 0, 8, LPA_SCAN_MALFORMED, 0},                 /* F.1: chunk not a byte string */
        {"5f5f4100ffff", 0, 8, LPA_SCAN_MALFORMED, 0},           /* F.1: nested indefinite chunk */
        {"bf01ff", 0, 8, LPA_SCAN_MALFORMED, 0},                 /* F.1: odd item count in a map */
        {"5bffffffffffffffff", 0, 8, LPA_SCAN_TRUNCATED, 0},     /* length far beyond the input */
        {"9b0000000100000000", 0, 8, LPA_SCAN_TRUNCATED, 0},     /* 2^32 items claimed */
        {"1f", 0, 8, LPA_SCAN_MALFORMED, 0},                     /* F.1: indefinite unsigned integer */
        {"0100", 0, 8, LPA_SCAN_OK, 1},
        {"0100", LPA_SCAN_EXACT, 8, LPA_SCAN_TRAILING, 1},
        {"9f01ff", 0, 8, LPA_SCAN_OK, 3},
        {"9f01ff", LPA_SCAN_NO_INDEFINITE, 8, LPA_SCAN_REFUSED, 0},
        {"5f4100ff", LPA_SCAN_NO_CHUNKED, 8, LPA_SCAN_REFUSED, 0},
        {"9f01ff", LPA_SCAN_NO_CHUNKED, 8, LPA_SCAN_OK, 3},
        {"c101", 0, 8, LPA_SCAN_OK, 2},
        {"c101", LPA_SCAN_NO_TAGS, 8, LPA_SCAN_REFUSED, 0},
        {"818181818100", 0, 5, LPA_SCAN_OK, 6},
        {"818181818100", 0, 4, LPA_SCAN_TOO_DEEP, 0},
        {"8181818181818181818100", 0, 99, LPA_SCAN_TOO_DEEP, 0}, /* depth capped at LPA_CBOR_MAX_DEPTH */
        {"d84183", LPA_SCAN_NO_TAGS, 8, LPA_SCAN_REFUSED, 0},    /* refused before the truncation is seen */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n;
        uint8_t *b = lp_unhex(cases[i].hex, &n);
        lpa_scan_info si;
        lpa_scan_status st = lpa_cbor_scan(b, n, cases[i].depth, cases[i].flags, &si);
        ck_assert_msg(st == cases[i].want, "%s: status %d, want %d", cases[i].hex, st, cases[i].want);
        if (st == LPA_SCAN_OK || st == LPA_SCAN_TRAILING) ck_assert_uint_eq(si.end, cases[i].end);
        if (st == LPA_SCAN_REFUSED) ck_assert_uint_eq(si.refused, cases[i].flags);
        ck_assert(lpa_cbor_scan_msg(st, &si)[0] != 0);
        free(b);
    }
    /* the derived malformed envelopes keep their reasons */
    static const struct { const char *file, *detail; } env[] = {
        {"nitro/derived/d04-trailing-byte.cose", "trailing bytes"},
        {"nitro/derived/d05-truncated.cose", "truncated CBOR"},
        {"nitro/derived/d08-indefinite-array.cose", "indefinite-length item"},
        {"nitro/derived/d10-wrong-tag98.cose", "tag other than a single leading 18"},
    };
    lpa_result *r = calloc(1, sizeof *r);
    for (size_t i = 0; i < sizeof env / sizeof env[0]; i++) {
        size_t n;
        uint8_t *b = lp_read_vector(env[i].file, &n);
        lpa_opts o = {LPA_AT_DOC, 0, NULL, 0};
        lpa_verify(b, n, &o, r);
        ck_assert_int_eq(r->result, LPA_MALFORMED_COSE);
        ck_assert_msg(strstr(r->detail, env[i].detail) != NULL, "%s: %s", env[i].file, r->detail);
        free(b);
    }
    free(r);
}
END_TEST

/* --root: one certificate, PEM or DER, to DER (the AWS zip's own .der is the truth). */
START_TEST(root_cert_loading)
{
    size_t pn, dn, l;
    uint8_t *pem = lp_read_vector("nitro/root/AWS_NitroEnclaves_Root-G1.pem", &pn);
    uint8_t *der = lp_read_vector("nitro/root/AWS_NitroEnclaves_Root-G1.der", &dn);
    uint8_t *out = NULL;
    char err[200];
    ck_assert_uint_eq(dn, lpa_aws_root_der_len);
    ck_assert_int_eq(lpa_cert_der(pem, pn, &out, &l, err, sizeof err), LPA_OK);
    ck_assert_uint_eq(l, dn);
    ck_assert(memcmp(out, der, dn) == 0);
    free(out);
    ck_assert_int_eq(lpa_cert_der(der, dn, &out, &l, err, sizeof err), LPA_OK);
    ck_assert(l == dn && memcmp(out, lpa_aws_root_der, dn) == 0);
    free(out);
    /* explanatory text before the block (openssl x509 -text output), CRLF lines */
    uint8_t *t = malloc(2 * pn + 64);
    size_t tn = (size_t)sprintf((char *)t, "subject=CN = aws.nitro-enclaves\n");
    for (size_t i = 0; i < pn; i++) {
        if (pem[i] == '\n') t[tn++] = '\r';
        t[tn++] = pem[i];
    }
    ck_assert_int_eq(lpa_cert_der(t, tn, &out, &l, err, sizeof err), LPA_OK);
    ck_assert(l == dn && memcmp(out, der, dn) == 0);
    free(out);
    /* refused: a damaged base64 body, DER with a trailing byte or one byte short,
     * two certificates, a private key, nothing, too much */
    memcpy(t, pem, pn);
    t[40] = '!';
    ck_assert_int_eq(lpa_cert_der(t, pn, &out, &l, err, sizeof err), LPA_INPUT_DECODE_ERROR);
    ck_assert_ptr_null(out);
    memcpy(t, der, dn);
    t[dn] = 0;
    ck_assert_int_eq(lpa_cert_der(t, dn + 1, &out, &l, err, sizeof err), LPA_INPUT_DECODE_ERROR);
    ck_assert_int_eq(lpa_cert_der(t, dn - 1, &out, &l, err, sizeof err), LPA_INPUT_DECODE_ERROR);
    free(t);
    size_t bn;
    uint8_t *two = lp_read_vector("nitro/real/ev-san-debug-2023-01-18-container.pem", &bn);
    ck_assert_int_eq(lpa_cert_der(two, bn, &out, &l, err, sizeof err), LPA_INPUT_DECODE_ERROR);
    ck_assert_msg(strstr(err, "more than one") != NULL, "%s", err);
    free(two);
    uint8_t *key = lp_read_vector("eif/test-signing-key-p384.pem", &bn);
    ck_assert_int_eq(lpa_cert_der(key, bn, &out, &l, err, sizeof err), LPA_INPUT_DECODE_ERROR);
    free(key);
    ck_assert_int_eq(lpa_cert_der(der, 0, &out, &l, err, sizeof err), LPA_INPUT_DECODE_ERROR);
    uint8_t *big = calloc(1, LPA_CERT_FILE_MAX + 1);
    ck_assert_int_eq(lpa_cert_der(big, LPA_CERT_FILE_MAX + 1, &out, &l, err, sizeof err), LPA_INPUT_TOO_LARGE);
    free(big);
    /* the caller's OpenSSL error queue survives a failed load */
    ERR_clear_error();
    ERR_raise(ERR_LIB_USER, 42);
    unsigned long mine = ERR_peek_last_error();
    ck_assert_int_eq(lpa_cert_der(der, dn - 1, &out, &l, err, sizeof err), LPA_INPUT_DECODE_ERROR);
    ck_assert_uint_eq(ERR_peek_last_error(), mine);
    ERR_clear_error();
    free(pem);
    free(der);
}
END_TEST

static Suite *attest_suite(void)
{
    Suite *s = suite_create("attest");
    TCase *tc = tcase_create("nitro");
    tcase_add_checked_fixture(tc, result_new, result_free);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, real_at_doc_time);
    tcase_add_test(tc, real_at_now);
    tcase_add_test(tc, real_time_boundaries);
    tcase_add_test(tc, derived_mutations);
    tcase_add_test(tc, sig_structure_and_der);
    tcase_add_test(tc, transport_decoding);
    tcase_add_test(tc, policy_rules);
    tcase_add_test(tc, leadpoet_synthetic);
    tcase_add_test(tc, resigned_syntax_rules);
    tcase_add_test(tc, truncations_and_flips);
    tcase_add_test(tc, error_codes_registry);
    tcase_add_test(tc, warning_flag);
    tcase_add_test(tc, cbor_scanner);
    tcase_add_test(tc, root_cert_loading);
    tcase_add_test(tc, pcr_pinning);
    tcase_add_test(tc, leadpoet_allowlist);
    tcase_add_test(tc, evidence_real_documents);
    tcase_add_test(tc, evidence_leadpoet);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(attest_suite)
