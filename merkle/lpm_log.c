/* Signed transparency-log entries (§2.2), the chain rules (§2.3), ENCLAVE_RESTART
 * boundaries, and the verification of a whole exported log (verify_log). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_parse.h"
#include "merkle/lpm_pool.h"
#include "merkle/lpm_state.h"

static int nonempty_str(const lpc_value *v)
{
    return v && v->type == LPC_STR && v->u.s.len > 0;
}

/* A string value's bytes; p NULL: absent or not a string.  Python compares the chain's
 * values with != : two values are the same only as equal strings. */
typedef struct { const char *p; size_t len; } str_span;

static str_span span_of(const lpc_value *v)
{
    if (!v || v->type != LPC_STR) return (str_span){NULL, 0};
    return (str_span){v->u.s.ptr ? v->u.s.ptr : "", v->u.s.len};
}

static int same_span(str_span a, str_span b)
{
    return a.p && b.p && a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
}

/* What Ed25519 verifies of one entry, decoded. */
typedef struct {
    uint8_t digest[LPM_HASH_LEN], key[LPM_PUBKEY_LEN], sig[LPM_SIG_LEN];
} sig_job;

/* Every check of verify_log_entry before the signature's: Python truthiness of the four
 * fields (signed_event a non-empty dict), the expected key, event_hash as a string, the key
 * and signature as hex.  digest, when non-NULL, is H(CS-A(signed_event)) already computed
 * by the caller. */
static lpm_err entry_prepare(const lpc_value *entry, const char *expected_pubkey_hex, const uint8_t *digest,
                             sig_job *job)
{
    if (!entry || entry->type != LPC_OBJECT) return LPM_ERR_MALFORMED;
    const lpc_value *se = lpc_get(entry, "signed_event"), *eh = lpc_get(entry, "event_hash"),
                    *pk = lpc_get(entry, "enclave_pubkey"), *sig = lpc_get(entry, "enclave_signature");
    if (!se || se->type != LPC_OBJECT || se->u.o.n == 0 || !nonempty_str(eh) || !nonempty_str(pk) ||
        !nonempty_str(sig))
        return LPM_ERR_MALFORMED;
    if (expected_pubkey_hex && !lpc_str_eq(pk, expected_pubkey_hex)) return LPM_ERR_PUBKEY_MISMATCH;
    if (digest) {
        memcpy(job->digest, digest, LPM_HASH_LEN);
    } else {
        lpm_err e = lpm_hash_csa(se, job->digest);
        if (e != LPM_OK) return e;
    }
    char hex[65];
    lpc_hex_encode(job->digest, LPM_HASH_LEN, hex);
    if (eh->u.s.len != 64 || memcmp(eh->u.s.ptr, hex, 64) != 0) return LPM_ERR_EVENT_HASH_MISMATCH;
    /* bytes.fromhex accepts either case; a malformed key or signature is a failed verify */
    size_t kl, sl;
    if (lpc_hex_decode(pk->u.s.ptr, pk->u.s.len, job->key, sizeof job->key, &kl) != LPC_OK || kl != sizeof job->key ||
        lpc_hex_decode(sig->u.s.ptr, sig->u.s.len, job->sig, sizeof job->sig, &sl) != LPC_OK || sl != sizeof job->sig)
        return LPM_ERR_EVENT_SIGNATURE_INVALID;
    return LPM_OK;
}

static lpm_err job_verify(const sig_job *j)
{
    if (!lpm_sodium_ready()) return LPM_ERR_CRYPTO;
    return lpm_ed25519_verify(j->sig, sizeof j->sig, j->digest, LPM_HASH_LEN, j->key) ? LPM_OK
                                                                                      : LPM_ERR_EVENT_SIGNATURE_INVALID;
}

static lpm_err entry_verify(const lpc_value *entry, const char *expected_pubkey_hex, const uint8_t *digest)
{
    sig_job j;
    lpm_err e = entry_prepare(entry, expected_pubkey_hex, digest, &j);
    return e != LPM_OK ? e : job_verify(&j);
}

