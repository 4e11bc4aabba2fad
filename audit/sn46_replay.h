/* Subnet 46 (RESI) zipcode-epoch replay (subnet46-zipcode.md, cited as §).
 *
 * Input: the bytes of one `leadpoet-verify/sn46-epoch-replay/1` document (§9).  Output:
 * the report object of §11.3 as a built lpc_value tree (keys as the vectors'
 * *.expected.json: result, exit, checks, assignment, submissions, epoch_findings, the
 * profile's replay, weights, or error on an early stop), and the checks in run order in
 * a caller's lp_checks (registry codes of canonical/lp_code.h).
 *
 * Result codes and precedence: §11.4, every one a registry code under the spec's name
 * (LP_CODE_UNSUPPORTED_INPUT is the spec's name for the suite's UNSUPPORTED refusal).
 * The caller's lp_checks receive the early stop first (when there is one), then the
 * checks of the report in run order, so lp_checks_verdict of them is the result.
 *
 * Profiles (§6.1, §7): resi-2025-11-18, resi-2025-10-29, resi-2025-10-15, plan-2025-09-29.
 * A profile given by the caller (the tool's --profile) overrides the input's `profile`.
 *
 * Memory: *report is a new tree the caller frees with lpc_free (NULL only when memory
 * ran out; then the return is LP_CODE_OUT_OF_MEMORY).  Pure: no I/O, no globals. */
#ifndef LP_SN46_REPLAY_H
#define LP_SN46_REPLAY_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lp_check.h"
#include "canonical/lp_code.h"
#include "canonical/lpc_value.h"

/* Caps (§9). */
#define LP_SN46_MAX_INPUT        ((size_t)512 << 20)
#define LP_SN46_MAX_NEURONS      ((size_t)4096)
#define LP_SN46_MAX_SUBMISSIONS  ((size_t)100000)
#define LP_SN46_MAX_LISTINGS     ((size_t)100000)   /* per file */
#define LP_SN46_MAX_ZIPCODES     ((size_t)4096)     /* per assignment (ours) */
#define LP_SN46_MAX_HISTORY      ((size_t)4096)     /* history epochs (ours) */
#define LP_SN46_MAX_SPOT_CHECKS  ((size_t)100000)
/* The parsed tree may take this many bytes (about 25 per input byte at worst). */
#define LP_SN46_MAX_TREE         ((size_t)1 << 31)

/* "resi-2025-11-18" ... or NULL: 1 when the name is a known profile. */
int lp_sn46_profile_known(const char *name);

/* Replays buf[0..len).  profile: NULL for the input's own.  Appends the checks to
 * checks; returns the result code (also the report's `result`). */
lp_code lp_sn46_replay(const uint8_t *buf, size_t len, const char *profile,
                       lp_checks *checks, lpc_value **report);

/* The report's name of a result code (lp_code_name). */
const char *lp_sn46_code_name(lp_code c);

#endif
