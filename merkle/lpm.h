/* Leadpoet transparency log: checkpoint Merkle trees and proofs, checkpoint
 * payloads of every era, header signatures, signed event envelopes and logs,
 * checkpoint series and proof files.  Spec: leadpoet-formats.md §0, §2-§7.
 * Pure code: no I/O, no globals (libsodium is initialised lazily behind
 * pthread_once by lpm_sodium_ready, which is idempotent).
 *
 * Verification entry points (lpm_checkpoint_verify, lpm_checkpoint_link_check,
 * lpm_series_add, lpm_log_verify, lpm_inclusion_verify, lpm_proof_file_verify)
 * append their checks, in run order, to a caller's lp_checks
 * (canonical/lp_check.h) and return lp_checks_verdict of what they appended.
 * They never report OK without a trust anchor: a missing key is the failed check
 * KEY_NOT_PINNED unless the caller passes LPM_ALLOW_NO_KEY (the user's explicit
 * opt-in), which turns it into a warning.
 *
 * Memory: every lpm_* object is owned by the caller and released with its
 * *_free function (each safe on NULL or a zeroed struct); pointers returned into
 * an object (headers, records, leaves, strings) are borrowed and live as long as
 * that object.  An lpm_header is a plain value: it may be copied and kept after
 * its checkpoint is freed. */
#ifndef LPM_H
#define LPM_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lp_check.h"
#include "canonical/lp_code.h"
#include "canonical/lpc_json.h"

/* ---- limits (spec §0 batch sizes, §5.1 header fields, §7.1 payloads) ---- */
#define LPM_HASH_LEN          32
#define LPM_MAX_PAYLOAD       ((size_t)64 << 20)  /* Arweave data bytes accepted (= JSON cap) */
#define LPM_MAX_COMPRESSED    ((size_t)48 << 20)  /* decoded gzip bytes */
/* inflated events JSON (a bomb stops here).  Real checkpoints hold at most 15,000 records
 * (the enclave refuses more, §0); the cap is sized for the issue-7 benchmark of 100,000
 * records of the largest era (envelope records, ~0.95 kB each in DU-A: ~94 MB) with a third
 * to spare, i.e. ~1.3 kB per record at 100,000 or ~8.9 kB per record at 15,000. */
#define LPM_MAX_INFLATED      ((size_t)128 << 20)
#define LPM_MAX_EVENTS        ((size_t)1 << 20)   /* records per checkpoint, entries per log (the
                                                     enclave refuses >15,000; wide for benchmarks) */
#define LPM_MAX_DEPTH         64                  /* proof steps; 2^64 leaves */
#define LPM_PUBKEY_LEN        32
#define LPM_SIG_LEN           64
/* time_range strings kept in an lpm_header.  §5.1: isoformat() [+ "Z"] is at most 27
 * characters ("YYYY-MM-DDTHH:MM:SS.ffffffZ"); lpc_time_parse refuses anything longer than
 * LPC_TIME_TEXT_MAX (64), so a longer string is cut here, flagged, and reads as unparsable. */
#define LPM_TIME_MAX          64
/* matches one lead_search reports (each carries its proof, ~2.4 kB): the enclave refuses
 * more than 15,000 records per checkpoint (§0), so no real lead id matches more; a
 * synthetic checkpoint of LPM_MAX_EVENTS records all naming the lead is refused
 * (INPUT_TOO_LARGE) instead of reserving gigabytes */
#define LPM_MAX_MATCHES       16384