lpm_err lpm_log_entry_verify(const lpc_value *entry, const char *expected_pubkey_hex)
{
    return entry_verify(entry, expected_pubkey_hex, NULL);
}

lpm_err lpm_log_entry_verify_digest(const lpc_value *entry, const char *expected_pubkey_hex,
                                    const uint8_t digest[LPM_HASH_LEN])
{
    if (!digest) return LPM_ERR_ARG;
    return entry_verify(entry, expected_pubkey_hex, digest);
}

typedef struct { const lpc_value *const *entries; const char *pin; } entries_ctx;

static lpm_err verify_item(const void *ctx, size_t i)
{
    const entries_ctx *c = ctx;
    return lpm_log_entry_verify(c->entries[i], c->pin);
}

lpm_err lpm_log_entries_verify(const lpc_value *const *entries, size_t n, const char *expected_pubkey_hex,
                               unsigned threads, size_t *first_bad)
{
    if ((n && !entries) || !first_bad) return LPM_ERR_ARG;
    entries_ctx c = {entries, expected_pubkey_hex};
    return lpm_parallel_for(n, threads, verify_item, &c, first_bad);
}

/* ---- the chain rules (§2.3), one entry at a time ---- */

typedef struct { const char *boot; size_t blen, pos; int64_t seq; } seq_item;

/* Each rule keeps its first failure and what the next entry is compared with; the strings
 * it keeps live as long as the entries' document. */
typedef struct {
    size_t n;                        /* entries added */
    lpm_err chain;                   /* hash_chain: LPM_OK, MALFORMED, CHAIN_BROKEN at chain_bad */
    size_t chain_bad;
    str_span prev_hash;              /* the last entry's event_hash */
    lpm_err seq;                     /* LPM_OK; MALFORMED (boot_id or monotonic_seq) at seq_bad; NOMEM */
    size_t seq_bad;
    seq_item *items;                 /* every entry's, while chain and seq hold */
    size_t cap;
    lpm_restart_rule why;            /* ENCLAVE_RESTART boundaries: the first failure, at */
    size_t at, restarts;
    str_span prev_boot, prev_pk;     /* the last entry's boot_id and enclave_pubkey */
} log_rules;

static int grow_items(log_rules *r)
{
    size_t nc = r->cap ? 2 * r->cap : 256;
    seq_item *q = nc <= SIZE_MAX / sizeof *q ? realloc(r->items, nc * sizeof *q) : NULL;
    if (!q) return 0;
    r->items = q, r->cap = nc;
    return 1;
}

