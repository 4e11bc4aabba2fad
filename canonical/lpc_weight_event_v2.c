/* WEIGHT_SUBMISSION_V2 payload checks (leadpoet-weights-v2.md §9). */
#include "canonical/lpc_weight_event_v2.h"

#include <stdio.h>
#include <string.h>

#include "canonical/lpc_buf.h"
#include "canonical/lpc_dump.h"
#include "canonical/lpc_subnet_epoch.h"

#define EM LP_CODE_EVENT_MISMATCH
#define EA LP_CODE_EPOCH_AUTHORITY_MISMATCH

const char *lpc_wev2_era_name(lpc_wev2_era era)
{
    switch (era) {
    case LPC_WEV2_ERA_NO_AUTHORITY: return "no_epoch_authority";
    case LPC_WEV2_ERA_LEGACY: return LPC_WEV2_MODE_LEGACY;
    case LPC_WEV2_ERA_STATEFUL: return LPC_WEV2_MODE_STATEFUL;
    default: return "unknown";
    }
}

int64_t lpc_wev2_blocks_remaining_bound(const char *ts)
{
    if (!ts) return 0;
    for (int i = 0; i < 10; i++) {
        int digit = ts[i] >= '0' && ts[i] <= '9';
        if (i == 4 || i == 7 ? ts[i] != '-' : !digit) return 0;
    }
    char d[9] = {ts[0], ts[1], ts[2], ts[3], ts[5], ts[6], ts[8], ts[9], 0};
    /* YYYYMMDD compares as text */
    if (strcmp(d, "20260731") >= 0) return LPC_WEV2_BLOCKS_REMAINING_MAX_0731;
    if (strcmp(d, "20260721") >= 0) return LPC_WEV2_BLOCKS_REMAINING_MAX_0721;
    if (strcmp(d, "20260716") >= 0) return LPC_WEV2_BLOCKS_REMAINING_MAX_0716;
    return 0;
}

/* canonical JSON text of v (CS-A), NUL-terminated; 0 on failure */
static int csa(const lpc_value *v, lpc_buf *b)
{
    b->len = 0;
    return lpc_dump(v, LPC_PROFILE_CS_A, b) == LPC_OK && lpc_buf_append(b, "", 1) == LPC_OK;
}

static int is_int(const lpc_value *v, int64_t *out) { return v && v->type == LPC_INT && lpc_int_i64(v, out); }

static void tie(lp_checks *c, const lpc_value *payload, const lpc_value *verified, const char *pkey, const char *vkey)
{
    char name[LP_CHECK_NAME_MAX];
    snprintf(name, sizeof name, "ties.%s", pkey);
    const lpc_value *p = lpc_get(payload, pkey), *v = lpc_get(verified, vkey);
    if (!v) {
        lp_check_add(c, name, LP_CODE_BAD_ARGUMENT, "the verified bundle has no %s", vkey);
        return;
    }
    if (!p) {
        lp_check_add(c, name, EM, "the payload has no %s", pkey);
        return;
    }
    lpc_buf a = {0}, b = {0};
    if (!csa(p, &a) || !csa(v, &b)) lp_check_add(c, name, LP_CODE_OUT_OF_MEMORY, "cannot serialise %s", pkey);
    else if (a.len != b.len || memcmp(a.ptr, b.ptr, a.len) != 0)
        lp_check_add(c, name, EM, "payload %s is %.120s, the verified bundle's %s is %.120s", pkey, (char *)a.ptr, vkey,
                     (char *)b.ptr);
    else lp_check_add(c, name, LP_CODE_OK, "%.200s", (char *)a.ptr);
    lpc_buf_free(&a);
    lpc_buf_free(&b);
}

static const char *const k_payload_keys[] = {"actor_hotkey", "netuid",       "epoch_id",          "block",
                                             "weights_hash", "bundle_hash",  "root_receipt_hash", "epoch_authority"};
static const char *const k_int_fields[] = {"gateway_block", "workflow_epoch_id", "official_subnet_epoch_id",
                                           "epoch_block", "blocks_remaining"};
static const char *const k_str_fields[] = {"mode", "epoch_ref", "block_hash", "cutover_mapping_hash"};