/* ---- one error enum for the module; lpm_code maps it into the registry ---- */
typedef enum {
    LPM_OK = 0,
    LPM_ERR_NOMEM,               /* OUT_OF_MEMORY */
    LPM_ERR_ARG,                 /* BAD_ARGUMENT: the library was called wrongly */
    LPM_ERR_INPUT_TOO_LARGE,     /* over a named cap, including a gzip bomb */
    LPM_ERR_MALFORMED,           /* MALFORMED_INPUT: not a checkpoint/proof/log of the documented shape */
    LPM_ERR_BASE64,              /* events_compressed is not strict standard base64 */
    LPM_ERR_GZIP,                /* not one well-formed gzip member (CRC, ISIZE, truncation) */
    LPM_ERR_EVENTS_JSON,         /* inflated text is not a JSON array of objects */
    LPM_ERR_CANONICAL,           /* a record cannot be serialised the way Python would */
    LPM_ERR_EMPTY_TREE,          /* a tree of zero leaves (Python raises) */
    LPM_ERR_CRYPTO,              /* CRYPTO_BACKEND: hash or libsodium backend failed */
    LPM_ERR_ABANDONED,           /* INTERNAL: a worker-pool run its caller abandoned; no public
                                    function returns it */
    LPM_ERR_EMPTY_CHECKPOINT,    /* unsigned host checkpoint: nothing can be included */
    LPM_ERR_SIGNATURE_INVALID,   /* header Ed25519 signature */
    LPM_ERR_ROOT_MISMATCH,
    LPM_ERR_TREE_LEVELS_MISMATCH,
    LPM_ERR_EVENT_COUNT_MISMATCH,
    LPM_ERR_SEQUENCE_GAP,
    LPM_ERR_NOT_INCLUDED,
    LPM_ERR_PROOF_INVALID,
    LPM_ERR_EVENT_HASH_MISMATCH,     /* §2.2 recomputed hash differs (string compare) */
    LPM_ERR_EVENT_SIGNATURE_INVALID, /* §2.2 Ed25519 over the 32 digest bytes */
    LPM_ERR_PUBKEY_MISMATCH,         /* expected pubkey differs (case-sensitive string) */
    LPM_ERR_PAYLOAD_HASH_MISMATCH,   /* §3.2 record payload_hash / event_hash */
    LPM_ERR_CHAIN_BROKEN,            /* §2.3 prev_event_hash */
    LPM_ERR_SEQUENCE_NOT_MONOTONIC,  /* §2.3 monotonic_seq per boot_id */
    LPM_ERR_INVALID_EMPTY_CHECKPOINT /* "empty_checkpoint" with events or a non-zero root */
} lpm_err;

lp_code lpm_code(lpm_err e);          /* the registry code (INTERNAL for a value outside the enum) */
const char *lpm_strerror(lpm_err e);  /* static sentence */
const char *lpm_errname(lpm_err e);   /* lp_code_name(lpm_code(e)), e.g. "ROOT_MISMATCH" */
int lpm_err_undecided(lpm_err e);     /* 1 when lp_code_exit(lpm_code(e)) is LP_EXIT_UNDECIDED */

/* ---- hashing helpers ---- */
/* Leaf = H(utf8(CS-A(record))) (§4.1).  Also used for event and payload hashes. */
lpm_err lpm_hash_csa(const lpc_value *v, uint8_t out[LPM_HASH_LEN]);
lpm_err lpm_hash_profile(const lpc_value *v, lpc_profile p, uint8_t out[LPM_HASH_LEN]);
/* 1 when s is a string of exactly 64 lowercase hex digits; decodes into out. */
int lpm_hex32(const lpc_value *s, uint8_t out[LPM_HASH_LEN]);

/* ---- Ed25519 (lpm_sig.c) ---- */
/* libsodium initialised once (thread-safe); 1 when usable. */
int lpm_sodium_ready(void);
/* Ed25519 (RFC 8032 with libsodium's checks: canonical S < L, canonical and
 * non-small-order A and R) of sig over msg[0..len) under pk.  1 when valid;
 * 0 otherwise, including sig_len != LPM_SIG_LEN or libsodium unusable.  Every
 * Ed25519 check of the module (checkpoint headers, proof files, log entries)
 * goes through it. */
int lpm_ed25519_verify(const uint8_t *sig, size_t sig_len, const uint8_t *msg, size_t len,
                       const uint8_t pk[LPM_PUBKEY_LEN]);

