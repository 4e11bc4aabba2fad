/* Subnet 46 replay: the plan's rules (profile plan-2025-09-29, §7). */
#include "audit/sn46_internal.h"

int sn46_plan(sn46_ctx *c, lpc_value *rep, lp_checks *ck)
{
    (void)rep; (void)ck;
    return sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "profile not reproduced yet");
}
