/* Commit-reveal hashes (spec §8) against Leadpoet's Python outputs in
 * vectors/leadpoet/commit_reveal.json: every entry of cases[], legacy[] and
 * qualification_batch_v2_rows[], plus negative cases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_commit.h"
#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"
#include "tests/lp_test.h"

#define VEC "leadpoet/commit_reveal.json"

static lpc_value *parse_text(const char *s)
{
    lpc_value *v = NULL;
    size_t off = 0;
    lpc_err e = lpc_parse((const uint8_t *)s, strlen(s), &v, &off);
    ck_assert_msg(e == LPC_OK, "parse '%s': %s at %zu", s, lpc_strerror(e), off);
    return v;
}

static const lpc_value *str_field(const lpc_value *o, const char *k)
{
    const lpc_value *v = lp_field(o, k);
    ck_assert_msg(v->type == LPC_STR, "field %s not a string", k);
    return v;
}

START_TEST(every_case)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *cases = lp_field(doc, "cases");
    size_t done = 0;
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        const char *name = lp_field_str(c, "name");
        const lpc_value *salt = str_field(c, "salt_hex");
        const lpc_value *dec = str_field(c, "decision");
        char h[LPC_SHA256_HEX_LEN + 1];

        ck_assert(lpc_commit_salt_is_canonical(salt->u.s.ptr, salt->u.s.len));
        ck_assert_int_eq(lpc_decision_hash(dec->u.s.ptr, dec->u.s.len, salt->u.s.ptr, salt->u.s.len, h), LPC_OK);
        ck_assert_msg(strcmp(h, lp_field_str(c, "decision_hash")) == 0, "%s decision_hash", name);

        const lpc_value *rs = lp_field(c, "rep_score");
        lpc_buf b = {0};
        ck_assert_int_eq(lpc_rep_score_str(rs, &b), LPC_OK);
        const lpc_value *rss = str_field(c, "rep_score_str");
        ck_assert_msg(b.len == rss->u.s.len && memcmp(b.ptr, rss->u.s.ptr, b.len) == 0, "%s str()", name);
        lpc_buf_free(&b);
        ck_assert_int_eq(lpc_rep_score_hash(rs, salt->u.s.ptr, salt->u.s.len, h), LPC_OK);
        ck_assert_msg(strcmp(h, lp_field_str(c, "rep_score_hash")) == 0, "%s rep_score_hash", name);

        /* The preimage is the vector's rejection_reason_json text + salt. */
        const lpc_value *rr = lp_field(c, "rejection_reason");
        const lpc_value *rrj = str_field(c, "rejection_reason_json");
        lpc_buf pre = {0};
        ck_assert_int_eq(lpc_rejection_reason_preimage(rr, salt->u.s.ptr, salt->u.s.len, &pre), LPC_OK);
        ck_assert_uint_eq(pre.len, rrj->u.s.len + salt->u.s.len);
        ck_assert_msg(memcmp(pre.ptr, rrj->u.s.ptr, rrj->u.s.len) == 0, "%s reason text", name);
        ck_assert(memcmp(pre.ptr + rrj->u.s.len, salt->u.s.ptr, salt->u.s.len) == 0);
        lpc_buf_free(&pre);
        ck_assert_int_eq(lpc_rejection_reason_hash(rr, salt->u.s.ptr, salt->u.s.len, h), LPC_OK);
        ck_assert_msg(strcmp(h, lp_field_str(c, "rejection_reason_hash")) == 0, "%s reason hash", name);

        const lpc_value *ev = lp_field(c, "evidence_object");
        lpc_buf evt = {0};
        ck_assert_int_eq(lpc_dump(ev, LPC_PROFILE_DU_A, &evt), LPC_OK);
        const lpc_value *evj = str_field(c, "evidence_blob_json");
        ck_assert_msg(evt.len == evj->u.s.len && memcmp(evt.ptr, evj->u.s.ptr, evt.len) == 0, "%s blob", name);
        lpc_buf_free(&evt);
        ck_assert_int_eq(lpc_evidence_hash(ev, h), LPC_OK);
        ck_assert_msg(strcmp(h, lp_field_str(c, "evidence_hash")) == 0, "%s evidence_hash", name);
        /* None of these objects holds a stripped key: cleaning changes nothing. */
        ck_assert_int_eq(lpc_evidence_hash_clean(ev, h), LPC_OK);
        ck_assert_msg(strcmp(h, lp_field_str(c, "evidence_hash")) == 0, "%s clean evidence_hash", name);
        done++;
    }
    ck_assert_uint_eq(done, 7);
    lpc_free(doc);
}
END_TEST