/* ---- checkpoint tree (§4.1) ---- */
typedef struct {
    size_t n_levels;
    size_t level_len[LPM_MAX_DEPTH + 1];
    size_t level_off[LPM_MAX_DEPTH + 1];  /* index of a level's first node in nodes */
    uint8_t (*nodes)[LPM_HASH_LEN];       /* all levels, leaves first; owned */
} lpm_tree;

typedef struct {
    uint8_t sibling[LPM_HASH_LEN];
    int left;                 /* non-zero: sibling is on the left, cur = H(sib||cur); 0: cur = H(cur||sib) */
} lpm_step;

/* Builds every level from n >= 1 leaf hashes (copied).  n = 0 is LPM_ERR_EMPTY_TREE.
 * Free with lpm_tree_free (safe on a zeroed struct). */
lpm_err lpm_tree_build(const uint8_t (*leaves)[LPM_HASH_LEN], size_t n, lpm_tree *t);
void lpm_tree_free(lpm_tree *t);
const uint8_t *lpm_tree_root(const lpm_tree *t);
/* Proof for leaf idx: steps[0..*n_steps) bottom-up, odd last node = itself on the right. */
lpm_err lpm_tree_proof(const lpm_tree *t, size_t idx, lpm_step steps[LPM_MAX_DEPTH], size_t *n_steps);
/* Folds leaf through steps and compares with root: LPM_OK or LPM_ERR_PROOF_INVALID. */
lpm_err lpm_proof_verify(const uint8_t leaf[LPM_HASH_LEN], const lpm_step *steps, size_t n_steps,
                         const uint8_t root[LPM_HASH_LEN]);
/* As lpm_proof_verify, bound to leaf idx of a tree of n leaves: the positions must be
 * exactly those lpm_proof_shape_ok requires, and where the node is the last of an odd
 * level its sibling must be the node itself.  LPM_OK or LPM_ERR_PROOF_INVALID. */
lpm_err lpm_proof_verify_at(const uint8_t leaf[LPM_HASH_LEN], const lpm_step *steps, size_t n_steps, size_t idx,
                            size_t n, const uint8_t root[LPM_HASH_LEN]);
/* 1 when the step positions are exactly those the tree of n leaves gives leaf idx
 * (binds a proof to its index and to event_count). */
int lpm_proof_shape_ok(size_t idx, size_t n, const lpm_step *steps, size_t n_steps);

/* ---- gateway/utils/merkle.py (§4.2) ---- */
/* Root over n 32-byte leaves (the caller hashes strings first when the tree is over
 * strings); n = 0 gives 32 zero bytes. */
lpm_err lpm_utils_root(const uint8_t (*leaves)[LPM_HASH_LEN], size_t n, uint8_t root[LPM_HASH_LEN]);
/* verify_merkle_proof: elements "L:hex" / any other prefix = right / no ':' = smaller-left.
 * Returns 1 when the proof folds to root, 0 otherwise (malformed hex or more than
 * LPM_MAX_DEPTH elements = 0). */
int lpm_utils_proof_verify(const uint8_t leaf[LPM_HASH_LEN], const char *const *proof, size_t n,
                           const uint8_t root[LPM_HASH_LEN]);

/* ---- gzip (§6) ---- */
/* Inflates exactly one gzip member occupying all of in[0..len), refusing more than
 * max_out bytes of output (LPM_ERR_INPUT_TOO_LARGE).  *out is malloc'd (caller frees). */
lpm_err lpm_gunzip(const uint8_t *in, size_t len, size_t max_out, uint8_t **out, size_t *out_len);

/* ---- signed event envelopes and logs (§2) ---- */
/* verify_log_entry: fields present and non-empty, optional expected pubkey (case-sensitive
 * string), event_hash recomputed and compared as a string, Ed25519 over the digest bytes. */
lpm_err lpm_log_entry_verify(const lpc_value *entry, const char *expected_pubkey_hex);
/* As lpm_log_entry_verify with digest = H(CS-A(entry.signed_event)) already computed by the
 * caller (e.g. as a byte span of the record's own CS-A leaf preimage). */
