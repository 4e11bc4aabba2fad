/* Subnet 46 replay: the MultiTierValidator tiers of the resi-2025-10-* profiles (§6.4). */
#include "audit/sn46_internal.h"

int sn46_validate_1029(sn46_ctx *c, sn46_sub *sb, const lpc_value *zip, double e, const lpc_value *ev,
                       int64_t dflt, lpc_value *tier);

int sn46_validate_1029(sn46_ctx *c, sn46_sub *sb, const lpc_value *zip, double e, const lpc_value *ev,
                       int64_t dflt, lpc_value *tier)
{
    (void)sb; (void)zip; (void)e; (void)ev; (void)dflt; (void)tier;
    sn46_fail(c, LP_CODE_UNSUPPORTED_INPUT, "profile not reproduced yet");
    return -2;
}
