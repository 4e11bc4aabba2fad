/* The library's verification procedures over checkpoints: §7.3 steps 2-5 and 7
 * (lpm_checkpoint_verify), the §5.3 links of a series (lpm_checkpoint_link_check,
 * lpm_series_add) and lead inclusion, §3.3 and §7.3 step 6 (lpm_inclusion_verify).
 * Each appends typed checks in run order; none reports OK without its trust anchor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canonical/lpc_hash.h"
#include "canonical/lpc_time.h"
#include "merkle/lpm_state.h"

#define LPM_DETAIL_QUOTE_MAX 64  /* bytes of an untrusted string quoted in a detail */

/* header_signature when no key was given, and key_pinned when it is not anchored (§7.3
 * step 3: the key must be bound to an attestation whose PCR0 is trusted). */
static void no_key_check(lp_checks *out, const char *name, unsigned flags, const char *why)
{
    if (flags & LPM_ALLOW_NO_KEY) lp_check_warn(out, name, LP_CODE_KEY_NOT_PINNED, "not checked (--no-key): %s", why);
    else lp_check_add(out, name, LP_CODE_KEY_NOT_PINNED, "%s", why);
}

static const char k_no_key[] = "no trusted key was given, so the signature proves nothing";
static const char k_unpinned[] = "the key comes from an attestation whose PCR0 was not pinned, so it proves nothing";

/* The signature steps shared with the proof file: header_signature [key_pinned].  0 when
 * the run must stop (could not decide). */
int lpm_signature_checks(const lpc_value *header_v, const uint8_t sig[LPM_SIG_LEN], const uint8_t *key, unsigned flags,
                         lp_checks *out, lpm_sig_state *state)
{
    if (!key) {
        no_key_check(out, "header_signature", flags, k_no_key);
        return 1;
    }
    lpm_err e = lpm_header_verify(header_v, sig, key);
    if (lpm_err_undecided(e)) {
        lp_check_add(out, "header_signature", lpm_code(e), "%s", lpm_strerror(e));
        return 0;
    }
    if (state) *state = e == LPM_OK ? LPM_SIG_VALID : LPM_SIG_INVALID;
    lp_check_add(out, "header_signature", lpm_code(e), "%s",
                 e == LPM_OK ? "Ed25519 over SHA-256 of the default-separator sorted header verifies"
                             : "Ed25519 over SHA-256 of the default-separator sorted header does not verify with this key");
    if (flags & LPM_KEY_UNPINNED) {
        if (flags & LPM_ALLOW_NO_KEY) lp_check_warn(out, "key_pinned", LP_CODE_KEY_NOT_PINNED, "%s (--no-key)", k_unpinned);
        else lp_check_add(out, "key_pinned", LP_CODE_KEY_NOT_PINNED, "%s", k_unpinned);
    }
    return 1;
}

static void undecided(lp_checks *out, const char *name, lpm_err e)
{
    lp_check_add(out, name, lpm_err_undecided(e) ? lpm_code(e) : LP_CODE_INTERNAL, "%s", lpm_strerror(e));
}

static void sequence_check(const lpm_checkpoint *cp, lp_checks *out)
{
    const lpm_header *h = &cp->header;
    size_t bad = 0;
    lpm_err e = lpm_checkpoint_check_sequence(cp, &bad);
    long long f = (long long)h->seq_first, l = (long long)h->seq_last;
    if (e == LPM_ERR_MALFORMED) lp_check_add(out, "sequence_range", LP_CODE_SEQUENCE_GAP, "header has no sequence_range");
    else if (e == LPM_OK) lp_check_add(out, "sequence_range", LP_CODE_OK, "sequence contiguous %lld..%lld", f, l);
    else if (e != LPM_ERR_SEQUENCE_GAP) undecided(out, "sequence_range", e);
    else if (bad < cp->n)
        lp_check_addi(out, "sequence_range", LP_CODE_SEQUENCE_GAP, bad, "sequence breaks at record %zu of range %lld..%lld",
                      bad, f, l);
    else if (h->seq_last < h->seq_first)
        lp_check_addi(out, "sequence_range", LP_CODE_SEQUENCE_GAP, bad, "sequence_range first %lld is after last %lld", f, l);
    else
        lp_check_addi(out, "sequence_range", LP_CODE_SEQUENCE_GAP, bad,
                      "sequence_range %lld..%lld does not span exactly the %zu decoded records", f, l, cp->n);
}

