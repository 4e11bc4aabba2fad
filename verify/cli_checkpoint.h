/* What the three checkpoint tools (verify_merkle_inclusion, audit_checkpoints,
 * verify_log) share beyond the report: the Ed25519 key argument, the --no-key
 * opt-in and its wording, and the JSON summary of a checkpoint header. */
#ifndef LP_CLI_CHECKPOINT_H
#define LP_CLI_CHECKPOINT_H

#include <stdint.h>

#include "canonical/lpc_json.h"
#include "merkle/lpm.h"
#include "verify/cli_report.h"

/* Help text of --no-key, the same in every tool. */
#define LP_NO_KEY_HELP "accept an unchecked signature (prints OK with a warning); without it, no pinned key is KEY_NOT_PINNED"

/* Parses 64 hex characters (either case) into an Ed25519 public key; 1 on success. */
int lp_parse_pubkey(const char *hex, uint8_t out[LPM_PUBKEY_LEN]);

/* {"number","version","event_count","merkle_root","prev_checkpoint_root","time_range",
 *  "sequence_range","era","payload_encoding"} of a parsed checkpoint (NULL when out of memory). */
lpc_value *lp_checkpoint_summary(const lpm_checkpoint *cp);

/* After verification: when the verdict is KEY_NOT_PINNED, a line and a "pin_hint" member
 * saying how to pin a key (how: the tool's own options, e.g. "pass ENCLAVE_PUBKEY"); when
 * it is OK without a pinned key (--no-key), the warning the opt-in owes the user. */
void lp_key_outcome(lp_report *r, int pinned, const char *how);

#endif
