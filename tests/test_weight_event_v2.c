/* WEIGHT_SUBMISSION_V2 events (leadpoet-weights-v2.md §9) against
 * vectors/leadpoet-v2/weights_v2.json `weight_submission_v2_events`: every record's and
 * negative's `checks` (ties_bundle, epoch_ref_preimage, epoch_ref_expected,
 * epoch_authority_consistent) through lpc_wev2_check_payload and the shipped cutover
 * manifest (vectors/leadpoet-v2/stateful-epoch-cutover-sn71.json); the envelopes through
 * the merkle module (lpm_log_entry_verify pinned and unpinned as verify_log_entry
 * answered, event_hash, payload_hash, the hash chain and monotonic sequence over
 * `entries`); and edited payloads for every named check (eras without a stateful
 * epoch_authority, each tie, each epoch rule). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lp_check.h"
#include "canonical/lpc_buf.h"
#include "canonical/lpc_codec.h"
#include "canonical/lpc_dump.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_parse.h"
#include "canonical/lpc_python.h"
#include "canonical/lpc_subnet_epoch.h"
#include "canonical/lpc_weight_event_v2.h"
#include "merkle/lpm.h"
#include "tests/lp_test.h"

static lpc_value *g_vec, *g_manifest;

static const lpc_value *ev(void)
{
    if (!g_vec) g_vec = lp_load_json_vector("leadpoet-v2/weights_v2.json");
    return lp_field(g_vec, "weight_submission_v2_events");
}

static const lpc_value *manifest(void)
{
    if (!g_manifest) g_manifest = lp_load_json_vector("leadpoet-v2/stateful-epoch-cutover-sn71.json");
    return g_manifest;
}

static const char *pin(void) { return lp_field_str(lp_field(ev(), "event_signer"), "public_key_hex"); }

static const lpc_value *payload_of(const lpc_value *entry)
{
    return lp_field(lp_field(entry, "signed_event"), "payload");
}

static int bool_field(const lpc_value *o, const char *k)
{
    const lpc_value *v = lp_field(o, k);
    ck_assert_msg(v->type == LPC_BOOL, "%s not a bool", k);
    return v->u.b;
}

/* All checks of the list whose name starts with prefix passed (and there was one). */
static int all_ok(const lp_checks *c, const char *prefix)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++)
        if (strncmp(c->items[i].name, prefix, strlen(prefix)) == 0) {
            n++;
            if (!c->items[i].ok) return 0;
        }
    return n > 0;
}

static const lp_check *find(const lp_checks *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->items[i].name, name) == 0) return &c->items[i];
    return NULL;
}

/* The payload checks of one vector case against its `checks`. */
static void check_case(const lpc_value *c)
{
    const char *name = lp_field_str(c, "name");
    const lpc_value *want = lp_field(c, "checks");
    lp_checks cs;
    lp_checks_init(&cs);
    lpc_wev2_era era;
    lp_code v = lpc_wev2_check_payload(payload_of(lp_field(c, "log_entry")), lp_field(c, "ties"), manifest(),
                                       LPC_WEV2_BLOCKS_REMAINING_MAX_0731, &cs, &era);
    ck_assert_int_eq(era, LPC_WEV2_ERA_STATEFUL);
    int ties = all_ok(&cs, "ties.") && all_ok(&cs, "payload.");
    int epoch = all_ok(&cs, "epoch_authority.") && all_ok(&cs, "cutover_manifest");
    ck_assert_msg(ties == bool_field(want, "ties_bundle"), "%s: ties %d", name, ties);
    ck_assert_msg(epoch == bool_field(want, "epoch_authority_consistent"), "%s: epoch %d", name, epoch);
    if (ties && epoch) ck_assert_int_eq(v, LP_CODE_OK);
    else if (!ties) ck_assert_int_eq(v, LP_CODE_EVENT_MISMATCH);
    else ck_assert_int_eq(v, LP_CODE_EPOCH_AUTHORITY_MISMATCH);
    /* epoch_ref and its preimage */
    lpc_se_cutover cut;
    lpc_referr e;
    ck_assert_int_eq(lpc_se_cutover_from_manifest(manifest(), &cut, &e), LP_CODE_OK);
    const lpc_value *ea = lp_field(payload_of(lp_field(c, "log_entry")), "epoch_authority");
    char ref[LPC_SE_REF_SIZE], pre[512];
    ck_assert_int_eq(lpc_se_epoch_ref(cut.network_genesis_hash, cut.netuid, lp_field_i64(ea, "official_subnet_epoch_id"),
                                      ref, pre, sizeof pre, &e),
                     LP_CODE_OK);
    ck_assert_str_eq(ref, lp_field_str(want, "epoch_ref_expected"));
    ck_assert_str_eq(pre, lp_field_str(want, "epoch_ref_preimage"));
    const lp_check *er = find(&cs, "epoch_authority.epoch_ref");
    ck_assert_ptr_nonnull(er);
    ck_assert_int_eq(er->ok, strcmp(lp_field_str(ea, "epoch_ref"), ref) == 0);
    lp_checks_free(&cs);
}