static void verify_run(lpm_checkpoint *cp, const uint8_t *key, unsigned flags, lp_checks *out, lpm_sig_state *sig)
{
    if (cp->unsigned_empty) {  /* §7.3 step 2: only the empty form is checked, and proves nothing */
        lpm_err e = lpm_checkpoint_check_empty(cp);
        if (e == LPM_ERR_EMPTY_CHECKPOINT)
            lp_check_add(out, "empty_checkpoint", LP_CODE_EMPTY_CHECKPOINT, "%s",
                         "signature \"empty_checkpoint\": unsigned host checkpoint with no events, nothing can be included");
        else if (e == LPM_ERR_INVALID_EMPTY_CHECKPOINT)
            lp_check_add(out, "empty_checkpoint", LP_CODE_INVALID_EMPTY_CHECKPOINT, "%s",
                         "signature \"empty_checkpoint\" but the header or events claim content");
        else undecided(out, "empty_checkpoint", e);
        return;
    }
    if (!lpm_signature_checks(cp->header_v, cp->signature, key, flags, out, sig)) return;
    lpm_err e = lpm_checkpoint_decode_events(cp);
    if (e != LPM_OK) { undecided(out, "events_decoded", e); return; }
    lp_check_add(out, "events_decoded", LP_CODE_OK, "%zu records (base64, gzip, JSON array)", cp->n);
    e = lpm_checkpoint_check_count(cp);
    lp_check_add(out, "event_count", lpm_code(e), "header %lld, decoded %zu", (long long)cp->header.event_count, cp->n);
    sequence_check(cp, out);
    if (cp->n == 0) {
        lp_check_add(out, "merkle_root", LP_CODE_EVENT_COUNT_MISMATCH, "a signed checkpoint with no events has no tree");
        return;
    }
    e = lpm_checkpoint_build_tree(cp);
    if (e != LPM_OK) { undecided(out, "merkle_root", e); return; }
    e = lpm_checkpoint_check_root(cp);
    char root[65];
    lpc_hex_encode(lpm_tree_root(&cp->tree), LPM_HASH_LEN, root);
    lp_check_add(out, "merkle_root", lpm_code(e), "computed %s, header %s", root, cp->header.merkle_root);
    int present = 0;
    e = lpm_checkpoint_check_tree_levels(cp, &present);
    lp_check_add(out, "tree_levels", lpm_code(e), "%s",
                 !present ? "absent or empty (not compared)"
                 : e == LPM_OK ? "every level equals the computed tree" : "differ from the computed tree");
    if (cp->era != LPM_ERA_D) return;
    size_t bad = 0;
    e = lpm_checkpoint_check_envelopes(cp, 0, &bad);
    if (e == LPM_OK)
        lp_check_add(out, "envelopes", LP_CODE_OK, "%zu signed_log_entry verified (hash, Ed25519, payload_hash, chain)", cp->n);
    else if (e == LPM_ERR_MALFORMED)
        lp_check_addi(out, "envelopes", LP_CODE_MALFORMED_ENVELOPE, bad, "record %zu: %s", bad, lpm_strerror(e));
    else if (lpm_err_undecided(e))
        undecided(out, "envelopes", e);
    else
        lp_check_addi(out, "envelopes", lpm_code(e), bad, "record %zu: %s", bad, lpm_strerror(e));
}

lp_code lpm_checkpoint_verify(lpm_checkpoint *cp, const uint8_t *key, unsigned flags, lp_checks *out, lpm_sig_state *sig)
{
    if (sig) *sig = LPM_SIG_NOT_CHECKED;
    if (!out) return LP_CODE_BAD_ARGUMENT;
    size_t from = out->n;
    if (!cp || !cp->doc) lp_check_add(out, "checkpoint", LP_CODE_BAD_ARGUMENT, "no parsed checkpoint");
    else verify_run(cp, key, flags, out, sig);
    return lpm_verdict_since(out, from);
}

/* "X" or "X..." (cut) or "-" (absent), quoted into a detail. */
static const char *time_shown(const lpm_time_text *t, char buf[LPM_TIME_MAX + 4])
{
    if (!t->present) return "-";
    memcpy(buf, t->text, t->len + 1);
    if (t->cut) memcpy(buf + t->len, "...", 4);
    return buf;
}

static int time_read(const lpm_time_text *t, int64_t *us)
{
    return t->present && !t->cut && lpc_time_parse(t->text, t->len, LPC_TIME_ZONE_OPTIONAL, us) == 0;
}

