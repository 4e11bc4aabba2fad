/* Leadpoet transparency log: checkpoint Merkle trees and proofs, checkpoint
 * payloads of every era, header signatures and signed event envelopes.
 * Spec: leadpoet-formats.md §0, §2-§7.  Pure code: no I/O, no globals
 * (libsodium is initialised lazily by lpm_sodium_ready, which is idempotent).
 *
 * Memory: every lpm_* object is owned by the caller and released with its
 * *_free function; pointers returned into an object (headers, records,
 * strings) are borrowed and live as long as that object. */
#ifndef LP_MERKLE_H
#define LP_MERKLE_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lpc_json.h"

/* ---- limits (spec §0 batch sizes, §7.1 payloads) ---- */
#define LPM_HASH_LEN          32
#define LPM_MAX_PAYLOAD       ((size_t)64 << 20)  /* Arweave data bytes accepted (= JSON cap) */
#define LPM_MAX_COMPRESSED    ((size_t)48 << 20)  /* decoded gzip bytes */
/* inflated events JSON (a bomb stops here).  Real checkpoints hold at most 15,000 records
 * (the enclave refuses more, §0); the cap is sized for the issue-7 benchmark of 100,000
 * records of the largest era (envelope records, ~0.95 kB each in DU-A: ~94 MB) with a third
 * to spare, i.e. ~1.3 kB per record at 100,000 or ~8.9 kB per record at 15,000. */
#define LPM_MAX_INFLATED      ((size_t)128 << 20)
#define LPM_MAX_EVENTS        ((size_t)1 << 20)   /* records per checkpoint (enclave refuses >15,000;
                                                     kept wide for synthetic benchmarks) */
#define LPM_MAX_DEPTH         64                  /* proof steps; 2^64 leaves */
#define LPM_PUBKEY_LEN        32
#define LPM_SIG_LEN           64