START_TEST(records_checks)
{
    const lpc_value *r = lp_field(ev(), "records");
    ck_assert_uint_eq(r->u.a.n, 5);
    size_t full = 0, compact = 0;
    for (size_t i = 0; i < r->u.a.n; i++) {
        check_case(r->u.a.items[i]);
        if (lpc_str_eq(lp_field(r->u.a.items[i], "bundle_kind"), "full")) full++;
        else compact++;
    }
    ck_assert_uint_eq(full, 3);
    ck_assert_uint_eq(compact, 2);
}
END_TEST

START_TEST(negatives_checks)
{
    const lpc_value *n = lp_field(ev(), "negatives");
    ck_assert_uint_eq(n->u.a.n, 3);
    for (size_t i = 0; i < n->u.a.n; i++) check_case(n->u.a.items[i]);
    /* the drift case fails exactly the drift rule */
    lp_checks cs;
    lp_checks_init(&cs);
    const lpc_value *drift = lpc_at(n, 1);
    ck_assert_str_eq(lp_field_str(drift, "name"), "signed_event_gateway_block_drift_45");
    lpc_wev2_check_payload(payload_of(lp_field(drift, "log_entry")), lp_field(drift, "ties"), manifest(), 150, &cs, NULL);
    for (size_t i = 0; i < cs.n; i++)
        ck_assert_msg(cs.items[i].ok == (strcmp(cs.items[i].name, "epoch_authority.block_drift") != 0), "%s",
                      cs.items[i].name);
    ck_assert_str_eq(lp_checks_culprit(&cs)->name, "epoch_authority.block_drift");
    lp_checks_free(&cs);
    /* the unsigned edit fails exactly the weights_hash tie */
    lp_checks_init(&cs);
    const lpc_value *wh = lpc_at(n, 0);
    ck_assert_int_eq(lpc_wev2_check_payload(payload_of(lp_field(wh, "log_entry")), lp_field(wh, "ties"), manifest(), 150,
                                            &cs, NULL),
                     LP_CODE_EVENT_MISMATCH);
    for (size_t i = 0; i < cs.n; i++)
        ck_assert_msg(cs.items[i].ok == (strcmp(cs.items[i].name, "ties.weights_hash") != 0), "%s", cs.items[i].name);
    lp_checks_free(&cs);
}
END_TEST

/* ---- the envelopes, through the merkle module ------------------------------------- */

static int entry_ok(const lpc_value *entry, const char *pinned) { return lpm_log_entry_verify(entry, pinned) == LPM_OK; }