lpm_err lpm_log_entry_verify_digest(const lpc_value *entry, const char *expected_pubkey_hex,
                                    const uint8_t digest[LPM_HASH_LEN]);
/* lpm_log_entry_verify of entries[i] (i < n) over `threads` workers (0 = online cores);
 * *first_bad receives the smallest failing index. */
lpm_err lpm_log_entries_verify(const lpc_value *const *entries, size_t n, const char *expected_pubkey_hex,
                               unsigned threads, size_t *first_bad);
/* verify_hash_chain_continuity (every non-ENCLAVE_RESTART entry links to the one before)
 * then verify_monotonic_sequence (strictly increasing per boot_id).  *bad = failing index. */
lpm_err lpm_log_chain_check(const lpc_value *const *entries, size_t n, size_t *bad);
/* ENCLAVE_RESTART boundaries (§2.3): the boot_id changes only at an ENCLAVE_RESTART whose
 * payload names the new boot (new_boot_id == boot_id) and its signer (enclave_pubkey ==
 * the entry's enclave_pubkey); within a boot the signing key never changes.  LPM_OK, or
 * the smallest failing index in *bad with *why a static sentence.  *restarts counts the
 * ENCLAVE_RESTART entries seen (all of them when LPM_OK). */
typedef enum {
    LPM_RESTART_OK = 0,
    LPM_RESTART_NEW_BOOT_ID,   /* payload.new_boot_id differs from boot_id */
    LPM_RESTART_PUBKEY,        /* payload.enclave_pubkey differs from the signer */
    LPM_RESTART_BOOT_CHANGE,   /* boot_id changes without an ENCLAVE_RESTART */
    LPM_RESTART_KEY_CHANGE     /* signing key changes within a boot */
} lpm_restart_rule;
lpm_restart_rule lpm_log_restart_check(const lpc_value *const *entries, size_t n, size_t *bad, size_t *restarts);
const char *lpm_restart_rule_text(lpm_restart_rule r);  /* static sentence */

/* ---- verification flags (every entry point that takes a key) ---- */
#define LPM_ALLOW_NO_KEY  1u  /* the user's explicit --no-key: a missing or unpinned key is a warning */
#define LPM_KEY_UNPINNED  2u  /* a key is given but came from an attestation whose PCR0 was not pinned */

typedef enum { LPM_SIG_NOT_CHECKED, LPM_SIG_VALID, LPM_SIG_INVALID } lpm_sig_state;
const char *lpm_sig_state_name(lpm_sig_state s);   /* "not_checked", "valid", "invalid" */

/* A whole exported log (verify_log): json is the file, a JSON array of log entries or of
 * {"signed_log_entry": {...}} rows (§2, §3.2).  Checks, in order:
 *   input               only on failure (undecided): not JSON, not an array, more than
 *                       LPM_MAX_EVENTS entries; nothing else runs then
 *   entries             EMPTY_LOG, MALFORMED_ENTRY, EVENT_HASH_MISMATCH,
 *                       EVENT_SIGNATURE_INVALID, PUBKEY_MISMATCH (index = entry)
 *   pubkey_pinned       only when pin_hex is NULL or flags has LPM_KEY_UNPINNED:
 *                       KEY_NOT_PINNED (a warning under LPM_ALLOW_NO_KEY)
 *   hash_chain          CHAIN_BROKEN, MALFORMED_ENTRY         } not run on an empty log
 *   monotonic_seq       SEQUENCE_NOT_MONOTONIC                 } (monotonic_seq only after
 *   restart_boundaries  RESTART_INVALID                        }  a passing hash_chain)
 * pin_hex NULL: entries are checked against the keys the log carries, which proves nothing.
 * *n_entries (may be NULL) receives the number of entries (0 when input failed). */
lp_code lpm_log_verify(const uint8_t *json, size_t len, const char *pin_hex, unsigned flags, size_t *n_entries,
                       lp_checks *out);