/* ---- one error enum for the module ---- */
typedef enum {
    LPM_OK = 0,
    /* could not decide (exit 2) */
    LPM_ERR_NOMEM,
    LPM_ERR_ARG,
    LPM_ERR_INPUT_TOO_LARGE,     /* over a named cap, including a gzip bomb */
    LPM_ERR_MALFORMED,           /* not a checkpoint/proof/log of the documented shape */
    LPM_ERR_BASE64,              /* events_compressed is not strict standard base64 */
    LPM_ERR_GZIP,                /* not one well-formed gzip member (CRC, ISIZE, truncation) */
    LPM_ERR_EVENTS_JSON,         /* inflated text is not a JSON array of objects */
    LPM_ERR_CANONICAL,           /* a record cannot be serialised the way Python would */
    LPM_ERR_EMPTY_TREE,          /* a tree of zero leaves (Python raises) */
    LPM_ERR_CRYPTO,              /* hash or libsodium backend failed */
    /* verification failed (exit 1) */
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

const char *lpm_strerror(lpm_err e);  /* static sentence */
const char *lpm_errname(lpm_err e);   /* UPPER_SNAKE result code, e.g. "ROOT_MISMATCH" */
int lpm_err_undecided(lpm_err e);     /* 1 when e means "could not decide" (exit 2) */

/* ---- hashing helpers ---- */
/* Leaf = H(utf8(CS-A(record))) (§4.1).  Also used for event and payload hashes. */
lpm_err lpm_hash_csa(const lpc_value *v, uint8_t out[LPM_HASH_LEN]);
lpm_err lpm_hash_profile(const lpc_value *v, lpc_profile p, uint8_t out[LPM_HASH_LEN]);
/* 1 when s is a string of exactly 64 lowercase hex digits; decodes into out. */
int lpm_hex32(const lpc_value *s, uint8_t out[LPM_HASH_LEN]);

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
    int left;                 /* 1: sibling is on the left: cur = H(sib||cur) */
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
/* 1 when the step positions are exactly those the tree of n leaves gives leaf idx
 * (binds a proof to its index and to event_count). */
int lpm_proof_shape_ok(size_t idx, size_t n, const lpm_step *steps, size_t n_steps);

/* ---- gateway/utils/merkle.py (§4.2) ---- */
/* Root over H(utf8(s_i)) (hash_leaves=1) or over raw 32-byte leaves; n = 0 gives zeros. */
lpm_err lpm_utils_root(const uint8_t (*leaves)[LPM_HASH_LEN], size_t n, uint8_t root[LPM_HASH_LEN]);
/* verify_merkle_proof: elements "L:hex" / any other prefix = right / no ':' = smaller-left.
 * Returns 1 when the proof folds to root, 0 otherwise (malformed hex = 0). */
int lpm_utils_proof_verify(const uint8_t leaf[LPM_HASH_LEN], const char *const *proof, size_t n,
                           const uint8_t root[LPM_HASH_LEN]);

/* ---- gzip (§6) ---- */
/* Inflates exactly one gzip member occupying all of in[0..len), refusing more than
 * max_out bytes of output (LPM_ERR_INPUT_TOO_LARGE).  *out is malloc'd (caller frees). */
lpm_err lpm_gunzip(const uint8_t *in, size_t len, size_t max_out, uint8_t **out, size_t *out_len);
/* The gzip trailer's ISIZE: the output length mod 2^32 as the sender claims it (untrusted;
 * 0 when len < 4). */
size_t lpm_gzip_isize(const uint8_t *in, size_t len);
/* As lpm_gunzip, calling progress(ctx, buf, have, moving) as output arrives: have bytes of
 * buf are final; moving = 1 comes before buf is reallocated or freed on error (the old
 * address is then invalid), and moving = 2 once after the last byte (have = the whole
 * output, which is *out). */
typedef void (*lpm_gunzip_progress)(void *ctx, const uint8_t *buf, size_t have, int moving);
lpm_err lpm_gunzip_cb(const uint8_t *in, size_t len, size_t max_out, lpm_gunzip_progress progress, void *ctx,
                      uint8_t **out, size_t *out_len);

/* ---- signed event envelopes (§2) ---- */
/* verify_log_entry: fields present and non-empty, optional expected pubkey (case-sensitive
 * string), event_hash recomputed and compared as a string, Ed25519 over the digest bytes. */
lpm_err lpm_log_entry_verify(const lpc_value *entry, const char *expected_pubkey_hex);
/* As lpm_log_entry_verify with digest = H(CS-A(entry.signed_event)) already computed by the
 * caller (e.g. as a byte span of the record's own CS-A leaf preimage). */
lpm_err lpm_log_entry_verify_digest(const lpc_value *entry, const char *expected_pubkey_hex,
                                    const uint8_t digest[LPM_HASH_LEN]);
/* Signature checks of entries[i] (i < n) spread over `threads` workers (0 = online cores).
 * first_bad receives the smallest failing index and its error. */
lpm_err lpm_log_entries_verify(const lpc_value *const *entries, size_t n, const char *expected_pubkey_hex,
                               unsigned threads, size_t *first_bad);
/* Runs fn(ctx, i) for i < n over `threads` workers (0 = online cores); stops a worker at
 * its first failure; returns the error of the smallest failing index (in *first_bad). */
typedef lpm_err (*lpm_item_fn)(const void *ctx, size_t i);
lpm_err lpm_parallel_for(size_t n, unsigned threads, lpm_item_fn fn, const void *ctx, size_t *first_bad);
/* The worker pool under lpm_parallel_for: fn(ctx, worker, begin, end, &bad) runs items
 * [begin, end) in order and returns its first failure (index in bad); chunks of `chunk`
 * items are claimed in increasing order by lpm_thread_count(threads) workers (worker <
 * that count, for per-worker scratch in ctx).  Returns the failure of the smallest index
 * (LPM_ERR_NOMEM if the pool's lock cannot be set up).  It is the stream below with every
 * item published at once. */
#define LPM_MAX_THREADS 64
typedef lpm_err (*lpm_chunk_fn)(void *ctx, unsigned worker, size_t begin, size_t end, size_t *bad);
lpm_err lpm_parallel_chunks(size_t n, size_t chunk, unsigned threads, lpm_chunk_fn fn, void *ctx, size_t *first_bad);
unsigned lpm_thread_count(unsigned threads);  /* 0 -> online cores; at most LPM_MAX_THREADS */
/* The same pool fed by a producer: lpm_stream_start starts threads-1 workers (ids 1..),
 * which run chunks of [0, avail) as lpm_stream_publish raises avail (never lowered; the
 * caller makes items < avail ready before publishing them).  lpm_stream_finish closes the
 * stream, runs what is left on the calling thread (worker 0), joins and frees the stream,
 * and returns the failure of the smallest index; with abandon set it runs nothing more,
 * waits for running chunks and returns LPM_ERR_ARG unless a chunk failed. */
typedef struct lpm_stream lpm_stream;
lpm_err lpm_stream_start(size_t chunk, unsigned threads, lpm_chunk_fn fn, void *ctx, lpm_stream **out);
void lpm_stream_publish(lpm_stream *s, size_t avail);
lpm_err lpm_stream_finish(lpm_stream *s, int abandon, size_t *first_bad);
/* verify_hash_chain_continuity (every non-ENCLAVE_RESTART entry links to the one before)
 * then verify_monotonic_sequence (strictly increasing per boot_id).  *bad = failing index. */
lpm_err lpm_log_chain_check(const lpc_value *const *entries, size_t n, size_t *bad);

/* ---- checkpoint payload (§5, §7) ---- */
typedef enum { LPM_ERA_EMPTY, LPM_ERA_A, LPM_ERA_D } lpm_era;  /* host-empty, legacy dicts, envelopes */
typedef enum { LPM_ENC_UNKNOWN, LPM_ENC_V1, LPM_ENC_CURRENT } lpm_encoding; /* DU-A / CS-A bytes */

typedef struct {
    int has_version, has_sequence_range;
    int64_t version, number, event_count, seq_first, seq_last;
    char merkle_root[LPM_HASH_LEN * 2 + 1];
    int has_prev_root;                           /* 0 when null or absent */
    char prev_root[LPM_HASH_LEN * 2 + 1];
    const char *time_start, *time_end;           /* borrowed; NULL when absent */
} lpm_header;

typedef struct {
    lpc_value *doc;            /* parsed payload (owned) */
    const lpc_value *header_v; /* borrowed from doc */
    lpm_header header;
    int unsigned_empty;        /* signature == "empty_checkpoint" */
    uint8_t signature[LPM_SIG_LEN];
    lpm_encoding encoding;
    lpm_era era;
    lpc_value *events;         /* decoded array (owned), after lpm_checkpoint_decode_events */
    size_t n_events;
    /* Era A records in the plain form (lpc_csa_from_text) are hashed straight from the
     * inflated text and not parsed: for those, events->u.a.items[i] is NULL, their text
     * is rec_text[rec_span[2i] .. rec_span[2i+1]) and their top-level "sequence", when an
     * int64, is rec_seq[i] with rec_seq_ok[i] = 1.  lpm_checkpoint_record gives any record
     * as a tree.  All owned; NULL when every record was parsed. */
    uint8_t *rec_text;
    size_t *rec_span;
    int64_t *rec_seq;
    uint8_t *rec_seq_ok;
    /* How lpm_checkpoint_decode_events decoded: 0 serially (one parse of the whole text),
     * 1 split and run over all cores after inflating, 2 split and run while inflating. */
    int decode_path;
    uint8_t (*leaves)[LPM_HASH_LEN]; /* after lpm_checkpoint_build_tree (owned) */
    lpm_tree tree;
    /* Records are parsed, serialised (CS-A, once) and hashed in one pass over all cores
     * by lpm_checkpoint_decode_events (or, when it had to parse serially, by
     * lpm_checkpoint_build_tree); leaves_ready then says leaves holds every leaf.  Era C/D:
     * the same pass runs the per-record checks of lpm_checkpoint_check_envelopes (the leaf
     * preimage contains the event_hash and payload_hash preimages) and keeps the result
     * here for it.  These describe the records as decoded: a caller that edits
     * cp->events afterwards calls lpm_checkpoint_events_changed first. */
    int leaves_ready;
    int env_done;
    lpm_err env_err;
    size_t env_bad;
} lpm_checkpoint;

/* Accepts the raw data bytes or their base64url (no padding) form from /tx/<id>/data.
 * Parses the JSON and the header.  Free with lpm_checkpoint_free even on error. */
lpm_err lpm_checkpoint_parse(const uint8_t *buf, size_t len, lpm_checkpoint *cp);
void lpm_checkpoint_free(lpm_checkpoint *cp);
/* H(utf8(DS-A(header))) (§5.2). */
lpm_err lpm_checkpoint_header_digest(const lpm_checkpoint *cp, uint8_t out[LPM_HASH_LEN]);
/* Ed25519 over the header digest.  LPM_ERR_EMPTY_CHECKPOINT for the unsigned host form. */
lpm_err lpm_checkpoint_verify_signature(const lpm_checkpoint *cp, const uint8_t pubkey[LPM_PUBKEY_LEN]);
/* The unsigned host form (§7.3 step 2): event_count 0, root zeros, no events.
 * LPM_ERR_EMPTY_CHECKPOINT when consistent, LPM_ERR_INVALID_EMPTY_CHECKPOINT otherwise. */
lpm_err lpm_checkpoint_check_empty(lpm_checkpoint *cp);
/* base64 -> gunzip (capped) -> JSON array of objects; sets era.  Also computes the leaves
 * (and era C/D envelope results) when it can split the records for parallel parsing. */
lpm_err lpm_checkpoint_decode_events(lpm_checkpoint *cp);
/* Forgets the leaves, tree and envelope results computed from cp->events, so that the
 * next build_tree / check_envelopes recompute them from the records as they are now. */
void lpm_checkpoint_events_changed(lpm_checkpoint *cp);
/* event_count == decoded count; sequence contiguous first..last (§7.3 step 4). *bad = index. */
lpm_err lpm_checkpoint_check_count(const lpm_checkpoint *cp);
lpm_err lpm_checkpoint_check_sequence(const lpm_checkpoint *cp, size_t *bad);
/* Leaves and tree, then root == header.merkle_root.  Records are serialised over all
 * cores; for era C/D the same pass verifies each envelope (see env_done). */
lpm_err lpm_checkpoint_build_tree(lpm_checkpoint *cp);
lpm_err lpm_checkpoint_check_root(const lpm_checkpoint *cp);
/* tree_levels, when present and non-empty, equal the computed levels.  *present = 0/1. */
lpm_err lpm_checkpoint_check_tree_levels(const lpm_checkpoint *cp, int *present);
/* Era D (§3.2, §7.3 step 7): each signed_log_entry, event_hash/payload_hash links, chain. */
lpm_err lpm_checkpoint_check_envelopes(const lpm_checkpoint *cp, unsigned threads, size_t *bad);
/* Record i as a tree: *rec borrowed from cp->events when it holds one, else parsed from
 * rec_text into *owned (the caller frees it with lpc_free; NULL when borrowed). */
lpm_err lpm_checkpoint_record(const lpm_checkpoint *cp, size_t i, const lpc_value **rec, lpc_value **owned);
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

/* ---- self-contained proof file ---- */
#define LPM_PROOF_FORMAT "leadpoet-checkpoint-inclusion-proof/1"
/* Writes the proof of record idx (CS-A text, sorted keys) to out. */
lpm_err lpm_proof_write(const lpm_checkpoint *cp, size_t idx, const char *lead_id, size_t lead_len,
                        const uint8_t *pubkey /* NULL when not checked */, lpc_buf *out);

typedef struct {
    lpc_value *doc;             /* owned */
    const char *lead_id;        /* borrowed */
    size_t lead_len;
    size_t index, event_count;
    uint8_t leaf[LPM_HASH_LEN], root[LPM_HASH_LEN];
    int has_pubkey;
    uint8_t pubkey[LPM_PUBKEY_LEN];
    int unsigned_empty;
    int signature_checked;      /* set by lpm_proof_check when a key was used */
} lpm_proof_file;

/* Parses and checks a proof file completely: preimage hash, lead id inside the preimage,
 * path shape for index/event_count, root vs header.merkle_root, and the header signature
 * with pin (if non-NULL) or else the file's own key.  Free with lpm_proof_file_free. */
lpm_err lpm_proof_check(const uint8_t *buf, size_t len, const uint8_t *pin, lpm_proof_file *pf);
void lpm_proof_file_free(lpm_proof_file *pf);

#endif