START_TEST(envelopes)
{
    const lpc_value *r = lp_field(ev(), "records");
    for (size_t i = 0; i < r->u.a.n; i++) {
        const lpc_value *c = r->u.a.items[i], *entry = lp_field(c, "log_entry");
        ck_assert_int_eq(entry_ok(entry, pin()), bool_field(c, "verify_log_entry_pinned"));
        ck_assert(entry_ok(entry, NULL));
        ck_assert_str_eq(lp_field_str(entry, "event_hash"), lp_field_str(c, "event_hash"));
        uint8_t h[LPM_HASH_LEN];
        char hex[65];
        ck_assert_int_eq(lpm_hash_csa(lp_field(entry, "signed_event"), h), LPM_OK);
        lpc_hex_encode(h, sizeof h, hex);
        ck_assert_str_eq(hex, lp_field_str(c, "event_hash"));
        char th[72];
        snprintf(th, sizeof th, "sha256:%s", hex);
        ck_assert_str_eq(th, lp_field_str(c, "transparency_event_hash"));
        ck_assert_int_eq(lpm_hash_csa(payload_of(entry), h), LPM_OK);
        lpc_hex_encode(h, sizeof h, hex);
        ck_assert_str_eq(hex, lp_field_str(c, "payload_hash_cs_ascii"));
        ck_assert(lpc_str_eq(lp_field(lp_field(entry, "signed_event"), "event_type"), LPC_WEV2_EVENT_TYPE));
        /* the record's envelope is one of the chain's entries */
        const lpc_value *es = lp_field(ev(), "entries");
        ck_assert(lpc_py_eq(entry, lpc_at(es, i + 1)));
    }
    const lpc_value *n = lp_field(ev(), "negatives");
    for (size_t i = 0; i < n->u.a.n; i++) {
        const lpc_value *c = n->u.a.items[i], *entry = lp_field(c, "log_entry");
        lpm_err pinned = lpm_log_entry_verify(entry, pin()), unpinned = lpm_log_entry_verify(entry, NULL);
        ck_assert_int_eq(pinned == LPM_OK, bool_field(c, "verify_log_entry_pinned"));
        ck_assert_int_eq(unpinned == LPM_OK, bool_field(c, "verify_log_entry_unpinned"));
        if (i == 0) ck_assert_int_eq(pinned, LPM_ERR_EVENT_HASH_MISMATCH); /* edited after signing */
        if (i == 2) ck_assert_int_eq(pinned, LPM_ERR_PUBKEY_MISMATCH);     /* another key */
    }
    /* the other-key envelope is self-consistent: its own key verifies it */
    const lpc_value *other = lp_field(lpc_at(n, 2), "log_entry");
    ck_assert(entry_ok(other, lp_field_str(other, "enclave_pubkey")));
}
END_TEST

START_TEST(chain_and_sequence)
{
    const lpc_value *es = lp_field(ev(), "entries");
    ck_assert_uint_eq(es->u.a.n, 6);
    const lpc_value *hc = lp_field(ev(), "hash_chain_continuity"), *ms = lp_field(ev(), "monotonic_sequence");
    ck_assert(lpc_at(hc, 0)->type == LPC_BOOL && lpc_at(hc, 0)->u.b && lpc_at(hc, 1)->type == LPC_NULL);
    ck_assert(lpc_at(ms, 0)->type == LPC_BOOL && lpc_at(ms, 0)->u.b && lpc_at(ms, 1)->type == LPC_NULL);
    const lpc_value *list[8];
    for (size_t i = 0; i < 6; i++) {
        list[i] = es->u.a.items[i];
        ck_assert(entry_ok(list[i], pin()));
    }
    size_t bad = 99;
    ck_assert_int_eq(lpm_log_chain_check(list, 6, &bad), LPM_OK);
    ck_assert_str_eq(lp_field_str(lp_field(list[0], "signed_event"), "event_type"), "ENCLAVE_RESTART");
    size_t restarts = 0;
    ck_assert_int_eq(lpm_log_restart_check(list, 6, &bad, &restarts), LPM_RESTART_OK);
    ck_assert_uint_eq(restarts, 1);
    /* the drift negative (seq 701) continues the chain */
    list[6] = lp_field(lpc_at(lp_field(ev(), "negatives"), 1), "log_entry");
    ck_assert_int_eq(lpm_log_chain_check(list, 7, &bad), LPM_OK);
    /* two entries swapped: the chain breaks where the first one moved */
    const lpc_value *swapped[6] = {list[0], list[2], list[1], list[3], list[4], list[5]};
    ck_assert_int_eq(lpm_log_chain_check(swapped, 6, &bad), LPM_ERR_CHAIN_BROKEN);
    ck_assert_uint_eq(bad, 1);
    /* the weights_hash negative keeps seq 2 and the prev hash of entry 0: re-used sequence */
    const lpc_value *again[3] = {list[0], list[1], lp_field(lpc_at(lp_field(ev(), "negatives"), 0), "log_entry")};
    ck_assert_int_ne(lpm_log_chain_check(again, 3, &bad), LPM_OK);
}
END_TEST

/* ---- edited payloads ----------------------------------------------------------------- */

static lpc_value *parse(const char *s)
{
    lpc_value *v = NULL, *c = NULL;
    size_t off = 0;
    ck_assert_int_eq(lpc_parse((const uint8_t *)s, strlen(s), &v, &off), LPC_OK);
    ck_assert_int_eq(lpc_clone(v, &c), LPC_OK);
    lpc_free(v);
    return c;
}