static int exact_keys(const lpc_value *o, const char *const *k, size_t n)
{
    if (!o || o->type != LPC_OBJECT || o->u.o.n != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (!lpc_get(o, k[i])) return 0;
    return 1;
}

static void epoch_checks(lp_checks *c, const lpc_value *payload, const lpc_value *ea, const lpc_value *manifest,
                         int64_t bound)
{
    /* the stateful form's fields */
    /* 9 members, and below each of the 9 names present: exactly the stateful keys */
    if (ea->u.o.n != 9) {
        lp_check_add(c, "epoch_authority.fields", EA, "epoch_authority has %zu fields, the stateful form 9", ea->u.o.n);
        return;
    }
    int64_t iv[5];
    for (size_t i = 0; i < 5; i++)
        if (!is_int(lpc_get(ea, k_int_fields[i]), &iv[i])) {
            lp_check_add(c, "epoch_authority.fields", EA, "%s is missing or not an integer", k_int_fields[i]);
            return;
        }
    for (size_t i = 0; i < 4; i++) {
        const lpc_value *s = lpc_get(ea, k_str_fields[i]);
        if (!s || s->type != LPC_STR) {
            lp_check_add(c, "epoch_authority.fields", EA, "%s is missing or not a string", k_str_fields[i]);
            return;
        }
    }
    int64_t pblock, pepoch, pnetuid;
    if (!is_int(lpc_get(payload, "block"), &pblock) || !is_int(lpc_get(payload, "epoch_id"), &pepoch) ||
        !is_int(lpc_get(payload, "netuid"), &pnetuid)) {
        lp_check_add(c, "epoch_authority.fields", EA, "the payload's block, epoch_id or netuid is not an integer");
        return;
    }
    lp_check_add(c, "epoch_authority.fields", LP_CODE_OK, "the 9 fields of the stateful form");
    const int64_t gateway_block = iv[0], workflow = iv[1], official = iv[2], remaining = iv[4];

    lpc_se_cutover cut;
    lpc_referr e;
    lpc_referr_clear(&e);
    if (lpc_se_cutover_from_manifest(manifest, &cut, &e) != LP_CODE_OK) {
        lp_check_add(c, "cutover_manifest", EA, "%s: %s", e.type, e.message);
        return;
    }
    lp_check_add(c, "cutover_manifest", LP_CODE_OK, "mapping_hash %s verifies", cut.computed_mapping_hash);

    if (pnetuid != cut.netuid)
        lp_check_add(c, "epoch_authority.netuid", EA, "payload netuid %lld, manifest netuid %lld", (long long)pnetuid,
                     (long long)cut.netuid);
    else lp_check_add(c, "epoch_authority.netuid", LP_CODE_OK, "netuid %lld", (long long)pnetuid);

    if (workflow != pepoch)
        lp_check_add(c, "epoch_authority.workflow_epoch_id", EA, "workflow_epoch_id %lld, payload epoch_id %lld",
                     (long long)workflow, (long long)pepoch);
    else lp_check_add(c, "epoch_authority.workflow_epoch_id", LP_CODE_OK, "%lld", (long long)workflow);

    int64_t settlement;
    if (lpc_se_settlement_epoch_id(&cut, official, &settlement) != 0)
        lp_check_add(c, "epoch_authority.settlement_mapping", EA,
                     "official subnet epoch %lld predates the cutover (first %lld)", (long long)official,
                     (long long)cut.first_subnet_epoch_index);
    else if (settlement != pepoch)
        lp_check_add(c, "epoch_authority.settlement_mapping", EA,
                     "official subnet epoch %lld maps to settlement epoch %lld, payload epoch_id %lld",
                     (long long)official, (long long)settlement, (long long)pepoch);
    else
        lp_check_add(c, "epoch_authority.settlement_mapping", LP_CODE_OK, "%lld = %lld + (%lld - %lld)",
                     (long long)pepoch, (long long)cut.first_settlement_epoch_id, (long long)official,
                     (long long)cut.first_subnet_epoch_index);

    char ref[LPC_SE_REF_SIZE];
    const lpc_value *pref = lpc_get(ea, "epoch_ref");
    if (lpc_se_epoch_ref(cut.network_genesis_hash, cut.netuid, official, ref, NULL, 0, &e) != LP_CODE_OK)
        lp_check_add(c, "epoch_authority.epoch_ref", LP_CODE_OUT_OF_MEMORY, "%s", e.message);
    else if (pref->u.s.len != 71 || memcmp(pref->u.s.ptr, ref, 71) != 0)
        lp_check_add(c, "epoch_authority.epoch_ref", EA, "epoch_ref %.80s, expected %s", pref->u.s.ptr, ref);
    else lp_check_add(c, "epoch_authority.epoch_ref", LP_CODE_OK, "%s", ref);

    const lpc_value *pmh = lpc_get(ea, "cutover_mapping_hash");
    if (pmh->u.s.len != strlen(cut.mapping_hash) || memcmp(pmh->u.s.ptr, cut.mapping_hash, pmh->u.s.len) != 0)
        lp_check_add(c, "epoch_authority.cutover_mapping_hash", EA, "cutover_mapping_hash %.80s, manifest %s",
                     pmh->u.s.ptr, cut.mapping_hash);
    else lp_check_add(c, "epoch_authority.cutover_mapping_hash", LP_CODE_OK, "%s", cut.mapping_hash);

    /* |gateway_block - block| without overflow */
    uint64_t drift = gateway_block >= pblock ? (uint64_t)gateway_block - (uint64_t)pblock
                                             : (uint64_t)pblock - (uint64_t)gateway_block;
    if (drift > LPC_WEV2_MAX_BLOCK_DRIFT)
        lp_check_add(c, "epoch_authority.block_drift", EA, "gateway_block %lld is %llu blocks from block %lld (> %d)",
                     (long long)gateway_block, (unsigned long long)drift, (long long)pblock, LPC_WEV2_MAX_BLOCK_DRIFT);
    else lp_check_add(c, "epoch_authority.block_drift", LP_CODE_OK, "%llu blocks", (unsigned long long)drift);

    if (remaining <= 0 || remaining > bound)
        lp_check_add(c, "epoch_authority.blocks_remaining", EA, "blocks_remaining %lld outside (0, %lld]",
                     (long long)remaining, (long long)bound);
    else
        lp_check_add(c, "epoch_authority.blocks_remaining", LP_CODE_OK, "%lld in (0, %lld]", (long long)remaining,
                     (long long)bound);
}

lp_code lpc_wev2_check_payload(const lpc_value *payload, const lpc_value *verified, const lpc_value *manifest,
                               int64_t bound, lp_checks *out, lpc_wev2_era *era)
{
    lp_checks c;
    lp_checks_init(&c);
    if (era) *era = LPC_WEV2_ERA_UNKNOWN;
    if (bound <= 0 || !verified || verified->type != LPC_OBJECT) {
        lp_check_add(&c, "arguments", LP_CODE_BAD_ARGUMENT, "a positive blocks_remaining bound and a verified object");
        goto done;
    }
    const lpc_value *ea = lpc_get(payload, "epoch_authority");
    if (!exact_keys(payload, k_payload_keys, ea ? 8 : 7)) {
        lp_check_add(&c, "payload.fields", EM, "the payload is not the %s object of §9.1",
                     payload && payload->type == LPC_OBJECT ? "8-key" : "");
        goto done;
    }
    lp_check_add(&c, "payload.fields", LP_CODE_OK, "%zu fields", payload->u.o.n);
    tie(&c, payload, verified, "bundle_hash", "bundle_hash");
    tie(&c, payload, verified, "root_receipt_hash", "root_receipt_hash");
    tie(&c, payload, verified, "weights_hash", "weights_hash");
    tie(&c, payload, verified, "actor_hotkey", "validator_hotkey");
    tie(&c, payload, verified, "netuid", "netuid");
    tie(&c, payload, verified, "epoch_id", "epoch_id");
    tie(&c, payload, verified, "block", "block");

    if (!ea) {
        if (era) *era = LPC_WEV2_ERA_NO_AUTHORITY;
        lp_check_add(&c, "epoch_authority.era", LP_CODE_UNSUPPORTED,
                     "no epoch_authority (a payload of 2026-07-12..07-16): its epoch is not checked");
        goto done;
    }
    const lpc_value *mode = lpc_get(ea, "mode");
    if (ea->type == LPC_OBJECT && lpc_str_eq(mode, LPC_WEV2_MODE_LEGACY)) {
        if (era) *era = LPC_WEV2_ERA_LEGACY;
        lp_check_add(&c, "epoch_authority.era", LP_CODE_UNSUPPORTED,
                     "mode legacy_global_360_v1 (a payload of 2026-07-16..07-20): its epoch is not checked");
        goto done;
    }
    if (ea->type != LPC_OBJECT || !lpc_str_eq(mode, LPC_WEV2_MODE_STATEFUL)) {
        lp_check_add(&c, "epoch_authority.era", EA, "epoch_authority is not an object of mode stateful_v1");
        goto done;
    }
    if (era) *era = LPC_WEV2_ERA_STATEFUL;
    lp_check_add(&c, "epoch_authority.era", LP_CODE_OK, "mode stateful_v1");
    epoch_checks(&c, payload, ea, manifest, bound);
done:;
    lp_code v = lp_checks_verdict(&c);
    lp_checks_append(out, &c);
    lp_checks_free(&c);
    return v;
}