static void rules_add(log_rules *r, const lpc_value *entry)
{
    size_t i = r->n++;
    const lpc_value *se = lpc_get(entry, "signed_event");
    int restart = lpc_str_eq(lpc_get(se, "event_type"), "ENCLAVE_RESTART");
    str_span boot = span_of(lpc_get(se, "boot_id")), pk = span_of(lpc_get(entry, "enclave_pubkey"));
    /* verify_hash_chain_continuity: every entry has a signed_event, and every entry after the
     * first that is not an ENCLAVE_RESTART names the one before's event_hash */
    if (r->chain == LPM_OK) {
        if (!se || se->type != LPC_OBJECT) r->chain = LPM_ERR_MALFORMED, r->chain_bad = i;
        else if (i && !restart && !same_span(span_of(lpc_get(se, "prev_event_hash")), r->prev_hash))
            r->chain = LPM_ERR_CHAIN_BROKEN, r->chain_bad = i;
        r->prev_hash = span_of(lpc_get(entry, "event_hash"));
    }
    /* verify_monotonic_sequence (only after a passing chain): the first entry without a
     * string boot_id and an int64 monotonic_seq, else the items sorted at the end */
    if (r->chain == LPM_OK && r->seq == LPM_OK) {
        int64_t sq;
        if (!boot.p || !lpc_int_i64(lpc_get(se, "monotonic_seq"), &sq)) {
            r->seq = LPM_ERR_MALFORMED, r->seq_bad = i;
        } else if (i < r->cap || grow_items(r)) {
            r->items[i] = (seq_item){boot.p, boot.len, i, sq};
        } else {
            r->seq = LPM_ERR_NOMEM;
        }
    }
    if (r->why == LPM_RESTART_OK) {
        if (restart) {
            r->restarts++;
            const lpc_value *p = lpc_get(se, "payload");
            if (!same_span(span_of(lpc_get(p, "new_boot_id")), boot)) r->why = LPM_RESTART_NEW_BOOT_ID;
            else if (!same_span(span_of(lpc_get(p, "enclave_pubkey")), pk)) r->why = LPM_RESTART_PUBKEY;
        } else if (i > 0) {
            if (!same_span(boot, r->prev_boot)) r->why = LPM_RESTART_BOOT_CHANGE;
            else if (!same_span(pk, r->prev_pk)) r->why = LPM_RESTART_KEY_CHANGE;
        }
        if (r->why != LPM_RESTART_OK) r->at = i;
        r->prev_boot = boot, r->prev_pk = pk;
    }
}