/* legacy[] carries no salt of its own: the generator used the salt of
 * cases[] (000102...1f), the only salt in the file. */
START_TEST(legacy_entries)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *salt = str_field(lpc_at(lp_field(doc, "cases"), 0), "salt_hex");
    const lpc_value *legacy = lp_field(doc, "legacy");
    size_t floats = 0, texts = 0;
    char h[LPC_SHA256_HEX_LEN + 1];
    for (size_t i = 0; i < legacy->u.a.n; i++) {
        const lpc_value *c = lpc_at(legacy, i);
        const char *name = lp_field_str(c, "name");
        const lpc_value *rsv = lpc_get(c, "rep_score_value");
        if (rsv) {
            ck_assert_int_eq(rsv->type, LPC_FLOAT);      /* the float era */
            lpc_buf b = {0};
            ck_assert_int_eq(lpc_rep_score_str(rsv, &b), LPC_OK);
            const lpc_value *want = str_field(c, "str");
            ck_assert_msg(b.len == want->u.s.len && memcmp(b.ptr, want->u.s.ptr, b.len) == 0, "%s", name);
            lpc_buf_free(&b);
            ck_assert_int_eq(lpc_rep_score_hash(rsv, salt->u.s.ptr, salt->u.s.len, h), LPC_OK);
            ck_assert_msg(strcmp(h, lp_field_str(c, "rep_score_hash")) == 0, "%s", name);
            floats++;
        } else {
            const lpc_value *r = str_field(c, "rejection_reason");
            ck_assert_int_eq(lpc_rejection_reason_text_hash(r->u.s.ptr, r->u.s.len,
                                                            salt->u.s.ptr, salt->u.s.len, h), LPC_OK);
            ck_assert_msg(strcmp(h, lp_field_str(c, "rejection_reason_hash")) == 0, "%s", name);
            /* The JSON form of the same string ("\"pass\"") is a different preimage. */
            ck_assert_int_eq(lpc_rejection_reason_hash(r, salt->u.s.ptr, salt->u.s.len, h), LPC_OK);
            ck_assert_str_ne(h, lp_field_str(c, "rejection_reason_hash"));
            texts++;
        }
    }
    ck_assert_uint_eq(floats, 2);
    ck_assert_uint_eq(texts, 1);
    lpc_free(doc);
}
END_TEST

START_TEST(qualification_batch_v2_rows)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *rows = lp_field(doc, "qualification_batch_v2_rows");
    size_t done = 0;
    char h[LPC_SHA256_HEX_LEN + 1];
    for (size_t i = 0; i < rows->u.a.n; i++) {
        const lpc_value *c = lpc_at(rows, i);
        const char *id = lp_field_str(c, "lead_id");
        const lpc_value *salt = str_field(c, "salt");
        const lpc_value *dec = str_field(c, "decision");
        ck_assert_int_eq(lpc_decision_hash(dec->u.s.ptr, dec->u.s.len, salt->u.s.ptr, salt->u.s.len, h), LPC_OK);
        ck_assert_msg(strcmp(h, lp_field_str(c, "decision_hash")) == 0, "%s decision", id);
        ck_assert_int_eq(lpc_rep_score_hash(lp_field(c, "rep_score"), salt->u.s.ptr, salt->u.s.len, h), LPC_OK);
        ck_assert_msg(strcmp(h, lp_field_str(c, "rep_score_hash")) == 0, "%s rep", id);
        ck_assert_int_eq(lpc_rejection_reason_hash(lp_field(c, "rejection_reason"), salt->u.s.ptr,
                                                   salt->u.s.len, h), LPC_OK);
        ck_assert_msg(strcmp(h, lp_field_str(c, "rejection_reason_hash")) == 0, "%s reason", id);
        /* evidence_hash covers clean_result; here evidence_blob has no stripped key. */
        ck_assert_int_eq(lpc_evidence_hash_clean(lp_field(c, "evidence_blob"), h), LPC_OK);
        ck_assert_msg(strcmp(h, lp_field_str(c, "evidence_hash")) == 0, "%s evidence", id);
        ck_assert_int_eq(lpc_evidence_hash(lp_field(c, "evidence_blob"), h), LPC_OK);
        ck_assert_msg(strcmp(h, lp_field_str(c, "evidence_hash")) == 0, "%s evidence", id);
        done++;
    }
    ck_assert_uint_eq(done, 3);
    lpc_free(doc);
}
END_TEST