/* As lpm_log_verify over a text the call takes and frees (json from malloc, len bytes):
 * the log is parsed in place one entry at a time (lpc_parse_each), each entry checked as
 * it is parsed and then dropped, its signature verified by the other workers meanwhile.
 * What is kept per entry (its signature job, 128 bytes, and its boot_id and
 * monotonic_seq, 32) is less than the text of an entry that gets that far, so with its
 * text a log stays within twice its size plus LPM_LOG_TREE_SLACK: a genuine entry
 * (vectors/leadpoet/event_signing.json) is ~770 bytes.  An entry (or a root that is not an
 * array) whose tree exceeds the text's size plus LPM_LOG_TREE_SLACK is refused in "input"
 * with INPUT_TOO_LARGE. */
#define LPM_LOG_TREE_SLACK ((size_t)8 << 20)
lp_code lpm_log_verify_take(uint8_t *json, size_t len, const char *pin_hex, unsigned flags, size_t *n_entries,
                            lp_checks *out);

/* ---- checkpoint payload (§5, §7) ---- */
typedef enum { LPM_ERA_EMPTY, LPM_ERA_A, LPM_ERA_D } lpm_era;  /* host-empty, legacy dicts, envelopes */
typedef enum { LPM_ENC_UNKNOWN, LPM_ENC_V1, LPM_ENC_CURRENT } lpm_encoding; /* DU-A / CS-A bytes */
/* How lpm_checkpoint_decode_events decoded: not yet; serially (one parse of the whole
 * text); split and run over all cores after inflating; split and run while inflating. */
typedef enum { LPM_DECODE_NONE, LPM_DECODE_SERIAL, LPM_DECODE_SPLIT, LPM_DECODE_STREAMED } lpm_decode_path;

/* A header string kept by value: bytes [0, len) of text (NUL-terminated; may contain NUL
 * bytes from a \u0000 escape).  cut: the string was longer than LPM_TIME_MAX and text holds
 * its first LPM_TIME_MAX bytes. */
typedef struct {
    int present;
    int cut;
    size_t len;
    char text[LPM_TIME_MAX + 1];
} lpm_time_text;

/* The §5.1 fields as parsed (unauthenticated until the signature verifies).  Self-contained. */
typedef struct {
    int has_version, has_sequence_range;
    int64_t version, number, event_count, seq_first, seq_last;
    char merkle_root[LPM_HASH_LEN * 2 + 1];
    int has_prev_root;                           /* 0 when null or absent */
    char prev_root[LPM_HASH_LEN * 2 + 1];
    lpm_time_text time_start, time_end;
} lpm_header;

typedef struct lpm_checkpoint lpm_checkpoint;   /* opaque */

/* Accepts the raw data bytes or their base64url (no padding) form from /tx/<id>/data.
 * Parses the JSON and the header.  On LPM_OK *out is a new checkpoint (free with
 * lpm_checkpoint_free); otherwise *out is NULL. */
lpm_err lpm_checkpoint_parse(const uint8_t *buf, size_t len, lpm_checkpoint **out);
void lpm_checkpoint_free(lpm_checkpoint *cp);

/* Accessors (borrowed from cp; NULL/0 where the value does not exist yet). */
const lpm_header *lpm_checkpoint_header(const lpm_checkpoint *cp);
const lpc_value *lpm_checkpoint_header_value(const lpm_checkpoint *cp); /* the header object as uploaded */
const uint8_t *lpm_checkpoint_signature(const lpm_checkpoint *cp);      /* LPM_SIG_LEN bytes; NULL when unsigned */
int lpm_checkpoint_unsigned_empty(const lpm_checkpoint *cp);            /* signature == "empty_checkpoint" */
lpm_era lpm_checkpoint_era(const lpm_checkpoint *cp);                   /* refined by decode_events */
lpm_encoding lpm_checkpoint_encoding(const lpm_checkpoint *cp);
lpm_decode_path lpm_checkpoint_decode_path(const lpm_checkpoint *cp);
size_t lpm_checkpoint_n_events(const lpm_checkpoint *cp);                 /* after decode_events */
const uint8_t *lpm_checkpoint_leaf(const lpm_checkpoint *cp, size_t i);   /* after build_tree */
const lpm_tree *lpm_checkpoint_tree(const lpm_checkpoint *cp);            /* after build_tree */
/* Record i as a tree: *rec borrowed from cp when it holds one, else parsed from the
 * record's text into *owned (the caller frees it with lpc_free; NULL when borrowed). */
