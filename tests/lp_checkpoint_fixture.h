/* Test-only builder of signed Arweave checkpoints of era C/D (envelope records), so that
 * a test can put chosen signed log entries into a checkpoint that lpm_checkpoint_verify
 * accepts.  Spec leadpoet-formats.md: §2.2 (event_hash, enclave_signature), §3 and §3.2
 * (the record {event_type, event_hash, payload_hash, signed_log_entry, sequence,
 * buffered_at}, sequence and buffered_at appended last), §4.1 (tree: leaf H(CS-A(record)),
 * parent H(l||r), an odd last node paired with itself, tree_levels without the duplicate),
 * §5 (header in the enclave's key order, signature = Ed25519 over H(utf8(DS-A(header)))),
 * §6 (events_compressed = base64(gzip level 9, mtime 0, of DU-A(records))), §7.1 (the
 * current payload: CS-A of {events_compressed, header, signature, tree_levels}).
 *
 * The tree, the digests and the layout are computed here from lpc_dump and SHA-256 alone,
 * never with the merkle module being tested.  Shared by the Check suites; never part of a
 * library.  No globals, no I/O.
 *
 * Errors: every function returns 0 on success, else one of LPT_CP_E* below and leaves its
 * outputs as documented (a *out tree is NULL, an lpc_buf keeps its previous length).
 * Memory: trees returned through **out are the caller's (lpc_free); lpc_buf bytes are the
 * caller's (lpc_buf_free).  Inputs are only read (parsed, read-only trees are fine). */
#ifndef LP_CHECKPOINT_FIXTURE_H
#define LP_CHECKPOINT_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include "canonical/lpc_json.h"

#define LPT_CP_MAX_RECORDS  4096  /* entries per built checkpoint (tests stay small) */
#define LPT_CP_MAX_LEVELS   64    /* tree levels above the leaves (2^64 leaves) */
/* Fixed test values for the header fields the fixture cannot derive (§5.1, §13.5, §13.6). */
#define LPT_CP_CODE_HASH        "c0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0de"
#define LPT_CP_ATTESTATION_HASH "a77e57a77e57a77e57a77e57a77e57a77e57a77e57a77e57a77e57a77e57a77e"

enum {
    LPT_CP_OK = 0,
    LPT_CP_EARG = 1,     /* NULL argument, not an array of objects, too many entries, 0 entries */
    LPT_CP_ESHAPE = 2,   /* an entry lacks signed_event{event_type, timestamp, payload} or event_hash */
    LPT_CP_ENOMEM = 3,
    LPT_CP_EDUMP = 4,    /* lpc_dump refused a value (lone surrogate, depth, ...) */
    LPT_CP_EZLIB = 5,
    LPT_CP_ECRYPTO = 6   /* libsodium or SHA-256 failed */
};

/* Options of lpt_checkpoint_build_ex; a zeroed struct (or NULL) gives the defaults. */
typedef struct {
    int64_t first_sequence;              /* sequence of record 0; record i gets first + i */
    /* buffered_at of record i; NULL: the entry's signed_event.timestamp without its trailing
     * "Z" (a naive isoformat() with microseconds 0, as §3 describes) */
    const char *const *buffered_at;
    const char *time_start, *time_end;   /* NULL: first / last buffered_at + "Z" (§5.1 form) */
    const char *code_hash;               /* NULL: LPT_CP_CODE_HASH */
    const char *attestation_hash;        /* NULL: LPT_CP_ATTESTATION_HASH */
} lpt_checkpoint_opts;

/* Sets entry.event_hash = hex(H(CS-A(signed_event))), enclave_pubkey = the public half of
 * sk (libsodium's 64-byte secret key: seed || pk) and enclave_signature = Ed25519(sk,
 * digest bytes) (§2.2).  entry must be a mutable object holding signed_event. */
int lpt_sign_entry(lpc_value *entry, const uint8_t sk[64]);

/* One §3.2 record wrapping a signed log entry (cloned, keys kept in their order): event_type
 * = signed_event.event_type, event_hash = entry.event_hash, payload_hash =
 * hex(H(CS-A(signed_event.payload))), signed_log_entry, sequence, buffered_at. */
int lpt_envelope_record(const lpc_value *entry, int64_t sequence, const char *buffered_at, lpc_value **out);

/* The records of entries (an array of signed log entries) under opts (NULL: defaults). */
int lpt_checkpoint_records(const lpc_value *entries, const lpt_checkpoint_opts *opts, lpc_value **out);

/* hex(root) and tree_levels (§4.1) of records: leaf i = H(utf8(CS-A(records[i]))).
 * root_hex may be NULL, levels may be NULL. */
int lpt_checkpoint_tree(const lpc_value *records, char root_hex[65], lpc_value **levels);

/* The §5.1 header of records, in the real enclave's key order: checkpoint_version 1,
 * checkpoint_number, time_range{start, end}, event_count, sequence_range{first, last}
 * (the first and last record's sequence), merkle_root, prev_checkpoint_root (NULL: null),
 * code_hash, attestation_hash.  opts gives time_range and the two hashes. */
int lpt_checkpoint_header(const lpc_value *records, int64_t checkpoint_number, const char *prev_root_hex_or_NULL,
                          const lpt_checkpoint_opts *opts, lpc_value **out);

/* The Arweave payload (§7.1, current form) for events = records and the given header,
 * whatever they say (tests pass inconsistent pairs on purpose): signature = Ed25519(sk,
 * H(utf8(DS-A(header)))), events_compressed from events, tree_levels of events (absent
 * when events is empty).  Appended to out as ASCII CS-A. */
int lpt_checkpoint_assemble(const lpc_value *events, const lpc_value *header, const uint8_t sk[64], lpc_buf *out);

/* records -> header -> assemble: a checkpoint lpm_checkpoint_verify accepts under the public
 * half of sk when the entries are validly signed and chained. */
int lpt_checkpoint_build_ex(const lpc_value *entries, const uint8_t sk[64], int64_t checkpoint_number,
                            const char *prev_root_hex_or_NULL, const lpt_checkpoint_opts *opts, lpc_buf *out);
int lpt_checkpoint_build(const lpc_value *entries, const uint8_t sk[64], int64_t checkpoint_number,
                         const char *prev_root_hex_or_NULL, lpc_buf *out);

/* gzip of p[0..n) as Python's gzip.compress(data, 9, mtime=0) writes it through zlib
 * (header 1f 8b 08 00 00000000 02 03), appended to out. */
int lpt_gzip(const uint8_t *p, size_t n, lpc_buf *out);

#endif
