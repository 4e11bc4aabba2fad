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

static int same_str(const lpc_value *a, const lpc_value *b)
{
    return a && b && a->type == LPC_STR && b->type == LPC_STR && a->u.s.len == b->u.s.len &&
           memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
}

/* Python truthiness of the four fields; signed_event must be a non-empty dict.
 * digest, when non-NULL, is H(CS-A(signed_event)) already computed by the caller. */
static lpm_err entry_verify(const lpc_value *entry, const char *expected_pubkey_hex, const uint8_t *digest)
{
    if (!entry || entry->type != LPC_OBJECT) return LPM_ERR_MALFORMED;
    const lpc_value *se = lpc_get(entry, "signed_event"), *eh = lpc_get(entry, "event_hash"),
                    *pk = lpc_get(entry, "enclave_pubkey"), *sig = lpc_get(entry, "enclave_signature");
    if (!se || se->type != LPC_OBJECT || se->u.o.n == 0 || !nonempty_str(eh) || !nonempty_str(pk) ||
        !nonempty_str(sig))
        return LPM_ERR_MALFORMED;
    if (expected_pubkey_hex && !lpc_str_eq(pk, expected_pubkey_hex)) return LPM_ERR_PUBKEY_MISMATCH;
    uint8_t d[LPM_HASH_LEN];
    if (digest) {
        memcpy(d, digest, LPM_HASH_LEN);
    } else {
        lpm_err e = lpm_hash_csa(se, d);
        if (e != LPM_OK) return e;
    }
    char hex[65];
    lpc_hex_encode(d, LPM_HASH_LEN, hex);
    if (eh->u.s.len != 64 || memcmp(eh->u.s.ptr, hex, 64) != 0) return LPM_ERR_EVENT_HASH_MISMATCH;
    /* bytes.fromhex accepts either case; a malformed key or signature is a failed verify */
    uint8_t key[LPM_PUBKEY_LEN], s[LPM_SIG_LEN];
    size_t kl, sl;
    if (lpc_hex_decode(pk->u.s.ptr, pk->u.s.len, key, sizeof key, &kl) != LPC_OK || kl != sizeof key ||
        lpc_hex_decode(sig->u.s.ptr, sig->u.s.len, s, sizeof s, &sl) != LPC_OK || sl != sizeof s)
        return LPM_ERR_EVENT_SIGNATURE_INVALID;
    if (!lpm_sodium_ready()) return LPM_ERR_CRYPTO;
    return lpm_ed25519_verify(s, sizeof s, d, LPM_HASH_LEN, key) ? LPM_OK : LPM_ERR_EVENT_SIGNATURE_INVALID;
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

typedef struct { const char *boot; size_t blen, pos; int64_t seq; } seq_item;

static int seq_cmp(const void *a, const void *b)
{
    const seq_item *x = a, *y = b;
    size_t m = x->blen < y->blen ? x->blen : y->blen;
    int c = memcmp(x->boot, y->boot, m);
    if (c) return c;
    if (x->blen != y->blen) return x->blen < y->blen ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

lpm_err lpm_log_chain_check(const lpc_value *const *entries, size_t n, size_t *bad)
{
    if ((n && !entries) || !bad) return LPM_ERR_ARG;
    *bad = 0;
    for (size_t i = 0; i < n; i++) {
        const lpc_value *se = lpc_get(entries[i], "signed_event");
        if (!se || se->type != LPC_OBJECT) { *bad = i; return LPM_ERR_MALFORMED; }
        if (i == 0 || lpc_str_eq(lpc_get(se, "event_type"), "ENCLAVE_RESTART")) continue;
        const lpc_value *prev = lpc_get(se, "prev_event_hash"), *ph = lpc_get(entries[i - 1], "event_hash");
        /* Python compares the values with != : both must be equal strings */
        if (!same_str(prev, ph)) {
            *bad = i;
            return LPM_ERR_CHAIN_BROKEN;
        }
    }
    /* strictly increasing monotonic_seq within each boot_id: sort (boot_id, position);
     * when one boot_id covers every entry (a single enclave boot, the usual checkpoint)
     * the sorted order is the array order, so one linear pass gives the same answer */
    int one_boot = 1;
    const lpc_value *boot0 = n ? lpc_get(lpc_get(entries[0], "signed_event"), "boot_id") : NULL;
    int64_t prev_seq = 0;
    size_t first_drop = SIZE_MAX;  /* reported only once every entry is known well-formed */
    for (size_t i = 0; i < n && one_boot; i++) {
        const lpc_value *se = lpc_get(entries[i], "signed_event"), *boot = lpc_get(se, "boot_id");
        int64_t sq;
        if (!boot || boot->type != LPC_STR || !lpc_int_i64(lpc_get(se, "monotonic_seq"), &sq)) {
            *bad = i;
            return LPM_ERR_MALFORMED;
        }
        if (!same_str(boot, boot0)) {
            one_boot = 0;
            break;
        }
        if (i && sq <= prev_seq && first_drop == SIZE_MAX) first_drop = i;
        prev_seq = sq;
    }
    if (one_boot && first_drop != SIZE_MAX) { *bad = first_drop; return LPM_ERR_SEQUENCE_NOT_MONOTONIC; }
    if (one_boot) return LPM_OK;
    seq_item *it = malloc((n ? n : 1) * sizeof *it);
    if (!it) return LPM_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const lpc_value *se = lpc_get(entries[i], "signed_event");
        const lpc_value *boot = lpc_get(se, "boot_id");
        if (!boot || boot->type != LPC_STR || !lpc_int_i64(lpc_get(se, "monotonic_seq"), &it[i].seq)) {
            free(it);
            *bad = i;
            return LPM_ERR_MALFORMED;
        }
        it[i].boot = boot->u.s.ptr;
        it[i].blen = boot->u.s.len;
        it[i].pos = i;
    }
    qsort(it, n, sizeof *it, seq_cmp);
    size_t worst = SIZE_MAX;
    for (size_t k = 1; k < n; k++)
        if (it[k].blen == it[k - 1].blen && memcmp(it[k].boot, it[k - 1].boot, it[k].blen) == 0 &&
            it[k].seq <= it[k - 1].seq && it[k].pos < worst)
            worst = it[k].pos;
    free(it);
    if (worst != SIZE_MAX) { *bad = worst; return LPM_ERR_SEQUENCE_NOT_MONOTONIC; }
    return LPM_OK;
}

lpm_restart_rule lpm_log_restart_check(const lpc_value *const *entries, size_t n, size_t *bad, size_t *restarts)
{
    size_t count = 0;
    lpm_restart_rule why = LPM_RESTART_OK;
    size_t at = 0;
    for (size_t i = 0; i < n && why == LPM_RESTART_OK; i++) {
        const lpc_value *se = lpc_get(entries[i], "signed_event");
        const lpc_value *boot = lpc_get(se, "boot_id");
        if (lpc_str_eq(lpc_get(se, "event_type"), "ENCLAVE_RESTART")) {
            count++;
            const lpc_value *p = lpc_get(se, "payload");
            if (!same_str(lpc_get(p, "new_boot_id"), boot)) why = LPM_RESTART_NEW_BOOT_ID;
            else if (!same_str(lpc_get(p, "enclave_pubkey"), lpc_get(entries[i], "enclave_pubkey"))) why = LPM_RESTART_PUBKEY;
        } else if (i > 0) {
            const lpc_value *pse = lpc_get(entries[i - 1], "signed_event");
            if (!same_str(boot, lpc_get(pse, "boot_id"))) why = LPM_RESTART_BOOT_CHANGE;
            else if (!same_str(lpc_get(entries[i], "enclave_pubkey"), lpc_get(entries[i - 1], "enclave_pubkey")))
                why = LPM_RESTART_KEY_CHANGE;
        }
        if (why != LPM_RESTART_OK) at = i;
    }
    if (bad) *bad = at;
    if (restarts) *restarts = count;
    return why;
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
    lpc_value *doc = NULL;
    size_t off = 0;
    size_t budget = len <= SIZE_MAX - LPM_LOG_TREE_SLACK ? len + LPM_LOG_TREE_SLACK : SIZE_MAX;
    lpc_err pe = lpc_parse_take(json, len, LPC_JSON_MAX_INPUT, budget, &doc, &off);  /* json is the doc's */
    if (pe != LPC_OK) {
        /* the parser's own code (JSON_SYNTAX, BAD_UTF8, JSON_TOO_DEEP, ...), as every JSON reader reports it */
        if (pe == LPC_ERR_TOO_LARGE)
            lp_check_add(out, "input", lpc_code(pe), "its tree would exceed the text's size plus %zu MiB at byte %zu",
                         LPM_LOG_TREE_SLACK >> 20, off);
        else
            lp_check_add(out, "input", lpc_code(pe), "not JSON (%s at byte %zu)", lpc_strerror(pe), off);
        return lpm_verdict_since(out, from);
    }
    if (doc->type != LPC_ARRAY) {
        lp_check_add(out, "input", LP_CODE_MALFORMED_INPUT, "not a JSON array");
        lpc_free(doc);
        return lpm_verdict_since(out, from);
    }
    size_t n = doc->u.a.n;
    if (n > LPM_MAX_EVENTS) {
        lp_check_add(out, "input", LP_CODE_INPUT_TOO_LARGE, "more than %zu entries", LPM_MAX_EVENTS);
        lpc_free(doc);
        return lpm_verdict_since(out, from);
    }
    const lpc_value **ents = malloc((n ? n : 1) * sizeof *ents);
    if (!ents) {
        lp_check_add(out, "input", LP_CODE_OUT_OF_MEMORY, "out of memory");
        lpc_free(doc);
        return lpm_verdict_since(out, from);
    }
    if (n_entries) *n_entries = n;
    for (size_t i = 0; i < n; i++) {
        const lpc_value *it = doc->u.a.items[i], *w = lpc_get(it, "signed_log_entry");
        ents[i] = w && w->type == LPC_OBJECT ? w : it;  /* a TEE record row wraps the entry (§3.2) */
    }
    size_t bad = 0;
    if (n == 0) {
        lp_check_add(out, "entries", LP_CODE_EMPTY_LOG, "the log has no entries");
    } else {
        lpm_err e = lpm_log_entries_verify(ents, n, pin_hex, 0, &bad);
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
        lpm_err e = lpm_log_chain_check(ents, n, &bad);
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
        size_t restarts = 0;
        lpm_restart_rule r = lpm_log_restart_check(ents, n, &bad, &restarts);
        if (r == LPM_RESTART_OK)
            lp_check_add(out, "restart_boundaries", LP_CODE_OK, "%zu ENCLAVE_RESTART boundaries consistent", restarts);
        else
            lp_check_addi(out, "restart_boundaries", LP_CODE_RESTART_INVALID, bad, "entry %zu: %s", bad,
                          lpm_restart_rule_text(r));
    }
    free(ents);
    lpc_free(doc);
    return lpm_verdict_since(out, from);
}