lpm_err lpm_checkpoint_record(const lpm_checkpoint *cp, size_t i, const lpc_value **rec, lpc_value **owned);

/* The steps of §7.3, each usable on its own (lpm_checkpoint_verify runs them in order). */
/* H(utf8(DS-A(header))) (§5.2). */
lpm_err lpm_checkpoint_header_digest(const lpm_checkpoint *cp, uint8_t out[LPM_HASH_LEN]);
/* The one header-signature check (§5.2): Ed25519 of sig over H(utf8(DS-A(header_v))) under
 * key.  LPM_OK, LPM_ERR_SIGNATURE_INVALID, or could-not-decide errors. */
lpm_err lpm_header_verify(const lpc_value *header_v, const uint8_t sig[LPM_SIG_LEN], const uint8_t key[LPM_PUBKEY_LEN]);
/* lpm_header_verify of cp's header.  LPM_ERR_EMPTY_CHECKPOINT for the unsigned host form. */
lpm_err lpm_checkpoint_verify_signature(const lpm_checkpoint *cp, const uint8_t pubkey[LPM_PUBKEY_LEN]);
/* The unsigned host form (§7.3 step 2): event_count 0, root zeros, no events.
 * LPM_ERR_EMPTY_CHECKPOINT when consistent, LPM_ERR_INVALID_EMPTY_CHECKPOINT otherwise. */
lpm_err lpm_checkpoint_check_empty(lpm_checkpoint *cp);
/* base64 -> gunzip (capped) -> JSON array of objects; sets era.  Also computes the leaves
 * (and era C/D envelope results) when it can split the records for parallel parsing. */
lpm_err lpm_checkpoint_decode_events(lpm_checkpoint *cp);
/* event_count == decoded count (§7.3 step 4). */
lpm_err lpm_checkpoint_check_count(const lpm_checkpoint *cp);
/* sequence contiguous first..last (§7.3 step 4): record i carries first + i and the range
 * spans exactly the decoded records; ranges are compared before any arithmetic, so hostile
 * values (INT64_MIN/MAX, first > last) are a gap, never an overflow.  *bad = the first
 * record out of place, or n_events when the range itself does not fit. */
lpm_err lpm_checkpoint_check_sequence(const lpm_checkpoint *cp, size_t *bad);
/* Leaves and tree, then root == header.merkle_root.  Records are serialised over all
 * cores; for era C/D the same pass verifies each envelope. */
lpm_err lpm_checkpoint_build_tree(lpm_checkpoint *cp);
lpm_err lpm_checkpoint_check_root(const lpm_checkpoint *cp);
/* tree_levels, when present and non-empty, equal the computed levels.  *present = 0/1. */
lpm_err lpm_checkpoint_check_tree_levels(const lpm_checkpoint *cp, int *present);
/* Era D (§3.2, §7.3 step 7): each signed_log_entry, event_hash/payload_hash links, chain. */
lpm_err lpm_checkpoint_check_envelopes(lpm_checkpoint *cp, unsigned threads, size_t *bad);
/* Record indexes whose §3.3 locations hold lead_id.  *idx malloc'd (caller frees; may be NULL
 * when *n == 0). */
lpm_err lpm_checkpoint_find_lead(const lpm_checkpoint *cp, const char *lead_id, size_t lead_len,
                                 size_t **idx, size_t *n);
/* CS-A(rec) appended to out, byte-identical to lpc_dump(rec, LPC_PROFILE_CS_A); span[k]
 * receives [start, end) in out of the value reached by keys path[0..k] (k < depth), or
 * {0, 0} when that key is absent (a nested CS-A value is a substring of its parent's). */