static lpc_value *copy(const lpc_value *v)
{
    lpc_value *c = NULL;
    ck_assert_int_eq(lpc_clone(v, &c), LPC_OK);
    return c;
}

static void set(lpc_value *o, const char *key, const char *json)
{
    ck_assert_int_eq(lpc_object_set(o, key, strlen(key), parse(json)), LPC_OK);
}

static void del(lpc_value *o, const char *key)
{
    size_t w = 0;
    for (size_t i = 0; i < o->u.o.n; i++) {
        if (strcmp(o->u.o.items[i].key, key) == 0) {
            lpc_free(o->u.o.items[i].val);
            free(o->u.o.items[i].key);
            continue;
        }
        o->u.o.items[w++] = o->u.o.items[i];
    }
    o->u.o.n = w;
}

static const lpc_value *record0(void) { return lpc_at(lp_field(ev(), "records"), 0); }

/* Runs the payload checks; the verdict, the failing check (the culprit) and the era. */
static lp_code run(const lpc_value *payload, const lpc_value *ties, const lpc_value *m, int64_t bound, char *culprit,
                   lpc_wev2_era *era)
{
    lp_checks cs;
    lp_checks_init(&cs);
    lp_code v = lpc_wev2_check_payload(payload, ties, m, bound, &cs, era);
    const lp_check *c = lp_checks_culprit(&cs);
    strcpy(culprit, c ? c->name : "");
    lp_checks_free(&cs);
    return v;
}

typedef struct {
    const char *name;
    int in_authority; /* edit epoch_authority rather than the payload */
    const char *key;
    const char *json; /* NULL deletes */
    lp_code verdict;
    const char *culprit;
} pedit;