void lpm_checkpoint_link_check(const lpm_header *prev, size_t prev_i, const lpm_header *cur, size_t cur_i, lp_checks *out)
{
    if (!out) return;
    char ln[LP_CHECK_NAME_MAX];
    if (!prev || !cur) {
        lp_check_addi(out, "link", LP_CODE_BAD_ARGUMENT, cur_i, "no header to link");
        return;
    }
    /* prev_checkpoint_root: the previous root within one enclave boot (§5.3, §7.3 step 8) */
    snprintf(ln, sizeof ln, "link[%zu->%zu].prev_checkpoint_root", prev_i, cur_i);
    int ok = cur->has_prev_root && strcmp(cur->prev_root, prev->merkle_root) == 0;
    lp_check_addi(out, ln, ok ? LP_CODE_OK : LP_CODE_CHAIN_BREAK, cur_i, "%s",
                  ok ? "links to the previous root"
                  : cur->has_prev_root ? "points to a root that is not the previous checkpoint's (never uploaded, or missing)"
                                       : "null: enclave restarted (new chain)");
    /* checkpoint_number steps by one; INT64_MAX has no successor */
    snprintf(ln, sizeof ln, "link[%zu->%zu].checkpoint_number", prev_i, cur_i);
    ok = prev->number != INT64_MAX && cur->number == prev->number + 1;
    lp_check_addi(out, ln, ok ? LP_CODE_OK : LP_CODE_NUMBER_GAP, cur_i, "%lld -> %lld%s", (long long)prev->number,
                  (long long)cur->number, prev->number == INT64_MAX ? " (the previous number has no successor)" : "");
    /* sequence_range continues: this first = previous last + 1 */
    snprintf(ln, sizeof ln, "link[%zu->%zu].sequence_range", prev_i, cur_i);
    if (!prev->has_sequence_range || !cur->has_sequence_range) {
        lp_check_addi(out, ln, LP_CODE_SEQUENCE_GAP, cur_i, "%s header has no sequence_range",
                      !prev->has_sequence_range ? "the previous" : "this");
    } else {
        ok = prev->seq_last != INT64_MAX && cur->seq_first == prev->seq_last + 1;
        lp_check_addi(out, ln, ok ? LP_CODE_OK : LP_CODE_SEQUENCE_GAP, cur_i, "previous last %lld, this first %lld%s",
                      (long long)prev->seq_last, (long long)cur->seq_first,
                      prev->seq_last == INT64_MAX ? " (the previous last has no successor)" : "");
    }
    /* time_range: this start is not before the previous end (naive isoformat = UTC, §5.3) */
    snprintf(ln, sizeof ln, "link[%zu->%zu].time_range", prev_i, cur_i);
    int64_t a = 0, b = 0;
    int ra = time_read(&prev->time_end, &a), rb = time_read(&cur->time_start, &b);
    char sa[LPM_TIME_MAX + 4], sb[LPM_TIME_MAX + 4];
    lp_check_addi(out, ln, ra && rb && b >= a ? LP_CODE_OK : LP_CODE_TIME_ORDER, cur_i, "previous end %s, this start %s%s",
                  time_shown(&prev->time_end, sa), time_shown(&cur->time_start, sb),
                  ra && rb ? "" : " (not both RFC 3339 date-times)");
}

void lpm_series_init(lpm_series *s)
{
    if (s) memset(s, 0, sizeof *s);
}

lp_code lpm_series_add(lpm_series *s, size_t i, lpm_checkpoint *cp, const uint8_t *key, unsigned flags,
                       lp_checks *cp_checks, lp_checks *series_checks, lpm_sig_state *sig)
{
    if (sig) *sig = LPM_SIG_NOT_CHECKED;
    if (!s || !cp_checks || !series_checks) return LP_CODE_BAD_ARGUMENT;
    char name[LP_CHECK_NAME_MAX];
    snprintf(name, sizeof name, "checkpoint[%zu]", i);
    lp_code v = lpm_checkpoint_verify(cp, key, flags, cp_checks, sig);
    long long number = cp ? (long long)cp->header.number : 0;
    if (cp && cp->unsigned_empty && v == LP_CODE_EMPTY_CHECKPOINT) {
        /* a consistent host-made empty checkpoint belongs to the series (§5.3), proves
         * nothing, and is left out of the links */
        lp_check_addi(series_checks, name, LP_CODE_OK, i,
                      "unsigned empty host checkpoint %lld (nothing to verify; not linked)", number);
        return v;
    }
    if (v == LP_CODE_OK) lp_check_addi(series_checks, name, LP_CODE_OK, i, "checkpoint %lld verified", number);
    else lp_check_addi(series_checks, name, v, i, "checkpoint %lld: %s", number, lp_code_name(v));
    if (!cp) return v;
    if (s->have_prev) lpm_checkpoint_link_check(&s->prev, s->prev_i, &cp->header, i, series_checks);
    if (lp_code_exit(v) != LP_EXIT_UNDECIDED) {
        s->prev = cp->header;  /* a value: the checkpoint may be freed */
        s->prev_i = i;
        s->have_prev = 1;
    }
    return v;
}

void lpm_matches_free(lpm_matches *m)
{
    if (!m) return;
    for (size_t k = 0; k < m->n; k++) free(m->items[k].event_type);
    free(m->items);
    memset(m, 0, sizeof *m);
}

