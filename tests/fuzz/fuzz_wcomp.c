/* libFuzzer target: compute_final_weights (leadpoet-weights-v2.md §5) on hostile
 * snapshots.  Byte 0 selects the input's meaning: even, the rest is a whole snapshot;
 * odd, the rest is an object whose members replace fields of a valid snapshot (the
 * vectors' single_miner_uid2_of_3 case), with config_hash recomputed unless the object
 * sets it, so that mutations reach the arithmetic.  Invariants: every refusal has a
 * code of a failing exit class and a message; every result is all-finite canonical
 * JSON with unique uids, weights in [0, 1] and u16 weights in [1, 65535], and a second
 * computation gives the same bytes. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "canonical/lpc_json.h"
#include "canonical/lpc_weight_computation.h"
#include "tests/fuzz/fuzz_referr.h"

static const char k_base[] =
    "{\"schema_version\":\"leadpoet.weight_computation_request.v1\",\"netuid\":71,\"epoch_id\":24356,\"b"
    "lock\":8772930,\"commit_sha\":\"4743d2392e3120195370cc6de6086f12cad6405c\",\"config_hash\":\"sha25"
    "6:4f7ae8ee245ce7d1ce245773c711eba3b7b611425a680fafce395b1ffbbdbdb9\",\"parent_receipt_hashes"
    "\":[],\"research_lab_allocation_receipt_hash\":\"\",\"burn_target_uid\":0,\"expected_burn_target_h"
    "otkey\":\"5FNVgRnrxMibhcBGEAaajGrYjsaCn441a5HuGUBUNnxEBLo9\",\"metagraph_hotkeys\":[\"5FNVgRnrxM"
    "ibhcBGEAaajGrYjsaCn441a5HuGUBUNnxEBLo9\",\"57ryzxXz8pLacAWfZxSwqawgSnfknWRC6Su3zXLAq7fgZEcK\""
    ",\"52gfpbspw7Pr6C98BxHhuxdvBrhkAcohkvrMAzGZ4q2nvmwT\"],\"banned_hotkeys\":[],\"banned_lookup_ok"
    "\":true,\"ff_enabled\":true,\"base_burn_share\":0.0,\"champion_share\":0.0,\"champion_uid\":null,\"e"
    "ffective_champion_share\":0.0,\"research_lab_fallback_share\":0.2,\"research_lab_allocation_do"
    "c\":{},\"leaderboard_bonus_share\":0.095,\"leaderboard_rank_shares\":[0.05,0.03,0.015],\"leaderb"
    "oard_entries\":[{\"miner_hotkey\":\"57ryzxXz8pLacAWfZxSwqawgSnfknWRC6Su3zXLAq7fgZEcK\",\"wins\":5"
    "8},{\"miner_hotkey\":\"52gfpbspw7Pr6C98BxHhuxdvBrhkAcohkvrMAzGZ4q2nvmwT\",\"wins\":31}],\"leaderb"
    "oard_fetch_ok\":true,\"fulfillment_share\":0.705,\"fulfillment_rows\":[{\"hotkey\":\"52gfpbspw7Pr6"
    "C98BxHhuxdvBrhkAcohkvrMAzGZ4q2nvmwT\",\"share\":0.705}],\"fulfillment_fetch_ok\":true,\"rolling_"
    "lead_count\":0,\"rolling_scores\":[],\"sourcing_floor_threshold\":125000,\"min_total_rep_for_dis"
    "tribution\":100}";

static lpc_value *overridden(const lpc_value *over)
{
    lpc_value *b = NULL, *s = NULL;
    if (lpc_parse((const uint8_t *)k_base, sizeof k_base - 1, &b, NULL) != LPC_OK) __builtin_trap();
    if (lpc_clone(b, &s) != LPC_OK) __builtin_trap();
    lpc_free(b);
    for (size_t i = 0; i < over->u.o.n; i++) {
        lpc_value *c = NULL;
        if (lpc_clone(over->u.o.items[i].val, &c) != LPC_OK) break;
        if (lpc_object_set(s, over->u.o.items[i].key, over->u.o.items[i].klen, c) != LPC_OK) break;
    }
    if (!lpc_get(over, "config_hash")) {
        char h[LPC_SHA256_REF_SIZE];
        lpc_referr e;
        if (lpc_weight_config_hash(s, h, &e) == LP_CODE_OK)
            lpc_object_set(s, "config_hash", 11, lpc_new_str(h, strlen(h)));
    }
    return s;
}

static void check_result(const lpc_value *r)
{
    const lpc_value *u = lpc_get(r, "uids"), *w = lpc_get(r, "weights"), *su = lpc_get(r, "sparse_uids"),
                    *sw = lpc_get(r, "sparse_weights_u16");
    if (!u || !w || !su || !sw || u->u.a.n != w->u.a.n || su->u.a.n != sw->u.a.n) __builtin_trap();
    for (size_t i = 0; i < w->u.a.n; i++) {
        double x = w->u.a.items[i]->u.f;
        if (w->u.a.items[i]->type != LPC_FLOAT || !(x >= 0.0 && x <= 1.0)) __builtin_trap();
        for (size_t j = 0; j < i && j < 64; j++)
            if (strcmp(u->u.a.items[i]->u.i.digits, u->u.a.items[j]->u.i.digits) == 0) __builtin_trap();
    }
    for (size_t i = 0; i < sw->u.a.n; i++) {
        int64_t v;
        if (!lpc_int_i64(sw->u.a.items[i], &v) || v < 1 || v > 65535) __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    lpc_value *v = NULL;
    if (lpc_parse(data + 1, size - 1, &v, NULL) != LPC_OK) return 0;
    lpc_value *snap = v;
    if (data[0] & 1) {
        if (v->type != LPC_OBJECT) {
            lpc_free(v);
            return 0;
        }
        snap = overridden(v);
        lpc_free(v);
    }
    lpc_value *r1 = NULL, *r2 = NULL;
    lpc_referr e;
    lp_code c = lpc_compute_final_weights(snap, NULL, &r1, &e);
    if (c != LP_CODE_OK) {
        if (r1) __builtin_trap();
        fuzz_check_refusal(c, &e);
    } else {
        check_result(r1);
        lpc_buf a = {0}, b = {0};
        if (lpc_dump(r1, LPC_PROFILE_CS_U_NONAN, &a) != LPC_OK) __builtin_trap();
        if (lpc_compute_final_weights(snap, NULL, &r2, &e) != LP_CODE_OK) __builtin_trap();
        if (lpc_dump(r2, LPC_PROFILE_CS_U_NONAN, &b) != LPC_OK || a.len != b.len || memcmp(a.ptr, b.ptr, a.len))
            __builtin_trap();
        lpc_buf_free(&a);
        lpc_buf_free(&b);
    }
    lpc_free(r1);
    lpc_free(r2);
    lpc_free(snap);
    return 0;
}