lpc_err lpm_dump_csa_spans(const lpc_value *rec, const char *const *path, size_t depth, lpc_buf *out,
                           size_t span[][2]);
/* 1 when record mentions lead_id at a §3.3 location. */
int lpm_record_has_lead(const lpc_value *record, const char *lead_id, size_t lead_len);
const char *lpm_era_name(lpm_era e);          /* "empty_host", "A", "C/D" */
const char *lpm_encoding_name(lpm_encoding e); /* "v1", "current", "unknown" */

/* §7.3 steps 2-5 and 7 on a parsed checkpoint.  Checks, in order:
 *   empty_checkpoint    unsigned host form only, and nothing else: EMPTY_CHECKPOINT (a
 *                       consistent one, which proves nothing) or INVALID_EMPTY_CHECKPOINT
 *   header_signature    SIGNATURE_INVALID; key NULL: KEY_NOT_PINNED (a warning "not checked
 *                       (--no-key)" under LPM_ALLOW_NO_KEY)
 *   key_pinned          only with a key and LPM_KEY_UNPINNED: KEY_NOT_PINNED (a warning
 *                       under LPM_ALLOW_NO_KEY)
 *   events_decoded      undecided codes (BAD_BASE64, BAD_GZIP, BAD_EVENTS_JSON, ...): stops
 *   event_count         EVENT_COUNT_MISMATCH
 *   sequence_range      SEQUENCE_GAP (index = the first record out of place, or n_events)
 *   merkle_root         ROOT_MISMATCH; EVENT_COUNT_MISMATCH when no events (stops)
 *   tree_levels         TREE_LEVELS_MISMATCH (absent or empty: passes, not compared)
 *   envelopes           era C/D: MALFORMED_ENVELOPE, PAYLOAD_HASH_MISMATCH, EVENT_HASH_MISMATCH,
 *                       EVENT_SIGNATURE_INVALID, CHAIN_BROKEN, SEQUENCE_NOT_MONOTONIC (index = record)
 * A could-not-decide error in a step is that step's failed check and ends the run.
 * key: LPM_PUBKEY_LEN bytes or NULL.  *sig (may be NULL) receives the signature state. */
lp_code lpm_checkpoint_verify(lpm_checkpoint *cp, const uint8_t *key, unsigned flags, lp_checks *out,
                              lpm_sig_state *sig);

/* §5.3 links of checkpoint cur (series position cur_i) to prev (prev_i), four checks
 * named "link[P->C].prev_checkpoint_root" (CHAIN_BREAK), ".checkpoint_number" (NUMBER_GAP),
 * ".sequence_range" (SEQUENCE_GAP), ".time_range" (TIME_ORDER: prev end <= cur start, both
 * read by lpc_time_parse with LPC_TIME_ZONE_OPTIONAL; unparsable or cut is TIME_ORDER);
 * index = cur_i.  Overflow-safe: number or seq_last INT64_MAX has no successor (a gap). */
void lpm_checkpoint_link_check(const lpm_header *prev, size_t prev_i, const lpm_header *cur, size_t cur_i,
                               lp_checks *out);

/* A series of checkpoints (audit_checkpoints), in order.  No heap: a plain value holding
 * the last linkable checkpoint's header. */
typedef struct {
    int have_prev;
    size_t prev_i;
    lpm_header prev;
} lpm_series;
void lpm_series_init(lpm_series *s);
/* Verifies checkpoint i (lpm_checkpoint_verify into cp_checks), then appends to
 * series_checks one summary check "checkpoint[i]" (index i) with that verdict, except that
 * a consistent unsigned empty host checkpoint is a passing "not linked" summary (§5.3:
 * a legitimate part of the series that proves nothing), and then the links to the previous
 * linkable checkpoint.  A checkpoint whose verdict is undecided is not linkable (the next
 * one links to the one before it); an empty host checkpoint is neither linked nor linkable.
 * Returns the checkpoint's verdict (lp_checks_verdict of what went into cp_checks). */
