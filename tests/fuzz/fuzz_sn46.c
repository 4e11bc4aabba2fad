/* libFuzzer target: replay_sn46's procedure (lp_sn46_replay) on hostile replay inputs.
 * Byte 0 selects the profile: 0 the input's own, 1..4 one of the four named (the tool's
 * --profile).  Invariants: the result is one of §11.4's codes (or OUT_OF_MEMORY); the
 * report's "result" and "exit" name it; the checks' verdict is the result; an early stop
 * carries "error" and no scores; an OK replay has weights and, for an upstream profile,
 * a 64-digit consensus hash. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "audit/sn46_replay.h"
#include "canonical/lpc_json.h"
#include "canonical/lpc_python.h"

static const char *const k_prof[] = {NULL, "resi-2025-11-18", "resi-2025-10-29", "resi-2025-10-15", "plan-2025-09-29"};

static int allowed(lp_code c)
{
    static const lp_code ok[] = {LP_CODE_OK, LP_CODE_OUT_OF_MEMORY, LP_CODE_INTERNAL, LP_CODE_INPUT_MALFORMED,
                                 LP_CODE_INPUT_TOO_LARGE, LP_CODE_UNSUPPORTED_INPUT, LP_CODE_SCORER_WOULD_RAISE,
                                 LP_CODE_SPOT_CHECK_RECORD_INVALID, LP_CODE_SPOT_CHECK_SAMPLE_MISMATCH,
                                 LP_CODE_ASSIGNMENT_INCONSISTENT, LP_CODE_ASSIGNMENT_OUT_OF_TOLERANCE,
                                 LP_CODE_ASSIGNMENT_OUT_OF_BOUNDS, LP_CODE_ASSIGNMENT_COOLDOWN_VIOLATION,
                                 LP_CODE_SCORE_MISMATCH, LP_CODE_CONSENSUS_HASH_MISMATCH, LP_CODE_WEIGHTS_MISMATCH};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (ok[i] == c) return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    lp_checks ck;
    lp_checks_init(&ck);
    lpc_value *rep = NULL;
    lp_code c = lp_sn46_replay(data + 1, size - 1, k_prof[data[0] % 5], &ck, &rep);
    if (!allowed(c)) __builtin_trap();
    if (c == LP_CODE_OUT_OF_MEMORY) {
        if (rep) __builtin_trap();
        lp_checks_free(&ck);
        return 0;
    }
    if (!rep || !lpc_str_eq(lpc_get(rep, "result"), lp_code_name(c))) __builtin_trap();
    int64_t ex;
    if (!lpc_int_i64(lpc_get(rep, "exit"), &ex) || ex != (int64_t)lp_code_exit(c)) __builtin_trap();
    if (lp_checks_verdict(&ck) != c) __builtin_trap();
    const lpc_value *err = lpc_get(rep, "error");
    if (err && (lpc_get(rep, "final_scores") || lpc_get(rep, "weights") || lpc_get(rep, "plan"))) __builtin_trap();
    if (c == LP_CODE_OK) {
        if (err || !lpc_get(rep, "weights")) __builtin_trap();
        const lpc_value *h = lpc_get(rep, "consensus_hash");
        if (!lpc_get(rep, "plan") && (!h || h->type != LPC_STR || h->u.s.len != 64)) __builtin_trap();
    }
    lpc_buf b = {0};
    if (lpc_dump(rep, LPC_PROFILE_CS_A, &b) != LPC_OK) __builtin_trap();
    lpc_buf_free(&b);
    lpc_free(rep);
    lp_checks_free(&ck);
    return 0;
}
