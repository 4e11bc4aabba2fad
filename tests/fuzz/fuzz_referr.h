/* The invariant every v2 fuzz target asserts of a refusal (lpc_referr.h): a code of a
 * failing exit class, carried in the error itself, and a message. */
#ifndef FUZZ_REFERR_H
#define FUZZ_REFERR_H

#include "canonical/lpc_referr.h"

static inline void fuzz_check_refusal(lp_code c, const lpc_referr *e)
{
    if (lp_code_exit(c) == LP_EXIT_OK || !e->message[0] || e->code != c) __builtin_trap();
}

#endif