/* clean_result: the approve case's evidence with the three internal fields
 * added to enhanced_lead must hash to the vector's evidence_hash again, and
 * serialise to its evidence_blob_json (positions kept). */
START_TEST(clean_result_strips_internal_fields)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *c = lpc_at(lp_field(doc, "cases"), 0);
    ck_assert_str_eq(lp_field_str(c, "name"), "approve");
    const char *want = lp_field_str(c, "evidence_hash");
    const lpc_value *blob = str_field(c, "evidence_blob_json");
    static const char *variants[] = {
        "{\"is_legitimate\": true, \"enhanced_lead\": {\"company_linkedin_data\": {\"cached_at\": \"x\"}, "
        "\"rep_score\": 42, \"company_linkedin_slug\": \"acme\", \"email\": \"a@b.co\", "
        "\"company_linkedin_from_cache\": true}, \"reason\": null}",
        "{\"is_legitimate\": true, \"enhanced_lead\": {\"rep_score\": 42, \"email\": \"a@b.co\", "
        "\"company_linkedin_slug\": null}, \"reason\": null}",
        "{\"is_legitimate\": true, \"enhanced_lead\": {\"rep_score\": 42, \"email\": \"a@b.co\"}, \"reason\": null}",
    };
    char h[LPC_SHA256_HEX_LEN + 1];
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        lpc_value *v = parse_text(variants[i]);
        ck_assert_int_eq(lpc_evidence_hash_clean(v, h), LPC_OK);
        ck_assert_msg(strcmp(h, want) == 0, "variant %zu", i);
        lpc_value *clean = NULL;
        ck_assert_int_eq(lpc_evidence_clean_result(v, &clean), LPC_OK);
        lpc_buf b = {0};
        ck_assert_int_eq(lpc_dump(clean, LPC_PROFILE_DU_A, &b), LPC_OK);
        ck_assert_msg(b.len == blob->u.s.len && memcmp(b.ptr, blob->u.s.ptr, b.len) == 0, "variant %zu", i);
        lpc_buf_free(&b);
        lpc_free(clean);
        /* Unclean hashing sees the extra keys (all but the last variant). */
        ck_assert_int_eq(lpc_evidence_hash(v, h), LPC_OK);
        if (i < 2) ck_assert_str_ne(h, want);
        else ck_assert_str_eq(h, want);
        lpc_free(v);
    }
    lpc_free(doc);
}
END_TEST

