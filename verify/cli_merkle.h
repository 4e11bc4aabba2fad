/* Shared plumbing for the checkpoint tools (verify_merkle_inclusion,
 * audit_checkpoints, verify_log): a check list for reports, checkpoint source
 * loading (file, "-", URL or Arweave transaction id) and the JSON summary of a
 * checkpoint.  Verification logic lives in merkle/. */
#ifndef LP_CLI_MERKLE_H
#define LP_CLI_MERKLE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "merkle/lpm.h"

#define LP_DEFAULT_GATEWAY "https://arweave.net"

/* Accumulates {"name","ok","detail"} in run order; remembers the first failure's code. */
typedef struct {
    json_t *arr;
    const char *first_code;   /* static string; NULL while all checks pass */
    int undecided;            /* a could-not-decide error occurred */
} lp_jchecks;

void lp_jchecks_init(lp_jchecks *c);
void lp_jchecks_free(lp_jchecks *c);
/* Adds a check; code is the result code when !ok (static string). */
void lp_jchecks_add(lp_jchecks *c, const char *name, int ok, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

typedef struct {
    const char *gateway;      /* base URL for transaction ids */
    int offline;              /* refuse network */
    const char *save;         /* write fetched bytes here (NULL: no) */
} lp_source_opts;

/* 1 when s is 43 base64url characters (an Arweave transaction id). */
int lp_is_txid(const char *s);
/* Reads a local file or "-", or fetches a URL / transaction id (GET <gateway>/<txid>).
 * Returns NULL on success, else a static UPPER_SNAKE code with err filled. */
const char *lp_load_source(const char *src, const lp_source_opts *o, size_t max, uint8_t **out, size_t *len,
                           char *err, size_t errlen);

/* Parses 64 hex characters into an Ed25519 public key; 1 on success. */
int lp_parse_pubkey(const char *hex, uint8_t out[LPM_PUBKEY_LEN]);

/* {"number","version","event_count","merkle_root","prev_checkpoint_root","time_range",
 *  "sequence_range","era","payload_encoding"} */
json_t *lp_checkpoint_json(const lpm_checkpoint *cp);

/* Prints one JSON object (sorted keys) and a newline on stdout; takes ownership of o. */
void lp_print_json(json_t *o);

#endif

/* Runs §7.3 steps 2-5 and 7 on a parsed checkpoint, appending checks in order:
 * empty_checkpoint | header_signature, events_decoded, event_count, sequence_range,
 * merkle_root, tree_levels, envelopes (era C/D).  pubkey NULL: signature not_checked.
 * *sig_state: "valid", "invalid" or "not_checked".  Returns the exit status so far. */
int lp_verify_checkpoint(lpm_checkpoint *cp, const uint8_t *pubkey, lp_jchecks *c, const char **sig_state);