START_TEST(edited_payloads)
{
    static const pedit eds[] = {
        {"bundle_hash", 0, "bundle_hash", "\"sha256:0d61b60833b07c460eae284a8279017e37eea9c65b1a0136b40cc90515fc6b57\"",
         LP_CODE_EVENT_MISMATCH, "ties.bundle_hash"},
        {"root", 0, "root_receipt_hash", "\"sha256:5202235ba78af3be1ab5d601f6b9958e02651341fea49c5f787a0cf3820ccf51\"",
         LP_CODE_EVENT_MISMATCH, "ties.root_receipt_hash"},
        {"hotkey", 0, "actor_hotkey", "\"5GhWQtbY3covmFszi5JatRrRcqZ2jaZ29nxSrcdBAeFGGDj6\"", LP_CODE_EVENT_MISMATCH,
         "ties.actor_hotkey"},
        {"netuid float", 0, "netuid", "71.0", LP_CODE_EVENT_MISMATCH, "ties.netuid"},
        {"epoch", 0, "epoch_id", "24357", LP_CODE_EVENT_MISMATCH, "ties.epoch_id"},
        {"block", 0, "block", "8772931", LP_CODE_EVENT_MISMATCH, "ties.block"},
        {"extra field", 0, "note", "1", LP_CODE_EVENT_MISMATCH, "payload.fields"},
        {"no weights_hash", 0, "weights_hash", NULL, LP_CODE_EVENT_MISMATCH, "payload.fields"},
        {"no epoch_authority", 0, "epoch_authority", NULL, LP_CODE_UNSUPPORTED, "epoch_authority.era"},
        {"epoch_authority null", 0, "epoch_authority", "null", LP_CODE_EPOCH_AUTHORITY_MISMATCH, "epoch_authority.era"},
        {"legacy mode", 0, "epoch_authority",
         "{\"mode\":\"legacy_global_360_v1\",\"gateway_block\":8772936,\"workflow_epoch_id\":24356,"
         "\"legacy_epoch_block\":8772840}",
         LP_CODE_UNSUPPORTED, "epoch_authority.era"},
        {"mode other", 1, "mode", "\"stateful_v2\"", LP_CODE_EPOCH_AUTHORITY_MISMATCH, "epoch_authority.era"},
        {"extra authority field", 1, "note", "1", LP_CODE_EPOCH_AUTHORITY_MISMATCH, "epoch_authority.fields"},
        {"block_hash missing", 1, "block_hash", NULL, LP_CODE_EPOCH_AUTHORITY_MISMATCH, "epoch_authority.fields"},
        {"gateway_block bool", 1, "gateway_block", "true", LP_CODE_EPOCH_AUTHORITY_MISMATCH, "epoch_authority.fields"},
        {"blocks_remaining float", 1, "blocks_remaining", "109.0", LP_CODE_EPOCH_AUTHORITY_MISMATCH,
         "epoch_authority.fields"},
        {"epoch_ref a number", 1, "epoch_ref", "1", LP_CODE_EPOCH_AUTHORITY_MISMATCH, "epoch_authority.fields"},
        {"workflow", 1, "workflow_epoch_id", "24357", LP_CODE_EPOCH_AUTHORITY_MISMATCH,
         "epoch_authority.workflow_epoch_id"},
        {"official", 1, "official_subnet_epoch_id", "24304", LP_CODE_EPOCH_AUTHORITY_MISMATCH,
         "epoch_authority.settlement_mapping"},
        {"official before cutover", 1, "official_subnet_epoch_id", "24019", LP_CODE_EPOCH_AUTHORITY_MISMATCH,
         "epoch_authority.settlement_mapping"},
        {"epoch_ref upper", 1, "epoch_ref", "\"sha256:26DE3C7C3B0144A9DB17AB9BE851FB4C560A5F9FE21CFB1551D19E7DCBCDBB97\"",
         LP_CODE_EPOCH_AUTHORITY_MISMATCH, "epoch_authority.epoch_ref"},
        {"mapping hash", 1, "cutover_mapping_hash",
         "\"sha256:58d9048c3c96c8f82ccd6e2c2445ed497539022f5e539b2b4af6ddb0f5dd50c3\"", LP_CODE_EPOCH_AUTHORITY_MISMATCH,
         "epoch_authority.cutover_mapping_hash"},
        {"drift 31 below", 1, "gateway_block", "8772899", LP_CODE_EPOCH_AUTHORITY_MISMATCH, "epoch_authority.block_drift"},
        {"drift 30 above", 1, "gateway_block", "8772960", LP_CODE_OK, ""},
        {"drift 30 below", 1, "gateway_block", "8772900", LP_CODE_OK, ""},
        {"remaining 0", 1, "blocks_remaining", "0", LP_CODE_EPOCH_AUTHORITY_MISMATCH, "epoch_authority.blocks_remaining"},
        {"remaining 151", 1, "blocks_remaining", "151", LP_CODE_EPOCH_AUTHORITY_MISMATCH,
         "epoch_authority.blocks_remaining"},
        {"remaining 150", 1, "blocks_remaining", "150", LP_CODE_OK, ""},
        {"remaining 1", 1, "blocks_remaining", "1", LP_CODE_OK, ""},
        {"block_hash other (needs the chain)", 1, "block_hash",
         "\"0x0000000000000000000000000000000000000000000000000000000000000000\"", LP_CODE_OK, ""},
    };
    for (size_t i = 0; i < sizeof eds / sizeof eds[0]; i++) {
        lpc_value *p = copy(payload_of(lp_field(record0(), "log_entry")));
        lpc_value *target = eds[i].in_authority ? (lpc_value *)lpc_get(p, "epoch_authority") : p;
        if (eds[i].json) set(target, eds[i].key, eds[i].json);
        else del(target, eds[i].key);
        char culprit[LP_CHECK_NAME_MAX];
        lpc_wev2_era era;
        lp_code v = run(p, lp_field(record0(), "ties"), manifest(), LPC_WEV2_BLOCKS_REMAINING_MAX_0731, culprit, &era);
        ck_assert_msg(v == eds[i].verdict, "%s: verdict %s", eds[i].name, lp_code_name(v));
        ck_assert_msg(strcmp(culprit, eds[i].culprit) == 0, "%s: culprit %s", eds[i].name, culprit);
        if (i == 8) ck_assert_int_eq(era, LPC_WEV2_ERA_NO_AUTHORITY);
        if (i == 10) ck_assert_int_eq(era, LPC_WEV2_ERA_LEGACY);
        lpc_free(p);
    }
    /* the era bound: 109 remaining passes 150 and 90 but not 30 */
    char culprit[LP_CHECK_NAME_MAX];
    const lpc_value *p0 = payload_of(lp_field(record0(), "log_entry")), *t0 = lp_field(record0(), "ties");
    ck_assert_int_eq(run(p0, t0, manifest(), LPC_WEV2_BLOCKS_REMAINING_MAX_0721, culprit, NULL), LP_CODE_EPOCH_AUTHORITY_MISMATCH);
    ck_assert_int_eq(run(p0, t0, manifest(), 109, culprit, NULL), LP_CODE_OK);
    ck_assert_int_eq(run(p0, t0, manifest(), 0, culprit, NULL), LP_CODE_BAD_ARGUMENT);
    ck_assert_int_eq(lpc_wev2_blocks_remaining_bound("2026-08-23T07:42:14Z"), 150);
    ck_assert_int_eq(lpc_wev2_blocks_remaining_bound("2026-07-25T00:00:00Z"), 90);
    ck_assert_int_eq(lpc_wev2_blocks_remaining_bound("2026-07-17T00:00:00Z"), 30);
    ck_assert_int_eq(lpc_wev2_blocks_remaining_bound("2026-07-12T00:00:00Z"), 0);
    ck_assert_int_eq(lpc_wev2_blocks_remaining_bound("2026/07/31"), 0);
    ck_assert_int_eq(lpc_wev2_blocks_remaining_bound(""), 0);
    /* a tie the verified bundle lacks is the caller's error */
    lpc_value *t = copy(t0);
    del(t, "block");
    ck_assert_int_eq(run(p0, t, manifest(), 150, culprit, NULL), LP_CODE_BAD_ARGUMENT);
    ck_assert_str_eq(culprit, "ties.block");
    lpc_free(t);
    /* not an object */
    lpc_value *arr = parse("[]");
    ck_assert_int_eq(run(arr, t0, manifest(), 150, culprit, NULL), LP_CODE_EVENT_MISMATCH);
    ck_assert_str_eq(culprit, "payload.fields");
    lpc_free(arr);
}
END_TEST