START_TEST(clean_result_leaves_other_places_alone)
{
    char h1[LPC_SHA256_HEX_LEN + 1], h2[LPC_SHA256_HEX_LEN + 1];
    /* Only enhanced_lead is cleaned: a top-level or nested-deeper key stays. */
    static const char *kept[] = {
        "{\"company_linkedin_slug\": \"a\", \"enhanced_lead\": {}}",
        "{\"enhanced_lead\": {\"x\": {\"company_linkedin_data\": 1}}}",
        "{\"enhanced_lead\": [{\"company_linkedin_data\": 1}]}",      /* not an object: kept */
        "{\"enhanced_lead\": \"company_linkedin_data\"}",
        "{\"Enhanced_lead\": {\"company_linkedin_data\": 1}}",
        "{\"enhanced_lead\": {\"company_linkedin_Data\": 1, \"company_linkedin\": 2}}",
    };
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        lpc_value *v = parse_text(kept[i]);
        ck_assert_int_eq(lpc_evidence_hash_clean(v, h1), LPC_OK);
        ck_assert_int_eq(lpc_evidence_hash(v, h2), LPC_OK);
        ck_assert_msg(strcmp(h1, h2) == 0, "case %zu changed", i);
        lpc_free(v);
    }
    /* The input tree is not modified by cleaning. */
    lpc_value *v = parse_text("{\"enhanced_lead\": {\"company_linkedin_slug\": \"a\", \"k\": 1}}");
    lpc_value *clean = NULL;
    ck_assert_int_eq(lpc_evidence_clean_result(v, &clean), LPC_OK);
    ck_assert_uint_eq(lpc_get(v, "enhanced_lead")->u.o.n, 2);
    ck_assert_uint_eq(lpc_get(clean, "enhanced_lead")->u.o.n, 1);
    lpc_free(clean);
    lpc_free(v);
    /* result must be an object. */
    static const char *not_obj[] = {"[]", "null", "\"x\"", "1", "1.5", "true"};
    for (size_t i = 0; i < sizeof not_obj / sizeof not_obj[0]; i++) {
        lpc_value *w = parse_text(not_obj[i]);
        clean = (lpc_value *)1;
        ck_assert_int_eq(lpc_evidence_clean_result(w, &clean), LPC_ERR_TYPE);
        ck_assert_ptr_null(clean);
        ck_assert_int_eq(lpc_evidence_hash_clean(w, h1), LPC_ERR_TYPE);
        lpc_free(w);
    }
}
END_TEST

