/* The hashing parts of vectors/leadpoet/misc_hashes.json: payload hashes in
 * both sorted profiles, the ARWEAVE_CHECKPOINT log payload hash, the
 * CONSENSUS_RESULT payload hash, and fulfillment hash_lead / hash_request
 * (spec §2.4, §9, §14).  Rounding (python_round) is in test_canonical.c. */
#include <string.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_json.h"
#include "tests/lp_test.h"

/* SHA-256 hex of prefix + dump(v, p); also checks the text when want_text != NULL. */
static void check_hash(const lpc_value *v, lpc_profile p, const char *prefix, const char *want_text,
                       const char *want_hex)
{
    lpc_buf b = {0};
    if (prefix) ck_assert_int_eq(lpc_buf_append(&b, prefix, strlen(prefix)), LPC_OK);
    ck_assert_int_eq(lpc_dump(v, p, &b), LPC_OK);
    if (want_text)
        ck_assert_msg(b.len == strlen(want_text) && !memcmp(b.ptr, want_text, b.len), "text: %s\nwant: %s",
                      (const char *)b.ptr, want_text);
    char hex[65];
    ck_assert_int_eq(lpc_sha256_hex(b.ptr, b.len, hex), LPC_OK);
    ck_assert_str_eq(hex, want_hex);
    lpc_buf_free(&b);
}

/* The value of the first member whose key starts with prefix. */
static const char *field_prefixed(const lpc_value *obj, const char *prefix)
{
    for (size_t i = 0; i < obj->u.o.n; i++)
        if (!strncmp(obj->u.o.items[i].key, prefix, strlen(prefix))) return obj->u.o.items[i].val->u.s.ptr;
    ck_abort_msg("no field starting with %s", prefix);
    return NULL;
}

START_TEST(payload_hash_variants)
{
    lpc_value *d = lp_load_json_vector("leadpoet/misc_hashes.json");
    const lpc_value *c = lp_field(d, "payload_hash_variants");
    const lpc_value *payload = lp_field(c, "payload");
    check_hash(payload, LPC_PROFILE_CS_A, NULL, lp_field_str(c, "compact_sorted_text"), field_prefixed(c, "compact_sorted ("));
    check_hash(payload, LPC_PROFILE_DS_A, NULL, lp_field_str(c, "default_sorted_text"), field_prefixed(c, "default_sorted ("));
    /* Negative: the other profile's text does not give this hash. */
    lpc_buf b = {0};
    char hex[65];
    lpc_dump(payload, LPC_PROFILE_CS_U, &b);
    lpc_sha256_hex(b.ptr, b.len, hex);
    ck_assert_str_ne(hex, field_prefixed(c, "compact_sorted ("));
    lpc_buf_free(&b);
    lpc_free(d);
}
END_TEST

START_TEST(arweave_checkpoint_log_event)
{
    lpc_value *d = lp_load_json_vector("leadpoet/misc_hashes.json");
    const lpc_value *c = lp_field(d, "arweave_checkpoint_log_event");
    const lpc_value *ev = lp_field(c, "event_minus_volatile");
    check_hash(lp_field(ev, "payload"), LPC_PROFILE_DS_A, NULL, lp_field_str(c, "payload_hash_preimage"),
               lp_field_str(c, "payload_hash"));
    ck_assert_str_eq(lp_field_str(ev, "payload_hash"), lp_field_str(c, "payload_hash"));
    lpc_free(d);
}
END_TEST

START_TEST(consensus_result_payload_hash)
{
    lpc_value *d = lp_load_json_vector("leadpoet/misc_hashes.json");
    const lpc_value *c = lp_field(d, "consensus_result_payload_hash");
    check_hash(lp_field(c, "payload"), LPC_PROFILE_CS_A, NULL, lp_field_str(c, "preimage"), lp_field_str(c, "sha256"));
    lpc_free(d);
}
END_TEST

START_TEST(fulfillment_hash_lead)
{
    lpc_value *d = lp_load_json_vector("leadpoet/misc_hashes.json");
    const lpc_value *c = lp_field(d, "fulfillment_hash_lead");
    /* hash_lead = H("v1:" + CS-U(lead without attribute_evidence)); build the copy. */
    const lpc_value *lead = lp_field(c, "lead");
    lpc_value *copy = lpc_new_object();
    for (size_t i = 0; i < lead->u.o.n; i++) {
        const lpc_member *m = &lead->u.o.items[i];
        if (!strcmp(m->key, "attribute_evidence")) continue;
        lpc_value *cv = NULL;
        ck_assert_int_eq(lpc_clone(m->val, &cv), LPC_OK);
        ck_assert_int_eq(lpc_object_set(copy, m->key, m->klen, cv), LPC_OK);
    }
    check_hash(copy, LPC_PROFILE_CS_U, "v1:", lp_field_str(c, "preimage"), lp_field_str(c, "hash_lead"));
    /* ensure_ascii matters here: the ASCII profile gives another hash. */
    lpc_buf b = {0};
    char hex[65];
    lpc_buf_append(&b, "v1:", 3);
    lpc_dump(copy, LPC_PROFILE_CS_A, &b);
    lpc_sha256_hex(b.ptr, b.len, hex);
    ck_assert_str_ne(hex, lp_field_str(c, "hash_lead"));
    lpc_buf_free(&b);
    lpc_free(copy);
    const lpc_value *hr = lp_field(c, "hash_request_example");
    check_hash(lp_field(hr, "icp"), LPC_PROFILE_CS_U, NULL, NULL, lp_field_str(hr, "hash"));
    lpc_free(d);
}
END_TEST

static Suite *misc_suite(void)
{
    Suite *s = suite_create("misc_hashes");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, payload_hash_variants);
    tcase_add_test(tc, arweave_checkpoint_log_event);
    tcase_add_test(tc, consensus_result_payload_hash);
    tcase_add_test(tc, fulfillment_hash_lead);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(misc_suite)