/* One match: its proof from the tree, checked against the header's root, bound to its
 * index and to the tree's size. */
static lpm_err match_fill(const lpm_checkpoint *cp, size_t idx, const uint8_t hroot[LPM_HASH_LEN], lpm_match *m)
{
    m->index = idx;
    memcpy(m->leaf, cp->rec[idx].leaf, LPM_HASH_LEN);
    lpm_err e = lpm_tree_proof(&cp->tree, idx, m->steps, &m->n_steps);
    if (e == LPM_OK) e = lpm_proof_verify_at(m->leaf, m->steps, m->n_steps, idx, cp->n, hroot);
    m->proof_ok = e == LPM_OK;
    const lpc_value *rec = NULL, *et = NULL;
    lpc_value *owned = NULL;
    if (lpm_checkpoint_record(cp, idx, &rec, &owned) == LPM_OK) et = lpc_get(rec, "event_type");
    if (et && et->type == LPC_STR && (m->event_type = malloc(et->u.s.len + 1)) != NULL) {
        memcpy(m->event_type, et->u.s.ptr, et->u.s.len + 1);
        m->event_type_len = et->u.s.len;
    }
    lpc_free(owned);
    return e;
}

lp_code lpm_inclusion_verify(const lpm_checkpoint *cp, const char *lead, size_t lead_len, lpm_matches *out,
                             lp_checks *checks)
{
    if (out) memset(out, 0, sizeof *out);
    if (!checks) return LP_CODE_BAD_ARGUMENT;
    size_t from = checks->n;
    if (!cp || !out || !lead || !cp->tree.nodes || !cp->leaves_ready) {
        lp_check_add(checks, "lead_search", LP_CODE_BAD_ARGUMENT, "no verified checkpoint tree to search (verify it first)");
        return lpm_verdict_since(checks, from);
    }
    uint8_t hroot[LPM_HASH_LEN];
    size_t hl = 0;
    if (lpc_hex_decode(cp->header.merkle_root, 2 * LPM_HASH_LEN, hroot, sizeof hroot, &hl) != LPC_OK || hl != LPM_HASH_LEN) {
        lp_check_add(checks, "lead_search", LP_CODE_INTERNAL, "header merkle_root is not 64 hex digits");
        return lpm_verdict_since(checks, from);
    }
    size_t *idx = NULL, n = 0;
    int shown = lead_len > LPM_DETAIL_QUOTE_MAX ? LPM_DETAIL_QUOTE_MAX : (int)lead_len;
    lpm_err e = lpm_checkpoint_find_lead(cp, lead, lead_len, &idx, &n);
    if (e != LPM_OK) {
        undecided(checks, "lead_search", e);
    } else if (n == 0) {
        lp_check_add(checks, "lead_search", LP_CODE_NOT_INCLUDED, "no record carries lead_id %.*s%s at a spec section 3.3 location",
                     shown, lead, (size_t)shown < lead_len ? "..." : "");
    } else if (n > LPM_MAX_MATCHES) {
        lp_check_add(checks, "lead_search", LP_CODE_INPUT_TOO_LARGE, "%zu records carry lead_id %.*s%s, more than the %d reported",
                     n, shown, lead, (size_t)shown < lead_len ? "..." : "", LPM_MAX_MATCHES);
    } else if ((out->items = calloc(n, sizeof *out->items)) == NULL) {
        lp_check_add(checks, "lead_search", LP_CODE_OUT_OF_MEMORY, "out of memory");
    } else {
        out->n = n;
        lp_check_add(checks, "lead_search", LP_CODE_OK, "%zu matching record(s)", n);
        lpm_err fail = LPM_OK, undec = LPM_OK;
        size_t first_bad = 0;
        for (size_t k = 0; k < n; k++) {
            lpm_err pe = match_fill(cp, idx[k], hroot, &out->items[k]);
            if (pe == LPM_OK) continue;
            if (lpm_err_undecided(pe)) {
                if (undec == LPM_OK) undec = pe;
            } else if (fail == LPM_OK) {
                fail = pe;
                first_bad = idx[k];
            }
        }
        /* a proof that fails decides, whatever else could not be decided */
        if (fail != LPM_OK)
            lp_check_addi(checks, "inclusion_proofs", LP_CODE_PROOF_INVALID, first_bad,
                          "the proof of record %zu does not lead to the header root", first_bad);
        else if (undec != LPM_OK)
            undecided(checks, "inclusion_proofs", undec);
        else
            lp_check_add(checks, "inclusion_proofs", LP_CODE_OK, "every matching leaf's proof leads to the header root");
    }
    free(idx);
    return lpm_verdict_since(checks, from);
}
