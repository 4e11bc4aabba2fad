/* The checkpoint object's layout and the functions the merkle/ files share over it
 * (internal to merkle/; lpm.h keeps lpm_checkpoint opaque). */
#ifndef LPM_STATE_H
#define LPM_STATE_H

#include "merkle/lpm.h"

/* One decoded record.  Every record has its leaf once leaves_ready is set.  A record is
 * either a tree (parsed) or, era A in the plain form (lpc_csa_from_text), kept as text:
 * its bytes are text[span[0], span[1]) of the checkpoint and its top-level "sequence",
 * when an int64, is seq with seq_ok = 1. */
struct lpm_rec {
    uint8_t leaf[LPM_HASH_LEN];
    size_t span[2];
    int64_t seq;
    uint8_t seq_ok;
    lpc_value *tree;    /* NULL: kept as text.  Owned unless the checkpoint's arr holds it */
};

struct lpm_checkpoint {
    lpc_value *doc;                 /* parsed payload (owned) */
    const lpc_value *header_v;      /* borrowed from doc */
    lpm_header header;
    int unsigned_empty;             /* signature == "empty_checkpoint" */
    uint8_t signature[LPM_SIG_LEN];
    lpm_encoding encoding;
    lpm_era era;
    /* lpm_checkpoint_decode_events; immutable afterwards, so everything below that is
     * derived from the records stays valid until the next decode. */
    int decoded;
    lpm_decode_path path;
    size_t n;
    struct lpm_rec *rec;            /* n records (owned) */
    lpc_value *arr;                 /* serial path: the parsed array, owner of each rec[i].tree */
    uint8_t *text;                  /* the inflated text (owned) when a record is kept as text */
    /* The record pass (decode, or build_tree after a serial decode) hashes every leaf and,
     * era C/D, checks every envelope, keeping the smallest failure for check_envelopes. */
    int leaves_ready;
    int env_done;
    lpm_err env_err;
    size_t env_bad;
    lpm_tree tree;                  /* after lpm_checkpoint_build_tree */
};

/* lpm_checkpoint.c: the §5.1 fields of a header object (also a proof file's header). */
lpm_err lpm_header_parse(const lpc_value *h, lpm_header *out);

/* lpm_decode.c */
void lpm_decoded_free(lpm_checkpoint *cp);           /* back to "not decoded" */
lpm_err lpm_decode_leaves(lpm_checkpoint *cp);       /* the record pass after a serial decode */
lpm_err lpm_decode_envelopes(lpm_checkpoint *cp, unsigned threads, size_t *bad);  /* envelopes only */

/* lpm_verify.c: the checks header_signature [key_pinned] of lpm_checkpoint_verify, also
 * run for proof files; *state (may be NULL) set when a key was used.  0 when the run must
 * stop (could not decide). */
int lpm_signature_checks(const lpc_value *header_v, const uint8_t sig[LPM_SIG_LEN], const uint8_t *key, unsigned flags,
                         lp_checks *out, lpm_sig_state *state);

/* lpm_err.c: lp_checks_verdict of out->items[from..), what one entry point appended (a
 * lost item anywhere makes it OUT_OF_MEMORY: fail closed). */
lp_code lpm_verdict_since(const lp_checks *out, size_t from);

/* lpm_tree.c: lpm_tree_build over n leaves at leaf0 + i * stride. */
lpm_err lpm_tree_build_from(const uint8_t *leaf0, size_t stride, size_t n, lpm_tree *t);

#endif