/* One-character changes of salt, decision, reason or rep_score type change the hash. */
START_TEST(one_character_changes)
{
    lpc_value *doc = lp_load_json_vector(VEC);
    const lpc_value *cases = lp_field(doc, "cases");
    char h[LPC_SHA256_HEX_LEN + 1];
    for (size_t i = 0; i < cases->u.a.n; i++) {
        const lpc_value *c = lpc_at(cases, i);
        const lpc_value *salt = str_field(c, "salt_hex");
        const lpc_value *dec = str_field(c, "decision");
        const char *want_d = lp_field_str(c, "decision_hash");
        const char *want_r = lp_field_str(c, "rep_score_hash");
        const char *want_rr = lp_field_str(c, "rejection_reason_hash");
        char s[LPC_COMMIT_SALT_HEX_LEN + 1];
        memcpy(s, salt->u.s.ptr, sizeof s);
        for (size_t pos = 0; pos < LPC_COMMIT_SALT_HEX_LEN; pos += 21) {
            char save = s[pos];
            s[pos] = save == 'f' ? 'e' : (char)(save + 1);
            ck_assert_int_eq(lpc_decision_hash(dec->u.s.ptr, dec->u.s.len, s, 64, h), LPC_OK);
            ck_assert_str_ne(h, want_d);
            ck_assert_int_eq(lpc_rep_score_hash(lp_field(c, "rep_score"), s, 64, h), LPC_OK);
            ck_assert_str_ne(h, want_r);
            ck_assert_int_eq(lpc_rejection_reason_hash(lp_field(c, "rejection_reason"), s, 64, h), LPC_OK);
            ck_assert_str_ne(h, want_rr);
            s[pos] = save;
        }
        /* Salt is text: its uppercase spelling is another preimage. */
        char up[LPC_COMMIT_SALT_HEX_LEN + 1];
        for (size_t k = 0; k <= LPC_COMMIT_SALT_HEX_LEN; k++)
            up[k] = (s[k] >= 'a' && s[k] <= 'f') ? (char)(s[k] - 32) : s[k];
        ck_assert(!lpc_commit_salt_is_canonical(up, 64));
        ck_assert_int_eq(lpc_decision_hash(dec->u.s.ptr, dec->u.s.len, up, 64, h), LPC_OK);
        ck_assert_str_ne(h, want_d);
        /* Salt truncated by one character. */
        ck_assert_int_eq(lpc_decision_hash(dec->u.s.ptr, dec->u.s.len, s, 63, h), LPC_OK);
        ck_assert_str_ne(h, want_d);
        /* Decision with one character changed (case). */
        char d2[16];
        ck_assert_uint_lt(dec->u.s.len, sizeof d2);
        memcpy(d2, dec->u.s.ptr, dec->u.s.len);
        d2[0] = (char)(d2[0] - 32);
        ck_assert_int_eq(lpc_decision_hash(d2, dec->u.s.len, s, 64, h), LPC_OK);
        ck_assert_str_ne(h, want_d);
    }
    /* The two key orders of the same reason have different vector hashes, and
     * each value reproduces only its own. */
    const lpc_value *a = lpc_at(cases, 2), *b = lpc_at(cases, 3);
    ck_assert_str_eq(lp_field_str(a, "name"), "deny_key_order_matters_A");
    ck_assert_str_eq(lp_field_str(b, "name"), "deny_key_order_matters_B");
    const lpc_value *salt = str_field(a, "salt_hex");
    ck_assert_int_eq(lpc_rejection_reason_hash(lp_field(a, "rejection_reason"), salt->u.s.ptr, 64, h), LPC_OK);
    ck_assert_str_ne(h, lp_field_str(b, "rejection_reason_hash"));
    ck_assert_str_eq(h, lp_field_str(a, "rejection_reason_hash"));
    /* One character of the reason message changed. */
    lpc_value *r = parse_text("{\"message\": \"pasS\"}");
    ck_assert_int_eq(lpc_rejection_reason_hash(r, salt->u.s.ptr, 64, h), LPC_OK);
    ck_assert_str_ne(h, lp_field_str(lpc_at(cases, 0), "rejection_reason_hash"));
    lpc_free(r);
    /* The sorted or compact spelling of {"message": "pass"} is not the preimage:
     * the raw-text variant over '{"message":"pass"}' misses the vector hash. */
    ck_assert_int_eq(lpc_rejection_reason_text_hash("{\"message\":\"pass\"}", 18, salt->u.s.ptr, 64, h), LPC_OK);
    ck_assert_str_ne(h, lp_field_str(lpc_at(cases, 0), "rejection_reason_hash"));
    ck_assert_int_eq(lpc_rejection_reason_text_hash("{\"message\": \"pass\"}", 19, salt->u.s.ptr, 64, h), LPC_OK);
    ck_assert_str_eq(h, lp_field_str(lpc_at(cases, 0), "rejection_reason_hash"));
    /* rep_score 42 (int era) and 42.0 (float era) are different commitments. */
    lpc_value *i42 = parse_text("42"), *f42 = parse_text("42.0");
    char hi[LPC_SHA256_HEX_LEN + 1], hf[LPC_SHA256_HEX_LEN + 1];
    ck_assert_int_eq(lpc_rep_score_hash(i42, salt->u.s.ptr, 64, hi), LPC_OK);
    ck_assert_int_eq(lpc_rep_score_hash(f42, salt->u.s.ptr, 64, hf), LPC_OK);
    ck_assert_str_eq(hi, lp_field_str(lpc_at(cases, 0), "rep_score_hash"));
    ck_assert_str_eq(hf, lp_field_str(lpc_at(lp_field(doc, "legacy"), 0), "rep_score_hash"));
    lpc_free(i42);
    lpc_free(f42);
    lpc_free(doc);
}
END_TEST