lp_code lpm_series_add(lpm_series *s, size_t i, lpm_checkpoint *cp, const uint8_t *key, unsigned flags,
                       lp_checks *cp_checks, lp_checks *series_checks, lpm_sig_state *sig);

/* Lead inclusion (§3.3, §7.3 step 6) after lpm_checkpoint_verify built the tree.  Checks:
 *   lead_search        NOT_INCLUDED; BAD_ARGUMENT when the tree was not built; INPUT_TOO_LARGE
 *                      when more than LPM_MAX_MATCHES records carry the lead id
 *   inclusion_proofs   only with matches: PROOF_INVALID when a match's proof does not lead
 *                      to header.merkle_root (index = that record)
 * out receives every match in record order (free with lpm_matches_free). */
typedef struct {
    size_t index;
    char *event_type;          /* the record's event_type, NUL-terminated copy; NULL when absent
                                  or not a string (untrusted bytes: escape before printing) */
    size_t event_type_len;
    uint8_t leaf[LPM_HASH_LEN];
    lpm_step steps[LPM_MAX_DEPTH];
    size_t n_steps;
    int proof_ok;
} lpm_match;
typedef struct {
    lpm_match *items;
    size_t n;
} lpm_matches;
void lpm_matches_free(lpm_matches *m);
lp_code lpm_inclusion_verify(const lpm_checkpoint *cp, const char *lead, size_t lead_len, lpm_matches *out,
                             lp_checks *checks);

/* ---- self-contained proof file ---- */
#define LPM_PROOF_FORMAT "leadpoet-checkpoint-inclusion-proof/1"
/* Writes the proof of record idx (CS-A text, sorted keys) to out; needs the tree. */
lpm_err lpm_proof_write(const lpm_checkpoint *cp, size_t idx, const char *lead_id, size_t lead_len,
                        const uint8_t *pubkey /* NULL when not checked */, lpc_buf *out);

typedef struct {
    lpc_value *doc;             /* owned */
    const char *lead_id;        /* borrowed from doc */
    size_t lead_len;
    size_t index, event_count;
    uint8_t leaf[LPM_HASH_LEN], root[LPM_HASH_LEN];
    int has_pubkey;             /* header_pubkey recorded by the writer (never trusted) */
    uint8_t pubkey[LPM_PUBKEY_LEN];
    int unsigned_empty;
    uint8_t signature[LPM_SIG_LEN];
    lpm_header header;
    int signature_checked;      /* set by lpm_proof_check when a key was used */
} lpm_proof_file;

/* Parses and checks a proof file: preimage hash, lead id inside the preimage, path shape
 * for index/event_count (lpm_proof_verify_at), root vs header.merkle_root and count, and
 * the header signature with pin (if non-NULL) or else, for consistency only, the file's own
 * key.  The step functions' view; lpm_proof_file_verify is the verification entry point.
 * Free with lpm_proof_file_free. */
lpm_err lpm_proof_check(const uint8_t *buf, size_t len, const uint8_t *pin, lpm_proof_file *pf);
/* --verify-proof.  Checks:
 *   proof_file         the file parses (undecided otherwise: stops), is not an unsigned empty
 *                      checkpoint's (EMPTY_CHECKPOINT: stops), and its leaf, path, root and
 *                      header binding hold (PROOF_INVALID, NOT_INCLUDED, ROOT_MISMATCH,
 *                      EVENT_COUNT_MISMATCH)
 *   header_signature   with pin: SIGNATURE_INVALID; without: KEY_NOT_PINNED (a warning under
 *                      LPM_ALLOW_NO_KEY).  The key the file records is never trusted.
 *   key_pinned         only with a pin and LPM_KEY_UNPINNED (as lpm_checkpoint_verify)
 * pf is filled as far as parsing went (free with lpm_proof_file_free in every case). */
lp_code lpm_proof_file_verify(const uint8_t *buf, size_t len, const uint8_t *pin, unsigned flags,
                              lpm_proof_file *pf, lp_checks *out, lpm_sig_state *sig);
void lpm_proof_file_free(lpm_proof_file *pf);

#endif