START_TEST(edited_manifests)
{
    static const char *const edits[][2] = {
        {"mapping_hash", "\"sha256:58d9048c3c96c8f82ccd6e2c2445ed497539022f5e539b2b4af6ddb0f5dd50c3\""},
        {"first_subnet_epoch_index", "24021"},
        {"netuid", "0"},
        {"epoch_scheme", "\"other\""},
    };
    const lpc_value *p0 = payload_of(lp_field(record0(), "log_entry")), *t0 = lp_field(record0(), "ties");
    for (size_t i = 0; i < 4; i++) {
        lpc_value *m = copy(manifest());
        set(m, edits[i][0], edits[i][1]);
        char culprit[LP_CHECK_NAME_MAX];
        ck_assert_int_eq(run(p0, t0, m, 150, culprit, NULL), LP_CODE_EPOCH_AUTHORITY_MISMATCH);
        ck_assert_str_eq(culprit, "cutover_manifest");
        lpc_free(m);
    }
    /* a consistent manifest of another subnet: the netuid check names it */
    lpc_value *m = copy(manifest());
    set(m, "netuid", "72");
    del(m, "mapping_hash");
    char culprit[LP_CHECK_NAME_MAX];
    ck_assert_int_eq(run(p0, t0, m, 150, culprit, NULL), LP_CODE_EPOCH_AUTHORITY_MISMATCH);
    ck_assert_str_eq(culprit, "epoch_authority.netuid");
    lpc_free(m);
    /* the manifest shipped with the vectors is the one the lineage vector embeds */
    ck_assert(lpc_py_eq(manifest(), lp_field(lp_field(lp_field(g_vec, "attested_v2_primitives"), "lineage_id"),
                                             "cutover_manifest")));
    lpc_value *nul = parse("null");
    ck_assert_int_eq(run(p0, t0, nul, 150, culprit, NULL), LP_CODE_EPOCH_AUTHORITY_MISMATCH);
    ck_assert_str_eq(culprit, "cutover_manifest");
    lpc_free(nul);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("weight_event_v2");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, records_checks);
    tcase_add_test(tc, negatives_checks);
    tcase_add_test(tc, envelopes);
    tcase_add_test(tc, chain_and_sequence);
    tcase_add_test(tc, edited_payloads);
    tcase_add_test(tc, edited_manifests);
    suite_add_tcase(s, tc);
    return s;
}

LP_TEST_MAIN(suite)