START_TEST(wrong_types_and_bad_text)
{
    const char *salt = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    char h[LPC_SHA256_HEX_LEN + 1];
    static const char *not_scores[] = {"\"42\"", "true", "null", "[42]", "{\"a\": 42}"};
    for (size_t i = 0; i < sizeof not_scores / sizeof not_scores[0]; i++) {
        lpc_value *v = parse_text(not_scores[i]);
        ck_assert_int_eq(lpc_rep_score_hash(v, salt, 64, h), LPC_ERR_TYPE);
        lpc_buf b = {0};
        ck_assert_int_eq(lpc_rep_score_str(v, &b), LPC_ERR_TYPE);
        ck_assert_uint_eq(b.len, 0);
        lpc_free(v);
    }
    ck_assert_int_eq(lpc_rep_score_hash(NULL, salt, 64, h), LPC_ERR_ARG);
    /* str() of an int past CPython's 4300-digit cap raises; exactly 4300 is fine. */
    char *digits = malloc(LPC_INT_MAX_DIGITS + 2);
    ck_assert_ptr_nonnull(digits);
    memset(digits, '7', LPC_INT_MAX_DIGITS + 1);
    digits[LPC_INT_MAX_DIGITS + 1] = 0;
    lpc_value huge = {.type = LPC_INT};
    huge.u.i.digits = digits;
    huge.u.i.len = LPC_INT_MAX_DIGITS + 1;
    ck_assert_int_eq(lpc_rep_score_hash(&huge, salt, 64, h), LPC_ERR_INT_DIGITS);
    huge.u.i.len = LPC_INT_MAX_DIGITS;
    ck_assert_int_eq(lpc_rep_score_hash(&huge, salt, 64, h), LPC_OK);
    free(digits);
    ck_assert_int_eq(lpc_evidence_hash(NULL, h), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_rejection_reason_hash(NULL, salt, 64, h), LPC_ERR_ARG);
    ck_assert_int_eq(lpc_decision_hash(NULL, 3, salt, 64, h), LPC_ERR_ARG);
    /* Python cannot encode a lone surrogate: WTF-8 ED A0 80 is refused. */
    ck_assert_int_eq(lpc_decision_hash("deny", 4, "ab\xed\xa0\x80", 5, h), LPC_ERR_SURROGATE);
    ck_assert_int_eq(lpc_decision_hash("de\xed\xbf\xbfny", 7, salt, 64, h), LPC_ERR_SURROGATE);
    ck_assert_int_eq(lpc_rejection_reason_text_hash("\xed\xb0\x80", 3, salt, 64, h), LPC_ERR_SURROGATE);
    /* Bytes no Python str can hold. */
    static const char *bad[] = {"\xff", "\xc0\x80", "\xe0\x80\x80", "\xf4\x90\x80\x80", "\xe2\x82", "\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_int_eq(lpc_decision_hash(bad[i], strlen(bad[i]), salt, 64, h), LPC_ERR_UTF8);
    /* Valid non-ASCII text is hashed (as its UTF-8 bytes). */
    ck_assert_int_eq(lpc_decision_hash("d\xc3\xa9ny \xf0\x9f\x98\x80", 10, salt, 64, h), LPC_OK);
    /* Over the size cap. */
    size_t big = LPC_COMMIT_MAX_TEXT + 1;
    char *p = malloc(big);
    ck_assert_ptr_nonnull(p);
    memset(p, 'a', big);
    ck_assert_int_eq(lpc_decision_hash("deny", 4, p, big, h), LPC_ERR_TOO_LARGE);
    ck_assert_int_eq(lpc_rejection_reason_text_hash(p, big, salt, 64, h), LPC_ERR_TOO_LARGE);
    free(p);
    /* A reason holding a lone surrogate is fine: DU-A escapes it as \udXXX. */
    lpc_value *r = parse_text("{\"m\": \"\\ud800\"}");
    lpc_buf b = {0};
    ck_assert_int_eq(lpc_rejection_reason_preimage(r, "s", 1, &b), LPC_OK);
    ck_assert_uint_eq(b.len, strlen("{\"m\": \"\\ud800\"}s"));
    ck_assert(memcmp(b.ptr, "{\"m\": \"\\ud800\"}s", b.len) == 0);
    lpc_buf_free(&b);
    lpc_free(r);
    /* The empty salt is still a (degenerate) text salt; canonical check refuses it. */
    ck_assert(!lpc_commit_salt_is_canonical("", 0));
    ck_assert(!lpc_commit_salt_is_canonical(salt, 63));
    ck_assert(lpc_commit_salt_is_canonical(salt, 64));
}
END_TEST

static Suite *commit_suite(void)
{
    Suite *s = suite_create("commit_reveal");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_case);
    tcase_add_test(tc, legacy_entries);
    tcase_add_test(tc, qualification_batch_v2_rows);
    tcase_add_test(tc, clean_result_strips_internal_fields);
    tcase_add_test(tc, clean_result_leaves_other_places_alone);
    tcase_add_test(tc, one_character_changes);
    tcase_add_test(tc, wrong_types_and_bad_text);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(commit_suite)