static int seq_cmp(const void *a, const void *b)
{
    const seq_item *x = a, *y = b;
    size_t m = x->blen < y->blen ? x->blen : y->blen;
    int c = memcmp(x->boot, y->boot, m);
    if (c) return c;
    if (x->blen != y->blen) return x->blen < y->blen ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* hash_chain, then monotonic_seq: strictly increasing within each boot_id, the smallest
 * position that does not increase on the one before it in its boot.  Sorts r's items. */
static lpm_err rules_chain(log_rules *r, size_t *bad)
{
    *bad = 0;
    if (r->chain != LPM_OK) { *bad = r->chain_bad; return r->chain; }
    if (r->seq != LPM_OK) { *bad = r->seq == LPM_ERR_MALFORMED ? r->seq_bad : 0; return r->seq; }
    size_t n = r->n;
    seq_item *it = r->items;
    /* one boot_id over every entry (a single enclave boot, the usual log): the sorted order
     * is the array order, and one linear pass gives the same answer */
    size_t one = 1;
    while (one < n && it[one].blen == it[0].blen && memcmp(it[one].boot, it[0].boot, it[0].blen) == 0) one++;
    if (one >= n) {   /* also no entries */
        for (size_t i = 1; i < n; i++)
            if (it[i].seq <= it[i - 1].seq) { *bad = i; return LPM_ERR_SEQUENCE_NOT_MONOTONIC; }
        return LPM_OK;
    }
    qsort(it, n, sizeof *it, seq_cmp);
    size_t worst = SIZE_MAX;
    for (size_t k = 1; k < n; k++)
        if (it[k].blen == it[k - 1].blen && memcmp(it[k].boot, it[k - 1].boot, it[k].blen) == 0 &&
            it[k].seq <= it[k - 1].seq && it[k].pos < worst)
            worst = it[k].pos;
    if (worst != SIZE_MAX) { *bad = worst; return LPM_ERR_SEQUENCE_NOT_MONOTONIC; }
    return LPM_OK;
}

lpm_err lpm_log_chain_check(const lpc_value *const *entries, size_t n, size_t *bad)
{
    if ((n && !entries) || !bad) return LPM_ERR_ARG;
    log_rules r = {0};
    for (size_t i = 0; i < n && r.chain == LPM_OK; i++) rules_add(&r, entries[i]);
    lpm_err e = rules_chain(&r, bad);
    free(r.items);
    return e;
}

lpm_restart_rule lpm_log_restart_check(const lpc_value *const *entries, size_t n, size_t *bad, size_t *restarts)
{
    log_rules r = {0};
    for (size_t i = 0; entries && i < n && r.why == LPM_RESTART_OK; i++) rules_add(&r, entries[i]);
    free(r.items);
    if (bad) *bad = r.at;
    if (restarts) *restarts = r.restarts;
    return r.why;
}

const char *lpm_restart_rule_text(lpm_restart_rule r)
{
    switch (r) {
    case LPM_RESTART_OK: return "consistent";
    case LPM_RESTART_NEW_BOOT_ID: return "payload.new_boot_id differs from boot_id";
    case LPM_RESTART_PUBKEY: return "payload.enclave_pubkey differs from the signer";
    case LPM_RESTART_BOOT_CHANGE: return "boot_id changes without an ENCLAVE_RESTART";
    case LPM_RESTART_KEY_CHANGE: return "signing key changes within a boot";
    }
    return "unknown rule";
}

lp_code lpm_log_verify(const uint8_t *json, size_t len, const char *pin_hex, unsigned flags, size_t *n_entries,
                       lp_checks *out)
{
    uint8_t *copy = NULL;
    if (json && out) {
        if (!(copy = malloc(len ? len : 1))) {
            if (n_entries) *n_entries = 0;
            size_t from = out->n;
            lp_check_add(out, "input", LP_CODE_OUT_OF_MEMORY, "out of memory");
            return lpm_verdict_since(out, from);
        }
        memcpy(copy, json, len);
    }
    return lpm_log_verify_take(copy, len, pin_hex, flags, n_entries, out);
}

/* ---- verify_log: the entries checked as they are parsed ---- */

#define LOG_JOB_BLOCK ((size_t)4096)  /* signature jobs per block (512 KiB) */
#define LOG_JOB_CHUNK ((size_t)32)    /* jobs a worker claims at a time */

/* The log's root array is parsed one entry at a time (lpc_parse_each, LPC_EACH_DROP): each
 * entry gets every check but its signature's there, and its signature job joins the pool,
 * which the other workers run while the text is still being parsed; the chain rules keep
 * what the next entry is compared with.  Jobs stay where they are written (fixed blocks),
 * so the workers read them while the parser adds more. */
typedef struct {
    const char *pin;
    size_t n;                        /* entries seen */
    log_rules rules;
    sig_job *blocks[LPM_MAX_EVENTS / LOG_JOB_BLOCK];
    size_t jobs;                     /* entries [0, jobs) wait only for their signature */
    lpm_err pre;                     /* the first entry failing before its signature, pre_bad */
    size_t pre_bad;
    lpm_stream *st;
    int nomem;
} log_run;

static lpm_err job_chunk(void *ctx, unsigned worker, size_t begin, size_t end, size_t *bad)
{
    const log_run *lr = ctx;
    (void)worker;
    for (size_t i = begin; i < end; i++) {
        lpm_err e = job_verify(&lr->blocks[i / LOG_JOB_BLOCK][i % LOG_JOB_BLOCK]);
        if (e != LPM_OK) { *bad = i; return e; }
    }
    return LPM_OK;
}

static int log_entry(void *ctx, size_t index, const lpc_value *it)
{
    log_run *lr = ctx;
    lr->n++;
    if (index >= LPM_MAX_EVENTS || lr->nomem) return 0;   /* counted only: the log is refused */
    const lpc_value *w = lpc_get(it, "signed_log_entry");
    const lpc_value *entry = w && w->type == LPC_OBJECT ? w : it;  /* a TEE record row wraps the entry (§3.2) */
    rules_add(&lr->rules, entry);
    if (lr->pre != LPM_OK) return 0;
    sig_job **b = &lr->blocks[index / LOG_JOB_BLOCK];
    if (!*b && !(*b = malloc(LOG_JOB_BLOCK * sizeof **b))) { lr->nomem = 1; return 0; }
    lpm_err e = entry_prepare(entry, lr->pin, NULL, &(*b)[index % LOG_JOB_BLOCK]);
    if (e != LPM_OK) {
        lr->pre = e, lr->pre_bad = index;
        return 0;
    }
    lr->jobs = index + 1;
    if (!lr->st && lr->jobs == 1 && lpm_thread_count(0) > 1 &&
        lpm_stream_start(LOG_JOB_CHUNK, 0, job_chunk, lr, &lr->st) != LPM_OK)
        lr->st = NULL;   /* the jobs then run after the parse */
    if (lr->st && lr->jobs % LOG_JOB_CHUNK == 0) lpm_stream_publish(lr->st, lr->jobs);
    return 0;
}

static void log_run_free(log_run *lr)
{
    if (lr->st) (void)lpm_stream_abandon(lr->st, NULL);
    lr->st = NULL;
    for (size_t k = 0; k < sizeof lr->blocks / sizeof *lr->blocks; k++) free(lr->blocks[k]);
    free(lr->rules.items);
    free(lr);
}

/* The entries' verdict: the smallest failing index, of a signature or an earlier check
 * (every job lies below pre_bad). */
static lpm_err log_run_entries(log_run *lr, size_t *bad)
{
    *bad = 0;
    lpm_err e = LPM_OK;
    if (lr->st) {
        lpm_stream_publish(lr->st, lr->jobs);
        e = lpm_stream_finish(lr->st, bad);
        lr->st = NULL;
    } else if (lr->jobs) {
        e = lpm_parallel_chunks(lr->jobs, LOG_JOB_CHUNK, 0, job_chunk, lr, bad);
    }
    if (e == LPM_OK && lr->pre != LPM_OK) *bad = lr->pre_bad, e = lr->pre;
    return e;
}

lp_code lpm_log_verify_take(uint8_t *json, size_t len, const char *pin_hex, unsigned flags, size_t *n_entries,
                            lp_checks *out)
{
    if (n_entries) *n_entries = 0;
    if (!out) {
        free(json);
        return LP_CODE_BAD_ARGUMENT;
    }
    size_t from = out->n;
    if (!json) {
        lp_check_add(out, "input", LP_CODE_BAD_ARGUMENT, "no log text");
        return lpm_verdict_since(out, from);
    }
    log_run *lr = calloc(1, sizeof *lr);
    if (!lr) {
        free(json);
        lp_check_add(out, "input", LP_CODE_OUT_OF_MEMORY, "out of memory");
        return lpm_verdict_since(out, from);
    }
    lr->pin = pin_hex;
    lpc_value *doc = NULL;
    size_t off = 0;
    size_t budget = len <= SIZE_MAX - LPM_LOG_TREE_SLACK ? len + LPM_LOG_TREE_SLACK : SIZE_MAX;
    const lpc_each each = {NULL, log_entry, lr, LPC_EACH_DROP};
    lpc_err pe = lpc_parse_each(json, len, LPC_JSON_MAX_INPUT, budget, &each, &doc, &off);  /* json is the doc's */
    if (pe != LPC_OK) {
        log_run_free(lr);
        /* the parser's own code (JSON_SYNTAX, BAD_UTF8, JSON_TOO_DEEP, ...), as every JSON reader reports it */
        if (pe == LPC_ERR_TOO_LARGE)
            lp_check_add(out, "input", lpc_code(pe), "its tree would exceed the text's size plus %zu MiB at byte %zu",
                         LPM_LOG_TREE_SLACK >> 20, off);
        else
            lp_check_add(out, "input", lpc_code(pe), "not JSON (%s at byte %zu)", lpc_strerror(pe), off);
        return lpm_verdict_since(out, from);
    }
    size_t n = lr->n;
    if (doc->type != LPC_ARRAY || n > LPM_MAX_EVENTS || lr->nomem) {
        if (doc->type != LPC_ARRAY) lp_check_add(out, "input", LP_CODE_MALFORMED_INPUT, "not a JSON array");
        else if (n > LPM_MAX_EVENTS) lp_check_add(out, "input", LP_CODE_INPUT_TOO_LARGE, "more than %zu entries", LPM_MAX_EVENTS);
        else lp_check_add(out, "input", LP_CODE_OUT_OF_MEMORY, "out of memory");
        log_run_free(lr);
        lpc_free(doc);
        return lpm_verdict_since(out, from);
    }
    if (n_entries) *n_entries = n;
    size_t bad = 0;
    if (n == 0) {
        lp_check_add(out, "entries", LP_CODE_EMPTY_LOG, "the log has no entries");
    } else {
        lpm_err e = log_run_entries(lr, &bad);
        if (e == LPM_OK)
            lp_check_add(out, "entries", LP_CODE_OK, "%zu entries: event_hash and Ed25519 signature verified%s", n,
                         pin_hex ? " under the given key" : " under the keys the log carries");
        else if (e == LPM_ERR_MALFORMED)
            lp_check_addi(out, "entries", LP_CODE_MALFORMED_ENTRY, bad,
                          "entry %zu: missing or empty signed_event/event_hash/enclave_pubkey/enclave_signature", bad);
        else
            lp_check_addi(out, "entries", lpm_code(e), bad, "entry %zu: %s", bad, lpm_strerror(e));
    }
    /* the trust anchor (§2.2 expected pubkey; §13 binds it to an attestation) */
    if (!pin_hex || (flags & LPM_KEY_UNPINNED)) {
        const char *why = !pin_hex ? "no event-signing key was pinned: the entries verify only under the keys the log "
                                     "itself carries, which proves nothing about who signed them"
                                   : "the event-signing key comes from an attestation whose PCR0 was not pinned";
        if (flags & LPM_ALLOW_NO_KEY) lp_check_warn(out, "pubkey_pinned", LP_CODE_KEY_NOT_PINNED, "%s (--no-key)", why);
        else lp_check_add(out, "pubkey_pinned", LP_CODE_KEY_NOT_PINNED, "%s", why);
    }
    if (n) {
        lpm_err e = rules_chain(&lr->rules, &bad);
        if (e == LPM_ERR_CHAIN_BROKEN) {
            lp_check_addi(out, "hash_chain", LP_CODE_CHAIN_BROKEN, bad,
                          "entry %zu: prev_event_hash does not link to entry %zu's event_hash", bad, bad - 1);
        } else if (e == LPM_ERR_MALFORMED) {
            lp_check_addi(out, "hash_chain", LP_CODE_MALFORMED_ENTRY, bad,
                          "entry %zu: signed_event, boot_id or monotonic_seq missing", bad);
        } else {
            lp_check_add(out, "hash_chain", LP_CODE_OK, "every non-restart entry links to the one before");
            if (e == LPM_OK) lp_check_add(out, "monotonic_seq", LP_CODE_OK, "strictly increasing within each boot_id");
            else if (e == LPM_ERR_SEQUENCE_NOT_MONOTONIC)
                lp_check_addi(out, "monotonic_seq", LP_CODE_SEQUENCE_NOT_MONOTONIC, bad,
                              "entry %zu: monotonic_seq does not increase within its boot", bad);
            else lp_check_add(out, "monotonic_seq", lpm_code(e), "%s", lpm_strerror(e));
        }
        lpm_restart_rule r = lr->rules.why;
        bad = lr->rules.at;
        if (r == LPM_RESTART_OK)
            lp_check_add(out, "restart_boundaries", LP_CODE_OK, "%zu ENCLAVE_RESTART boundaries consistent",
                          lr->rules.restarts);
        else
            lp_check_addi(out, "restart_boundaries", LP_CODE_RESTART_INVALID, bad, "entry %zu: %s", bad,
                          lpm_restart_rule_text(r));
    }
    log_run_free(lr);
    lpc_free(doc);
    return lpm_verdict_since(out, from);
}
